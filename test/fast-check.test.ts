// `beldi check`, `diff` and `graph` start fast because they load only the front half: no emitter,
// bundler (esbuild), TypeScript (ts-morph), local stack or runtime. Each command runs in a child
// process that records every module it loads; a positive control shows the recorder sees them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, loadApp } from "../compiler/check-api.js";

// An ESM resolve hook: every module URL the loader resolves goes to $BELDI_RECORD.
const HOOK = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.BELDI_RECORD, r.url + "\\n");
  return r;
}`;

/** The modules `beldi <argv>` loads (ESM URLs and CommonJS files), and its exit status; `then` runs after it in the same process. */
function loadedBy(argv: string[], then = ""): { code: number; modules: string[]; err: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-loads-"));
  const record = path.join(dir, "modules.txt");
  const script = `
    import { register, createRequire } from "node:module";
    import { appendFileSync } from "node:fs";
    register("data:text/javascript," + encodeURIComponent(${JSON.stringify(HOOK)}));
    const { main } = await import("./local/cli.ts");
    const code = await main(${JSON.stringify(argv)}, { out: () => {}, err: (s) => process.stderr.write(s + "\\n") });
    ${then}
    appendFileSync(process.env.BELDI_RECORD, Object.keys(createRequire(import.meta.url).cache).join("\\n") + "\\nexit " + code + "\\n");
  `;
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, BELDI_RECORD: record },
    });
    if (r.status !== 0) throw new Error(`the child failed (${r.status}): ${r.stderr}`);
    const lines = readFileSync(record, "utf8").split("\n").filter(Boolean);
    const exit = lines.find((l) => l.startsWith("exit "));
    return { code: Number(exit?.slice(5)), modules: lines.filter((l) => !l.startsWith("exit ")), err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the fast commands must not load: the back half, TypeScript, the bundler, the stack. */
const HEAVY: [string, RegExp][] = [
  ["the emitter", /\/compiler\/emit\//],
  ["the bundler", /\/compiler\/bundle\.ts$/],
  ["the build API", /\/compiler\/index\.ts$/],
  ["ts-morph", /\/node_modules\/(ts-morph|@ts-morph)\//],
  ["TypeScript", /\/node_modules\/typescript\//],
  // tsx itself loads esbuild through require(); only an import of it is ours
  ["esbuild", /^file:.*\/node_modules\/esbuild\//],
  ["the runtime", /\/runtime\//],
  ["the local stack", /\/local\/(stack|process-executor|inline-executor|invoke-server)\.ts$/],
  ["Graphviz (viz.js)", /\/node_modules\/@viz-js\//],
];

const heavyIn = (modules: string[]) => HEAVY.filter(([, re]) => modules.some((m) => re.test(m))).map(([what]) => what);

test("check of an app with externs loads no emitter, bundler, TypeScript, runtime or stack", () => {
  const r = loadedBy(["check", "examples/travel"]);
  assert.is(r.code, 0, r.err);
  assert.ok(
    r.modules.some((m) => m.endsWith("/compiler/check/index.ts")),
    "the recorder saw the checker",
  );
  assert.equal(heavyIn(r.modules), []);
});

test("check that finds errors loads no more", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-bad-"));
  try {
    const bad = path.join(dir, "bad.beldi");
    writeFileSync(bad, 'extern fn f(x: number) -> number from "./nowhere.ts"\nservice s { fn g() -> number { return "x" } }\n');
    const r = loadedBy(["check", bad]);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, /E0200/);
    assert.equal(heavyIn(r.modules), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("diff against a manifest.json loads no more", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-diff-"));
  try {
    const app = loadApp("examples/hello");
    const manifest = path.join(dir, "manifest.json");
    writeFileSync(manifest, JSON.stringify(check(app.files, { app: app.app, appDir: app.appDir }).ir));
    const r = loadedBy(["diff", manifest, "examples/hello"]);
    assert.is(r.code, 0, r.err);
    assert.equal(heavyIn(r.modules), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("graph (mermaid) loads no more, and no Graphviz", () => {
  const r = loadedBy(["graph", "examples/travel"]);
  assert.is(r.code, 0, r.err);
  assert.ok(r.modules.some((m) => m.endsWith("/compiler/graph/mermaid.ts")));
  assert.equal(heavyIn(r.modules), []);
});

test("the recorder sees what it looks for: importing the build API after check loads the emitter and TypeScript", () => {
  const r = loadedBy(["check", "examples/hello"], `await import("./compiler/index.ts"); await import("ts-morph");`);
  assert.is(r.code, 0, r.err);
  const seen = heavyIn(r.modules);
  for (const what of ["the emitter", "the build API", "ts-morph", "esbuild"]) assert.ok(seen.includes(what), `${what}: ${seen}`);
});

test.run();
