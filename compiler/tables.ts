// The tables of an app, with keys and indexes: per service one table per declared table (DAAL
// rows), its log and its intents, each with the sparse index GC finds its work through (and
// intents with the index of pending ones for the collector). The local stack creates them
// (local/tables.ts); the deploy template declares them (deploy.ts).
import { tableNames } from "../contract/schema.js";
import { GC_INDEX, GC_SHARD, GC_TIME, PENDING_INDEX, PENDING_SHARD } from "../contract/schema.js";
import type { IrProgram } from "./ir.js";

export interface IndexSpec {
  name: string;
  hash: string;
  range: string;
  /** KEYS_ONLY, or ALL */
  projection: "KEYS_ONLY" | "ALL";
}

export interface TableSpec {
  name: string;
  /** whose rows it holds: a declared table's (user data), a service's log, or its intents */
  kind: "data" | "log" | "intent";
  /** the service it belongs to */
  service: string;
  hash: string;
  range?: string;
  indexes: IndexSpec[];
}

const gcIndex: IndexSpec = { name: GC_INDEX, hash: GC_SHARD, range: GC_TIME, projection: "KEYS_ONLY" };
const pendingIndex: IndexSpec = { name: PENDING_INDEX, hash: PENDING_SHARD, range: "ST", projection: "ALL" };

/** Every table an app uses, with its key schema and indexes. */
export function appTables(ir: IrProgram, prefix: string): TableSpec[] {
  const out: TableSpec[] = [];
  for (const s of ir.services) {
    for (const t of s.tables)
      out.push({
        name: tableNames.data(prefix, ir.app, s.name, t.name),
        kind: "data",
        service: s.name,
        hash: "K",
        range: "R",
        indexes: [gcIndex],
      });
    out.push({ name: tableNames.log(prefix, ir.app, s.name), kind: "log", service: s.name, hash: "I", range: "S", indexes: [gcIndex] });
    out.push({
      name: tableNames.intent(prefix, ir.app, s.name),
      kind: "intent",
      service: s.name,
      hash: "I",
      indexes: [gcIndex, pendingIndex],
    });
  }
  return out;
}

/** The CreateTable parameters of a table (also used by the deploy template). */
export function createTableInput(t: TableSpec) {
  const attrs = new Map<string, "S" | "N">([[t.hash, "S"]]);
  if (t.range) attrs.set(t.range, "S");
  for (const i of t.indexes) {
    attrs.set(i.hash, "N");
    attrs.set(i.range, "N");
  }
  return {
    TableName: t.name,
    BillingMode: "PAY_PER_REQUEST" as const,
    KeySchema: [
      { AttributeName: t.hash, KeyType: "HASH" as const },
      ...(t.range ? [{ AttributeName: t.range, KeyType: "RANGE" as const }] : []),
    ],
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    GlobalSecondaryIndexes: t.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.hash, KeyType: "HASH" as const },
        { AttributeName: i.range, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: i.projection },
    })),
  };
}
