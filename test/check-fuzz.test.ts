// Property test: mutated travel programs and random token streams go through parse +
// checkProgram without throwing or hanging, and the checker's answer is consistent: an IR
// exactly when it reports no error, and never an internal error (E0999).
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { parse } from "../grammar/index.js";
import { checkProgram } from "../compiler/check/index.js";
import { TRAVEL } from "./travel-spec.js";

const OPTS = { app: "t", appDir: "/app", codeVersion: "v" };


/** Tokens with the whitespace before each, so joining them gives the source back. */
function tokenize(src: string): string[] {
  return src.match(/\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e\d+)?|->|==|!=|<=|>=|&&|\|\||\?\?|[^\s]/g) ?? [];
}

const TOKENS = tokenize(TRAVEL);
const SIGNIFICANT = TOKENS.map((t, i) => (/^\s/.test(t) ? -1 : i)).filter((i) => i >= 0);
const WORDS = [
  "type", "service", "table", "fn", "extern", "let", "var", "if", "else", "for", "while", "break", "continue",
  "return", "fail", "read", "write", "update", "delete", "txn", "abort", "parallel", "call", "spawn", "scan",
  "true", "false", "null", "from", "set", "where", "in", "exists", "len", "keys", "now", "uuid", "str", "num",
  "h", "id", "ok", "cap", "hotels", "hotel", "flight", "order", "reserve", "place", "Hotel", "Order", "string",
  "number", "bool", "any", "list", "map", "x", "user",
];
const PUNCT = ["{", "}", "(", ")", "[", "]", ",", ":", ";", ".", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*",
  "/", "%", "!", "&&", "||", "??", "?", "->", "0", "1", "2.5", "\"s\"", "\n"];
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
  if (ms > 2000) throw new Error(`took ${ms} ms on:\n${text}`);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const internal = r.diagnostics.find((d) => d.code === "E0999");
  if (internal) throw new Error(`internal error ${internal.message} on:\n${text}`);
  if ((r.ir === null) !== (errors.length > 0)) throw new Error(`IR and errors disagree on:\n${text}`);
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
      checkOne(`type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string, n: number?) -> number {\n${ts.join(" ")}\n  }\n}\n`);
    }),
    { numRuns: 1500, seed: 11 },
  );
});

test.run();
