// `beldi dev` watching an app: the command run as a user runs it (a child process in the app's
// project folder, a copy of examples/hello), the app's file edited on disk while it runs. A broken
// edit prints its diagnostics and keeps the old version serving; a good one deploys a new version
// onto the running stack, whose state is kept (a row written before is still there, and the new
// code counts on from it); a table change the serving version could not read is refused; Ctrl-C
// exits 0, and a new `beldi dev` starts on the same state.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DevProcess } from "./dev-process.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const project = mkdtempSync(path.join(tmpdir(), "beldi-dev-watch-"));
const source = path.join(project, "hello", "hello.beldi");
cpSync(path.join(root, "examples/hello"), path.join(project, "hello"), { recursive: true });
const original = readFileSync(source, "utf8");

let dev: DevProcess;
let first = "";
const saves: number[] = [];

/** Saves the file as an editor does: the new text written over the old. */
function save(text: string): number {
  writeFileSync(source, text);
  return performance.now();
}

const greet = (name: string) => dev.api("invoke", { fn: "greeter.greet", input: { name } });

test.after(async () => {
  await dev?.stop();
  rmSync(project, { recursive: true, force: true });
  if (saves.length) console.log(`save to diagnostics printed (ms, as this test saw it): ${saves.map(Math.round).join(", ")}`);
});

test("starts: checks, serves the first version, prints the console's address", async () => {
  dev = new DevProcess(project, ["hello", "--port", "0"]);
  const { match } = await dev.waitFor(/version (\w{12}) serving/);
  first = match[1]!;
  await dev.waitFor(/watching hello for changes/);
  assert.match(await dev.url(), /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const r = await greet("ada");
  assert.equal(r.result, { ok: true, value: "Hello, ada! Visit number 1." });
});

test("a broken edit prints its diagnostics; the old version keeps serving", async () => {
  const from = dev.err.length;
  const savedAt = save(original.replace("if c == null { return 0 }", "if c == nul { return 0 }"));
  const { end, at } = await dev.waitFor(/error\[E\d{4}\]/, from);
  saves.push(at - savedAt);
  assert.match(dev.err.slice(from), /hello\/hello\.beldi:\d+:\d+: error\[E\d{4}\]/);
  await dev.waitFor(new RegExp(`still serving version ${first}`), end);
  const status = await dev.api("status");
  assert.equal(status.check.ok, false);
  assert.ok(status.check.errors >= 1);
  assert.equal(status.version, first);
  // it still answers, on the old code
  assert.equal((await greet("ada")).result, { ok: true, value: "Hello, ada! Visit number 2." });
});

let second = "";

test("a good edit deploys a new version onto the running stack; the state is kept", async () => {
  const from = dev.err.length;
  const savedAt = save(original.replace('"Hello, "', '"Hi, "'));
  const { at } = await dev.waitFor(/no errors \(checked in \d+ ms, \d+ ms after the save\): deploying/, from);
  saves.push(at - savedAt);
  const { match } = await dev.waitFor(new RegExp(`version (\\w{12}) deployed \\(was ${first}\\)`), from);
  second = match[1]!;
  assert.not.equal(second, first);
  assert.equal((await dev.api("status")).version, second);
  // the rows written before the deploy are still there, and the new code counts on from them
  const counts = await dev.api("tables/counter.counts");
  assert.equal(counts, [{ key: "ada", value: { n: 2 } }]);
  assert.equal((await greet("ada")).result, { ok: true, value: "Hi, ada! Visit number 3." });
  const greetings = await dev.api("tables/greeter.greetings");
  assert.equal(greetings, [{ key: "ada", value: { text: "Hi, ada! Visit number 3.", visits: 3 } }]);
});

test("a table change the serving version could not read is refused; it keeps serving", async () => {
  const from = dev.err.length;
  // a new required field: rows the serving version writes would lack it
  save(
    original
      .replace('"Hello, "', '"Hi, "')
      .replace("type Greeting = { text: string, visits: number }", "type Greeting = { text: string, visits: number, lang: string }")
      .replace("write greetings[name] = { text, visits }", 'write greetings[name] = { text, visits, lang: "en" }'),
  );
  await dev.waitFor(/deploy refused: version \w{12} of hello cannot run beside/, from);
  await dev.waitFor(/error\[V0003\]/, from);
  await dev.waitFor(new RegExp(`still serving version ${second}`), from);
  const status = await dev.api("status");
  assert.equal(status.deploy.kind, "refused");
  assert.equal(status.version, second);
  assert.equal((await greet("bob")).result, { ok: true, value: "Hi, bob! Visit number 1." });
});

test("Ctrl-C exits 0; the next beldi dev starts on the same state", async () => {
  save(original.replace('"Hello, "', '"Hi, "'));
  await dev.waitFor(new RegExp(`version ${second} unchanged`), 0);
  assert.equal(await dev.stop(), 0);
  assert.match(dev.err, /stopping: the state stays in \.beldi\//);
  dev = new DevProcess(project, ["hello", "--port", "0"]);
  await dev.waitFor(new RegExp(`version ${second} serving`));
  assert.equal(await dev.api("tables/counter.counts"), [
    { key: "ada", value: { n: 3 } },
    { key: "bob", value: { n: 1 } },
  ]);
  const instances = await dev.api("instances");
  assert.equal(instances.length, 4);
  assert.ok(instances.every((i: { status: string }) => i.status === "done"));
});

test("bad usage exits 2", async () => {
  const bad = new DevProcess(project, ["hello", "--port", "http"]);
  assert.equal(await bad.exited, 2);
  assert.match(bad.err, /--port must be a port number/);
  const missing = new DevProcess(project, ["nowhere"]);
  assert.equal(await missing.exited, 2);
  assert.match(missing.err, /no such file or folder: nowhere/);
});

test.run();
