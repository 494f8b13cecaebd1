// Payloads, results and values past the limits of the store (400 KB items) and of the invoke API
// (6 MB sync, 256 KB events) are typed R errors recorded as the result, never crashes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft } from "./helpers.js";

for (const backend of BACKENDS) {
  test(`limits are typed errors, recorded once (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "test/fixtures/limits", backend, schedule: false });
    try {
      const code = async (fn: string, input: unknown, id: string) => {
        const r = await stack.invoke(fn, input, { instanceId: id });
        const again = await stack.invoke(fn, input, { instanceId: id });
        assert.equal(again, r, "the failure is the recorded result");
        return (r as { error?: { code: string } }).error?.code ?? JSON.stringify(r);
      };
      assert.is(await code("big.makeBig", { size: 400_000 }, "result"), "R0007", "a result over the limit");
      assert.is(await code("big.storeBig", { k: "a", size: 500_000 }, "store"), "R0006", "a value over 400 KB");
      assert.equal(await stack.get("big", "blobs", "a"), null);
      assert.is(await code("big.callBig", { size: 7_000_000 }, "call"), "R0007", "a call payload over 6 MB");
      assert.is(await code("big.spawnBig", { size: 300_000 }, "spawn"), "R0007", "an event payload over 256 KB");
      assert.is(await code("big.echo", { s: "z".repeat(400_000) }, "input"), "R0007", "a client's input too large to keep in its intent");
      // a value written from outside, too large to share a log item with anything: logged in pieces
      await stack.put("big", "blobs", "b", { data: "y".repeat(390_000) });
      assert.equal(await stack.invoke("big.readBig", { k: "b" }, { instanceId: "read" }), { ok: true, value: 390_000 });
      assert.equal(await stack.invoke("big.readBig", { k: "b" }, { instanceId: "read" }), { ok: true, value: 390_000 });
      // and what fits, works
      await stack.put("big", "blobs", "c", { data: "y".repeat(200_000) });
      assert.equal(await stack.invoke("big.readBig", { k: "c" }), { ok: true, value: 200_000 });
      assert.equal(await stack.invoke("big.callBig", { size: 1_000_000 }), { ok: true, value: 10 });
    } finally {
      await stack.stop();
    }
  });
}

// A read of a value near the item limit is logged in pieces (runtime/log.ts): a crash between the
// pieces and their head, or after, still counts the read once (issue 10).
for (const backend of BACKENDS) {
  test(`a read near the store's item limit, crash-swept: logged in pieces, counted once (${backend})`, async () => {
    const size = 405_000;
    const data = "€".repeat(10) + "y".repeat(size - 10); // 3-byte characters too: pieces are cut by code units
    const points = await crashSweep({
      stack: { app: "test/fixtures/limits", isolation: "process", backend },
      seed: (stack) => stack.put("big", "blobs", "v", { data }),
      fn: "big.countBig",
      input: { k: "v" },
      check: async (stack, result) => {
        assert.equal(result, { ok: true, value: size });
        assert.equal(await stack.get("big", "counts", "v"), { n: size }, "the update applied once");
        assert.equal(await locksLeft(stack), []);
      },
    });
    assert.ok(points >= 5, `swept ${points}`);
  });
}

// Each fits alone, not together (issue 10): every case ends in a recorded result or a typed
// error, nothing stuck, no lock left, and limits are checked by the runtime on both stores.
const nested = (depth: number): unknown => (depth === 0 ? "leaf" : { d: nested(depth - 1) });
for (const backend of BACKENDS) {
  test(`combinations over the store's limits: typed, recorded once, no lock left (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "test/fixtures/limits2", backend, schedule: false });
    try {
      const answer = async (fn: string, input: unknown, id: string) => {
        const r = await stack.invoke(fn, input, { instanceId: id });
        assert.equal(await stack.invoke(fn, input, { instanceId: id }), r, `${fn}: a retry gets the recorded result`);
        return r as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      };
      // a 210 KB input and the same 210 KB as the result: the intent keeps the result, not the input
      const s = "q".repeat(210_000);
      const echoed = await answer("store.echo", { s }, "echo-1");
      assert.ok(echoed.ok && echoed.value === s, JSON.stringify(echoed).slice(0, 200));
      // a transaction writing two 210 KB values: its decision would not fit; it fails, locks go
      const pair = await answer("store.pair", { k: "p", s }, "pair-1");
      assert.is(pair.error?.code, "R0006", JSON.stringify(pair).slice(0, 300));
      assert.equal(await stack.get("store", "docs", "p-1"), null);
      assert.equal(await locksLeft(stack), []);
      assert.equal(await stack.invoke("store.keep", { k: "p-1", v: 1 }), { ok: true, value: null }, "the key is writable again");
      // a value near the item limit, then an update from an instance with a long id
      const near = await answer("store.pad", { k: "c", size: 409_000 }, "pad-1");
      assert.is(near.error?.code, "R0006", "a value that leaves no room for its log entries is refused before the store");
      const long = "i".repeat(105);
      assert.equal(await answer("store.bump", { k: "c" }, long), { ok: true, value: 1 });
      // a row filled to the brim from outside (a seed): an update that cannot log in it is typed, once
      await stack.put("store", "counts", "d", { n: 0, pad: "z".repeat(409_480) });
      const full = await answer("store.bump", { k: "d" }, `${long}-d`);
      assert.is(full.error?.code, "R0006", JSON.stringify(full).slice(0, 300));
      // nesting past the limit and an empty map key: refused before anything is written (R0021)
      const deep = await answer("store.keep", { k: "deep", v: nested(40) }, "deep-1");
      assert.is(deep.error?.code, "R0021", JSON.stringify(deep).slice(0, 300));
      const empty = await answer("store.keep", { k: "empty", v: { "": 1 } }, "empty-1");
      assert.is(empty.error?.code, "R0021");
      assert.equal(await stack.get("store", "docs", "deep"), null);
      assert.equal(await stack.get("store", "docs", "empty"), null);
      // what fits still works, 20 levels deep included
      assert.equal(await answer("store.keep", { k: "ok", v: nested(20) }, "ok-1"), { ok: true, value: null });
      // a callee's result too deep to record: the caller gets the callee's typed error, once
      const relayed = await answer("store.relay", { v: nested(40) }, "relay-1");
      assert.is(relayed.error?.code, "R0021", JSON.stringify(relayed).slice(0, 300));
      await stack.recover();
      assert.equal(await locksLeft(stack), []);
    } finally {
      await stack.stop();
    }
  });
}

test.run();
