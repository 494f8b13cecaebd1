// What each logged operation costs in store and invoke requests, counted by the stack
// (DESIGN.md §3 targets): write/update/delete 1, `update ... where` 1 when it holds and 2
// when not, read 1 plus a share of one batched log write, sync call = invoke + 1 write.
// The same on both stores (DynamoDB Local returns the old item on a failed condition, dynalite
// does not: the protocol must not need an extra read on the common paths either way).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS } from "./helpers.js";

for (const backend of BACKENDS) {
  const t = suite(`request costs (${backend})`);
  let stack: LocalStack;
  let id = 0;

  /** The requests one invocation makes beyond an entry instance's own bookkeeping (intent put + finish). */
  const cost = async (fn: string, input: unknown): Promise<Record<string, number>> => {
    const before = await stack.requests();
    const r = await stack.invoke(fn, input, { instanceId: `c${id++}` });
    assert.ok("ok" in r && r.ok, JSON.stringify(r));
    const after = await stack.requests();
    const d: Record<string, number> = {};
    for (const [k, n] of Object.entries(after)) if (n - (before[k] ?? 0)) d[k] = n - (before[k] ?? 0);
    d.PutItem = (d.PutItem ?? 0) - 1; // the entry intent
    d.UpdateItem = (d.UpdateItem ?? 0) - 1; // marking the intent done
    return Object.fromEntries(Object.entries(d).filter(([, n]) => n !== 0));
  };

  t.before(async () => {
    stack = await LocalStack.start({ app: "test/fixtures/costs", backend, schedule: false });
  });
  t.after(async () => {
    await stack.stop();
  });

  t("an entry instance with no logged operation costs only its intent", async () => {
    assert.equal(await cost("a.nothing", {}), {});
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

  t("reads: one GetItem each, their log entries batched into one PutItem", async () => {
    assert.equal(await cost("a.doRead", { k: "c" }), { GetItem: 1, PutItem: 1 });
    assert.equal(await cost("a.threeReads", { k: "c" }), { GetItem: 3, PutItem: 1 });
  });

  t("a sync call: the invoke and the callee's one result write", async () => {
    assert.equal(await cost("a.doCall", { k: "x" }), { Invoke: 1, PutItem: 1 });
  });

  t.run();
}
