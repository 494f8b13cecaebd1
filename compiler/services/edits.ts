// Text edits as the services return them: a span of one file and its new text.
import type { SourceText, Span } from "../../grammar/span.js";

export interface TextEdit {
  span: Span;
  newText: string;
}

/** The files with the edits applied (edits of one file must not overlap). */
export function applyEdits(files: SourceText[], edits: TextEdit[]): SourceText[] {
  return files.map((f) => {
    const mine = edits.filter((e) => e.span.file === f.path).sort((a, b) => b.span.offset - a.span.offset);
    let text = f.text;
    for (const e of mine) text = text.slice(0, e.span.offset) + e.newText + text.slice(e.span.endOffset);
    return { path: f.path, text };
  });
}
