// E0019: a `wait`'s signal name must be a string literal of 1 to 200 characters (LANGUAGE.md §9),
// so every execution of an instance waits for the same name. The parser takes any expression
// there, so a name written without quotes is this one diagnostic and the parse goes on.
import { SYNTAX } from "../diagnostics.js";
import type { Check } from "./check.js";

/** The longest signal name the runtime keeps (contract/errors.ts badSignal, R0025). */
export const MAX_SIGNAL_NAME = 200;

export const waitName: Check = ({ report }) => ({
  expr(e) {
    if (e.kind !== "wait") return;
    let name = e.name;
    while (name.kind === "paren") name = name.inner;
    if (name.kind === "string") {
      const chars = [...name.value].length;
      if (chars === 0) report(SYNTAX.E0019, name.span, "a signal's name cannot be empty", 'name the signal: `wait "paid" as T`');
      else if (chars > MAX_SIGNAL_NAME)
        report(SYNTAX.E0019, name.span, `this signal name has ${chars} characters; a signal's name has at most ${MAX_SIGNAL_NAME}`);
      return;
    }
    // a missing name (`wait as T`) is a parse error already: it shows as a zero-width `null`
    if (name.kind === "null" && name.span.offset === name.span.endOffset) return;
    const hint =
      name.kind === "name"
        ? `write the name in quotes: \`wait "${name.name}" as T\` (a signal's name is fixed in the program, not a value)`
        : undefined;
    report(SYNTAX.E0019, name.span, "the signal `wait` waits for is named by a string literal", hint);
  },
});
