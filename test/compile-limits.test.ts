// The compiler's limits and edges (issue 10): nesting as deep as the parser accepts goes through
// every pass (checker, emitter, formatter, esbuild, tsc) and one level more is E0011; nothing
// copied from a program ends a generated comment or literal (U+2028/U+2029 are E0018); a missing
// extern module or export is found by `check` (E0800/E0801); an app's handlers do not grow with
// the rest of the app; JavaScript's special names either work or are E0116.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, check, compile, type Diagnostic } from "../compiler/index.js";
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
    assert.equal(
      errs.map((d) => d.code),
      ["E0011"],
      `${shape.name}: ${errs.map((d) => `${at(d)} ${d.message}`).join("; ")}`,
    );
    const d = errs[0]!;
    const line = text.split("\n")[d.span.line - 1] ?? "";
    assert.ok(d.span.file === "deep.beldi" && d.span.col >= 1 && d.span.col <= line.length, `${shape.name}: ${at(d)}`);
    assert.ok(/^ {4}\S/.test(line), `${shape.name}: points into the fn body (${at(d)})`);
    assert.ok(d.hint, `${shape.name}: a fix`);
  }
  // where: the operand that is one level too deep
  const plus = check([
    { path: "p.beldi", text: `service s {\n  fn f(a: number) -> number {\n    return ${"a + ".repeat(MAX_DEPTH - 1)}a\n  }\n}\n` },
  ]);
  assert.equal(plus.diagnostics.map(at), ["E0011 p.beldi:3:12"]);
  assert.match(plus.diagnostics[0]!.message, `more than ${MAX_DEPTH} levels deep`);
  const neg = check([
    { path: "n.beldi", text: `service s {\n  fn f(a: number) -> number {\n    return ${"-".repeat(MAX_DEPTH - 1)}a\n  }\n}\n` },
  ]);
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
  // the passes after the parser, in a process with half the default stack (984 KB), under the
  // version the whole compile gives (generated code carries it)
  const version = limitsCompiled().ir?.codeVersion ?? "v";
  const script = `
    const root = ${JSON.stringify(process.cwd())};
    const { readFileSync } = await import("node:fs");
    const { checkProgram } = await import(root + "/compiler/check/index.ts");
    const { emitService } = await import(root + "/compiler/emit/index.ts");
    const ast = JSON.parse(readFileSync(process.argv[1], "utf8"));
    const r = checkProgram([ast], { app: "limits", appDir: root, codeVersion: ${JSON.stringify(version)} });
    if (!r.ir) { console.log(JSON.stringify({ diagnostics: r.diagnostics })); process.exit(0); }
    const src = new Map([["limits.beldi", readFileSync(process.argv[2], "utf8").split("\\n")]]);
    const files = r.ir.services.map((s) => ({ path: s.name + "/handler.ts", text: emitService(r.ir, s, src, { runtimeModule: "beldi/runtime", externImport: (m) => m }).text }));
    console.log(JSON.stringify({ files }));`;
  const srcFile = path.join(tmp, "limits.beldi");
  writeFileSync(srcFile, text);
  const child = spawnSync(
    process.execPath,
    ["--stack-size=492", "--import", "tsx", "--input-type=module", "-e", script, astFile, srcFile],
    {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  assert.is(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout) as { files?: { path: string; text: string }[]; diagnostics?: Diagnostic[] };
  assert.ok(out.files, JSON.stringify(out.diagnostics?.map((d) => `${at(d)} ${d.message}`)));
  // and the same in-process, through the whole compile
  const r = limitsCompiled();
  assert.ok(r.ok, r.diagnostics.map((d) => `${at(d)} ${d.message}`).join("\n"));
  assert.equal(
    r.files
      .find((f) => f.path === "deep/handler.ts")!
      .text.split("\n")
      .slice(1),
    out.files![0]!.text.split("\n").slice(1),
  );
});

test("depth: the limit app's handler bundles (esbuild) and loads (and type-checks, below)", async () => {
  const r = limitsCompiled();
  assert.ok(r.ok);
  generated.push({ app: "limits", files: r.files });
  const source = r.files.find((f) => f.path === "deep/handler.ts")!.text;
  const js = (await bundleService(source, process.cwd(), "deep/handler.ts")).code;
  const file = path.join(tmp, "deep.mjs");
  writeFileSync(file, js);
  const mod = await import(pathToFileURL(file).href);
  assert.type(mod.handler, "function");
});

// ---- 2. line separators, and text copied into generated code --------------------------------

test("U+2028/U+2029 are E0018 wherever they stand; line:col does not count them as line breaks", () => {
  // the issue's program: the rest of a comment's line must not become code
  const trojan = "service s {\n  fn f(x: number) -> number {\n    return x // the answer\u2029 return 42\n  }\n}\n";
  const r = check([{ path: "t.beldi", text: trojan }]);
  assert.equal(r.diagnostics.map(at), ["E0018 t.beldi:3:27"]);
  assert.match(r.diagnostics[0]!.message, "U+2029 PARAGRAPH SEPARATOR");
  assert.equal(compile([{ path: "t.beldi", text: trojan }]).files, []);
  const inString = 'service s {\n  fn f() -> string { return "a\u2028b" }\n}\n';
  assert.equal(check([{ path: "s.beldi", text: inString }]).diagnostics.map(at), ["E0018 s.beldi:2:31"]);
  const inCode = "service s {\u2028\n  fn f() -> number { return 1 }\n}\n";
  assert.equal(check([{ path: "c.beldi", text: inCode }]).diagnostics.map(at), ["E0018 c.beldi:1:12"]);
  // what follows on the line keeps its column: the stray `]` is at column 33 of line 2
  const after = check([{ path: "a.beldi", text: "service s {\n  fn f() -> number { return \u2028 1 ] }\n}\n" }]);
  assert.equal(after.diagnostics.map(at), ["E0018 a.beldi:2:29", "E0001 a.beldi:2:33"]);
});

test("generated code: source lines, paths, the app's name and string values never end a comment or literal", () => {
  const text = [
    "service s {",
    '  fn f(x: number) -> string { return "a\\u{2028}b\\u{2029}c\\u{202E}d" } // strings: \u0001 \u007f \u202e',
    "  fn g() -> number {\r    return 1 // a lone CR ended this line\r  }",
    "}",
    "",
  ].join("\n");
  const r = compile([{ path: "odd\u2028name\r.beldi", text }], { app: 'x"\u2029\n' });
  assert.ok(r.ok, r.diagnostics.map((d) => `${at(d)} ${d.message}`).join("\n"));
  const out = r.files.find((f) => f.path === "s/handler.ts")!.text;
  assert.not.match(out, /[\r\u2028\u2029\u202e\u0001\u007f]/, "no raw line terminator or control character");
  assert.ok(out.includes('return "a\\u2028b\\u2029c\\u202Ed";'), "string values are escaped");
  // every comment naming a .beldi line is one line, and names the right line
  assert.match(out, /\/\/ odd\\u\{2028\}name\\u\{000D\}\.beldi:4 {2}return 1 \/\/ a lone CR ended this line\n\s+return 1;/);
  assert.ok(out.includes('app: "x\\"\\u2029\\n"'), "the app's name as a literal");
  generated.push({ app: "odd", files: r.files });
});

// ---- 3. extern modules --------------------------------------------------------------------

test("externs: a missing module or export is a compile error found by check (E0800, E0801); build does not throw", async () => {
  const dir = path.join(tmp, "ext");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "geo.ts"),
    "export function near(x: number): number {\n  return x;\n}\nexport const far = (x: number) => x;\nexport { near as close };\n",
  );
  const app = (from: string, name = "near") =>
    `extern fn ${name}(x: number) -> number from ${JSON.stringify(from)}\nservice s {\n  fn f(x: number) -> number { return ${name}(x) }\n}\n`;
  const run = (text: string) =>
    check([{ path: path.relative(process.cwd(), path.join(dir, "app.beldi")), text }], { appDir: process.cwd() });
  assert.equal(run(app("./geo.ts")).diagnostics, []);
  assert.equal(run(app("./geo.js")).diagnostics, [], "the .js spelling finds the .ts file");
  assert.equal(run(app("./geo")).diagnostics, [], "no extension finds the .ts file");
  assert.equal(run(app("./geo.ts", "far")).diagnostics, []);
  assert.equal(run(app("./geo.ts", "close")).diagnostics, []);
  const missing = run(app("./nope.ts"));
  assert.equal(
    missing.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`),
    ["E0800 1:42"],
  );
  assert.match(missing.diagnostics[0]!.message, path.join(dir, "nope.ts"));
  assert.not.ok(missing.ok);
  const noExport = run(app("./geo.ts", "nearest"));
  assert.equal(
    noExport.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`),
    ["E0801 1:11"],
  );
  assert.match(noExport.diagnostics[0]!.hint!, "`near`");
  // `export *` from elsewhere: cannot be told without following it, so it is not an error
  writeFileSync(path.join(dir, "all.ts"), 'export * from "./geo.ts";\n');
  assert.equal(run(app("./all.ts", "anything")).diagnostics, []);

  writeFileSync(path.join(dir, "app.beldi"), app("./nope.ts"));
  const built = await build(dir, path.join(tmp, "ext-out"));
  assert.not.ok(built.ok);
  assert.equal(
    built.diagnostics.map((d) => d.code),
    ["E0800"],
  );
});

// ---- 4. large apps ----------------------------------------------------------------------------

test("large apps: a handler holds what its service uses, not the whole app (no output quadratic in services)", () => {
  const app = (services: number) => {
    let text = "";
    for (let i = 0; i < services; i++) {
      text += `type T${i} = { n: number }\nservice s${i} {\n  table t: T${i}\n`;
      text += `  fn f(k: string) -> number { return ${i > 0 ? `call s${i - 1}.g(k)` : "0"} }\n`;
      text += "  fn g(k: string) -> number {\n    let v = read t[k]\n    if v == null { return 0 }\n    return v.n\n  }\n}\n";
    }
    const r = compile([{ path: "big.beldi", text }], { app: "big" });
    assert.ok(r.ok, r.diagnostics.map((d) => `${at(d)} ${d.message}`).join("\n"));
    return r.files.find((f) => f.path === "s1/handler.ts")!.text;
  };
  const small = app(5);
  const large = app(60);
  // only the list of service names grows (every service's GC and lock checks need it)
  const names = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `s${i}`)).replace(/,/g, ", ").length;
  assert.is(large.length - small.length, names(60) - names(5));
  assert.match(large, /readOnly: \["s0\.g", "s1\.f", "s1\.g"\]/, "its own read-only fns and those it calls");
  assert.not.match(large, /type T2\b/, "only the types it uses");
});

// ---- 5. JavaScript's names --------------------------------------------------------------------

test("JavaScript names: `__proto__` names nothing (E0116); constructor, toString & co. are ordinary names that work", async () => {
  const bad = check([
    {
      path: "p.beldi",
      text: "type T = { __proto__: number }\nservice s {\n  fn __proto__(x: T) -> number { return x.__proto__ }\n  fn f() -> number { let r = { __proto__: 1 }\n    return 1 }\n}\n",
    },
  ]);
  assert.equal(bad.diagnostics.filter((d) => d.code === "E0116").map(at), [
    "E0116 p.beldi:1:12",
    "E0116 p.beldi:3:6",
    "E0116 p.beldi:3:43",
    "E0116 p.beldi:4:32",
  ]);
  assert.not.ok(bad.ok);

  const text = `type Bag = { tag: string, constructor?: string, valueOf?: number }
service vault {
  table toString: Bag
  fn constructor(b: Bag) -> string? { return b.constructor }
  fn toString(x: any) -> any { return x.toString }
  fn valueOf(hasOwnProperty: number?) -> number { return hasOwnProperty ?? 7 }
  fn isPrototypeOf(b: Bag) -> number { let constructor = b.valueOf ?? 3\n    return constructor }
  fn make(t: string) -> Bag { return { tag: t, constructor: t } }
  fn __beldiCreateRequire() -> number { return 1 }
  fn require() -> number { return __beldiCreateRequire() }
}
type object = { a: number }
type boolean = { b: object }
service s2 { fn f(o: object, b: boolean) -> number { return o.a + b.b.a } }
`;
  const r = compile([{ path: "js.beldi", text }], { app: "js", runtimeModule: pathToFileURL(path.join(tmp, "stub.ts")).href });
  assert.ok(r.ok, r.diagnostics.map((d) => `${at(d)} ${d.message}`).join("\n"));
  // the handler, loaded against a stub runtime that hands back the service's spec
  writeFileSync(
    path.join(tmp, "stub.ts"),
    `export * as values from ${JSON.stringify(pathToFileURL(path.resolve("runtime/values.ts")).href)};\nexport type Ctx = unknown;\nexport const defineService = (spec: unknown) => ({ handler: spec, createHandler: spec });\n`,
  );
  const handler = path.join(tmp, "js-vault.ts");
  writeFileSync(handler, r.files.find((f) => f.path === "vault/handler.ts")!.text);
  const spec = (await import(pathToFileURL(handler).href)).handler as {
    fns: Record<string, { run: (c: unknown, input: Record<string, unknown>) => Promise<unknown> }>;
  };
  for (const name of ["constructor", "toString", "valueOf", "isPrototypeOf", "make", "__beldiCreateRequire", "require"])
    assert.ok(Object.hasOwn(spec.fns, name), `fn ${name} is registered`);
  const ctx = { inline: () => ctx };
  assert.is(await spec.fns["constructor"]!.run(ctx, { b: { tag: "t" } }), null, "an absent field is null, not Object");
  assert.is(await spec.fns["constructor"]!.run(ctx, { b: { tag: "t", constructor: "c" } }), "c");
  assert.is(await spec.fns["toString"]!.run(ctx, { x: {} }), null, "a field of `any` is the object's own");
  assert.is(await spec.fns["valueOf"]!.run(ctx, {}), 7, "an absent parameter is null, not Object.prototype.hasOwnProperty");
  assert.is(await spec.fns["isPrototypeOf"]!.run(ctx, { b: { tag: "t" } }), 3);
  assert.equal(await spec.fns["make"]!.run(ctx, { t: "x" }), { tag: "x", constructor: "x" });
  assert.is(await spec.fns["require"]!.run(ctx, {}), 1);
  // and through esbuild: a fn may be named like the bundle's own `require` shim
  const js = (
    await bundleService(
      r.files.find((f) => f.path === "vault/handler.ts")!.text.replace(/from "[^"]*stub\.ts"/, 'from "beldi/runtime"'),
      process.cwd(),
      "vault/handler.ts",
    )
  ).code;
  writeFileSync(path.join(tmp, "vault.mjs"), js);
  assert.type((await import(pathToFileURL(path.join(tmp, "vault.mjs")).href)).handler, "function");
  const typed = compile([{ path: "js.beldi", text }], { app: "js" });
  generated.push({ app: "js", files: typed.files });
  assert.match(
    typed.files.find((f) => f.path === "s2/handler.ts")!.text,
    "export type object$ = ",
    "TypeScript's own type names are renamed",
  );
});

test("every handler generated above type-checks under strict (tsc)", () => {
  assert.ok(generated.length >= 3);
  const text = typecheckGenerated(generated);
  assert.is(text, "", text);
});

test.run();
