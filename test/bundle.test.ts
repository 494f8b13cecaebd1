// The bundles `build` writes (compiler/bundle.ts, issue 16): the runtime bundled once, then one
// esbuild run for every service, each bundle minified and self-contained (no shared chunks: a Lambda gets its own file only), its
// source map beside it still mapping a handler's statement to its .beldi line; and `sdk:
// "external"` (`beldi build --sdk external`) leaving the AWS SDK to the Lambda runtime's copy.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BuildOptionError, build } from "../compiler/index.js";
import { compileCommand } from "../compiler/cli.js";
import { current, runtimeImports } from "../compiler/bundle.js";

mkdirSync(".beldi", { recursive: true }); // gitignored: absent in a fresh clone
// inside the repository: a bundle with the SDK left out imports it from node_modules
const tmp = mkdtempSync(path.resolve(".beldi", "bundle-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** The `from "..."` specifiers of a bundle's static imports (minified: `from"x"`). */
const importsOf = (code: string) => [...code.matchAll(/\bfrom\s*"([^"]+)"/g)].map((m) => m[1]!);

test("build(): each bundle is minified, self-contained, and its map beside it maps counter.bump's `fail` to hello.beldi:14", async () => {
  const out = path.join(tmp, "bundled");
  const r = await build("examples/hello", out);
  assert.ok(r.ok);
  assert.equal(Object.keys(r.bundles).sort(), ["counter", "greeter"]);
  for (const [service, file] of Object.entries(r.bundles)) {
    assert.is(file, path.join(out, service, "index.mjs"));
    // one file per service and its map, nothing shared between them
    assert.equal(readdirSync(path.join(out, service)).sort(), ["handler.ts", "index.mjs", "index.mjs.map"]);
    const code = readFileSync(file, "utf8");
    const packages = importsOf(code).filter((s) => !s.startsWith("node:"));
    assert.equal(packages, [], `${service}: only Node's builtins imported (the runtime and the SDK bundled in)`);
    assert.ok(code.split("\n").length < 200, `${service}: minified (${code.split("\n").length} lines)`);
    assert.ok(statSync(file).size < 700_000, `${service}: ${statSync(file).size} bytes`);
    assert.match(code, /\/\/# sourceMappingURL=index\.mjs\.map\s*$/, "the bundle names its map file beside it");
  }
  assert.equal(
    readdirSync(out).filter((f) => f.endsWith(".mjs") || f.endsWith(".js")),
    [],
    "no shared chunk",
  );

  const js = readFileSync(r.bundles["counter"]!, "utf8");
  const map = new SourceMap(JSON.parse(readFileSync(`${r.bundles["counter"]!}.map`, "utf8")) as SourceMapPayload);
  const lines = js.split("\n");
  const i = lines.findIndex((l) => l.includes('.fail("counter "'));
  assert.ok(i >= 0, "the fail statement is in the bundle");
  // the statement shares its line, the Ctx may be renamed: the receiver's column (the character before `.fail`)
  const at = map.findEntry(i, lines[i]!.indexOf('.fail("counter "') - 1) as { originalSource?: string; originalLine?: number };
  assert.is(path.resolve(out, "counter", at.originalSource ?? ""), path.resolve("examples/hello/hello.beldi"));
  assert.is(at.originalLine! + 1, 14);
});

test("a minified bundle loads under --enable-source-maps (a thrown error's .beldi line: emit-source-map.test.ts), and keeps class names", async () => {
  const r = await build("examples/hello", path.join(tmp, "trace"));
  assert.ok(r.ok);
  const script = `
    const m = await import(${JSON.stringify(pathToFileURL(r.bundles["greeter"]!).href)});
    console.log(typeof m.handler, typeof m.createHandler);`;
  const run = spawnSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trim(), "function function");
  // keepNames: the runtime names SDK commands in messages by their class
  assert.match(readFileSync(r.bundles["greeter"]!, "utf8"), '"UpdateItemCommand"');
});

test('build({ sdk: "external" }): @aws-sdk/* stays an import, the bundle is smaller and loads (here from node_modules)', async () => {
  const bundled = path.join(tmp, "bundled-size");
  const external = path.join(tmp, "external");
  const a = await build("examples/hello", bundled);
  const b = await build("examples/hello", external, { sdk: "external" });
  assert.ok(a.ok && b.ok);
  const code = readFileSync(b.bundles["counter"]!, "utf8");
  const sdk = importsOf(code).filter((s) => s.startsWith("@aws-sdk/"));
  assert.equal([...new Set(sdk)].sort(), ["@aws-sdk/client-dynamodb", "@aws-sdk/client-lambda"]);
  assert.ok(
    statSync(b.bundles["counter"]!).size * 3 < statSync(a.bundles["counter"]!).size,
    `external ${statSync(b.bundles["counter"]!).size} bytes, bundled ${statSync(a.bundles["counter"]!).size}`,
  );
  assert.ok(existsSync(`${b.bundles["counter"]!}.map`));
  const script = `const m = await import(${JSON.stringify(pathToFileURL(b.bundles["counter"]!).href)}); console.log(typeof m.handler);`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.is(run.status, 0, run.stderr);
  assert.is(run.stdout.trim(), "function");
});

test("an unknown sdk is a BuildOptionError before anything is written; the CLI says so with exit 2", async () => {
  const out = path.join(tmp, "refused");
  try {
    await build("examples/hello", out, { sdk: "layer" as never });
    assert.unreachable("build should refuse sdk: layer");
  } catch (e) {
    assert.instance(e, BuildOptionError);
    assert.is((e as BuildOptionError).option, "sdk");
  }
  assert.not.ok(existsSync(out));
  const said: string[] = [];
  const io = { out: (t: string) => said.push(t), err: (t: string) => said.push(t) };
  assert.is(await compileCommand(["build", "examples/hello", "--out", out, "--sdk", "layer"], io), 2);
  assert.match(said.join("\n"), '--sdk must be one of bundled, external; got "layer"');
  assert.is(await compileCommand(["build", "examples/hello", "--out", out, "--sdk", "external"], io), 0);
  assert.ok(importsOf(readFileSync(path.join(out, "counter", "index.mjs"), "utf8")).includes("@aws-sdk/client-dynamodb"));
});

test("the runtime is bundled once with what the handlers import from it", () => {
  const handler = readFileSync("test/snapshots/hello/counter/handler.ts", "utf8");
  assert.equal(runtimeImports([handler, "{}"]), ["defineService", "values"]);
  assert.equal(runtimeImports(['import { a, b as c, type D } from "beldi/runtime";\nimport { e } from "./x.js";']), ["a", "b"]);
});

/** Every kept runtime module (compiler/bundle.ts's cache), with what changes when one is built again. */
function keptRuntimes(): string[] {
  const root = process.env.BELDI_RUNTIME_CACHE || path.resolve("node_modules", ".cache", "beldi-runtime");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((d) => path.join(root, d, "runtime.mjs"))
    .filter((f) => existsSync(f))
    .map((f) => {
      const st = statSync(f);
      return `${f} ${st.ino} ${st.mtimeMs}`;
    })
    .sort();
}

test("a second build in the same process reuses the bundled runtime, with the same bundles", async () => {
  const a = await build("examples/hello", path.join(tmp, "again-1"));
  const kept = keptRuntimes();
  const b = await build("examples/hello", path.join(tmp, "again-2"));
  assert.ok(a.ok && b.ok);
  assert.is(readFileSync(b.bundles["counter"]!, "utf8"), readFileSync(a.bundles["counter"]!, "utf8"));
  // not built again: a new build writes a new file and renames it into place
  assert.ok(kept.length > 0);
  assert.equal(keptRuntimes(), kept);
});

test("the kept runtime module is current while every file it was built from has the same contents", () => {
  const dir = path.join(tmp, "kept");
  mkdirSync(dir);
  const input = path.join(tmp, "kept-input.ts");
  writeFileSync(input, "export const a = 1;");
  writeFileSync(path.join(dir, "runtime.mjs"), "");
  const hash = (text: string) => {
    const h = createHash("sha256");
    h.update(input).update("\0").update(text).update("\0");
    return h.digest("hex");
  };
  writeFileSync(path.join(dir, "inputs.json"), JSON.stringify({ files: [input], hash: hash("export const a = 1;") }));
  assert.ok(current(dir));
  writeFileSync(input, "export const a = 2;"); // same size, maybe the same mtime: the contents differ
  assert.not.ok(current(dir));
  rmSync(input);
  assert.not.ok(current(dir));
  assert.not.ok(current(path.join(tmp, "no-such-dir")));
});

test.run();
