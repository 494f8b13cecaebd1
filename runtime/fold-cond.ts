// Constant folding of `where` conditions, before they become store condition expressions.
import type { CmpOp, Cond } from "../contract/update-spec.js";
import { eq } from "./values.js";

/** Folds constant sub-conditions away; the result is `const` only when the whole condition is. */
export function foldCond(c: Cond): Cond {
  switch (c.kind) {
    case "and":
    case "or": {
      const l = foldCond(c.left);
      const r = foldCond(c.right);
      const absorbing = c.kind === "or";
      if (l.kind === "const") return l.value === absorbing ? l : r;
      if (r.kind === "const") return r.value === absorbing ? r : l;
      return { kind: c.kind, left: l, right: r };
    }
    case "cmp": {
      if ("value" in c.left && "value" in c.right) return { kind: "const", value: compareValues(c.op, c.left.value, c.right.value) };
      return c;
    }
    case "not": {
      const o = foldCond(c.operand);
      return o.kind === "const" ? { kind: "const", value: !o.value } : { kind: "not", operand: o };
    }
    default:
      return c;
  }
}

function compareValues(op: CmpOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==":
      return eq(a, b);
    case "!=":
      return !eq(a, b);
    default: {
      if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
    }
  }
}
