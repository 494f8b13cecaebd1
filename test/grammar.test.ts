// Parser: every construct of LANGUAGE.md parses to the expected AST, with spans.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  parse,
  printExpr as sx,
  printType as tx,
  type Expr,
  type FnDecl,
  type ServiceDecl,
  type SourceFileAst,
  type Stmt,
} from "../grammar/index.js";
import { TRAVEL } from "./travel-spec.js";

// ---- helpers --------------------------------------------------------------------------------

function ok(text: string): SourceFileAst {
  const r = parse({ path: "t.beldi", text });
  assert.equal(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`),
    [],
    "expected no diagnostics",
  );
  return r.file;
}
/** `service s { fn f() { body } }`, body from line 3 */
function inFn(body: string): string {
  return `service s {\n  fn f() {\n${body}\n  }\n}\n`;
}
function services(file: SourceFileAst): ServiceDecl[] {
  return file.decls.filter((d): d is ServiceDecl => d.kind === "service");
}
function firstFn(file: SourceFileAst): FnDecl {
  const fn = services(file)[0]?.fns[0];
  assert.ok(fn, "no fn");
  return fn;
}
function stmts(body: string): Stmt[] {
  return firstFn(ok(inFn(body))).body.stmts;
}
function stmt<K extends Stmt["kind"]>(body: string, kind: K): Extract<Stmt, { kind: K }> {
  const s = stmts(body)[0];
  assert.ok(s, "no statement");
  assert.is(s.kind, kind);
  return s as Extract<Stmt, { kind: K }>;
}
function expr(src: string): Expr {
  const s = stmt(`return ${src}`, "return");
  assert.ok(s.value, "return without value");
  return s.value;
}
function at(n: { span: { line: number; col: number; endLine: number; endCol: number } }): string {
  return `${n.span.line}:${n.span.col}-${n.span.endLine}:${n.span.endCol}`;
}

// ---- the travel example ---------------------------------------------------------------------

test("the travel example of LANGUAGE.md §1 parses with no diagnostics", () => {
  const file = ok(TRAVEL);
  assert.is(file.path, "t.beldi");
  assert.equal(
    file.decls.map((d) => `${d.kind} ${d.name.name}`),
    ["type Hotel", "type Flight", "type Order", "service hotel", "service flight", "service order", "service frontend"],
  );
  const [hotel, flight, order, frontend] = services(file) as [ServiceDecl, ServiceDecl, ServiceDecl, ServiceDecl];
  assert.equal(
    hotel.tables.map((t) => `${t.name.name}: ${tx(t.type)}`),
    ["hotels: Hotel"],
  );
  const reserve = hotel.fns[0] as FnDecl;
  assert.equal(
    reserve.body.stmts.map((s) => s.kind),
    ["let", "if", "expr", "return"],
  );
  assert.is(at(reserve), "9:3-14:4");
  assert.is(at(reserve.body), "9:34-14:4");
  assert.is(at(hotel), "6:1-15:2");
  const upd = reserve.body.stmts[2] as Extract<Stmt, { kind: "expr" }>;
  assert.is(sx(upd.expr), "(update hotels id cap=(- cap 1))");
  assert.is(at(upd), "12:5-12:40");

  const okLet = (flight.fns[0] as FnDecl).body.stmts[0] as Extract<Stmt, { kind: "let" }>;
  assert.is(sx(okLet.init), "(update flights id cap=(- cap 1) where (> cap 0))");

  const write = (order.fns[0] as FnDecl).body.stmts[1] as Extract<Stmt, { kind: "write" }>;
  assert.is(write.kind, "write");
  assert.is(sx(write.value), "{user hotel flight at:(call now)}");

  const fr = frontend.fns[0] as FnDecl;
  assert.equal(
    fr.body.stmts.map((s) => s.kind),
    ["txn", "expr", "return"],
  );
  const txn = fr.body.stmts[0] as Extract<Stmt, { kind: "txn" }>;
  assert.ok(txn.else);
  const firstIf = txn.body.stmts[0] as Extract<Stmt, { kind: "if" }>;
  assert.is(sx(firstIf.cond), "(! (call hotel.reserve hotel))");
  assert.equal(
    firstIf.then.stmts.map((s) => s.kind),
    ["abort"],
  );
  const spawn = fr.body.stmts[1] as Extract<Stmt, { kind: "expr" }>;
  assert.is(sx(spawn.expr), "(spawn order.place user hotel flight)");
});

test("spans: 1-based lines/cols, end just past the last character, 0-based offsets", () => {
  const text = "type A = number\ntype Bee = list<string>?\n";
  const file = ok(text);
  const [a, b] = file.decls as [
    Extract<(typeof file.decls)[number], { kind: "type" }>,
    Extract<(typeof file.decls)[number], { kind: "type" }>,
  ];
  assert.equal(a.span, { file: "t.beldi", line: 1, col: 1, endLine: 1, endCol: 16, offset: 0, endOffset: 15 });
  assert.equal(a.name.span, { file: "t.beldi", line: 1, col: 6, endLine: 1, endCol: 7, offset: 5, endOffset: 6 });
  assert.is(at(b), "2:1-2:25");
  assert.is(text.slice(b.type.span.offset, b.type.span.endOffset), "list<string>?");
  assert.is(b.type.kind, "optional");
  // multi-line spans, \r\n line ends
  const crlf = "service s {\r\n  fn f() {\r\n    return 1 +\r\n      2\r\n  }\r\n}\r\n";
  const ret = firstFn(ok(crlf)).body.stmts[0] as Extract<Stmt, { kind: "return" }>;
  assert.is(at(ret), "3:5-4:8");
  assert.is(crlf.slice(ret.span.offset, ret.span.endOffset), "return 1 +\r\n      2");
});

// ---- declarations and types -----------------------------------------------------------------

test("declarations in any order; extern with and without a result", () => {
  const file = ok(`
service s { fn f() { } }
extern fn nearest(ps: list<Point>, lat: number, lon: number, k: number) -> list<string> from "./geo.ts"
type Point = { lat: number, lon: number }
extern fn ping() from "./ping.ts"
`);
  assert.equal(
    file.decls.map((d) => d.kind),
    ["service", "extern", "type", "extern"],
  );
  const ext = file.decls[1] as Extract<(typeof file.decls)[number], { kind: "extern" }>;
  assert.is(ext.name.name, "nearest");
  assert.equal(
    ext.params.map((p) => `${p.name.name}: ${tx(p.type)}`),
    ["ps: list<Point>", "lat: number", "lon: number", "k: number"],
  );
  assert.is(tx(ext.result), "list<string>");
  assert.equal(ext.from.value, "./geo.ts");
  assert.is(at(ext.from), "3:94-3:104");
  assert.is(at(ext), "3:1-3:104");
  const ping = file.decls[3] as Extract<(typeof file.decls)[number], { kind: "extern" }>;
  assert.is(ping.result, null);
  assert.equal(ping.params, []);
});

test("types: names, list, map, records (optional fields, trailing comma), optional", () => {
  const file = ok(`
type A = string
type B = number?
type C = list<map<bool>>
type D = { f: string, g?: number, h: { x: any }?, }
type E = {}
type F = null
type G = list<Point?>?
`);
  const types = file.decls.map((d) => (d.kind === "type" ? tx(d.type) : ""));
  assert.equal(types, ["string", "number?", "list<map<bool>>", "{f:string,g?:number,h:{x:any}?}", "{}", "null", "list<Point?>?"]);
  const d = file.decls[3] as Extract<(typeof file.decls)[number], { kind: "type" }>;
  assert.is(d.type.kind, "record");
  if (d.type.kind === "record") {
    assert.equal(
      d.type.fields.map((f) => f.optional),
      [false, true, false],
    );
    assert.is(at(d.type.fields[1] as { span: typeof d.span }), "5:23-5:33");
  }
});

test("service: tables and fns, params with trailing comma, no result", () => {
  const file = ok(`service s {
  table items: { n: number }
  table counts: map<number>;
  fn a(x: number, y: string,) -> any { }
  fn b() { }
}`);
  const s = services(file)[0] as ServiceDecl;
  assert.equal(
    s.tables.map((t) => t.name.name),
    ["items", "counts"],
  );
  assert.equal(
    s.fns.map((f) => f.name.name),
    ["a", "b"],
  );
  assert.equal(
    (s.fns[0] as FnDecl).params.map((p) => p.name.name),
    ["x", "y"],
  );
  assert.is(tx((s.fns[0] as FnDecl).result), "any");
  assert.is((s.fns[1] as FnDecl).result, null);
  assert.is(at(s.tables[1] as { span: typeof s.span }), "3:3-3:28");
});

// ---- statements -----------------------------------------------------------------------------

test("let / var with and without a type; assignment", () => {
  const [a, b, c, d] = stmts("let x = 1\nlet y: number? = null\nvar z = 2\nz = z + 1");
  assert.ok(a?.kind === "let" && !a.mutable && a.type === null && sx(a.init) === "1");
  assert.ok(b?.kind === "let" && !b.mutable && tx(b.type) === "number?" && sx(b.init) === "null");
  assert.ok(c?.kind === "let" && c.mutable);
  assert.ok(d?.kind === "assign" && d.target.name === "z" && sx(d.value) === "(+ z 1)");
  assert.is(at(a), "3:1-3:10");
  assert.is(at(d), "6:1-6:10");
  assert.is(at((d as Extract<Stmt, { kind: "assign" }>).target), "6:1-6:2");
});

test("if / else if / else: an else-if is an if alone in the else block", () => {
  const s = stmt("if a { x() } else if b { y() } else if c { } else { z() }", "if");
  assert.is(sx(s.cond), "a");
  assert.is(s.then.stmts.length, 1);
  const e1 = s.else;
  assert.ok(e1 && e1.stmts.length === 1);
  const if2 = e1.stmts[0] as Extract<Stmt, { kind: "if" }>;
  assert.is(if2.kind, "if");
  assert.is(sx(if2.cond), "b");
  assert.is(at(e1), at(if2));
  assert.is(at(if2), "3:19-3:58");
  const if3 = if2.else?.stmts[0] as Extract<Stmt, { kind: "if" }>;
  assert.is(if3.kind, "if");
  assert.is(sx(if3.cond), "c");
  assert.equal(
    if3.else?.stmts.map((x) => x.kind),
    ["expr"],
  );
  assert.is(at(s), "3:1-3:58");
  const plain = stmt("if a { }", "if");
  assert.is(plain.else, null);
});

test("for over a list and over a map; while; break; continue", () => {
  const [f1, f2, w] = stmts("for x in xs { break }\nfor k, v in m { continue }\nwhile n < 3 { n = n + 1 }");
  assert.ok(f1?.kind === "for" && f1.key === null && f1.value.name === "x" && sx(f1.iter) === "xs");
  assert.equal(
    f1.body.stmts.map((s) => s.kind),
    ["break"],
  );
  assert.ok(f2?.kind === "for" && f2.key?.name === "k" && f2.value.name === "v" && sx(f2.iter) === "m");
  assert.equal(
    f2.body.stmts.map((s) => s.kind),
    ["continue"],
  );
  assert.ok(w?.kind === "while" && sx(w.cond) === "(< n 3)");
  assert.is(at(f2), "4:1-4:27");
});

test("return with and without a value; fail", () => {
  const [r1, r2, r3, r4] = stmts('return\n  1 + 2\nif a { return }\nfail "no: " + x\nreturn');
  // `return` followed by a line that starts an expression takes it as its value
  assert.ok(r1?.kind === "return");
  assert.is(sx(r1.value), "(+ 1 2)");
  assert.ok(r2?.kind === "if" && r2.then.stmts[0]?.kind === "return");
  assert.is((r2.then.stmts[0] as Extract<Stmt, { kind: "return" }>).value, null);
  assert.ok(r3?.kind === "fail" && sx(r3.message) === '(+ "no: " x)');
  assert.ok(r4?.kind === "return" && r4.value === null);
  assert.is(at(r4), "7:1-7:7");
  // a keyword that cannot start an expression ends the `return`
  const two = stmts("return\nreturn 1");
  assert.equal(
    two.map((s) => (s.kind === "return" ? sx(s.value) : s.kind)),
    ["_", "1"],
  );
  const semi = stmts("return; x()");
  assert.equal(
    semi.map((s) => s.kind),
    ["return", "expr"],
  );
  assert.is((semi[0] as Extract<Stmt, { kind: "return" }>).value, null);
});

test("write, update (plain and with where), delete", () => {
  const [w, u, d] = stmts(
    'write t[k] = { a: 1 }\nupdate t[k + "x"] set n = n + 1, xs = xs + [e] where exists(n) && len(xs) < 3\ndelete t[k]',
  );
  assert.ok(w?.kind === "write" && w.table.name === "t" && sx(w.key) === "k" && sx(w.value) === "{a:1}");
  assert.ok(u?.kind === "expr" && u.expr.kind === "update");
  assert.is(sx(u.expr), '(update t (+ k "x") n=(+ n 1),xs=(+ xs [e]) where (&& (call exists n) (< (call len xs) 3)))');
  if (u.expr.kind === "update") {
    assert.equal(
      u.expr.sets.map((s) => at(s)),
      ["4:23-4:32", "4:34-4:47"],
    );
    assert.is(at(u.expr.table), "4:8-4:9");
  }
  assert.ok(d?.kind === "delete" && d.table.name === "t" && sx(d.key) === "k");
  assert.is(at(d), "5:1-5:12");
});

test("update may stand as a statement, let/var/= value, return value, if/while condition", () => {
  const ss = stmts(
    [
      "update t[k] set n = 1",
      "let a = update t[k] set n = 1 where n > 0",
      "var b = update t[k] set n = 1 where n > 0",
      "b = update t[k] set n = 2 where n > 1",
      "if update t[k] set n = 0 where n > 5 { }",
      "while update t[k] set n = n - 1 where n > 0 { }",
      "return update t[k] set n = 1 where !exists(n)",
    ].join("\n"),
  );
  assert.equal(
    ss.map((s) => s.kind),
    ["expr", "let", "let", "assign", "if", "while", "return"],
  );
});

test("txn with and without else; abort; parallel branches", () => {
  const [t1, t2, par] = stmts(
    "txn { abort }\ntxn { x() } else { y() }\nparallel {\n  let a = call s.f(1)\n  let b = spawn s.g()\n  h(a)\n}",
  );
  assert.ok(t1?.kind === "txn" && t1.else === null && t1.body.stmts[0]?.kind === "abort");
  assert.ok(t2?.kind === "txn" && t2.else?.stmts.length === 1);
  assert.ok(par?.kind === "parallel");
  assert.equal(
    par.branches.map((b) => b.kind),
    ["let", "let", "expr"],
  );
  assert.is(at(par), "5:1-9:2");
});

test("expression statements and `;` between and after statements", () => {
  const ss = stmts("f(); g();; h()\n;call s.f(); spawn s.g()");
  assert.equal(
    ss.map((s) => (s.kind === "expr" ? sx(s.expr) : s.kind)),
    ["(call f)", "(call g)", "(call h)", "(call s.f)", "(spawn s.g)"],
  );
  assert.equal(stmts(";"), []);
});

// ---- expressions ----------------------------------------------------------------------------

test("literals", () => {
  assert.is(sx(expr("12")), "12");
  assert.is(sx(expr("1.5")), "1.5");
  assert.is(sx(expr("1e3")), "1000");
  assert.is(sx(expr("1e-3")), "0.001");
  assert.is(sx(expr("2.5E+4")), "25000");
  assert.is(sx(expr("true")), "true");
  assert.is(sx(expr("false")), "false");
  assert.is(sx(expr("null")), "null");
  assert.is(sx(expr('"hi"')), '"hi"');
  assert.is(sx(expr("[]")), "[]");
  assert.is(sx(expr("[1, 2,]")), "[1 2]");
  assert.is(sx(expr("{}")), "{}");
  assert.is(sx(expr("{ a: 1, b, }")), "{a:1 b}");
  const rec = expr("{ a: 1, b }");
  assert.ok(rec.kind === "record" && rec.fields[1]?.value === null);
  assert.is(at(rec), "3:8-3:19");
});

test("string escapes", () => {
  const s = expr('"a\\nb\\tc\\"d\\\\e\\u{1F600}\\u{41}"');
  assert.ok(s.kind === "string");
  assert.is(s.value, 'a\nb\tc"d\\e\u{1F600}A');
  const raw = expr('"tab\there é 😀"');
  assert.ok(raw.kind === "string" && raw.value === "tab\there é 😀");
});

test("names, field access, indexing, calls, chained postfix", () => {
  assert.is(sx(expr("r.xs[0].foo(1)(2)")), "(call (call (. (idx (. r xs) 0) foo) 1) 2)");
  assert.is(sx(expr("f()")), "(call f)");
  assert.is(sx(expr("f(a, b,)")), "(call f a b)");
  const e = expr("r.f");
  assert.ok(e.kind === "field");
  assert.is(at(e.name), "3:10-3:11");
});

test("read, scan, call, spawn are primaries", () => {
  assert.is(sx(expr("read t[k]")), "(read t k)");
  assert.is(sx(expr("(read t[k]) ?? d")), "(?? (paren (read t k)) d)");
  assert.is(sx(expr("read t[k].cap")), "(. (read t k) cap)");
  assert.is(sx(expr("scan t")), "(scan t)");
  assert.is(sx(expr("!call s.f(x)")), "(! (call s.f x))");
  assert.is(sx(expr("spawn s.f(x, y)")), "(spawn s.f x y)");
  assert.is(sx(expr("call s.f().a")), "(. (call s.f) a)");
});

test("precedence, tightest first", () => {
  const cases: [string, string][] = [
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a - b / c % d", "(- a (% (/ b c) d))"],
    ["-a * b", "(* (- a) b)"],
    ["!a && b", "(&& (! a) b)"],
    ["-a.b", "(- (. a b))"],
    ["!f(x)", "(! (call f x))"],
    ["a + b < c * d", "(< (+ a b) (* c d))"],
    ["a < b == c >= d", "(== (< a b) (>= c d))"],
    ["a == b && c != d", "(&& (== a b) (!= c d))"],
    ["a || b && c", "(|| a (&& b c))"],
    ["a && b || c", "(|| (&& a b) c)"],
    ["a ?? b || c", "(?? a (|| b c))"],
    ["a || b ?? c", "(?? (|| a b) c)"],
    ["x == null || x.n <= 0", "(|| (== x null) (<= (. x n) 0))"],
    ["!!a", "(! (! a))"],
    ["- -a", "(- (- a))"],
    ["(a + b) * c", "(* (paren (+ a b)) c)"],
  ];
  for (const [src, want] of cases) assert.is(sx(expr(src)), want, src);
});

test("binary operators are left-associative", () => {
  assert.is(sx(expr("a - b - c")), "(- (- a b) c)");
  assert.is(sx(expr("a / b * c")), "(* (/ a b) c)");
  assert.is(sx(expr("a ?? b ?? c")), "(?? (?? a b) c)");
  assert.is(sx(expr("a && b && c")), "(&& (&& a b) c)");
  assert.is(sx(expr("a || b || c")), "(|| (|| a b) c)");
  assert.is(sx(expr("(a < b) < c")), "(< (paren (< a b)) c)");
  const e = expr("a - b - c");
  assert.is(at(e), "3:8-3:17");
  assert.ok(e.kind === "binary");
  assert.is(at(e.left), "3:8-3:13");
});

test("an expression continues across line breaks", () => {
  const [a, b, c] = stmts("let x = a\n  + b\nlet y = f\n(1)\nlet z = a\n-1");
  assert.ok(a?.kind === "let" && sx(a.init) === "(+ a b)");
  assert.ok(b?.kind === "let" && sx(b.init) === "(call f 1)");
  assert.ok(c?.kind === "let" && sx(c.init) === "(- a 1)");
  assert.is(stmts("let x = [1,\n2]\nx\n.foo").length, 2);
});

test("comments: line and block, anywhere whitespace may be", () => {
  const file = ok(`// leading
type /* inline */ A = /* multi
line */ number // trailing
/**/ service s { fn f() { return 1 /* c */ + // c
  2 } }`);
  assert.is(file.decls.length, 2);
  assert.is(sx((firstFn(file).body.stmts[0] as Extract<Stmt, { kind: "return" }>).value), "(+ 1 2)");
  ok("");
  ok("// only a comment");
  ok("/* only a comment */");
  ok("\uFEFFtype A = number");
});

test("contextual words are names outside their constructs", () => {
  const ss = stmts(
    [
      "let set = 1",
      "let in = 2",
      "let where = 3",
      "let from = 4",
      "let exists = 5",
      "set = in + where",
      "for in in from { }",
      "let r = { set: 1, where, from: exists(x) }",
      "let q = r.set + r.where",
      "update t[k] set set = set + 1, where = 2 where where > in",
    ].join("\n"),
  );
  assert.equal(
    ss.map((s) => s.kind),
    ["let", "let", "let", "let", "let", "assign", "for", "let", "let", "expr"],
  );
  const f = ss[6] as Extract<Stmt, { kind: "for" }>;
  assert.is(f.value.name, "in");
  assert.is(sx(f.iter), "from");
  const u = ss[9] as Extract<Stmt, { kind: "expr" }>;
  assert.is(sx(u.expr), "(update t k set=(+ set 1),where=2 where (> where in))");
  const file = ok('type from = { set: number }\nextern fn where(in: from) -> from from "./x.ts"\nservice set { table where: from }');
  assert.equal(
    file.decls.map((d) => d.name.name),
    ["from", "where", "set"],
  );
  // builtin names are ordinary names
  assert.is(sx(expr("len(keys(m)) + now()")), "(+ (call len (call keys m)) (call now))");
});

test("§9: abort with a reason; txn else (r) names it; spans", () => {
  const [t1, t2, t3] = stmts('txn { abort "no: " + k }\ntxn { abort } else (r) { f(r) }\ntxn { abort\n} else { }');
  assert.ok(t1?.kind === "txn" && t1.reason === null);
  const a1 = t1.body.stmts[0];
  assert.ok(a1?.kind === "abort" && a1.reason !== null);
  assert.is(sx(a1.reason), '(+ "no: " k)');
  assert.is(at(a1), "3:7-3:23");
  assert.ok(t2?.kind === "txn" && t2.reason?.name === "r");
  assert.is(at(t2.reason), "4:21-4:22");
  assert.ok(t2.body.stmts[0]?.kind === "abort" && t2.body.stmts[0].reason === null);
  assert.ok(t3?.kind === "txn" && t3.reason === null && t3.else !== null);
  // like `return`, the value is on the same statement; a bare `abort` before `}` stays bare
  assert.ok(t3.body.stmts[0]?.kind === "abort" && t3.body.stmts[0].reason === null);
});

test("§9: a?.f is one suffix; chains and ?? after it", () => {
  const e = expr("a?.b.c ?? (read t[k])?.total ?? 0");
  assert.is(sx(e), "(?? (?? (. (?. a b) c) (?. (paren (read t k)) total)) 0)");
  const f = expr("x?.y") as Extract<Expr, { kind: "field" }>;
  assert.is(f.nullSafe, true);
  assert.is(at(f), "3:8-3:12");
  assert.ok(!("nullSafe" in (expr("x.y") as object)));
  // a `?` type and `??` still lex as before
  assert.is(tx(firstFn(ok("service s { fn f(a: { b?: number }?) { } }")).params[0]!.type), "{b?:number}?");
});

test("§9: update T[k] as s set ... where ...; `as` is a name elsewhere", () => {
  const u = expr("update stock[sku] as s set qty = s.qty - qty where s.qty >= qty") as Extract<Expr, { kind: "update" }>;
  assert.is(u.alias?.name, "s");
  assert.is(sx(u), "(update stock sku as s qty=(- (. s qty) qty) where (>= (. s qty) qty))");
  assert.is(at(u.alias!), "3:29-3:30");
  assert.is((expr("update t[k] set n = 1 where n > 0") as Extract<Expr, { kind: "update" }>).alias, null);
  const ss = stmts("let as = 1\nas = as + 1\nlet r = { as: as.as }\nupdate t[as] as as set as = as.as + 1");
  assert.equal(
    ss.map((s) => s.kind),
    ["let", "assign", "let", "expr"],
  );
  assert.is(sx((ss[3] as Extract<Stmt, { kind: "expr" }>).expr), "(update t as as as as=(+ (. as as) 1))");
  assert.equal(
    firstFn(ok("service s { fn as(as: string) { } }")).params.map((p) => p.name.name),
    ["as"],
  );
});

test("parse never throws on odd input and keeps the path", () => {
  for (const text of ["", "   \n\t", "}", "{{{", "\u0000", '"', "/*", "type", "service s {", "fn"]) {
    const r = parse({ path: "odd.beldi", text });
    assert.is(r.file.path, "odd.beldi");
    assert.ok(Array.isArray(r.diagnostics));
  }
});

test.run();
