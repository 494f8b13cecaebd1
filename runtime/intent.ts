// Intents (`S-intent`): one item per entry or spawned instance, so the intent collector can
// finish every started instance (LANGUAGE.md §7 "Completion"). Sync callees have none: their
// root's re-execution calls them again.
import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { GC_SHARD, GC_SHARDS, GC_TIME, PENDING_INDEX, PENDING_SHARD, shardOf } from "./gc-index.js";
import { createHash } from "node:crypto";
import type { InvocationResult } from "./envelope.js";
import { errorName, StoreAmbiguous, type Store } from "./store.js";
import { json } from "./values.js";

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
}

/** What registering an entry invocation found. */
export type Registration =
  | { status: "new" }
  | { status: "running" }
  | { status: "done"; result: InvocationResult }
  | { status: "mismatch"; fn: string };

// Attribute names: F fn, IN input (JSON text), H hash of fn+input, KD kind, ST/FT start/finish
// ms, D done, RS result (JSON text), CL claimed (a spawned instance has started), PS pending
// shard (present until done: the collector's sparse index), GS/GT (once done: GC's index).

export function invocationHash(fn: string, input: unknown): string {
  return createHash("sha256").update(fn).update("\0").update(json(input)).digest("base64url").slice(0, 22);
}

function intentOf(item: Item): Intent {
  return {
    instance: item.I!.S!,
    fn: item.F!.S!,
    input: JSON.parse(item.IN?.S ?? "{}"),
    kind: item.KD?.S === "spawn" ? "spawn" : "entry",
    done: item.D?.BOOL === true,
    result: item.RS?.S ? (JSON.parse(item.RS.S) as InvocationResult) : undefined,
    startedAt: Number(item.ST?.N ?? 0),
    finishedAt: item.FT?.N ? Number(item.FT.N) : undefined,
  };
}

/** What an existing intent says about registering (fn, input) under its id. */
function registrationOf(old: Item, fn: string, input: unknown): Registration {
  if (old.H?.S !== invocationHash(fn, input) || old.F?.S !== fn) return { status: "mismatch", fn: old.F?.S ?? "?" };
  const intent = intentOf(old);
  return intent.done && intent.result ? { status: "done", result: intent.result } : { status: "running" };
}

export class Intents {
  constructor(
    private readonly store: Store,
    readonly table: string,
  ) {}

  private newItem(instance: string, fn: string, input: unknown, kind: "entry" | "spawn"): Item {
    return {
      I: { S: instance },
      F: { S: fn },
      IN: { S: json(input) },
      H: { S: invocationHash(fn, input) },
      KD: { S: kind },
      ST: { N: String(Date.now()) },
      D: { BOOL: false },
      [PENDING_SHARD]: { N: String(shardOf(instance)) },
    };
  }

  /** Registers a client's invocation; if the id is taken, says by what. */
  async registerEntry(instance: string, fn: string, input: unknown): Promise<Registration> {
    const old = await this.putIfAbsent(this.newItem(instance, fn, input, "entry"));
    if (!old) return { status: "new" };
    return registrationOf(old, fn, input);
  }

  /**
   * Records a read-only entry instance, finished, in one request (it had no intent while it
   * ran: there was nothing to finish after a crash); if the id is taken, says by what.
   */
  async recordFinished(instance: string, fn: string, input: unknown, result: InvocationResult): Promise<Registration | { status: "new" }> {
    const now = String(Date.now());
    const item: Item = { ...this.newItem(instance, fn, input, "entry"), D: { BOOL: true }, RS: { S: JSON.stringify(result) }, FT: { N: now } };
    item[GC_SHARD] = { N: String(shardOf(instance)) };
    item[GC_TIME] = { N: now };
    delete item[PENDING_SHARD];
    const old = await this.putIfAbsent(item);
    if (!old) return { status: "new" };
    return registrationOf(old, fn, input);
  }

  /** Registers a spawned instance's intent before its event is sent (a no-op if it exists). */
  async registerSpawn(instance: string, fn: string, input: unknown): Promise<void> {
    await this.putIfAbsent(this.newItem(instance, fn, input, "spawn"));
  }

  /**
   * A spawned instance starts: the first execution to claim it runs as the first one, every
   * other (a duplicate event, the collector) runs carefully, or returns the result if done.
   */
  async claim(instance: string): Promise<{ first: boolean; result?: InvocationResult }> {
    try {
      await this.store.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { I: { S: instance } },
          UpdateExpression: "SET CL = :t",
          ConditionExpression: "attribute_exists(I) AND attribute_not_exists(CL)",
          ExpressionAttributeValues: { ":t": { BOOL: true } },
        }),
        { idempotent: false },
      );
      return { first: true };
    } catch (e) {
      if (!(e instanceof StoreAmbiguous) && errorName(e) !== "ConditionalCheckFailedException") throw e;
      const item = await this.get(instance);
      const intent = item && intentOf(item);
      return { first: false, result: intent?.done ? intent.result : undefined };
    }
  }

  async finish(instance: string, result: InvocationResult): Promise<void> {
    await this.store.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { I: { S: instance } },
        UpdateExpression: `SET D = :t, RS = :r, FT = if_not_exists(FT, :now), ${GC_SHARD} = :s, ${GC_TIME} = if_not_exists(FT, :now) REMOVE ${PENDING_SHARD}`,
        ExpressionAttributeValues: {
          ":t": { BOOL: true },
          ":r": { S: JSON.stringify(result) },
          ":now": { N: String(Date.now()) },
          ":s": { N: String(shardOf(instance)) },
        },
      }),
      { idempotent: true },
    );
  }

  async get(instance: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({ TableName: this.table, Key: { I: { S: instance } }, ConsistentRead: true }),
    );
    return r.Item;
  }

  async read(instance: string): Promise<Intent | null> {
    const item = await this.get(instance);
    return item ? intentOf(item) : null;
  }

  /** Unfinished intents started before `startedBefore` (ms), found through the sparse pending index. */
  async pending(startedBefore: number): Promise<Intent[]> {
    const out: Intent[] = [];
    for (let shard = 0; shard < GC_SHARDS; shard++) {
      let start: Item | undefined;
      do {
        const r = await this.store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
          new QueryCommand({
            TableName: this.table,
            IndexName: PENDING_INDEX,
            KeyConditionExpression: `${PENDING_SHARD} = :s AND ST < :t`,
            ExpressionAttributeValues: { ":s": { N: String(shard) }, ":t": { N: String(startedBefore) } },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of r.Items ?? []) out.push(intentOf(item));
        start = r.LastEvaluatedKey;
      } while (start);
    }
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
            ConditionExpression: "attribute_not_exists(I)",
            ReturnValuesOnConditionCheckFailure: this.store.returnsOld ? "ALL_OLD" : undefined,
          }),
          { idempotent: false },
        );
        return undefined;
      } catch (e) {
        if (e instanceof StoreAmbiguous && attempt < 5) continue;
        if (errorName(e) !== "ConditionalCheckFailedException") throw e;
        const old = (e as { Item?: Item }).Item ?? (await this.get(item.I!.S!));
        if (!old) continue; // deleted meanwhile (GC): try again
        // Our own earlier attempt may have landed: same start time means it is ours.
        if (attempt > 0 && old.ST?.N === item.ST?.N && old.H?.S === item.H?.S) return undefined;
        return old;
      }
    }
  }
}
