import { eq } from "./values.js";

// What generated code passes for `update T[k] set ... where ...`: the IR's IrSet/IrCond with
// local expressions already evaluated to values.

export type CmpOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type SetOp =
  /** `f = e`; null/undefined removes an optional field */
  | { field: string; op: "assign"; value: unknown }
  /** `f = f + d` / `f = f - e` (d = -e) / `f = (f ?? start) + d` */
  | { field: string; op: "add"; delta: number; start?: number }
  /** `f = f ?? e` */
  | { field: string; op: "coalesce"; value: unknown }
  /** `f = f + xs` / `f = (f ?? start) + xs` */
  | { field: string; op: "append"; items: unknown[]; start?: unknown[] };

export type Operand = { field: string } | { value: unknown };

export type Cond =
  | { k: "cmp"; op: CmpOp; left: Operand; right: Operand }
  | { k: "exists"; field: string; negated: boolean }
  | { k: "contains"; field: string; value: unknown }
  | { k: "len"; field: string; op: CmpOp; value: number }
  | { k: "and" | "or"; left: Cond; right: Cond }
  | { k: "not"; operand: Cond }
  | { k: "const"; value: boolean };

export interface UpdateSpec {
  sets: SetOp[];
  where?: Cond;
  /** sets every required field: creates the value when the key has none */
  upsert: boolean;
}

/** Folds constant sub-conditions away; the result is `const` only when the whole condition is. */
export function foldCond(c: Cond): Cond {
  switch (c.k) {
    case "and":
    case "or": {
      const l = foldCond(c.left);
      const r = foldCond(c.right);
      const absorbing = c.k === "or";
      if (l.k === "const") return l.value === absorbing ? l : r;
      if (r.k === "const") return r.value === absorbing ? r : l;
      return { k: c.k, left: l, right: r };
    }
    case "cmp": {
      if ("value" in c.left && "value" in c.right) return { k: "const", value: compareValues(c.op, c.left.value, c.right.value) };
      return c;
    }
    case "not": {
      const o = foldCond(c.operand);
      return o.k === "const" ? { k: "const", value: !o.value } : { k: "not", operand: o };
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
