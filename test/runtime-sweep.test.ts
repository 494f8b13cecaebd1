// Crash sweeps over a workflow that reads, writes, updates with and without `where`, and calls
// two other services, and over loops of calls: every effect happens exactly once and the
// result is the same whatever request the invocation dies after — with real process death, on
// both stores.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LocalStack } from "../local/index.js";
import { BACKENDS, crashSweep, ok } from "./helpers.js";

const app = "test/fixtures/shop";

async function effectsOnce(stack: LocalStack, result: unknown): Promise<void> {
  assert.equal(result, ok("u1 bought 2 apple, spent 20"));
  assert.equal(await stack.get("stock", "items", "apple"), { left: 3 }, "stock taken once");
  assert.equal(await stack.get("wallet", "accounts", "u1"), { spent: 20, orders: ["apple"] }, "charged once");
  assert.equal(
    await stack.get("front", "orders", "u1"),
    { item: "apple", qty: 2, total: 20, count: 1, note: "paid 20" },
    "order written once",
  );
}

const runs: ["inline" | "process", (typeof BACKENDS)[number]][] = [
  ["inline", "dynalite"],
  ...BACKENDS.map((b) => ["process", b] as ["process", typeof b]),
];

for (const [isolation, backend] of runs) {
  test(`crash sweep over front.buy (${isolation}, ${backend})`, async () => {
    const points = await crashSweep({
      stack: { app, isolation, backend },
      seed: (s) => s.put("stock", "items", "apple", { left: 5 }),
      fn: "front.buy",
      input: { user: "u1", item: "apple", qty: 2 },
      check: effectsOnce,
    });
    // intent, read, call stock (+ its update, result), call wallet (+ update, read, result), write, update, finish
    assert.ok(points >= 10, `swept ${points} crash points`);
    console.log(`    ${isolation}/${backend}: ${points} crash points swept`);
  });
}

for (const backend of BACKENDS) {
  test(`crash sweep over the out-of-stock path, where the condition is false (${backend})`, async () => {
    const points = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed: (s) => s.put("stock", "items", "apple", { left: 1 }),
      fn: "front.buy",
      input: { user: "u1", item: "apple", qty: 2 },
      check: async (stack, result) => {
        assert.equal(result, ok("out of stock"));
        assert.equal(await stack.get("stock", "items", "apple"), { left: 1 });
        assert.equal(await stack.get("wallet", "accounts", "u1"), null);
        assert.equal(await stack.get("front", "orders", "u1"), null);
      },
    });
    assert.ok(points >= 4);
  });

  test(`crash sweep over loops of calls and updates: for over a list, while, for over a map (${backend})`, async () => {
    const points = await crashSweep({
      stack: { app: "test/fixtures/loops", isolation: "process", backend },
      fn: "batch.addAll",
      input: { names: ["x", "y", "x"] },
      check: async (stack, result) => {
        assert.equal(result, ok(4));
        assert.equal(await stack.scan("tally", "counts"), [
          { key: "x", value: { n: 2, seen: ["x", "x"] } },
          { key: "y", value: { n: 1, seen: ["y"] } },
        ]);
        assert.equal(await stack.scan("batch", "log"), [
          { key: "a", value: { n: 1, seen: ["a"] } },
          { key: "all", value: { n: 3, seen: ["x", "y", "x"] } },
          { key: "b", value: { n: 2, seen: ["b"] } },
        ]);
      },
    });
    assert.ok(points >= 15, `swept ${points}`);
  });
}

test.run();
