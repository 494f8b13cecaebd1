// Exactly-once for the constructs beyond straight-line code: parallel fan-out, spawn chains
// (with lost events), logged now/uuid/random, scan, externs, loops under duplicate executions.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, crashSweep } from "./helpers.js";

const fanout = "test/fixtures/fanout";

type Stamp = { at: number; id: string; r: number; total: number };

async function checkFanout(stack: LocalStack, result: unknown): Promise<void> {
  const r = result as { ok: boolean; value: Stamp };
  assert.ok(r.ok, JSON.stringify(result));
  assert.equal(r.value.total, 6, "extern double(1 + 1 + 1)");
  assert.equal(await stack.get("hub", "stamps", "x"), r.value, "the values written are the values returned");
  assert.equal(await stack.scan("leaf", "counts"), [
    { key: "x-a", value: { n: 1 } },
    { key: "x-b", value: { n: 1 } },
    { key: "x-c", value: { n: 1 } },
  ]);
  await stack.recover(); // spawned work
  assert.equal(await stack.get("audit", "entries", "x"), { k: "x", id: r.value.id, notes: 1 }, "spawn chain ran once");
}

for (const backend of BACKENDS) {
  test(`crash sweep over a parallel fan-out, now/uuid/random, an extern and a spawn chain two deep (process, ${backend})`, async () => {
    const points = await crashSweep({
      stack: { app: fanout, isolation: "process", backend },
      fn: "hub.fanout",
      input: { k: "x" },
      check: checkFanout,
    });
    assert.ok(points >= 12, `swept ${points}`);
  });
}

test("a lost Event invoke: the intent collector still runs the spawned callee exactly once", async () => {
  const stack = await LocalStack.start({ app: fanout, schedule: false });
  try {
    let dropped = 0;
    stack.dropEvent = () => (dropped++, true);
    const r = await stack.invoke("hub.fanout", { k: "x" }, { instanceId: "lost" });
    assert.equal(dropped, 1);
    assert.equal(await stack.get("audit", "entries", "x"), null, "the event was lost");
    await stack.recover(); // runs audit.record; its own spawn of audit.note is lost too, and recovered
    assert.equal(dropped, 2);
    stack.dropEvent = undefined;
    await checkFanout(stack, r);
  } finally {
    await stack.stop();
  }
});

test("the scheduled intent collector finishes a crashed invocation without recover()", async () => {
  // a short window (T = 1500 > timeout 900 + request timeout 500), so the collector comes soon
  const stack = await LocalStack.start({ app: fanout, windowMs: 1500, timeoutMs: 900, requestTimeoutMs: 500, schedule: true });
  try {
    const r = await stack.invoke("hub.fanout", { k: "x" }, { instanceId: "sched", crashAt: 5 });
    assert.equal(r, { crashed: true });
    const deadline = Date.now() + 20_000;
    const noted = async () => ((await stack.get("audit", "entries", "x")) as { notes?: number } | null)?.notes === 1;
    while (!(await noted()) && Date.now() < deadline) await new Promise((s) => setTimeout(s, 50));
    // (no retry by instance id here: after the window, the scheduled GC collects the instance: R0016)
    await checkFanout(stack, { ok: true, value: await stack.get("hub", "stamps", "x") });
  } finally {
    await stack.stop();
  }
});

test("two concurrent executions of one instance through a loop and a parallel block", async () => {
  const runs = [["inline", "dynalite"], ...BACKENDS.map((b) => ["process", b])] as ["inline" | "process", (typeof BACKENDS)[number]][];
  for (const [isolation, backend] of runs) {
    const stack = await LocalStack.start({ app: "test/fixtures/loops", isolation, backend, schedule: false });
    const fan = await LocalStack.start({ app: fanout, isolation, backend, schedule: false });
    try {
      for (let round = 0; round < 3; round++) {
        const id = `twin-${round}`;
        const [a, b] = await Promise.all([
          stack.invoke("batch.addAll", { names: ["p", "q"] }, { instanceId: id }),
          stack.invoke("batch.addAll", { names: ["p", "q"] }, { instanceId: id }),
        ]);
        assert.equal(a, b);
        const [c, d] = await Promise.all([
          fan.invoke("hub.fanout", { k: `k${round}` }, { instanceId: id }),
          fan.invoke("hub.fanout", { k: `k${round}` }, { instanceId: id }),
        ]);
        assert.equal(c, d);
      }
      assert.equal(await stack.get("tally", "counts", "p"), { n: 3, seen: ["p", "p", "p"] });
      assert.equal(await stack.get("batch", "log", "all"), { n: 6, seen: ["p", "q", "p", "q", "p", "q"] });
      await fan.recover();
      for (let round = 0; round < 3; round++) {
        assert.equal(await fan.get("leaf", "counts", `k${round}-b`), { n: 1 });
        assert.equal(((await fan.get("audit", "entries", `k${round}`)) as { notes: number }).notes, 1);
      }
    } finally {
      await stack.stop();
      await fan.stop();
    }
  }
});

test("scan is logged: a re-execution sees the rows the first execution saw", async () => {
  const stack = await LocalStack.start({ app: fanout, schedule: false });
  try {
    await stack.invoke("hub.fanout", { k: "a" }, { instanceId: "s1" });
    await stack.recover();
    // dies after its scan was logged... (intent 1, scan 2, log flush before the write 3)
    const crashed = await stack.invoke("audit.report", { id: "r1" }, { instanceId: "scan-1", crashAt: 3 });
    assert.equal(crashed, { crashed: true });
    await stack.invoke("hub.fanout", { k: "b" }, { instanceId: "s2" });
    await stack.recover();
    const r = await stack.invoke("audit.report", { id: "r1" }, { instanceId: "scan-1" });
    assert.equal(r, { ok: true, value: ["a:1"] }, "the logged scan, not the current table");
    assert.equal(await stack.get("audit", "reports", "r1"), { n: 1 }, "the write rests on the logged scan");
    // A read-only fn logs nothing: each instance scans the table as it is.
    assert.equal(await stack.invoke("audit.all", {}, { instanceId: "scan-2" }), { ok: true, value: ["a:1", "b:1"] });
  } finally {
    await stack.stop();
  }
});

test.run();
