// Shared by the durable-waiting tests: asking an instance for its result until it has one.
import type { InvokeResult, LocalStack } from "../local/index.js";
import { stopped } from "./helpers.js";

/**
 * Invokes the same instance again (as a client polling for its result) until the answer is no
 * longer pending or "stopped, not recorded"; fails after `withinMs`.
 */
export async function untilSettled(
  stack: LocalStack,
  fn: string,
  input: unknown,
  instanceId: string,
  withinMs = 30_000,
): Promise<InvokeResult> {
  const end = Date.now() + withinMs;
  for (;;) {
    const r = await stack.invoke(fn, input, { instanceId });
    const waiting = "pending" in r || stopped(r);
    if (!waiting) return r;
    if (Date.now() > end) throw new Error(`${fn} ${instanceId} still ${JSON.stringify(r)} after ${withinMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
