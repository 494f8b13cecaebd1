// A deterministic failure of an invocation, with a code from the catalog (contract/errors.ts).
import { readFileSync } from "node:fs";
import { findSourceMap, SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorInfo } from "../contract/envelope.js";
import { RUNTIME_ERRORS, type RuntimeErrorKind } from "../contract/errors.js";

/** A deterministic failure of the running fn: recorded as its result, never retried. */
export class BeldiFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "BeldiFailure";
    this.code = code;
  }
  static of(kind: RuntimeErrorKind, message: string): BeldiFailure {
    return new BeldiFailure(RUNTIME_ERRORS[kind].code, message);
  }
  info(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

// What generated code and externs throw by themselves: JavaScript's own error classes. The
// runtime's failures, crashes and control flow are classes of its own (store, invoke, txn).
const CODE_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError];

/**
 * The fn's code threw `e` (a JavaScript error, deterministic on replay): as the fn's failure
 * (R0027), so it is recorded once rather than re-executed forever. Anything else: undefined.
 */
export function codeFailure(e: unknown, what: string): BeldiFailure | undefined {
  if (!thrownByCode(e)) return undefined;
  if (e instanceof ExternThrew) return BeldiFailure.of("threw", `${what}: extern fn ${e.extern} threw ${describe(e.cause)}`);
  return BeldiFailure.of("threw", `${what} threw ${describe(e)}`);
}

/** Whether the fn's code threw `e` (what codeFailure turns into R0027), without describing it. */
export function thrownByCode(e: unknown): boolean {
  return e instanceof ExternThrew || CODE_ERRORS.some((c) => e instanceof c);
}

/** An extern fn threw (anything: an extern is deterministic by its author's promise). */
export class ExternThrew extends Error {
  constructor(
    readonly extern: string,
    override readonly cause: unknown,
  ) {
    // (described with its .beldi line only where it becomes the fn's failure: codeFailure)
    super(`extern fn ${extern} threw ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    this.name = "ExternThrew";
  }
}

/** `TypeError: message`, and the .beldi line it was thrown at when the bundle's source map is loaded. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const at = beldiLine(e.stack ?? "");
  return `${e.name}: ${e.message}${at ? ` (at ${at})` : ""}`;
}

/**
 * The first frame of `stack` that maps to a .beldi line: as Node printed it (`--enable-source-maps`,
 * which the deploy template sets), else through the bundle's source map, the one Node loaded or
 * the `.map` file beside the bundle (read here, on this failure's path only).
 */
function beldiLine(stack: string): string | undefined {
  const printed = /([^\s()\\/]+\.beldi):(\d+):(\d+)/.exec(stack);
  if (printed) return `${printed[1]}:${printed[2]}:${printed[3]}`;
  for (const frame of stack.split("\n").slice(1, 12)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m) continue;
    // a loader that transformed the bundle (tsx) maps to the bundle first: follow up to 3 maps
    let at = { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
    for (let hop = 0; hop < 3; hop++) {
      const origin = sourceMapOf(at.file, hop)?.findOrigin(at.line, at.column);
      if (!origin || !("fileName" in origin)) break;
      if (origin.fileName.endsWith(".beldi")) return `${origin.fileName.split(/[\\/]/).pop()}:${origin.lineNumber}:${origin.columnNumber}`;
      if (origin.fileName === at.file) break;
      at = { file: origin.fileName, line: origin.lineNumber, column: origin.columnNumber };
    }
  }
  return undefined;
}

const readMaps = new Map<string, SourceMap | undefined>();

/** The map Node loaded for `file` (first hop only: a later hop is the file as written), or the one beside it. */
function sourceMapOf(file: string, hop: number): SourceMap | undefined {
  const loaded = hop === 0 ? findSourceMap(file) : undefined;
  if (loaded) return loaded;
  const path = file.startsWith("file://") ? fileURLToPath(file) : file;
  if (!/\.m?js$/.test(path)) return undefined;
  if (!readMaps.has(path)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, "utf8")));
    } catch {
      map = undefined; // no map beside it (or not ours): the message goes without a line
    }
    readMaps.set(path, map);
  }
  return readMaps.get(path);
}
