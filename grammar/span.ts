/** A range of source text. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  offset: number;
  endOffset: number;
}

/** A problem found in a program: a stable code, plain words, where, and how to fix it. */
export interface Diagnostic {
  /** `E` + 4 digits for errors, `W` + 4 digits for warnings; never reused for another meaning. */
  code: string;
  severity: "error" | "warning";
  message: string;
  span: Span;
  /** How to fix it, when we know. */
  hint?: string;
}

/** A source file handed to the front end. */
export interface SourceText {
  path: string;
  text: string;
}
