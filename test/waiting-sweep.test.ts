// Crash sweeps over durable waiting (issue 14), with real process death, on both stores, over
// examples/orders: the order is crashed after each of its requests in turn on the paid path and
// on the unpaid path (reserve in a txn, spawn the reminder, wait, suspend; time out, release,
// cancel), the payment is crashed after each of its requests (signal, receipt), and a signal is
// delivered with the waiting instance's resume path crashed at every point. Each point runs on
// its own keys on one stack per sweep; every effect must happen exactly once and the result be
// stable across retries.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, type InvokeResult } from "../local/index.js";
import { BACKENDS, locksLeft, ok, stopped } from "./helpers.js";
import { untilSettled } from "./waiting-helpers.js";

const app = "examples/orders";
const MAX_POINTS = 80;
const crashed = (r: InvokeResult) => "crashed" in r || stopped(r);

/** Places order `id` for 2 of `sku` (stock 5), crashed at request `k`; answers whether the crash hit. */
async function placeCrashed(stack: LocalStack, id: string, sku: string, payWithinMs: number, k: number): Promise<boolean> {
  await stack.put("inventory", "stock", sku, { qty: 5 });
  const first = await stack.invoke("orders.place", { id, sku, qty: 2, payWithinMs }, { instanceId: id, crashAt: k });
  if (crashed(first)) {
    await stack.recover();
    return true;
  }
  assert.equal(first, { ok: true, pending: true, instanceId: id }, `uncrashed order ${id}`);
  return false;
}

async function checkPaid(stack: LocalStack, id: string, sku: string, ref: string, where: string): Promise<void> {
  const input = { id, sku, qty: 2, payWithinMs: 600_000 };
  const r = await untilSettled(stack, "orders.place", input, id);
  assert.equal(r, ok(`paid ${ref}`), where);
  assert.equal(await stack.invoke("orders.place", input, { instanceId: id }), r, `${where}: the result is stable`);
  assert.equal(await stack.get("inventory", "stock", sku), { qty: 3 }, `${where}: reserved once`);
  assert.equal(await stack.get("orders", "orders", id), { sku, qty: 2, status: "paid", reason: "", paidRef: ref }, where);
}

for (const backend of BACKENDS) {
  const t = suite(`crash sweeps over durable waiting: examples/orders (${backend}, process isolation)`);
  let stack: LocalStack;
  t.before(async () => {
    // no wake-up tick: a tick that resumed the instance before the signal's own (traced) wake-up
    // would run the resume path untraced and end a sweep early; a client's retry and recover()
    // resume due instances here
    stack = await LocalStack.start({ app, backend, isolation: "process", schedule: false });
  });
  t.after(async () => {
    await stack.stop();
  });

  t("the paid path: the order crashed at every request, then paid", async () => {
    let points = 0;
    for (let k = 1; k <= MAX_POINTS; k++) {
      const [id, sku, ref] = [`paid-${k}`, `pen-p${k}`, `ref-p${k}`];
      const hit = await placeCrashed(stack, id, sku, 600_000, k);
      assert.equal(await stack.invoke("payments.pay", { order: id, ref, amount: 10 }), ok(true), `crash at ${k}: the payment is delivered`);
      await checkPaid(stack, id, sku, ref, `crash at ${k}`);
      assert.equal(await stack.get("payments", "receipts", ref), { order: id, amount: 10, delivered: true });
      if (!hit) break;
      points++;
    }
    assert.ok(points >= 10, `only ${points} crash points`);
    assert.equal(await locksLeft(stack), []);
  });

  t("the unpaid path: the order crashed at every request, times out, releases the stock once", async () => {
    let points = 0;
    for (let k = 1; k <= MAX_POINTS; k++) {
      const [id, sku] = [`late-${k}`, `pen-l${k}`];
      const hit = await placeCrashed(stack, id, sku, 400, k);
      const input = { id, sku, qty: 2, payWithinMs: 400 };
      const r = await untilSettled(stack, "orders.place", input, id);
      assert.equal(r, ok("cancelled"), `crash at ${k}`);
      assert.equal(await stack.invoke("orders.place", input, { instanceId: id }), r, `crash at ${k}: the result is stable`);
      assert.equal(await stack.get("inventory", "stock", sku), { qty: 5 }, `crash at ${k}: reserved once, released once`);
      assert.equal(await stack.get("orders", "orders", id), { sku, qty: 2, status: "cancelled", reason: "not paid within 400 ms" });
      if (!hit) break;
      points++;
    }
    assert.ok(points >= 10, `only ${points} crash points`);
    await stack.recover(); // the reminders
    assert.equal(await locksLeft(stack), []);
  });

  t("the payment crashed at every request: the signal and the receipt happen once", async () => {
    let points = 0;
    for (let k = 1; k <= MAX_POINTS; k++) {
      const [id, sku, ref] = [`pay-${k}`, `pen-y${k}`, `ref-y${k}`];
      await placeCrashed(stack, id, sku, 600_000, 0);
      const first = await stack.invoke("payments.pay", { order: id, ref, amount: 10 }, { instanceId: `pay-${k}`, crashAt: k });
      const hit = crashed(first);
      if (hit) await stack.recover();
      assert.equal(await untilSettled(stack, "payments.pay", { order: id, ref, amount: 10 }, `pay-${k}`), ok(true), `crash at ${k}`);
      // a second payment of the same order finds the first one's signal
      assert.equal(await stack.invoke("payments.pay", { order: id, ref: `${ref}b`, amount: 11 }), ok(false));
      await checkPaid(stack, id, sku, ref, `crash at ${k}`);
      if (!hit) break;
      points++;
    }
    assert.ok(points >= 3, `only ${points} crash points`);
  });

  t("a signal delivered with the waiting instance's resume path crashed at every request", async () => {
    let points = 0;
    for (let k = 1; k <= MAX_POINTS; k++) {
      const [id, sku, ref] = [`sig-${k}`, `pen-s${k}`, `ref-s${k}`];
      await placeCrashed(stack, id, sku, 600_000, 0);
      const sent = await stack.sendSignal(id, "paid", { ref, amount: 10 }, { crashAt: k });
      const hit = "crashed" in sent;
      if (hit) {
        // the client did not hear back: it sends the same signal again (false if the first landed)
        await stack.signal(id, "paid", { ref, amount: 10 });
        await stack.recover();
      } else assert.equal(sent, ok(true));
      // delivered once: another send finds it
      assert.is(await stack.signal(id, "paid", { ref: `${ref}b`, amount: 11 }), false, `crash at ${k}`);
      await checkPaid(stack, id, sku, ref, `crash at ${k}`);
      if (!hit) break;
      points++;
    }
    assert.ok(points >= 10, `only ${points} crash points`);
    assert.equal(await locksLeft(stack), []);
  });

  t.run();
}
