// The parser's precomputed lookahead (grammar/lookahead.ts). From source, as in every test, the
// parser runs chevrotain's grammar validations and computes its lookahead paths; the precompiled
// CLI embeds those paths and skips the validations. Here: the validations do run from source and
// catch a grammar mistake, and a parser given the embedded paths parses exactly as the source one
// (same AST, same diagnostics) over every .beldi file in the tree and damaged copies of them, and
// chooses as chevrotain's own LL(k) lookahead does (the reference: a bundle built without ours).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { CstParser, createToken, EOF, Lexer } from "chevrotain";
import { parse } from "../grammar/index.js";
import { lookaheadConfig, lookaheadEmbedded, lookaheadPaths } from "../grammar/lookahead.js";
import * as T from "../grammar/lexer.js";
import { recordedGrammar } from "../grammar/parser.js";
import { rebuildProduction, recordProduction, type RecordedGrammar } from "../grammar/recorded-grammar.js";

// the Beldi parser's (it was configured last, when grammar/index.ts loaded; the tests below configure others)
const paths = lookaheadPaths();
const grammar = recordedGrammar();
const dir = mkdtempSync(path.join(tmpdir(), "beldi-lookahead-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("from source: the grammar is validated and its lookahead computed here", () => {
  assert.is(lookaheadEmbedded(), false);
  assert.is(lookaheadConfig(T.allTokens, 3, undefined).skipValidations, false);
  assert.ok(Object.keys(paths).length > 40, `${Object.keys(paths).length} productions`);
  assert.ok(Object.keys(paths).some((k) => k.startsWith("statement:Alternation:")));
});

test("the validations catch a grammar mistake (an ambiguous alternation), and are skipped only with given paths", () => {
  const A = createToken({ name: "A", pattern: /a/ });
  const B = createToken({ name: "B", pattern: /b/ });
  class Ambiguous extends CstParser {
    constructor(given?: Record<string, string[][][]>) {
      super([A, B], { maxLookahead: 3, ...lookaheadConfig([A, B], 3, given) });
      this.performSelfAnalysis();
    }
    top = this.RULE("top", () => {
      this.OR([{ ALT: () => this.CONSUME(A) }, { ALT: () => this.CONSUME2(A) }]);
    });
  }
  assert.throws(() => new Ambiguous(), /Ambiguous Alternatives Detected/);
  // given paths (what a bundle embeds): no validation, and the alternatives decided by the paths
  const p = new Ambiguous({ "top:Alternation:0:3": [[["B"]], [["A"]]] });
  p.input = new Lexer([A, B], { positionTracking: "onlyOffset" }).tokenize("a").tokens;
  const cst = p.top();
  assert.equal(p.errors, []);
  assert.ok(cst.children.A, "the second alternative, as the given paths say");
});

/** Every .beldi file in the tree, and each with damage (a cut, a doubled line, stray tokens) to exercise recovery. */
function corpus(): { name: string; text: string }[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".beldi")) files.push(p);
    }
  };
  for (const d of ["examples", "test", "bench"]) walk(d);
  const out: { name: string; text: string }[] = [];
  for (const f of files.sort()) {
    const text = readFileSync(f, "utf8");
    out.push({ name: f, text });
    const lines = text.split("\n");
    for (let i = 1; i < lines.length; i += Math.max(1, Math.floor(lines.length / 3))) {
      out.push({ name: `${f} cut at line ${i + 1}`, text: lines.slice(0, i).join("\n") });
      out.push({ name: `${f} line ${i + 1} doubled`, text: [...lines.slice(0, i), lines[i], ...lines.slice(i)].join("\n") });
      out.push({
        name: `${f} junk in line ${i + 1}`,
        text: [...lines.slice(0, i), `${lines[i]} ) : = {`, ...lines.slice(i + 1)].join("\n"),
      });
    }
  }
  return out;
}

/** The grammar bundled as the precompiled CLI bundles it: with the paths and the recording embedded. */
async function bundledGrammar(name: string, recording: RecordedGrammar): Promise<{ parse: typeof parse }> {
  await build({
    entryPoints: { [name]: path.resolve("grammar/index.ts") },
    bundle: true,
    format: "esm",
    platform: "node",
    outdir: dir,
    define: { BELDI_LOOKAHEAD_PATHS: JSON.stringify(paths), BELDI_RECORDED_GRAMMAR: JSON.stringify(recording) },
    logLevel: "warning",
  });
  return (await import(pathToFileURL(path.join(dir, `${name}.js`)).href)) as { parse: typeof parse };
}

test("the recorded grammar is plain JSON that rebuilds the same productions, hasPredicates and separators included", () => {
  assert.ok(Object.keys(grammar.rules).length > 40, `${Object.keys(grammar.rules).length} rules`);
  assert.equal(JSON.parse(JSON.stringify(grammar)), grammar);
  const tokens = new Map([...T.allTokens, EOF].map((t) => [t.name, t]));
  for (const [name, rule] of Object.entries(grammar.rules)) assert.equal(recordProduction(rebuildProduction(rule, tokens)), rule, name);
  const text = JSON.stringify(grammar.rules);
  assert.ok(text.includes('"hasPredicates":true'), "gated alternations keep their flag");
  assert.ok(text.includes('"terminalType":{"token":'), "terminals name their token");
});

test("the recording keeps recovery's follow sets: one per rule reference, by token name", () => {
  const keys = Object.keys(grammar.follows);
  assert.ok(keys.length > 40, `${keys.length} follow sets`);
  const names = new Set([...T.allTokens, EOF].map((t) => t.name));
  for (const [key, follow] of Object.entries(grammar.follows)) for (const n of follow) assert.ok(names.has(n), `${key}: ${n}`);
  assert.ok(
    Object.values(grammar.follows).some((f) => f.includes("Semicolon")),
    "a statement's follow set holds the semicolon recovery resyncs on",
  );
});

test("a bundle's parser uses the embedded recording: one with a rule missing fails to load, naming it", async () => {
  const { statement: _dropped, ...partial } = grammar.rules;
  const failure = await bundledGrammar("partial", { ...grammar, rules: partial }).then(
    () => null,
    (e: Error) => e.message,
  );
  assert.match(failure ?? "it loaded", /recorded grammar has no rule statement: rebuild the bundle/);
});

test("a bundle's parser takes its follow sets from the recording: one naming an unknown token fails to load", async () => {
  const [key] = Object.keys(grammar.follows);
  const failure = await bundledGrammar("badfollow", { ...grammar, follows: { ...grammar.follows, [key!]: ["NoSuchToken"] } }).then(
    () => null,
    (e: Error) => e.message,
  );
  assert.match(failure ?? "it loaded", /unknown token NoSuchToken: rebuild the bundle/);
});

test("the embedded follow sets are what recovery needs: without them a stray `)` loses the file, with them one fn's statement", async () => {
  const src = {
    path: "x.beldi",
    text: "service a {\n  fn f() { let x = ) ) ; }\n}\nservice b {\n  fn g() -> int { return 1; }\n}\n",
  };
  const names = (r: ReturnType<typeof parse>) => r.file.decls.map((d) => d.kind);
  const source = parse(src);
  assert.equal(names(source), ["service", "service"], "both services kept");
  assert.equal(
    source.diagnostics.map((d) => d.code),
    ["E0012"],
  );
  const withFollows = (await bundledGrammar("follows", grammar)).parse(src);
  assert.equal(JSON.parse(JSON.stringify(withFollows)), JSON.parse(JSON.stringify(source)));
  const without = (await bundledGrammar("nofollows", { ...grammar, follows: {} })).parse(src);
  assert.equal(names(without), [], "the control: this input does exercise the follow sets");
});

test("a parser built from the embedded paths and recording parses as the source one: every .beldi file, and damaged copies", async () => {
  const bundled = await bundledGrammar("grammar", grammar);
  const inputs = corpus();
  assert.ok(inputs.length > 100, `${inputs.length} inputs`);
  let withErrors = 0;
  for (const { name, text } of inputs) {
    const src = { path: "x.beldi", text };
    const a = parse(src);
    const b = bundled.parse(src);
    if (a.diagnostics.length) withErrors++;
    assert.equal(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(a)), name);
  }
  assert.ok(withErrors > 50, `recovery exercised by ${withErrors} inputs`);
});

/**
 * The grammar bundled with chevrotain's own LL(k) lookahead in place of ours (grammar/lookahead.ts
 * replaced by a module that configures nothing): the reference our lookahead must agree with.
 */
async function grammarWithChevrotainLookahead(): Promise<{ parse: typeof parse }> {
  const lookaheadFile = path.resolve("grammar/lookahead.ts");
  await build({
    entryPoints: { llk: path.resolve("grammar/index.ts") },
    bundle: true,
    format: "esm",
    platform: "node",
    outdir: dir,
    logLevel: "warning",
    plugins: [
      {
        name: "chevrotain-lookahead",
        setup(b) {
          b.onLoad({ filter: /lookahead\.ts$/ }, (a) =>
            a.path === lookaheadFile
              ? { loader: "ts", contents: "export const lookaheadConfig = () => ({});\nexport const lookaheadEmbedded = () => false;\n" }
              : undefined,
          );
        },
      },
    ],
  });
  return (await import(pathToFileURL(path.join(dir, "llk.js")).href)) as { parse: typeof parse };
}

test("our lookahead chooses as chevrotain's own LL(k) strategy: every .beldi file, damaged copies, and stray tokens", async () => {
  const reference = await grammarWithChevrotainLookahead();
  const stray = ["return " + ")".repeat(50), "let x = ((((", "if { } else", "call call s.f(x)", "x.a[0](1).b = 2 +"];
  const inputs = [...corpus(), ...stray.map((body) => ({ name: body, text: `service s { fn f() { ${body} } }` }))];
  for (const { name, text } of inputs) {
    const src = { path: "x.beldi", text };
    assert.equal(JSON.parse(JSON.stringify(parse(src))), JSON.parse(JSON.stringify(reference.parse(src))), name);
  }
});

test.run();
