// `beldi signal <app> <instanceId> <name> --value '<json>'` on the kept local state (LANGUAGE.md
// §9): an order placed with `beldi run` waits for "paid" (`beldi instances --status suspended`
// lists it and its sleeping reminder); the signal is delivered, the order finishes and the
// command shows its result (exit 0); a second one is not delivered (exit 1, the first value
// stays); a signal the reminder does not wait for leaves it sleeping until its time; a value of
// the wrong type fails the waiting order (shown); an unknown instance, an app never run and bad
// usage exit 2. The command is run through its module (local/cli.ts registers it).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { main } from "../local/cli.js";
import { type SignalReport, signalCommand } from "../local/commands/signal.js";

// A copy of examples/orders under its own name: its kept state is this suite's alone.
mkdirSync(".beldi", { recursive: true });
const tmp = mkdtempSync(path.resolve(".beldi", "signal-cmd-"));
const appName = `signalcmd${process.pid}`;
const app = path.join(tmp, appName);
cpSync("examples/orders", app, { recursive: true });
const neverRun = path.join(tmp, `${appName}never`);
cpSync("examples/orders", neverRun, { recursive: true });
const kept = [appName, `${appName}never`].flatMap((a) => [path.resolve(".beldi", "state", a), path.resolve(".beldi", "versions", a)]);

type Ran = { code: number; out: string; err: string };
const collect = async (run: (io: { out: (t: string) => void; err: (t: string) => void }) => Promise<number>): Promise<Ran> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run({ out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
};
const beldi = (...args: string[]) => collect((io) => main(args, io));
const signal = (...args: string[]) => collect((io) => signalCommand(args, io));

const order = (id: string) => JSON.stringify({ id, sku: "widget", qty: 1, payWithinMs: 600_000 });
const remindOf = (id: string) => `${id}!orders:s5`;

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const dir of kept) rmSync(dir, { recursive: true, force: true });
});

test('an order placed with beldi run waits for "paid": instances --status suspended lists it and its reminder', async () => {
  const put = await beldi("put", app, "inventory.stock", "widget", "--value", '{"qty":5}');
  assert.is(put.code, 0, put.err);
  const run = await beldi("run", app, "orders.place", "--input", order("o-1"), "--instance", "o-1");
  assert.is(run.code, 0, run.err);
  assert.equal(JSON.parse(run.out), { ok: true, pending: true, instanceId: "o-1" });
  const list = await beldi("instances", app, "--status", "suspended");
  assert.is(list.code, 0, list.err);
  assert.match(list.out, /^suspended +o-1 +orders\.place +entry .*waiting for "paid" until \d{4}-/m);
  assert.match(list.out, /^suspended +o-1!orders:s5 +orders\.remind +spawn .*sleeping until \d{4}-/m);
  const inspect = await beldi("inspect", app, "o-1");
  assert.is(inspect.code, 0, inspect.err);
  assert.match(inspect.out, /suspended \(waiting for "paid" until [^)]+\)/);
  assert.match(inspect.out, /wait {2}\S+orders\.beldi:\d+ {2}let paid = wait "paid"[^\n]*\n +waiting for "paid" \(deadline /);
});

test("the signal is delivered (exit 0): the order woke, finished, and its result is shown", async () => {
  const r = await signal(app, "o-1", "paid", "--value", '{"ref":"r-1","amount":10}');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^signal "paid" delivered to o-1$/m);
  assert.match(r.out, /^orders\.place o-1 {2}done$/m);
  assert.match(r.out, /^ {2}result {2}"paid r-1"$/m);
  assert.match(r.out, /^ {2}signal {2}"paid" = \{[^}]*"ref":"r-1"[^}]*\} {2}from a client$/m);
  assert.match(r.err, `beldi inspect ${app} o-1`);
  const paid = await beldi("get", app, "orders.orders", "o-1");
  assert.is(JSON.parse(paid.out).status, "paid");
});

test("a second signal of that name is not delivered (exit 1): the first value stays; --format json", async () => {
  const r = await signal(app, "o-1", "paid", "--value", '{"ref":"r-2","amount":10}', "--format", "json");
  assert.is(r.code, 1, r.err);
  const report = JSON.parse(r.out) as SignalReport;
  assert.equal([report.instanceId, report.name, report.delivered], ["o-1", "paid", false]);
  assert.is(report.instances.length, 1);
  const [v] = report.instances;
  assert.equal([v!.service, v!.fn, v!.status, v!.result], ["orders", "place", "done", { ok: true, value: "paid r-1" }]);
  assert.equal(
    v!.signals?.map((s) => [s.name, s.value]),
    [["paid", { ref: "r-1", amount: 10 }]],
  );
  const text = await signal(app, "o-1", "paid", "--value", "1");
  assert.is(text.code, 1);
  assert.match(text.out, /^signal "paid" not delivered: o-1 already had one of that name \(the first value stays\)$/m);
});

test("a signal the sleeping reminder does not wait for: delivered, and it sleeps on until its time", async () => {
  const r = await signal(app, remindOf("o-1"), "poke", "--value", "true");
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^orders\.remind o-1!orders:s5 {2}suspended \(sleeping until \d{4}-[^)]+\)$/m);
  const report = JSON.parse((await signal(app, remindOf("o-1"), "poke", "--value", "false", "--format", "json")).out) as SignalReport;
  const [v] = report.instances;
  assert.equal([report.delivered, v!.status, v!.suspended?.waitingFor], [false, "suspended", []]);
  assert.ok(v!.suspended!.until! > Date.now() + 60_000, "its own wake-up time, not the delivery's");
});

test("a value of the wrong type: delivered, and the waiting order fails with R0023 (shown)", async () => {
  const run = await beldi("run", app, "orders.place", "--input", order("o-2"), "--instance", "o-2");
  assert.is(run.code, 0, run.err);
  const r = await signal(app, "o-2", "paid", "--value", '"not a payment"');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^orders\.place o-2 {2}failed$/m);
  assert.match(r.out, /^ {2}result {2}error R0023: /m);
});

test("an unknown instance, an app never run and bad usage: exit 2, nothing delivered", async () => {
  const unknown = await signal(app, "nope", "paid", "--value", "1");
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /^error R0024: /);
  const never = await signal(neverRun, "o-1", "paid", "--value", "1");
  assert.is(never.code, 2);
  assert.match(never.err, /R0024: no local state for app/);
  for (const args of [
    [app, "o-1", "paid"],
    [app, "o-1", "paid", "--value", "{"],
    [app, "o-1", "--value", "1"],
    [app, "o-1", "paid", "--value", "1", "--format", "xml"],
    [app, "o-1", "paid", "--value", "1", "--nope"],
  ]) {
    const r = await signal(...args);
    assert.is(r.code, 2, args.join(" "));
    assert.match(r.err, /beldi signal <app> <instanceId> <name> --value/, args.join(" "));
  }
  const badName = await signal(app, "o-2", "x".repeat(201), "--value", "1");
  assert.is(badName.code, 2);
  assert.match(badName.err, /^error R0025: /);
});

test.run();
