// The checker's corpus of bad programs: one entry per rule at least, more for the tricky ones.
// Each `/*@E0123*/` marker says "an E0123 diagnostic starts at the next token"; the checker must
// report exactly the marked diagnostics (code, line and column), errors and warnings alike, and
// nothing else. Adding a case is adding one entry to CASES.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../grammar/index.js";
import { checkProgram } from "../compiler/check/index.js";

const OPTS = { app: "t", appDir: "/app", codeVersion: "v" };

interface Expected {
  code: string;
  line: number;
  col: number;
}

/** Markers `/*@CODE*\/` and the position of the token after each. */
function markers(src: string): Expected[] {
  const out: Expected[] = [];
  const re = /\/\*@([EW]\d{4})\*\//g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    let at = m.index + m[0].length;
    for (;;) {
      while (at < src.length && /\s/.test(src[at]!)) at++;
      const next = /^\/\*@[EW]\d{4}\*\//.exec(src.slice(at));
      if (!next) break;
      at += next[0].length;
    }
    const before = src.slice(0, at);
    const line = before.split("\n").length;
    const col = at - before.lastIndexOf("\n");
    out.push({ code: m[1]!, line, col });
  }
  return out;
}

function run(name: string, src: string) {
  const p = parse({ path: `${name}.beldi`, text: src });
  assert.equal(p.diagnostics, [], `${name}: the case must parse cleanly`);
  return checkProgram([p.file], OPTS);
}

const key = (e: Expected) => `${e.code} at ${e.line}:${e.col}`;

// [name, program]: the program's first line is line 1
const CASES: [string, string][] = [
  // ---- declarations ----------------------------------------------------------------------
  ["dup-type", `type P = { x: number }\ntype /*@E0100*/P = { y: number }`],
  ["dup-service", `service a { }\nservice /*@E0100*/a { }`],
  ["dup-extern", `extern fn g(x: number) -> number from "./g.ts"\nextern fn /*@E0100*/g(x: number) -> number from "./g.ts"`],
  ["dup-table", `type C = { n: number }\nservice s {\n  table t: C\n  table /*@E0101*/t: C\n}`],
  ["dup-fn", `service s {\n  fn f() { }\n  fn /*@E0102*/f() { }\n}`],
  ["dup-param", `service s {\n  fn f(a: number, /*@E0103*/a: string) { }\n}`],
  ["dup-extern-param", `extern fn g(a: number, /*@E0103*/a: number) -> number from "./g.ts"`],
  ["unknown-type-param", `service s {\n  fn f(p: /*@E0104*/Pointt) { }\n}`],
  ["unknown-type-table", `service s {\n  table t: /*@E0104*/Row\n}`],
  ["unknown-type-let", `service s {\n  fn f() {\n    let xs: list</*@E0104*/strin> = []\n  }\n}`],
  ["recursive-type", `type /*@E0105*/Node = { next: Node? }`],
  ["mutually-recursive", `type /*@E0105*/A = { b: B }\ntype /*@E0105*/B = { a: list<A> }`],
  ["reserved-type-name", `type /*@E0106*/any = { x: number }`],
  ["unknown-name", `service s {\n  fn f(count: number) -> number {\n    return /*@E0107*/cuont + 1\n  }\n}`],
  ["use-before-let", `service s {\n  fn f() -> number {\n    let a = /*@E0107*/b\n    let b = 1\n    return a\n  }\n}`],
  ["out-of-scope", `service s {\n  fn f(c: bool) -> number {\n    if c { let x = 1 }\n    return /*@E0107*/x\n  }\n}`],
  ["let-self", `service s {\n  fn f() {\n    let x = /*@E0107*/x\n  }\n}`],
  ["unknown-table", `service s {\n  fn f(k: string) {\n    delete /*@E0108*/itemz[k]\n  }\n}`],
  ["unknown-service", `service s {\n  fn f() {\n    call /*@E0109*/nope.g()\n  }\n}`],
  ["unknown-service-fn", `service s {\n  fn f() {\n    spawn s./*@E0110*/g()\n  }\n}`],
  ["unknown-function", `service s {\n  fn f() -> number {\n    return /*@E0111*/lenn("abc")\n  }\n}`],
  ["inline-other-service", `service a { fn g() { } }\nservice b {\n  fn f() {\n    /*@E0111*/g()\n  }\n}`],
  ["exists-outside-where", `service s {\n  fn f(x: number) -> bool {\n    return /*@E0111*/exists(x)\n  }\n}`],
  ["shadow-param", `service s {\n  fn f(x: number) {\n    if x > 0 {\n      let /*@E0112*/x = 2\n    }\n  }\n}`],
  ["redeclare-let", `service s {\n  fn f() {\n    let a = 1\n    var /*@E0112*/a = 2\n  }\n}`],
  ["shadow-for", `service s {\n  fn f(xs: list<number>) {\n    for /*@E0112*/xs in xs { }\n  }\n}`],
  ["for-same-names", `service s {\n  fn f(m: map<number>) {\n    for k, /*@E0112*/k in m { }\n  }\n}`],
  [
    "local-hides-extern",
    `extern fn g(x: number) -> number from "./g.ts"\nservice s {\n  fn f() -> number {\n    let g = 1\n    return /*@E0114*/g(2)\n  }\n}`,
  ],
  ["local-hides-fn", `service s {\n  fn h() { }\n  fn f() {\n    let h = 1\n    /*@E0114*/h()\n  }\n}`],
  ["param-hides-self", `service s {\n  fn f(f: number) {\n    /*@E0114*/f(f - 1)\n  }\n}`],
  ["callee-not-name", `service s {\n  fn f(r: { g: number }) {\n    /*@E0113*/r.g(1)\n  }\n}`],
  ["local-not-function", `service s {\n  fn f(len: number) -> number {\n    return /*@E0114*/len("abc")\n  }\n}`],
  ["table-not-record", `service s {\n  table t: /*@E0115*/list<number>\n}`],

  // ---- types ---------------------------------------------------------------------------
  ["let-mismatch", `service s {\n  fn f() {\n    let n: number = /*@E0200*/"one"\n  }\n}`],
  ["if-not-bool", `service s {\n  fn f(n: number) {\n    if /*@E0200*/n { }\n  }\n}`],
  ["while-optional", `service s {\n  fn f(b: bool?) {\n    while /*@E0200*/b { }\n  }\n}`],
  ["fail-not-string", `service s {\n  fn f(n: number) {\n    fail /*@E0200*/n\n  }\n}`],
  [
    "write-field-mismatch",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    write cs[k] = { n: /*@E0200*/"x" }\n  }\n}`,
  ],
  [
    "write-whole-mismatch",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, v: string) {\n    write cs[k] = /*@E0200*/v\n  }\n}`,
  ],
  ["assign-mismatch", `service s {\n  fn f() {\n    var n = 1\n    n = /*@E0200*/"two"\n  }\n}`],
  ["return-mismatch", `service s {\n  fn f() -> string {\n    return /*@E0200*/1\n  }\n}`],
  [
    "return-optional",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> C {\n    return /*@E0200*/read cs[k]\n  }\n}`,
  ],
  ["key-not-string", `type C = { n: number }\nservice s {\n  table cs: C\n  fn f() -> C? {\n    return read cs[/*@E0200*/1]\n  }\n}`],
  [
    "coalesce-default-mismatch",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    let c = read cs[k] ?? /*@E0200*/"none"\n  }\n}`,
  ],
  [
    "record-not-exact-structural",
    `type A = { x: number }\ntype B = { x: number, y: number }\nservice s {\n  fn f(b: B) -> A {\n    return /*@E0200*/b\n  }\n}`,
  ],
  ["list-item-mismatch", `service s {\n  fn f() {\n    let xs: list<string> = ["a", /*@E0200*/2]\n  }\n}`],
  ["map-value-mismatch", `service s {\n  fn f() {\n    let m: map<number> = { a: 1, b: /*@E0200*/"2" }\n  }\n}`],
  [
    "optional-field",
    `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string) -> number {\n    let h = read hs[k]\n    return h./*@E0201*/cap\n  }\n}`,
  ],
  [
    "narrow-killed-by-assign",
    `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string, k2: string) -> number {\n    var h = read hs[k]\n    if h != null {\n      h = read hs[k2]\n      return h./*@E0201*/cap\n    }\n    return 0\n  }\n}`,
  ],
  [
    "narrow-wrong-branch",
    `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string) -> number {\n    let h = read hs[k]\n    if h == null { return h./*@E0201*/cap }\n    return h.cap\n  }\n}`,
  ],
  [
    "narrow-or-polarity",
    `type H = { cap: number }\nservice s {\n  fn f(h: H?) -> bool {\n    return h != null || h./*@E0201*/cap > 0\n  }\n}`,
  ],
  [
    "narrow-not-field-path",
    `type R = { g?: { x: number } }\nservice s {\n  fn f(r: R) -> number {\n    if r.g != null { return r.g./*@E0201*/x }\n    return 0\n  }\n}`,
  ],
  [
    "narrow-not-after-open-if",
    `type H = { cap: number }\nservice s {\n  fn f(h: H?) -> number {\n    if h == null { let z = 1 }\n    return h./*@E0201*/cap\n  }\n}`,
  ],
  [
    "narrow-killed-in-loop",
    `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string) -> number {\n    var h = read hs[k]\n    if h == null { return 0 }\n    var t = 0\n    while t < 3 {\n      t = t + h./*@E0201*/cap\n      h = read hs[k]\n    }\n    return t\n  }\n}`,
  ],
  [
    "narrow-else-of-and",
    `type H = { cap: number }\nservice s {\n  fn f(h: H?, b: bool) -> number {\n    if h != null && b { return 1 } else { return h./*@E0201*/cap }\n  }\n}`,
  ],
  ["index-optional-list", `service s {\n  fn f(xs: list<number>?) -> number? {\n    return xs[/*@E0201*/0]\n  }\n}`],
  ["no-such-field", `type P = { x: number }\nservice s {\n  fn f(p: P) -> number {\n    return p./*@E0202*/y\n  }\n}`],
  ["field-of-map", `service s {\n  fn f(m: map<number>) -> number? {\n    return m./*@E0203*/a\n  }\n}`],
  ["field-of-number", `service s {\n  fn f(n: number) -> number {\n    return n./*@E0203*/x\n  }\n}`],
  ["index-list-string", `service s {\n  fn f(xs: list<number>) -> number? {\n    return xs[/*@E0204*/"a"]\n  }\n}`],
  ["index-string", `service s {\n  fn f(s: string) -> string? {\n    return /*@E0204*/s[0]\n  }\n}`],
  ["times-bool", `service s {\n  fn f(b: bool) -> number {\n    return /*@E0205*/b * 2\n  }\n}`],
  ["neg-string", `service s {\n  fn f(x: string) -> number {\n    return -/*@E0205*/x\n  }\n}`],
  ["plus-bools", `service s {\n  fn f(a: bool) -> bool {\n    return /*@E0205*/a + a\n  }\n}`],
  ["plus-optional", `service s {\n  fn f(a: number?) -> number {\n    return /*@E0205*/a + 1\n  }\n}`],
  ["string-plus-number", `service s {\n  fn f(n: number) -> string {\n    return /*@E0206*/"n=" + n\n  }\n}`],
  ["less-mixed", `service s {\n  fn f(a: number, b: string) -> bool {\n    return /*@E0207*/a < b\n  }\n}`],
  ["less-bools", `service s {\n  fn f(a: bool) -> bool {\n    return /*@E0207*/a < a\n  }\n}`],
  ["eq-string-number", `service s {\n  fn f(a: number) -> bool {\n    return /*@E0208*/a == "1"\n  }\n}`],
  ["eq-list-record", `service s {\n  fn f(a: list<number>, r: { x: number }) -> bool {\n    return /*@E0208*/a != r\n  }\n}`],
  ["eq-map-record-of-other", `service s {\n  fn f(m: map<number>) -> bool {\n    return /*@E0208*/m == { a: "x" }\n  }\n}`],
  ["not-number", `service s {\n  fn f(n: number) -> bool {\n    return !/*@E0209*/n\n  }\n}`],
  ["and-string", `service s {\n  fn f(s: string, b: bool) -> bool {\n    return b && /*@E0209*/s\n  }\n}`],
  ["coalesce-not-optional", `service s {\n  fn f(n: number) -> number {\n    return /*@E0210*/n ?? 0\n  }\n}`],
  ["coalesce-narrowed", `service s {\n  fn f(n: number?) -> number {\n    if n == null { return 0 }\n    return /*@E0210*/n ?? 1\n  }\n}`],
  ["arity-builtin", `service s {\n  fn f() -> number {\n    return /*@E0211*/abs(1, 2)\n  }\n}`],
  ["arity-inline", `service s {\n  fn g(a: number) -> number { return a }\n  fn f() -> number {\n    return /*@E0211*/g()\n  }\n}`],
  ["arity-call", `service a { fn g(a: number) { } }\nservice b {\n  fn f() {\n    /*@E0211*/call a.g(1, 2)\n  }\n}`],
  ["arity-nondet", `service s {\n  fn f() -> number {\n    return /*@E0211*/now(1)\n  }\n}`],
  ["arg-builtin", `service s {\n  fn f() -> number {\n    return len(/*@E0212*/5)\n  }\n}`],
  ["arg-call", `service a { fn g(a: number) { } }\nservice b {\n  fn f() {\n    spawn a.g(/*@E0212*/"x")\n  }\n}`],
  ["arg-extern", `extern fn g(x: number) -> number from "./g.ts"\nservice s {\n  fn f() -> number {\n    return g(/*@E0212*/true)\n  }\n}`],
  ["arg-contains", `service s {\n  fn f(xs: list<number>) -> bool {\n    return contains(xs, /*@E0212*/"a")\n  }\n}`],
  ["arg-str-record", `service s {\n  fn f(r: { a: number }) -> string {\n    return str(/*@E0212*/r)\n  }\n}`],
  ["arg-sort-bools", `service s {\n  fn f(xs: list<bool>) -> list<bool> {\n    return sort(/*@E0212*/xs)\n  }\n}`],
  ["arg-min-optional", `service s {\n  fn f(a: number?) -> number {\n    return min(/*@E0212*/a, 1)\n  }\n}`],
  ["missing-field", `type P = { x: number, y: number }\nservice s {\n  fn f() -> P {\n    return /*@E0213*/{ x: 1 }\n  }\n}`],
  ["extra-field", `type P = { x: number }\nservice s {\n  fn f() -> P {\n    return { x: 1, /*@E0214*/y: 2 }\n  }\n}`],
  ["dup-field-literal", `service s {\n  fn f() {\n    let r = { a: 1, /*@E0215*/a: 2 }\n  }\n}`],
  ["dup-field-type", `type P = { x: number, /*@E0215*/x: string }`],
  ["infer-empty-list", `service s {\n  fn f() {\n    var xs = /*@E0217*/[]\n  }\n}`],
  ["infer-null", `service s {\n  fn f() {\n    let x = /*@E0217*/null\n  }\n}`],
  ["infer-empty-record", `service s {\n  fn f() {\n    let r = /*@E0217*/{}\n  }\n}`],
  [
    "update-as-value",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    let ok = /*@E0218*/update cs[k] set n = 1\n    return true\n  }\n}`,
  ],
  [
    "update-as-condition",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    if /*@E0218*/update cs[k] set n = 1 { }\n  }\n}`,
  ],
  ["mixed-list", `service s {\n  fn f() {\n    let xs = [1, /*@E0219*/"two"]\n  }\n}`],
  ["for-number", `service s {\n  fn f(n: number) {\n    for x in /*@E0220*/n { }\n  }\n}`],
  ["for-optional", `service s {\n  fn f(xs: list<number>?) {\n    for x in /*@E0220*/xs { }\n  }\n}`],
  ["for-map-one-name", `service s {\n  fn f(m: map<number>) {\n    for /*@E0221*/x in m { }\n  }\n}`],
  ["for-list-two-names", `service s {\n  fn f(xs: list<number>) {\n    for /*@E0222*/i, x in xs { }\n  }\n}`],
  ["return-value-procedure", `service s {\n  fn f() {\n    return /*@E0223*/1\n  }\n}`],
  ["return-no-value", `service s {\n  fn f() -> number {\n    /*@E0224*/return\n  }\n}`],

  // ---- statements ----------------------------------------------------------------------
  ["assign-let", `service s {\n  fn f() {\n    let n = 1\n    /*@E0300*/n = 2\n  }\n}`],
  ["assign-param", `service s {\n  fn f(n: number) {\n    /*@E0300*/n = 2\n  }\n}`],
  ["assign-for", `service s {\n  fn f(xs: list<number>) {\n    for x in xs { /*@E0300*/x = 1 }\n  }\n}`],
  ["assign-unknown", `service s {\n  fn f() {\n    /*@E0107*/zz = 2\n  }\n}`],
  ["break-outside", `service s {\n  fn f() {\n    /*@E0301*/break\n  }\n}`],
  ["continue-in-if", `service s {\n  fn f(b: bool) {\n    if b { /*@E0301*/continue }\n  }\n}`],
  ["missing-return", `service s {\n  fn f(b: bool) -> number {\n    if b { return 1 }\n  /*@E0302*/}\n}`],
  ["missing-return-while", `service s {\n  fn f(b: bool) -> number {\n    while b { return 1 }\n  /*@E0302*/}\n}`],
  ["missing-return-txn", `service s {\n  fn f() -> number {\n    txn { return 1 }\n  /*@E0302*/}\n}`],
  ["missing-return-empty", `service s {\n  fn f() -> list<number> {\n  /*@E0302*/}\n}`],

  // ---- sovereignty ---------------------------------------------------------------------
  [
    "foreign-read",
    `type C = { n: number }\nservice a {\n  table cs: C\n  fn get(k: string) -> C? { return read cs[k] }\n}\nservice b {\n  fn f(k: string) -> C? {\n    return read /*@E0400*/cs[k]\n  }\n}`,
  ],
  [
    "foreign-write",
    `type C = { n: number }\nservice a {\n  table cs: C\n}\nservice b {\n  fn f(k: string) {\n    write /*@E0400*/cs[k] = { n: 1 }\n  }\n}`,
  ],
  [
    "foreign-update",
    `type C = { n: number }\nservice a {\n  table cs: C\n}\nservice b {\n  fn f(k: string) {\n    update /*@E0400*/cs[k] set n = n + 1\n  }\n}`,
  ],
  [
    "foreign-delete",
    `type C = { n: number }\nservice a {\n  table cs: C\n}\nservice b {\n  fn f(k: string) {\n    delete /*@E0400*/cs[k]\n  }\n}`,
  ],
  [
    "foreign-scan",
    `type C = { n: number }\nservice a {\n  table cs: C\n}\nservice b {\n  fn f() -> number {\n    return len(scan /*@E0400*/cs)\n  }\n}`,
  ],

  // ---- update set / where --------------------------------------------------------------
  [
    "set-unknown-field",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set /*@E0500*/m = 1\n  }\n}`,
  ],
  [
    "set-local-shadows",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, n: number) {\n    update cs[k] set n = /*@E0501*/n + 1\n  }\n}`,
  ],
  [
    "where-local-shadows",
    `type C = { n: number, m: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    let m = 2\n    return update cs[k] set n = 1 where /*@E0501*/m > 0\n  }\n}`,
  ],
  [
    "set-times",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = /*@E0502*/n * 2\n  }\n}`,
  ],
  [
    "set-concat",
    `type C = { name: string }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set name = /*@E0502*/name + "x"\n  }\n}`,
  ],
  [
    "set-reverse-minus",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, e: number) {\n    update cs[k] set n = /*@E0502*/e - n\n  }\n}`,
  ],
  [
    "set-other-field",
    `type C = { a: number, b: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set a = /*@E0502*/b + 1\n  }\n}`,
  ],
  [
    "set-delta-mentions-field",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = /*@E0502*/n + n\n  }\n}`,
  ],
  [
    "set-list-minus",
    `type C = { xs: list<number> }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set xs = /*@E0502*/xs - [1]\n  }\n}`,
  ],
  [
    "set-value-mismatch",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = /*@E0200*/"x"\n  }\n}`,
  ],
  [
    "set-delta-mismatch",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = n + /*@E0200*/"x"\n  }\n}`,
  ],
  [
    "set-append-mismatch",
    `type C = { xs: list<number> }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set xs = xs + [/*@E0200*/"x"]\n  }\n}`,
  ],
  [
    "set-twice",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] set n = 1, /*@E0503*/n = 2\n  }\n}`,
  ],
  [
    "where-arith",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] set n = 1 where /*@E0504*/n * 2 > 4\n  }\n}`,
  ],
  [
    "where-bare-field",
    `type C = { n: number, ok: bool }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] set n = 1 where /*@E0504*/ok\n  }\n}`,
  ],
  [
    "where-contains-local-first",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, xs: list<number>) -> bool {\n    return update cs[k] set n = 1 where /*@E0504*/contains(xs, n)\n  }\n}`,
  ],
  [
    "where-exists-local",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, x: number) -> bool {\n    return update cs[k] set n = 1 where /*@E0505*/exists(x)\n  }\n}`,
  ],
  [
    "where-not-exists-local",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, x: number) -> bool {\n    return update cs[k] set n = 1 where !/*@E0505*/exists(x) && x > 0\n  }\n}`,
  ],
  [
    "where-compare-types",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] set n = 1 where /*@E0207*/n > "a"\n  }\n}`,
  ],
  [
    "where-eq-types",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] set n = 1 where /*@E0208*/n == "a"\n  }\n}`,
  ],
  [
    "where-local-not-bool",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string, x: number) -> bool {\n    return update cs[k] set n = 1 where n > 0 && /*@E0200*/x\n  }\n}`,
  ],

  // ---- transactions --------------------------------------------------------------------
  // ---- LANGUAGE.md §9: abort reasons, optional access, update aliases ----------------------
  ["abort-reason-number", `service s {\n  fn f(n: number) {\n    txn { abort /*@E0200*/n } else { }\n  }\n}`],
  ["abort-reason-optional", `service s {\n  fn f(t: string?) {\n    txn { abort /*@E0200*/t } else { }\n  }\n}`],
  ["abort-reason-outside-txn", `service s {\n  fn f() {\n    /*@E0600*/abort "why"\n  }\n}`],
  ["else-reason-shadows-param", `service s {\n  fn f(r: string) {\n    txn { abort } else (/*@E0112*/r) { }\n  }\n}`],
  ["else-reason-redeclared", `service s {\n  fn f() {\n    txn { abort } else (r) { let /*@E0112*/r = 1 }\n  }\n}`],
  ["else-reason-assigned", `service s {\n  fn f() {\n    txn { abort } else (r) { /*@E0300*/r = "x" }\n  }\n}`],
  ["else-reason-not-after", `service s {\n  fn f() -> string {\n    txn { abort } else (r) { }\n    return /*@E0107*/r\n  }\n}`],
  ["else-reason-not-in-body", `service s {\n  fn f() {\n    txn { abort /*@E0107*/r } else (r) { }\n  }\n}`],
  ["null-safe-not-optional", `type P = { x: number }\nservice s {\n  fn f(p: P) -> number? {\n    return /*@E0225*/p?.x\n  }\n}`],
  [
    "null-safe-narrowed",
    `type P = { x: number }\nservice s {\n  fn f(p: P?) -> number? {\n    if p == null { return null }\n    return /*@E0225*/p?.x\n  }\n}`,
  ],
  ["null-safe-no-field", `type P = { x: number }\nservice s {\n  fn f(p: P?) -> number? {\n    return p?./*@E0202*/y\n  }\n}`],
  ["null-safe-not-record", `service s {\n  fn f(n: number?) -> number? {\n    return n?./*@E0203*/x\n  }\n}`],
  ["null-safe-result-optional", `type P = { x: number }\nservice s {\n  fn f(p: P?) -> number {\n    return /*@E0200*/p?.x\n  }\n}`],
  [
    "null-safe-chain-needs-each",
    `type P = { q: { x: number } }\nservice s {\n  fn f(p: P?) -> number? {\n    return p?.q./*@E0201*/x\n  }\n}`,
  ],
  // issue 14: one error, not also E0210's "never null"
  [
    "optional-field-then-coalesce",
    `type O = { total: number }\nservice s {\n  table os: O\n  fn f(k: string) -> number {\n    return (read os[k])./*@E0201*/total ?? 0\n  }\n}`,
  ],
  [
    "alias-shadows-param",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string, s: number) {\n    update cs[k] as /*@E0112*/s set n = s.n + 1\n  }\n}`,
  ],
  [
    "alias-alone",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] as c set n = 1 where /*@E0506*/c != null\n  }\n}`,
  ],
  [
    "alias-shorthand",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set n = len(json({ /*@E0506*/c }))\n  }\n}`,
  ],
  [
    "alias-null-safe",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set n = /*@E0506*/c?.n ?? 0\n  }\n}`,
  ],
  [
    "alias-no-field",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set n = c./*@E0202*/x + 1\n  }\n}`,
  ],
  [
    "alias-bare-name-is-local",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set n = /*@E0107*/n + 1\n  }\n}`,
  ],
  [
    "alias-not-atomic",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set n = /*@E0502*/c.n * 2\n  }\n}`,
  ],
  [
    "alias-not-atomic-other-field",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string, n: number) {\n    update cs[k] as c set m = /*@E0502*/c.n + n\n  }\n}`,
  ],
  [
    "alias-bad-where",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return update cs[k] as c set n = 1 where /*@E0504*/c.n * 2 > 4\n  }\n}`,
  ],
  [
    "alias-exists-needs-field",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string, x: number) -> bool {\n    return update cs[k] as c set n = 1 where /*@E0505*/exists(x)\n  }\n}`,
  ],
  [
    "alias-outside-update",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> number {\n    update cs[k] as c set n = c.n + 1\n    return /*@E0107*/c.n\n  }\n}`,
  ],
  [
    "alias-set-unknown",
    `type C = { n: number, m?: number }\nservice s {\n  table cs: C\n  fn f(k: string) {\n    update cs[k] as c set /*@E0500*/x = 1\n  }\n}`,
  ],
  ["abort-outside", `service s {\n  fn f() {\n    /*@E0600*/abort\n  }\n}`],
  ["abort-in-else", `service s {\n  fn f() {\n    txn { } else { /*@E0600*/abort }\n  }\n}`],
  ["spawn-in-txn", `service s {\n  fn g() { }\n  fn f() {\n    txn {\n      /*@E0601*/spawn s.g()\n    }\n  }\n}`],
  [
    "spawn-via-call",
    `service a {\n  fn g() { spawn a.h() }\n  fn h() { }\n}\nservice b {\n  fn f() {\n    txn { /*@E0601*/call a.g() }\n  }\n}`,
  ],
  ["spawn-via-inline", `service s {\n  fn h() { }\n  fn g() { spawn s.h() }\n  fn f() {\n    txn { /*@E0601*/g() }\n  }\n}`],
  [
    "spawn-via-call-inline",
    `service a {\n  fn audit() { spawn a.h() }\n  fn h() { }\n  fn g() { audit() }\n}\nservice b {\n  fn f() {\n    txn {\n      let x = 1\n      /*@E0601*/call a.g()\n    }\n  }\n}`,
  ],
  [
    "scan-in-txn",
    `type C = { n: number }\nservice s {\n  table cs: C\n  fn f() {\n    txn {\n      let all = /*@E0602*/scan cs\n    }\n  }\n}`,
  ],
  [
    "scan-via-call",
    `type C = { n: number }\nservice a {\n  table cs: C\n  fn all() -> number { return len(scan cs) }\n}\nservice b {\n  fn f() -> number {\n    var n = 0\n    txn { n = /*@E0602*/call a.all() }\n    return n\n  }\n}`,
  ],
  [
    "parallel-in-txn",
    `service s {\n  fn g() { }\n  fn f() {\n    txn {\n      /*@E0603*/parallel {\n        call s.g()\n        call s.g()\n      }\n    }\n  }\n}`,
  ],
  [
    "parallel-via-inline",
    `service s {\n  fn g() { }\n  fn both() {\n    parallel {\n      call s.g()\n      call s.g()\n    }\n  }\n  fn f() {\n    txn { /*@E0603*/both() }\n  }\n}`,
  ],
  ["nested-txn", `service s {\n  fn f() {\n    txn {\n      /*@E0604*/txn { }\n    }\n  }\n}`],
  ["nested-txn-via-call", `service s {\n  fn g() { txn { } }\n  fn f() {\n    txn { /*@E0604*/call s.g() }\n  }\n}`],
  [
    "txn-through-cycle",
    `service s {\n  fn k() { }\n  fn g() { h() }\n  fn h() {\n    g()\n    spawn s.k()\n  }\n  fn f() {\n    txn { /*@E0601*/g() }\n  }\n}`,
  ],
  ["txn-recursive-self", `service s {\n  fn f(n: number) {\n    txn { if n > 0 { /*@E0604*/f(n - 1) } }\n  }\n}`],
  [
    "txn-reaches-two",
    `service s {\n  fn k() { }\n  fn g() {\n    spawn s.k()\n    txn { }\n  }\n  fn f() {\n    txn { /*@E0601*//*@E0604*/g() }\n  }\n}`,
  ],
  ["break-out-of-txn", `service s {\n  fn f() {\n    while true {\n      txn { /*@E0605*/break }\n    }\n  }\n}`],
  [
    "continue-out-of-txn",
    `service s {\n  fn f(xs: list<number>) {\n    for x in xs {\n      txn { if x > 1 { /*@E0605*/continue } }\n    }\n  }\n}`,
  ],

  // ---- parallel ------------------------------------------------------------------------
  [
    "parallel-assign-outer",
    `service s {\n  fn g() -> number { return 1 }\n  fn f() {\n    var n = 0\n    parallel {\n      /*@E0700*/n = call s.g()\n      call s.g()\n    }\n  }\n}`,
  ],
  [
    "parallel-assign-outer-nested",
    `service s {\n  fn g() -> number { return 1 }\n  fn f(b: bool) {\n    var n = 0\n    parallel {\n      if b { /*@E0700*/n = 2 }\n      call s.g()\n    }\n  }\n}`,
  ],
  [
    "parallel-sibling",
    `service s {\n  fn g(n: number) -> number { return n }\n  fn f() {\n    parallel {\n      let a = call s.g(1)\n      let b = call s.g(/*@E0701*/a)\n    }\n  }\n}`,
  ],
  [
    "parallel-sibling-later",
    `service s {\n  fn g(n: number) -> number { return n }\n  fn f() {\n    parallel {\n      let a = call s.g(/*@E0701*/b)\n      let b = call s.g(1)\n    }\n  }\n}`,
  ],
  [
    "parallel-return",
    `service s {\n  fn f() -> number {\n    parallel {\n      /*@E0702*/return 1\n      let x = 2\n    }\n    return x\n  }\n}`,
  ],
  [
    "parallel-break",
    `service s {\n  fn g() { }\n  fn f() {\n    while true {\n      parallel {\n        /*@E0702*/break\n        call s.g()\n      }\n    }\n  }\n}`,
  ],
  [
    "parallel-abort",
    `service s {\n  fn g() { }\n  fn f() {\n    parallel {\n      if true { /*@E0702*/abort }\n      call s.g()\n    }\n  }\n}`,
  ],
  ["parallel-var", `service s {\n  fn f() {\n    parallel {\n      /*@E0703*/var a = 1\n      let b = 2\n    }\n  }\n}`],
  ["parallel-dup-export", `service s {\n  fn f() {\n    parallel {\n      let a = 1\n      let /*@E0112*/a = 2\n    }\n  }\n}`],
  [
    "parallel-export-immutable",
    `service s {\n  fn f() {\n    parallel {\n      let a = 1\n      let b = 2\n    }\n    /*@E0300*/a = 3\n  }\n}`,
  ],

  // ---- LANGUAGE.md §9: durable waiting ---------------------------------------------------
  ["sleep-not-number", `service s {\n  fn f() {\n    sleep /*@E0200*/"1s"\n  }\n}`],
  ["wait-timeout-not-number", `service s {\n  fn f(t: string) {\n    let v = wait "v" as number timeout /*@E0200*/t\n  }\n}`],
  ["wait-optional-type", `service s {\n  fn f() -> number? {\n    return wait "n" as /*@E0226*/number?\n  }\n}`],
  ["wait-named-optional-type", `type N = number?\nservice s {\n  fn f() -> number? {\n    return wait "n" as /*@E0226*/N\n  }\n}`],
  ["wait-result-optional", `service s {\n  fn f() -> number {\n    let n: number = /*@E0200*/wait "n" as number\n    return n\n  }\n}`],
  ["signal-arity", `service s {\n  fn f(id: string) -> bool {\n    return /*@E0211*/signal(id, "n")\n  }\n}`],
  ["signal-id-type", `service s {\n  fn f(n: number) -> bool {\n    return signal(/*@E0212*/n, "go", 1)\n  }\n}`],
  ["signal-in-txn", `service s {\n  fn f(id: string) {\n    txn {\n      /*@E0606*/signal(id, "go", 1)\n    }\n  }\n}`],
  [
    "signal-via-call-in-txn",
    `service a {\n  fn g(id: string) { signal(id, "go", 1) }\n}\nservice b {\n  fn f(id: string) {\n    txn { /*@E0606*/call a.g(id) }\n  }\n}`,
  ],
  [
    "signal-in-txn-else",
    `service s {\n  fn f(id: string) {\n    txn { abort } else { signal(id, "go", 1) }\n    /*@W0002*/id == "x"\n  }\n}`,
  ],
  ["sleep-in-txn", `service s {\n  fn f() {\n    txn {\n      /*@E0607*/sleep 10\n    }\n  }\n}`],
  ["wait-in-txn", `service s {\n  fn f() {\n    txn {\n      let v = /*@E0607*/wait "v" as bool\n    }\n  }\n}`],
  ["sleep-via-inline-in-txn", `service s {\n  fn h() { sleep 10 }\n  fn g() { h() }\n  fn f() {\n    txn { /*@E0607*/g() }\n  }\n}`],
  ["sleep-via-call-in-txn", `service s {\n  fn g() { sleep 10 }\n  fn f() {\n    txn { /*@E0900*/call s.g() }\n  }\n}`],
  ["sleep-in-parallel", `service s {\n  fn g() { }\n  fn f() {\n    parallel {\n      /*@E0704*/sleep 10\n      call s.g()\n    }\n  }\n}`],
  [
    "wait-via-inline-in-parallel",
    `service s {\n  fn w() -> bool? { return wait "w" as bool }\n  fn f() {\n    parallel {\n      let a = /*@E0704*/w()\n      let b = 1\n    }\n  }\n}`,
  ],
  [
    "signal-in-parallel-ok",
    `service s {\n  fn f(id: string) {\n    parallel {\n      let a = signal(id, "a", 1)\n      let b = signal(id, "b", 2)\n    }\n    /*@W0002*/a == b\n  }\n}`,
  ],
  [
    "wait-reached-by-call",
    `service b {\n  fn g() -> number? { return h() }\n  fn h() -> number? { return wait "paid" as number }\n}\nservice a {\n  fn f() -> number? { return /*@E0900*/call b.g() }\n}`,
  ],
  [
    "sleep-reached-by-call-through-a-cycle",
    `service b {\n  fn g(n: number) { if n > 0 { h(n) } }\n  fn h(n: number) {\n    g(n - 1)\n    sleep n\n  }\n}\nservice a {\n  fn f() { /*@E0900*/call b.g(3) }\n}`,
  ],
  [
    "wait-reached-by-each-call",
    `service b {\n  fn g() { sleep 1 }\n}\nservice a {\n  fn f() {\n    /*@E0900*/call b.g()\n    spawn b.g()\n    /*@E0900*/call b.g()\n  }\n}`,
  ],

  // ---- warnings ------------------------------------------------------------------------
  ["unreachable-after-return", `service s {\n  fn f() -> number {\n    return 1\n    /*@W0001*/let x = 2\n  }\n}`],
  [
    "unreachable-after-if",
    `service s {\n  fn f(b: bool) -> number {\n    if b { return 1 } else { fail "no" }\n    /*@W0001*/return 2\n  }\n}`,
  ],
  ["unreachable-after-break", `service s {\n  fn f() {\n    while true {\n      break\n      /*@W0001*/let y = 1\n    }\n  }\n}`],
  ["no-effect", `service s {\n  fn f(n: number) {\n    /*@W0002*/n + 1\n  }\n}`],

  // ---- several errors in one program (no cascades) -------------------------------------
  [
    "many",
    `type H = { cap: number }\nservice s {\n  table hs: H\n  fn f(k: string) -> number {\n    let h = read hs[k]\n    let a = /*@E0107*/nope + 1\n    let b = a * 2\n    let c = h./*@E0201*/cap\n    return /*@E0206*/"x" + c\n  }\n}`,
  ],
];

for (const [name, src] of CASES) {
  test(`bad: ${name}`, () => {
    const r = run(name, src);
    const want = markers(src).map(key).sort();
    assert.ok(want.length > 0, `${name}: the case has no /*@CODE*/ marker`);
    const got = r.diagnostics.map((d) => key({ code: d.code, line: d.span.line, col: d.span.col })).sort();
    assert.equal(got, want, `${name}: ${r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join(" | ")}`);
    if (want.some((w) => w.startsWith("E"))) assert.is(r.ir, null, `${name}: no IR when there are errors`);
  });
}

test("corpus size and coverage", () => {
  assert.ok(CASES.length >= 50, `only ${CASES.length} cases`);
});

test.run();
