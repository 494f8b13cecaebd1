// E0009: a record literal in the header of an `if`, `while` or `for` (where `{` opens the body),
// unless brackets enclose it. The parser takes it as a record only when what follows it continues
// the header; this says to parenthesize it.
import type { Expr } from "../ast.js";
import { SYNTAX } from "../diagnostics.js";
import { showText } from "../lexer.js";
import type { Check, Place } from "./check.js";

type Header = "if" | "while" | "for" | null;

export const headerRecordLiteral: Check = ({ text, report }) => {
  const header = new WeakMap<Expr, Header>();
  const headerAt = (place: Place): Header => {
    switch (place.of) {
      case "assignTarget":
        return null;
      case "stmt":
        if (place.part === "iter") return "for";
        return place.part === "cond" && (place.stmt.kind === "if" || place.stmt.kind === "while") ? place.stmt.kind : null;
      case "expr":
        switch (place.part) {
          // operands, suffixes and an `update`'s values stay in the header; brackets end it
          case "left":
          case "right":
          case "operand":
          case "object":
          case "callee":
          case "setValue":
          case "where":
            return header.get(place.expr) ?? null;
          default:
            return null;
        }
    }
  };
  return {
    expr(e, place) {
      const where = headerAt(place);
      header.set(e, where);
      if (e.kind !== "record" || !where) return;
      const what = where === "for" ? "the header of a `for`" : `the condition of \`${where}\``;
      report(
        SYNTAX.E0009,
        e.span,
        `a record literal cannot stand in ${what} without parentheses: there \`{\` opens the body`,
        `wrap the record in parentheses: \`(${showText(text.slice(e.span.offset, e.span.endOffset), 40)})\``,
      );
    },
  };
};
