// `beldi put|get|scan` on the kept local state (.beldi/state/<app>, as `beldi run` keeps it):
// put checks the value against the table's record type and writes it where the app's fns read
// it, get and scan print what is there, and an unknown table is named with the ones that exist.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { main } from "../local/cli.js";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";

// A copy of examples/hello under its own name: its kept state is this suite's alone.
mkdirSync(".beldi", { recursive: true });
const tmp = mkdtempSync(path.resolve(".beldi", "data-cmd-"));
const appName = `datacmd${process.pid}`;
const app = path.join(tmp, appName);
cpSync("examples/hello", app, { recursive: true });
const state = path.resolve(".beldi", "state", appName);

/** The command in this process (the same path as the binary after its loader): exit status and output. */
const beldi = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
};

/** The installed binary, once: what a user types. */
const binary = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["bin/beldi.mjs", ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

test("put sets a row, get prints it, scan lists every row; a fn reads the put value through beldi run", async () => {
  const put = await beldi("put", app, "counter.counts", "ada", "--value", '{"n":41}');
  assert.is(put.code, 0, put.err);
  assert.is((await beldi("put", app, "counter.counts", "bob", "--value", '{"n":7}')).code, 0);
  const got = binary("get", app, "counter.counts", "ada");
  assert.is(got.code, 0, got.err);
  assert.equal(JSON.parse(got.out), { n: 41 });

  const run = await beldi("run", app, "greeter.greet", "--input", '{"name":"ada"}');
  assert.is(run.code, 0, run.err);
  assert.equal(JSON.parse(run.out), { ok: true, value: "Hello, ada! Visit number 42." }, "the fn read 41 and added one");

  const scan = await beldi("scan", app, "counter.counts");
  assert.is(scan.code, 0, scan.err);
  const rows = scan.out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(rows, [
    { key: "ada", value: { n: 42 } },
    { key: "bob", value: { n: 7 } },
  ]);
  assert.match(scan.err, /2 rows/);
  const greetings = await beldi("scan", app, "greeter.greetings");
  assert.equal(JSON.parse(greetings.out), { key: "ada", value: { text: "Hello, ada! Visit number 42.", visits: 42 } });
});

test("put replaces the whole value: a field it leaves out is gone", async () => {
  assert.is((await beldi("put", app, "greeter.greetings", "eve", "--value", '{"text":"hi","visits":3}')).code, 0);
  assert.is((await beldi("put", app, "greeter.greetings", "eve", "--value", '{"text":"bye","visits":4}')).code, 0);
  assert.equal(JSON.parse((await beldi("get", app, "greeter.greetings", "eve")).out), { text: "bye", visits: 4 });
});

test("put refuses a value of the wrong type, naming the field and the type (exit 1), and writes nothing", async () => {
  const wrong = await beldi("put", app, "counter.counts", "zed", "--value", '{"n":"many"}');
  assert.is(wrong.code, 1);
  assert.match(wrong.err, /counter\.counts\["zed"\]\.n must be a finite number, got a string/);
  assert.match(wrong.err, /\{ n: number \}/);
  const missing = await beldi("put", app, "greeter.greetings", "zed", "--value", '{"text":"hi"}');
  assert.is(missing.code, 1);
  assert.match(missing.err, /\.visits is missing/);
  const extra = await beldi("put", app, "counter.counts", "zed", "--value", '{"n":1,"m":2}');
  assert.is(extra.code, 1);
  assert.match(extra.err, /unknown field m/);
  const absent = await beldi("get", app, "counter.counts", "zed");
  assert.is(absent.code, 1, "nothing was written");
  assert.match(absent.err, /counter\.counts\["zed"\] is absent/);
});

test("what the runtime could never write is refused with its code (exit 1): a key over 1024 bytes, a number out of range", async () => {
  const long = "k".repeat(1100);
  const key = await beldi("put", app, "counter.counts", long, "--value", '{"n":1}');
  assert.is(key.code, 1);
  assert.match(key.err, /cannot be stored \(R0005\): .*longer than 1024 bytes/);
  const got = await beldi("get", app, "counter.counts", long);
  assert.is(got.code, 1);
  assert.match(got.err, /^error \(R0005\): .*longer than 1024 bytes/);
  const huge = await beldi("put", app, "counter.counts", "zed", "--value", '{"n":1e200}');
  assert.is(huge.code, 1);
  assert.match(huge.err, /cannot be stored \(R0012\): the number 1e\+200 is outside the store's range/);
  assert.is((await beldi("get", app, "counter.counts", "zed")).code, 1, "nothing was written");
});

test("an unknown service or table is bad usage (exit 2) and lists the tables that exist", async () => {
  const table = await beldi("get", app, "counter.nope", "ada");
  assert.is(table.code, 2);
  assert.match(table.err, /service counter has no table nope \(its tables: counter\.counts, greeter\.greetings\)/);
  const service = await beldi("scan", app, "nope.counts");
  assert.is(service.code, 2);
  assert.match(service.err, /has no service nope \(services: counter, greeter/);
  assert.is((await beldi("scan", app, "counts")).code, 2, "no service named");
  assert.is((await beldi("put", app, "counter.counts", "ada")).code, 2, "no --value");
  assert.is((await beldi("put", app, "counter.counts", "ada", "--value", "{nope")).code, 2, "--value not JSON");
  assert.is((await beldi("get", app, "counter.counts")).code, 2, "no key");
});

test.run();
