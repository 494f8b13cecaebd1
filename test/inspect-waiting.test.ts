// The inspector on durable waiting (LANGUAGE.md §9, issue 14), both stores: examples/orders run on
// a LocalStack, then read back from the store — a suspended order waiting for "paid" with its
// deadline, the reminder it spawned sleeping until its time (status "suspended", `instances`
// filtered by it), the wait's step while it waits, the signal step of payments.pay (delivered,
// its name, the order it named), the order's received signal and the value its wait took, a
// second payment not delivered, and an order whose wait timed out; the text form of each.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { LocalStack } from "../local/index.js";
import { inspectInstance, listInstances } from "../local/inspect/inspect.js";
import type { InspectReport, InstanceView, StepView } from "../local/inspect/model.js";
import { inspectorOf } from "../local/inspect/of-stack.js";
import { renderInspect, renderInstances } from "../local/inspect/render-text.js";
import { BACKENDS, ok } from "./helpers.js";
import { untilSettled } from "./waiting-helpers.js";

const APP = "examples/orders";
const FILE = "examples/orders/orders.beldi";
const pending = (instanceId: string) => ({ ok: true, pending: true, instanceId });

/** The line of the orders app holding `needle` (once). */
function lineOf(needle: string): number {
  const lines = readFileSync(FILE, "utf8").split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  assert.is(hits.length, 1, `${needle} occurs once`);
  return hits[0]!;
}

async function inspected(stack: LocalStack, id: string, now?: number): Promise<InspectReport> {
  const x = inspectorOf(stack, now);
  try {
    return await inspectInstance(x, id);
  } finally {
    x.close();
  }
}

const only = (r: InspectReport): InstanceView => {
  assert.is(r.trees.length, 1, JSON.stringify(r.notes));
  return r.trees[0]!;
};

const stepOf = (v: InstanceView, kind: StepView["kind"]): StepView => {
  const s = v.steps.find((x) => x.kind === kind);
  assert.ok(s, `${v.id} has a ${kind} step: ${v.steps.map((x) => `${x.step} ${x.kind}`).join(", ")}`);
  return s!;
};

const input = (id: string, payWithinMs: number) => ({ id, sku: "widget", qty: 1, payWithinMs });

for (const backend of BACKENDS) {
  const t = suite(`inspect: durable waiting (${backend})`);
  let stack: LocalStack;
  t.before(async () => {
    // no schedule: what wakes an instance is this test's (a signal, or stack.wake())
    stack = await LocalStack.start({ app: APP, backend, schedule: false });
    await stack.put("inventory", "stock", "widget", { qty: 10 });
  });
  t.after(async () => {
    await stack.stop();
  });

  t('a suspended order: waiting for "paid" until its deadline, its wait step waiting; the reminder sleeping', async () => {
    const before = Date.now();
    assert.equal(await stack.invoke("orders.place", input("o-1", 600_000), { instanceId: "o-1" }), pending("o-1"));
    const order = only(await inspected(stack, "o-1"));
    assert.equal([order.status, order.kind], ["suspended", "entry"]);
    assert.equal(order.suspended?.waitingFor, ["paid"]);
    const deadline = order.suspended!.until!;
    assert.ok(deadline >= before + 600_000 && deadline <= Date.now() + 600_000, `deadline ${deadline}`);
    assert.ok(order.suspended!.since >= before && order.suspended!.due === undefined);
    assert.is(order.startedAt, undefined, "ST holds the wake-up time while suspended: no start shown");
    assert.is(order.statusNote, `waiting for "paid" until ${new Date(deadline).toISOString()}`);
    assert.is(order.signals, undefined);
    const wait = stepOf(order, "wait");
    assert.equal(wait.wait, { name: "paid", deadline, outcome: "waiting" });
    assert.ok(!("value" in wait), "nothing taken yet");
    assert.is(wait.source?.line, lineOf('let paid = wait "paid" as Payment timeout payWithinMs'));
    // the reminder it spawned sleeps until half the time allowed
    const remind = stepOf(order, "spawn").spawned!;
    assert.equal([remind.fn, remind.status, remind.kind], ["remind", "suspended", "spawn"]);
    assert.equal(remind.suspended?.waitingFor, []);
    const sleep = stepOf(remind, "sleep");
    assert.is(sleep.source?.line, lineOf("sleep afterMs"));
    assert.is(sleep.wakeAt, remind.suspended!.until);
    assert.is(sleep.value, sleep.wakeAt);
    assert.ok(sleep.wakeAt! >= before + 300_000, `wakes at ${sleep.wakeAt}`);
    assert.match(remind.statusNote!, /^sleeping until \d{4}-/);

    const text = renderInspect(await inspected(stack, "o-1"));
    assert.match(text, /orders\.place o-1 {2}\[entry\] {2}suspended \(waiting for "paid" until \d{4}-[^)]+\)/);
    assert.match(text, /suspended since \d{4}-/);
    assert.match(text, new RegExp(`s\\d+ {2}wait {2}${FILE}:\\d+ {2}let paid = wait "paid"`));
    assert.match(text, /waiting for "paid" \(deadline \d{4}-/);
    assert.match(text, /sleep {2}examples\/orders\/orders\.beldi:\d+ {2}sleep afterMs\n +until \d{4}-/);

    // a wake-up time that has come: due, resumed by the next wake-up pass
    const later = only(await inspected(stack, "o-1", deadline + 1));
    assert.equal([later.status, later.suspended?.due], ["suspended", true]);
    assert.match(later.statusNote!, /: due, the stack's next wake-up pass resumes it$/);
  });

  t("instances --status suspended: the order and its reminder; the text table says what each waits for", async () => {
    const x = inspectorOf(stack);
    try {
      const rows = await listInstances(x, ["suspended"]);
      assert.equal(rows.map((r) => `${r.service}.${r.fn} ${r.status}`).sort(), ["orders.place suspended", "orders.remind suspended"]);
      const place = rows.find((r) => r.fn === "place")!;
      assert.equal(place.suspended?.waitingFor, ["paid"]);
      assert.is(place.startedAt, undefined);
      const text = renderInstances(rows);
      assert.match(text, /^STATUS +INSTANCE +FN +KIND +STARTED +FINISHED +VERSION +NOTE$/m);
      assert.match(text, /suspended +o-1 +orders\.place +entry .*waiting for "paid" until \d{4}-/);
      assert.match(text, /suspended +o-1!orders:\S+ +orders\.remind +spawn .*sleeping until \d{4}-/);
      assert.equal(await listInstances(x, ["running", "pending-retry"]), []);
    } finally {
      x.close();
    }
  });

  t("payments.pay signals the order: delivered, its name and the order it named; the order took the value", async () => {
    assert.equal(await stack.invoke("payments.pay", { order: "o-1", ref: "r-1", amount: 10 }, { instanceId: "pay-1" }), ok(true));
    assert.equal(await untilSettled(stack, "orders.place", input("o-1", 600_000), "o-1"), ok("paid r-1"));
    const pay = only(await inspected(stack, "pay-1"));
    const signal = stepOf(pay, "signal");
    assert.equal(signal.signal, { delivered: true, name: "paid", to: "o-1" });
    assert.is(signal.value, true);
    assert.is(signal.source?.line, lineOf('let delivered = signal(order, "paid", { ref, amount })'));
    assert.match(
      renderInspect(await inspected(stack, "pay-1")),
      /signal {2}\S+ {2}let delivered = signal\(order, "paid", \{ ref, amount \}\)\n +delivered signal "paid" to o-1/,
    );

    const order = only(await inspected(stack, "o-1"));
    assert.equal([order.status, order.suspended], ["done", undefined]);
    assert.equal(order.signals, [
      { name: "paid", value: { ref: "r-1", amount: 10 }, by: `pay-1#${signal.step}`, from: { instance: "pay-1", step: signal.step } },
    ]);
    const wait = stepOf(order, "wait");
    assert.equal(wait.value, { ref: "r-1", amount: 10 });
    assert.is(wait.wait?.outcome, "signalled");
    assert.is(wait.wait?.name, "paid");
    const text = renderInspect(await inspected(stack, "o-1"));
    assert.match(text, /took signal "paid" \{[^}]*"ref":"r-1"[^}]*\} {2}\(deadline \d{4}-/);
    assert.match(text, /signal {4}"paid" = \{[^}]*"ref":"r-1"[^}]*\} {2}from pay-1 step s\d+/);
  });

  t("a second payment is not delivered (the first value stays); a client's signal is shown as one", async () => {
    assert.equal(await stack.invoke("payments.pay", { order: "o-1", ref: "r-2", amount: 10 }, { instanceId: "pay-2" }), ok(false));
    const signal = stepOf(only(await inspected(stack, "pay-2")), "signal");
    assert.equal(signal.signal, { delivered: false, name: "paid", to: "o-1" });
    assert.match(renderInspect(await inspected(stack, "pay-2")), /not delivered signal "paid" to o-1 \(it already had one/);
    // from outside, before the order waits: kept in its intent, shown with no sender instance
    assert.equal(await stack.invoke("orders.place", input("o-3", 600_000), { instanceId: "o-3" }), pending("o-3"));
    assert.is(await stack.signal("o-3", "extra", 1), true);
    const o3 = only(await inspected(stack, "o-3"));
    const extra = o3.signals?.find((s) => s.name === "extra");
    assert.ok(extra?.by.startsWith("client:") && extra.from === undefined && extra.value === 1, JSON.stringify(o3.signals));
    assert.match(renderInspect(await inspected(stack, "o-3")), /signal {4}"extra" = 1 {2}from a client/);
  });

  t("an order not paid in time: its wait timed out (null, with its deadline), the reminder woke and ran", async () => {
    assert.equal(await stack.invoke("orders.place", input("o-2", 300), { instanceId: "o-2" }), pending("o-2"));
    await new Promise((r) => setTimeout(r, 400));
    await stack.recover(); // wakes what is due (the order's deadline, the reminder's sleep) and finishes it
    assert.equal(await untilSettled(stack, "orders.place", input("o-2", 300), "o-2"), ok("cancelled"));
    const order = only(await inspected(stack, "o-2"));
    const wait = stepOf(order, "wait");
    assert.is(wait.value, null);
    assert.is(wait.wait?.outcome, "timed-out");
    assert.ok(wait.wait!.deadline! <= Date.now());
    assert.match(renderInspect(await inspected(stack, "o-2")), /timed out waiting for "paid" \(deadline \d{4}-/);
    const remind = stepOf(order, "spawn").spawned!;
    // it woke (at half the time allowed) before the order's deadline: the order was still unpaid
    assert.equal([remind.status, remind.result], ["done", { ok: true, value: true }]);
    assert.ok(stepOf(remind, "sleep").wakeAt! <= Date.now());
  });

  t.run();
}
