// Offset -> line/column conversion for spans. Lines end at `\n`, `\r\n` or a lone `\r`.
// Columns are 1-based and count UTF-16 code units (the same unit as offsets).
import type { Span } from "./span.js";

export class LineIndex {
  /** offset of the first character of each line */
  private readonly starts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: o - (this.starts[lo] ?? 0) + 1 };
  }

  /** The span of `[offset, endOffset)`. */
  span(offset: number, endOffset: number): Span {
    const start = Math.max(0, Math.min(offset, this.text.length));
    const end = Math.max(start, Math.min(endOffset, this.text.length));
    const a = this.position(start);
    const b = this.position(end);
    return { file: this.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col, offset: start, endOffset: end };
  }

  /** `line:col` of an offset, for messages. */
  where(offset: number): string {
    const p = this.position(offset);
    return `${p.line}:${p.col}`;
  }
}

/** The smallest span covering both (same file assumed). */
export function joinSpans(a: Span, b: Span): Span {
  const first = a.offset <= b.offset ? a : b;
  const last = a.endOffset >= b.endOffset ? a : b;
  return {
    file: a.file,
    line: first.line,
    col: first.col,
    endLine: last.endLine,
    endCol: last.endCol,
    offset: first.offset,
    endOffset: last.endOffset,
  };
}
