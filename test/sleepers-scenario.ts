// 200 instances asleep at once (issue 14), as a scenario the test and the benchmark share:
// puts them to sleep, checks nothing is held for them while they sleep, waits for the stack
// alone to wake every one, and checks each ran its effects once. How late each woke is
// returned: the test holds only what the language promises (at or after its time, LANGUAGE.md
// §9), bench/sleepers.ts reports the lateness against its goal.
import * as assert from "uvu/assert";
import { LocalStack, WAKE_TICK_MS } from "../local/index.js";
import { forEachInFlight } from "../local/in-flight.js";
import { BACKENDS } from "./helpers.js";
import { untilSettled } from "./waiting-helpers.js";

export const N = 200;
/** the wake-up times are spread over this long, as a real app's timers would be */
const SPREAD_MS = 20_000;
/** sleepers put to sleep first, for the whole test, so the stack's processes and connections exist before the count */
const WARM = 40;

/** Puts N instances to sleep, checks nothing is held for them, and answers how late each woke (ms). */
export async function sleepers(isolation: "inline" | "process"): Promise<number[]> {
  // A window longer than the whole test: GC keeps every finished instance's result until it is
  // asked for below (with the default 15 s, the first to wake could be collected before then,
  // and rightly answer R0016).
  const stack = await LocalStack.start({ app: "test/fixtures/sleepers", backend: BACKENDS[0], isolation, windowMs: 300_000 });
  try {
    const ids = Array.from({ length: N }, (_, i) => `sleeper-${i}`);
    // a few clients at a time, as a front end would send them
    const asleep = async (count: number, invoke: (i: number) => Promise<void>) => {
      await forEachInFlight(count, 8, invoke);
    };
    const napping = (instanceId: string) => (r: unknown) =>
      assert.equal(r, { ok: true, pending: true, instanceId }, `${instanceId}: ${JSON.stringify(r)}`);
    // Warm-up: the first sleepers start the worker processes and connections a stack has under
    // this load; from then on more sleepers must hold nothing more. They sleep past the test.
    const warmStart = Date.now();
    await asleep(WARM, async (i) =>
      napping(`warm-${i}`)(await stack.invoke("clock.nap", { key: `w${i}`, ms: 3_600_000 }, { instanceId: `warm-${i}` })),
    );
    // The first wake-up comes after all N are asleep, with room for a loaded machine: twice
    // what the warm-up's pace makes N take, and at least 8 s. Times are fixed in advance, so
    // the order they fall asleep in does not move them.
    const fallAsleepMs = Math.max(8_000, (2 * ((Date.now() - warmStart) * N)) / WARM);
    const base = Date.now() + fallAsleepMs;
    const ms = new Map<number, number>();
    const input = (i: number) => {
      if (!ms.has(i)) ms.set(i, base + Math.floor((i * SPREAD_MS) / N) - Date.now());
      return { key: `k${i}`, ms: ms.get(i)! };
    };
    const before = process.getActiveResourcesInfo();
    await asleep(N, async (i) => napping(ids[i]!)(await stack.invoke("clock.nap", input(i), { instanceId: ids[i] })));
    assert.ok(
      Date.now() < base - 1000,
      `falling asleep took ${Date.now() - base + fallAsleepMs} ms, over the ${fallAsleepMs} ms the warm-up's pace allowed`,
    );

    // all asleep: nothing runs for them, and nothing is held per instance (inline: no timer)
    const workers = stack.workers();
    // (at most the wake-up pass itself, one per service that may suspend)
    assert.ok(workers.busy <= 2, `${workers.busy} executions running while they sleep`);
    assert.ok(workers.live <= 16, `${workers.live} worker processes for ${N} sleepers`);
    const after = process.getActiveResourcesInfo();
    const held = after.length - before.length;
    assert.ok(held < 10, `${held} more handles with ${N} more instances asleep: ${after.join(",")} against ${before.join(",")}`);
    const intents = (await stack.rawItems(`${stack.prefix}sleepers.clock-intent`)).filter((x) => String(x.I).startsWith("sleeper-"));
    const awake = intents.filter((x) => x.SU === undefined);
    assert.is(awake.length, 0, `not suspended in the store: ${JSON.stringify(awake.slice(0, 3))}`);
    assert.is(intents.length, N);
    assert.ok(Date.now() < base, "the checks ran before the first wake-up (a machine slower than the warm-up showed)");

    // each wakes once, at or after its time, woken by the stack alone: a client asking for a
    // due instance's result would resume it too, so nobody asks until all are awake (a minute
    // past the last one's time is the bound of "never woken", not a goal: bench/sleepers.ts)
    const end = base + SPREAD_MS + 60_000;
    let awoken = 0;
    while ((awoken = (await stack.scan("clock", "woke")).length) < N && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
    assert.is(awoken, N, `${N - awoken} instance(s) not woken by the stack a minute after their time`);
    const late: number[] = [];
    for (const [i, id] of ids.entries()) {
      const r = await untilSettled(stack, "clock.nap", input(i), id);
      assert.ok("value" in r, `${id}: ${JSON.stringify(r)}`);
      const woke = (await stack.get("clock", "woke", `k${i}`)) as { due: number; at: number };
      assert.ok(woke.at >= woke.due, `${id} woke before its time`);
      late.push(woke.at - woke.due);
      assert.equal(await stack.get("clock", "counts", `k${i}`), { n: 1 }, `${id} ran its effects once`);
    }
    console.log(`  ${isolation}: lateness in wake-up order (ms): ${late.slice(0, 6).join(" ")} … ${late.slice(-6).join(" ")}`);
    return late.sort((a, b) => a - b);
  } finally {
    await stack.stop();
  }
}

export function report(isolation: string, late: number[]): { p50: number; p95: number; max: number } {
  const p = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))]!;
  console.log(`  ${isolation}: ${N} sleepers, late by p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms (tick ${WAKE_TICK_MS} ms)`);
  return { p50: p(0.5), p95: p(0.95), max: p(1) };
}
