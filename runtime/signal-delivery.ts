// Delivering a signal to an instance (LANGUAGE.md §9) and waking it when it waits for it: from
// a program's `signal(id, name, v)` (the id may be any service's instance: found in every
// service's intents at once) and from a client's `{ signal: … }` payload (the service it was sent to).
import { BatchGetItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { INTENT_ID, TOMBSTONE } from "../contract/schema.js";
import { assertStorable, approxSize } from "./codec.js";
import { BeldiFailure } from "./errors.js";
import type { ServiceRuntime } from "./service-runtime.js";
import { currentTrace } from "./trace.js";
import { type Delivery, MAX_SIGNAL_BYTES, MAX_SIGNAL_NAME } from "./suspension.js";

type Item = Record<string, AttributeValue>;

/** Checks a signal's name and value before anything is written (R0025, or R0020/R0021 for the value). */
export function checkSignal(name: unknown, value: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_SIGNAL_NAME) {
    throw BeldiFailure.of(
      "badSignal",
      `a signal's name must be 1 to ${MAX_SIGNAL_NAME} characters, not ${JSON.stringify(name)?.slice(0, 60)}`,
    );
  }
  assertStorable(value, `the value of signal ${name}`);
  const size = approxSize(value);
  if (size > MAX_SIGNAL_BYTES)
    throw BeldiFailure.of("badSignal", `the value of signal ${name} is about ${size} bytes, over ${MAX_SIGNAL_BYTES}`);
}

/**
 * Delivers to the instance of `service` named `instance`, then wakes it if it is suspended
 * waiting for `name` (the wake-up is idempotent: only one resumption per suspension).
 */
export async function deliverTo(
  rt: ServiceRuntime,
  service: string,
  instance: string,
  name: string,
  value: unknown,
  by: string,
): Promise<Delivery> {
  const d = await rt.suspensionsOf(service).deliver(instance, name, JSON.stringify(value ?? null), by);
  if (d.kind !== "unknown" && d.wake) await wakeAndSend(rt, service, instance);
  return d;
}

/** Resumes a suspended instance of `service`, if it still is suspended, by a `recover` event to its version. */
export async function wakeAndSend(rt: ServiceRuntime, service: string, instance: string, dueBy?: number): Promise<boolean> {
  const w = await rt.suspensionsOf(service).wake(instance, dueBy);
  if (!w) return false;
  // If this event is lost, the instance is live again with a fresh lease: the collector re-sends it.
  // (on the local stack, the trace of the signal or wake-up pass that resumed it: its requests are that tree's)
  const trace = currentTrace.getStore();
  const beldi = { kind: "recover" as const, ...(trace ? { trace } : {}) };
  await rt.invoker.send(service, { fn: w.fn, instanceId: w.instance, input: w.input, beldi }, w.version);
  return true;
}

/**
 * A program's `signal(id, name, v)`: delivered to each waiting service's instance of that id (a
 * client id may start an instance in several services; only services with a fn that may
 * suspend are looked in: no other instance could ever take a signal). True when this sender delivered it (now, or
 * in an execution that crashed after); false when the instance already had one of that name,
 * has finished and been collected, or was never started.
 */
export async function signalInstance(rt: ServiceRuntime, instance: string, name: string, value: unknown, by: string): Promise<boolean> {
  checkSignal(name, value);
  const services = await servicesWith(rt, instance);
  const outcomes = await Promise.all(services.map((s) => deliverTo(rt, s, instance, name, value, by)));
  return outcomes.some((d) => d.kind === "delivered");
}

/** The services that have a live (not collected) intent of `instance`: one batched read of every intent table. */
async function servicesWith(rt: ServiceRuntime, instance: string): Promise<string[]> {
  const byTable = new Map(rt.waiting.map((s) => [rt.intentsOf(s).table, s]));
  if (!byTable.size) return [];
  let request: Record<
    string,
    { Keys: Item[]; ProjectionExpression: string; ExpressionAttributeNames: Record<string, string>; ConsistentRead: boolean }
  > = Object.fromEntries(
    [...byTable.keys()].map((t) => [
      t,
      {
        Keys: [{ [INTENT_ID]: { S: instance } }],
        ProjectionExpression: "#i, #tb",
        ExpressionAttributeNames: { "#i": INTENT_ID, "#tb": TOMBSTONE },
        ConsistentRead: true,
      },
    ]),
  );
  const found: string[] = [];
  for (let attempt = 0; Object.keys(request).length; attempt++) {
    const out = await rt.store.send<{ Responses?: Record<string, Item[]>; UnprocessedKeys?: typeof request }>(
      new BatchGetItemCommand({ RequestItems: request }),
    );
    for (const [table, items] of Object.entries(out.Responses ?? {}))
      if (items.some((it) => !it[TOMBSTONE])) found.push(byTable.get(table)!);
    request = (out.UnprocessedKeys ?? {}) as typeof request;
    if (attempt > 20) throw new Error("the store keeps leaving intent lookups unprocessed");
  }
  return found.sort();
}
