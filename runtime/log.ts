// An instance's log of logged values (reads, now/uuid/random, its result), kept in `S-log`.
//
// Values are logged lazily: a value only has to be durable before the first effect that could
// depend on it (a write, a call, a spawn, the result). Until then it waits in `pending`; just
// before an effect the pending values become one item keyed by (instance, first step of the
// batch), put only if absent. Every execution of an instance follows the same path while it
// consumes the same logged values, so two executions that both go past the known log try to put
// their next batch under the same key: the loser restarts from the log. Nothing it did
// depended on its unlogged values yet.
import { PutItemCommand, QueryCommand, GetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { approxSize, fromAttr, toAttr, type Json } from "./codec.js";
import { BeldiFailure } from "./errors.js";
import { errorName, StoreAmbiguous, type Store } from "./store.js";
import { canonical, json } from "./values.js";
import { GC_SHARD, GC_TIME, shardOf } from "./gc-index.js";
import { rootOf } from "./names.js";

/** The step under which an instance's result is logged. */
export const RESULT_STEP = "$r";

/** Another execution of this instance logged first: start over from the log. */
export class RestartExecution extends Error {
  constructor(instance: string) {
    super(`another execution of ${instance} logged first`);
    this.name = "RestartExecution";
  }
}

const MAX_BATCH_BYTES = 300_000;
/** A single logged value must fit one item with room for the keys. */
export const MAX_LOGGED_VALUE_BYTES = 380_000;

type Item = Record<string, AttributeValue>;

export class InstanceLog {
  /** values logged by any execution (loaded) or persisted by this one */
  readonly known = new Map<string, Json>();

  /** the call tree's root: the partition all its instances' batches live in, collected together */
  private readonly root: string;

  constructor(
    private readonly store: Store,
    private readonly table: string,
    readonly instance: string,
  ) {
    this.root = rootOf(instance);
  }

  /** Loads every batch of the instance with one query (paged). */
  async load(): Promise<void> {
    let start: Item | undefined;
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
      for (const item of r.Items ?? []) {
        for (const [step, v] of Object.entries(item.E?.M ?? {})) this.known.set(step, fromAttr(v));
      }
      start = r.LastEvaluatedKey;
    } while (start);
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

  /** Persists one batch under (instance, its first step), only if no execution did first. */
  async put(batch: [string, Json][]): Promise<void> {
    const first = batch[0]![0];
    const e: Record<string, AttributeValue> = {};
    for (const [step, v] of batch) e[step] = toAttr(v);
    const now = String(Date.now());
    const item: Item = {
      I: { S: this.root },
      S: { S: `${this.instance}#${first}` },
      E: { M: e },
      [GC_SHARD]: { N: String(shardOf(this.root)) },
      [GC_TIME]: { N: now },
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.send(
          new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(I)" }),
          { idempotent: false },
        );
        break;
      } catch (e) {
        if (e instanceof StoreAmbiguous && attempt < 5) continue;
        if (errorName(e) !== "ConditionalCheckFailedException") throw e;
        if (attempt > 0 && (await this.isOurs(first, batch))) break; // our earlier attempt landed
        throw new RestartExecution(this.instance);
      }
    }
    for (const [step, v] of batch) this.known.set(step, v);
  }

  private async isOurs(first: string, batch: [string, Json][]): Promise<boolean> {
    const r = await this.store.send<{ Item?: Item }>(
      new GetItemCommand({ TableName: this.table, Key: { I: { S: this.root }, S: { S: `${this.instance}#${first}` } }, ConsistentRead: true }),
    );
    const stored: Record<string, Json> = {};
    for (const [k, v] of Object.entries(r.Item?.E?.M ?? {})) stored[k] = fromAttr(v);
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

  constructor(readonly log: InstanceLog) {}

  /** Buffers a fresh value until the strand's next effect. */
  record(step: string, value: Json, what: string): void {
    if (approxSize(value) > MAX_LOGGED_VALUE_BYTES) {
      throw BeldiFailure.of("tooLarge", `${what} is too large to log (over ${MAX_LOGGED_VALUE_BYTES} bytes)`);
    }
    this.pending.set(step, canonical(value) as Json);
  }

  /** Takes over another strand's pending values (a finished branch's, in branch order). */
  adopt(other: LogBuffer): void {
    for (const [step, v] of other.pending) this.pending.set(step, v);
    other.pending.clear();
  }

  /**
   * Makes the pending values (and `extra`, e.g. the result) durable, in batches of at most
   * MAX_BATCH_BYTES, each keyed by its first step. Throws RestartExecution when another
   * execution logged a batch under the same key first.
   */
  async flush(extra?: Record<string, Json>): Promise<void> {
    const entries = [...this.pending.entries(), ...Object.entries(extra ?? {})];
    if (!entries.length) return;
    let batch: [string, Json][] = [];
    let size = 0;
    const put = async () => {
      await this.log.put(batch);
      for (const [step] of batch) this.pending.delete(step);
    };
    for (const [step, value] of entries) {
      const s = approxSize(value) + step.length;
      if (batch.length && size + s > MAX_BATCH_BYTES) {
        await put();
        batch = [];
        size = 0;
      }
      batch.push([step, value]);
      size += s;
    }
    await put();
  }
}
