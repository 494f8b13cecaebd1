// Exactly-once under duplicates: client retries, concurrent executions of one instance, the
// intent collector racing a live execution, and concurrent writers on one key while its row
// rolls over.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LOG_PREFIX, PINNED_PREFIX } from "../contract/schema.js";
import { LocalStack } from "../local/index.js";
import { answered, BACKENDS, ok, requestsDuring } from "./helpers.js";

const hello = "examples/hello";

test("a client's retry with the same instance id returns the recorded result and does nothing else", async () => {
  const stack = await LocalStack.start({ app: hello, schedule: false });
  try {
    const first = await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "r1" });
    let again: unknown;
    const used = await requestsDuring(stack, async () => {
      again = await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "r1" });
    });
    assert.equal(again, first);
    assert.equal(first, ok("Hello, ada! Visit number 1."));
    assert.equal(await stack.get("counter", "counts", "ada"), { n: 1 });
    // only the intent lookup: no invoke, no write
    assert.equal(used, { PutItem: 1, GetItem: 1 });
  } finally {
    await stack.stop();
  }
});

test("the same instance id with another fn or input is an error result (R0008)", async () => {
  const stack = await LocalStack.start({ app: hello, schedule: false });
  try {
    await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "r1" });
    const other = await stack.invoke("greeter.greet", { name: "bob" }, { instanceId: "r1" });
    assert.equal((other as { error?: { code: string } }).error?.code, "R0008");
    assert.equal(await stack.get("counter", "counts", "bob"), null);
  } finally {
    await stack.stop();
  }
});

for (const [isolation, backend] of [["inline", "dynalite"], ...BACKENDS.map((b) => ["process", b])] as [
  "inline" | "process",
  (typeof BACKENDS)[number],
][]) {
  test(`two concurrent executions of one instance: one effect, the same result (${isolation}, ${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, isolation, backend, schedule: false });
    try {
      for (let round = 0; round < 5; round++) {
        const id = `dup-${round}`;
        const [a, b] = await Promise.all([
          stack.invoke("greeter.greet", { name: "eve" }, { instanceId: id }),
          stack.invoke("greeter.greet", { name: "eve" }, { instanceId: id }),
        ]);
        assert.equal(a, b, `round ${round}`);
        assert.equal(a, ok(`Hello, eve! Visit number ${round + 1}.`));
      }
      assert.equal(await stack.get("counter", "counts", "eve"), { n: 5 });
    } finally {
      await stack.stop();
    }
  });
}

for (const backend of BACKENDS) {
  test(`the intent collector re-executing a live instance: a duplicate racing the original (${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, backend, schedule: false });
    try {
      for (let round = 0; round < 8; round++) {
        const id = `race-${round}`;
        const original = stack.invoke("greeter.greet", { name: "zed" }, { instanceId: id });
        await new Promise((r) => setTimeout(r, round * 3));
        await stack.recover(); // treats the live instance as expired and runs it again
        const r = await original;
        assert.equal(r, ok(`Hello, zed! Visit number ${round + 1}.`));
        assert.equal(await stack.invoke("greeter.greet", { name: "zed" }, { instanceId: id }), r);
      }
      assert.equal(await stack.get("counter", "counts", "zed"), { n: 8 });
      assert.equal((await stack.get("greeter", "greetings", "zed")) as unknown, { text: "Hello, zed! Visit number 8.", visits: 8 });
    } finally {
      await stack.stop();
    }
  });

  test(`concurrent writers on one hot key while its row rolls over, capacity 2: no update lost or doubled (${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, rowCapacity: 2, backend, schedule: false });
    try {
      const n = 30;
      const results = await Promise.all(
        // a loaded machine may run one past its timeout (R0015): a client retries the same id
        Array.from({ length: n }, (_, i) => answered(stack, "counter.bump", { name: "hot" }, `hot-${i}`)),
      );
      assert.ok(
        results.every((r) => "ok" in r && r.ok),
        JSON.stringify(results.find((r) => !("ok" in r && r.ok))),
      );
      assert.equal(await stack.get("counter", "counts", "hot"), { n });
      // (bump's read is not atomic with its update, so two bumps may see the same count; the last sees all)
      assert.equal(Math.max(...results.map((r) => (r as { value: number }).value)), n);
      // Each update is logged exactly once on the key: as an `l_` entry (a first execution; roll-over moves
      // full batches of them to archive rows) or a `q_` entry (a careful retry, never moved; how many
      // there are depends on how loaded the machine is).
      const rows = await stack.rawItems(`${stack.prefix}hello.counter.counts`);
      const count = (r: Record<string, unknown>, prefix: string) => Object.keys(r).filter((a) => a.startsWith(prefix)).length;
      const head = rows.find((r) => r.R === "H")!;
      const archives = rows.filter((r) => String(r.R).startsWith("A"));
      const layout = rows.map((r) => `${String(r.R)}: ${count(r, LOG_PREFIX)} l_, ${count(r, PINNED_PREFIX)} q_`).join("; ");
      assert.is(
        rows.reduce((a, r) => a + count(r, LOG_PREFIX) + count(r, PINNED_PREFIX), 0),
        n,
        `every update logged once (${layout})`,
      );
      assert.ok(count(head, LOG_PREFIX) <= 2, `the head holds at most its capacity of l_ entries (${layout})`);
      assert.ok(
        archives.every((r) => count(r, LOG_PREFIX) === 2 && count(r, PINNED_PREFIX) === 0),
        `each archive is one full batch of l_ entries (${layout})`,
      );
      // retries of every instance still find their recorded results
      for (let i = 0; i < n; i++) {
        assert.equal(await stack.invoke("counter.bump", { name: "hot" }, { instanceId: `hot-${i}` }), results[i]);
      }
      assert.equal(await stack.get("counter", "counts", "hot"), { n });
    } finally {
      await stack.stop();
    }
  });

  test(`a re-execution finds its step in an archive row after the key rolled over many times (${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, rowCapacity: 2, backend, schedule: false });
    try {
      // intent (1), update (2): dies right after its update took effect
      const crashed = await stack.invoke("counter.bump", { name: "k" }, { instanceId: "early", crashAt: 2 });
      assert.equal(crashed, { crashed: true });
      assert.equal(await stack.get("counter", "counts", "k"), { n: 1 });
      for (let i = 0; i < 9; i++) await stack.invoke("counter.bump", { name: "k" }, { instanceId: `later-${i}` });
      assert.equal(await stack.get("counter", "counts", "k"), { n: 10 });
      await stack.recover();
      assert.equal(await stack.get("counter", "counts", "k"), { n: 10 }, "the recovered instance did not update again");
      assert.equal(await stack.invoke("counter.bump", { name: "k" }, { instanceId: "early" }), ok(10));
    } finally {
      await stack.stop();
    }
  });
}

test.run();
