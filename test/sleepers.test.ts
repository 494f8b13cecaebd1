// 200 instances asleep at once (issue 14), with real processes: while they sleep nothing runs
// for them — no busy worker, no process and no timer or socket per instance — and each wakes
// within about a second of its time (the stack's wake-up tick is WAKE_TICK_MS), exactly once.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, WAKE_TICK_MS } from "../local/index.js";
import { BACKENDS } from "./helpers.js";
import { untilSettled } from "./waiting-helpers.js";

const N = 200;
/** the wake-up times are spread over this long, as a real app's timers would be */
const SPREAD_MS = 10_000;
/** the first wake-up, from the start: after every instance is asleep even on a loaded machine */
const FIRST_MS = 20_000;

const resources = () => process.getActiveResourcesInfo().length;

test(`${N} sleeping instances hold no process or handle each, and wake on time (${BACKENDS[0]}, process isolation)`, async () => {
  const stack = await LocalStack.start({ app: "test/fixtures/sleepers", backend: BACKENDS[0], isolation: "process" });
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
    const client = async () => {
      for (let i = next++; i < N; i = next++) {
        const r = await stack.invoke("clock.nap", input(i), { instanceId: ids[i] });
        assert.equal(r, { ok: true, pending: true, instanceId: ids[i] }, `${ids[i]}: ${JSON.stringify(r)}`);
      }
    };
    const before = resources();
    await Promise.all(Array.from({ length: 8 }, client));
    assert.ok(Date.now() < base - 2000, `falling asleep took ${Date.now() - base + FIRST_MS} ms: a very slow machine (raise FIRST_MS)`);

    // all asleep: nothing runs for them, and nothing is held per instance
    const workers = stack.workers();
    // (at most the wake-up pass itself, one per service that may suspend)
    assert.ok(workers.busy <= 2, `${workers.busy} executions running while they sleep`);
    assert.ok(workers.live <= 16, `${workers.live} worker processes for ${N} sleepers`);
    const held = resources() - before;
    assert.ok(held < 20, `${held} more timers/sockets/handles with ${N} instances asleep`);
    const intents = (await stack.rawItems(`${stack.prefix}sleepers.clock-intent`)).filter((x) => String(x.I).startsWith("sleeper-"));
    assert.is(intents.filter((x) => x.SU !== undefined).length, N, "every one suspended in the store");
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
    late.sort((a, b) => a - b);
    const p = (q: number) => late[Math.min(N - 1, Math.floor(q * N))]!;
    console.log(`  ${N} sleepers, late by: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${late[N - 1]} ms (tick ${WAKE_TICK_MS} ms)`);
    assert.ok(p(0.95) <= 1000, `p95 lateness ${p(0.95)} ms`);
    assert.ok(late[N - 1]! <= 2500, `the latest woke ${late[N - 1]} ms after its time`);
  } finally {
    await stack.stop();
  }
});

test.run();
