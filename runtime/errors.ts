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
