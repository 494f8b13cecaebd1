// Rendering diagnostics for people (`path:line:col: error[E0123]: message`, the source line,
// a caret line, a hint) and for build pipelines (`--format json`).
import type { Diagnostic } from "../grammar/span.js";

/**
 * One diagnostic as text:
 *
 *     travel.beldi:7:12: error[E0201]: `h` may be null here, so `.cap` cannot be read
 *        7 |     if h.cap <= 0 { return false }
 *          |          ^^^
 *       hint: check for null first (`if h == null { ... }`), or give a default with `??`
 *
 * `sourceText` is the text of the diagnostic's file; without it (or when the line is out of
 * range) only the first line and the hint are printed.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const { span } = d;
  const out = [`${span.file}:${span.line}:${span.col}: ${d.severity}[${d.code}]: ${d.message}`];
  const lines = sourceText === undefined ? [] : sourceText.split(/\r\n|\r|\n/);
  const line = lines[span.line - 1];
  if (line !== undefined) {
    const num = String(span.line);
    const gutter = " ".repeat(num.length);
    const start = Math.max(1, Math.min(span.col, line.length + 1));
    const end = span.endLine === span.line ? Math.min(span.endCol, line.length + 1) : line.length + 1;
    const width = Math.max(1, end - start);
    // keep tabs so the caret lines up under tab-indented source
    const pad = line.slice(0, start - 1).replace(/[^\t]/g, " ");
    out.push(`${num} | ${line}`);
    out.push(`${gutter} | ${pad}${"^".repeat(width)}`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join("\n");
}

/** Several diagnostics, each with its file's text from `sources` (by path), blank-line separated. */
export function formatDiagnostics(ds: Diagnostic[], sources: Record<string, string> | Map<string, string>): string {
  const get = (p: string) => (sources instanceof Map ? sources.get(p) : sources[p]);
  return ds.map((d) => formatDiagnostic(d, get(d.span.file))).join("\n\n");
}

export interface DiagnosticJson {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  severity: "error" | "warning";
  code: string;
  message: string;
  hint: string | null;
}

/** The `--format json` form: an array of plain objects (pass it to JSON.stringify). */
export function diagnosticsToJson(ds: Diagnostic[]): DiagnosticJson[] {
  return ds.map((d) => ({
    file: d.span.file,
    line: d.span.line,
    col: d.span.col,
    endLine: d.span.endLine,
    endCol: d.span.endCol,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
  }));
}
