// The precompiled check/diff/graph (local/fast-cli.ts bundled by local/build-fast-cli.ts, run by
// bin/beldi.mjs through bin/fast-bundle.mjs while fresh): it says what the tsx path says, loads no
// TypeScript, and is given up as soon as a source it was built from is newer than it. (`run`'s
// bundle: test/fast-cli-run.test.ts.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { check, loadApp } from "../compiler/check-api.js";
import { buildFastCli, FAST_CLI_DIR } from "../local/build-fast-cli.js";
// @ts-expect-error: plain JavaScript without types (it runs before tsx is loaded)
import { BUNDLE_DIR, freshBundle } from "../bin/fast-bundle.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "beldi-fast-cli-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", BELDI_NO_BUNDLE: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const bundled = (...argv: string[]) => run([path.join(dir, "fast-cli-main.mjs"), ...argv]);
const viaTsx = (...argv: string[]) => run(["bin/beldi.mjs", ...argv]);

test("build: the bundle records its project inputs, and bin/ looks for it where the build puts it", async () => {
  const inputs = await buildFastCli(dir);
  assert.is(BUNDLE_DIR, FAST_CLI_DIR);
  for (const f of ["local/fast-cli.ts", "compiler/check-api.ts", "grammar/parser.ts", "compiler/graph/mermaid.ts", "local/commands/run.ts"])
    assert.ok(inputs.includes(f), f);
  assert.not.ok(inputs.some((f) => f.startsWith("node_modules")));
  // a runner that calls the bundle the way bin/beldi.mjs does
  writeFileSync(
    path.join(dir, "fast-cli-main.mjs"),
    `const { runFast } = await import(${JSON.stringify(pathToFileURL(path.resolve("bin/fast-bundle.mjs")).href)});\nprocess.exitCode = await runFast(${JSON.stringify(dir)}, process.argv.slice(2));\n`,
  );
});

test("the bundle answers as the tsx path does: check clean and with errors, diff, graph", () => {
  const bad = path.join(dir, "bad.beldi");
  writeFileSync(bad, 'extern fn f(x: number) -> number from "./nowhere.ts"\nservice s { fn g() -> number { return "x" } }\n');
  // a module the export scanner is unsure of (JSX): TypeScript reads it, where it can be loaded;
  // a bundle outside node_modules cannot load it, and then does not tell the module unreadable
  const unsure = path.join(dir, "unsure");
  mkdirSync(unsure);
  writeFileSync(
    path.join(unsure, "app.beldi"),
    'extern fn f(x: number) -> number from "./m.tsx"\nservice s { fn h() -> number { return f(1) } }\n',
  );
  writeFileSync(path.join(unsure, "m.tsx"), "export function f(x: number) { return <div />, x }\n");
  const app = loadApp("examples/travel");
  const manifest = path.join(dir, "manifest.json");
  writeFileSync(manifest, JSON.stringify(check(app.files, { app: app.app, appDir: app.appDir }).ir));
  for (const argv of [
    ["check", "examples/travel"],
    ["check", bad],
    ["check", bad, "--format", "json"],
    ["check", unsure],
    ["diff", manifest, "examples/travel"],
    ["graph", "examples/travel"],
    ["graph", "examples/hello", "--format", "dot"],
    ["graph", "examples/hello", "--format", "nope"],
    // Graphviz is imported (dynamically) from the bundle compiled from its code cache by now
    ["graph", "examples/hello", "--format", "svg"],
  ]) {
    const a = bundled(...argv);
    const b = viaTsx(...argv);
    assert.equal(a, b, argv.join(" "));
  }
});

test("the bundle's check loads no TypeScript, ts-morph or esbuild", () => {
  const r = run([
    "--input-type=module",
    "-e",
    `import { createRequire } from "node:module";
     const { loadBundle } = await import(${JSON.stringify(pathToFileURL(path.resolve("bin/fast-bundle.mjs")).href)});
     const code = await loadBundle(${JSON.stringify(path.join(dir, "front.cjs"))}).exports.fastMain(["check", "examples/social"], { out() {}, err() {} });
     console.log(JSON.stringify({ code, loaded: Object.keys(createRequire(import.meta.url).cache) }));`,
  ]);
  const { code, loaded } = JSON.parse(r.out) as { code: number; loaded: string[] };
  assert.is(code, 0, r.err);
  assert.equal(
    loaded.filter((m) => /node_modules\/(typescript|ts-morph|@ts-morph|esbuild)\//.test(m)),
    [],
  );
});

test("freshness: used only while no input is newer than the build, nor missing; else tsx", () => {
  assert.is(freshBundle(dir), dir);
  const record = path.join(dir, "inputs.json");
  const inputs = JSON.parse(readFileSync(record, "utf8"));
  writeFileSync(record, JSON.stringify({ ...inputs, builtAt: 0 }));
  assert.is(freshBundle(dir), null, "a source newer than the bundle");
  writeFileSync(record, JSON.stringify({ ...inputs, inputs: [...inputs.inputs, "compiler/no-such-file.ts"] }));
  assert.is(freshBundle(dir), null, "a source that is gone");
  writeFileSync(record, "{");
  assert.is(freshBundle(dir), null, "an unreadable record");
  assert.is(freshBundle(path.join(dir, "missing")), null, "no bundle");
});

test.run();
