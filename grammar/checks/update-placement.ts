// E0008: `update` where it may not stand. It may be a statement, the value of `let`/`var`/`=`, a
// `return` value or an `if`/`while` condition; anywhere else it is reported, once: the updates
// inside a misplaced one's `set` values and `where` are not reported again.
import type { Expr } from "../ast.js";
import { SYNTAX } from "../diagnostics.js";
import type { Span } from "../span.js";
import type { Check, Place } from "./check.js";

interface Standing {
  /** may an `update` stand here */
  ok: boolean;
  /** inside a misplaced `update` (already reported) */
  quiet: boolean;
}

const NESTED: Standing = { ok: false, quiet: false };

/** The span of the keyword that starts a node's span (keywords are on one line). */
function keywordAt(span: Span, word: string): Span {
  return { ...span, endLine: span.line, endCol: span.col + word.length, endOffset: span.offset + word.length };
}

export const updatePlacement: Check = ({ report }) => {
  const standing = new WeakMap<Expr, Standing>();
  const standingAt = (place: Place): Standing => {
    switch (place.of) {
      case "assignTarget":
        return { ok: true, quiet: false };
      case "stmt": {
        const { stmt, part } = place;
        const ok = stmt.kind === "let" || stmt.kind === "assign" || stmt.kind === "expr" || stmt.kind === "return" || part === "cond";
        return { ok, quiet: false };
      }
      case "expr": {
        const outer = standing.get(place.expr) ?? NESTED;
        switch (place.part) {
          // `if a = b {` read as `a == b`: `a` is still the condition
          case "left":
            return place.expr.kind === "binary" && place.expr.mistakenEq ? outer : { ok: false, quiet: outer.quiet };
          case "right":
          case "operand":
          case "object":
          case "callee":
            return { ok: false, quiet: outer.quiet };
          case "setValue":
          case "where":
            return { ok: false, quiet: outer.quiet || !outer.ok };
          default:
            return NESTED;
        }
      }
    }
  };
  return {
    expr(e, place) {
      const here = standingAt(place);
      standing.set(e, here);
      if (e.kind !== "update" || here.ok || here.quiet) return;
      report(
        SYNTAX.E0008,
        keywordAt(e.span, "update"),
        "`update` cannot stand here: it may only be a statement, the value of `let`/`var`/`=`, a `return` value, or an `if`/`while` condition",
        "give it its own `let`: `let ok = update T[k] set ... where ...`, then use `ok`",
      );
    },
  };
};
