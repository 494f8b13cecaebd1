// The example apps users start from (examples/travel, movie, social) work: seeded with the
// benchmark's data, every entry fn answers its smoke cases (bench/workloads) on the local stack,
// and a short concurrent run of each app's request mix leaves state its checks accept.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { seed } from "../bench/seed.js";
import { WORKLOADS } from "../bench/workloads/index.js";
import type { Workload } from "../bench/workloads/workload.js";
import { drive } from "../bench/driver.js";
import { sequence } from "../bench/measure.js";
import { locksLeft } from "./helpers.js";

async function seeded(w: Workload, body: (stack: LocalStack) => Promise<void>): Promise<void> {
  const stack = await LocalStack.start({ app: w.app, schedule: false });
  try {
    await seed(stack, w.rows());
    await body(stack);
    assert.equal(await locksLeft(stack), []);
  } finally {
    await stack.stop();
  }
}

for (const [name, make] of Object.entries(WORKLOADS)) {
  test(`examples/${name}: every entry fn answers its cases`, async () => {
    const w = make(1);
    await seeded(w, async (stack) => {
      for (const [i, c] of w.smoke().entries()) {
        const r = await stack.invoke(c.fn, c.input, { instanceId: `smoke-${i}` });
        await stack.recover(); // the next case may look at what this one spawned
        const where = `${c.fn} ${JSON.stringify(c.input)}`;
        if ("crashed" in r) assert.unreachable(`${where} crashed`);
        else if (c.fails)
          assert.ok(!r.ok && c.fails.test(r.error.message), `${where}: expected a failure matching ${c.fails}, got ${JSON.stringify(r)}`);
        else if (!r.ok) assert.unreachable(`${where}: ${JSON.stringify(r)}`);
        else assert.is("value" in r ? (c.check?.(r.value) ?? null) : `pending ${r.instanceId}`, null, where);
      }
    });
  });

  test(`examples/${name}: 60 requests of its mix, 4 clients at once, leave consistent state`, async () => {
    const w = make(1);
    await seeded(w, async (stack) => {
      const { done } = await drive(stack, sequence(w, 60, 7), 4, "mix-");
      await stack.recover();
      assert.equal(await w.verify(stack, done, false), []);
    });
  });
}

test.run();
