// Lines of generated code, indented, each remembering the .beldi position it came from (for the
// handler's source map). The code is written laid out (no formatter runs over it): indentation
// here, spacing by the templates, and `{  }` with nothing inside closed up (`tidy`).
// test/emit-tidy.test.ts checks TypeScript's formatter finds nothing else to change.
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
    this.lines.push("  ".repeat(this.depth) + tidy(text));
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

const EMPTY_BRACES = /\{ +\}/;

/**
 * A line of code with every `{  }` (an empty object, block or type written by a template that
 * joins nothing) closed up to `{}`, except inside string literals and `//` comments, which are
 * copied as they are: generated code writes strings as JSON (double quotes, one line).
 */
export function tidy(line: string): string {
  if (!EMPTY_BRACES.test(line)) return line;
  let out = "";
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === "\\" ? 2 : 1;
      out += line.slice(i, j + 1);
      i = j + 1;
    } else if (c === "/" && line[i + 1] === "/") {
      return out + line.slice(i);
    } else if (c === "{") {
      let j = i + 1;
      while (line[j] === " ") j++;
      out += line[j] === "}" && j > i + 1 ? "{}" : line.slice(i, j);
      i = line[j] === "}" && j > i + 1 ? j + 1 : j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
