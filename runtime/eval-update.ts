// `update ... set ... where ...` evaluated in memory, with the store's semantics: inside a
// transaction the key is locked, so its new value is computed here and written at commit.
// Matches DynamoDB (checked against DynamoDB Local): a comparison with an absent field is
// false, except `!=`, which holds; `len` counts characters; every `set` sees the old value.
import { BeldiFailure } from "./errors.js";
import { num, setOwn } from "./values.js";
import type { Cond, Operand, UpdateSpec } from "../contract/update-spec.js";
import type { Json, Record_ } from "../contract/json.js";

/** Structural equality with DynamoDB's typing (no null/absent coercion). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => same(x, (b as unknown[])[i]));
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  return ak.length === bk.length && ak.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === "==") return a !== undefined && b !== undefined && same(a, b);
  if (op === "!=") return !(a !== undefined && b !== undefined && same(a, b));
  if (a === undefined || b === undefined || typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function size(v: unknown): number | undefined {
  if (typeof v === "string") return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === "object") return Object.keys(v).length;
  return undefined;
}

export function evalCond(c: Cond, r: Record_ | null): boolean {
  const field = (f: string): unknown => (r && Object.hasOwn(r, f) ? r[f] : undefined);
  const operand = (o: Operand): unknown => ("field" in o ? field(o.field) : o.value);
  const isNullValue = (o: Operand) => "value" in o && (o.value === null || o.value === undefined);
  switch (c.kind) {
    case "cmp": {
      if (isNullValue(c.left) || isNullValue(c.right)) {
        const other = operand(isNullValue(c.left) ? c.right : c.left);
        const nullish = other === undefined || other === null;
        return c.op === "==" ? nullish : c.op === "!=" ? !nullish : false;
      }
      return compare(c.op, operand(c.left), operand(c.right));
    }
    case "exists":
      return (field(c.field) !== undefined) !== c.negated;
    case "contains": {
      const v = field(c.field);
      if (typeof v === "string") return typeof c.value === "string" && v.includes(c.value);
      if (Array.isArray(v)) return v.some((x) => same(x, c.value));
      return false;
    }
    case "len": {
      const n = size(field(c.field));
      return n !== undefined && compare(c.op, n, c.value);
    }
    case "and":
      return evalCond(c.left, r) && evalCond(c.right, r);
    case "or":
      return evalCond(c.left, r) || evalCond(c.right, r);
    case "not":
      return !evalCond(c.operand, r);
    case "const":
      return c.value;
  }
}

export type UpdateResult = { applied: false } | { applied: true; value: Record_ };

/**
 * Applies an update to `base` (null: the key has no value). Fails the fn with the same codes a
 * plain update would: R0003 for a missing value, R0009 for arithmetic on an absent field.
 */
export function applyUpdate(spec: UpdateSpec, base: Record_ | null, label: string): UpdateResult {
  const hasWhere = spec.where !== undefined;
  if (!base && !spec.upsert) {
    if (hasWhere) return { applied: false };
    throw BeldiFailure.of("updateMissing", `update of a missing value: ${label} has no value`);
  }
  if (spec.where && !evalCond(spec.where, base)) return { applied: false };
  const old: Record_ = base ?? {};
  const next: Record_ = { ...old };
  const current = (f: string, start: unknown) => {
    const v = Object.hasOwn(old, f) ? old[f] : undefined;
    if (v !== undefined) return v;
    if (start !== undefined) return start;
    throw BeldiFailure.of(
      "absentField",
      `an arithmetic update found no stored value for field ${f} of ${label} (write \`(${f} ?? 0) + ...\` to start from a default)`,
    );
  };
  for (const s of spec.sets) {
    switch (s.op) {
      case "assign":
        if (s.value === null || s.value === undefined) delete next[s.field];
        else setOwn(next, s.field, s.value as Json);
        break;
      case "add": {
        const v = current(s.field, s.start);
        if (typeof v !== "number") throw BeldiFailure.of("storeRejected", `${label}: field ${s.field} is not a number`);
        setOwn(next, s.field, num(v + s.delta));
        break;
      }
      case "coalesce":
        if (!Object.hasOwn(old, s.field)) setOwn(next, s.field, s.value as Json);
        break;
      case "append": {
        const v = current(s.field, s.start);
        if (!Array.isArray(v)) throw BeldiFailure.of("storeRejected", `${label}: field ${s.field} is not a list`);
        setOwn(next, s.field, [...v, ...(s.items as Json[])]);
        break;
      }
    }
  }
  return { applied: true, value: next };
}
