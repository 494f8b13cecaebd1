// Generated handlers are written laid out (compiler/emit/writer.ts): no formatter runs when
// compiling. This checks the layout against TypeScript's formatter (ts-morph's copy, as the
// emitter once ran it) over every example, every test fixture app and the depth-limit app: the
// only edits it may propose are its two spellings the emitter leaves out, as Biome (this
// repository's formatter) does — a `;` after a one-line type literal's last member
// (`{ a: string; b: number }`) and a space in an empty block (`() => {}`).
import { readdirSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadApp, type SourceText } from "../compiler/index.js";
import { tidy } from "../compiler/emit/writer.js";
import { limitsApp } from "./deep-shapes.js";

const SETTINGS: ts.FormatCodeSettings = {
  ...ts.getDefaultFormatCodeSettings("\n"),
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  semicolons: ts.SemicolonPreference.Insert,
};

let current = "";
let version = 0;
const service = ts.createLanguageService({
  getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, noLib: true }),
  getScriptFileNames: () => ["handler.ts"],
  getScriptVersion: () => String(version),
  getScriptSnapshot: (f) => (f === "handler.ts" ? ts.ScriptSnapshot.fromString(current) : undefined),
  getCurrentDirectory: () => "/",
  getDefaultLibFileName: () => "lib.d.ts",
  fileExists: (f) => f === "handler.ts",
  readFile: (f) => (f === "handler.ts" ? current : undefined),
});

/** The formatter's edits of a text that are not one of the two spellings allowed, each with its context. */
function untidy(text: string): string[] {
  current = text;
  version++;
  const edits = service.getFormattingEditsForDocument("handler.ts", SETTINGS);
  const out: string[] = [];
  for (const e of edits) {
    const before = text.slice(Math.max(0, e.span.start - 60), e.span.start);
    const old = text.slice(e.span.start, e.span.start + e.span.length);
    const after = text.slice(e.span.start + e.span.length, e.span.start + e.span.length + 30);
    // `{ a: T }` -> `{ a: T; }`: a type literal's last member (a member, so `name: type` before it)
    const typeMember = old === "" && e.newText === ";" && after.startsWith(" }") && /[\w$?]+\??: [^;{]*(\{[\s\S]*\})?[^;{]*$/.test(before);
    // `{}` -> `{ }`: an empty block
    const emptyBlock = old === "" && e.newText === " " && before.endsWith("{") && after.startsWith("}");
    if (!typeMember && !emptyBlock)
      out.push(`${JSON.stringify(before)} [${JSON.stringify(old)} -> ${JSON.stringify(e.newText)}] ${JSON.stringify(after)}`);
  }
  return out;
}

function apps(): { name: string; files: SourceText[]; app: string; appDir: string }[] {
  const dirs = new Set<string>(
    readdirSync("examples", { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join("examples", e.name)),
  );
  for (const e of readdirSync("test/fixtures", { recursive: true, withFileTypes: true }))
    if (e.isFile() && e.name.endsWith(".beldi")) dirs.add(path.relative(process.cwd(), e.parentPath));
  return [...dirs].sort().map((d) => ({ name: d, ...loadApp(d) }));
}

for (const a of apps()) {
  test(`${a.name}: TypeScript's formatter finds nothing to change in its handlers`, () => {
    const r = compile(a.files, { app: a.app, appDir: a.appDir });
    assert.ok(r.ok, `${a.name} compiles`);
    const found = r.files.filter((f) => f.path.endsWith(".ts")).flatMap((f) => untidy(f.text).map((u) => `${f.path}: ${u}`));
    assert.equal(found, []);
  });
}

test("the depth-limit app: TypeScript's formatter finds nothing to change in its handlers", () => {
  const r = compile([{ path: "limits.beldi", text: limitsApp(0) }], { app: "limits" });
  assert.ok(r.ok, "the limit app compiles");
  for (const f of r.files.filter((x) => x.path.endsWith(".ts"))) assert.equal(untidy(f.text), [], f.path);
});

test("tidy closes up empty braces, never inside a string or a comment", () => {
  assert.is(tidy("return {  };"), "return {};");
  assert.is(tidy("const { } = x; f({   })"), "const {} = x; f({})");
  assert.is(tidy('x = "{  }" + "\\"{  }";'), 'x = "{  }" + "\\"{  }";');
  assert.is(tidy("f({  }); // {  }"), "f({}); // {  }");
  assert.is(tidy("if (a) { b(); }"), "if (a) { b(); }");
  assert.is(tidy("{ a }"), "{ a }");
});

test.run();
