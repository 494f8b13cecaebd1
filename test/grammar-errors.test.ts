// Parser diagnostics: each syntax code, its position and wording; many errors in one run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, printExpr as sx, SYNTAX, type Diagnostic, type ServiceDecl, type Stmt } from "../grammar/index.js";

function diags(text: string): Diagnostic[] {
  return parse({ path: "bad.beldi", text }).diagnostics;
}
/** `CODE line:col` of every diagnostic */
function codes(text: string): string[] {
  return diags(text).map((d) => `${d.code} ${d.span.line}:${d.span.col}`);
}
/** `service s { fn f() { body } }`, body from line 3 */
function inFn(body: string): string {
  return `service s {\n  fn f() {\n${body}\n  }\n}\n`;
}
function only(text: string): Diagnostic {
  const ds = diags(text);
  assert.is(ds.length, 1, ds.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`).join("\n"));
  return ds[0] as Diagnostic;
}

test("E0001 unexpected token: says what was expected and what was found", () => {
  const d = only(inFn("let x 1"));
  assert.is(d.code, "E0001");
  assert.is(`${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol}`, "3:7-3:8");
  assert.is(d.message, "expected `=` and a value after `x`, found the number `1`");
  assert.ok(d.hint);
  assert.equal(codes(inFn("for (x in xs) { }")), ["E0001 3:5", "E0001 3:13"]);
  assert.is(only(inFn("if a { } else return")).message, "expected `{` to start the `else` block, found the keyword `return`");
  assert.is(
    only("extern fn f(x: number) -> number\ntype T = number").message,
    'expected `from "./file.ts"` after the extern\'s signature, found the keyword `type`',
  );
  assert.is(only("type = number").message, "expected the type's name after `type`, found `=`");
  assert.is(only("type A = 3").message, "expected a type after `=`, found the number `3`");
  assert.is(only(inFn("call s(1)")).message, "expected `.` and a fn name after the service name, found `(`");
  assert.is(only(inFn("update t[k] n = 1")).message, "expected `set` after the key of `update`, found `n`");
  // a `=` in a condition: reported once, and the rest parses
  const eq = only(inFn("if x = 1 { return }"));
  assert.is(eq.message, "expected `{` to start the body of the `if`, found `=`");
  assert.match(eq.hint ?? "", "`==`");
  // a forgotten `->`
  assert.equal(codes("service s {\n  fn f() string { }\n}"), ["E0001 2:10"]);
  assert.is(only("service s {\n  fn f() string { }\n}").message, "expected `->` before the result type, found `string`");
  // a missing result type after `->`: `{` still opens the body
  assert.equal(codes('service s {\n  fn f() -> {\n    let x = 1\n  }\n  fn g() -> { a: number } { }\n}\nextern fn e() -> from "./e.ts"'), [
    "E0001 2:13",
    "E0001 7:18",
  ]);
  assert.is(diags("service s {\n  fn f() -> {\n  }\n}")[0]?.message, "expected the result type after `->`, found `{`");
  // commas
  assert.equal(codes(inFn("f(1 2)\nlet r = { a: 1\n  b: 2 }\nlet l = [, 1,, 2,]")), ["E0001 3:5", "E0001 5:3", "E0001 6:10", "E0001 6:14"]);
  assert.is(diags(inFn("f(1 2)"))[0]?.message, "expected `,` between two arguments, found the number `2`");
  // stray tokens: one diagnostic per run
  assert.equal(codes(inFn("let x = 1 ) ] ,\nlet y = 2")), ["E0001 3:11"]);
  assert.is(diags(inFn("let x = 1 ) ] ,"))[0]?.message, "expected a statement, found `)`");
  // a block alone
  assert.is(only(inFn("{ let x = 1 }")).message, "a `{ ... }` block cannot stand on its own");
});

test("E0002 missing closing bracket, with where it was opened", () => {
  const d = only(inFn("g(1, 2 {\n}"));
  assert.is(d.code, "E0002");
  assert.is(`${d.span.line}:${d.span.col}`, "3:8");
  assert.is(d.message, "expected `)` to close the argument list (opened at 3:2), found `{`");
  const eof = only("service s {\n  fn f() {\n    let x = (1 + 2\n");
  assert.is(eof.code, "E0002");
  assert.is(eof.message, "expected `)` to close the parenthesized expression (opened at 3:13), found the end of the file");
  assert.is(`${eof.span.line}:${eof.span.col}`, "4:1");
  assert.equal(codes(inFn("let x = read t[k\nlet y = [1, 2")), ["E0002 4:1", "E0002 5:3"]);
  assert.is(
    diags(inFn("let x = read t[k\nlet y = 1"))[0]?.message,
    "expected `]` to close the key (opened at 3:15), found the keyword `let`",
  );
  assert.is(
    only("service s {\n  fn f() {\n  }\n").message,
    "expected `}` to close the service (opened at 1:11), found the end of the file",
  );
  assert.is(only("type A = list<number").message, "expected `>` to close the type argument (opened at 1:14), found the end of the file");
});

test("E0003 unterminated string; the next line still parses", () => {
  assert.equal(codes(inFn('let s = "abc\nlet t = 1')), ["E0003 3:9"]);
  const d = only(inFn('let s = "abc'));
  assert.is(`${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol}`, "3:9-3:13");
  assert.equal(codes(inFn('let s = "ends with a backslash\\')), ["E0003 3:9"]);
  assert.equal(codes(inFn('let s = "escaped quote \\"')), ["E0003 3:9"]);
});

test("E0004 invalid escapes (each one reported), the string keeps the rest", () => {
  assert.equal(codes(inFn('let s = "C:\\files\\u{110000}\\u12\\u{D800}"')), ["E0004 3:12", "E0004 3:18", "E0004 3:28", "E0004 3:32"]);
  assert.is(diags(inFn('let s = "a\\qb"'))[0]?.message, "`\\q` is not a valid escape sequence");
  const r = parse({ path: "x", text: inFn('return "a\\qb"') });
  const ret = (r.file.decls[0] as ServiceDecl).fns[0]?.body.stmts[0] as Extract<Stmt, { kind: "return" }>;
  assert.is(sx(ret.value), '"aqb"');
});

test("E0005 unterminated block comment (and no noise at the end of the file)", () => {
  assert.equal(codes("type A = number\n/* never closed\nservice s {"), ["E0005 2:1"]);
  assert.equal(codes(inFn("let x = 1 /* oops")), ["E0005 3:11"]);
});

test("E0006 invalid characters; lexing continues", () => {
  assert.equal(codes(inFn("let x = 1 # 2\nlet y = a & b\nlet z = xé")), ["E0006 3:11", "E0006 4:11", "E0006 5:10"]);
  assert.is(diags(inFn("let y = a & b"))[0]?.hint, "did you mean `&&`?");
  assert.is(diags(inFn("let y = 1 @@@ 2"))[0]?.message, "`@@@`: these characters are not allowed here");
  assert.is(diags("type A = number 😀")[0]?.message, "`😀` (U+1F600) is not allowed here");
});

test("E0007 comparisons do not chain", () => {
  assert.equal(codes(inFn("let a = 0 < x < 10\nlet b = x == y != z\nlet c = (0 < x) < 10\nlet d = a < b == c < d")), [
    "E0007 3:15",
    "E0007 4:16",
  ]);
  const d = diags(inFn("let a = 0 < x <= 10"))[0];
  assert.is(d?.message, "comparisons do not chain: `<` followed by `<=`");
  assert.match(d?.hint ?? "", "&&");
});

test("E0008 update outside the positions where it may stand", () => {
  assert.equal(
    codes(
      inFn(
        [
          "let a = 1 + update t[k] set n = 1 where n > 0",
          "f(update t[k] set n = 1)",
          "for x in update t[k] set n = 1 where n > 0 { }",
          "let ok = !(update t[k] set n = 1 where n > 0)",
          "fail update t[k] set n = 1 where n > 0",
          "write t[update u[k] set n = 1 where n > 0] = 1",
        ].join("\n"),
      ),
    ),
    ["E0008 3:13", "E0008 4:3", "E0008 5:10", "E0008 6:12", "E0008 7:6", "E0008 8:9"],
  );
  const d = diags(inFn("f(update t[k] set n = 1)"))[0];
  assert.match(d?.message ?? "", "may only be a statement, the value of `let`/`var`/`=`, a `return` value, or an `if`/`while` condition");
  // nested in a misplaced update: reported once
  assert.equal(codes(inFn("f(update t[k] set n = update t[k] set n = 1)")), ["E0008 3:3"]);
});

test("E0009 record literal in an if/while/for header", () => {
  assert.equal(codes(inFn("if r == { a: 1 } { }\nwhile { a: 1 } != r { }\nfor x in { a: 1 } { }\nif r == ({ a: 1 }) { }")), [
    "E0009 3:9",
    "E0009 4:7",
    "E0009 5:10",
  ]);
  const d = diags(inFn("if x == {a: 1} { return }"))[0];
  assert.is(d?.code, "E0009");
  assert.is(`${d?.span.line}:${d?.span.col}-${d?.span.endLine}:${d?.span.endCol}`, "3:9-3:15");
  assert.match(d?.hint ?? "", "wrap the record in parentheses");
});

test("E0010 reserved word as a name", () => {
  const d = only(inFn("let read = 1"));
  assert.is(d.code, "E0010");
  assert.is(`${d.span.line}:${d.span.col}-${d.span.endLine}:${d.span.endCol}`, "3:5-3:9");
  assert.is(d.message, "`read` is a reserved word and cannot be used as a name");
  assert.match(d.hint ?? "", "another name");
  assert.equal(
    codes(
      "type read = number\nservice write {\n  table delete: { if: number }\n  fn call(spawn: number) {\n    let true = 1\n    for null in xs { }\n    r.txn\n  }\n}",
    ),
    ["E0010 1:6", "E0010 2:9", "E0010 3:9", "E0010 3:19", "E0010 4:6", "E0010 4:11", "E0010 5:9", "E0010 6:9", "E0010 7:7"],
  );
});

test("E0011 nesting too deep", () => {
  const d = only(inFn("return " + "(".repeat(250) + "1" + ")".repeat(250)));
  assert.is(d.code, "E0011");
  assert.is(`${d.span.line}:${d.span.col}`, "3:206");
  assert.equal(codes(inFn("return " + "[".repeat(190) + "1" + "]".repeat(190))), []);
  assert.is(codes("type T = " + "list<".repeat(300) + "number" + ">".repeat(300))[0], "E0011 1:1014");
  assert.is(codes(inFn("return " + "a + ".repeat(1500) + "a"))[0], "E0011 3:4010");
});

test("E0012 expected an expression", () => {
  assert.equal(codes(inFn("let x = 1 +\nlet y = )\nif { }\nfor x in { }\nwhile { }")), [
    "E0012 4:1",
    "E0012 4:9",
    "E0012 5:4",
    "E0012 6:10",
    "E0012 7:7",
  ]);
  assert.is(diags(inFn("let y = )"))[0]?.message, "expected an expression after `=`, found `)`");
  assert.is(diags(inFn("if { }"))[0]?.message, "expected a condition after `if`, found `{`");
  assert.is(diags(inFn("let x = 1 + type.y"))[0]?.hint, "`type` is a reserved word: it cannot be used as a name");
  // a reserved word used as a name costs one diagnostic, not the rest of the fn
  assert.equal(codes(inFn("f(type)\nlet x = 1 + type.y\nlet z = f(1, table)\ntype = 3\nlet ok = 1")), [
    "E0002 3:3",
    "E0012 4:13",
    "E0002 5:14",
    "E0001 6:1",
  ]);
});

test("E0013 invalid assignment target", () => {
  assert.equal(codes(inFn("r.a = 1\nxs[0] = 2\nread t[k] = 3\nf() = 4\nx = 5")), ["E0013 3:1", "E0013 4:1", "E0013 5:1", "E0013 6:1"]);
  assert.match(diags(inFn("read t[k] = 3"))[0]?.hint ?? "", "write T[k] = e");
});

test("E0014 optional twice", () => {
  assert.equal(codes("type A = number??\ntype B = { f??: string }\ntype C = string? ?\ntype D = { g?: string? }"), [
    "E0014 1:16",
    "E0014 2:13",
    "E0014 3:16",
  ]);
});

test("E0015 expected a declaration", () => {
  assert.equal(codes("fn main() { return 1 }\nlet x = 1\nservice s {\n  let y = 2\n  fn f() { }\n}\n}"), [
    "E0015 1:1",
    "E0015 4:3",
    "E0015 7:1",
  ]);
  assert.match(diags("fn main() { }")[0]?.hint ?? "", "inside `service name { ... }`");
  assert.is(diags("service s {\n  let y = 2\n}")[0]?.message, "expected `table` or `fn` in service `s`, found the keyword `let`");
});

test("E0016 malformed type", () => {
  assert.equal(codes("type A = map<string, number>\ntype B = list\ntype C = string<number>\ntype D = list<a, b>"), [
    "E0016 1:22",
    "E0016 2:10",
    "E0016 3:16",
    "E0016 4:18",
  ]);
  assert.match(diags("type A = map<string, number>")[0]?.message ?? "", "keys are always strings");
});

test("E0017 invalid number", () => {
  assert.equal(codes(inFn("let a = 12px\nlet b = 1e999\nlet c = 0x1F\nlet d = 1e")), ["E0017 3:9", "E0017 4:9", "E0017 5:9", "E0017 6:9"]);
  assert.is(diags(inFn("let a = 12px"))[0]?.message, "`12px` is not a valid number");
});

test("E0019 a wait's signal name: a string literal of 1 to 200 characters; a missing `as` or type is E0001 with the form to write", () => {
  assert.equal(codes(inFn("let v = wait paid as number")), ["E0019 3:14"]);
  assert.match(only(inFn("let v = wait paid as number")).hint ?? "", 'wait "paid" as T');
  assert.equal(codes(inFn('let v = wait "" as number\nlet w = wait ("ok") as number')), ["E0019 3:14"]);
  assert.equal(codes(inFn(`let v = wait "${"x".repeat(201)}" as number`)), ["E0019 3:14"]);
  const noAs = only(inFn('let v = wait "paid" number'));
  assert.is(noAs.message, "expected `as` and the signal's value type after the name of `wait`, found `number`");
  assert.is(only(inFn('let v = wait "paid" as = 1')).message, "expected a type after `as`, found `=`");
  assert.equal(codes(inFn('let v = wait "paid"\nlet w = wait "x" as\nlet z = 1')), ["E0001 4:1", "E0001 5:1"]);
});

test("many errors in one run; the rest of the file is still built", () => {
  const text = [
    "service a {", //  1
    "  fn f() {", //  2
    "    let = 1", //  3
    "  }", //  4
    "  fn g() {", //  5
    "    h(1,", //  6
    "  }", //  7
    "  fn k() -> {", //  8
    "  }", //  9
    "  fn m() { return 0 < 1 < 2 }", // 10
    "}", // 11
    "service b {", // 12
    "  table t: list", // 13
    "  fn n(x: number) -> number { return x + 1 }", // 14
    "}", // 15
  ].join("\n");
  const r = parse({ path: "multi.beldi", text });
  assert.equal(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`),
    ["E0001 3:9", "E0002 7:3", "E0001 8:13", "E0007 10:25", "E0016 13:12"],
  );
  const [a, b] = r.file.decls as [ServiceDecl, ServiceDecl];
  assert.equal(
    a.fns.map((f) => f.name.name),
    ["f", "g", "k", "m"],
  );
  assert.equal(
    b.fns.map((f) => f.name.name),
    ["n"],
  );
  assert.is(sx((b.fns[0]!.body.stmts[0] as Extract<Stmt, { kind: "return" }>).value), "(+ x 1)");
  for (const d of r.diagnostics) assert.is(d.span.file, "multi.beldi");
});

test("a stray token costs the parameter list at most, not the rest of the service", () => {
  const text = "service s {\n  fn f(a:: number) -> number { return a }\n  fn g() { return 1 }\n}\n";
  const r = parse({ path: "x", text });
  assert.equal(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`),
    ["E0001 2:10", "E0001 2:18"],
  );
  assert.equal(
    (r.file.decls[0] as ServiceDecl).fns.map((f) => f.name.name),
    ["f", "g"],
  );
});

test("diagnostics are in source order, in our words, with codes of the catalog", () => {
  const text = inFn('let a = 0 < x < 1\nlet s = "\\q"\nlet b = ) \nif x = 1 { }\nlet c = #\nf(1 2') + "type T = list";
  const ds = diags(text);
  assert.ok(ds.length >= 6);
  const offsets = ds.map((d) => d.span.offset);
  assert.equal(
    offsets,
    [...offsets].sort((x, y) => x - y),
  );
  const known = new Set(Object.values(SYNTAX).map((e) => e.code));
  for (const d of ds) {
    assert.ok(known.has(d.code), d.code);
    assert.is(d.severity, "error");
    assert.not.match(d.message, /Expecting|token of type|-->|<--|NoViableAlt|Mismatched|EarlyExit|\{"kind"/);
    assert.ok(d.message.length > 0);
  }
});

test("the catalog: every entry is complete, and each example triggers its code", () => {
  const entries = Object.entries(SYNTAX);
  assert.ok(entries.length >= 10 && entries.length <= 20);
  for (const [key, e] of entries) {
    assert.is(key, e.code);
    assert.match(e.code, /^E00\d\d$/);
    for (const field of [e.title, e.explain, e.example, e.fix]) assert.ok(field.length > 0, `${e.code} has an empty field`);
    if (e.code === "E0099") continue; // internal error: no program triggers it
    if (e.code === "E0011") continue; // the example abbreviates the 200 levels
    const got = diags(e.example).map((d) => d.code);
    assert.ok(got.includes(e.code), `${e.code}'s example gives ${got.join(", ") || "nothing"}`);
  }
});

test.run();
