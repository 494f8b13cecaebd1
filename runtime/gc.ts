// Garbage collection, one pass per service (DESIGN.md §2 "GC"): log entries in data rows, log
// batches and intents of call trees whose root finished more than the window T ago.
//
// Work is found through the sparse GC index (gc-index.ts), never by scanning a table, so a
// pass costs requests in proportion to what there is to collect, not to table size. A tree is
// collectible when its root's intents (the same id may be a root in several services) are all
// done and finished before now - T, or when no service has one any more (roots.ts). Every step
// is idempotent and conditional, so passes may race each other and live instances: a row
// changed since it was read is left for the next pass.
//
// What GC takes away, it fences: a head it removes entries from (or whose archive it deletes)
// gets `FW` = the pass's clock, so a straggler of a collected tree cannot write again (daal.ts);
// a finished intent becomes a tombstone (intent.ts), so a late event or retry does not run it
// again. Tombstones go after TOMBSTONE_RETENTION_MS (on AWS the table's TTL also removes them).
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { DataTable } from "./rows.js";
import { and, counterIs, ExprBuilder } from "./expr.js";
import {
  GC_INDEX,
  GC_SHARD,
  GC_SHARDS,
  GC_TIME,
  INTENT_CLAIMED,
  INTENT_FIRST_LOG,
  INTENT_NONCE,
  INTENT_ID,
  INTENT_INPUT,
  INTENT_RESULT,
  TOMBSTONE,
  TOMBSTONE_EXPIRES,
  INTENT_SIGNALS,
  INTENT_WAITING,
  tombstoneShard,
} from "../contract/schema.js";
import { TOMBSTONE_RETENTION_MS } from "./intent.js";
import { CLAIM_STEP } from "./log.js";
import { toAttr } from "./codec.js";
import { isSpawnedId, rootOf } from "../contract/ids.js";
import { tableNames } from "../contract/schema.js";
import { Roots } from "./roots.js";
import type { ServiceRuntime } from "./service-runtime.js";
import { errorName, type Store } from "./store.js";
import { COUNT, FENCE, HEAD, headKey, LOG_PREFIX, PINNED_PREFIX, VERSION } from "../contract/schema.js";

type Item = Record<string, AttributeValue>;

export interface GcStats {
  /** data rows looked at (from the index) */
  rows: number;
  /** log entries removed from data rows */
  entries: number;
  /** archive rows deleted */
  archives: number;
  /** log batches deleted */
  logs: number;
  /** intents collected (left as tombstones) */
  intents: number;
  /** tombstones deleted after their retention */
  tombstones: number;
  /** rows left for a later pass because they changed while we looked */
  deferred: number;
}

/** Removes at most this many attributes per UpdateItem (expressions are limited to 4 KB). */
const REMOVE_CHUNK = 80;

/** The instance that wrote a log entry attribute (`l_<instance>#<step>` or `q_...`). */
function entryRoot(attr: string): string {
  const cid = attr.slice(2);
  return rootOf(cid.slice(0, cid.indexOf("#")));
}

const isEntry = (a: string) => a.startsWith(LOG_PREFIX) || a.startsWith(PINNED_PREFIX);

/** Keys of a table's items in the GC index older than the cutoff (in the given shards). */
async function candidates(store: Store, table: string, cutoff: number, shards = [...Array(GC_SHARDS).keys()]): Promise<Item[]> {
  const out: Item[] = [];
  for (const shard of shards) {
    let start: Item | undefined;
    do {
      const r = await store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new QueryCommand({
          TableName: table,
          IndexName: GC_INDEX,
          KeyConditionExpression: `${GC_SHARD} = :s AND ${GC_TIME} < :t`,
          ExpressionAttributeValues: { ":s": { N: String(shard) }, ":t": { N: String(cutoff) } },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
  }
  return out;
}

/** Whole items by key, strongly consistent, 100 per request. */
async function getAll(store: Store, table: string, keys: Item[]): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> = {
      [table]: { Keys: keys.slice(i, i + 100), ConsistentRead: true },
    };
    for (let attempt = 0; Object.keys(request).length; attempt++) {
      const r = await store.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: typeof request }>(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      out.push(...(r.Responses?.[table] ?? []));
      request = (r.UnprocessedKeys ?? {}) as typeof request;
      if (attempt > 20) throw new Error("GC: the store keeps leaving reads unprocessed");
    }
  }
  return out;
}

/** Removes a row's collectible entries (roots already resolved); deletes an archive left empty. */
async function cleanRow(store: Store, t: DataTable, item: Item, roots: Roots, now: number, fenceAt: number, stats: GcStats): Promise<void> {
  const entries = Object.keys(item).filter(isEntry);
  const removable = entries.filter((a) => roots.finished(entryRoot(a)));
  const isHead = item.R?.S === HEAD;
  if (!isHead && removable.length === entries.length) {
    // An archive whose every entry is collectible: gone (the head, the newest row, never is),
    // after its key's head is fenced: a straggler's careful write no longer finds those entries.
    await fence(store, t, item.K!, fenceAt);
    await store.send(new DeleteItemCommand({ TableName: t.name, Key: { K: item.K!, R: item.R! } }), { idempotent: true });
    stats.archives++;
    stats.entries += removable.length;
    return;
  }
  let version = Number(item[VERSION]?.N ?? 0);
  for (let i = 0; i < removable.length || i === 0; i += REMOVE_CHUNK) {
    const chunk = removable.slice(i, i + REMOVE_CHUNK);
    const last = i + REMOVE_CHUNK >= removable.length;
    const remaining = entries.length - Math.min(removable.length, i + REMOVE_CHUNK);
    const b = new ExprBuilder();
    const set = [`${b.n(VERSION)} = ${b.v(version + 1)}`];
    if (isHead && chunk.length) set.push(`${b.n(FENCE)} = ${b.v(fenceAt)}`);
    const removed = chunk.filter((a) => a.startsWith(LOG_PREFIX)).length;
    if (isHead && removed) set.push(`${b.n(COUNT)} = ${b.n(COUNT)} - ${b.v(removed)}`);
    const remove = chunk.map((a) => b.n(a));
    // Out of the index once nothing is left to collect; else look again after another window.
    if (last && remaining === 0) remove.push(b.n(GC_TIME));
    else if (last) set.push(`${b.n(GC_TIME)} = ${b.v(now)}`);
    const expr = `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`;
    // A fence never moves back (a pass with an older clock leaves the row for a later one).
    const cond = isHead
      ? and(counterIs(b, VERSION, version), chunk.length ? `attribute_not_exists(${b.n(FENCE)}) OR ${b.n(FENCE)} <= ${b.v(fenceAt)}` : null)
      : `attribute_exists(K)`;
    try {
      await store.send(
        new UpdateItemCommand({
          TableName: t.name,
          Key: { K: item.K!, R: item.R! },
          UpdateExpression: expr,
          ConditionExpression: cond,
          ...b.params(expr, cond),
        }),
        { idempotent: false },
      );
    } catch (e) {
      if (errorName(e) !== "ConditionalCheckFailedException" && errorName(e) !== "StoreAmbiguous") throw e;
      stats.deferred++; // it changed (a write, a roll-over, another pass): next pass
      return;
    }
    version++;
    stats.entries += chunk.length;
  }
}

/** Sets a key's fence to `fenceAt` (if that moves it forward; a missing head stays missing). */
async function fence(store: Store, t: DataTable, key: AttributeValue, fenceAt: number): Promise<void> {
  const b = new ExprBuilder();
  // The version moves too: a roll-over that read the head before would put back the old fence.
  const expr = `SET ${b.n(FENCE)} = ${b.v(fenceAt)}, ${b.n(VERSION)} = if_not_exists(${b.n(VERSION)}, ${b.v(0)}) + ${b.v(1)}`;
  const cond = `attribute_exists(K) AND (attribute_not_exists(${b.n(FENCE)}) OR ${b.n(FENCE)} < ${b.v(fenceAt)})`;
  try {
    await store.send(
      new UpdateItemCommand({
        TableName: t.name,
        Key: headKey(key.S!),
        UpdateExpression: expr,
        ConditionExpression: cond,
        ...b.params(expr, cond),
      }),
      {
        idempotent: true,
      },
    );
  } catch (e) {
    if (errorName(e) !== "ConditionalCheckFailedException") throw e;
  }
}

async function deleteAll(store: Store, table: string, keys: Item[]): Promise<void> {
  await writeAll(
    store,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}

type WriteRequest = { DeleteRequest: { Key: Item } } | { PutRequest: { Item: Item } };

/** Unconditional deletes and puts (each key at most once), 25 to a batch, retrying what the store leaves unprocessed. */
async function writeAll(store: Store, table: string, writes: WriteRequest[]): Promise<void> {
  for (let i = 0; i < writes.length; i += 25) {
    let request: Record<string, WriteRequest[]> = { [table]: writes.slice(i, i + 25) };
    for (let attempt = 0; Object.keys(request).length; attempt++) {
      const r = await store.send<{ UnprocessedItems?: typeof request }>(new BatchWriteItemCommand({ RequestItems: request }), {
        idempotent: true,
      });
      request = (r.UnprocessedItems ?? {}) as typeof request;
      if (attempt > 20) throw new Error("GC: the store keeps leaving writes unprocessed");
    }
  }
}

/** One GC pass over a service's tables. */
export function noGcStats(): GcStats {
  return { rows: 0, entries: 0, archives: 0, logs: 0, intents: 0, tombstones: 0, deferred: 0 };
}

/** One pass; `stats` is filled as it goes, so a pass cut short by its deadline still says what it did. */
export async function gcPass(rt: ServiceRuntime, services: string[], now = Date.now(), stats = noGcStats()): Promise<GcStats> {
  const { config, store } = rt;
  const cutoff = now - config.windowMs;
  // The fence is the real clock even when `now` is shifted (tests collecting "later"): a fence
  // in the future would refuse live executions on other trees that write the same keys.
  const fenceAt = Math.min(now, Date.now());
  const roots = new Roots(
    store,
    services.map((s) => tableNames.intent(config.prefix, config.app, s)),
    cutoff,
  );

  // 1. Log entries in data rows, and archive rows with nothing left.
  for (const t of rt.tables()) {
    const items = await getAll(
      store,
      t.name,
      (await candidates(store, t.name, cutoff)).map((k) => ({ K: k.K!, R: k.R! })),
    );
    await roots.resolve(items.flatMap((item) => Object.keys(item).filter(isEntry).map(entryRoot)));
    for (const item of items) {
      stats.rows++;
      await cleanRow(store, t, item, roots, now, fenceAt, stats);
    }
  }

  // 2. Log batches of collectible trees (keyed by their root).
  const logs = await candidates(store, rt.logTable, cutoff);
  await roots.resolve(logs.map((k) => k.I!.S!));
  const deadLogs = logs.filter((k) => roots.finished(k.I!.S!)).map((k) => ({ I: k.I!, S: k.S! }));
  // A spawned instance's claim marker stays (its values gone, out of the index) while its
  // tombstone does: a late event must still lose the claim, and then finds the tombstone.
  const isClaim = (k: Item) => k.S!.S!.endsWith(`#${CLAIM_STEP}`);
  await writeAll(
    store,
    rt.logTable,
    deadLogs.map((k) =>
      isClaim(k) ? { PutRequest: { Item: { ...k, E: { M: { [CLAIM_STEP]: toAttr("collected") } } } } } : { DeleteRequest: { Key: k } },
    ),
  );
  stats.logs += deadLogs.length;

  // 3. This service's finished intents, last: their trees are collected by now. An intent is
  // in the index only once done (GT = its finish time), and a done intent never changes but
  // here: it becomes a tombstone, in the tombstone shards of the index until it expires.
  const intents = await candidates(store, rt.intents.table, cutoff);
  for (const k of intents) {
    const shard = tombstoneShard(Number(k[GC_SHARD]!.N));
    const expires = now + TOMBSTONE_RETENTION_MS;
    const b = new ExprBuilder();
    // GT such that the tombstone is a candidate (GT < now - T) once its retention is over
    const expr =
      `SET ${b.n(TOMBSTONE)} = ${b.v(now)}, ${b.n(TOMBSTONE_EXPIRES)} = ${b.v(Math.floor(expires / 1000))}, ` +
      `${b.n(GC_SHARD)} = ${b.v(shard)}, ${b.n(GC_TIME)} = ${b.v(expires - config.windowMs)} ` +
      `REMOVE ${[INTENT_INPUT, INTENT_RESULT, INTENT_CLAIMED, INTENT_SIGNALS, INTENT_WAITING, INTENT_FIRST_LOG, INTENT_NONCE].map((a) => b.n(a)).join(", ")}`;
    const cond = `attribute_exists(${INTENT_ID}) AND attribute_not_exists(${b.n(TOMBSTONE)})`;
    try {
      await store.send(
        new UpdateItemCommand({
          TableName: rt.intents.table,
          Key: { [INTENT_ID]: k[INTENT_ID]! },
          UpdateExpression: expr,
          ConditionExpression: cond,
          ...b.params(expr, cond),
        }),
        { idempotent: true },
      );
      stats.intents++;
    } catch (e) {
      if (errorName(e) !== "ConditionalCheckFailedException") throw e;
    }
  }
  // 4. Tombstones past their retention.
  const expired = (await candidates(store, rt.intents.table, cutoff, [...Array(GC_SHARDS).keys()].map(tombstoneShard))).map((k) => ({
    [INTENT_ID]: k[INTENT_ID]!,
  }));
  await deleteAll(store, rt.intents.table, expired);
  // then the spawned ones' claim markers (a crash in between leaves a marker nothing reads)
  const markers = expired.map((k) => k[INTENT_ID]!.S!).filter(isSpawnedId);
  await deleteAll(
    store,
    rt.logTable,
    markers.map((id) => ({ I: { S: id }, S: { S: `${id}#${CLAIM_STEP}` } })),
  );
  stats.tombstones += expired.length;
  return stats;
}
