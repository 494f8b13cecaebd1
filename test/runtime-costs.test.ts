// What each logged operation costs in store and invoke requests, counted by the stack
// (DESIGN.md §3 targets): write/update/delete 1, `update ... where` 1 when it holds and 2
// when not, read 1 plus a share of one batched log write, sync call = invoke + 1 write; an
// entry instance 2 (intent put + finish), its put holding its first log batch, so the reads
// before its first effect cost no log put of their own. A fn with no effect anywhere it reaches logs nothing:
// an entry one records its result in 1 PutItem, a callee one costs only its invoke.
// The same on both stores (DynamoDB Local returns the old item on a failed condition, dynalite
// does not: the protocol must not need an extra read on the common paths either way).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, requestsDuring } from "./helpers.js";
import { tableNames } from "../contract/schema.js";
import { CLAIM_STEP } from "../runtime/log.js";
import { Intents, TOMBSTONE_RETENTION_MS } from "../runtime/intent.js";
import { Store } from "../runtime/store.js";

for (const backend of BACKENDS) {
  const t = suite(`request costs (${backend})`);
  let stack: LocalStack;
  let id = 0;

  /**
   * The requests one invocation makes; `effects`: beyond an entry instance's own bookkeeping
   * (intent put + finish), which a fn with effects has and a read-only one does not.
   */
  const cost = async (fn: string, input: unknown, effects = true): Promise<Record<string, number>> => {
    const d = await requestsDuring(stack, async () => {
      const r = await stack.invoke(fn, input, { instanceId: `c${id++}` });
      assert.ok("ok" in r && r.ok, JSON.stringify(r));
    });
    if (effects) {
      d.PutItem = (d.PutItem ?? 0) - 1; // the entry intent
      d.UpdateItem = (d.UpdateItem ?? 0) - 1; // marking the intent done
    }
    return Object.fromEntries(Object.entries(d).filter(([, n]) => n !== 0));
  };

  t.before(async () => {
    stack = await LocalStack.start({ app: "test/fixtures/costs", backend, schedule: false });
  });
  t.after(async () => {
    await stack.stop();
  });

  t("a read-only entry instance: its reads and one PutItem recording its result", async () => {
    assert.equal(await cost("a.nothing", {}, false), { PutItem: 1 });
    await stack.put("a", "t", "r", { n: 5 });
    assert.equal(await cost("a.doRead", { k: "r" }, false), { GetItem: 1, PutItem: 1 });
    assert.equal(await cost("a.threeReads", { k: "r" }, false), { GetItem: 3, PutItem: 1 });
  });

  t("a read-only entry instance retried gets its first answer", async () => {
    await stack.put("a", "t", "again", { n: 1 });
    const first = await stack.invoke("a.doRead", { k: "again" }, { instanceId: "ro-again" });
    await stack.put("a", "t", "again", { n: 2 });
    assert.equal(await stack.invoke("a.doRead", { k: "again" }, { instanceId: "ro-again" }), first);
    assert.equal(first, { ok: true, value: 1 });
    const reused = await stack.invoke("a.doRead", { k: "other" }, { instanceId: "ro-again" });
    assert.ok("ok" in reused && !reused.ok && reused.error.code === "R0008", JSON.stringify(reused));
  });

  t("write, update and delete: one conditional UpdateItem each", async () => {
    assert.equal(await cost("a.doWrite", { k: "w" }), { UpdateItem: 1 });
    assert.equal(await cost("a.doUpdate", { k: "w" }), { UpdateItem: 1 });
    assert.equal(await cost("a.doDelete", { k: "w" }), { UpdateItem: 1 });
  });

  t("update ... where: 1 request when it holds, 2 when it does not", async () => {
    await stack.put("a", "t", "c", { n: 5 });
    assert.equal(await cost("a.doCond", { k: "c", min: 1 }), { UpdateItem: 1 });
    assert.equal(await cost("a.doCond", { k: "c", min: 100 }), { UpdateItem: 2 });
  });

  t("reads in a fn with effects: one GetItem each, their log entries batched into the intent's put (no log put of their own)", async () => {
    assert.equal(await cost("a.readsThenWrite", { k: "c" }), { GetItem: 3, UpdateItem: 1 });
  });

  t("reads after the last effect feed only the result: not logged (the intent keeps the first result recorded)", async () => {
    assert.equal(await cost("a.writeThenRead", { k: "wr" }), { UpdateItem: 1, GetItem: 1 });
    const again = await stack.invoke("a.writeThenRead", { k: "wr" }, { instanceId: `c${id - 1}` });
    assert.equal(again, { ok: true, value: 2 }, "a retry gets the recorded result");
  });

  t("an instance's first recorded result is its result: a later finish (a duplicate's, from fresher reads) answers with it", async () => {
    const r = await stack.invoke("a.writeThenRead", { k: "fw" }, { instanceId: "first-wins" });
    assert.equal(r, { ok: true, value: 2 });
    const intents = new Intents(
      new Store(stack.runtimeConfig),
      tableNames.intent(stack.runtimeConfig.prefix, stack.runtimeConfig.app, "a"),
    );
    assert.equal(await intents.finish("first-wins", { ok: true, value: 99 }), { ok: true, value: 2 });
    assert.equal(await stack.invoke("a.writeThenRead", { k: "fw" }, { instanceId: "first-wins" }), { ok: true, value: 2 });
  });

  t("a sync call: the invoke and the callee's effect; a callee with nothing unlogged at its end logs no result", async () => {
    assert.equal(await cost("a.effectCall", { k: "x" }), { Invoke: 1, UpdateItem: 1 });
    // the caller's re-execution runs it again, carefully: the update is not applied twice
    assert.equal(await stack.invoke("a.effectCall", { k: "x2" }, { instanceId: "call-again", crashAt: 3 }), { crashed: true });
    await stack.recover();
    assert.equal(await stack.invoke("a.effectCall", { k: "x2" }, { instanceId: "call-again" }), { ok: true, value: true });
    assert.equal(await stack.get("b", "u", "x2"), { n: 1 });
  });

  t("a sync call of a read-only callee: the invoke, its result logged by the caller", async () => {
    // read-only caller: nothing logged; the result recorded in one PutItem
    assert.equal(await cost("a.doCall", { k: "x" }, false), { Invoke: 1, PutItem: 1 });
    // a caller with effects logs the callee's result with its next batch (here its registration, before the write)
    assert.equal(await cost("a.readCallThenWrite", { k: "y" }), { Invoke: 1, UpdateItem: 1 });
  });

  /** The requests of `fn` with everything it spawned run to its end. */
  const withSpawned = async (fn: string, k: string): Promise<Record<string, number>> => {
    const d = await requestsDuring(stack, async () => {
      const r = await stack.invoke(fn, { k }, { instanceId: `c${id++}` });
      assert.ok("ok" in r && r.ok, JSON.stringify(r));
      await stack.recover(); // waits for the spawned instance
    });
    d.PutItem = (d.PutItem ?? 0) - 1; // the entry intent
    d.UpdateItem = (d.UpdateItem ?? 0) - 1; // marking it done
    return Object.fromEntries(Object.entries(d).filter(([, n]) => n !== 0));
  };

  t("a spawn: its intent put and event; the spawned instance claims with its first log batch, free when it logs anyway", async () => {
    // spawned readThenBump: its read, one batch (the claim marker and the read), the update, its intent done
    assert.equal(await withSpawned("a.doSpawn", "sp"), { PutItem: 2, InvokeEvent: 1, GetItem: 1, UpdateItem: 2 });
    // spawned bump has nothing to log before its update: the marker alone
    assert.equal(await withSpawned("a.spawnBump", "sb"), { PutItem: 2, InvokeEvent: 1, UpdateItem: 2 });
  });

  t("a spawned instance's duplicate deliveries, concurrent and late, apply its steps once and answer its result", async () => {
    await stack.put("b", "u", "dup", { n: 7 });
    const parent = `c${id++}`;
    const r = await stack.invoke("a.doSpawn", { k: "dup" }, { instanceId: parent });
    assert.ok("ok" in r && r.ok, JSON.stringify(r));
    const intents = await stack.rawItems(`${stack.prefix}${stack.app.ir.app}.b-intent`);
    const spawned = String(intents.find((i) => String(i.I).startsWith(`${parent}!`))!.I);
    const event = { fn: "readThenBump", instanceId: spawned, input: { k: "dup" }, beldi: { kind: "spawn" } };
    const answers = await Promise.all([stack.deliver("b", event), stack.deliver("b", event), stack.deliver("b", event)]);
    await stack.recover();
    const late = await stack.deliver("b", event);
    // each answers the one result: the loser of the claim runs carefully, or finds it done
    for (const a of [...answers, late]) assert.equal(a, { ok: true, payload: { ok: true, value: 7 } }, JSON.stringify(a));
    assert.equal(await stack.get("b", "u", "dups"), { n: 1 });

    // GC takes its log but keeps the claim marker, emptied, with the tombstone: a late event loses the claim and runs nothing
    const window = stack.runtimeConfig.windowMs;
    const logOf = async () =>
      (await stack.rawItems(tableNames.log(stack.prefix, stack.app.ir.app, "b"))).filter((i) => String(i.I) === spawned);
    await stack.gc({ laterByMs: 2 * window });
    assert.equal(
      (await logOf()).map((i) => [i.S, i.E, i.GT]),
      [[`${spawned}#${CLAIM_STEP}`, { [CLAIM_STEP]: "collected" }, undefined]],
    );
    const afterGc = await stack.deliver("b", event);
    assert.is((afterGc as { payload?: { error?: { code: string } } }).payload?.error?.code, "R0016", JSON.stringify(afterGc));
    assert.equal(await stack.get("b", "u", "dups"), { n: 1 });
    // the marker goes with the tombstone, after its retention
    await stack.gc({ laterByMs: TOMBSTONE_RETENTION_MS + 4 * window });
    assert.equal(await logOf(), []);
  });

  t.run();
}
