// Intents (`S-intent`): one item per entry or spawned instance, so the intent collector can
// finish every started instance (LANGUAGE.md §7 "Completion"). Sync callees have none: their
// root's re-execution calls them again.
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  GC_SHARD,
  GC_SHARDS,
  GC_TIME,
  INTENT_DONE,
  INTENT_FINISHED,
  INTENT_FN,
  INTENT_HASH,
  INTENT_ID,
  INTENT_INPUT,
  INTENT_KIND,
  INTENT_PREVIEW,
  INTENT_RESULT,
  INTENT_STARTED,
  INTENT_VERSION,
  INTENT_EPOCH,
  INTENT_RESUMES,
  INTENT_FIRST_LOG,
  INTENT_NONCE,
  INTENT_SIGNALS,
  INTENT_SUSPENDED,
  PENDING_INDEX,
  PENDING_SHARD,
  shardOf,
  TOMBSTONE,
} from "../contract/schema.js";
import { createHash, randomUUID } from "node:crypto";
import type { InvocationResult } from "../contract/envelope.js";
import { Fenced } from "./deadline.js";
import { type IntentUpdateOutcome, updateIntent } from "./intent-update.js";
import { RestartExecution } from "./log.js";
import { errorName, StoreAmbiguous, type Store } from "./store.js";
import { json } from "./values.js";
import { toAttr } from "./codec.js";
import type { Json } from "../contract/json.js";

type Item = Record<string, AttributeValue>;

export interface Intent {
  instance: string;
  fn: string;
  input: unknown;
  kind: "entry" | "spawn";
  done: boolean;
  result?: InvocationResult;
  startedAt: number;
  finishedAt?: number;
  /** the app version it is pinned to (absent: registered by a build before versions) */
  version?: string;
  /** suspended by `sleep` or `wait` since this time (ms); then `startedAt` is its wake-up time */
  suspendedAt?: number;
  /** re-executions since it started or last suspended */
  resumes: number;
}

/** What registering an entry invocation found. */
export type Registration =
  | { kind: "new" }
  /** unfinished, pinned to `version` (absent: a build before versions); `wakeAt` while suspended */
  | { kind: "running"; version?: string; wakeAt?: number }
  | { kind: "done"; result: InvocationResult }
  /** the same invocation finished more than a window ago and GC collected it: its result is gone */
  | { kind: "collected" }
  /** the id names another invocation: its fn and (a preview of) its input */
  | { kind: "mismatch"; fn: string; input: string };

/**
 * An entry execution's registration found its id taken (a retry of a running or finished
 * instance, another invocation's id): the execution, which did nothing durable yet, unwinds —
 * as a restart does, so a `parallel` and a `txn` pass it on — and starts as that case says.
 */
export class RegistrationFound extends RestartExecution {
  constructor(
    instance: string,
    readonly registration: Exclude<Registration, { kind: "new" }>,
  ) {
    super(instance);
    this.name = "RegistrationFound";
    this.message = `instance ${instance} is registered already (${registration.kind})`;
  }
}

// Attribute names (contract/schema.ts): F fn, IN input (JSON text), IP a short preview of it
// (kept after GC), H hash of fn+input, KD kind, ST start ms (refreshed when an execution resumes
// it: the collector's lease), FT finish ms, D done, RS result (JSON text), CL claimed (a spawned
// instance has started: written by builds before the claim moved into the log, log.ts
// CLAIM_STEP), RX re-executions since it started or last suspended (the collector waits longer
// after each: contract/timing.ts retryAfterMs), LE an entry instance's first log batch (put with
// the registration: log.ts), RN the registration's nonce, PS pending shard (present until done: the
// collector's sparse index), GS/GT (once done: GC's index), TB collected at (ms: a tombstone GC
// leaves, see below), XP expiry (s, the store's TTL attribute on AWS).
//
// GC does not delete a finished intent: it leaves a tombstone (id, fn, input hash and preview)
// for TOMBSTONE_RETENTION_MS. A late event, a collector re-send or a straggler that finds a
// tombstone (or no intent: events follow registration) knows the tree is finished and
// collected and does nothing; a client retry gets R0016 instead of a re-execution.
export const TOMBSTONE_RETENTION_MS = 7 * 24 * 3600_000;
const PREVIEW_CHARS = 200;

/** A short, readable form of an invocation's input for error messages (R0008). */
export function inputPreview(input: unknown): string {
  const text = json(input);
  return text.length <= PREVIEW_CHARS ? text : `${text.slice(0, PREVIEW_CHARS - 1)}…`;
}

/** What an execution learns when it resumes an intent (collector, client retry, a spawn event that lost its claim). */
export type Resumption =
  /** `epoch`: the execution epoch it starts (only an execution of the intent's current epoch may suspend it) */
  | { kind: "again"; epoch: number }
  | { kind: "done"; result: InvocationResult }
  /** finished and collected, or never registered: nothing to do */
  | { kind: "gone" };

export function invocationHash(fn: string, input: unknown): string {
  return createHash("sha256").update(fn).update("\0").update(json(input)).digest("base64url").slice(0, 22);
}

function intentOf(item: Item): Intent {
  return {
    instance: item[INTENT_ID]!.S!,
    fn: item[INTENT_FN]!.S!,
    input: JSON.parse(item[INTENT_INPUT]?.S ?? "{}"),
    kind: item[INTENT_KIND]?.S === "spawn" ? "spawn" : "entry",
    done: item[INTENT_DONE]?.BOOL === true,
    result: item[INTENT_RESULT]?.S ? (JSON.parse(item[INTENT_RESULT].S) as InvocationResult) : undefined,
    startedAt: Number(item[INTENT_STARTED]?.N ?? 0),
    finishedAt: item[INTENT_FINISHED]?.N ? Number(item[INTENT_FINISHED].N) : undefined,
    version: item[INTENT_VERSION]?.S,
    ...(item[INTENT_SUSPENDED]?.N ? { suspendedAt: Number(item[INTENT_SUSPENDED].N) } : {}),
    resumes: Number(item[INTENT_RESUMES]?.N ?? 0),
  };
}

/** What an existing intent says about registering (fn, input) under its id. */
function registrationOf(old: Item, fn: string, input: unknown): Registration {
  if (old[INTENT_HASH]?.S !== invocationHash(fn, input) || old[INTENT_FN]?.S !== fn) {
    return {
      kind: "mismatch",
      fn: old[INTENT_FN]?.S ?? "?",
      input: old[INTENT_PREVIEW]?.S ?? (old[INTENT_INPUT]?.S ? inputPreview(JSON.parse(old[INTENT_INPUT].S)) : "?"),
    };
  }
  if (old[TOMBSTONE]) return { kind: "collected" };
  const intent = intentOf(old);
  if (intent.done && intent.result) return { kind: "done", result: intent.result };
  return { kind: "running", version: intent.version, ...(intent.suspendedAt !== undefined ? { wakeAt: intent.startedAt } : {}) };
}

/** What an existing intent item (or none) says to an execution that starts from it. */
function resumptionOf(item: Item | undefined): Resumption {
  if (!item || item[TOMBSTONE]) return { kind: "gone" };
  const intent = intentOf(item);
  if (intent.done && intent.result) return { kind: "done", result: intent.result };
  return { kind: "again", epoch: Number(item[INTENT_EPOCH]?.N ?? 0) };
}

export class Intents {
  constructor(
    private readonly store: Store,
    readonly table: string,
    /** the app version of the code registering: what the instances it registers are pinned to */
    readonly version?: string,
  ) {}

  private newItem(instance: string, fn: string, input: unknown, kind: "entry" | "spawn"): Item {
    return {
      [INTENT_ID]: { S: instance },
      [INTENT_FN]: { S: fn },
      [INTENT_INPUT]: { S: json(input) },
      [INTENT_PREVIEW]: { S: inputPreview(input) },
      [INTENT_HASH]: { S: invocationHash(fn, input) },
      [INTENT_KIND]: { S: kind },
      [INTENT_STARTED]: { N: String(Date.now()) },
      [INTENT_DONE]: { BOOL: false },
      [PENDING_SHARD]: { N: String(shardOf(instance)) },
      [INTENT_EPOCH]: { N: "0" },
      [INTENT_SIGNALS]: { M: {} },
      [INTENT_NONCE]: { S: randomUUID() },
      ...(this.version ? { [INTENT_VERSION]: { S: this.version } } : {}),
    };
  }

  /**
   * Registers a client's invocation, with the execution's first log batch when it has one (one
   * put: log.ts); if the id is taken, says by what, and nothing of the batch is stored.
   */
  async registerEntry(instance: string, fn: string, input: unknown, firstLog?: [string, Json][]): Promise<Registration> {
    const item = this.newItem(instance, fn, input, "entry");
    if (firstLog?.length) item[INTENT_FIRST_LOG] = { M: Object.fromEntries(firstLog.map(([step, v]) => [step, toAttr(v)])) };
    const old = await this.putIfAbsent(item);
    if (!old) return { kind: "new" };
    return registrationOf(old, fn, input);
  }

  /** An entry instance's intent, only as far as it holds a first log batch (log.ts `firstLogItem` reads it). */
  async firstLog(instance: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({
        TableName: this.table,
        Key: { [INTENT_ID]: { S: instance } },
        ProjectionExpression: "#i, #le",
        ExpressionAttributeNames: { "#i": INTENT_ID, "#le": INTENT_FIRST_LOG },
        ConsistentRead: true,
      }),
    );
    return r.Item;
  }

  /**
   * Records a read-only entry instance, finished, in one request (it had no intent while it
   * ran: there was nothing to finish after a crash); if the id is taken, says by what.
   */
  async recordFinished(instance: string, fn: string, input: unknown, result: InvocationResult): Promise<Registration> {
    const now = String(Date.now());
    const item: Item = {
      ...this.newItem(instance, fn, input, "entry"),
      [INTENT_DONE]: { BOOL: true },
      [INTENT_RESULT]: { S: JSON.stringify(result) },
      [INTENT_FINISHED]: { N: now },
    };
    item[GC_SHARD] = { N: String(shardOf(instance)) };
    item[GC_TIME] = { N: now };
    delete item[PENDING_SHARD];
    delete item[INTENT_INPUT]; // as finish() does: the hash and preview stay
    const old = await this.putIfAbsent(item);
    if (!old) return { kind: "new" };
    return registrationOf(old, fn, input);
  }

  /**
   * Registers a spawned instance's intent before its event is sent. A no-op if it exists —
   * including a tombstone: a straggler spawning again after GC registers nothing.
   */
  async registerSpawn(instance: string, fn: string, input: unknown): Promise<void> {
    await this.putIfAbsent(this.newItem(instance, fn, input, "spawn"));
  }

  /**
   * The collector (a client's retry, a spawn event that lost its claim) re-executes an unfinished instance: renews its lease, so
   * the collector does not start another execution of it within the window. Finished,
   * collected or missing: says so, and the execution does nothing.
   */
  async resume(instance: string): Promise<Resumption> {
    // A suspended instance is back among the live ones (its shard, a fresh lease), in a new
    // epoch: an older execution still running can no longer suspend it.
    const ok = await this.updateIf(
      instance,
      `SET ${INTENT_STARTED} = :now, ${PENDING_SHARD} = :ps REMOVE ${INTENT_SUSPENDED} ADD ${INTENT_EPOCH} :one, ${INTENT_RESUMES} :one`,
      `attribute_exists(${INTENT_ID}) AND ${INTENT_DONE} = :f AND attribute_not_exists(${TOMBSTONE})`,
      { ":f": { BOOL: false }, ":ps": { N: String(shardOf(instance)) }, ":one": { N: "1" } },
      false,
      true,
    );
    if (ok.applied) return { kind: "again", epoch: Number(ok.attributes?.[INTENT_EPOCH]?.N ?? 0) };
    return resumptionOf(ok.old ?? (await this.get(instance)));
  }

  /**
   * Records the result, unless another execution of the instance recorded one first: the first
   * recorded result is the instance's, and is what this returns. Only an intent that exists and
   * is not collected is finished: a straggler that gets here after GC changes nothing, and stops.
   */
  async finish(instance: string, result: InvocationResult): Promise<InvocationResult> {
    const ok = await this.updateIf(
      instance,
      // The input goes (its hash and preview stay, for R0008): input and result each fit an
      // item, together they might not.
      `SET ${INTENT_DONE} = :t, ${INTENT_RESULT} = :r, ${INTENT_FINISHED} = if_not_exists(${INTENT_FINISHED}, :now), ` +
        `${GC_SHARD} = :s, ${GC_TIME} = if_not_exists(${INTENT_FINISHED}, :now) REMOVE ${PENDING_SHARD}, #in`,
      `attribute_exists(${INTENT_ID}) AND attribute_not_exists(${TOMBSTONE}) AND ${INTENT_DONE} = :f`,
      { ":f": { BOOL: false }, ":r": { S: JSON.stringify(result) }, ":s": { N: String(shardOf(instance)) } },
      true,
    );
    if (ok.applied) return result;
    // an ambiguous first attempt of ours that applied lands here too: the result read back is ours
    const now = resumptionOf(ok.old ?? (await this.get(instance)));
    if (now.kind === "done") return now.result;
    throw new Fenced(`the intent of ${instance} was collected before its result was recorded`);
  }

  /**
   * A conditional UpdateItem of an intent: whether it applied (with the updated attributes when
   * `returnNew`); else the item as the store returned it on the failed condition (absent: read
   * it). `repeatable`: applying it twice is harmless, so an ambiguous outcome is retried.
   */
  private updateIf(
    instance: string,
    update: string,
    condition: string,
    values: Record<string, AttributeValue> = {},
    repeatable = false,
    /** answer the updated attributes when it applied */
    returnNew = false,
  ): Promise<IntentUpdateOutcome> {
    return updateIntent(this.store, this.table, instance, {
      update,
      condition,
      // IN is a reserved word of the expression language
      names: { "#in": INTENT_INPUT },
      values: { ":t": { BOOL: true }, ":now": { N: String(Date.now()) }, ...values },
      repeatable,
      ...(returnNew ? { returnValues: "UPDATED_NEW" as const } : {}),
    });
  }

  async get(instance: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({ TableName: this.table, Key: { [INTENT_ID]: { S: instance } }, ConsistentRead: true }),
    );
    return r.Item;
  }

  async read(instance: string): Promise<Intent | null> {
    const item = await this.get(instance);
    return item ? intentOf(item) : null;
  }

  /** Unfinished intents started before `startedBefore` (ms), found through the sparse pending index. */
  async pending(startedBefore: number): Promise<Intent[]> {
    return (await this.inPendingIndex((s) => s, startedBefore)).map(intentOf);
  }

  /**
   * The items of the pending index's shards `shardOf(0..GC_SHARDS-1)` with ST before `before`
   * (the collector's live shards, or the suspended ones the wake-up pass looks in); `projection`:
   * only those attributes.
   */
  async inPendingIndex(shardOf: (shard: number) => number, before: number, projection?: string): Promise<Item[]> {
    const out: Item[] = [];
    for (let shard = 0; shard < GC_SHARDS; shard++) {
      let start: Item | undefined;
      do {
        const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
          new QueryCommand({
            TableName: this.table,
            IndexName: PENDING_INDEX,
            KeyConditionExpression: `${PENDING_SHARD} = :s AND ${INTENT_STARTED} < :t`,
            ExpressionAttributeValues: { ":s": { N: String(shardOf(shard)) }, ":t": { N: String(before) } },
            ...(projection ? { ProjectionExpression: projection } : {}),
            ExclusiveStartKey: start,
          }),
        );
        out.push(...(r.Items ?? []));
        start = r.LastEvaluatedKey;
      } while (start);
    }
    return out;
  }

  /**
   * Every unfinished intent, by a strongly consistent scan (tools and the local stack's
   * `recover()`): the pending index is eventually consistent — an intent whose lease was just
   * renewed may be missing from a query for a moment, which the collector's next tick absorbs
   * but "recover until nothing is left" cannot.
   */
  async unfinished(): Promise<Intent[]> {
    const out: Intent[] = [];
    let start: Item | undefined;
    do {
      const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
        new ScanCommand({
          TableName: this.table,
          ConsistentRead: true,
          // suspended ones are not due to run: the wake-up pass resumes them
          FilterExpression: `attribute_exists(${PENDING_SHARD}) AND attribute_not_exists(${INTENT_SUSPENDED})`,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) out.push(intentOf(item));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Puts an item if its key is free; returns the existing item otherwise. */
  private async putIfAbsent(item: Item): Promise<Item | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.send(
          new PutItemCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: `attribute_not_exists(${INTENT_ID})`,
            ReturnValuesOnConditionCheckFailure: this.store.returnsOld ? "ALL_OLD" : undefined,
          }),
          { idempotent: false },
        );
        return undefined;
      } catch (e) {
        if (e instanceof StoreAmbiguous && attempt < 5) continue;
        if (errorName(e) !== "ConditionalCheckFailedException") throw e;
        const old = (e as { Item?: Item }).Item ?? (await this.get(item[INTENT_ID]!.S!));
        if (!old) continue; // deleted meanwhile (GC): try again
        // Our own earlier attempt may have landed: its nonce says so (another execution's first log batch is not ours).
        if (attempt > 0 && old[INTENT_NONCE]?.S === item[INTENT_NONCE]?.S) return undefined;
        return old;
      }
    }
  }
}
