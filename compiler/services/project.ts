// An app as the language services see it: its sources, what `check` found (diagnostics, syntax
// trees, the checker's side table) and a line index per file. Every service answers from one.
import { LineIndex } from "../../grammar/position.js";
import type { SourceText } from "../../grammar/span.js";
import { analyze, type Analysis, type CompileOptions } from "../index.js";

export interface Project {
  /** the sources, as given (paths as the spans name them) */
  files: SourceText[];
  options: CompileOptions;
  analysis: Analysis;
  texts: Map<string, string>;
  lines: Map<string, LineIndex>;
}

/** Parses and checks every file of an app. Never throws (analyze does not). */
export function analyzeProject(files: SourceText[], options: CompileOptions = {}): Project {
  const analysis = analyze(files, options);
  return {
    files,
    options,
    analysis,
    texts: new Map(files.map((f) => [f.path, f.text])),
    lines: new Map(files.map((f) => [f.path, new LineIndex(f.path, f.text)])),
  };
}

/** The span of `[offset, endOffset)` in a file of the project (empty at 1:1 when the file is unknown). */
export function spanIn(project: Project, file: string, offset: number, endOffset: number) {
  return (project.lines.get(file) ?? new LineIndex(file, "")).span(offset, endOffset);
}

const failures: unknown[] = [];

/** Runs a service; on any internal failure answers `fallback` (the services never throw) and keeps the error for tests. */
export function guard<R>(fallback: R, answer: () => R): R {
  try {
    return answer();
  } catch (e) {
    if (failures.length < 100) failures.push(e);
    return fallback;
  }
}

/** The internal failures `guard` hid since the last call (a test asserts there were none). */
export function takeServiceFailures(): unknown[] {
  return failures.splice(0);
}
