// An entry instance registers its intent at its first durable request (runtime/log.ts
// EntryRegistration): with what it read before, when that request is a log put (one put for
// both; a sleep's wake-up time rides along too), alone before a lock; finished, in one put,
// when it made none. Nothing that stays in the store goes out before the registration is
// settled, and what the registration finds (a retry of a running or a finished instance,
// another invocation under the id) is handled as if nothing had run: end to end, on both
// stores, with crash sweeps.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, type InvokeResult } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft, ok } from "./helpers.js";
import { INTENT_FIRST_LOG, tableNames } from "../contract/schema.js";
import { untilSettled } from "./waiting-helpers.js";

const app = "test/fixtures/registration";
const failure = (r: InvokeResult) => ("ok" in r && !r.ok ? r.error : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const backend of BACKENDS) {
  test(`[${backend}] a fn that reads first registers with what it read: one put for both, held until the writes`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, requestTimeoutMs: 10_000, timeoutMs: 30_000, windowMs: 60_000 });
    try {
      await stack.put("tally", "counts", "a", { n: 2 });
      await stack.put("tally", "counts", "b", { n: 3 });
      const seen: string[] = [];
      const running = stack.invoke(
        "tally.merge",
        { from: "a", to: "b" },
        { instanceId: "h1", pauseAt: 3, onRequest: (_, r) => seen.push(r) },
      );
      await stack.paused();
      await sleep(300); // time enough for a write that did not wait
      assert.equal(seen, ["GetItem tally.counts", "GetItem tally.counts", "PutItem tally-intent"], "the writes wait for the registration");
      stack.resume();
      assert.equal(await running, ok(5));
      // no log put: the registration held the reads and now()
      assert.equal(seen.slice(3), ["UpdateItem tally.counts", "UpdateItem tally.counts", "UpdateItem tally-intent"]);
      assert.equal(await stack.rawItems(tableNames.log(stack.prefix, stack.app.ir.app, "tally")), []);
      const intent = (await stack.rawItems(tableNames.intent(stack.prefix, stack.app.ir.app, "tally"))).find((i) => i.I === "h1");
      const first = intent?.[INTENT_FIRST_LOG] as Record<string, unknown> | undefined;
      const logged = Object.entries(first ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
      assert.equal(
        logged.map(([, v]) => (typeof v === "number" ? "now" : v)),
        [{ n: 2 }, { n: 3 }, "now"],
        JSON.stringify(intent),
      );
      assert.equal(await stack.get("tally", "counts", "b"), { n: 5 });
      assert.equal(await stack.get("tally", "counts", "a"), { n: 0 });
    } finally {
      stack.resume();
      await stack.stop();
    }
  });

  test(`[${backend}] a fn that made no durable request is registered finished, in one put; a retry gets that answer`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false });
    try {
      await stack.put("tally", "counts", "p", { n: 4 });
      const seen: string[] = [];
      assert.equal(
        await stack.invoke("tally.peek", { k: "p", bump: false }, { instanceId: "p1", onRequest: (_, r) => seen.push(r) }),
        ok(4),
      );
      assert.equal(seen, ["GetItem tally.counts", "PutItem tally-intent"]);
      await stack.put("tally", "counts", "p", { n: 9 });
      assert.equal(await stack.invoke("tally.peek", { k: "p", bump: false }, { instanceId: "p1" }), ok(4), "the recorded answer");
      const other = await stack.invoke("tally.peek", { k: "p", bump: true }, { instanceId: "p1" });
      assert.is(failure(other)?.code, "R0008", JSON.stringify(other));
      assert.equal(await stack.get("tally", "counts", "p"), { n: 9 });
      assert.equal(
        (await stack.versions()).flatMap((v) => v.unfinished),
        [],
      );
    } finally {
      await stack.stop();
    }
  });

  test(`[${backend}] with a large input, the registration goes alone and the reads get a log put of their own`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false });
    try {
      await stack.put("tally", "counts", "q", { n: 1 });
      const seen: string[] = [];
      const text = "x".repeat(70_000);
      assert.equal(await stack.invoke("tally.note", { k: "q", text }, { instanceId: "big", onRequest: (_, r) => seen.push(r) }), ok(1));
      assert.equal(seen, [
        "GetItem tally.counts",
        "PutItem tally-intent",
        "PutItem tally-log",
        "UpdateItem tally.counts",
        "UpdateItem tally-intent",
      ]);
      assert.equal(await stack.invoke("tally.note", { k: "q", text }, { instanceId: "big" }), ok(1), "a retry: the recorded answer");
      assert.equal(await stack.get("tally", "counts", "q"), { n: 2 });
    } finally {
      await stack.stop();
    }
  });

  test(`[${backend}] a fn that reads, then sleeps: the registration holds the read and the wake-up time; woken, it uses them`, async () => {
    const stack = await LocalStack.start({ app, backend });
    try {
      await stack.put("tally", "counts", "z", { n: 6 });
      const seen: string[] = [];
      const first = await stack.invoke("tally.snooze", { k: "z" }, { instanceId: "z1", onRequest: (_, r) => seen.push(r) });
      assert.ok("pending" in first, JSON.stringify(first));
      assert.equal(
        seen,
        ["GetItem tally.counts", "PutItem tally-intent", "UpdateItem tally-intent"],
        "no log put: the read rode with the registration",
      );
      await stack.put("tally", "counts", "z", { n: 40 }); // a woken execution that read again would answer 40
      assert.equal(await untilSettled(stack, "tally.snooze", { k: "z" }, "z1"), ok(6));
      assert.equal(await stack.get("tally", "counts", "z"), { n: 41 });
    } finally {
      await stack.stop();
    }
  });

  test(`[${backend}] a lock waits for the registration too`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, requestTimeoutMs: 10_000, timeoutMs: 30_000, windowMs: 60_000 });
    try {
      await stack.put("tally", "counts", "t", { n: 1 });
      const seen: string[] = [];
      const running = stack.invoke("tally.take", { k: "t" }, { pauseAt: 1, onRequest: (_, r) => seen.push(r) });
      await stack.paused();
      await sleep(300);
      assert.equal(seen, ["PutItem tally-intent"], "nothing but the held put");
      stack.resume();
      assert.equal(await running, ok(true));
      assert.equal(await stack.get("tally", "counts", "t"), { n: 0 });
      assert.equal(await locksLeft(stack), []);
    } finally {
      stack.resume();
      await stack.stop();
    }
  });

  test(`[${backend}] what the registration finds: a finished instance's answer, another invocation's id refused; nothing written again`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false });
    try {
      await stack.put("tally", "counts", "a", { n: 2 });
      await stack.put("tally", "counts", "b", { n: 3 });
      assert.equal(await stack.invoke("tally.merge", { from: "a", to: "b" }, { instanceId: "m1" }), ok(5));
      await stack.put("tally", "counts", "a", { n: 7 }); // a retry that ran on would write 7 + 5
      const seen: string[] = [];
      assert.equal(
        await stack.invoke("tally.merge", { from: "a", to: "b" }, { instanceId: "m1", onRequest: (_, r) => seen.push(r) }),
        ok(5),
        "the recorded answer",
      );
      assert.not.ok(
        seen.some((r) => r.startsWith("UpdateItem tally.counts") || r.startsWith("PutItem tally-log")),
        JSON.stringify(seen),
      );
      const other = await stack.invoke("tally.merge", { from: "b", to: "a" }, { instanceId: "m1" });
      assert.is(failure(other)?.code, "R0008", JSON.stringify(other));
      assert.equal(await stack.get("tally", "counts", "b"), { n: 5 });
      assert.equal(await stack.get("tally", "counts", "a"), { n: 7 });
    } finally {
      await stack.stop();
    }
  });

  test(`[${backend}] crashed at every request, then retried by its client (the registration finds it running): every effect once`, async () => {
    for (let k = 1; ; k++) {
      const stack = await LocalStack.start({ app, backend, schedule: false });
      try {
        await stack.put("tally", "counts", "a", { n: 2 });
        await stack.put("tally", "counts", "b", { n: 3 });
        const first = await stack.invoke("tally.merge", { from: "a", to: "b" }, { instanceId: "c1", crashAt: k });
        // Once registered, the instance's reads are the logged ones (the registration holds them):
        // a change made now is not seen; before, nothing ran, and the retry reads it.
        const registered = (await stack.rawItems(tableNames.intent(stack.prefix, stack.app.ir.app, "tally"))).length > 0;
        const a = (await stack.get("tally", "counts", "a")) as { n: number } | null;
        if ("crashed" in first && a?.n !== 0) await stack.put("tally", "counts", "a", { n: 100 });
        const total = registered || !("crashed" in first) ? 5 : 103;
        const again = await stack.invoke("tally.merge", { from: "a", to: "b" }, { instanceId: "c1" });
        assert.equal(again, ok(total), `crash at ${k}: ${JSON.stringify(first)} then ${JSON.stringify(again)}`);
        assert.equal(await stack.get("tally", "counts", "b"), { n: total }, `crash at ${k}`);
        assert.equal(await stack.get("tally", "counts", "a"), { n: 0 }, `crash at ${k}`);
        const left = (await stack.versions()).flatMap((v) => v.unfinished);
        assert.equal(left, [], `crash at ${k}: nothing left to the collector`);
        if (!("crashed" in first)) break;
      } finally {
        await stack.stop();
      }
    }
  });

  test(`[${backend}] crash sweeps (process): merge and take end as the uncrashed runs`, async () => {
    const merged = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed: async (s) => {
        await s.put("tally", "counts", "a", { n: 2 });
        await s.put("tally", "counts", "b", { n: 3 });
      },
      fn: "tally.merge",
      input: { from: "a", to: "b" },
      check: async (s, r) => {
        assert.equal(r, ok(5));
        assert.equal(await s.get("tally", "counts", "b"), { n: 5 });
        assert.equal(await s.get("tally", "counts", "a"), { n: 0 });
      },
    });
    const took = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed: (s) => s.put("tally", "counts", "t", { n: 1 }),
      fn: "tally.take",
      input: { k: "t" },
      check: async (s, r) => {
        assert.equal(r, ok(true));
        assert.equal(await s.get("tally", "counts", "t"), { n: 0 });
        assert.equal(await locksLeft(s), []);
      },
    });
    assert.ok(merged >= 6 && took >= 4, `requests: merge ${merged}, take ${took}`);
  });
}

test.run();
