// Our spans ↔ LSP ranges. Spans have 1-based lines and columns counting UTF-16 code units, and
// break lines at `\n`, `\r\n` and a lone `\r`, as LSP does; LSP positions are 0-based.
import type { Diagnostic as LspDiagnostic, Range, TextEdit as LspTextEdit } from "vscode-languageserver";
import { DiagnosticSeverity } from "vscode-languageserver";
import type { Diagnostic, Span } from "../grammar/span.js";
import type { QuickFix } from "../compiler/services/index.js";

export function toRange(s: Span): Range {
  return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: s.endLine - 1, character: s.endCol - 1 } };
}

/** What a published diagnostic carries back to us in a code action request. */
export interface DiagnosticData {
  fixes: { title: string; edits: { uri: string; edit: LspTextEdit }[] }[];
}

/** A diagnostic as `beldi check` words it: the message, then the hint. */
export function toLspDiagnostic(d: Diagnostic, fixes: QuickFix[], uriOf: (file: string) => string): LspDiagnostic {
  const data: DiagnosticData = {
    fixes: fixes.map((f) => ({
      title: f.title,
      edits: f.edits.map((e) => ({ uri: uriOf(e.span.file), edit: { range: toRange(e.span), newText: e.newText } })),
    })),
  };
  return {
    range: toRange(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "beldi",
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    data,
  };
}
