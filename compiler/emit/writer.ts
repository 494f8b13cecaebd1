// Lines of generated code, indented, each remembering the .beldi position it came from (for the
// handler's source map).
import type { Span } from "../../grammar/span.js";
import type { LineOrigin } from "./source-map.js";

export class Writer {
  private readonly lines: string[] = [];
  private readonly origins: (LineOrigin | undefined)[] = [];
  private depth = 0;
  private lastComment = "";
  private origin: LineOrigin | undefined;
  /** The lines written from now on came from this .beldi position (none: from no statement). */
  from(span: Span | undefined): void {
    this.origin = span && { file: span.file, line: span.line, col: span.col };
  }
  /** A comment naming the source line, unless the previous one named the same line. */
  comment(text: string): void {
    if (text !== this.lastComment) this.line(text);
    this.lastComment = text;
  }
  line(text: string): void {
    this.lines.push("  ".repeat(this.depth) + text);
    this.origins.push(this.origin);
  }
  indent(body: () => void): void {
    this.depth++;
    body();
    this.depth--;
  }
  block(open: string, body: () => void, close = "}"): void {
    this.line(open);
    this.indent(body);
    this.line(close);
  }
  text(): string {
    return this.lines.join("\n");
  }
  /** Where each line came from, in order. */
  lineOrigins(): readonly (LineOrigin | undefined)[] {
    return this.origins;
  }
}
