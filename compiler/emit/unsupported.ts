import type { Span } from "../../grammar/span.js";

/** A construct the checker accepts but this version's runtime cannot run yet (reported as E0998). */
export class UnsupportedConstruct extends Error {
  constructor(
    readonly construct: string,
    readonly span: Span,
  ) {
    super(`\`${construct}\` is not supported by this version's runtime yet`);
  }
}
