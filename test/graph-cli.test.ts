// `beldi graph` as users run it: formats on stdout and by --out's extension, a manifest.json as
// input, exit statuses (0 drawn, 1 the app has errors, 2 bad usage).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, loadApp } from "../compiler/check-api.js";

const tmp = mkdtempSync(path.join(tmpdir(), "beldi-graph-cli-"));
const beldi = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["bin/beldi.mjs", "graph", ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test("mermaid on stdout by default; dot and json on request", () => {
  const m = beldi("examples/travel");
  assert.is(m.code, 0, m.err);
  assert.ok(m.out.startsWith('---\ntitle: "travel"\n---\nflowchart LR\n'), m.out.slice(0, 80));
  assert.match(m.out, /==>\|"call in txn"\|/);
  const d = beldi("examples/travel", "--format", "dot");
  assert.is(d.code, 0, d.err);
  assert.match(d.out, /^\/\/ .*\ndigraph "travel" \{/);
  const j = beldi("examples/hello", "--format", "json");
  assert.is(j.code, 0, j.err);
  assert.equal(
    JSON.parse(j.out).services.map((s: { name: string }) => s.name),
    ["counter", "greeter"],
  );
});

test("--out writes the file, in the format its extension names (svg rendered by Graphviz wasm; .md fenced)", () => {
  const svg = path.join(tmp, "travel.svg");
  const r = beldi("examples/travel", "--out", svg);
  assert.is(r.code, 0, r.err);
  assert.is(r.out, "");
  assert.match(r.err, /svg graph of 10 service\(s\) written to/);
  assert.match(readFileSync(svg, "utf8"), /<svg /);
  const md = path.join(tmp, "hello.md");
  assert.is(beldi("examples/hello", "--out", md).code, 0);
  assert.match(readFileSync(md, "utf8"), /^```mermaid\n---\ntitle: "hello"[\s\S]*\n```\n$/);
  const dot = path.join(tmp, "forced.svg");
  assert.is(beldi("examples/hello", "--out", dot, "--format", "dot").code, 0, "--format wins over the extension");
  assert.match(readFileSync(dot, "utf8"), /digraph/);
});

test("a build's manifest.json draws the same graph as its app", () => {
  const app = loadApp("examples/travel");
  const manifest = path.join(tmp, "manifest.json");
  writeFileSync(manifest, JSON.stringify(check(app.files, { app: app.app, appDir: app.appDir }).ir));
  const a = beldi(manifest);
  assert.is(a.code, 0, a.err);
  assert.is(a.out, beldi("examples/travel").out);
});

test("an app with errors: its diagnostics, exit 1, nothing drawn", () => {
  const bad = path.join(tmp, "bad.beldi");
  writeFileSync(bad, "service s { fn f() -> number { return true } }\n");
  const r = beldi(bad);
  assert.is(r.code, 1);
  assert.is(r.out, "");
  assert.match(r.err, /error\[E0200\]/);
});

test("bad usage exits 2", () => {
  assert.is(beldi().code, 2, "no app");
  assert.is(beldi("examples/hello", "examples/travel").code, 2, "two apps");
  const f = beldi("examples/hello", "--format", "png");
  assert.is(f.code, 2);
  assert.match(f.err, /--format must be one of mermaid, dot, svg, json; got "png"/);
  assert.is(beldi("examples/hello", "--bogus").code, 2, "unknown option");
  assert.is(beldi(path.join(tmp, "missing")).code, 2, "no such app");
  const notManifest = path.join(tmp, "other.json");
  writeFileSync(notManifest, '{"schemaVersion": 1}');
  assert.is(beldi(notManifest).code, 2, "a JSON file that is not a manifest");
});

test.run();
