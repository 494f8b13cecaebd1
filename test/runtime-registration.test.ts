// An entry instance registers its intent while its fn runs up to the first durable request
// (runtime/service.ts, log.ts `registered`): its reads overlap the intent's put, and nothing that
// stays in the store — a log put, a write, a lock — goes out before the registration is settled.
// What the registration finds (a retry of a running or a finished instance, another invocation
// under the id) is handled as if nothing had run: end to end, on both stores, with crash sweeps.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, type InvokeResult } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft, ok } from "./helpers.js";

const app = "test/fixtures/registration";
const failure = (r: InvokeResult) => ("ok" in r && !r.ok ? r.error : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `seen` satisfies `done`, or fails after a few seconds. */
async function until(seen: string[], done: (s: string[]) => boolean, what: string): Promise<void> {
  for (const t0 = Date.now(); !done(seen); await sleep(10)) {
    if (Date.now() - t0 > 10_000) assert.unreachable(`${what}: saw ${JSON.stringify(seen)}`);
  }
}

for (const backend of BACKENDS) {
  test(`[${backend}] while the intent's put is held, the reads go out and the write waits for it`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, requestTimeoutMs: 10_000, timeoutMs: 30_000, windowMs: 60_000 });
    try {
      await stack.put("tally", "counts", "a", { n: 2 });
      await stack.put("tally", "counts", "b", { n: 3 });
      const seen: string[] = [];
      const running = stack.invoke("tally.merge", { from: "a", to: "b" }, { pauseAt: 1, onRequest: (_, r) => seen.push(r) });
      await stack.paused();
      await until(seen, (s) => s.filter((r) => r === "GetItem tally.counts").length === 2, "both reads while the put is held");
      await sleep(300); // time enough for a write that did not wait
      assert.equal(seen, ["PutItem tally-intent", "GetItem tally.counts", "GetItem tally.counts"]);
      stack.resume();
      assert.equal(await running, ok(5));
      // then the log put (now()), the two effects and the intent's "done": nothing more than before
      assert.equal(seen.slice(3), ["PutItem tally-log", "UpdateItem tally.counts", "UpdateItem tally.counts", "UpdateItem tally-intent"]);
      assert.equal(await stack.get("tally", "counts", "b"), { n: 5 });
      assert.equal(await stack.get("tally", "counts", "a"), { n: 0 });
    } finally {
      stack.resume();
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
        const again = await stack.invoke("tally.merge", { from: "a", to: "b" }, { instanceId: "c1" });
        assert.equal(again, ok(5), `crash at ${k}: ${JSON.stringify(first)} then ${JSON.stringify(again)}`);
        assert.equal(await stack.get("tally", "counts", "b"), { n: 5 }, `crash at ${k}`);
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
