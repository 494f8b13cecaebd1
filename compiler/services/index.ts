// The language services: editor-independent answers over the parser's and checker's results,
// one file per question (position in, answer out). Offsets are 0-based UTF-16 code units, as in
// spans; every function is pure apart from analyzing, and none throws on any input.
export { analyzeProject, takeServiceFailures, type Project } from "./project.js";
export { occurrences, occurrenceAt, type Occurrence, type Target } from "./occurrences.js";
export { definition, references } from "./navigate.js";
export { hover, type HoverAnswer } from "./hover.js";
export { completions, type CompletionItem, type CompletionKind } from "./complete.js";
export { outline, type OutlineSymbol } from "./outline.js";
export { prepareRename, rename, type PrepareAnswer, type RenameAnswer } from "./rename.js";
export { quickFixes, type QuickFix } from "./fixes.js";
export { signatureHelp, type SignatureAnswer } from "./signature.js";
export { applyEdits, type TextEdit } from "./edits.js";
export { BUILTINS } from "./describe.js";
