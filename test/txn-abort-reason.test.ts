// LANGUAGE.md §9 on the local stack: `abort e` and `txn { } else (r) { }` (the reason is logged with
// the transaction's decision, so every re-execution takes the same `else` with the same `r`), a
// transaction whose restarts run out continuing in `else` with "conflict", `a?.f` and
// `update ... as s`. Both stores; crash sweeps with real process death for the abort path.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft, ok } from "./helpers.js";

const app = "test/fixtures/reasons";

/**
 * Leaves `tally[k]` locked by an older transaction that will not end until recovered: `shop.hold`
 * crashed right after the request that took the lock (found by crashing after request 1, 2, ...
 * until a crash leaves the lock). Every earlier crashed instance holds nothing yet. Returns how
 * many instances of `shop.hold` it left unfinished: recovered, each adds 1 to `tally[k]`.
 */
async function lockedByOlder(stack: LocalStack, k: string): Promise<number> {
  const table = `${stack.prefix}reasons.shop.tally`;
  for (let at = 1; at <= 20; at++) {
    const r = await stack.invoke("shop.hold", { k }, { instanceId: `holder-${at}`, crashAt: at });
    assert.ok("crashed" in r, `hold finished before it was crashed: ${JSON.stringify(r)}`);
    if ((await stack.rawItems(table)).some((row) => row.K === k && row.LW !== undefined)) return at;
  }
  throw new Error(`no crash of shop.hold left ${k} locked`);
}

for (const backend of BACKENDS) {
  const t = suite(`abort reasons, ?. and update aliases (${backend})`);
  let stack: LocalStack;
  t.before(async () => {
    stack = await LocalStack.start({ app, backend, schedule: false });
  });
  t.after(async () => {
    await stack.stop();
  });

  t("abort with a reason: else (r) sees it, the var set before it is rolled back, nothing is written", async () => {
    await stack.put("shop", "stock", "pen", { qty: 1 });
    assert.equal(await stack.invoke("shop.reserve", { sku: "pen", qty: 1 }), ok("reserved 1"));
    assert.equal(await stack.get("shop", "stock", "pen"), { qty: 0 }, "update ... as s: s.qty - qty with qty the parameter");
    assert.equal(await stack.invoke("shop.reserve", { sku: "pen", qty: 1 }), ok("before|out of stock: pen"));
    assert.equal(await stack.get("shop", "stock", "pen"), { qty: 0 });
    assert.equal(await stack.get("shop", "tally", "else"), { n: 1 });
  });

  t('a bare abort gives "", and its buffered write is rolled back', async () => {
    assert.equal(await stack.invoke("shop.bare", { k: "b" }), ok("[]"));
    assert.equal(await stack.get("shop", "tally", "b"), null);
  });

  t("else without (r) keeps working; the reason is dropped", async () => {
    assert.equal(await stack.invoke("shop.unnamed", { k: "u" }), ok(false));
    assert.equal(await stack.get("shop", "tally", "u"), null);
  });

  t("a?.f is a.f, or null when a is null; a?.f ?? d gives the default", async () => {
    await stack.put("shop", "orders", "o1", { total: 7, note: "gift" });
    await stack.put("shop", "orders", "o2", { total: 3 });
    assert.equal(await stack.invoke("shop.total", { k: "o1" }), ok(7));
    assert.equal(await stack.invoke("shop.total", { k: "none" }), ok(0));
    assert.equal(await stack.invoke("shop.note", { k: "o1" }), ok("gift"));
    assert.equal(await stack.invoke("shop.note", { k: "o2" }), ok(null), "an absent optional field");
    assert.equal(await stack.invoke("shop.note", { k: "none" }), ok(null), "a missing value");
    await stack.put("shop", "metas", "m1", { constructor: "c" });
    // (`{}` would not do: LocalStack.put reads `value.constructor`, Object's, for the field; null leaves it out)
    await stack.put("shop", "metas", "m2", { constructor: null });
    assert.equal(await stack.invoke("shop.ctor", { k: "m1" }), ok("c"));
    assert.equal(await stack.invoke("shop.ctor", { k: "m2" }), ok(null), "not Object.prototype's constructor");
    assert.equal(await stack.invoke("shop.ctor", { k: "none" }), ok(null));
  });

  t('restarts run out against an older holder: else (r) with "conflict", decided once and logged', async () => {
    const holders = await lockedByOlder(stack, "hot");
    const first = await stack.invoke("shop.bump", { k: "hot" }, { instanceId: "young" });
    assert.equal(first, ok("conflict"));
    assert.equal(await stack.invoke("shop.bump", { k: "hot" }, { instanceId: "young" }), first, "a retry gets the recorded answer");
    await stack.recover(); // the holders finish and let go
    assert.equal(await stack.get("shop", "tally", "hot"), { n: holders }, "only the holders' increments; the aborted one's never");
    assert.equal(await stack.get("shop", "tally", "conflicts"), { n: 1 }, "else ran once");
    assert.equal(await stack.invoke("shop.bump", { k: "hot" }, { instanceId: "later" }), ok("committed"), "with the lock free it commits");
    assert.equal(await stack.get("shop", "tally", "hot"), { n: holders + 100 });
    assert.equal(await locksLeft(stack), []);
  });

  t.run();
}

for (const backend of BACKENDS) {
  const t = suite(`crash sweeps over abort reasons (${backend})`);

  t("crash sweep (process isolation) over an abort with a reason: else runs once, with the same reason", async () => {
    const points = await crashSweep({
      stack: { app, backend, isolation: "process" },
      seed: (s) => s.put("shop", "stock", "pen", { qty: 0 }),
      fn: "shop.reserve",
      input: { sku: "pen", qty: 2 },
      check: async (stack, result) => {
        assert.equal(result, ok("before|out of stock: pen"));
        assert.equal(await stack.get("shop", "stock", "pen"), { qty: 0 });
        assert.equal(await stack.get("shop", "tally", "else"), { n: 1 }, "else ran once");
        assert.equal(await locksLeft(stack), []);
      },
    });
    assert.ok(points >= 4, `swept ${points} crash points`);
    console.log(`    process/${backend}: ${points} crash points swept`);
  });

  t('crash sweep over restarts running out: once "conflict" is decided, every re-execution takes else with it', async () => {
    const outcomes: string[] = [];
    let holders = 0;
    const points = await crashSweep({
      stack: { app, backend },
      seed: async (s) => {
        holders = await lockedByOlder(s, "hot");
      },
      fn: "shop.bump",
      input: { k: "hot" },
      check: async (stack, result) => {
        // Recovery finished the holder too: an attempt not yet decided may now commit; one decided never changes.
        await stack.recover();
        const value = "value" in result ? (result.value as string) : JSON.stringify(result);
        outcomes.push(value);
        if (value === "conflict") {
          assert.equal(await stack.get("shop", "tally", "conflicts"), { n: 1 }, "else ran once");
          assert.equal(await stack.get("shop", "tally", "hot"), { n: holders }, "the aborted increment never applied");
        } else {
          assert.is(value, "committed");
          assert.equal(await stack.get("shop", "tally", "conflicts"), null, "else never ran");
          assert.equal(await stack.get("shop", "tally", "hot"), { n: holders + 100 }, "committed once");
        }
        assert.equal(await locksLeft(stack), []);
      },
    });
    // the uncrashed run and the crashes after the final decision was logged all say "conflict"
    assert.is(outcomes[outcomes.length - 1], "conflict");
    assert.is(outcomes[outcomes.length - 2], "conflict", `outcomes by crash point: ${outcomes.join(", ")}`);
    assert.ok(points >= 10, `swept ${points} crash points`);
    console.log(`    ${backend}: ${points} crash points swept (${outcomes.filter((o) => o === "conflict").length} conflict)`);
  });

  t.run();
}
