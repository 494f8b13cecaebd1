// Read-only fns (IrFn.readOnly: no write, spawn or txn anywhere they reach) run without logs or
// intents: a read-only entry instance records its result in one request, a read-only callee
// logs nothing, and a caller with effects logs such a callee's result itself, so what it wrote
// and what it answers rest on one result even if it dies and the callee would now say otherwise.
// Crash sweeps with real process death, on both stores.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { tableNames } from "../runtime/index.js";
import { BACKENDS, crashSweep, ok } from "./helpers.js";

const app = "test/fixtures/readonly";

async function seed(stack: LocalStack): Promise<void> {
  await stack.put("prices", "items", "a", { price: 3 });
  await stack.put("prices", "items", "b", { price: 4 });
}

async function logItems(stack: LocalStack): Promise<number> {
  let n = 0;
  for (const s of ["prices", "catalog", "shop"]) n += (await stack.rawItems(tableNames.log(stack.prefix, stack.app.ir.app, s))).length;
  return n;
}

test("the compiler marks fns with no effect anywhere they reach", async () => {
  const stack = await LocalStack.start({ app, schedule: false });
  try {
    const ro = Object.fromEntries(stack.app.ir.services.flatMap((s) => s.fns.map((f) => [`${s.name}.${f.name}`, f.readOnly])));
    assert.equal(ro, { "prices.price": true, "catalog.quote": true, "shop.quote": true, "shop.order": false });
  } finally {
    await stack.stop();
  }
});

for (const backend of BACKENDS) {
  test(`crash sweep over a read-only call chain: same answer, nothing logged (process, ${backend})`, async () => {
    const points = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed,
      fn: "shop.quote",
      input: { ks: ["a", "b", "a"] },
      check: async (stack, result) => {
        assert.equal(result, ok(10));
        assert.is(await logItems(stack), 0, "no log items");
      },
    });
    // invoke catalog, 3 × (invoke prices, read), the result record
    assert.ok(points >= 7, `swept ${points}`);
  });

  test(`crash sweep over a caller that writes what a read-only callee answered, with prices changed after each crash (process, ${backend})`, async () => {
    let points = 0;
    for (let k = 1; k <= 60; k++) {
      const stack = await LocalStack.start({ app, isolation: "process", backend, schedule: false });
      try {
        await seed(stack);
        const first = await stack.invoke("shop.order", { id: "o1", ks: ["a", "b"] }, { instanceId: "ord", crashAt: k });
        const crashed = "crashed" in first;
        // The callee would now answer 104: a re-execution must keep to the answer it logged, if any.
        if (crashed) await stack.put("prices", "items", "b", { price: 101 });
        await stack.recover();
        const again = await stack.invoke("shop.order", { id: "o1", ks: ["a", "b"] }, { instanceId: "ord" });
        if (!crashed) assert.equal(again, first);
        assert.ok("value" in again && (again.value === 7 || again.value === 104), `crash at ${k}: ${JSON.stringify(again)}`);
        const order = (await stack.get("shop", "orders", "o1")) as { total: number; count: number };
        assert.equal(order, { total: (again as { value: number }).value, count: 1 }, `crash at ${k}: written once, with the answer given`);
        if (!crashed) break;
        points++;
      } finally {
        await stack.stop();
      }
    }
    console.log(`    ${backend}: ${points} crash points`);
    assert.ok(points >= 6, `swept ${points}`);
  });
}

test.run();
