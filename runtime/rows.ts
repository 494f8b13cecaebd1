// A data table's head row as the DAAL and the locks both read it: the table's physical name and
// fields, the value a row holds, and whether a transaction holds it.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Record_ } from "../contract/json.js";
import { LOCK_HOLDER, SHARED_COUNT, valueAttr } from "../contract/schema.js";
import { fromAttr } from "./codec.js";
import type { ExprBuilder } from "./expr.js";
import { setOwn } from "./values.js";

type Item = Record<string, AttributeValue>;

/** The physical table behind a declared table. */
export interface DataTable {
  name: string;
  /** the table's name in the program */
  label: string;
  /** declared field names of the value type */
  fields: string[];
  /** the fields declared `f?: T`: a row may lack them (absent: none) */
  mayBeAbsent?: readonly string[];
}

/**
 * The value a row holds. A null field is stored as an absent attribute (writes remove it, and
 * conditions read it so: expr.ts), so an absent field reads back as null, unless it is declared
 * `f?: T`: then it stays absent, as it was written.
 */
export function recordOf(t: DataTable, item: Item): Record_ {
  const out: Record_ = {};
  for (const f of t.fields) {
    const a = item[valueAttr(f)];
    if (a !== undefined) setOwn(out, f, fromAttr(a));
    else if (!t.mayBeAbsent?.includes(f)) setOwn(out, f, null);
  }
  return out;
}

/** Whether an item is locked by any transaction (plain writes wait for such keys). */
export function isLocked(item: Item | undefined): boolean {
  return !!item?.[LOCK_HOLDER] || Number(item?.[SHARED_COUNT]?.N ?? 0) > 0;
}

/** The condition a plain write adds: no transaction holds the key. */
export function lockFree(b: ExprBuilder): string {
  return `attribute_not_exists(${b.n(LOCK_HOLDER)}) AND (attribute_not_exists(${b.n(SHARED_COUNT)}) OR ${b.n(SHARED_COUNT)} = ${b.v(0)})`;
}
