// The expression printer (compiler/emit/print-js.ts): parentheses only where JavaScript's
// precedence, associativity or grammar needs them. Exact texts for the cases that matter, and a
// property: random expression trees printed with the fewest parentheses and with parentheses
// around every operand evaluate alike, parse back to the same tree, and lose their meaning (or
// their syntax) if any one pair of parentheses is taken away.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import ts from "typescript";
import { binary, call, id, lit, member, num, object, prefix, type JsBinaryOp, type JsExpr } from "../compiler/emit/js-tree.js";
import { BINARY, printJs, printJsStatement } from "../compiler/emit/print-js.js";

const [a, b, c, x] = [id("a"), id("b"), id("c"), id("x")];
const p = (e: JsExpr) => printJs(e);

test("left-associative chains need no parentheses; a right operand of equal precedence does", () => {
  assert.is(p(binary("+", binary("+", binary("+", lit("Hello, "), id("name")), lit("!")), lit("."))), '"Hello, " + name + "!" + "."');
  assert.is(p(binary("-", a, binary("-", b, c))), "a - (b - c)");
  assert.is(p(binary("-", binary("-", a, b), c)), "a - b - c");
  assert.is(p(binary("+", a, binary("+", b, c))), "a + (b + c)", "string + is not associative");
  assert.is(p(binary("&&", a, binary("&&", b, c))), "a && (b && c)", "the tree is kept as built");
  assert.is(p(binary("*", binary("+", a, b), c)), "(a + b) * c");
  assert.is(p(binary("+", a, binary("*", b, c))), "a + b * c");
  assert.is(p(binary("/", a, binary("*", b, c))), "a / (b * c)");
  assert.is(p(binary("<", binary("+", a, b), c)), "a + b < c");
  assert.is(p(binary("===", binary("<", a, b), lit(true))), "a < b === true");
  assert.is(p(binary("||", binary("&&", a, b), c)), "a && b || c");
  assert.is(p(binary("&&", binary("||", a, b), c)), "(a || b) && c");
});

test("`**` groups to the right and takes no prefix operator on its left", () => {
  assert.is(p(binary("**", a, binary("**", b, c))), "a ** b ** c");
  assert.is(p(binary("**", binary("**", a, b), c)), "(a ** b) ** c");
  assert.is(p(binary("**", prefix("-", a), b)), "(-a) ** b");
  assert.is(p(binary("**", num(-1), num(2))), "(-1) ** 2");
  assert.is(p(binary("**", prefix("await", a), b)), "(await a) ** b");
  assert.is(p(binary("**", a, prefix("-", b))), "a ** -b");
  assert.is(p(binary("*", prefix("-", a), b)), "-a * b");
});

test("`??` is never mixed with `||` or `&&` without parentheses", () => {
  assert.is(p(binary("||", binary("??", a, b), c)), "(a ?? b) || c");
  assert.is(p(binary("??", binary("||", a, b), c)), "(a || b) ?? c");
  assert.is(p(binary("??", a, binary("&&", b, c))), "a ?? (b && c)");
  assert.is(p(binary("&&", a, binary("??", b, c))), "a && (b ?? c)");
  assert.is(p(binary("??", binary("??", a, b), c)), "a ?? b ?? c");
  assert.is(p(binary("??", binary("===", a, b), c)), "a === b ?? c");
  // TypeScript (TS2871, TS2881) refuses an inner `??` whose right side is always or never nullish, unless parenthesised
  assert.is(p(binary("??", binary("??", member(a, "f"), lit(null)), lit("x"))), '(a.f ?? null) ?? "x"');
  assert.is(p(binary("??", binary("??", a, num(1)), c)), "(a ?? 1) ?? c");
  assert.is(p(binary("??", binary("??", a, { kind: "nonNull", operand: member(b, "f") }), c)), "a ?? b.f! ?? c");
  assert.is(p(binary("??", binary("??", a, prefix("await", b)), c)), "a ?? await b ?? c");
});

test("prefix operators: no `--` from two minuses, operands that bind less are wrapped", () => {
  assert.is(p(prefix("-", prefix("-", a))), "-(-a)");
  assert.is(p(prefix("-", num(-1))), "-(-1)");
  assert.is(p(prefix("-", num(1))), "-1");
  assert.is(p(prefix("!", prefix("!", a))), "!!a");
  assert.is(p(prefix("-", prefix("!", a))), "-!a");
  assert.is(p(prefix("!", binary("&&", a, b))), "!(a && b)");
  assert.is(p(prefix("!", prefix("await", call("f", [])))), "!await f()");
  assert.is(p(binary("??", prefix("await", a), b)), "await a ?? b");
  assert.is(p(num(-0)), "-0");
});

test("members, calls and `x!` take their operand at member level", () => {
  assert.is(p(member(prefix("await", a), "b")), "(await a).b");
  assert.is(p({ kind: "nonNull", operand: prefix("await", a) }), "(await a)!");
  assert.is(p(member({ kind: "nonNull", operand: a }, "b")), "a!.b");
  assert.is(p({ kind: "nonNull", operand: binary("??", a, b) }), "(a ?? b)!");
  assert.is(p(member(num(1), "x")), "(1).x");
  assert.is(p(member(call("$v.at", [a, num(0)], "any"), "n")), "$v.at<any>(a, 0).n");
  assert.is(p(call(member(binary("+", a, b), "f"), [])), "(a + b).f()");
  assert.is(p(call("f", [binary("+", a, b), prefix("await", c)])), "f(a + b, await c)");
  assert.is(p(prefix("-", member(a, "b"))), "-a.b");
});

test("literals: objects (with shorthand), arrays, spreads; an object opening a statement is wrapped", () => {
  assert.is(
    p(
      object([
        { key: "x", value: x },
        { key: "y", value: binary("+", a, b) },
        { key: "z", value: id("z$") },
      ]),
    ),
    "{ x, y: a + b, z: z$ }",
  );
  assert.is(p(object([])), "{}");
  assert.is(
    p({
      kind: "array",
      items: [
        { kind: "spread", operand: a },
        { kind: "spread", operand: binary("??", b, c) },
      ],
    }),
    "[...a, ...b ?? c]",
  );
  assert.is(printJsStatement(object([{ key: "a", value: num(1) }])), "({ a: 1 })");
  assert.is(printJsStatement(member(object([]), "b")), "({}.b)");
  assert.is(printJsStatement(call("f", [object([])])), "f({})");
  assert.is(printJs(binary("-", a, binary("-", b, c)), "all"), "a - (b - c)");
  assert.is(printJs(binary("+", binary("*", a, b), prefix("-", c)), "all"), "(a * b) + (-c)");
});

// ---- property: the fewest parentheses mean the same as all of them ----------------------------

const OPS = Object.keys(BINARY) as JsBinaryOp[];
const leaf: fc.Arbitrary<JsExpr> = fc.oneof(
  fc.integer({ min: -3, max: 4 }).map(num),
  fc.constantFrom(0.5, -0.5).map(num),
  fc.constantFrom<JsExpr>(lit(true), lit(false), lit(null), lit("s"), a, b, c),
);
const tree: fc.Arbitrary<JsExpr> = fc.letrec<{ e: JsExpr }>((t) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom(...OPS), t("e"), t("e")).map(([op, l, r]) => binary(op, l, r)),
    fc.tuple(fc.constantFrom("!" as const, "-" as const, "await" as const), t("e")).map(([op, e]) => prefix(op, e)),
  ),
})).e;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...xs: unknown[]) => Promise<unknown>;
/** Evaluates an expression over a, b, c; a syntax error is thrown when it is made. */
const evaluate = (text: string) => new AsyncFunction("a", "b", "c", `return (${text});`)(2, "t", null);
const parses = (text: string) => {
  try {
    new AsyncFunction("a", "b", "c", `return (${text});`);
    return true;
  } catch {
    return false;
  }
};

/**
 * The tree a text parses to, parentheses dropped, in the notation of `shape` below. Parsed as
 * JavaScript: as TypeScript, `a < (b > (c ?? d))` reads as type arguments (TypeScript's own
 * printer writes it so too); no checked program compares a comparison.
 */
function parsedShape(text: string): string {
  const sf = ts.createSourceFile("e.js", `async function f() { return ${text}; }`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const body = (sf.statements[0] as ts.FunctionDeclaration).body!.statements[0] as ts.ReturnStatement;
  const walk = (n: ts.Expression): string => {
    if (ts.isParenthesizedExpression(n)) return walk(n.expression);
    if (ts.isBinaryExpression(n)) return `(${n.operatorToken.getText(sf)} ${walk(n.left)} ${walk(n.right)})`;
    if (ts.isPrefixUnaryExpression(n)) return `(${ts.tokenToString(n.operator)} ${walk(n.operand)})`;
    if (ts.isAwaitExpression(n)) return `(await ${walk(n.expression)})`;
    return n.getText(sf);
  };
  return walk(body.expression!);
}
function shape(e: JsExpr): string {
  switch (e.kind) {
    case "binary":
      return `(${e.op} ${shape(e.left)} ${shape(e.right)})`;
    case "prefix":
      return `(${e.op} ${shape(e.operand)})`;
    case "number":
      return e.value < 0 || Object.is(e.value, -0) ? `(- ${String(-e.value)})` : String(e.value);
    default:
      return printJs(e);
  }
}

/**
 * Every pair of parentheses in the text: [open, close] offsets, and whether TypeScript's checker
 * needs it (`(a ?? null) ?? b`: an inner `??` whose right side is not syntactically maybe-null).
 */
function parenPairs(text: string): [number, number, boolean][] {
  const sf = ts.createSourceFile("e.js", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const out: [number, number, boolean][] = [];
  const isNullish = (n: ts.Node) => ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken;
  const visit = (n: ts.Node): void => {
    if (ts.isParenthesizedExpression(n)) {
      const inner = ts.skipPartiallyEmittedExpressions(n.expression);
      const typeScriptNeeds =
        isNullish(inner) &&
        isNullish(n.parent) &&
        (n.parent as ts.BinaryExpression).left === n &&
        !maybeNullishText((inner as ts.BinaryExpression).right);
      out.push([n.getStart(sf), n.end - 1, typeScriptNeeds]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** TypeScript's syntactic "maybe nullish" for the leaves and operators the property's trees use. */
function maybeNullishText(n: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  if (ts.isIdentifier(n) || ts.isAwaitExpression(n)) return true;
  if (!ts.isBinaryExpression(n)) return false;
  return [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(
    n.operatorToken.kind,
  );
}

test("property: minimal and fully parenthesised prints evaluate alike and parse to the built tree", async () => {
  await fc.assert(
    fc.asyncProperty(tree, async (e) => {
      const minimal = printJs(e);
      const full = printJs(e, "all");
      assert.ok(parses(minimal), `syntax error: ${minimal}`);
      const [m, f] = await Promise.all([evaluate(minimal), evaluate(full)]);
      assert.ok(Object.is(m, f), `${minimal} = ${String(m)} but ${full} = ${String(f)}`);
      assert.is(parsedShape(minimal), shape(e), minimal);
    }),
    { numRuns: 2000 },
  );
});

test("property: no pair of parentheses in a minimal print can be dropped", () => {
  fc.assert(
    fc.property(tree, (e) => {
      const minimal = printJs(e);
      for (const [open, close, typeScriptNeeds] of parenPairs(minimal)) {
        const without = minimal.slice(0, open) + minimal.slice(open + 1, close) + minimal.slice(close + 1);
        const needed = !parses(without) || parsedShape(without) !== shape(e) || typeScriptNeeds;
        assert.ok(needed, `needless parentheses in ${minimal}: ${without} means the same`);
      }
    }),
    { numRuns: 1000 },
  );
});

test.run();
