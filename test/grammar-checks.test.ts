// Unit: the syntax checks over the AST (grammar/checks/) see what the translation leaves out of it,
// keep their place among the translation's diagnostics, and walk trees deeper than the stack.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Expr, SourceFileAst } from "../grammar/ast.js";
import { checkSyntax } from "../grammar/checks/index.js";
import { parse } from "../grammar/index.js";

/** `CODE line:col` of every diagnostic */
function codes(text: string): string[] {
  return parse({ path: "t.beldi", text }).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`);
}
function inFn(body: string): string {
  return `service s {\n  fn f() {\n${body}\n  }\n}\n`;
}

test("at one place a misused word outranks the `,` missing before it", () => {
  assert.equal(codes("service s { fn f(a: number type: string) { } }"), ["E0010 1:28"]);
  assert.equal(codes(inFn("f(a update t[k] set x = 1)")), ["E0008 3:5"]);
  assert.equal(codes(inFn("let r = { a: 1 null: 2 }")), ["E0010 3:16"]);
});

test("inside what the AST leaves out: an assignment's target, type arguments a type does not take", () => {
  assert.equal(codes(inFn("x.type = 1")), ["E0013 3:1", "E0010 3:3"]);
  assert.equal(codes(inFn("f(update t[k] set n = 1) = 3")), ["E0013 3:1", "E0008 3:3"]);
  assert.equal(codes("type C = string<{type: number}>"), ["E0016 1:16", "E0010 1:18"]);
  assert.equal(codes("type D = list<number, {read: number}>"), ["E0016 1:23", "E0010 1:24"]);
});

test("`if a = b {` read as `a == b`: `a` is still the condition, where an `update` may stand", () => {
  assert.equal(codes(inFn("if update t[k] set n = 1 = 2 { }")), ["E0001 3:26"]);
  assert.equal(codes(inFn("if a = update t[k] set n = 1 { }")), ["E0001 3:6", "E0008 3:8"]);
  assert.equal(codes(inFn("while {a: 1} == b = {c: 2} { }")), ["E0009 3:7", "E0001 3:19", "E0009 3:21"]);
});

test("the walk is iterative: a tree far deeper than the stack", () => {
  const span = { file: "t.beldi", line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
  let e: Expr = { kind: "update", table: { name: "null", span }, key: { kind: "null", span }, alias: null, sets: [], where: null, span };
  for (let i = 0; i < 200_000; i++) e = { kind: "unary", op: "!", operand: e, span };
  const file: SourceFileAst = {
    path: "t.beldi",
    decls: [{ kind: "service", name: { name: "s", span }, tables: [], fns: [], span }],
  };
  const fn = {
    kind: "fn" as const,
    name: { name: "f", span },
    params: [],
    result: null,
    body: { stmts: [{ kind: "return" as const, value: e, span }], span },
    span,
  };
  (file.decls[0] as { fns: unknown[] }).fns.push(fn);
  const found = checkSyntax(file, { assignTargets: [], typeArgs: [] }, "");
  assert.equal(
    found.map((d) => d.code),
    ["E0008", "E0010"],
  );
});

test.run();
