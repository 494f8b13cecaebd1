// beldi dev finishes what is left unfinished, as the intent collector would: an invocation
// crashed halfway (LocalStack's crashAt) is pending-retry once its lease is over, the session
// re-executes it, and it ends done, exactly once; the console's instance list says so. A sleeping
// instance (examples/orders' reminder) and a wait that times out are resumed once their time has
// come (the stack's own wake-up schedule is off under beldi dev).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConsoleData } from "../local/console/data.js";
import { DevSession } from "../local/dev/session.js";

test("a crashed instance is finished once its lease is over", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "beldi-dev-finish-"));
  const printed: string[] = [];
  const session = await DevSession.start({
    app: "examples/hello",
    port: 0,
    root,
    windowMs: 4000,
    finishEveryMs: 500,
    print: (t) => printed.push(t),
  });
  const data = new ConsoleData(session);
  try {
    const stack = session.stack()!;
    const r = await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "crashed-1", crashAt: 3 });
    assert.ok("crashed" in r, JSON.stringify(r));
    const statusOf = async () => (await data.instances()).find((i) => i.id === "crashed-1")?.status;
    assert.equal(await statusOf(), "running");
    const until = Date.now() + 60_000;
    while ((await statusOf()) !== "done" && Date.now() < until) await new Promise((res) => setTimeout(res, 250));
    assert.equal(await statusOf(), "done");
    assert.ok(
      printed.some((t) => /finishing 1 unfinished instance whose lease is over/.test(t)),
      printed.join("\n"),
    );
    // once: the counter was bumped by one, and the greeting written with that count
    assert.equal(await stack.get("counter", "counts", "ada"), { n: 1 });
    assert.equal(await stack.get("greeter", "greetings", "ada"), { text: "Hello, ada! Visit number 1.", visits: 1 });
    const tree = await data.instance("crashed-1");
    assert.equal(tree.trees[0]!.result, { ok: true, value: "Hello, ada! Visit number 1." });
  } finally {
    data.close();
    await session.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test("suspended instances are resumed once their wake-up time has come: a reminder's sleep, an order's timeout", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "beldi-dev-wake-"));
  const printed: string[] = [];
  const session = await DevSession.start({ app: "examples/orders", port: 0, root, finishEveryMs: 300, print: (t) => printed.push(t) });
  const data = new ConsoleData(session);
  try {
    const stack = session.stack()!;
    await stack.put("inventory", "stock", "widget", { qty: 1 });
    const input = { id: "o-1", sku: "widget", qty: 1, payWithinMs: 1200 };
    assert.equal(await stack.invoke("orders.place", input, { instanceId: "o-1" }), { ok: true, pending: true, instanceId: "o-1" });
    const list = await data.instances();
    assert.equal(
      list.map((i) => i.status),
      ["suspended", "suspended"],
    );
    const until = Date.now() + 60_000;
    while ((await data.instances()).some((i) => i.status !== "done") && Date.now() < until)
      await new Promise((res) => setTimeout(res, 250));
    assert.equal((await data.instances()).map((i) => `${i.fn} ${i.status}`).sort(), ["place done", "remind done"]);
    assert.equal(await stack.invoke("orders.place", input, { instanceId: "o-1" }), { ok: true, value: "cancelled" });
    assert.equal(await stack.get("inventory", "stock", "widget"), { qty: 1 }, "the stock released");
    assert.ok(
      printed.some((t) => /resumed 1 suspended instance whose wake-up time has come/.test(t)),
      printed.join("\n"),
    );
  } finally {
    data.close();
    await session.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
