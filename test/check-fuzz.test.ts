// Property test: mutated travel programs and random token streams go through parse +
// checkProgram without throwing or hanging, and the checker's answer is consistent: an IR
// exactly when it reports no error, and never an internal error (E0999). The shapes that once
// broke the compiler (deep chains, long `else if`s, line separators, JavaScript's names) go
// through the whole compile, and every accepted one's generated TypeScript type-checks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { parse } from "../grammar/index.js";
import { checkProgram } from "../compiler/check/index.js";
import { TRAVEL } from "./travel-spec.js";
import { compile } from "../compiler/index.js";
import { MAX_DEPTH, RESERVED_WORDS } from "../grammar/index.js";
import { PARAMS } from "./deep-shapes.js";
import { typecheckGenerated, type GeneratedApp } from "./typecheck.js";

const OPTS = { app: "t", appDir: "/app", codeVersion: "v" };

/** Tokens with the whitespace before each, so joining them gives the source back. */
function tokenize(src: string): string[] {
  return (
    src.match(/\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e\d+)?|->|==|!=|<=|>=|&&|\|\||\?\?|[^\s]/g) ?? []
  );
}

const TOKENS = tokenize(TRAVEL);
const SIGNIFICANT = TOKENS.map((t, i) => (/^\s/.test(t) ? -1 : i)).filter((i) => i >= 0);
const WORDS = [
  ...RESERVED_WORDS,
  "from",
  "set",
  "where",
  "in",
  "exists",
  "len",
  "keys",
  "now",
  "uuid",
  "str",
  "num",
  "h",
  "id",
  "ok",
  "cap",
  "hotels",
  "hotel",
  "flight",
  "order",
  "reserve",
  "place",
  "Hotel",
  "Order",
  "string",
  "number",
  "bool",
  "any",
  "list",
  "map",
  "x",
  "user",
];
const PUNCT = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  ":",
  ";",
  ".",
  "=",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
  "&&",
  "||",
  "??",
  "?",
  "->",
  "0",
  "1",
  "2.5",
  '"s"',
  "\n",
];
const ANY_TOKEN = [...WORDS, ...PUNCT];

type Mutation =
  | { op: "delete"; at: number }
  | { op: "dup"; at: number }
  | { op: "swap"; at: number; with: number }
  | { op: "replace"; at: number; by: string }
  | { op: "insert"; at: number; tok: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("dup" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), by: fc.constantFrom(...WORDS) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), tok: fc.constantFrom(...ANY_TOKEN) }),
);

function mutate(ms: Mutation[]): string {
  const toks = [...TOKENS];
  for (const m of ms) {
    const sig = toks.map((t, i) => (/^\s/.test(t) ? -1 : i)).filter((i) => i >= 0);
    if (sig.length === 0) break;
    const at = sig[m.at % sig.length]!;
    switch (m.op) {
      case "delete":
        toks.splice(at, 1);
        break;
      case "dup":
        toks.splice(at, 0, toks[at]!, " ");
        break;
      case "swap": {
        const other = sig[m.with % sig.length]!;
        [toks[at], toks[other]] = [toks[other]!, toks[at]!];
        break;
      }
      case "replace":
        if (/^[A-Za-z_]/.test(toks[at]!)) toks[at] = m.by;
        else toks[at] = m.by;
        break;
      case "insert":
        toks.splice(at, 0, m.tok, " ");
        break;
    }
  }
  return toks.join("");
}

const HANG_MS = 30_000;
let worst = 0;
function checkOne(text: string): void {
  const t0 = performance.now();
  const p = parse({ path: "fuzz.beldi", text });
  let r: ReturnType<typeof checkProgram>;
  try {
    r = checkProgram([p.file], OPTS);
  } catch (e) {
    throw new Error(`checkProgram threw on:\n${text}\n${e instanceof Error ? e.stack : e}`);
  }
  const ms = performance.now() - t0;
  worst = Math.max(worst, ms);
  // a hang detector only: a check takes milliseconds, more on a loaded machine; the parser's work
  // per character is bounded without a clock in grammar-fuzz.test.ts
  if (ms > HANG_MS) throw new Error(`took ${ms} ms on:\n${text}`);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const internal = r.diagnostics.find((d) => d.code === "E0999");
  if (internal) throw new Error(`internal error ${internal.message} on:\n${text}`);
  if ((r.ir === null) !== errors.length > 0) throw new Error(`IR and errors disagree on:\n${text}`);
  if (r.ir) JSON.stringify(r.ir);
}

test("fuzz: mutated travel programs", () => {
  assert.ok(SIGNIFICANT.length > 100);
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
      checkOne(mutate(ms));
    }),
    { numRuns: 2500, seed: 20240601 },
  );
  console.log(`  check-fuzz: slowest parse+check ${worst.toFixed(1)} ms`);
});

test("fuzz: random token streams", () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ANY_TOKEN, ...TOKENS.filter((t) => !/^\s/.test(t))), { maxLength: 80 }), (ts) => {
      checkOne(ts.join(" "));
    }),
    { numRuns: 1500, seed: 7 },
  );
  // streams that start like a program, so the checker sees deeper trees
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ANY_TOKEN), { maxLength: 60 }), (ts) => {
      checkOne(
        `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string, n: number?) -> number {\n${ts.join(" ")}\n  }\n}\n`,
      );
    }),
    { numRuns: 1500, seed: 11 },
  );
});

// ---- the shapes that broke the compiler (issue 10) -------------------------------------------

/** Accepted programs' handlers, each text once (the first line holds the sources' hash). */
const accepted = new Map<string, GeneratedApp>();

/** Compiles a program: never throws, ok exactly without errors, no internal error; keeps the accepted one's output. */
function compileOne(text: string): ReturnType<typeof compile> {
  let r: ReturnType<typeof compile>;
  try {
    r = compile([{ path: "fuzz.beldi", text }], { app: "fuzz" });
  } catch (e) {
    throw new Error(`compile threw on:\n${text.slice(0, 2000)}\n${e instanceof Error ? e.stack : e}`);
  }
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const internal = r.diagnostics.find((d) => d.code === "E0999" || d.code === "E0099" || d.code === "E0998");
  if (internal) throw new Error(`internal error ${internal.message} on:\n${text.slice(0, 2000)}`);
  if (r.ok !== (errors.length === 0) || r.ok !== r.files.length > 0)
    throw new Error(`ok, errors and files disagree on:\n${text.slice(0, 2000)}`);
  if (r.ok) {
    for (const f of r.files.filter((x) => x.path.endsWith(".ts"))) {
      const body = f.text.slice(f.text.indexOf("\n"));
      if (!accepted.has(body)) accepted.set(body, { app: `a${accepted.size}`, files: [f] });
    }
  }
  return r;
}

const inFn = (body: string, result: string) =>
  `type C = { v: number }\nservice s {\n  table cs: C\n  fn f(${PARAMS}) -> ${result} {\n    ${body}\n  }\n}\n`;

const NUM = ["a", "1", "2.5", "(a)", "-a", "abs(a)", "len(s)", "(n ?? 0)", "(xs[0] ?? 1)", "min(a, 2)"];
const BOOL = ["b", "!b", "a < 1", "n == null", 's != ""', "(a >= 2)", "contains(xs, 1)", "(b || a == 1)"];

test("fuzz: chains, prefix runs and `else if`s of any length: E0011 past the limit, otherwise the output type-checks", () => {
  const shape = fc.oneof(
    // a chain of numeric or boolean operators, mostly short, sometimes past the limit
    fc.record({
      kind: fc.constant("num" as const),
      len: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_DEPTH - 4, max: MAX_DEPTH + 4 })),
      ops: fc.array(fc.constantFrom("+", "-", "*", "/", "%"), { minLength: 1, maxLength: 8 }),
      items: fc.array(fc.constantFrom(...NUM), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant("bool" as const),
      len: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_DEPTH - 4, max: MAX_DEPTH + 4 })),
      ops: fc.array(fc.constantFrom("&&", "||"), { minLength: 1, maxLength: 4 }),
      items: fc.array(fc.constantFrom(...BOOL), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant("prefix" as const),
      len: fc.integer({ min: 1, max: MAX_DEPTH + 2 }),
      ops: fc.constant([]),
      items: fc.constant([]),
    }),
    fc.record({
      kind: fc.constant("elseIf" as const),
      len: fc.integer({ min: 1, max: MAX_DEPTH + 2 }),
      ops: fc.constant([]),
      items: fc.array(fc.constantFrom(...BOOL), { minLength: 1, maxLength: 4 }),
    }),
  );
  fc.assert(
    fc.property(shape, ({ kind: k, len, ops, items }) => {
      const pick = <T>(xs: T[], i: number): T => xs[i % xs.length]!;
      let text: string;
      let depth: number; // of the deepest node, when it can be told from the shape
      if (k === "num" || k === "bool") {
        const terms = Array.from({ length: len }, (_, i) => pick(items, i));
        text = inFn(`return ${terms.map((t, i) => (i === 0 ? t : `${pick(ops, i)} ${t}`)).join(" ")}`, k === "num" ? "number" : "bool");
        depth = -1;
      } else if (k === "prefix") {
        text = inFn(`return ${"-".repeat(len)}a`, "number");
        depth = len + 2;
      } else {
        text = inFn(
          `if b { return 0 } ${Array.from({ length: len }, (_, i) => `else if ${pick(items, i)} { return ${i} } `).join("")}return -1`,
          "number",
        );
        depth = len + 3;
      }
      const r = compileOne(text);
      const tooDeep = r.diagnostics.some((d) => d.code === "E0011");
      if (depth > 0 && tooDeep !== depth > MAX_DEPTH)
        throw new Error(`depth ${depth}: ${tooDeep ? "" : "no "}E0011 on:\n${text.slice(0, 500)}`);
      if (!r.ok && !tooDeep)
        throw new Error(`rejected without E0011: ${r.diagnostics.map((d) => d.code + " " + d.message).join("; ")}\n${text.slice(0, 500)}`);
    }),
    { numRuns: 60, seed: 1010 },
  );
});

test("fuzz: U+2028/U+2029 anywhere in a program is E0018, never code", () => {
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom("\u2028", "\u2029"), (at, sep) => {
      const i = at % (TRAVEL.length + 1);
      const r = compileOne(TRAVEL.slice(0, i) + sep + TRAVEL.slice(i));
      if (r.ok || !r.diagnostics.some((d) => d.code === "E0018")) throw new Error(`accepted a ${JSON.stringify(sep)} at ${i}`);
    }),
    { numRuns: 200, seed: 2028 },
  );
});

const JS_NAMES = [
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__proto__",
  "__defineGetter__",
  "__lookupSetter__",
  "prototype",
  "require",
  "module",
  "exports",
  "default",
  "arguments",
  "eval",
  "await",
  "async",
  "yield",
  "static",
  "Infinity",
  "NaN",
  "undefined",
  "Object",
  "Array",
  "Promise",
  "JSON",
  "Math",
  "Error",
  "Ctx",
  "handler",
  "createHandler",
  "defineService",
  "boolean",
  "object",
  "symbol",
  "unknown",
  "never",
  "void",
  "__beldiCreateRequire",
  "name",
  "length",
  "caller",
  "apply",
  "bind",
  "then",
  "x",
  "y",
  "k",
];

test("fuzz: JavaScript's names in every position: `__proto__` is E0116, any other accepted program's output type-checks", () => {
  const slots = 11;
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...JS_NAMES), { minLength: slots, maxLength: slots }), (n) => {
      const [T, f1, f2, S, tbl, fnA, fnB, p1, p2, l1, l2] = n as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const text = `type ${T} = { ${f1}: number, ${f2}?: string }
service ${S} {
  table ${tbl}: ${T}
  fn ${fnA}(${p1}: number, ${p2}: ${T}?) -> number {
    let ${l1} = read ${tbl}[str(${p1})]
    if ${l1} == null { return ${p1} }
    let ${l2} = { ${f1}: ${l1}.${f1} + 1, ${f2}: ${l1}.${f2} ?? "x" }
    write ${tbl}[str(${p1})] = ${l2}
    update ${tbl}["k"] set ${f1} = ${f1} + 1
    if ${p2} != null && ${p2}.${f2} == null { return 0 }
    return ${fnB}(${l2}.${f1})
  }
  fn ${fnB}(${p1}: number) -> number { return ${p1} }
}
`;
      const r = compileOne(text);
      if (n.includes("__proto__") && !r.diagnostics.some((d) => d.code === "E0116")) throw new Error(`__proto__ without E0116:\n${text}`);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test("every accepted program above: its generated TypeScript type-checks", () => {
  assert.ok(accepted.size > 20, `only ${accepted.size} accepted`);
  const text = typecheckGenerated([...accepted.values()]);
  assert.is(text, "", text);
});

test.run();
