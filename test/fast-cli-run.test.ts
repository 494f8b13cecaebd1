// `beldi run` from the precompiled CLI (local/fast-cli.ts bundled by local/build-fast-cli.ts): the
// same answers and exit statuses as the tsx path, with a build-cache miss (the bundle builds the
// app through the sources then, saying so on stderr) and a hit, inline and in worker processes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildFastCli } from "../local/build-fast-cli.js";
import { FAST_COMMANDS } from "../local/fast-cli.js";
// @ts-expect-error: plain JavaScript without types (it runs before tsx is loaded)
import { FAST_COMMANDS as BIN_FAST_COMMANDS, fastCommand } from "../bin/fast-bundle.mjs";

// A folder of its own for the build cache and the kept state (.beldi/ is gitignored).
mkdirSync(".beldi", { recursive: true });
const cwd = mkdtempSync(path.resolve(".beldi", "fast-run-"));
const bundleDir = path.join(cwd, "bundle");
const hello = path.resolve("examples/hello");
test.after(() => rmSync(cwd, { recursive: true, force: true }));

const spawn = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", BELDI_NO_BUNDLE: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const bundled = (...argv: string[]) => spawn([path.join(bundleDir, "main.mjs"), ...argv]);
const viaTsx = (...argv: string[]) => spawn([path.resolve("bin/beldi.mjs"), ...argv]);
const same = (a: ReturnType<typeof spawn>, b: ReturnType<typeof spawn>, what: string) => {
  assert.is(a.code, b.code, `${what}: exit status\n${a.err}\n${b.err}`);
  assert.is(a.out, b.out, `${what}: stdout`);
};

test("bin/ sends the bundle's commands to it, and their --help to the tsx path", () => {
  assert.equal(BIN_FAST_COMMANDS, FAST_COMMANDS);
  assert.ok(fastCommand(["run", "examples/hello", "counter.get"]));
  assert.not.ok(fastCommand(["run", "--help"]));
  assert.not.ok(fastCommand(["check", "examples/hello", "-h"]));
  assert.not.ok(fastCommand(["build", "examples/hello"]));
});

test("build the bundle, with a runner that calls it as bin/beldi.mjs does", async () => {
  const inputs = await buildFastCli(bundleDir);
  for (const f of ["local/commands/run.ts", "local/stack.ts", "local/build-cache.ts", "local/worker.ts"]) assert.ok(inputs.includes(f), f);
  assert.not.ok(inputs.includes("compiler/index.ts"), "the build API is left to the sources");
  writeFileSync(
    path.join(bundleDir, "main.mjs"),
    `const { runFast } = await import(${JSON.stringify(pathToFileURL(path.resolve("bin/fast-bundle.mjs")).href)});\nprocess.exitCode = await runFast(${JSON.stringify(bundleDir)}, process.argv.slice(2));\n`,
  );
});

test("a build-cache miss: the bundle builds the app from the sources, saying so, and answers as tsx does", () => {
  const args = ["run", hello, "counter.get", "--input", '{"name":"fast"}'];
  const a = bundled(...args);
  assert.is(a.code, 0, a.err);
  assert.match(a.err, /^building .*examples\/hello \(not in the build cache/m);
  assert.match(a.err, /^built .*examples\/hello in \d+\.\d s$/m);
  assert.equal(JSON.parse(a.out), { ok: true, value: 0 });
  const b = viaTsx(...args);
  same(a, b, "counter.get");
});

test("a hit: the same result for the same instance, the same refusal of a bad input, the same usage errors", () => {
  assert.ok(existsSync(path.join(bundleDir, "run.cjs.v8cache")), "the first run wrote the code cache: the rest load from it");
  const greet = ["run", hello, "greeter.greet", "--input", '{"name":"fast"}', "--instance", "fast-1"];
  const a = bundled(...greet);
  assert.equal(JSON.parse(a.out), { ok: true, value: "Hello, fast! Visit number 1." });
  same(a, viaTsx(...greet), "greeter.greet, one instance");
  const bad = ["run", hello, "greeter.greet", "--input", '{"name":7}', "--instance", "fast-2"];
  const c = bundled(...bad);
  assert.is(c.code, 1);
  assert.is(JSON.parse(c.out).error.code, "R0002");
  same(c, viaTsx(...bad), "a bad input");
  for (const argv of [
    ["run", hello, "greeter.wave", "--input", "{}"],
    ["run", hello, "greeter.greet"],
    ["run", hello, "greeter.greet", "--input", "{not json"],
    ["run", hello],
  ]) {
    const x = bundled(...argv);
    const y = viaTsx(...argv);
    assert.is(x.code, 2, argv.join(" "));
    assert.equal(x, y, argv.join(" "));
  }
});

test("--isolation process: the bundle's workers run the handlers too", () => {
  const args = ["run", hello, "counter.get", "--input", '{"name":"fast"}', "--isolation", "process"];
  const a = bundled(...args);
  assert.is(a.code, 0, a.err);
  assert.equal(JSON.parse(a.out), { ok: true, value: 1 }, "bumped once by greeter.greet above");
  same(a, viaTsx(...args), "counter.get in a worker");
});

test.run();
