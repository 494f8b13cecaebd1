// A crash sweep over an example users start from: examples/travel's reservation — a read-only
// login check, a `txn` over a hotel room (read, then update) and a flight seat (`update ...
// where`) in two other services, then `spawn` of the order. Killed after each of its requests
// in turn (real process death, both stores): one room, one seat and one order, no lock left.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LocalStack } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft, ok } from "./helpers.js";

const app = "examples/travel";

async function seed(stack: LocalStack): Promise<void> {
  await stack.put("user", "users", "ada", { password: "pw" });
  await stack.put("hotel", "hotels", "h1", { name: "Hotel h1", cap: 3, price: 120 });
  await stack.put("flight", "flights", "f1", { cap: 2 });
}

for (const backend of BACKENDS) {
  test(`crash sweep over examples/travel frontend.reserve (process, ${backend})`, async () => {
    const points = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed,
      fn: "frontend.reserve",
      input: { user: "ada", password: "pw", hotel: "h1", flight: "f1" },
      check: async (stack, result) => {
        assert.equal(result, ok(true));
        await stack.recover(); // the spawned order
        assert.equal(await stack.get("hotel", "hotels", "h1"), { name: "Hotel h1", cap: 2, price: 120 }, "one room taken");
        assert.equal(await stack.get("flight", "flights", "f1"), { cap: 1 }, "one seat taken");
        const orders = await stack.scan("order", "orders");
        assert.is(orders.length, 1, "one order");
        assert.equal({ ...(orders[0]!.value as object), at: 0 }, { user: "ada", hotel: "h1", flight: "f1", at: 0 });
        assert.equal(await locksLeft(stack), []);
      },
    });
    console.log(`    ${backend}: ${points} crash points`);
    assert.ok(points >= 12, `swept ${points}`);
  });
}

test.run();
