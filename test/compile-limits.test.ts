// The compiler's limits and edges (issue 10): nesting as deep as the parser accepts goes through
// every pass (checker, emitter, formatter, esbuild, tsc) and one level more is E0011.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { check, compile, type Diagnostic } from "../compiler/index.js";
import { bundleService } from "../compiler/bundle.js";
import { MAX_DEPTH, MAX_TYPE_DEPTH, parse } from "../grammar/index.js";
import { limitsApp, SHAPES } from "./deep-shapes.js";
import { typecheckGenerated, type GeneratedApp } from "./typecheck.js";

mkdirSync(".beldi", { recursive: true }); // gitignored: absent in a fresh clone
const tmp = mkdtempSync(path.resolve(".beldi", "limits-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const at = (d: Diagnostic) => `${d.code} ${d.span.file}:${d.span.line}:${d.span.col}`;
/** generated apps the tests below made: type-checked together at the end (one tsc program) */
const generated: GeneratedApp[] = [];
/** the limit app (every shape at the limit), compiled once */
let limits: ReturnType<typeof compile> | undefined;
const limitsCompiled = () => (limits ??= compile([{ path: "limits.beldi", text: limitsApp(0) }], { app: "limits" }));
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "error");

// ---- 1. depth -------------------------------------------------------------------------------

test("depth: one level past the limit is E0011 at file:line:col, for every shape", () => {
  for (const shape of SHAPES) {
    const text = limitsApp(1, [shape], false);
    const r = check([{ path: "deep.beldi", text }]);
    const errs = errors(r.diagnostics);
    assert.equal(errs.map((d) => d.code), ["E0011"], `${shape.name}: ${errs.map((d) => `${at(d)} ${d.message}`).join("; ")}`);
    const d = errs[0]!;
    const line = text.split("\n")[d.span.line - 1] ?? "";
    assert.ok(d.span.file === "deep.beldi" && d.span.col >= 1 && d.span.col <= line.length, `${shape.name}: ${at(d)}`);
    assert.ok(/^ {4}\S/.test(line), `${shape.name}: points into the fn body (${at(d)})`);
    assert.ok(d.hint, `${shape.name}: a fix`);
  }
  // where: the operand that is one level too deep
  const plus = check([{ path: "p.beldi", text: `service s {\n  fn f(a: number) -> number {\n    return ${"a + ".repeat(MAX_DEPTH - 1)}a\n  }\n}\n` }]);
  assert.equal(plus.diagnostics.map(at), ["E0011 p.beldi:3:12"]);
  assert.match(plus.diagnostics[0]!.message, `more than ${MAX_DEPTH} levels deep`);
  const neg = check([{ path: "n.beldi", text: `service s {\n  fn f(a: number) -> number {\n    return ${"-".repeat(MAX_DEPTH - 1)}a\n  }\n}\n` }]);
  assert.equal(neg.diagnostics.map(at), [`E0011 n.beldi:3:${12 + MAX_DEPTH - 1}`]);
  const types = check([{ path: "t.beldi", text: limitsApp(1, []) }]);
  assert.equal(errors(types.diagnostics).map(at), ["E0011 t.beldi:1:134", "E0011 t.beldi:2:134", "E0011 t.beldi:3:122"]);
  assert.match(types.diagnostics[0]!.message, `more than ${MAX_TYPE_DEPTH} levels deep`);
});

test("depth: the limit app (every shape at the limit) passes the checker, emitter and formatter in half of Node's stack", () => {
  const text = limitsApp(0);
  const parsed = parse({ path: "limits.beldi", text });
  assert.equal(parsed.diagnostics, []);
  const astFile = path.join(tmp, "limits.ast.json");
  writeFileSync(astFile, JSON.stringify(parsed.file));
  // the passes after the parser, in a process with half the default stack (984 KB)
  const script = `
    const root = ${JSON.stringify(process.cwd())};
    const { readFileSync } = await import("node:fs");
    const { checkProgram } = await import(root + "/compiler/check/index.ts");
    const { emitService } = await import(root + "/compiler/emit/index.ts");
    const ast = JSON.parse(readFileSync(process.argv[1], "utf8"));
    const r = checkProgram([ast], { app: "limits", appDir: root, codeVersion: "v" });
    if (!r.ir) { console.log(JSON.stringify({ diagnostics: r.diagnostics })); process.exit(0); }
    const src = new Map([["limits.beldi", readFileSync(process.argv[2], "utf8").split("\\n")]]);
    const files = r.ir.services.map((s) => ({ path: s.name + "/handler.ts", text: emitService(r.ir, s, src, { runtimeModule: "beldi/runtime", externImport: (m) => m }).text }));
    console.log(JSON.stringify({ files }));`;
  const srcFile = path.join(tmp, "limits.beldi");
  writeFileSync(srcFile, text);
  const child = spawnSync(process.execPath, ["--stack-size=492", "--import", "tsx", "--input-type=module", "-e", script, astFile, srcFile], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  assert.is(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as { files?: { path: string; text: string }[]; diagnostics?: Diagnostic[] };
  assert.ok(out.files, JSON.stringify(out.diagnostics?.map((d) => `${at(d)} ${d.message}`)));
  // and the same in-process, through the whole compile
  const r = limitsCompiled();
  assert.ok(r.ok, r.diagnostics.map((d) => `${at(d)} ${d.message}`).join("\n"));
  assert.equal(r.files.find((f) => f.path === "deep/handler.ts")!.text.split("\n").slice(1), out.files![0]!.text.split("\n").slice(1));
});

test("depth: the limit app's handler bundles (esbuild) and loads (and type-checks, below)", async () => {
  const r = limitsCompiled();
  assert.ok(r.ok);
  generated.push({ app: "limits", files: r.files });
  const source = r.files.find((f) => f.path === "deep/handler.ts")!.text;
  const js = await bundleService(source, process.cwd(), "deep/handler.ts");
  const file = path.join(tmp, "deep.mjs");
  writeFileSync(file, js);
  const mod = await import(pathToFileURL(file).href);
  assert.type(mod.handler, "function");
});

test("every handler generated above type-checks under strict (tsc)", () => {
  assert.ok(generated.length >= 1);
  const text = typecheckGenerated(generated);
  assert.is(text, "", text);
});

test.run();
