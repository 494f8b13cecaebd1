// A table modification (write, delete, update ... where) planned as the parts of one
// conditional UpdateItem, and the outcomes to log when its condition fails. Pure: no store.
import type { Record_ } from "../contract/json.js";
import { EXISTS, valueAttr } from "../contract/schema.js";
import type { UpdateSpec } from "../contract/update-spec.js";
import { toAttr } from "./codec.js";
import { and, not, renderCond, type ExprBuilder } from "./expr.js";
import { foldCond } from "./fold-cond.js";
import type { DataTable } from "./rows.js";

/** What a logged table operation did; a replay gets the same answer from the log entry. */
export type Outcome = { kind: "applied" } | { kind: "cond"; value: boolean } | { kind: "error"; code: string; message: string };

export type Modification = { kind: "write"; value: Record_ } | { kind: "delete" } | { kind: "update"; spec: UpdateSpec };

/** A planned modification: the effect and the outcomes to log when its condition fails. */
export interface Plan {
  /** the update expression parts of the effect (without bookkeeping) */
  set: string[];
  remove: string[];
  /** condition of the effect beyond the base */
  cond: string | null;
  /** the outcome the effect has */
  success: Outcome;
  /** when the effect is refused: outcomes that may hold instead, each with its condition */
  alternatives: { cond: string; outcome: Outcome }[];
  /** a `where` that folded to false: log `false` without touching the value */
  constantFalse: boolean;
}

export function planModification(b: ExprBuilder, t: DataTable, key: string, mod: Modification): Plan {
  const exists = `attribute_exists(${b.n(EXISTS)})`;
  const attr = (f: string) => b.n(valueAttr(f));
  switch (mod.kind) {
    case "write": {
      const set = [`${b.n(EXISTS)} = ${b.v(true)}`];
      const remove: string[] = [];
      for (const f of t.fields) {
        const v = mod.value[f];
        if (v === undefined || v === null) remove.push(attr(f));
        else set.push(`${attr(f)} = ${b.v(v)}`);
      }
      return { set, remove, cond: null, success: { kind: "applied" }, alternatives: [], constantFalse: false };
    }
    case "delete":
      return {
        set: [],
        remove: [b.n(EXISTS), ...t.fields.map(attr)],
        cond: null,
        success: { kind: "applied" },
        alternatives: [],
        constantFalse: false,
      };
    case "update": {
      const spec = mod.spec;
      const where = spec.where ? foldCond(spec.where) : null;
      const hasWhere = spec.where !== undefined;
      if (where?.kind === "const" && !where.value) {
        return { set: [], remove: [], cond: null, success: { kind: "cond", value: false }, alternatives: [], constantFalse: true };
      }
      const set: string[] = [`${b.n(EXISTS)} = ${b.v(true)}`];
      const remove: string[] = [];
      const mustExist: string[] = [];
      for (const s of spec.sets) {
        const f = attr(s.field);
        switch (s.op) {
          case "assign":
            if (s.value === null || s.value === undefined) remove.push(f);
            else set.push(`${f} = ${b.v(s.value)}`);
            break;
          case "add":
            if (s.start === undefined) mustExist.push(f);
            set.push(`${f} = ${s.start === undefined ? f : `if_not_exists(${f}, ${b.v(s.start)})`} + ${b.v(s.delta)}`);
            break;
          case "coalesce":
            set.push(`${f} = if_not_exists(${f}, ${b.v(s.value)})`);
            break;
          case "append":
            if (s.start === undefined) mustExist.push(f);
            set.push(`${f} = list_append(${s.start === undefined ? f : `if_not_exists(${f}, ${b.v(s.start)})`}, ${b.v(s.items)})`);
            break;
        }
      }
      const required = spec.upsert ? null : exists;
      const user = where && where.kind !== "const" ? renderCond(b, where, valueAttr) : null;
      const present = mustExist.length ? and(...mustExist.map((f) => `attribute_exists(${f})`)) : null;
      const absentMsg = `an arithmetic update found no stored value for field ${
        spec.sets.find((s) => (s.op === "add" || s.op === "append") && s.start === undefined)?.field
      } (write \`(field ?? 0) + ...\` to start from a default)`;
      const alternatives: Plan["alternatives"] = [];
      const holds = and(required, user);
      if (hasWhere && holds) {
        alternatives.push({ cond: not(holds), outcome: { kind: "cond", value: false } });
      } else if (!hasWhere && required) {
        alternatives.push({
          cond: not(required),
          outcome: { kind: "error", code: "R0003", message: `update of a missing value: ${t.label}[${JSON.stringify(key)}] has no value` },
        });
      }
      if (present) {
        alternatives.push({ cond: and(required, user, not(present)), outcome: { kind: "error", code: "R0009", message: absentMsg } });
      }
      return {
        set,
        remove,
        cond: and(required, user, present) || null,
        success: hasWhere ? { kind: "cond", value: true } : { kind: "applied" },
        alternatives,
        constantFalse: false,
      };
    }
  }
}

export { toAttr };
