// Stragglers after GC (issue 9): the protocol assumes no execution outlives the window T, and
// keeps to it with deadlines; if that bound is wrong anyway — a write delayed in the network
// past GC — the store itself refuses it (the fence GC leaves on the key's head row), and late
// events, re-sends and retries of a collected instance do nothing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { answered, BACKENDS } from "./helpers.js";
import { setTimeout as sleep } from "node:timers/promises";

const app = "test/fixtures/straggler";
// T = 6000 ms > timeout 3500 + request timeout 2000 (a cold DynamoDB Local on a loaded machine is slow)
const timing = { windowMs: 6000, timeoutMs: 3500, requestTimeoutMs: 2000 };

/** Waits for the held request, or fails saying so (a run that ran out of time before it got there). */
async function heldOrFail(stack: LocalStack, first: Promise<unknown>): Promise<void> {
  const timeout = new Promise<"late">((r) => setTimeout(() => r("late"), 4 * timing.windowMs).unref());
  const ended = first.then(() => "ended" as const);
  const r = await Promise.race([
    stack.paused().then(() => "held" as const),
    timeout,
    ended.then(() => Promise.race([stack.paused().then(() => "held" as const), timeout])),
  ]);
  if (r !== "held") assert.unreachable(`no request was held: ${JSON.stringify(await first)}`);
}

for (const backend of BACKENDS) {
  test(`a write held in the network past GC is refused by the fence: every effect once (${backend})`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, ...timing });
    try {
      // requests of ledger.twice: 1 intent put, 2 update -a, 3 update -b (held), ...
      const running = stack.invoke("ledger.twice", { k: "x" }, { instanceId: "s1", pauseAt: 3 });
      await heldOrFail(stack, running);
      const first = await running;
      // its sender gave up on that request (ambiguous) and did the step again carefully, or ran out of time
      const code = (first as { error?: { code: string } }).error?.code;
      assert.ok(("ok" in first && first.ok) || code === "R0015", JSON.stringify(first));
      await stack.recover(); // another execution finishes the instance (and its spawn)
      assert.equal(await stack.get("ledger", "counts", "x-b"), { n: 1 });
      await sleep(timing.windowMs + 100);
      const gc = await stack.gc();
      assert.ok(!("crashed" in gc) && gc.entries >= 2 && gc.intents >= 2, `GC collected the trees: ${JSON.stringify(gc)}`);
      stack.resume(); // the stalled write reaches the store now
      await sleep(300);
      assert.equal(await stack.get("ledger", "counts", "x-a"), { n: 1 });
      assert.equal(await stack.get("ledger", "counts", "x-b"), { n: 1 }, "the straggler's write did not apply again");
      assert.equal(await stack.get("audit", "notes", "x"), { n: 1 });
    } finally {
      await stack.stop();
    }
  });

  test(`after GC: a retry is R0016, a reuse is R0008 naming fn and input, late events and re-sends run nothing (${backend})`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, ...timing });
    try {
      assert.equal(await answered(stack, "ledger.twice", { k: "y" }, "s2"), { ok: true, value: 1 });
      await stack.recover();
      await sleep(timing.windowMs + 100);
      await stack.gc();
      const retry = await stack.invoke("ledger.twice", { k: "y" }, { instanceId: "s2" });
      assert.equal((retry as { error?: { code: string } }).error?.code, "R0016", JSON.stringify(retry));
      const reuse = await stack.invoke("ledger.twice", { k: "z" }, { instanceId: "s2" });
      const message = (reuse as { error?: { code: string; message: string } }).error;
      assert.equal(message?.code, "R0008");
      assert.match(message!.message, /ledger\.twice with input \{"k":"y"\}/);
      // a late spawn event and a collector re-send of the collected instances
      const spawned = "s2!"; // the spawned id starts with its parent's id and `!`
      const items = await stack.rawItems(`${stack.prefix}${stack.app.ir.app}.audit-intent`);
      const note = items.find((i) => String(i.I).startsWith(spawned));
      assert.ok(note && note.TB !== undefined, `the spawned intent is a tombstone: ${JSON.stringify(items)}`);
      await stack.deliver("audit", { fn: "note", instanceId: note.I, input: { k: "y" }, beldi: { kind: "spawn" } });
      await stack.deliver("audit", { fn: "note", instanceId: note.I, input: { k: "y" }, beldi: { kind: "recover" } });
      await stack.deliver("ledger", { fn: "twice", instanceId: "s2", input: { k: "y" }, beldi: { kind: "recover" } });
      await stack.recover();
      assert.equal(await stack.get("audit", "notes", "y"), { n: 1 }, "the late event did not run the note again");
      assert.equal(await stack.get("ledger", "counts", "y-a"), { n: 1 }, "the re-send did not run twice again");
    } finally {
      await stack.stop();
    }
  });
}

// Found by the GC crash sweep: a pass collecting "later" (a shifted clock) fenced keys with its
// future clock, so every live execution writing them was refused until real time caught up.
test("GC's fence is the real clock: a live instance writing a key GC just cleaned runs at once (dynalite)", async () => {
  const stack = await LocalStack.start({ app, backend: "dynalite", schedule: false, ...timing });
  try {
    assert.equal(await answered(stack, "ledger.twice", { k: "w" }, "old"), { ok: true, value: 1 });
    await stack.recover();
    const gc = await stack.gc({ laterByMs: 60_000 });
    assert.ok(!("crashed" in gc) && gc.entries >= 1, `GC cleaned the key's head: ${JSON.stringify(gc)}`);
    // same keys, another tree: its writes must not meet a fence set in the future
    assert.equal(await stack.invoke("ledger.twice", { k: "w" }, { instanceId: "new" }), { ok: true, value: 1 });
    assert.equal(await stack.get("ledger", "counts", "w-a"), { n: 2 });
  } finally {
    await stack.stop();
  }
});

test("a window not longer than timeout + request timeout is refused with a clear error", async () => {
  try {
    await LocalStack.start({ app, windowMs: 1000, timeoutMs: 900, requestTimeoutMs: 200 });
    assert.unreachable("started");
  } catch (e) {
    assert.equal((e as { code?: string }).code, "R0017");
    assert.match((e as Error).message, /windowMs 1000.*timeoutMs 900.*requestTimeoutMs 200/);
  }
});

test.run();
