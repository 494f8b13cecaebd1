// `crashSweep` and `duplicateExecution` from beldi/local, and `beldi sweep`: every crash point
// compared with the uncrashed run (result and every table, now()/uuid() values matched by step),
// and — the sweep must be able to fail — non-idempotent situations reported as differences: a
// table that differs between runs, an extern that remembers (test/fixtures/impure), and the app
// run without exactly-once (baseline) executed twice.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { main } from "../local/cli.js";
import { crashSweep, describeDuplicates, describeSweep, duplicateExecution, type LocalStack } from "../local/index.js";

mkdirSync(".beldi", { recursive: true });
const tmp = mkdtempSync(path.resolve(".beldi", "sweep-cmd-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const beldi = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
};

const travelRows = {
  "user.users": { ada: { password: "pw" } },
  "hotel.hotels": { h1: { name: "Hotel h1", cap: 3, price: 120 } },
  "flight.flights": { f1: { cap: 2 } },
};

test("crashSweep over examples/travel frontend.reserve: every crash point matches, the spawned order's uuid key and now() matched by step", async () => {
  const r = await crashSweep({
    app: "examples/travel",
    fn: "frontend.reserve",
    input: { user: "ada", password: "pw", hotel: "h1", flight: "f1" },
    setup: travelRows,
  });
  assert.ok(r.ok, describeSweep(r));
  assert.ok(r.points.length >= 12, `swept ${r.points.length}`);
  assert.equal(r.reference.result, { ok: true, value: true });
  assert.equal(r.reference.tables["hotel.hotels"], { h1: { name: "Hotel h1", cap: 2, price: 120 } });
  const orders = Object.entries(r.reference.tables["order.orders"]!);
  assert.is(orders.length, 1, "one order, keyed by a uuid() the crashed runs drew anew");
  assert.match(orders[0]![0], /^[0-9a-f-]{36}$/);
  assert.equal(
    r.points.map((p) => p.k),
    r.points.map((_, i) => i + 1),
  );
  // the intent is registered at the first durable request, holding what was read before it: no log put of its own
  const requests = r.points.map((p) => p.request);
  const registered = requests.indexOf("PutItem frontend-intent");
  assert.ok(registered >= 0, requests.join(", "));
  assert.not.ok(
    requests.slice(0, registered).some((q) => q.startsWith("PutItem") || q.startsWith("UpdateItem")),
    `nothing durable before the registration: ${requests.join(", ")}`,
  );
  assert.ok(
    r.points.some((p) => p.request === "UpdateItem flight.flights"),
    r.points.map((p) => p.request).join(", "),
  );
});

test("crashSweep matches now()/uuid()/random() drawn in callees on parallel branches, and in a read-only callee whose result the caller logs", async () => {
  const stamps = await crashSweep({ app: "test/fixtures/choices", fn: "hub.stampTwo", input: { k: "a" } });
  assert.ok(stamps.ok, describeSweep(stamps));
  assert.equal(Object.keys(stamps.reference.tables["stamper.stamps"]!).sort(), ["a-1", "a-2"]);
  const named = await crashSweep({ app: "test/fixtures/choices", fn: "hub.named", input: { k: "b" } });
  assert.ok(named.ok, describeSweep(named));
  assert.match(String((named.reference.result as { value: string }).value), /^n\d+-[0-9a-f]{8}$/);
  assert.ok(named.points.length >= 4, `swept ${named.points.length}`);
});

test("a table that differs between runs is reported at every crash point, with the differing row and result", async () => {
  let runs = 0;
  // The uncrashed run starts from n = 41, every later run from n = 50: not the same initial state.
  const setup = (stack: LocalStack) => stack.put("counter", "counts", "ada", { n: runs++ === 0 ? 41 : 50 });
  const r = await crashSweep({ app: "examples/hello", fn: "greeter.greet", input: { name: "ada" }, setup, maxPoints: 2 });
  assert.not.ok(r.ok);
  assert.is(r.points.length, 2);
  for (const p of r.points) {
    assert.not.ok(p.ok);
    assert.not.ok(p.resultEqual);
    assert.equal(p.result, { ok: true, value: "Hello, ada! Visit number 51." });
    assert.equal(
      p.rows.find((d) => d.table === "counter.counts"),
      { table: "counter.counts", key: "ada", expected: { n: 42 }, got: { n: 51 } },
    );
  }
  const text = describeSweep(r);
  assert.match(text, /counter\.counts\["ada"\]: expected \{"n":42\}/);
  assert.match(text, /got +\{"n":51\}/);
  assert.match(text, /stopped after 2 crash points/);
});

test("a user check that throws is that crash point's problem", async () => {
  const r = await crashSweep({
    app: "examples/hello",
    fn: "greeter.greet",
    input: { name: "ada" },
    maxPoints: 3,
    check: async (stack) => {
      const c = (await stack.get("counter", "counts", "ada")) as { n: number };
      if (c.n !== 2) throw new Error(`expected n = 2, got ${c.n}`);
    },
  });
  assert.not.ok(r.ok);
  assert.match(r.reference.problem ?? "", /the uncrashed run fails the check: expected n = 2, got 1/);
  assert.match(r.points[0]!.problem ?? "", /expected n = 2, got 1/);
});

test("duplicateExecution: concurrent and collector-raced executions of one instance match a single run; without exactly-once they do not", async () => {
  const beldi = await duplicateExecution({ app: "examples/hello", fn: "greeter.greet", input: { name: "eve" }, copies: 3 });
  assert.ok(beldi.ok, describeDuplicates(beldi));
  assert.equal(
    beldi.runs.map((r) => r.scenario),
    ["concurrent", "collector"],
  );
  assert.is(beldi.runs[0]!.results.length, 3);
  const plain = await duplicateExecution({ app: "examples/hello", baseline: true, fn: "greeter.greet", input: { name: "eve" } });
  assert.not.ok(plain.ok, describeDuplicates(plain));
  const counts = plain.runs[0]!.rows.find((d) => d.table === "counter.counts");
  assert.equal(counts?.expected, { n: 1 });
  assert.ok(((counts?.got as { n: number }) ?? { n: 0 }).n >= 2, "the counter was bumped by both executions");
  assert.match(describeDuplicates(plain), /DIFFER/);
});

test("the negative control: a crash sweep of the baseline build (no exactly-once) reports the duplicate effects", async () => {
  const plain = await crashSweep({ app: "examples/hello", baseline: true, fn: "greeter.greet", input: { name: "ann" } });
  assert.not.ok(plain.ok, describeSweep(plain));
  assert.ok(plain.points.length >= 1, `crash points: ${plain.points.length}`);
  // a crash after the counter's update: the retry runs the whole workflow again and bumps it twice
  const twice = plain.points.filter((p) => p.rows.some((d) => d.table === "counter.counts" && (d.got as { n?: number } | null)?.n === 2));
  assert.ok(twice.length > 0, describeSweep(plain));
  assert.match(describeSweep(plain), /DIFFER/);
});

test("beldi sweep (process isolation): a progress line per crash point, a table of them, exit 0", async () => {
  const r = await beldi("sweep", "examples/hello", "greeter.greet", "--input", '{"name":"ada"}', "--isolation", "process");
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.err, /uncrashed run: \d+ requests/);
  assert.match(r.err, /crash point 1\/\d+: crashed after PutItem greeter-intent: matches/);
  assert.match(r.out, /crash points, every one matches the uncrashed run/);
  assert.match(r.out, /\n +3 +UpdateItem counter\.counts +same +same/);
});

test("beldi sweep reports an extern that remembers: the crash points after its value was logged differ (exit 1)", async () => {
  const r = await beldi("sweep", "test/fixtures/impure", "tally.mark", "--input", '{"name":"x"}', "--format", "json");
  assert.is(r.code, 1, r.err);
  const report = JSON.parse(r.out);
  assert.not.ok(report.ok);
  const differs = report.points.filter((p: { ok: boolean }) => !p.ok).map((p: { k: number; request: string }) => `${p.k} ${p.request}`);
  // The uuid is logged with the intent's registration, before the write; a re-execution then asks the extern again.
  assert.equal(differs, ["1 PutItem tally-intent", "2 UpdateItem tally.marks"]);
  assert.equal(report.points[0].rows, [{ table: "tally.marks", key: "x", expected: { n: 1 }, got: { n: 2 } }]);
  assert.equal(report.points[1].result, { ok: true, value: 2 });
});

test("beldi sweep: --setup rows are checked first; unknown fn or table is bad usage (exit 2), a wrong type exit 1", async () => {
  const sweep = (...more: string[]) => beldi("sweep", "examples/hello", "greeter.greet", "--input", '{"name":"ada"}', ...more);
  const unknownFn = await beldi("sweep", "examples/hello", "greeter.nope", "--input", "{}");
  assert.is(unknownFn.code, 2);
  assert.match(unknownFn.err, /has no fn greeter\.nope \(its fns: .*greeter\.greet/);
  assert.match(unknownFn.err, /counter\.bump/);
  const badTable = path.join(tmp, "bad-table.json");
  writeFileSync(badTable, JSON.stringify({ "counter.count": { ada: { n: 1 } } }));
  const t = await sweep("--setup", badTable);
  assert.is(t.code, 2);
  assert.match(t.err, /no table count \(its tables: counter\.counts, greeter\.greetings\)/);
  const badType = path.join(tmp, "bad-type.json");
  writeFileSync(badType, JSON.stringify({ "counter.counts": { ada: { n: "one" } } }));
  const v = await sweep("--setup", badType);
  assert.is(v.code, 1);
  assert.match(v.err, /counter\.counts\["ada"\]\.n must be a finite number/);
  assert.is((await sweep("--store", "mysql")).code, 2);
  assert.is((await sweep("--max-points", "0")).code, 2);
  assert.is((await sweep("--setup", badType, "--from-state")).code, 2);
  const seeded = path.join(tmp, "seeded.json");
  writeFileSync(seeded, JSON.stringify({ "counter.counts": { ada: { n: 41 } } }));
  const ok = await sweep("--setup", seeded, "--max-points", "2", "--format", "json");
  assert.is(ok.code, 1, "stopped at 2 points: not a whole sweep");
  const report = JSON.parse(ok.out);
  assert.ok(report.truncated);
  assert.equal(report.reference.result, { ok: true, value: "Hello, ada! Visit number 42." });
  assert.ok(report.points.every((p: { ok: boolean }) => p.ok));
});

test.run();
