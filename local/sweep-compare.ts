// What a sweep compares after each run: the invocation's result and every row of every table
// (after putting the run's now()/uuid()/random() values back to the reference's), and the locks
// left on data rows once everything finished (none, when the protocol holds).
import type { Json } from "../contract/json.js";
import { tableNames } from "../contract/schema.js";
import { canonical } from "../runtime/values.js";
import type { InvokeResult, LocalStack } from "./stack.js";

/** `service.table` -> key -> value, every current row of the app's tables. */
export type Tables = Record<string, Record<string, Json>>;

/** A row whose value differs from the uncrashed run's (null: the row is absent in that run). */
export interface RowDifference {
  table: string;
  key: string;
  expected: Json | null;
  got: Json | null;
}

/** How one run compares with the reference. */
export interface Comparison {
  /** the result the run's client got in the end */
  result: InvokeResult;
  resultEqual: boolean;
  /** rows that differ, by table and key */
  rows: RowDifference[];
  /** lock attributes left on data rows (`service.table[key] attr=value`) */
  locks: string[];
  /** what else went wrong: recovery that never finished, a user check that threw */
  problem?: string;
  /** nothing differs */
  ok: boolean;
}

export async function tablesOf(stack: LocalStack): Promise<Tables> {
  const out: Tables = {};
  for (const s of stack.app.ir.services) {
    for (const t of s.tables) {
      const rows: Record<string, Json> = {};
      for (const r of await stack.scan(s.name, t.name)) Object.defineProperty(rows, r.key, { value: r.value, enumerable: true });
      out[`${s.name}.${t.name}`] = rows;
    }
  }
  return out;
}

/** Lock attributes left on the data rows of the stack's tables (`LW`, `RC` > 0, `r_*`). */
export async function locksLeft(stack: LocalStack): Promise<string[]> {
  const left: string[] = [];
  for (const s of stack.app.ir.services) {
    for (const t of s.tables) {
      for (const row of await stack.rawItems(tableNames.data(stack.prefix, stack.app.ir.app, s.name, t.name))) {
        for (const [attr, v] of Object.entries(row)) {
          if (attr === "LW" || attr.startsWith("r_") || (attr === "RC" && v !== 0))
            left.push(`${s.name}.${t.name}[${JSON.stringify(row.K)}] ${attr}=${JSON.stringify(v)}`);
        }
      }
    }
  }
  return left;
}

export const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Rows that differ between the expected tables and the ones got, in table then key order. */
export function rowDifferences(expected: Tables, got: Tables): RowDifference[] {
  const out: RowDifference[] = [];
  for (const table of [...new Set([...Object.keys(expected), ...Object.keys(got)])].sort()) {
    const e = expected[table] ?? {};
    const g = got[table] ?? {};
    for (const key of [...new Set([...Object.keys(e), ...Object.keys(g)])].sort()) {
      const want = Object.hasOwn(e, key) ? e[key]! : null;
      const have = Object.hasOwn(g, key) ? g[key]! : null;
      if (!same(want, have)) out.push({ table, key, expected: want, got: have });
    }
  }
  return out;
}
