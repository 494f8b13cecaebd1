// Parser robustness: `parse` never throws, never hangs, and always returns well-formed
// diagnostics, whatever the input (property tests with fast-check, and pathological nesting).
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, RESERVED_WORDS, SYNTAX, type ParseResult } from "../grammar/index.js";
import { parser } from "../grammar/parser.js";
import { TRAVEL } from "./travel-spec.js";

/**
 * Only catches a hang: a parse takes a few ms, the longest pathological input below about a
 * second, more on a loaded machine. The work a parse does is bounded without a clock (below).
 */
const TIME_LIMIT_MS = 30_000;
const CODES = new Set(Object.values(SYNTAX).map((e) => e.code));

/** Parses and checks everything that must hold for any input. */
function parseChecked(text: string): ParseResult {
  const t0 = performance.now();
  let r: ParseResult;
  try {
    r = parse({ path: "fuzz.beldi", text });
  } catch (e) {
    throw new Error(`parse threw on ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`);
  }
  const ms = performance.now() - t0;
  if (ms > TIME_LIMIT_MS) throw new Error(`parse took ${ms.toFixed(0)}ms on ${JSON.stringify(text.slice(0, 200))}`);
  if (r.file.path !== "fuzz.beldi" || !Array.isArray(r.file.decls)) throw new Error("bad file");
  let prev = -1;
  for (const d of r.diagnostics) {
    const s = d.span;
    const where = `${d.code} ${d.message} in ${JSON.stringify(text.slice(0, 200))}`;
    if (!CODES.has(d.code)) throw new Error(`unknown code: ${where}`);
    if (d.code === "E0099") throw new Error(`internal error: ${where}`);
    if (!(s.offset >= 0 && s.offset <= s.endOffset && s.endOffset <= text.length)) throw new Error(`bad span: ${where}`);
    if (!(s.line >= 1 && s.col >= 1 && (s.endLine > s.line || (s.endLine === s.line && s.endCol >= s.col))))
      throw new Error(`bad position: ${where}`);
    if (s.offset < prev) throw new Error(`out of order: ${where}`);
    prev = s.offset;
    if (/Expecting|token of type|-->|NoViableAlt|Mismatched|\{"kind"/.test(d.message)) throw new Error(`leaks chevrotain: ${where}`);
  }
  // the AST is plain data
  JSON.stringify(r.file);
  return r;
}

/** Runs `f`, counting the parser's token reads (`LA`): a measure of its work that no load moves. */
function countingTokenReads<T>(f: () => T): { result: T; reads: number } {
  const own = parser as unknown as { LA(i: number): unknown };
  const la = own.LA;
  const ownBefore = Object.hasOwn(own, "LA");
  let reads = 0;
  own.LA = function (this: unknown, i: number) {
    reads++;
    return la.call(this, i);
  };
  try {
    return { result: f(), reads };
  } finally {
    if (ownBefore) own.LA = la;
    else delete (own as { LA?: unknown }).LA; // back to the prototype's
  }
}

const WORDS = [
  ...RESERVED_WORDS,
  "from",
  "set",
  "where",
  "in",
  "exists",
  "x",
  "y",
  "s",
  "list",
  "map",
  "number",
  "string",
  "1",
  "2.5",
  "1e3",
  '"s"',
  '"\\n"',
  '"\\q"',
  '"open',
  "12px",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  "<=",
  ">",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "??",
  "!",
  "=",
  ".",
  ",",
  ":",
  ";",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "->",
  "?",
  "\n",
  "/*",
  "*/",
  "//",
  "@",
  "\\",
  "é",
];

test("random strings (ASCII and any UTF-16) never break the parser", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      parseChecked(s);
    }),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
      parseChecked(s);
    }),
    { numRuns: 500 },
  );
});

test("random token soups never break the parser", () => {
  const soup = fc
    .tuple(fc.array(fc.constantFrom(...WORDS), { maxLength: 250 }), fc.constantFrom(" ", "", "\n"))
    .map(([ws, sep]) => ws.join(sep));
  fc.assert(
    fc.property(soup, (s) => {
      parseChecked(s);
    }),
    { numRuns: 1500 },
  );
});

test("random mutations of the travel example never break the parser", () => {
  const tokens = TRAVEL.match(/\s+|[A-Za-z_][A-Za-z0-9_]*|\d+|"[^"]*"|->|&&|\|\||\?\?|==|!=|<=|>=|\/\/[^\n]*|[^\s]/g) ?? [];
  assert.is(tokens.join(""), TRAVEL);
  const edit = fc.record({ op: fc.constantFrom("delete", "duplicate", "swap"), i: fc.nat(), j: fc.nat() });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
      const t = [...tokens];
      for (const e of edits) {
        if (t.length === 0) break;
        const i = e.i % t.length;
        const j = e.j % t.length;
        if (e.op === "delete") t.splice(i, 1);
        else if (e.op === "duplicate") t.splice(i, 0, t[i] as string);
        else [t[i], t[j]] = [t[j] as string, t[i] as string];
      }
      const r = parseChecked(t.join(""));
      // deleting or duplicating one token is a local mistake: it never produces a flood of
      // diagnostics (a swap changes two places, so it is not bounded here)
      if (edits.length === 1 && edits[0]?.op !== "swap" && r.diagnostics.length > 8) {
        throw new Error(`${r.diagnostics.length} diagnostics for one edit: ${JSON.stringify(edits)}`);
      }
    }),
    { numRuns: 1500 },
  );
});

test("every single-token deletion or duplication in the travel example: few diagnostics", () => {
  const tokens = TRAVEL.match(/\s+|[A-Za-z_][A-Za-z0-9_]*|\d+|"[^"]*"|->|&&|\|\||\?\?|==|!=|<=|>=|\/\/[^\n]*|[^\s]/g) ?? [];
  let total = 0;
  let edits = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (/^\s+$/.test(tokens[i] as string)) continue;
    for (const dup of [false, true]) {
      const t = [...tokens];
      if (dup) t.splice(i, 0, t[i] as string);
      else t.splice(i, 1);
      const n = parseChecked(t.join("")).diagnostics.length;
      assert.ok(n <= 8, `${n} diagnostics after ${dup ? "duplicating" : "deleting"} ${JSON.stringify(tokens[i])}`);
      total += n;
      edits++;
    }
  }
  assert.ok(total / edits < 1.5, `mean ${(total / edits).toFixed(2)} diagnostics per edit`);
});

test("the unmodified travel example has no diagnostics", () => {
  assert.equal(parseChecked(TRAVEL).diagnostics, []);
});

test("pathological nesting and long chains: a diagnostic, no crash, no hang", () => {
  const inFn = (body: string) => `service s { fn f() { ${body} } }`;
  const N = 20_000;
  const inputs: Record<string, string> = {
    parens: inFn("return " + "(".repeat(N) + "1" + ")".repeat(N)),
    unclosedParens: inFn("return " + "(".repeat(N)),
    closersOnly: inFn("return " + ")".repeat(N)),
    lists: inFn("return " + "[".repeat(N) + "]".repeat(N)),
    records: inFn("return " + "{a:".repeat(N) + "1" + "}".repeat(N)),
    blocks: inFn("if a {".repeat(N) + "}".repeat(N)),
    unclosedBlocks: inFn("while a {".repeat(N)),
    updates: inFn("let x = " + "update t[k] set a = ".repeat(N / 10) + "1"),
    listTypes: "type T = " + "list<".repeat(N) + "number" + ">".repeat(N),
    recordTypes: "type T = " + "{a: ".repeat(N) + "number" + "}".repeat(N),
    prefixes: inFn("return " + "!-".repeat(N) + "x"),
    chain: inFn("return " + "a + ".repeat(N) + "a"),
    suffixes: inFn("return x" + ".a[0](1)".repeat(N / 4)),
    elseIfs: inFn("if a { } " + "else if b { } ".repeat(N / 4)),
    mixed: inFn("return " + "f([{a: read t[(".repeat(N / 10)),
  };
  for (const [name, text] of Object.entries(inputs)) {
    const { result: r, reads } = countingTokenReads(() => parseChecked(text));
    // linear work, whatever the input: a few lookahead reads per character (544 per `)` in
    // closersOnly before the lookahead looked up its candidate paths by the next token)
    assert.ok(reads <= 8 * text.length, `${name}: ${reads} token reads for ${text.length} characters`);
    if (name !== "closersOnly")
      assert.ok(
        r.diagnostics.some((d) => d.code === "E0011"),
        `${name}: no E0011`,
      );
    assert.not.ok(
      r.diagnostics.some((d) => d.message.includes("too deeply to be parsed")),
      `${name}: stack overflow`,
    );
    assert.ok(r.diagnostics.length < 100, `${name}: ${r.diagnostics.length} diagnostics`);
  }
});

test("the parser is reused: results do not depend on earlier parses", () => {
  const bad = parse({ path: "a", text: "service s { fn f() { let x = ( } }" });
  assert.ok(bad.diagnostics.length > 0);
  const good = parse({ path: "b", text: TRAVEL });
  assert.equal(good.diagnostics, []);
  const again = parse({ path: "a", text: "service s { fn f() { let x = ( } }" });
  assert.equal(again, bad);
});

test.run();
