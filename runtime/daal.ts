// DAAL: a key's value and the log of the steps that changed it live in one item, so "apply the
// change and record that step S did it" is one conditional UpdateItem (DESIGN.md §2).
// (~430 lines: the one writer of data rows — reads, writes with their log entries, roll-over,
// the careful path's archive check; the pure planning of a modification is modification.ts.)
//
// Layout of a key's rows in a data table (hash K = the key, range R):
//   R = "H"            the head: the current value (user field f as attribute `v_f`, `X` present
//                      iff a value exists), log entries `l_<instance#step>` (counted in `C`),
//                      pinned entries `q_<instance#step>`, generation `G`, version `V`, and
//                      the fence `FW` (see below).
//   R = "A<gen>.<ver>" an archive: a full batch of `l_` entries moved out of the head.
// The head is always the newest row, so a write needs no query to find it: 1 round trip.
//
// Why first executions may skip the archives: an `l_` entry can only have been written by the
// unique first execution of its instance (which writes each step once), so it cannot already be
// in an archive. Every other execution ("careful": a replay, a duplicate, a retry after an
// ambiguous failure) checks all rows with one query and writes conditioned on the generation it
// checked, and writes `q_` entries, which roll-over never moves (GC removes them).
//
// The fence: GC, when it removes log entries from a key (or deletes an archive of it), sets the
// head's `FW` to its own clock. Every write carries its execution's deadline and applies only if
// `FW` is older. An execution whose tree GC collected has a deadline before that collection (a
// tree is collected a window T > timeout after it finished, and every execution of it started
// before it finished), so a straggler — stalled past its deadline, or a request delayed in the
// network — can never apply a step again whose log entry GC took away.
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { hasLoneSurrogate } from "./values.js";
import { BeldiFailure } from "./errors.js";
import { and, counterIs, ExprBuilder } from "./expr.js";
import { isLocked, lockFree, recordOf, type DataTable } from "./rows.js";
import { GC_SHARD, GC_TIME, shardOf } from "../contract/schema.js";
import { currentDeadline, ExecutionStopped, Fenced } from "./deadline.js";
import { backoff, errorName, StoreAmbiguous, type Store } from "./store.js";
import { planModification, type Modification, type Outcome } from "./modification.js";
import type { Record_ } from "../contract/json.js";
import {
  ARCHIVED_AT,
  COUNT,
  EXISTS,
  FENCE,
  GENERATION,
  HEAD,
  headKey,
  LOCK_AGE,
  LOCK_HOLDER,
  LOG_PREFIX,
  PINNED_PREFIX,
  VERSION,
  valueAttr,
} from "../contract/schema.js";
import { setTimeout as sleep } from "node:timers/promises";

export function archiveKey(gen: number, version: number): string {
  return `A${String(gen).padStart(10, "0")}.${version}`;
}

type Item = Record<string, AttributeValue>;

export interface ModifyOptions {
  /** the transaction whose commit this is: it holds the key's exclusive lock */
  commitOf?: string;
  /** how long a plain modification waits for a transaction's lock before giving up */
  lockWaitMs?: number;
}

/** A plain write waited too long for a transaction's lock; the instance dies and is retried. */
export class LockWaitTimeout extends ExecutionStopped {
  constructor(message: string) {
    super(message);
    this.name = "LockWaitTimeout";
  }
}

const MAX_KEY_BYTES = 1024;
const ITEM_TOO_LARGE = /item size|maximum allowed size/i;
// DynamoDB Local says a sum past 38 significant digits is beyond its "precision"
const STORE_REFUSAL = /incorrect (data|operand) type|overflow|out of range|magnitude|precision/i;

/** The runtime error of the store's refusal of an effect for its data: a number out of range (R0012), or a type mismatch (R0013). */
export function storeRefusalCode(message: string): "R0012" | "R0013" {
  return /overflow|range|magnitude|precision/i.test(message) ? "R0012" : "R0013";
}

export function checkKey(table: string, key: string): void {
  if (typeof key !== "string" || key.length === 0) {
    throw BeldiFailure.of("badKey", `the key of table ${table} is empty`);
  }
  if (hasLoneSurrogate(key)) {
    // the store would turn it into U+FFFD: two different keys would name one row
    throw BeldiFailure.of("badKey", `the key of table ${table} holds a lone surrogate: it is not Unicode text`);
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw BeldiFailure.of("badKey", `the key of table ${table} is longer than ${MAX_KEY_BYTES} bytes`);
  }
}

function outcomeToAttr(o: Outcome): AttributeValue {
  switch (o.kind) {
    case "applied":
      return { NULL: true };
    case "cond":
      return { BOOL: o.value };
    case "error":
      return { S: `${o.code} ${o.message}` };
  }
}

function outcomeFromAttr(a: AttributeValue): Outcome {
  if (a.BOOL !== undefined) return { kind: "cond", value: a.BOOL };
  if (a.S !== undefined) {
    const space = a.S.indexOf(" ");
    return { kind: "error", code: a.S.slice(0, space), message: a.S.slice(space + 1) };
  }
  return { kind: "applied" };
}

function loggedIn(item: Item | undefined, cid: string): Outcome | null {
  const a = item?.[LOG_PREFIX + cid] ?? item?.[PINNED_PREFIX + cid];
  return a ? outcomeFromAttr(a) : null;
}

const numAttr = (item: Item | undefined, name: string): number => Number(item?.[name]?.N ?? 0);

/** Whether the head's fence refuses writes of an execution with this deadline. */
const fencedOff = (item: Item | undefined, deadline: number | undefined): boolean =>
  deadline !== undefined && item?.[FENCE]?.N !== undefined && Number(item[FENCE].N) >= deadline;

/** One attempt's result: applied, refused by its condition (with the item if the store said), or unknown. */
type Attempt = { ok: true } | { ok: false; old?: Item } | { ok: false; ambiguous: true };

/** Removes locks on a key that nobody will release, if any (Locks.clearLeft); true if it removed one. */
export type ClearLeftLocks = (t: DataTable, key: string, item: Item | undefined, asked: Set<string>) => Promise<boolean>;

export class Daal {
  constructor(
    private readonly store: Store,
    private readonly rowCapacity: number,
    /** without it (tools, the baseline), a write finding a left-over lock waits as for any lock */
    private readonly clearLeftLocks?: ClearLeftLocks,
  ) {}

  /** The key's current value, or null. One strongly consistent GetItem of the head. */
  async read(t: DataTable, key: string): Promise<Record_ | null> {
    checkKey(t.name, key);
    const b = new ExprBuilder();
    const projection = [EXISTS, ...t.fields.map(valueAttr)].map((a) => b.n(a)).join(", ");
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({
        TableName: t.name,
        Key: headKey(key),
        ConsistentRead: true,
        ProjectionExpression: projection,
        ExpressionAttributeNames: b.names,
      }),
    );
    return r.Item?.[EXISTS] ? recordOf(t, r.Item) : null;
  }

  /** Every key with a value and the value, ascending by key (the heads; archives hold no values). */
  async scan(t: DataTable): Promise<{ key: string; value: Record_ }[]> {
    const b = new ExprBuilder();
    const projection = ["K", EXISTS, ...t.fields.map(valueAttr)].map((a) => b.n(a)).join(", ");
    const filter = `${b.n("R")} = ${b.v(HEAD)} AND attribute_exists(${b.n(EXISTS)})`;
    const rows: { key: string; value: Record_ }[] = [];
    let start: Item | undefined;
    do {
      const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new ScanCommand({
          TableName: t.name,
          ProjectionExpression: projection,
          FilterExpression: filter,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...b.params(),
        }),
      );
      for (const item of r.Items ?? []) rows.push({ key: item.K!.S!, value: recordOf(t, item) });
      start = r.LastEvaluatedKey;
    } while (start);
    return rows.sort((a, c) => (a.key < c.key ? -1 : a.key > c.key ? 1 : 0));
  }

  /**
   * Applies a modification exactly once for step `cid` and returns its outcome: the first
   * execution that gets here applies it, every other one gets the logged outcome back.
   * A plain modification waits (polling, up to `lockWaitMs`) while a transaction holds the
   * key; a transaction's commit (`commitOf` = its id) writes under its own exclusive lock and
   * releases it in the same request.
   */
  async modify(t: DataTable, key: string, cid: string, mod: Modification, careful: boolean, opts: ModifyOptions = {}): Promise<Outcome> {
    checkKey(t.name, key);
    let knownGen: number | null = null;
    const lockDeadline = Date.now() + (opts.lockWaitMs ?? 10_000);
    const deadline = currentDeadline();
    const asked = new Set<string>();
    for (let round = 0, waits = 0; round < 64; round++) {
      if (careful && knownGen === null) {
        const found = await this.findLogged(t, key, cid);
        if (found.outcome) return found.outcome;
        knownGen = found.gen;
      }
      const b = new ExprBuilder();
      const plan = planModification(b, t, key, mod);
      const lock = opts.commitOf ? `${b.n(LOCK_HOLDER)} = ${b.v(opts.commitOf)}` : lockFree(b);
      const base = and(this.baseCondition(b, cid, careful ? knownGen : null, deadline), lock);
      const entry = (careful ? PINNED_PREFIX : LOG_PREFIX) + cid;
      const releases = opts.commitOf ? [b.n(LOCK_HOLDER), b.n(LOCK_AGE)] : [];
      const bookkeeping = (o: Outcome) => {
        const parts = [`${b.n(entry)} = ${b.v(outcomeToAttr(o), true)}`, bump(b, VERSION), ...gcMark(b, key)];
        if (!careful) parts.push(bump(b, COUNT));
        return parts;
      };
      let old: Item | undefined;
      let tooLarge = false;
      const attempts: { set: string[]; remove: string[]; cond: string; outcome: Outcome }[] = [];
      if (plan.constantFalse) {
        attempts.push({ set: [], remove: releases, cond: base, outcome: { kind: "cond", value: false } });
      } else {
        attempts.push({ set: plan.set, remove: [...plan.remove, ...releases], cond: and(base, plan.cond), outcome: plan.success });
        for (const alt of plan.alternatives) attempts.push({ set: [], remove: releases, cond: and(base, alt.cond), outcome: alt.outcome });
      }
      let ambiguous = false;
      for (const a of attempts) {
        const r = await this.tryUpdate(t, key, b, [...a.set, ...bookkeeping(a.outcome)], a.remove, a.cond).catch((e) => {
          if (errorName(e) === "ValidationException" && ITEM_TOO_LARGE.test((e as Error).message)) {
            tooLarge = true;
            return { ok: false } as Attempt;
          }
          if (errorName(e) === "ValidationException" && a === attempts[0] && STORE_REFUSAL.test((e as Error).message)) {
            // The store refused the effect for a reason of the data (a stored field of another
            // type, a sum out of range): that is the step's deterministic outcome; log it.
            return { ok: false, rejected: (e as Error).message } as Attempt & { rejected: string };
          }
          throw e;
        });
        if (r.ok) return a.outcome;
        if ("ambiguous" in r) {
          ambiguous = true;
          break;
        }
        if ("rejected" in r) {
          const message = String((r as { rejected: string }).rejected);
          const code = storeRefusalCode(message);
          const outcome: Outcome = { kind: "error", code, message: `${t.label}[${key}]: ${message}` };
          const logged = await this.tryUpdate(t, key, b, bookkeeping(outcome), releases, base);
          if (logged.ok) return outcome;
          break;
        }
        old = r.old ?? old;
        if (
          old &&
          (loggedIn(old, cid) || fencedOff(old, deadline) || numAttr(old, COUNT) >= this.rowCapacity || (!opts.commitOf && isLocked(old)))
        )
          break;
      }
      if (ambiguous) {
        careful = true;
        knownGen = null;
        continue;
      }
      old = old ?? (await this.getHead(t, key));
      const logged = loggedIn(old, cid);
      if (logged) return logged;
      if (fencedOff(old, deadline))
        throw new Fenced(`GC collected this execution's call tree before its write of ${t.label}[${key}] (step ${cid})`);
      if (careful && numAttr(old, GENERATION) !== knownGen) {
        knownGen = null;
        continue;
      }
      if (opts.commitOf && old?.[LOCK_HOLDER]?.S !== opts.commitOf) {
        throw new Error(`commit of ${opts.commitOf}: the lock on ${t.label}[${key}] is not held by it`);
      }
      if (!opts.commitOf && isLocked(old)) {
        // A transaction holds the key: wait for its commit or abort, never write under it.
        if (await this.clearLeftLocks?.(t, key, old, asked)) continue;
        if (Date.now() > lockDeadline) throw new LockWaitTimeout(`${t.label}[${key}] stayed locked by a transaction`);
        await sleep(backoff(Math.min(waits++, 8), 5, 200));
        round--;
        continue;
      }
      const entries = Object.keys(old ?? {}).filter((a) => a.startsWith(LOG_PREFIX)).length;
      if (old && (numAttr(old, COUNT) >= this.rowCapacity || (tooLarge && entries > 0))) {
        await this.rollOver(t, key, old);
        if (careful) knownGen = null;
        continue;
      }
      if (tooLarge) {
        const outcome: Outcome = {
          kind: "error",
          code: "R0006",
          message: `the value of ${t.label}[${key}] is too large for the store (400 KB per item)`,
        };
        let full = false;
        const r = await this.tryUpdate(t, key, b, bookkeeping(outcome), releases, base).catch((e) => {
          if (errorName(e) !== "ValidationException" || !ITEM_TOO_LARGE.test((e as Error).message)) throw e;
          full = true; // not even the failure's log entry fits (a row filled from outside)
          return { ok: false } as Attempt;
        });
        // Unlogged, the failure is still safe: the write did not apply, and a re-execution that
        // finds room applies it once.
        if (r.ok || full) return outcome;
      }
      // The item changed between our attempts (another writer); try again.
    }
    throw new Error(`could not apply step ${cid} to ${t.name}[${key}]: too much contention`);
  }

  /**
   * The baseline's modification (bench/ only): the user's change and condition in one plain
   * UpdateItem — no log entry, no lock check, not exactly-once.
   */
  async modifyPlain(t: DataTable, key: string, mod: Modification): Promise<Outcome> {
    const b = new ExprBuilder();
    const plan = planModification(b, t, key, mod);
    if (plan.constantFalse) return { kind: "cond", value: false };
    const set = [...plan.set, bump(b, VERSION)];
    let expr = `SET ${set.join(", ")}`;
    if (plan.remove.length) expr += ` REMOVE ${plan.remove.join(", ")}`;
    try {
      await this.store.send(
        new UpdateItemCommand({
          TableName: t.name,
          Key: headKey(key),
          UpdateExpression: expr,
          ...(plan.cond ? { ConditionExpression: plan.cond } : {}),
          ...b.params(expr, plan.cond ?? ""),
        }),
        { idempotent: false },
      );
      return plan.success;
    } catch (e) {
      if (errorName(e) !== "ConditionalCheckFailedException") throw e;
      if (plan.success.kind === "cond") return { kind: "cond", value: false };
      return (
        plan.alternatives[0]?.outcome ?? {
          kind: "error",
          code: "R0003",
          message: `update of a missing value: ${t.label}[${JSON.stringify(key)}] has no value`,
        }
      );
    }
  }

  /** Not yet logged, the head has room, and (careful) no roll-over since we checked the archives. */
  private baseCondition(b: ExprBuilder, cid: string, knownGen: number | null, deadline: number | undefined): string {
    const parts = [
      `attribute_not_exists(${b.n(LOG_PREFIX + cid)})`,
      `attribute_not_exists(${b.n(PINNED_PREFIX + cid)})`,
      `attribute_not_exists(${b.n(COUNT)}) OR ${b.n(COUNT)} < ${b.v(this.rowCapacity)}`,
    ];
    if (deadline !== undefined) parts.push(`attribute_not_exists(${b.n(FENCE)}) OR ${b.n(FENCE)} < ${b.v(deadline)}`);
    if (knownGen !== null) parts.push(counterIs(b, GENERATION, knownGen));
    return and(...parts);
  }

  private async tryUpdate(t: DataTable, key: string, b: ExprBuilder, set: string[], remove: string[], cond: string): Promise<Attempt> {
    let expr = `SET ${set.join(", ")}`;
    if (remove.length) expr += ` REMOVE ${remove.join(", ")}`;
    try {
      await this.store.send(
        new UpdateItemCommand({
          TableName: t.name,
          Key: headKey(key),
          UpdateExpression: expr,
          ConditionExpression: cond,
          ...b.params(expr, cond),
          ReturnValuesOnConditionCheckFailure: this.store.returnsOld ? "ALL_OLD" : undefined,
        }),
        { idempotent: false },
      );
      return { ok: true };
    } catch (e) {
      if (e instanceof StoreAmbiguous) return { ok: false, ambiguous: true };
      if (errorName(e) === "ConditionalCheckFailedException") return { ok: false, old: (e as { Item?: Item }).Item };
      throw e;
    }
  }

  private async getHead(t: DataTable, key: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(new GetItemCommand({ TableName: t.name, Key: headKey(key), ConsistentRead: true }));
    return r.Item;
  }

  /** Careful path: looks for the step's entry in every row of the key (head and archives). */
  private async findLogged(t: DataTable, key: string, cid: string): Promise<{ outcome: Outcome | null; gen: number }> {
    const b = new ExprBuilder();
    const projection = ["R", GENERATION, LOG_PREFIX + cid, PINNED_PREFIX + cid].map((a) => b.n(a)).join(", ");
    let gen = 0;
    let start: Item | undefined;
    do {
      const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new QueryCommand({
          TableName: t.name,
          KeyConditionExpression: `K = ${b.v(key)}`,
          ProjectionExpression: projection,
          ExpressionAttributeNames: b.names,
          ExpressionAttributeValues: b.values,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) {
        const o = loggedIn(item, cid);
        if (o) return { outcome: o, gen: 0 };
        if (item.R?.S === HEAD) gen = numAttr(item, GENERATION);
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return { outcome: null, gen };
  }

  /**
   * Moves the head's `l_` entries to a new archive row. The archive's key is determined by the
   * head's generation and version, so racing roll-overs of one snapshot write the same row; the
   * head is replaced only if unchanged since the snapshot (every change bumps its version).
   */
  private async rollOver(t: DataTable, key: string, old: Item): Promise<void> {
    const gen = numAttr(old, GENERATION);
    const version = numAttr(old, VERSION);
    const now = String(Date.now());
    const archive: Item = {
      K: { S: key },
      R: { S: archiveKey(gen, version) },
      [ARCHIVED_AT]: { N: now },
      [GC_SHARD]: { N: String(shardOf(key)) },
      [GC_TIME]: old[GC_TIME] ?? { N: now },
    };
    const head: Item = {};
    for (const [name, value] of Object.entries(old)) {
      if (name.startsWith(LOG_PREFIX)) archive[name] = value;
      else head[name] = value;
    }
    head[COUNT] = { N: "0" };
    head[GENERATION] = { N: String(gen + 1) };
    head[VERSION] = { N: String(version + 1) };
    await this.store.send(new PutItemCommand({ TableName: t.name, Item: archive }), { idempotent: true });
    const b = new ExprBuilder();
    const cond = counterIs(b, VERSION, version);
    try {
      await this.store.send(new PutItemCommand({ TableName: t.name, Item: head, ConditionExpression: cond, ...b.params() }), {
        idempotent: false,
      });
    } catch (e) {
      // Someone changed the head since our snapshot (or our own put landed and its answer was
      // lost): either way the caller looks at the head again.
      if (errorName(e) !== "ConditionalCheckFailedException" && !(e instanceof StoreAmbiguous)) throw e;
    }
  }
}

/** Puts the row in GC's index: it holds a log entry now (if it held none since the last GC). */
const gcMark = (b: ExprBuilder, key: string): string[] => [
  `${b.n(GC_SHARD)} = ${b.v(shardOf(key))}`,
  `${b.n(GC_TIME)} = if_not_exists(${b.n(GC_TIME)}, ${b.v(Date.now())})`,
];

const bump = (b: ExprBuilder, attr: string): string => `${b.n(attr)} = if_not_exists(${b.n(attr)}, ${b.v(0)}) + ${b.v(1)}`;

/** Turns a modification into the effect's expression parts and the outcomes to log instead. */
