// What each logged operation costs in store and invoke requests, counted by the stack
// (DESIGN.md §3 targets): write/update/delete 1, `update ... where` 1 when it holds and 2
// when not, read 1 plus a share of one batched log write, sync call = invoke + 1 write; an
// entry instance 2 (intent put + finish). A fn with no effect anywhere it reaches logs nothing:
// an entry one records its result in 1 PutItem, a callee one costs only its invoke.
// The same on both stores (DynamoDB Local returns the old item on a failed condition, dynalite
// does not: the protocol must not need an extra read on the common paths either way).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, requestsDuring } from "./helpers.js";

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

  t("reads in a fn with effects: one GetItem each, their log entries batched into one PutItem", async () => {
    assert.equal(await cost("a.readsThenWrite", { k: "c" }), { GetItem: 3, PutItem: 1, UpdateItem: 1 });
  });

  t("a sync call: the invoke and the callee's one result write", async () => {
    assert.equal(await cost("a.effectCall", { k: "x" }), { Invoke: 1, PutItem: 1, UpdateItem: 1 });
  });

  t("a sync call of a read-only callee: the invoke, its result logged by the caller", async () => {
    // read-only caller: nothing logged; the result recorded in one PutItem
    assert.equal(await cost("a.doCall", { k: "x" }, false), { Invoke: 1, PutItem: 1 });
    // a caller with effects logs the callee's result with its next batch (here before the write)
    assert.equal(await cost("a.readCallThenWrite", { k: "y" }), { Invoke: 1, PutItem: 1, UpdateItem: 1 });
  });

  t.run();
}
