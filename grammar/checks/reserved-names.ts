// E0010: a reserved word used as a name. The parser takes a reserved word where a name is
// expected (so that it can say this), and the name keeps the word as written.
import { SYNTAX } from "../diagnostics.js";
import { RESERVED_WORDS } from "../lexer.js";
import type { Check } from "./check.js";

const RESERVED = new Set<string>(RESERVED_WORDS);

export const reservedNames: Check = ({ report }) => ({
  name(id) {
    if (!RESERVED.has(id.name)) return;
    report(
      SYNTAX.E0010,
      id.span,
      `\`${id.name}\` is a reserved word and cannot be used as a name`,
      `choose another name (for example \`${id.name}_\` or a longer word)`,
    );
  },
});
