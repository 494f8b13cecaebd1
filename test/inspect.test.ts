// `beldi inspect` and `beldi instances` (issue 13): example workflows run on a real local stack
// (dynalite, through the real SDK), then read back from the store — the call tree, the steps in
// order with their kinds, .beldi lines and values, a transaction's decisions, locks and commits,
// a failed spawned instance, a crashed instance that is running and then pending a retry, and
// an instance GC collected; the text form and --format json; the commands on the local state
// `beldi run` keeps and on a DynamoDB endpoint with a manifest.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStack } from "../local/index.js";
import { inspectInstance, listInstances } from "../local/inspect/inspect.js";
import type { InspectReport, InstanceView, StepView } from "../local/inspect/model.js";
import { inspectorOf } from "../local/inspect/of-stack.js";
import { renderInspect } from "../local/inspect/render-text.js";
import { main } from "../local/cli.js";
import type { Io } from "../compiler/cli-io.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SHOP = "test/fixtures/inspect";
const SHOP_FILE = "test/fixtures/inspect/shop.beldi";
const TRAVEL_FILE = "examples/travel/travel.beldi";

/** The line of `file` whose text holds `needle` (once): the .beldi line a step must name. */
function lineOf(file: string, needle: string): number {
  const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  assert.is(hits.length, 1, `${needle} occurs once in ${file}`);
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

/** A step's kind, id and .beldi line, for comparing whole step lists. */
const shape = (steps: StepView[]) =>
  steps.map((s) => `${s.step} ${s.kind} ${s.source ? `${path.basename(s.source.file)}:${s.source.line}` : "?"}`);

const capture = (): Io & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
};

test("travel reserve: callees nested at their call steps, the transaction's commit with its locks and writes, the spawned order", async () => {
  const stack = await LocalStack.start({ app: "examples/travel", schedule: false });
  try {
    await stack.put("user", "users", "ada", { password: "pw" });
    await stack.put("hotel", "hotels", "h1", { name: "Grand", cap: 2, price: 100 });
    await stack.put("flight", "flights", "f1", { cap: 1 });
    const input = { user: "ada", password: "pw", hotel: "h1", flight: "f1" };
    assert.equal(await stack.invoke("frontend.reserve", input, { instanceId: "trip-1" }), { ok: true, value: true });
    await stack.recover();
    const report = await inspected(stack, "trip-1");
    assert.is(report.found, "tree");
    const root = only(report);
    assert.equal([root.service, root.fn, root.kind, root.status], ["frontend", "reserve", "entry", "done"]);
    // a finished intent keeps a preview of its input, not the input
    assert.equal([root.input, JSON.parse(root.inputPreview!)], [undefined, input]);
    assert.equal(root.result, { ok: true, value: true });
    assert.ok(root.startedAt! <= root.finishedAt!);
    assert.equal(shape(root.steps), [
      `s1 call travel.beldi:${lineOf(TRAVEL_FILE, "if !call user.check(user, password)")}`,
      `s2 txn travel.beldi:${lineOf(TRAVEL_FILE, "    txn {")}`,
      `s5 spawn travel.beldi:${lineOf(TRAVEL_FILE, "spawn order.place(user, hotel, flight)")}`,
    ]);
    const [check, txn, spawn] = root.steps as [StepView, StepView, StepView];
    assert.is(check.source!.text, "if !call user.check(user, password) { return false }");
    // user.check is read-only: it logs nothing, its caller logs its result
    assert.equal([check.callee!.id, check.callee!.fn, check.callee!.status], ["trip-1/frontend:s1", "check", "done"]);
    assert.equal(check.callee!.result, { ok: true, value: true });

    assert.is(txn.txn!.outcome, "committed");
    assert.ok(typeof txn.txn!.startedAt === "number");
    assert.is(txn.txn!.attempts.length, 1);
    const attempt = txn.txn!.attempts[0]!;
    assert.is(attempt.id, "trip-1/s2.a0@frontend");
    assert.equal([attempt.decision!.kind, attempt.decision!.reason], ["commit", "committed"]);
    assert.equal(attempt.decision!.locks, [
      { service: "hotel", table: "hotels", key: "h1", mode: "w" },
      { service: "flight", table: "flights", key: "f1", mode: "w" },
    ]);
    assert.equal(attempt.decision!.writes, [
      { service: "hotel", table: "hotels", key: "h1", value: { name: "Grand", cap: 1, price: 100 }, applied: { kind: "applied" } },
      { service: "flight", table: "flights", key: "f1", value: { cap: 0 }, applied: { kind: "applied" } },
    ]);
    assert.equal(attempt.heldNow, []);
    assert.equal(shape(attempt.steps), [
      `s2.a0/s3 call travel.beldi:${lineOf(TRAVEL_FILE, "if !call hotel.reserve(hotel)")}`,
      `s2.a0/s4 call travel.beldi:${lineOf(TRAVEL_FILE, "if !call flight.reserve(flight)")}`,
    ]);
    const hotel = attempt.steps[0]!.callee!;
    assert.equal([hotel.id, hotel.service, hotel.fn, hotel.status], ["trip-1/frontend:s2.a0/s3", "hotel", "reserve", "done"]);
    assert.equal(hotel.result, { ok: true, value: true });
    // the read took the exclusive lock (the fn updates the key later): the update computes on the
    // value it saw and logs nothing; its effect is the decision's write above
    assert.equal(shape(hotel.steps), [`s1 read travel.beldi:${lineOf(TRAVEL_FILE, "let h = read hotels[id]")}`]);
    assert.equal(hotel.steps[0]!.value, { name: "Grand", cap: 2, price: 100 });
    assert.is(hotel.steps[0]!.table, "hotel.hotels");
    const flight = attempt.steps[1]!.callee!;
    assert.equal(shape(flight.steps), [
      `s1 update travel.beldi:${lineOf(TRAVEL_FILE, "return update flights[id] set cap = cap - 1 where cap > 0")}`,
    ]);

    const order = spawn.spawned!;
    assert.equal([order.id, order.kind, order.service, order.fn, order.status], ["trip-1!frontend:s5", "spawn", "order", "place", "done"]);
    assert.equal(JSON.parse(order.inputPreview!), { user: "ada", hotel: "h1", flight: "f1" });
    assert.equal(order.parent, { instance: "trip-1", step: "s5" });
    const placeLine = lineOf(TRAVEL_FILE, "write orders[id] = { user, hotel, flight, at: now() }");
    // now() is an argument of the write: it runs first, though its site comes later in the source
    assert.equal(shape(order.steps), [
      `s1 uuid travel.beldi:${lineOf(TRAVEL_FILE, "let id = uuid()")}`,
      `s3 now travel.beldi:${placeLine}`,
      `s2 write travel.beldi:${placeLine}`,
    ]);
    const [uuid, now, write] = order.steps as [StepView, StepView, StepView];
    assert.equal(order.result, { ok: true, value: uuid.value as string });
    assert.ok(typeof now.value === "number" && typeof now.loggedAt === "number");
    assert.equal([write.table, write.key, write.outcome], ["order.orders", uuid.value, { kind: "applied" }]);
    assert.is(write.reExecuted, undefined);

    // a callee's own id inspects its subtree
    const sub = only(await inspected(stack, "trip-1/frontend:s2.a0/s3"));
    assert.equal(sub, hotel);
  } finally {
    await stack.stop();
  }
});

test("shop: an aborted transaction, a failed spawned instance (in inspect and in instances), loops, inline calls, scan, parallel", async () => {
  const stack = await LocalStack.start({ app: SHOP, schedule: false });
  try {
    await stack.put("shop", "stock", "apple", { n: 5 });
    await stack.put("shop", "stock", "pear", { n: 50 });
    assert.equal(await stack.invoke("shop.buy", { k: "apple", qty: 20 }, { instanceId: "short" }), { ok: true, value: false });
    assert.equal(await stack.invoke("shop.buy", { k: "pear", qty: 12 }, { instanceId: "bulk" }), { ok: true, value: true });
    const tour = await stack.invoke("shop.tour", { keys: ["apple", "pear", "plum"] }, { instanceId: "tour" });
    await stack.recover();

    const short = only(await inspected(stack, "short"));
    const txn = short.steps.find((s) => s.kind === "txn")!;
    assert.is(txn.txn!.outcome, "aborted");
    assert.equal([txn.txn!.attempts[0]!.decision!.kind, txn.txn!.attempts[0]!.decision!.reason], ["abort", "abort in the body"]);
    assert.equal(txn.txn!.attempts[0]!.decision!.locks, [{ service: "shop", table: "stock", key: "apple", mode: "w" }]);
    assert.equal(txn.txn!.attempts[0]!.decision!.writes, []);
    assert.ok(!short.steps.some((s) => s.kind === "spawn"), "no spawn after the else branch returned");

    const bulk = only(await inspected(stack, "bulk"));
    const spawned = bulk.steps.find((s) => s.kind === "spawn")!.spawned!;
    assert.equal([spawned.id, spawned.status], ["bulk!shop:s5", "failed"]);
    assert.equal(spawned.result, { ok: false, error: { code: "R0001", message: "will not notify about 12 of pear" } });
    assert.equal(spawned.steps, []);
    // inspecting the spawned id alone: its own tree
    assert.equal(only(await inspected(stack, "bulk!shop:s5")), spawned);

    const x = inspectorOf(stack);
    try {
      const failed = await listInstances(x, ["failed"]);
      assert.equal(
        failed.map((f) => [f.id, f.kind, `${f.service}.${f.fn}`, f.error?.code]),
        [["bulk!shop:s5", "spawn", "notify.send", "R0001"]],
      );
      const all = await listInstances(x);
      // oldest first; a spawned instance's start is when it was claimed (its event may run after
      // a later entry instance on a loaded machine), so only the entries' order is fixed
      assert.equal(
        all.filter((f) => f.kind === "entry").map((f) => `${f.id} ${f.status}`),
        ["short done", "bulk done", "tour done"],
      );
      assert.equal(
        all.filter((f) => f.kind !== "entry").map((f) => `${f.id} ${f.status}`),
        ["bulk!shop:s5 failed"],
      );
    } finally {
      x.close();
    }

    assert.ok("ok" in tour && tour.ok);
    const t = only(await inspected(stack, "tour"));
    const read = lineOf(SHOP_FILE, "let row = read stock[k]");
    const callLine = lineOf(SHOP_FILE, "let booked = call ledger.add(uuid(), total)");
    assert.equal(shape(t.steps), [
      `s1.0/s2/s1 read shop.beldi:${read}`,
      `s1.1/s2/s1 read shop.beldi:${read}`,
      `s1.2/s2/s1 read shop.beldi:${read}`,
      `s3 scan shop.beldi:${lineOf(SHOP_FILE, "let all = scan stock")}`,
      `s4.b0/s6 uuid shop.beldi:${callLine}`,
      `s4.b0/s5 call shop.beldi:${callLine}`,
      `s4.b1/s7 random shop.beldi:${lineOf(SHOP_FILE, "let r = random()")}`,
      `s8 update shop.beldi:${lineOf(SHOP_FILE, 'update stock["tour"]')}`,
    ]);
    assert.equal(
      t.steps.slice(0, 3).map((s) => [s.fn, s.value]),
      [
        ["shop.count", { n: 5 }],
        ["shop.count", { n: 38 }],
        ["shop.count", null],
      ],
    );
    assert.equal(t.steps[3]!.value, [
      { key: "apple", value: { n: 5 } },
      { key: "pear", value: { n: 38 } },
    ]);
    const tag = t.steps[4]!.value as string;
    const ledger = t.steps[5]!.callee!;
    // a callee with nothing unlogged at its end logs no result (runtime/service.ts): done with its root
    assert.equal([ledger.id, ledger.status, ledger.result], ["tour/shop:s4.b0/s5", "done", undefined]);
    assert.match(ledger.statusNote ?? "", /its result is not logged/);
    assert.equal(
      ledger.steps.map((s) => [s.kind, s.table, s.key, s.outcome]),
      [
        ["write", "ledger.lines", tag, { kind: "applied" }],
        ["delete", "ledger.lines", `${tag}-old`, { kind: "applied" }],
      ],
    );
    assert.equal([t.steps[7]!.key, t.steps[7]!.outcome], ["tour", { kind: "cond", value: false }]);
  } finally {
    await stack.stop();
  }
});

test("a crashed instance: running within its lease, pending a retry after it, an undecided attempt holding its lock; done after recovery", async () => {
  const stack = await LocalStack.start({ app: SHOP, schedule: false });
  try {
    await stack.put("shop", "stock", "apple", { n: 5 });
    // requests: the intent, the lock (then the decision, the commit, ...): it dies holding the lock
    assert.equal(await stack.invoke("shop.buy", { k: "apple", qty: 2 }, { instanceId: "crashy", crashAt: 2 }), { crashed: true });
    const live = only(await inspected(stack, "crashy"));
    assert.is(live.status, "running");
    assert.match(live.statusNote!, /re-executed if not finished by/);
    assert.is(live.result, undefined);
    const attempt = live.steps.find((s) => s.kind === "txn")!.txn!;
    assert.is(attempt.outcome, "undecided");
    assert.equal(attempt.attempts.length, 1);
    assert.is(attempt.attempts[0]!.decision, null);
    assert.equal(attempt.attempts[0]!.heldNow, [{ service: "shop", table: "stock", key: "apple", mode: "w" }]);

    const later = Date.now() + stack.runtimeConfig.windowMs + 1;
    const waiting = only(await inspected(stack, "crashy", later));
    assert.is(waiting.status, "pending-retry");
    assert.match(waiting.statusNote!, /intent collector re-executes it/);
    const x = inspectorOf(stack, later);
    try {
      assert.equal(
        (await listInstances(x, ["pending-retry"])).map((i) => i.id),
        ["crashy"],
      );
    } finally {
      x.close();
    }

    await stack.recover();
    const done = only(await inspected(stack, "crashy"));
    assert.equal([done.status, done.result], ["done", { ok: true, value: true }]);
    const txn = done.steps.find((s) => s.kind === "txn")!.txn!;
    assert.is(txn.outcome, "committed");
    assert.equal(txn.attempts[0]!.heldNow, []);
    assert.equal(txn.attempts[0]!.decision!.writes[0]!.value, { n: 3 });
  } finally {
    await stack.stop();
  }
});

test("collected by GC: the root's tombstone (fn, input preview, times), a callee of it, and an id that never ran", async () => {
  const stack = await LocalStack.start({ app: "examples/hello", schedule: false });
  try {
    assert.ok("ok" in (await stack.invoke("greeter.greet", { name: "gus" }, { instanceId: "old" })));
    await stack.gc({ laterByMs: stack.runtimeConfig.windowMs * 2 });
    const report = await inspected(stack, "old");
    assert.is(report.found, "collected");
    const root = only(report);
    assert.equal([root.status, root.fn, root.inputPreview, root.steps], ["collected", "greet", '{"name":"gus"}', []]);
    assert.ok(root.collectedAt! >= root.finishedAt!);
    assert.match(renderInspect(report), /collected \(collected by GC: its steps, input and result are gone\)/);

    const callee = await inspected(stack, "old/greeter:s1");
    assert.is(callee.found, "collected");
    assert.match(callee.notes.join("\n"), /old\/greeter:s1: collected by GC with its tree \(root old\)/);

    const none = await inspected(stack, "never");
    assert.equal([none.found, none.trees], ["missing", []]);
    assert.match(none.notes[0]!, /no instance in any service of hello: it never ran here, or GC collected it and its tombstone expired/);
  } finally {
    await stack.stop();
  }
});

test("the text form: the tree indented, one line per step with its .beldi line, values and outcomes", async () => {
  const stack = await LocalStack.start({ app: SHOP, schedule: false });
  try {
    await stack.put("shop", "stock", "apple", { n: 5 });
    await stack.invoke("shop.buy", { k: "apple", qty: 2 }, { instanceId: "text" });
    await stack.recover();
    const text = renderInspect(await inspected(stack, "text"))
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>")
      .replace(/value \d{10,}/g, "value <now>")
      .replace(/version {3}\w+/g, "version   <v>");
    const line = (needle: string) => `${SHOP_FILE}:${lineOf(SHOP_FILE, needle)}`;
    assert.fixture(
      text,
      [
        "shop.buy text  [entry]  done",
        "  version   <v>",
        "  started <time>  finished <time>",
        '  input     {"k":"apple","qty":2}',
        "  result    true",
        "  steps",
        `    s1  now  ${line("let at = now()")}  let at = now()`,
        "        value <now>  (logged <time>)",
        `    s2  txn  ${line("    txn {")}  txn {`,
        "        transaction committed, started <time>",
        "          attempt 0: commit — committed  (decided <time>)",
        '              locks held: shop.stock["apple"] exclusive',
        '              writes shop.stock["apple"] = {"n":3}  (applied)',
        `              s2.a0/s3  read shop.stock  ${line("let s = read stock[k]")}  let s = read stock[k]`,
        '                  value {"n":5}  (logged <time>)',
        `    s5  spawn  ${line("spawn notify.send(k, qty)")}  spawn notify.send(k, qty)`,
        "        spawned:",
        "          notify.send text!shop:s5  [spawn]  done",
        "            version   <v>",
        "            started <time>  finished <time>",
        '            input     {"k":"apple","qty":2}',
        '            result    "apple"',
        "            steps",
        `              s1  write notify.notices["apple"]  ${line("write notices[k]")}  write notices[k] = { text: "bought " + str(qty) }`,
        "                  outcome applied",
      ].join("\n"),
    );
  } finally {
    await stack.stop();
  }
});

test("the commands on a DynamoDB endpoint with the build's manifest: inspect --format json, instances --status, usage errors", async () => {
  const stack = await LocalStack.start({ app: SHOP, schedule: false });
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  // the default credential chain, as against AWS (the local store takes any)
  process.env.AWS_ACCESS_KEY_ID = "beldi";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  try {
    await stack.put("shop", "stock", "pear", { n: 50 });
    await stack.invoke("shop.buy", { k: "pear", qty: 12 }, { instanceId: "cli-1" });
    await stack.recover();
    const where = [
      "--endpoint",
      stack.runtimeConfig.storeEndpoint!,
      "--region",
      "us-east-1",
      "--prefix",
      stack.prefix,
      "--manifest",
      path.join(stack.app.dir, "manifest.json"),
    ];
    const io = capture();
    assert.is(await main(["inspect", "cli-1", ...where, "--format", "json"], io), 0, io.stderr.join("\n"));
    const report = JSON.parse(io.stdout.join("\n")) as InspectReport;
    assert.equal(report, await inspected(stack, "cli-1").then((r) => ({ ...r, trees: report.trees })));
    assert.equal([report.trees[0]!.status, report.trees[0]!.steps.map((s) => s.kind)], ["done", ["now", "txn", "spawn"]]);
    assert.is(report.trees[0]!.steps[2]!.spawned!.status, "failed");

    const list = capture();
    assert.is(await main(["instances", ...where, "--status", "failed"], list), 0, list.stderr.join("\n"));
    assert.match(list.stdout[0]!, /^STATUS +INSTANCE +FN +KIND +STARTED +FINISHED +VERSION +NOTE$/m);
    assert.match(list.stdout[0]!, /\nfailed +cli-1!shop:s5 +notify\.send +spawn +\S+ +\S+ +\w+ +R0001: will not notify about 12 of pear$/);
    const json = capture();
    assert.is(await main(["instances", ...where, "--format", "json"], json), 0);
    assert.equal(
      (JSON.parse(json.stdout.join("\n")) as { id: string; status: string }[]).map((i) => `${i.id} ${i.status}`),
      ["cli-1 done", "cli-1!shop:s5 failed"],
    );

    const missing = capture();
    assert.is(await main(["inspect", "nobody", ...where], missing), 1);
    assert.match(missing.stdout.join("\n"), /nobody: no instance in any service of inspect/);
    for (const bad of [
      ["inspect", SHOP],
      ["instances", SHOP, "--status", "asleep"],
      ["inspect", SHOP, "x", "--format", "yaml"],
      ["instances", SHOP, "--prefix", "p-"],
    ]) {
      const e = capture();
      assert.is(await main(bad, e), 2, bad.join(" "));
      assert.match(e.stderr.join("\n"), /usage: beldi/);
    }
  } finally {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    await stack.stop();
  }
});

test("the commands on the local state: beldi run shows a failed spawned instance, inspect and instances read .beldi/state; no state, exit 1", async () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(path.join(os.tmpdir(), "beldi-inspect-"));
  const app = path.join(ROOT, SHOP);
  try {
    process.chdir(dir);
    const none = capture();
    assert.is(await main(["instances", app], none), 1);
    assert.match(
      none.stderr.join("\n"),
      /error: no local state for app inspect: \.beldi\/state\/inspect does not exist \(run it first with `beldi run`\)/,
    );

    assert.is(await main(["run", app, "shop.restock", "--input", '{"k":"pear","n":30}'], capture()), 0);
    const run = capture();
    assert.is(await main(["run", app, "shop.buy", "--input", '{"k":"pear","qty":12}', "--instance", "local-1"], run), 0);
    assert.match(run.stderr.join("\n"), /^spawned notify\.send local-1!shop:s5: failed: R0001 will not notify about 12 of pear$/m);
    assert.match(run.stderr.join("\n"), /^instance local-1 \(see `beldi inspect .* local-1`\)$/m);

    const text = capture();
    assert.is(await main(["inspect", app, "local-1"], text), 0, text.stderr.join("\n"));
    assert.match(text.stdout.join("\n"), /^shop\.buy local-1 {2}\[entry\] {2}done$/m);
    assert.match(text.stdout.join("\n"), /notify\.send local-1!shop:s5 {2}\[spawn\] {2}failed/);
    assert.match(text.stdout.join("\n"), /writes shop\.stock\["pear"\] = \{"n":18\} {2}\(applied\)/);

    const list = capture();
    assert.is(await main(["instances", app, "--status", "failed,done"], list), 0);
    const rows = list.stdout[0]!.split("\n")
      .slice(1)
      .map((l) => l.split(/ +/));
    assert.equal(
      rows.map((r) => r[0]),
      ["done", "done", "failed"],
    );
    assert.equal(
      rows.slice(1).map((r) => r[1]),
      ["local-1", "local-1!shop:s5"],
    );
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
