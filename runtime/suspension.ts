// Durable waiting (LANGUAGE.md §9): an instance that reaches a `sleep` not yet due, or a `wait`
// whose signal has not come, is suspended — its execution returns, and its intent moves to the
// suspended shards of the pending index with its wake-up time as ST (contract/schema.ts). The
// wake-up pass (the collector's schedule on AWS, a 250 ms tick on the local stack) and a
// delivered signal resume it by a `recover` event. Signals live in the receiving instance's
// intent, first value wins (a map attribute, written with a condition on the name).
import { GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  INTENT_DONE,
  INTENT_EPOCH,
  INTENT_FN,
  INTENT_ID,
  INTENT_INPUT,
  INTENT_SIGNALS,
  INTENT_STARTED,
  INTENT_SUSPENDED,
  INTENT_VERSION,
  INTENT_WAITING,
  INTENT_RESUMES,
  NEVER_MS,
  PENDING_SHARD,
  shardOf,
  suspendedShard,
  TOMBSTONE,
} from "../contract/schema.js";
import type { Store } from "./store.js";
import type { Intents } from "./intent.js";
import { type IntentUpdateOutcome, updateIntent } from "./intent-update.js";

type Item = Record<string, AttributeValue>;

/** Thrown by `sleep`/`wait` when the instance must suspend: `wakeAt` (ms; null: only a signal wakes it), the names it waits for. */
export class Suspend extends Error {
  constructor(
    readonly wakeAt: number | null,
    readonly waitingFor: readonly string[],
  ) {
    super(wakeAt === null ? `waiting for ${waitingFor.join(", ")}` : `suspended until ${new Date(wakeAt).toISOString()}`);
    this.name = "Suspend";
  }
}

/** What suspending found. */
export type Suspension =
  | "suspended"
  /** a signal it waits for arrived meanwhile: run again (the wait takes it) */
  | "signalled"
  /** a newer execution (or the result) owns the instance now: this one just stops */
  | "superseded";

/** What delivering a signal found, per receiving intent. */
export type Delivery =
  | { kind: "delivered"; wake: boolean }
  /** `wake`: it still waits for it (an earlier sender died before waking it) */
  | { kind: "duplicate"; wake: boolean }
  /** no intent of that id, or a collected one (tombstone) */
  | { kind: "unknown"; collected: boolean };

/** An instance to resume, as the wake-up sends it. */
export interface Waking {
  instance: string;
  fn: string;
  input: unknown;
  version?: string;
}

/** A signal name as an attribute-path placeholder's value: any text the program chose. */
export const MAX_SIGNAL_NAME = 200;
export const MAX_SIGNAL_BYTES = 64 * 1024;

export class Suspensions {
  /** the intent table of the service whose instances these are */
  readonly table: string;

  constructor(
    private readonly store: Store,
    private readonly intents: Intents,
  ) {
    this.table = intents.table;
  }

  /**
   * Suspends the instance if `epoch` is still its execution epoch and no signal it waits for has
   * arrived (both in the condition, so a signal that lands between the wait's look and this
   * write is never missed: the sender sees the suspension, or this sees the signal).
   */
  async suspend(instance: string, epoch: number, wakeAt: number | null, waitingFor: readonly string[]): Promise<Suspension> {
    const names: Record<string, string> = { "#sg": INTENT_SIGNALS };
    waitingFor.forEach((n, i) => {
      names[`#g${i}`] = n;
    });
    const values: Record<string, AttributeValue> = {
      ":sus": { N: String(suspendedShard(shardOf(instance))) },
      ":wake": { N: String(wakeAt ?? NEVER_MS) },
      ":now": { N: String(Date.now()) },
      ":e": { N: String(epoch) },
      ":f": { BOOL: false },
    };
    if (waitingFor.length) values[":wn"] = { SS: [...new Set(waitingFor)] };
    const update =
      `SET ${PENDING_SHARD} = :sus, ${INTENT_STARTED} = :wake, ${INTENT_SUSPENDED} = :now` +
      // it got this far: a crash after its wake-up is re-executed a window later again
      (waitingFor.length ? `, ${INTENT_WAITING} = :wn REMOVE ${INTENT_RESUMES}` : ` REMOVE ${INTENT_WAITING}, ${INTENT_RESUMES}`);
    const condition = [
      `attribute_exists(${INTENT_ID})`,
      `${INTENT_DONE} = :f`,
      `attribute_not_exists(${TOMBSTONE})`,
      `${INTENT_EPOCH} = :e`,
      ...waitingFor.map((_, i) => `attribute_not_exists(#sg.#g${i})`),
    ].join(" AND ");
    const r = await this.update(instance, update, condition, names, values, true);
    if (r.applied) return "suspended";
    const old = r.old ?? (await this.intents.get(instance));
    const signals = old?.[INTENT_SIGNALS]?.M ?? {};
    const current = old && old[INTENT_DONE]?.BOOL === false && !old[TOMBSTONE] && old[INTENT_EPOCH]?.N === String(epoch);
    return current && waitingFor.some((n) => signals[n] !== undefined) ? "signalled" : "superseded";
  }

  /**
   * Takes a suspended instance back among the live ones (its shard, a fresh lease, a new epoch)
   * and answers what to send it; null if it is not suspended (any more): another wake-up, a
   * resumption or the result came first. Only `dueBy` (ms) or earlier wake-ups when given.
   */
  async wake(instance: string, dueBy?: number): Promise<Waking | null> {
    const values: Record<string, AttributeValue> = {
      ":ps": { N: String(shardOf(instance)) },
      ":now": { N: String(Date.now()) },
      ":one": { N: "1" },
      ":f": { BOOL: false },
    };
    if (dueBy !== undefined) values[":due"] = { N: String(dueBy) };
    const r = await this.update(
      instance,
      `SET ${PENDING_SHARD} = :ps, ${INTENT_STARTED} = :now REMOVE ${INTENT_SUSPENDED}, ${INTENT_WAITING} ADD ${INTENT_EPOCH} :one`,
      `attribute_exists(${INTENT_SUSPENDED}) AND ${INTENT_DONE} = :f AND attribute_not_exists(${TOMBSTONE})` +
        (dueBy !== undefined ? ` AND ${INTENT_STARTED} <= :due` : ""),
      {},
      values,
      false,
      "ALL_NEW",
    );
    if (!r.applied || !r.attributes) return null;
    const a = r.attributes;
    return {
      instance,
      fn: a[INTENT_FN]?.S ?? "",
      input: JSON.parse(a[INTENT_INPUT]?.S ?? "{}"),
      ...(a[INTENT_VERSION]?.S ? { version: a[INTENT_VERSION].S } : {}),
    };
  }

  /** The suspended instances whose wake-up time is `now` or before, through the pending index's suspended shards. */
  async due(now: number): Promise<string[]> {
    return (await this.intents.inPendingIndex(suspendedShard, now + 1, INTENT_ID)).map((item) => item[INTENT_ID]!.S!);
  }

  /**
   * Delivers signal `name` with `value` (JSON text) from `by` (a sender's log entry id, or a
   * client's one-off token): first value wins. A sender that finds its own earlier delivery (a
   * crash after it) counts it as delivered. `wake`: the instance is suspended waiting for it.
   */
  async deliver(instance: string, name: string, value: string, by: string): Promise<Delivery> {
    const names = { "#sg": INTENT_SIGNALS, "#n": name };
    const values: Record<string, AttributeValue> = { ":sig": { M: { v: { S: value }, by: { S: by } } }, ":now": { N: String(Date.now()) } };
    const condition = `attribute_exists(${INTENT_ID}) AND attribute_not_exists(${TOMBSTONE}) AND attribute_exists(#sg) AND attribute_not_exists(#sg.#n)`;
    // ST = now: a suspended instance is due at once, so the wake-up pass resumes it even if the
    // sender dies before waking it (for a running one it renews the collector's lease: harmless)
    const r = await this.update(instance, `SET #sg.#n = :sig, ${INTENT_STARTED} = :now`, condition, names, values, false, "ALL_NEW");
    if (r.applied) return { kind: "delivered", wake: waitsFor(r.attributes ?? {}, name) };
    const old = r.old ?? (await this.intents.get(instance));
    if (!old) return { kind: "unknown", collected: false };
    if (old[TOMBSTONE]) return { kind: "unknown", collected: true };
    if (!old[INTENT_SIGNALS]) {
      // an intent registered before signals existed: give it the map, then deliver
      await this.update(
        instance,
        "SET #sg = :m",
        `attribute_exists(${INTENT_ID}) AND attribute_not_exists(#sg)`,
        { "#sg": INTENT_SIGNALS },
        { ":m": { M: {} } },
        true,
      );
      return this.deliver(instance, name, value, by);
    }
    const had = old[INTENT_SIGNALS].M?.[name]?.M;
    if (had?.by?.S === by) return { kind: "delivered", wake: waitsFor(old, name) };
    return { kind: "duplicate", wake: waitsFor(old, name) };
  }

  /** The value (JSON text) of signal `name` delivered to the instance, if any. */
  async signal(instance: string, name: string): Promise<string | undefined> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({
        TableName: this.table,
        Key: { [INTENT_ID]: { S: instance } },
        ConsistentRead: true,
        ProjectionExpression: "#sg.#n",
        ExpressionAttributeNames: { "#sg": INTENT_SIGNALS, "#n": name },
      }),
    );
    return r.Item?.[INTENT_SIGNALS]?.M?.[name]?.M?.v?.S;
  }

  private update(
    instance: string,
    update: string,
    condition: string,
    names: Record<string, string>,
    values: Record<string, AttributeValue>,
    repeatable: boolean,
    returnValues?: "ALL_NEW",
  ): Promise<IntentUpdateOutcome> {
    return updateIntent(this.store, this.table, instance, {
      update,
      condition,
      names,
      values,
      repeatable,
      ...(returnValues ? { returnValues } : {}),
    });
  }
}

/** Whether an intent item is suspended waiting for signal `name`. */
function waitsFor(item: Item, name: string): boolean {
  return item[INTENT_SUSPENDED] !== undefined && (item[INTENT_WAITING]?.SS ?? []).includes(name);
}
