// The `beldi` command as users run it: diagnostics with file:line:col and codes, JSON output,
// exit statuses 0/1/2, build output, and `run` keeping state between runs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

// .beldi/ is gitignored, so a fresh clone lacks it until something creates it.
mkdirSync(".beldi", { recursive: true });
const tmp = mkdtempSync(path.resolve(".beldi", "cli-"));
const beldi = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["bin/beldi.mjs", ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test("check: a clean app exits 0", () => {
  const r = beldi("check", "examples/hello");
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /no errors/);
});

test("check: errors name file:line:col and a code, show the line with a caret, exit 1; no stack traces", () => {
  const bad = path.join(tmp, "bad.beldi");
  writeFileSync(bad, 'service s {\n  fn f() -> number {\n    return "x"\n  }\n  fn g() { let y = nope }\n}\n');
  const r = beldi("check", bad);
  assert.is(r.code, 1);
  const rel = path.relative(process.cwd(), bad);
  assert.match(r.err, new RegExp(`${rel.replace(/[.\\/]/g, "\\$&")}:3:12: error\\[E0200\\]`));
  assert.match(r.err, /\n\s*3 \|\s+return "x"\n/);
  assert.match(r.err, /\^/);
  assert.match(r.err, /E0107/, "all errors of the run, not only the first");
  assert.not.match(r.err, /\n\s+at /);
});

test("check --format json prints the diagnostics as JSON", () => {
  const bad = path.join(tmp, "bad2.beldi");
  writeFileSync(bad, "service s { fn f() -> number { return true } }\n");
  const r = beldi("check", bad, "--format", "json");
  assert.is(r.code, 1);
  const ds = JSON.parse(r.out);
  assert.is(ds[0].code, "E0200");
  assert.is(ds[0].line, 1);
  assert.is(typeof ds[0].message, "string");
});

test("bad usage exits 2", () => {
  assert.is(beldi().code, 2);
  assert.is(beldi("check").code, 2);
  assert.is(beldi("frobnicate", "x").code, 2);
  assert.is(beldi("check", path.join(tmp, "missing")).code, 2);
  assert.is(beldi("build", "examples/hello").code, 2, "build needs --out");
  assert.is(beldi("run", "examples/hello", "greeter.greet", "--input", "{not json").code, 2);
  // a fn that is not there, or an input left out: said before any store starts
  const unknown = beldi("run", "examples/hello", "greeter.wave", "--input", "{}");
  assert.is(unknown.code, 2);
  assert.match(unknown.err, "service greeter has no fn wave; it has greet");
  const noInput = beldi("run", "examples/hello", "greeter.greet");
  assert.is(noInput.code, 2);
  assert.match(noInput.err, `greeter.greet takes name: pass them as --input '{"name": ...}'`);
});

test("bad usage says what is wrong on its first line, before the usage text", () => {
  const first = (...args: string[]) => {
    const r = beldi(...args);
    assert.is(r.code, 2, args.join(" "));
    return r.err.split("\n")[0];
  };
  assert.is(first("check", "examples/hello", "--format", "xml"), '--format must be text or json; got "xml"');
  assert.is(first("check", "examples/hello", "extra"), "beldi check: expected <app>, got 2 argument(s)");
  assert.is(first("run", "examples/hello"), "beldi run: expected <app> <service.fn>, got 1 argument(s)");
  assert.is(first("run", "examples/hello", "greeter.greet", "--isolation", "weird"), '--isolation must be inline or process; got "weird"');
  assert.match(first("run", "examples/hello", "greeter.greet", "--instance", ""), /^--instance "" is not an instance id/);
  assert.is(first("inspect", "examples/hello", ""), "beldi inspect: the instance id is empty");
});

test("build writes per-service handlers and bundles, a manifest and a template", () => {
  const out = path.join(tmp, "dist");
  const r = beldi("build", "examples/hello", "--out", out);
  assert.is(r.code, 0, r.err);
  for (const f of ["greeter/handler.ts", "greeter/index.mjs", "counter/index.mjs", "manifest.json", "template.json"]) {
    assert.ok(existsSync(path.join(out, f)), f);
  }
});

test("run invokes on the local stack and keeps state under .beldi/ between runs; --fresh starts empty", () => {
  const args = ["run", "examples/hello", "greeter.greet", "--input", '{"name":"cli-test"}'];
  const a = beldi(...args, "--fresh");
  assert.is(a.code, 0, a.err);
  assert.equal(JSON.parse(a.out), { ok: true, value: "Hello, cli-test! Visit number 1." });
  const b = beldi(...args);
  assert.equal(JSON.parse(b.out), { ok: true, value: "Hello, cli-test! Visit number 2." });
  const c = beldi(...args, "--instance", "fixed-1");
  const d = beldi(...args, "--instance", "fixed-1");
  assert.equal(JSON.parse(c.out), JSON.parse(d.out), "same instance id, same result");
  const e = beldi("run", "examples/hello", "greeter.greet", "--input", '{"name":7}');
  assert.is(e.code, 1);
  assert.is(JSON.parse(e.out).error.code, "R0002");
  assert.is(beldi("run", "examples/hello", "greeter.greet", "--fresh", "--input", '{"name":"cli-test"}').code, 0);
});

test.run();
