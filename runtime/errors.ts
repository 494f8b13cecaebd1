// A deterministic failure of an invocation, with a code from the catalog (contract/errors.ts).
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
  if (e instanceof ExternThrew) return BeldiFailure.of("threw", `${what}: extern fn ${e.extern} threw ${describe(e.cause)}`);
  if (!CODE_ERRORS.some((c) => e instanceof c)) return undefined;
  return BeldiFailure.of("threw", `${what} threw ${describe(e)}`);
}

/** An extern fn threw (anything: an extern is deterministic by its author's promise). */
export class ExternThrew extends Error {
  constructor(
    readonly extern: string,
    override readonly cause: unknown,
  ) {
    super(`extern fn ${extern} threw ${describe(cause)}`);
    this.name = "ExternThrew";
  }
}

/** `TypeError: message`, and the .beldi line it was thrown at when the stack is source-mapped to it. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const at = /([^\s()\\/]+\.beldi):(\d+):(\d+)/.exec(e.stack ?? "");
  return `${e.name}: ${e.message}${at ? ` (at ${at[1]}:${at[2]}:${at[3]})` : ""}`;
}
