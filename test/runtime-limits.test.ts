// Payloads, results and values past the limits of the store (400 KB items) and of the invoke API
// (6 MB sync, 256 KB events) are typed R errors recorded as the result, never crashes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { BACKENDS } from "./helpers.js";

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
      await stack.put("big", "blobs", "b", { data: "y".repeat(390_000) });
      assert.is(await code("big.readBig", { k: "b" }, "read"), "R0006", "a read value too large to log");
      // and what fits, works
      await stack.put("big", "blobs", "c", { data: "y".repeat(200_000) });
      assert.equal(await stack.invoke("big.readBig", { k: "c" }), { ok: true, value: 200_000 });
      assert.equal(await stack.invoke("big.callBig", { size: 1_000_000 }), { ok: true, value: 10 });
    } finally {
      await stack.stop();
    }
  });
}

test.run();
