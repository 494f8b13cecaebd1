// Generated handlers carry a source map from their lines to the .beldi lines they came from, and
// the bundle composes it: an error thrown in a deployed handler run with --enable-source-maps
// names the .beldi file and line. Node's own decoder (node:module SourceMap) reads the maps.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, compile, loadApp } from "../compiler/index.js";
import { bundleService } from "../compiler/bundle.js";

mkdirSync(".beldi", { recursive: true }); // gitignored: absent in a fresh clone
const tmp = mkdtempSync(path.resolve(".beldi", "source-map-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** The map a file carries inline on its last `//# sourceMappingURL=data:` line. */
function inlineMap(text: string): SourceMapPayload {
  const line = text.trimEnd().split("\n").pop() ?? "";
  const data = /^\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,(.*)$/.exec(line);
  assert.ok(data, `no inline source map at the end: ${line.slice(0, 80)}`);
  return JSON.parse(Buffer.from(data[1]!, "base64").toString("utf8")) as SourceMapPayload;
}

test("every example handler: the line under each `// file:line` comment maps to that file and line", () => {
  for (const app of ["examples/hello", "examples/travel", "examples/movie", "examples/social"]) {
    const { app: name, appDir, files } = loadApp(app);
    const r = compile(files, { app: name, appDir });
    assert.ok(r.ok, app);
    for (const f of r.files.filter((x) => x.path.endsWith(".ts"))) {
      const map = new SourceMap(inlineMap(f.text));
      const lines = f.text.split("\n");
      let checked = 0;
      lines.forEach((line, i) => {
        const comment = /^\s*\/\/ ([^:\s]+\.beldi):(\d+)/.exec(line);
        if (!comment) return;
        const at = map.findEntry(i + 1, lines[i + 1]!.search(/\S/)) as { originalSource?: string; originalLine?: number };
        const where = `${app} ${f.path}:${i + 2} (${lines[i + 1]!.trim().slice(0, 60)})`;
        assert.ok(
          at.originalSource?.endsWith(`/${comment[1]}`) || at.originalSource === comment[1],
          `${where}: source ${at.originalSource}`,
        );
        assert.is(at.originalLine! + 1, Number(comment[2]), `${where}: line`);
        checked++;
      });
      assert.ok(checked > 0, `${app} ${f.path}: no statement checked`);
      const header = map.findEntry(0, 0) as { originalSource?: string };
      assert.is(header.originalSource, undefined, "the header maps to no .beldi line");
    }
  }
});

test("a stack trace of a bundled handler under --enable-source-maps names the .beldi line that threw", async () => {
  const dir = path.join(tmp, "calc");
  mkdirSync(path.join(dir, "calc"), { recursive: true });
  const source =
    "service calc {\n  fn ratio(a: number, b: number) -> number {\n    let half = a / 2\n    let r = a / b\n    return r + half\n  }\n}\n";
  const beldi = path.join(dir, "calc.beldi");
  writeFileSync(beldi, source);
  // a stand-in runtime: the service's spec is the handler (no store, no stack)
  writeFileSync(
    path.join(dir, "stub.ts"),
    `export * as values from ${JSON.stringify(path.resolve("runtime/values.ts"))};\nexport type Ctx = unknown;\nexport const defineService = (spec: unknown) => ({ handler: spec, createHandler: spec });\n`,
  );
  const r = compile([{ path: path.relative(process.cwd(), beldi), text: source }], {
    app: "calc",
    runtimeModule: "../stub.ts",
    outDir: dir,
  });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const handler = r.files.find((f) => f.path === "calc/handler.ts")!.text;
  // what build() does: the bundle beside the handler
  const bundle = path.join(dir, "calc", "index.mjs");
  const built = await bundleService(handler, path.join(dir, "calc"), "calc/handler.ts");
  writeFileSync(bundle, built.code);
  writeFileSync(`${bundle}.map`, built.map);
  assert.match(built.code, /\/\/# sourceMappingURL=index\.mjs\.map\s*$/, "the bundle names its map file (not inline)");
  const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    try { await m.handler.fns.ratio.run({}, { a: 1, b: 0 }); } catch (e) { console.log(e.stack); }`;
  const child = spawnSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(child.status, 0, child.stderr);
  assert.match(child.stdout, /not a finite number/, child.stdout);
  const frame = child.stdout.split("\n").find((l) => l.includes(".beldi:"));
  assert.ok(frame, `no .beldi frame in:\n${child.stdout}`);
  assert.match(frame, `${beldi}:4:5`, "the division by zero is line 4 of calc.beldi");
});

test("build(): the bundle of examples/hello (its map in index.mjs.map) maps counter.bump's `fail` to hello.beldi:14", async () => {
  const out = path.join(tmp, "hello");
  const r = await build("examples/hello", out);
  assert.ok(r.ok);
  const js = readFileSync(r.bundles["counter"]!, "utf8");
  assert.match(js, /\/\/# sourceMappingURL=index\.mjs\.map\s*$/, "the bundle names its map file beside it");
  const map = new SourceMap(JSON.parse(readFileSync(`${r.bundles["counter"]!}.map`, "utf8")) as SourceMapPayload);
  const lines = js.split("\n");
  // minified: the statement shares its line, the Ctx may be renamed; its receiver's column maps
  const i = lines.findIndex((l) => l.includes('.fail("counter "'));
  assert.ok(i >= 0, "the fail statement is in the bundle");
  const at = map.findEntry(i, lines[i]!.indexOf('.fail("counter "') - 1) as { originalSource?: string; originalLine?: number };
  // the map's paths are relative to the bundle's folder
  assert.is(path.resolve(out, "counter", at.originalSource ?? ""), path.resolve("examples/hello/hello.beldi"));
  assert.is(at.originalLine! + 1, 14);
});

test.run();
