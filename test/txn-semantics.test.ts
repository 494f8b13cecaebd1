// The transaction rules users rely on (LANGUAGE.md §6), each shown on the local stack.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, locksLeft, ok } from "./helpers.js";

for (const backend of BACKENDS) {
  const t = suite(`txn semantics (${backend})`);
  let stack: LocalStack;
  t.before(async () => {
    stack = await LocalStack.start({ app: "test/fixtures/txnlang", backend, schedule: false });
  });
  t.after(async () => {
    assert.equal(await locksLeft(stack), []);
    await stack.stop();
  });

  t("read-your-writes across two instances of one service in one transaction", async () => {
    assert.equal(await stack.invoke("store.twice", { k: "ryw" }), ok([1, 2]));
    assert.equal(await stack.get("store", "items", "ryw"), { n: 2 });
  });

  t("return inside the body commits first", async () => {
    assert.equal(await stack.invoke("store.early", { k: "early" }), ok(10));
    assert.equal(await stack.get("store", "items", "early"), { n: 10 });
  });

  t("fail inside the body aborts, skips else and fails the fn", async () => {
    const r = await stack.invoke("store.failing", { k: "f" });
    assert.equal(r, { ok: false, error: { code: "R0001", message: "refused" } });
    assert.equal(await stack.get("store", "items", "f"), null, "the buffered write was rolled back");
  });

  t("abort restores outer vars and runs else; nothing is written", async () => {
    assert.equal(await stack.invoke("store.restoring", { k: "r" }), ok(1));
    assert.equal(await stack.get("store", "items", "r"), null);
  });

  t("update ... where inside a transaction sees the locked value", async () => {
    await stack.put("store", "items", "w", { n: 2 });
    assert.equal(await stack.invoke("store.take", { k: "w", min: 2 }), ok(true));
    assert.equal(await stack.invoke("store.take", { k: "w", min: 2 }), ok(false));
    assert.equal(await stack.get("store", "items", "w"), { n: 1 });
  });

  t("a plain update of a locked key waits for the commit instead of writing under it", async () => {
    const slow = stack.invoke("store.slow", { k: "hot", keys: 60 });
    const table = `${stack.prefix}txnlang.store.items`;
    const locked = async () => (await stack.rawItems(table)).some((r) => r.K === "hot" && r.LW !== undefined);
    while (!(await locked())) await new Promise((r) => setTimeout(r, 2));
    const plain = stack.invoke("store.plainInc", { k: "hot" });
    assert.equal(await slow, ok(0));
    assert.equal(await plain, ok(1));
    // 1000 from the transaction and 1 from the plain update: neither overwrote the other
    assert.equal(await stack.get("store", "items", "hot"), { n: 1001 });
  });

  t("many concurrent transactions on one key: wait-die keeps every increment", async () => {
    const n = 12;
    const rs = await Promise.all(
      Array.from({ length: n }, (_, i) => stack.invoke("store.early", { k: "contended" }, { instanceId: `c-${i}` })),
    );
    const committed = rs.filter((r) => "value" in r && (r.value as number) > 0).length;
    const aborted = rs.filter((r) => "value" in r && r.value === -1).length;
    assert.is(committed + aborted, n, JSON.stringify(rs));
    assert.equal(await stack.get("store", "items", "contended"), committed ? { n: 10 * committed } : null);
  });

  t.run();
}
