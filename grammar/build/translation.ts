// What translating one file's CST keeps: where placeholders go, the diagnostics of what recovery
// or the translation dropped, what the AST leaves out (for checks/), and the small pieces every
// part of the translation uses (spans, names, placeholders, lists, runs of stray tokens).
import type { CstNode, IToken } from "chevrotain";
import type { Block, Expr, Ident, TypeExpr } from "../ast.js";
import type { LeftOut } from "../checks/index.js";
import { diagnostic, SYNTAX, type DiagnosticEntry } from "../diagnostics.js";
import { describeToken, isRealToken } from "../errors.js";
import { tokenEnd } from "../lexer.js";
import { joinSpans, type LineIndex } from "../position.js";
import type { Diagnostic, Span } from "../span.js";

/**
 * Longest chain of binary operators, prefix operators, postfix suffixes or `else if`s built
 * into the tree; the rest is dropped (and reported), so the AST's depth stays bounded for
 * the passes that walk it recursively.
 */
export const MAX_CHAIN = 1000;

/** Something a span can be taken from; a token inserted by recovery, null or undefined has none. */
export type Part = IToken | Span | { span: Span } | null | undefined;

/** A CST node's children as error recovery may leave them: any of them missing, whatever cst.ts says. */
export function kids<C>(n: { children: C }): Partial<C> {
  return n.children;
}

/** The translation of one file. Use it once. */
export class Translation {
  readonly diagnostics: Diagnostic[] = [];
  /** what the AST has no place for; the syntax checks (checks/) still look inside */
  readonly leftOut: LeftOut = { assignTargets: [], typeArgs: [] };
  /** end of the last real token seen: where placeholders go when nothing better is known */
  private lastEnd = 0;
  /** token -> index in the token vector, to find runs of adjacent stray tokens */
  private readonly indexOf = new Map<IToken, number>();
  /** AST nodes built from CST nodes that error recovery cut short */
  private readonly recovered = new WeakSet<object>();

  constructor(
    readonly lines: LineIndex,
    /** the token vector the parser read */
    private readonly tokens: IToken[],
  ) {
    tokens.forEach((t, i) => {
      this.indexOf.set(t, i);
    });
  }

  get tokenIndex(): Map<IToken, number> {
    return this.indexOf;
  }

  report(entry: DiagnosticEntry, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(diagnostic(entry, span, message, hint));
  }

  // ---- tokens and spans -------------------------------------------------------------------

  /** The token after a token in the token vector. */
  tokenAfter(t: IToken): IToken | undefined {
    return this.tokens[(this.indexOf.get(t) ?? -2) + 1];
  }

  /** The real token starting at an offset, if any (binary search over the token vector). */
  tokenAt(offset: number): IToken | undefined {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid] as IToken;
      const o = Number.isFinite(t.startOffset) ? t.startOffset : -1;
      if (o === offset && isRealToken(t)) return t;
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** A real token's span; it counts as seen. */
  tokSpan(t: IToken): Span {
    const end = tokenEnd(t);
    if (end > this.lastEnd) this.lastEnd = end;
    return this.lines.span(t.startOffset, end);
  }

  private partSpan(p: Part): Span | null {
    if (!p) return null;
    if ("tokenType" in p) return isRealToken(p) ? this.tokSpan(p) : null;
    if ("file" in p) return p;
    return p.span;
  }

  /** The span covering all real parts; zero-width at the last known position if none. */
  join(...parts: Part[]): Span {
    let acc: Span | null = null;
    for (const p of parts) {
      const s = this.partSpan(p);
      if (s) acc = acc ? joinSpans(acc, s) : s;
    }
    return acc ?? this.lines.span(this.lastEnd, this.lastEnd);
  }

  /** A zero-width span just after the last real part (where something missing was expected). */
  after(...parts: Part[]): Span {
    for (let i = parts.length - 1; i >= 0; i--) {
      const s = this.partSpan(parts[i]);
      if (s) return this.lines.span(s.endOffset, s.endOffset);
    }
    return this.lines.span(this.lastEnd, this.lastEnd);
  }

  // ---- names and placeholders -------------------------------------------------------------

  /** A name written by the user (a reserved word too: checks/reserved-names.ts reports it). */
  ident(t: IToken | undefined, ...before: Part[]): Ident {
    const image = t?.image ?? "";
    if (!isRealToken(t)) return { name: image, span: this.after(...before) };
    return { name: t.image, span: this.tokSpan(t) };
  }

  missingExpr(...before: Part[]): Expr {
    return { kind: "null", span: this.after(...before) };
  }

  missingType(...before: Part[]): TypeExpr {
    const span = this.after(...before);
    return { kind: "name", name: { name: "any", span }, span };
  }

  missingBlock(...before: Part[]): Block {
    return { stmts: [], span: this.after(...before) };
  }

  // ---- reports of what recovery or the translation dropped ---------------------------------

  /** A chain cut at MAX_CHAIN, reported at the first link dropped. */
  tooLong(at: IToken, what: string): void {
    this.report(
      SYNTAX.E0011,
      this.join(at),
      `more than ${MAX_CHAIN} ${what} in a row; the rest is skipped`,
      "split it into smaller pieces with `let`s",
    );
  }

  /** Reports runs of stray tokens (adjacent in the token vector) once per run, at the run's first token. */
  reportJunk(junk: IToken[], report: (first: IToken) => void): void {
    let prevIdx = -2;
    for (const t of junk) {
      const idx = this.indexOf.get(t) ?? -10;
      if (idx !== prevIdx + 1) report(t);
      prevIdx = idx;
    }
  }

  /** Builds the items of a list, remembering which were cut short by error recovery. */
  items<N extends CstNode, R extends object>(ns: N[] | undefined, build: (n: N) => R): R[] {
    return (ns ?? []).map((n) => {
      const r = build(n);
      if (n.recoveredNode) this.recovered.add(r);
      return r;
    });
  }

  /**
   * Checks the commas of a bracketed list (parsed as any mix of items and commas): one
   * between two items, an optional one after the last, none before the first.
   */
  checkCommas(items: { span: Span }[], commas: IToken[] | undefined, one: string, many: string): void {
    type Entry = { off: number; comma: IToken | null; span: Span };
    const seq: Entry[] = [];
    for (const c of commas ?? []) if (isRealToken(c)) seq.push({ off: c.startOffset, comma: c, span: this.tokSpan(c) });
    for (const it of items) seq.push({ off: it.span.offset, comma: null, span: it.span });
    seq.sort((a, b) => a.off - b.off || (a.comma ? -1 : 1));
    let prev: "open" | "item" | "comma" = "open";
    let prevRecovered = false;
    const recoveredAt = new Set(items.filter((it) => this.recovered.has(it)).map((it) => it.span.offset));
    for (const e of seq) {
      if (e.comma) {
        if (prev === "open") this.report(SYNTAX.E0001, e.span, `unexpected \`,\` before the first ${one}`, "remove it");
        else if (prev === "comma") this.report(SYNTAX.E0001, e.span, "two `,` in a row", "remove one of them");
        prev = "comma";
      } else {
        if (prev === "item" && !prevRecovered) {
          const t = this.tokenAt(e.span.offset);
          this.report(
            SYNTAX.E0001,
            t ? this.tokSpan(t) : e.span,
            `expected \`,\` between two ${many}, found ${describeToken(t)}`,
            "put a `,` between them (a line break does not separate them)",
          );
        }
        prev = "item";
      }
      prevRecovered = !e.comma && recoveredAt.has(e.off);
    }
  }
}
