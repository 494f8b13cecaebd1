// Unit: durable waiting's front half (LANGUAGE.md §9, issue 14): `sleep e`, `wait "name" as T
// [timeout e]` and `signal(id, "name", v)` parsed (with their spans and the precedence around
// them), their syntax errors, their types, the IR nodes and step sites they become, the effects
// (`suspends`, read-only), and where they may stand (txn, parallel, reached by `call`).
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, printExpr, type Expr, type SourceFileAst, type Stmt } from "../grammar/index.js";
import { checkProgram } from "../compiler/check/index.js";
import type { IrExpr, IrFn, IrProgram, IrStmt } from "../compiler/ir.js";

const OPTS = { app: "t", appDir: "/app", codeVersion: "v" };

function parsed(text: string) {
  return parse({ path: "w.beldi", text });
}
/** The statements of the first fn of a program that is only `service s { fn f(...) ... }`. */
function body(text: string): Stmt[] {
  const p = parsed(text);
  assert.equal(p.diagnostics, [], JSON.stringify(p.diagnostics));
  const svc = p.file.decls[0]!;
  assert.ok(svc.kind === "service");
  return svc.fns[0]!.body.stmts;
}
const inFn = (stmts: string, params = "id: string") => `service s {\n  fn f(${params}) {\n    ${stmts}\n  }\n}`;
const initOf = (s: Stmt): Expr => {
  assert.ok(s.kind === "let", s.kind);
  return s.init;
};
const syntax = (text: string) =>
  parsed(text).diagnostics.map((d) => ({ code: d.code, at: `${d.span.line}:${d.span.col}`, message: d.message, hint: d.hint }));

function check(text: string) {
  const p = parsed(text);
  assert.equal(p.diagnostics, [], JSON.stringify(p.diagnostics));
  return checkProgram([p.file as SourceFileAst], OPTS);
}
function clean(text: string): IrProgram {
  const r = check(text);
  assert.equal(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`),
    [],
  );
  assert.ok(r.ir);
  return r.ir;
}
const errors = (text: string) =>
  check(text).diagnostics.map((d) => ({ code: d.code, at: `${d.span.line}:${d.span.col}`, message: d.message }));
const fnOf = (ir: IrProgram, key: string): IrFn => {
  const [svc, fn] = key.split(".");
  const f = ir.services.find((s) => s.name === svc)?.fns.find((x) => x.name === fn);
  assert.ok(f, key);
  return f;
};
const noSpans = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "span" ? undefined : v)));

// ---- parsing ---------------------------------------------------------------------------------

test("parse: sleep is a statement with the duration after it; its span covers both", () => {
  const [s] = body(inFn("sleep 60 * 1000"));
  assert.ok(s?.kind === "sleep");
  assert.is(printExpr(s.ms), "(* 60 1000)");
  assert.equal([s.span.line, s.span.col, s.span.endCol], [3, 5, 20]);
});

test("parse: wait's name, type and timeout; the span runs from `wait` to the timeout", () => {
  const [a, b, c] = body(
    inFn('let a = wait "paid" as Pay\n    let b = wait "x" as list<{ n: number? }> timeout ms * 2\n    let c = wait ("p") as map<string>'),
  );
  assert.is(printExpr(initOf(a!)), '(wait "paid" Pay)');
  assert.is(printExpr(initOf(b!)), '(wait "x" list<{n:number?}> timeout (* ms 2))');
  assert.is(printExpr(initOf(c!)), '(wait (paren "p") map<string>)');
  const w = initOf(b!);
  assert.equal([w.span.line, w.span.col, w.span.endLine, w.span.endCol], [4, 13, 4, 60]);
});

test("parse: operators after a wait apply to the whole wait (`??` after the type or the timeout), the timeout takes arithmetic", () => {
  const [a, b, c, d] = body(
    inFn(
      'let a = wait "x" as number ?? 0\n    let b = wait "x" as number timeout 5 * 60 + 1 ?? 7\n    let c = wait "x" as number? ?? 0\n    let d = !(wait "x" as bool timeout 1 == true)',
    ),
  );
  assert.is(printExpr(initOf(a!)), '(?? (wait "x" number) 0)');
  assert.is(printExpr(initOf(b!)), '(?? (wait "x" number timeout (+ (* 5 60) 1)) 7)');
  assert.is(printExpr(initOf(c!)), '(?? (wait "x" number?) 0)');
  assert.is(printExpr(initOf(d!)), '(! (paren (== (wait "x" bool timeout 1) true)))');
});

test("parse: signal is call-like, with any number of arguments (the checker counts them)", () => {
  const [a, b] = body(inFn('let a = signal(id, "paid", { n: 1 })\n    signal()'));
  assert.is(printExpr(initOf(a!)), '(signal id "paid" {n:1})');
  assert.ok(b?.kind === "expr" && b.expr.kind === "signal" && b.expr.args.length === 0);
});

test("parse: `timeout` and `as` stay names elsewhere; `timeout = e` on the line after a wait is an assignment", () => {
  const stmts = body(
    inFn('var timeout = 1\n    let as = timeout + 1\n    let w = wait "x" as number\n    timeout = as * 2\n    let r = { timeout, as }'),
  );
  assert.equal(
    stmts.map((s) => s.kind),
    ["let", "let", "let", "assign", "let"],
  );
  assert.is(printExpr(initOf(stmts[2]!)), '(wait "x" number)');
});

test("parse: sleep, wait and signal are reserved words (E0010 as names)", () => {
  for (const word of ["sleep", "wait", "signal"]) {
    const got = syntax(inFn(`let ${word} = 1`));
    assert.equal(
      got.map((d) => d.code),
      ["E0010"],
      word,
    );
  }
});

// ---- syntax errors ---------------------------------------------------------------------------

test("syntax: a wait without `as`, or without a type, says what to write; the rest of the fn still parses", () => {
  const noAs = syntax(inFn('let v = wait "paid"\n    return'));
  assert.equal(
    noAs.map((d) => [d.code, d.at]),
    [["E0001", "4:5"]],
  );
  assert.match(noAs[0]!.message, "expected `as` and the signal's value type after the name of `wait`, found the keyword `return`");
  assert.match(noAs[0]!.hint!, 'wait "paid" as T');
  const noType = syntax(inFn('let v = wait "paid" as\n    return'));
  assert.equal(
    noType.map((d) => [d.code, d.at]),
    [["E0001", "4:5"]],
  );
  assert.match(noType[0]!.message, "expected a type after `as`");
  // both: the statement after is kept
  const p = parsed(inFn('let v = wait "paid"\n    let w = 2'));
  const svc = p.file.decls[0]!;
  assert.ok(svc.kind === "service");
  assert.equal(
    svc.fns[0]!.body.stmts.map((s) => s.kind),
    ["let", "let"],
  );
});

test("syntax: sleep or timeout without a duration, signal without arguments", () => {
  const sleep = syntax(inFn("sleep\n  "));
  assert.is(sleep[0]!.code, "E0012");
  assert.match(sleep[0]!.message, "expected how long to sleep (milliseconds) after `sleep`");
  const timeout = syntax(inFn('let v = wait "x" as number timeout\n    return'));
  assert.is(timeout[0]!.code, "E0012");
  assert.match(timeout[0]!.message, "expected the timeout (milliseconds) after `timeout`");
  const signal = syntax(inFn("let ok = signal"));
  assert.is(signal[0]!.code, "E0001");
  assert.match(signal[0]!.message, "expected `(` and the arguments of `signal`");
  assert.match(signal[0]!.hint!, 'signal(instanceId, "name", value)');
});

test("syntax E0019: a wait's name is a string literal of 1 to 200 characters", () => {
  const unquoted = syntax(inFn("let v = wait paid as number"));
  assert.equal(
    unquoted.map((d) => [d.code, d.at]),
    [["E0019", "3:18"]],
  );
  assert.match(unquoted[0]!.hint!, 'wait "paid" as T');
  assert.equal(
    syntax(inFn('let v = wait "a" + id as number')).map((d) => d.code),
    ["E0019"],
  );
  assert.match(syntax(inFn('let v = wait "" as number'))[0]!.message, "cannot be empty");
  assert.match(syntax(inFn(`let v = wait "${"é".repeat(201)}" as number`))[0]!.message, "201 characters");
  assert.equal(syntax(inFn(`let v = wait "${"é".repeat(200)}" as number`)), []);
});

// ---- types and IR ----------------------------------------------------------------------------

const PROGRAM = `type Pay = { amount: number }
service s {
  fn f(id: string, ms: number) -> number {
    sleep ms * 2
    let p = wait "paid" as Pay timeout 1000
    let ok = signal(id, "go", p)
    let n = wait "n" as number ?? 0
    return n + (p?.amount ?? 0)
  }
}`;

test("types and IR: sleep, wait (T?, its value type as data) and signal (bool), each a site in source order", () => {
  const ir = clean(PROGRAM);
  const f = fnOf(ir, "s.f");
  assert.equal(
    f.sites.map((x) => `${x.id}:${x.op}`),
    ["s1:sleep", "s2:wait", "s3:signal", "s4:wait"],
  );
  const [sleep, p, ok, n] = f.body as IrStmt[];
  assert.equal(noSpans(sleep), {
    kind: "sleep",
    site: "s1",
    ms: {
      kind: "binary",
      op: "*",
      left: { kind: "local", name: "ms", type: { kind: "number" } },
      right: { kind: "lit", value: 2, type: { kind: "number" } },
      type: { kind: "number" },
    },
  });
  assert.ok(p?.kind === "let");
  assert.equal(p.type, { kind: "optional", inner: { kind: "named", name: "Pay" } });
  assert.equal(noSpans(p.init), {
    kind: "wait",
    site: "s2",
    name: "paid",
    valueType: { kind: "named", name: "Pay" },
    timeout: { kind: "lit", value: 1000, type: { kind: "number" } },
    type: { kind: "optional", inner: { kind: "named", name: "Pay" } },
  });
  assert.ok(ok?.kind === "let");
  assert.equal(noSpans(ok.init), {
    kind: "signal",
    site: "s3",
    instance: { kind: "local", name: "id", type: { kind: "string" } },
    name: { kind: "lit", value: "go", type: { kind: "string" } },
    value: { kind: "local", name: "p", type: { kind: "optional", inner: { kind: "named", name: "Pay" } } },
    type: { kind: "bool" },
  });
  assert.ok(n?.kind === "let" && n.init.kind === "binary");
  const w = n.init.left as IrExpr;
  assert.ok(w.kind === "wait");
  assert.is(w.timeout, null);
  assert.equal(w.type, { kind: "optional", inner: { kind: "number" } });
  // spans: the sleep statement, the wait expression
  assert.equal([sleep!.span.line, sleep!.span.col], [4, 5]);
  assert.equal([p.init.span.line, p.init.span.col, p.init.span.endCol], [5, 13, 44]);
});

test("types: sleep and timeout take numbers, signal's id and name strings; wait for an optional type is E0226", () => {
  const bad = errors(`service s {
  fn f(id: string) {
    sleep "1s"
    let a = wait "a" as number timeout id
    let b = signal(1, 2, 3)
    let c = signal(id, "x")
    let d = wait "d" as number?
    let e: string? = wait "e" as null
    let g: number = wait "g" as number
  }
}`);
  assert.equal(
    bad.map((d) => `${d.code} ${d.at}`),
    ["E0200 3:11", "E0200 4:40", "E0212 5:20", "E0212 5:23", "E0211 6:13", "E0226 7:25", "E0226 8:34", "E0200 9:21"],
  );
  assert.match(bad[0]!.message, "the duration of `sleep` (milliseconds) must be `number`, not `string`");
  assert.match(bad[4]!.message, "`signal` takes 3 arguments, but 2 were given");
  assert.match(bad[5]!.message, "already optional");
  assert.match(bad[7]!.message, "must be `number`, not `number?`");
});

test("types: a wait's type may be any written type, `any` and named types included; an unknown one is E0104", () => {
  clean(`type R = { a: list<map<string>> }
service s {
  fn f() {
    let a = wait "a" as any
    let b = wait "b" as R
    let c = wait "c" as list<{ x: number, y?: string }>
  }
}`);
  assert.equal(
    errors(inFn('let v = wait "v" as Nope')).map((d) => d.code),
    ["E0104"],
  );
});

// ---- effects -----------------------------------------------------------------------------------

test("effects: suspends where a fn sleeps or waits itself or through inline calls, absent elsewhere; none of them is read-only, nor a fn that signals", () => {
  const ir = clean(`service s {
  fn entry() { helper() }
  fn helper() { sleep 10 }
  fn waits() -> bool? { return wait "w" as bool }
  fn signals(id: string) -> bool { return signal(id, "x", 1) }
  fn viaInline(id: string) -> bool { return signals(id) }
  fn calls(id: string) -> bool { return call s.signals(id) }
  fn pure(n: number) -> number { return n + 1 }
}`);
  const eff = (k: string) => fnOf(ir, `s.${k}`).effects;
  const ro = (k: string) => fnOf(ir, `s.${k}`).readOnly;
  assert.is(eff("entry").suspends, true);
  assert.is(eff("helper").suspends, true);
  assert.is(eff("waits").suspends, true);
  assert.ok(!("suspends" in eff("signals")), "absent, not false: an older program's IR is unchanged");
  assert.ok(!("suspends" in eff("pure")));
  assert.equal(["entry", "helper", "waits", "signals", "viaInline", "calls", "pure"].map(ro), [
    false,
    false,
    false,
    false,
    false,
    false,
    true,
  ]);
  assert.equal(fnOf(ir, "s.entry").sites, [{ id: "s1", op: "inline", span: fnOf(ir, "s.entry").sites[0]!.span, target: "helper" }]);
});

// ---- where they may stand --------------------------------------------------------------------

test("placement E0900: a call that reaches a sleep or wait, directly or through inline calls, names the path", () => {
  const got = errors(`service b {
  fn g() -> number? { return h() }
  fn h() -> number? { return k() }
  fn k() -> number? { return wait "paid" as number }
  fn z() { sleep 5 }
}
service a {
  fn f() -> number? { return call b.g() }
  fn y() { call b.z() }
  fn x() { spawn b.z() }
}`);
  assert.equal(
    got.map((d) => `${d.code} ${d.at}`),
    ["E0900 8:30", "E0900 9:12"],
  );
  assert.match(got[0]!.message, 'a.f → call b.g → inline h → inline k: `wait "paid"` (w.beldi:4:30)');
  assert.match(got[1]!.message, "a.y → call b.z: `sleep` (w.beldi:5:12)");
});

test("placement: a call of a fn of the same service that sleeps is refused too; spawning it and inlining it from an entry fn are fine", () => {
  assert.equal(
    errors(`service s {
  fn g() { sleep 1 }
  fn f() { call s.g() }
  fn e() { g()  spawn s.g() }
}`).map((d) => `${d.code} ${d.at}`),
    ["E0900 3:12"],
  );
});

test("placement E0607/E0606: sleep, wait or signal in a txn body, written there or reached (inline for sleep/wait, any call for signal)", () => {
  const got = errors(`service s {
  fn sl() { sleep 1 }
  fn sg(id: string) { let ok = signal(id, "n", 1) }
  fn f(id: string) {
    txn {
      sleep 1
      let v = wait "v" as number
      let ok = signal(id, "n", 1)
      sl()
      sg(id)
      call s.sg(id)
    } else {
      sleep 1
      let ok2 = signal(id, "n", 2)
    }
  }
}`);
  assert.equal(
    got.map((d) => `${d.code} ${d.at}`),
    ["E0607 6:7", "E0607 7:15", "E0606 8:16", "E0607 9:7", "E0606 10:7", "E0606 11:7"],
  );
  assert.match(got[3]!.message, "`txn` reaches `sleep`: s.f → inline sl: `sleep` (w.beldi:2:13)");
  assert.match(got[5]!.message, "through call s.sg (w.beldi:3:32)");
});

test("placement E0704: sleep or wait in a parallel branch, written there or inlined; signal is allowed there", () => {
  const got = errors(`service s {
  fn w() -> number? { return wait "w" as number }
  fn f(id: string) {
    parallel {
      sleep 1
      let a = w()
      let b = signal(id, "n", 1)
      if true { let c = wait "c" as number }
    }
  }
}`);
  assert.equal(
    got.map((d) => `${d.code} ${d.at}`),
    ["E0704 5:7", "E0704 6:15", "E0704 8:25"],
  );
  assert.match(got[1]!.message, 'a `parallel` branch reaches `wait "w"`: s.f → inline w');
});

test("the fixture app (test/fixtures/waiting) checks clean: entry, inlined, spawned and read-only fns", () => {
  const text = readFileSync(new URL("./fixtures/waiting/waiting.beldi", import.meta.url), "utf8");
  const p = parse({ path: "waiting.beldi", text });
  assert.equal(p.diagnostics, []);
  const r = checkProgram([p.file], OPTS);
  assert.equal(r.diagnostics, []);
  assert.equal([...r.readOnly].sort(), ["payments.quote"]);
});

test.run();
