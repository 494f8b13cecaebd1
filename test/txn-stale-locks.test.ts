// Locks nobody will release: an execution of a transaction's owner that takes a lock under an
// attempt another execution already decided, then dies before it learns of the decision (a
// client retry or the collector racing a live instance, then a crash). The lock is on no
// decision's list. Here such a straggler's lock is taken with the runtime's own lock request,
// under a real decided attempt's id; whoever meets it must find the attempt over (decided
// without it, or its call tree finished or already collected) and clear it. A lock of an
// attempt that is not over stays.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { Locks } from "../runtime/locks.js";
import { Store, tableNames, type DataTable } from "../runtime/index.js";
import { answered, BACKENDS, crashSweep, locksLeft } from "./helpers.js";
import { setTimeout as sleep } from "node:timers/promises";

const app = "test/fixtures/bank";
// A short window (lock holders older than T are looked into): T = 4000 > 2500 + 1200.
const short = { windowMs: 4000, timeoutMs: 2500, requestTimeoutMs: 1200 };

interface LoggedDecision {
  kind: string;
  id: string;
  age: number;
  locks: [string, string, string, string][];
}

/** The decisions logged in a service's log table. */
async function decisions(stack: LocalStack, service: string): Promise<LoggedDecision[]> {
  const out: LoggedDecision[] = [];
  for (const item of await stack.rawItems(tableNames.log(stack.prefix, stack.app.ir.app, service))) {
    for (const [step, v] of Object.entries((item.E ?? {}) as Record<string, unknown>))
      if (step.endsWith(".d")) out.push(v as LoggedDecision);
  }
  return out;
}

/** The lock request a straggling execution of attempt `holder` makes on `service.accounts[key]`. */
async function takeLateLock(stack: LocalStack, service: string, key: string, holder: { id: string; age: number }): Promise<void> {
  const table: DataTable = {
    name: tableNames.data(stack.prefix, stack.app.ir.app, service, "accounts"),
    label: "accounts",
    fields: ["balance"],
  };
  await new Locks(new Store(stack.runtimeConfig)).acquire(table, key, holder, "w", 1000);
}

for (const backend of BACKENDS) {
  test(`a lock taken late under a decided attempt is cleared by the next transaction and the next plain write (${backend})`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, ...short });
    try {
      for (const k of ["a1", "a2"]) await stack.put("bank", "accounts", k, { balance: 100 });
      await stack.put("vault", "accounts", "v1", { balance: 100 });
      const first = await answered(stack, "bank.transfer", { from: "a1", to: "v1", amount: 5 }, "late-1");
      assert.equal(first, { ok: true, value: "committed" });
      const [decision] = await decisions(stack, "bank");
      assert.ok(decision && decision.kind === "commit", JSON.stringify(decision));
      assert.ok(!decision.locks.some((l) => l[2] === "a2"), "the decision does not list a2");
      assert.ok(
        decision.locks.some((l) => l[2] === "a1"),
        "the decision lists a1",
      );
      // The straggler locks a2 (on no list) and a1 again (listed, but the owner has finished).
      await takeLateLock(stack, "bank", "a2", decision);
      await takeLateLock(stack, "bank", "a1", decision);
      assert.equal((await locksLeft(stack)).length, 2, "the late locks are held");
      // Only holders older than the window are looked into.
      await sleep(Math.max(0, decision.age + stack.runtimeConfig.windowMs + 100 - Date.now()));

      const next = await answered(stack, "bank.transfer", { from: "a2", to: "v1", amount: 7 }, "after-1");
      assert.equal(next, { ok: true, value: "committed" }, "the transfer clears the late lock instead of aborting");
      const plain = await answered(stack, "bank.deposit", { to: "a1", amount: 1 }, "plain-1");
      assert.equal(plain, { ok: true, value: true }, "a plain write clears the late lock instead of timing out");
      await stack.recover();
      assert.equal(await locksLeft(stack), []);
      assert.equal(await stack.get("bank", "accounts", "a2"), { balance: 93 });
      assert.equal(await stack.get("bank", "accounts", "a1"), { balance: 96 });
      assert.equal(await stack.get("vault", "accounts", "v1"), { balance: 112 });
    } finally {
      await stack.stop();
    }
  });

  test(`a lock left under an attempt whose call tree GC has already collected is cleared (${backend})`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, ...short });
    try {
      await stack.put("bank", "accounts", "a1", { balance: 100 });
      await stack.put("vault", "accounts", "v1", { balance: 100 });
      assert.equal(await answered(stack, "bank.transfer", { from: "a1", to: "v1", amount: 5 }, "gone-1"), { ok: true, value: "committed" });
      await stack.recover();
      const [decision] = await decisions(stack, "bank");
      await sleep(short.windowMs + 100);
      await stack.gc();
      await stack.gc();
      assert.equal(await decisions(stack, "bank"), [], "the owner's log is collected");
      // A straggler's late lock on a key the (collected) decision listed.
      await takeLateLock(stack, "bank", "a1", decision!);
      const r = await answered(stack, "bank.transfer", { from: "a1", to: "v1", amount: 7 }, "after-gone");
      assert.equal(r, { ok: true, value: "committed" });
      await stack.recover();
      assert.equal(await locksLeft(stack), []);
      assert.equal(await stack.get("bank", "accounts", "a1"), { balance: 88 });
    } finally {
      await stack.stop();
    }
  });

  test(`a lock of an attempt that is not over stays: a younger transaction meeting a crashed, unrecovered holder aborts (${backend})`, async () => {
    const stack = await LocalStack.start({ app, backend, schedule: false, ...short });
    try {
      await stack.put("bank", "accounts", "a1", { balance: 100 });
      await stack.put("vault", "accounts", "v1", { balance: 100 });
      // Kill a transfer right after it took its first lock: unfinished, undecided, locks held.
      let held: string[] = [];
      let crashed = 0;
      for (let k = 1; !held.length && k < 8; k++, crashed++) {
        assert.equal(await stack.invoke("bank.transfer", { from: "a1", to: "v1", amount: 5 }, { instanceId: `crashed-${k}`, crashAt: k }), {
          crashed: true,
        });
        held = await locksLeft(stack);
      }
      assert.is(held.length, 1, JSON.stringify(held));
      await sleep(short.windowMs + 100); // older than the window: looked into, and found live (its intent is not done)
      const r = await answered(stack, "bank.transfer", { from: "a1", to: "v1", amount: 5 }, "young-1");
      assert.equal(r, { ok: true, value: "aborted" });
      assert.equal(await locksLeft(stack), held, "the live holder keeps its lock");
      await stack.recover(); // the crashed transfers finish, and release it
      assert.equal(await locksLeft(stack), []);
      assert.equal(await stack.get("bank", "accounts", "a1"), { balance: 100 - 5 * crashed }, "each crashed transfer done once");
    } finally {
      await stack.stop();
    }
  });
}

for (const backend of BACKENDS) {
  test(`crash sweep: a transfer that clears a late lock, killed after each request (process, ${backend})`, async () => {
    const points = await crashSweep({
      // A short window, so the late lock is soon old enough to look into (T).
      stack: { app, backend, isolation: "process", ...short },
      seed: async (stack) => {
        for (const k of ["a1", "a2"]) await stack.put("bank", "accounts", k, { balance: 100 });
        await stack.put("vault", "accounts", "v1", { balance: 100 });
        assert.equal(await answered(stack, "bank.transfer", { from: "a1", to: "v1", amount: 5 }, "late-1"), {
          ok: true,
          value: "committed",
        });
        const [decision] = await decisions(stack, "bank");
        await takeLateLock(stack, "bank", "a2", decision!);
        await sleep(Math.max(0, decision!.age + short.windowMs + 100 - Date.now()));
      },
      fn: "bank.transfer",
      input: { from: "a2", to: "v1", amount: 7 },
      check: async (stack, result) => {
        assert.equal(result, { ok: true, value: "committed" });
        await stack.recover();
        assert.equal(await locksLeft(stack), []);
        assert.equal(await stack.get("bank", "accounts", "a2"), { balance: 93 });
        assert.equal(await stack.get("vault", "accounts", "v1"), { balance: 112 });
        assert.is((await stack.scan("audit", "log")).length, 2, "one audit record per transfer");
      },
    });
    console.log(`    ${backend}: ${points} crash points`);
    assert.ok(points >= 8, `swept ${points}`);
  });
}

test.run();
