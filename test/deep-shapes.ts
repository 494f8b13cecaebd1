// Programs at the compiler's depth limit (MAX_DEPTH, grammar/depth.ts): one fn per shape of
// nesting, each as deep as the parser accepts, or one level deeper. Shared by compile-limits
// (every pass handles each at the limit, each past it is E0011) and check-fuzz.
import { MAX_DEPTH, MAX_NESTING, MAX_TYPE_DEPTH } from "../grammar/index.js";

const D = MAX_DEPTH;
/** brackets a fn body may hold: the service's and the fn's braces are two of MAX_NESTING */
const B = MAX_NESTING - 2;

const rep = (s: string, n: number) => s.repeat(Math.max(0, n));
const chain = (operand: string, op: string, terms: number) => Array.from({ length: terms }, () => operand).join(` ${op} `);

export interface Shape {
  name: string;
  /** the fn's result type */
  result: string;
  /** the fn's body at the limit, or `extra` levels past it */
  body: (extra: number) => string;
}

/**
 * Every shape reaches exactly MAX_DEPTH with extra = 0 (the deepest node at that level), or is
 * bracket-bound at MAX_NESTING (then one more level is a bracket too many: also E0011).
 */
export const SHAPES: Shape[] = [
  // a statement is level 1, the chain's root 2, its leftmost operand terms + 1
  { name: "plus", result: "number", body: (x) => `return ${chain("a", "+", D - 1 + x)}` },
  { name: "minus", result: "number", body: (x) => `return ${chain("a", "-", D - 1 + x)}` },
  { name: "concat", result: "string", body: (x) => `return ${chain("s", "+", D - 1 + x)}` },
  { name: "and", result: "bool", body: (x) => `return ${chain("b", "&&", D - 1 + x)}` },
  { name: "or", result: "bool", body: (x) => `return ${chain("b", "||", D - 1 + x)}` },
  { name: "coalesce", result: "number", body: (x) => `return ${chain("n", "??", D - 2 + x)} ?? 0` },
  { name: "append", result: "list<number>", body: (x) => `return ${chain("xs", "+", D - 1 + x)}` },
  // prefix runs: the operand is at prefixes + 2
  { name: "negate", result: "number", body: (x) => `return ${rep("-", D - 2 + x)}a` },
  { name: "not", result: "bool", body: (x) => `return ${rep("!", D - 2 + x)}b` },
  // suffixes on `any`: the object is at suffixes + 2
  { name: "anyField", result: "any", body: (x) => `return x${rep(".constructor", D - 2 + x)}` },
  { name: "anyIndex", result: "any", body: (x) => `return x${rep("[0]", D - 2 + x)}` },
  // `else if`: the k-th is at level k + 1, its `return` at k + 2, that one's value at k + 3
  { name: "elseIf", result: "number", body: (x) => `if b { return 0 } ${rep("else if b { return 1 } ", D - 3 + x)}return 2` },
  // a chain inside a transaction (its body becomes a function of its own)
  { name: "txnChain", result: "number", body: (x) => `var t = 0\n    txn { t = ${chain("a", "+", D - 2 + x)} }\n    return t` },
  // a `where` chain (emitted as nested condition objects)
  { name: "whereChain", result: "bool", body: (x) => `return update cs[s] set v = 1 where ${chain("v > 0", "&&", D - 3 + x)}` },
  // brackets: bound by MAX_NESTING (one more is E0011 too)
  { name: "parens", result: "number", body: (x) => `return ${rep("(", B + x)}a${rep(")", B + x)}` },
  { name: "lists", result: "number", body: (x) => `return len(${rep("[", B - 1 + x)}1${rep("]", B - 1 + x)})` },
  { name: "ifs", result: "number", body: (x) => `${rep("if b { ", B + x)}let z = 1${rep(" }", B + x)}\n    return 1` },
  { name: "whiles", result: "number", body: (x) => `${rep("while b { ", B + x)}let z = 1${rep(" }", B + x)}\n    return 1` },
  {
    name: "fors",
    result: "number",
    body: (x) => `${Array.from({ length: B + x }, (_, i) => `for v${i} in xs { `).join("")}let z = 1${rep(" }", B + x)}\n    return 1`,
  },
  { name: "parallels", result: "number", body: (x) => `${rep("parallel { ", B + x)}let z = 1${rep(" }", B + x)}\n    return 1` },
  // bound by the parser's own guard (MAX_RULE_DEPTH: rules nested, a few per bracket level)
  { name: "reads", result: "string", body: (x) => `return json(${rep("read cs[json(", 86 + x)}1${rep(")]", 86 + x)})` },
  { name: "calls", result: "number", body: (x) => `return ${rep("min(a, ", 173 + x)}a${rep(")", 173 + x)}` },
  { name: "records", result: "number", body: (x) => `return len(json(${rep("{ a: ", 171 + x)}1${rep(" }", 171 + x)}))` },
  // mixed: `-(x.a + -(x.a + ...))`, three levels per bracket
  {
    name: "mixed",
    result: "number",
    body: (x) =>
      `let y: { a: number } = { a: 1 }\n    return ${rep("-(y.a + ", Math.floor((D - 3) / 3) + x)}a${rep(")", Math.floor((D - 3) / 3) + x)}`,
  },
];

/** Types nested as deep as a written type may be (MAX_TYPE_DEPTH records, lists, maps). */
export const deepTypes = (extra: number) =>
  `type DeepR = ${rep("{ a: ", MAX_TYPE_DEPTH + extra)}number${rep(" }", MAX_TYPE_DEPTH + extra)}\n` +
  `type DeepL = ${rep("list<", MAX_TYPE_DEPTH + extra)}number?${rep(">", MAX_TYPE_DEPTH + extra)}\n` +
  `type DeepM = ${rep("map<{ m: ", MAX_TYPE_DEPTH / 2 + extra)}bool${rep(" }>", MAX_TYPE_DEPTH / 2 + extra)}\n`;

export const PARAMS = "a: number, b: bool, s: string, x: any, n: number?, xs: list<number>";

/** One app: the deep types (unless left out) and a service with a fn per shape (all at the limit, or `extra` past it). */
export function limitsApp(extra = 0, shapes = SHAPES, types = true): string {
  const fns = shapes.map((s) => `  fn ${s.name}(${PARAMS}) -> ${s.result} {\n    ${s.body(extra)}\n  }\n`).join("");
  const typed = types
    ? "  table deeps: DeepR\n  fn types(r: DeepR, l: DeepL, m: DeepM) -> DeepR {\n    write deeps[json(l)] = r\n    let back = read deeps[json(m)]\n    return back ?? r\n  }\n"
    : "";
  return `${types ? deepTypes(extra) : ""}type C = { v: number }\nservice deep {\n  table cs: C\n${typed}${fns}}\n`;
}
