// An instance's log of logged values (reads, now/uuid/random, its result), kept in `S-log`.
//
// Values are logged lazily: a value only has to be durable before the first effect that could
// depend on it (a write, a call, a spawn, the result). Until then it waits in `pending`; just
// before an effect the pending values become one item keyed by (instance, first step of the
// batch), put only if absent. Every execution of an instance follows the same path while it
// consumes the same logged values, so two executions that both go past the known log try to put
// their next batch under the same key: the loser restarts from the log. Nothing it did
// depended on its unlogged values yet. Inside a transaction two executions can also part where
// a lock request goes differently (one gets the lock, the other loses it to wait-die): the loss
// is logged at that request's step (beldi-ctx.ts `lockedValue`), so both still put their next
// batch under the same key, and at most one decision per attempt is ever logged.
//
// A value too large to share an item (a read of a value near the store's 400 KB limit, a large
// callee result) is logged in pieces: its JSON text split across items named by a random nonce,
// put first, then a head item naming the nonce, put only if absent. Pieces of a losing
// execution are never named by a head (the loader ignores them) and GC deletes them with the tree.
//
// A spawned instance's first delivery runs without a claim request: its claim is the marker
// step `$c` (CLAIM_STEP, a nonce) at the head of the first batch any execution of it puts, so
// that batch's key is the same in every execution and only one can put it. Until the marker is
// in the log (put by this execution or loaded), every batch waits for it, and an effect with
// nothing to log puts the marker alone. GC keeps the marker while the intent's tombstone lives.
//
// An entry instance registers its intent lazily, at its first durable request, and leaves
// nothing in the store before (EntryRegistration). When that request is a log put, the batch
// goes into the intent's registration, one put for both (the intent's LE), so a fn that reads
// before it writes pays no put of its own for its registration; `load` reads that batch back.
// Only a registration can hold it: an execution that finds the id taken (a retry, a duplicate,
// another invocation) unwinds before anything durable (service.ts), and restarts from the log.
import { randomUUID } from "node:crypto";
import { PutItemCommand, QueryCommand, GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { approxSize, fromAttr, toAttr } from "./codec.js";
import { BeldiFailure } from "./errors.js";
import { errorName, StoreAmbiguous, type Store } from "./store.js";
import { canonical, json } from "./values.js";
import { GC_SHARD, GC_TIME, INTENT_FIRST_LOG, INTENT_ID, INTENT_STARTED, shardOf } from "../contract/schema.js";
import { rootOf } from "../contract/ids.js";
import type { Json } from "../contract/json.js";

/** The step under which an instance's result is logged. */
export const RESULT_STEP = "$r";
/** The marker step of a spawned instance's claim: the first step of the first batch its executions put. */
export const CLAIM_STEP = "$c";

/** Another execution of this instance logged first: start over from the log. */
export class RestartExecution extends Error {
  constructor(instance: string) {
    super(`another execution of ${instance} logged first`);
    this.name = "RestartExecution";
  }
}

const MAX_BATCH_BYTES = 300_000;
/** The largest first batch an intent's registration takes along (with a small input only: service.ts), leaving the item room for signals and the result. */
const MAX_FIRST_BATCH_BYTES = 16_000;
/** What one transaction may write in all: its decision item holds every write (beldi-ctx.ts). */
export const MAX_LOGGED_VALUE_BYTES = 380_000;
/** The largest value the log takes (a Lambda payload's limit bounds every value a fn can see). */
const MAX_PIECED_BYTES = 6_000_000;
/** A piece's length in UTF-16 code units: at most 3 UTF-8 bytes each, so a piece fits an item. */
export const PIECE_UNITS = 100_000;

/** Splits `text` into pieces of at most `units` code units, never between a surrogate pair. */
export function splitPieces(text: string, units = PIECE_UNITS): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + units, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > i) end--;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * The first log batch an entry instance's intent item holds (its registration's: see above), as
 * the log item it stands for, for readers of whole log tables (inspect, crash sweeps); none if it holds none.
 */
export function firstLogItem(intent: Record<string, AttributeValue>): Record<string, AttributeValue> | undefined {
  const batch = intent[INTENT_FIRST_LOG]?.M;
  const id = intent[INTENT_ID]?.S;
  const first = Object.keys(batch ?? {}).sort()[0];
  if (!batch || id === undefined || first === undefined) return undefined;
  const at = intent[INTENT_STARTED]?.N;
  return { I: { S: rootOf(id) }, S: { S: `${id}#${first}` }, E: { M: batch }, ...(at ? { [GC_TIME]: { N: at } } : {}) };
}

/** The item name of piece `i` of a pieced value. */
const pieceKey = (entry: string, nonce: string, i: number) => `${entry}#${nonce}.${i}`;

type Item = Record<string, AttributeValue>;

/**
 * Reads log items — batches, and the heads and pieces of pieced values — into each instance's
 * logged steps. The one reader of the log's layout (InstanceLog.load, the stale-lock check).
 */
export class LogReader {
  private readonly batches: [string, Item][] = [];
  private readonly heads: [string, Record<string, AttributeValue>][] = [];
  private readonly pieces = new Map<string, string>();

  add(item: Item): void {
    const sortKey = item.S?.S ?? "";
    const instance = sortKey.slice(0, sortKey.indexOf("#"));
    if (item.E?.M) this.batches.push([instance, item.E.M]);
    else if (item.P?.M) this.heads.push([instance, item.P.M]);
    else if (item.X?.S !== undefined) this.pieces.set(sortKey, item.X.S);
  }

  /** Instance → step → value. Throws if a head names a piece that is not there (never, as pieces are put first). */
  steps(): Map<string, Map<string, Json>> {
    const out = new Map<string, Map<string, Json>>();
    const of = (instance: string) => out.get(instance) ?? out.set(instance, new Map()).get(instance)!;
    for (const [instance, e] of this.batches) for (const [step, v] of Object.entries(e)) of(instance).set(step, fromAttr(v));
    for (const [instance, head] of this.heads) {
      const step = head.s!.S!;
      const parts: string[] = [];
      for (let i = 0; i < Number(head.c!.N); i++) {
        const part = this.pieces.get(pieceKey(`${instance}#${step}`, head.n!.S!, i));
        if (part === undefined) throw new Error(`log of ${instance}: piece ${i} of step ${step} is missing`);
        parts.push(part);
      }
      of(instance).set(step, JSON.parse(parts.join("")) as Json);
    }
    return out;
  }
}

export class InstanceLog {
  /** values logged by any execution (loaded) or persisted by this one */
  readonly known = new Map<string, Json>();

  /** the call tree's root: the partition all its instances' batches live in, collected together */
  private readonly root: string;
  /** a spawned instance's execution: its first batch carries the claim marker (CLAIM_STEP) */
  private claimNeeded = false;
  /** the put of the batch that carries the marker, while it is in flight (other strands wait for it) */
  claiming: Promise<void> | undefined;
  /** an entry instance's registration, made at the execution's first durable request */
  private registration: EntryRegistration | undefined;

  constructor(
    private readonly store: Store,
    private readonly table: string,
    readonly instance: string,
    /** an entry instance's: its intent item, where its registration may hold its first batch */
    private readonly intentOf?: (instance: string) => Promise<Item | undefined>,
  ) {
    this.root = rootOf(instance);
  }

  /** Loads every batch of the instance with one query (paged), and the one its registration holds. */
  async load(): Promise<void> {
    const intent = this.intentOf?.(this.instance);
    intent?.catch(() => {}); // thrown below
    let start: Item | undefined;
    const reader = new LogReader();
    do {
      const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "I = :root AND begins_with(S, :prefix)",
          ExpressionAttributeValues: { ":root": { S: this.root }, ":prefix": { S: `${this.instance}#` } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) reader.add(item);
      start = r.LastEvaluatedKey;
    } while (start);
    const held = intent && (await intent);
    const first = held && firstLogItem(held);
    if (first) reader.add(first);
    for (const [step, v] of reader.steps().get(this.instance) ?? []) this.known.set(step, v);
  }

  /** This execution must claim its instance (a spawned one) before its first effect. */
  requireClaim(): void {
    this.claimNeeded = true;
  }

  /** This execution registers its (entry) instance at its first durable request: nothing durable goes out before. */
  registerLazily(registration: EntryRegistration): void {
    this.registration = registration;
  }

  /** Whether this execution's registration is still to be made (its first durable request has not come). */
  get unregistered(): boolean {
    return this.registration?.started === false;
  }

  /**
   * Registers the instance, if that is still to do, and waits for it; throws what it threw (a
   * registration that found the id taken, a store error).
   */
  async registered(): Promise<void> {
    if (this.registration) await this.registration.start();
  }

  /** Registers the instance with `batch` as its first log batch (when it is still to register). */
  private async registerWith(batch: [string, Json][]): Promise<void> {
    // not taken (a large input leaves the intent no room for it): into the log, as any batch
    if (!(await this.registration!.start(batch))) return this.put(batch);
    for (const [step, v] of batch) this.known.set(step, v);
  }

  /** Whether `batch` may go into the registration: still to register, and small enough to share the intent's item. */
  private fitsRegistration(batch: [string, Json][]): boolean {
    if (!this.unregistered) return false;
    let size = 0;
    for (const [step, v] of batch) size += approxSize(v) + step.length;
    return size <= MAX_FIRST_BATCH_BYTES;
  }

  /** Whether this execution may act: no claim needed, or the marker is in the log. */
  get claimed(): boolean {
    return !this.claimNeeded || this.known.has(CLAIM_STEP);
  }

  has(step: string): boolean {
    return this.known.has(step);
  }

  get(step: string): Json | undefined {
    return this.known.get(step);
  }

  /** A buffer for one sequential strand of the execution (the body, or a parallel branch). */
  buffer(): LogBuffer {
    return new LogBuffer(this);
  }

  /** Persists one batch under (instance, its first step), only if no execution did first; the first of an unregistered entry goes with its registration. */
  async put(batch: [string, Json][]): Promise<void> {
    if (this.fitsRegistration(batch)) return this.registerWith(batch);
    await this.registered();
    const first = batch[0]![0];
    if (batch.length === 1 && approxSize(batch[0]![1]) > MAX_BATCH_BYTES) return this.putPieces(first, batch[0]![1]);
    const e: Record<string, AttributeValue> = {};
    for (const [step, v] of batch) e[step] = toAttr(v);
    await this.putFirst(this.item(`${this.instance}#${first}`, { E: { M: e } }), () => this.isOurs(first, batch));
    for (const [step, v] of batch) this.known.set(step, v);
  }

  /** Logs one large value in pieces, then the head that names them (only if absent). */
  private async putPieces(step: string, value: Json): Promise<void> {
    const entry = `${this.instance}#${step}`;
    const nonce = randomUUID();
    const parts = splitPieces(JSON.stringify(value));
    for (const [i, part] of parts.entries()) {
      const piece = this.item(pieceKey(entry, nonce, i), { X: { S: part } });
      await this.store.send(new PutItemCommand({ TableName: this.table, Item: piece }), { idempotent: true });
    }
    const head = this.item(entry, { P: { M: { s: { S: step }, n: { S: nonce }, c: { N: String(parts.length) } } } });
    await this.putFirst(head, async () => (await this.stored(entry))?.P?.M?.n?.S === nonce);
    this.known.set(step, value);
  }

  /** A log item of this instance's tree, with GC's index attributes. */
  private item(sortKey: string, attrs: Item): Item {
    return {
      I: { S: this.root },
      S: { S: sortKey },
      ...attrs,
      [GC_SHARD]: { N: String(shardOf(this.root)) },
      [GC_TIME]: { N: String(Date.now()) },
    };
  }

  /** Puts `item` only if no execution put one under its key first; else RestartExecution. */
  private async putFirst(item: Item, isOurs: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.send(new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(I)" }), {
          idempotent: false,
        });
        break;
      } catch (e) {
        if (e instanceof StoreAmbiguous && attempt < 5) continue;
        if (errorName(e) !== "ConditionalCheckFailedException") throw e;
        if (attempt > 0 && (await isOurs())) return; // our earlier attempt landed
        throw new RestartExecution(this.instance);
      }
    }
  }

  private async stored(sortKey: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({ TableName: this.table, Key: { I: { S: this.root }, S: { S: sortKey } }, ConsistentRead: true }),
    );
    return r.Item;
  }

  private async isOurs(first: string, batch: [string, Json][]): Promise<boolean> {
    const stored: Record<string, Json> = {};
    for (const [k, v] of Object.entries((await this.stored(`${this.instance}#${first}`))?.E?.M ?? {})) stored[k] = fromAttr(v);
    return json(stored) === json(Object.fromEntries(batch));
  }
}

/**
 * The values one strand produced that are not durable yet, in step order. Each strand of an
 * execution (the body, each `parallel` branch) has its own, so what goes into a batch never
 * depends on how strands interleave.
 */
export class LogBuffer {
  readonly pending = new Map<string, Json>();
  /** the pending steps whose value another execution could not compute again (see `record`) */
  private readonly unrepeatable = new Set<string>();

  constructor(readonly log: InstanceLog) {}

  /**
   * Buffers a fresh value until the strand's next effect. `repeatable`: every execution of the
   * instance that has not logged it computes this same value (a value read under a lock the
   * transaction attempt holds until its logged decision), so only the decision needs it durable.
   */
  record(step: string, value: Json, what: string, repeatable = false): void {
    if (approxSize(value) > MAX_PIECED_BYTES) {
      throw BeldiFailure.of("tooLarge", `${what} is too large to log (over ${MAX_PIECED_BYTES} bytes)`);
    }
    this.pending.set(step, canonical(value) as Json);
    if (repeatable) this.unrepeatable.delete(step);
    else this.unrepeatable.add(step);
  }

  /** Whether every pending value is repeatable: an effect inside the transaction may go before they are durable. */
  onlyRepeatable(): boolean {
    return this.unrepeatable.size === 0;
  }

  /** Takes over another strand's pending values (a finished branch's, in branch order). */
  adopt(other: LogBuffer): void {
    for (const [step, v] of other.pending) this.pending.set(step, v);
    for (const step of other.unrepeatable) this.unrepeatable.add(step);
    other.pending.clear();
    other.unrepeatable.clear();
  }

  /**
   * Makes the pending values (and `extra`, e.g. the result) durable, in batches of at most
   * MAX_BATCH_BYTES, each keyed by its first step. Throws RestartExecution when another
   * execution logged a batch under the same key first. `effect`: an effect follows, so an
   * unclaimed execution claims now even with nothing to log (false: only values to persist).
   */
  async flush(extra?: Record<string, Json>, effect = true): Promise<void> {
    let entries: [string, Json][] = [...this.pending.entries(), ...Object.entries(extra ?? {})];
    // (an unregistered entry's first batch is its registration: InstanceLog.put)
    if (!entries.length && effect) await this.log.registered();
    let claimer = false;
    if (!this.log.claimed && (entries.length || effect)) {
      // another strand puts the marker: after it
      if (this.log.claiming) await this.log.claiming;
      else {
        entries = [[CLAIM_STEP, randomUUID()], ...entries];
        claimer = true;
      }
    }
    if (!entries.length) return;
    const batches: [string, Json][][] = [];
    let batch: [string, Json][] = [];
    let size = 0;
    for (const [step, value] of entries) {
      const s = approxSize(value) + step.length;
      if (batch.length && size + s > MAX_BATCH_BYTES) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
      batch.push([step, value]);
      size += s;
    }
    batches.push(batch);
    for (const [i, b] of batches.entries()) {
      const put = this.log.put(b);
      if (claimer && i === 0) {
        this.log.claiming = put;
        put.catch(() => {}); // its failure is thrown here; a waiting strand sees it too
      }
      await put;
      for (const [step] of b) {
        this.pending.delete(step);
        this.unrepeatable.delete(step);
      }
    }
  }
}

/**
 * An entry instance's registration (its intent's put), made once, at the first durable request
 * of whichever execution strand gets there first: with that strand's first log batch when it is
 * a log put (the intent holds it), else alone. Nothing durable goes out before it is settled,
 * and one that finds the id taken throws (service.ts RegistrationFound) before anything durable.
 */
export class EntryRegistration {
  private made: Promise<boolean> | undefined;

  /** `register` puts the intent, with `firstLog` when it takes it (says whether it did) */
  constructor(private readonly register: (firstLog?: [string, Json][]) => Promise<boolean>) {}

  get started(): boolean {
    return this.made !== undefined;
  }

  /** Makes the registration (with `firstLog`, if this is the first request for it), or waits for the one made; true if `firstLog` went with it. */
  async start(firstLog?: [string, Json][]): Promise<boolean> {
    if (this.made) {
      await this.made;
      return false;
    }
    this.made = this.register(firstLog);
    this.made.catch(() => {}); // thrown to every strand that waits for it
    return (await this.made) && firstLog !== undefined;
  }
}
