// 200 instances asleep at once (issue 14). With real processes: while they sleep nothing runs
// for them — no busy worker, no process and no timer or socket per instance — and each wakes
// and runs its effects exactly once. Inline: they wake within about a second of their time (the
// stack's wake-up tick is WAKE_TICK_MS). With processes the first wake-ups after a long sleep
// also pay the cold start of the worker processes the pool reaped meanwhile (as Lambda's do):
// that lateness is reported, not held to a second.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, WAKE_TICK_MS } from "../local/index.js";
import { BACKENDS } from "./helpers.js";
import { untilSettled } from "./waiting-helpers.js";

const N = 200;
/** the wake-up times are spread over this long, as a real app's timers would be */
const SPREAD_MS = 20_000;
/** the first wake-up, from the start: after every instance is asleep even on a loaded machine */
const FIRST_MS = 20_000;

/** Puts N instances to sleep, checks nothing is held for them, and answers how late each woke (ms). */
async function sleepers(isolation: "inline" | "process"): Promise<number[]> {
  // A window longer than the whole test: GC keeps every finished instance's result until it is
  // asked for below (with the default 15 s, the first to wake could be collected before then,
  // and rightly answer R0016).
  const stack = await LocalStack.start({ app: "test/fixtures/sleepers", backend: BACKENDS[0], isolation, windowMs: 300_000 });
  try {
    const ids = Array.from({ length: N }, (_, i) => `sleeper-${i}`);
    // wake-up times fixed in advance, so the order they fall asleep in does not move them
    const base = Date.now() + FIRST_MS;
    const ms = new Map<number, number>();
    const input = (i: number) => {
      if (!ms.has(i)) ms.set(i, base + Math.floor((i * SPREAD_MS) / N) - Date.now());
      return { key: `k${i}`, ms: ms.get(i)! };
    };
    // a few clients at a time, as a front end would send them
    let next = 0;
    const client = (upTo: number) => async () => {
      for (let i = next++; i < upTo; i = next++) {
        const r = await stack.invoke("clock.nap", input(i), { instanceId: ids[i] });
        assert.equal(r, { ok: true, pending: true, instanceId: ids[i] }, `${ids[i]}: ${JSON.stringify(r)}`);
      }
    };
    // the first ones start the worker processes and connections a stack has under this load;
    // from then on more sleepers must hold nothing more
    const warm = 40;
    await Promise.all(Array.from({ length: 8 }, client(warm)));
    next = warm; // (each client took one number past the end)
    const before = process.getActiveResourcesInfo();
    await Promise.all(Array.from({ length: 8 }, client(N)));
    assert.ok(Date.now() < base - 2000, `falling asleep took ${Date.now() - base + FIRST_MS} ms: a very slow machine (raise FIRST_MS)`);

    // all asleep: nothing runs for them, and nothing is held per instance (inline: no timer)
    const workers = stack.workers();
    // (at most the wake-up pass itself, one per service that may suspend)
    assert.ok(workers.busy <= 2, `${workers.busy} executions running while they sleep`);
    assert.ok(workers.live <= 16, `${workers.live} worker processes for ${N} sleepers`);
    const after = process.getActiveResourcesInfo();
    const held = after.length - before.length;
    assert.ok(held < 10, `${held} more handles with ${N - warm} more instances asleep: ${after.join(",")} against ${before.join(",")}`);
    const intents = (await stack.rawItems(`${stack.prefix}sleepers.clock-intent`)).filter((x) => String(x.I).startsWith("sleeper-"));
    const awake = intents.filter((x) => x.SU === undefined);
    assert.is(awake.length, 0, `not suspended in the store: ${JSON.stringify(awake.slice(0, 3))}`);
    assert.is(intents.length, N);
    assert.ok(Date.now() < base, "the checks ran before the first wake-up (a very slow machine: raise FIRST_MS)");

    // each wakes within about a second of its time, once — woken by the stack alone (a client
    // asking for a due instance's result would resume it too: nobody asks until all are done)
    const end = base + SPREAD_MS + 60_000;
    while ((await stack.scan("clock", "woke")).length < N && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
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

function report(isolation: string, late: number[]): { p50: number; p95: number; max: number } {
  const p = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))]!;
  console.log(`  ${isolation}: ${N} sleepers, late by p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms (tick ${WAKE_TICK_MS} ms)`);
  return { p50: p(0.5), p95: p(0.95), max: p(1) };
}

test(`${N} sleeping instances hold no process or handle each, and each wakes once (${BACKENDS[0]}, process isolation)`, async () => {
  const { max } = report("process", await sleepers("process"));
  assert.ok(max <= 20_000, `the latest woke ${max} ms after its time`);
});

// The median holds the wake-up tick to about a second (a tick of seconds fails it). The tail is
// bounded loosely: it is the machine's, not the schedule's — the same commit measured p95 395 ms
// and 1,035 ms in two fresh-clone runs on this 2-core machine, the woken instances' own work
// sharing the cores; how late the tail is belongs in a benchmark, not a timed test.
test(`${N} sleeping instances wake within about a second of their time (${BACKENDS[0]}, inline)`, async () => {
  const { p50, p95, max } = report("inline", await sleepers("inline"));
  assert.ok(p50 <= 1000, `median lateness ${p50} ms`);
  assert.ok(p95 <= 2500, `p95 lateness ${p95} ms`);
  assert.ok(max <= 5000, `the latest woke ${max} ms after its time`);
});

test.run();
