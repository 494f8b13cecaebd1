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
  | { kind: "cmp"; op: CmpOp; left: Operand; right: Operand }
  | { kind: "exists"; field: string; negated: boolean }
  | { kind: "contains"; field: string; value: unknown }
  | { kind: "len"; field: string; op: CmpOp; value: number }
  | { kind: "and" | "or"; left: Cond; right: Cond }
  | { kind: "not"; operand: Cond }
  | { kind: "const"; value: boolean };

export interface UpdateSpec {
  sets: SetOp[];
  where?: Cond;
  /** sets every required field: creates the value when the key has none */
  upsert: boolean;
}
