// Expressions. Binary operators come from the parser flat (`e op e op e`) and get their
// precedence here; prefix operators and suffixes come as loops. Chains longer than MAX_CHAIN
// are cut (and reported), so the tree's depth stays bounded for the passes that recurse over it.
import type { CstNode, IToken } from "chevrotain";
import type { BinaryOp, Expr, Ident } from "../ast.js";
import type {
  ArgsCstNode,
  ArithExprCstNode,
  ExpressionCstNode,
  InvokeExprCstNode,
  OperandCstNode,
  PrimaryCstChildren,
  PrimaryCstNode,
  ReadExprCstNode,
  RecordFieldCstNode,
  ScanExprCstNode,
  SignalExprCstNode,
  UpdateExprCstNode,
  WaitExprCstNode,
} from "../cst.js";
import { SYNTAX } from "../diagnostics.js";
import { isRealToken } from "../errors.js";
import * as T from "../lexer.js";
import type { Span } from "../span.js";
import { kids, MAX_CHAIN, type Part, type Translation } from "./translation.js";
import { buildType } from "./types.js";

const PRECEDENCE: Record<BinaryOp, number> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};

type RecordField = { name: Ident; value: Expr | null; span: Span };

/** An expression, or a `null` placeholder where it is missing. */
export function buildExpr(t: Translation, n: ExpressionCstNode | undefined, ...before: Part[]): Expr {
  return n ? expression(t, n) : t.missingExpr(...before);
}

/** `expression` and `arithExpr` (a wait's timeout) have the same shape: operands and operators */
function expression(t: Translation, n: ExpressionCstNode | ArithExprCstNode): Expr {
  const c = kids(n);
  const operandNodes = c.operand ?? [];
  let ops = c.op ?? [];
  if (ops.length > MAX_CHAIN) {
    t.tooLong(ops[MAX_CHAIN] as IToken, "binary operators");
    ops = ops.slice(0, MAX_CHAIN);
  }
  if (operandNodes.length === 0) return t.missingExpr(...ops);
  if (ops.length === 0) return operand(t, operandNodes[0] as OperandCstNode);
  const operands: Expr[] = [operand(t, operandNodes[0] as OperandCstNode)];
  for (let i = 0; i < ops.length; i++) {
    const o = operandNodes[i + 1];
    operands.push(o ? operand(t, o) : t.missingExpr(ops[i]));
  }
  return applyPrecedence(t, operands, ops);
}

/**
 * Shunting-yard over a flat `e op e op e ...`: left-associative, no chained comparisons.
 * E0007 stays here, not in checks/: its report takes the operator's span, which moves where
 * later placeholders go, so reporting it later would move them.
 */
function applyPrecedence(t: Translation, operands: Expr[], ops: IToken[]): Expr {
  const out: Expr[] = [operands[0] as Expr];
  const opStack: IToken[] = [];
  let chainReported = false;
  const reduce = () => {
    const opTok = opStack.pop() as IToken;
    const right = out.pop() as Expr;
    const left = out.pop() as Expr;
    const op = opTok.image as BinaryOp;
    const level = PRECEDENCE[op];
    if ((level === 4 || level === 5) && left.kind === "binary" && PRECEDENCE[left.op] === level && !chainReported) {
      chainReported = true;
      t.report(
        SYNTAX.E0007,
        t.tokSpan(opTok),
        `comparisons do not chain: \`${left.op}\` followed by \`${op}\``,
        `combine two comparisons with \`&&\`, e.g. \`a ${left.op} b && b ${op} c\`; add parentheses if you really mean to compare the bool`,
      );
    }
    out.push({ kind: "binary", op, left, right, span: t.join(left, right) });
  };
  for (let i = 0; i < ops.length; i++) {
    const opTok = ops[i] as IToken;
    const p = PRECEDENCE[opTok.image as BinaryOp] ?? 0;
    while (opStack.length > 0 && (PRECEDENCE[(opStack[opStack.length - 1] as IToken).image as BinaryOp] ?? 0) >= p) reduce();
    opStack.push(opTok);
    out.push(operands[i + 1] as Expr);
  }
  while (opStack.length > 0) reduce();
  return out[0] as Expr;
}

/** The first real token of a CST node (iterative: the subtree may be deep). */
function firstToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  const todo: CstNode[] = [n];
  while (todo.length > 0) {
    const cur = todo.pop() as CstNode;
    for (const els of Object.values(cur.children)) {
      for (const el of els ?? []) {
        if ("tokenType" in el) {
          if (isRealToken(el) && (!best || el.startOffset < best.startOffset)) best = el;
        } else todo.push(el);
      }
    }
  }
  return best;
}

/** prefix operators, a primary, postfix suffixes */
function operand(t: Translation, n: OperandCstNode): Expr {
  const c = kids(n);
  let prefix = c.prefix ?? [];
  let suffixes = c.suffix ?? [];
  if (prefix.length > MAX_CHAIN) {
    t.tooLong(prefix[prefix.length - MAX_CHAIN - 1] as IToken, "prefix operators");
    prefix = prefix.slice(prefix.length - MAX_CHAIN);
  }
  if (suffixes.length > MAX_CHAIN) {
    const first = firstToken(suffixes[MAX_CHAIN] as CstNode);
    if (first) t.tooLong(first, "`.`, `[...]` and `(...)` suffixes");
    suffixes = suffixes.slice(0, MAX_CHAIN);
  }
  const p = c.primary?.[0];
  let e = p ? primary(t, p) : t.missingExpr(prefix[prefix.length - 1]);
  for (const s of suffixes) {
    const sc = kids(s);
    const dot = sc.Dot?.[0];
    const qdot = sc.QDot?.[0];
    const lb = sc.LBracket?.[0];
    if (dot) {
      const name = t.ident(sc.field?.[0], e, dot);
      e = { kind: "field", object: e, name, span: t.join(e, dot, name) };
    } else if (qdot) {
      const name = t.ident(sc.field?.[0], e, qdot);
      e = { kind: "field", object: e, name, span: t.join(e, qdot, name), nullSafe: true };
    } else if (lb) {
      const index = buildExpr(t, sc.index?.[0], lb);
      e = { kind: "index", object: e, index, span: t.join(e, index, sc.RBracket?.[0]) };
    } else {
      const a = argList(t, sc.args?.[0], e);
      e = { kind: "call", callee: e, args: a.args, span: t.join(e, a.span) };
    }
  }
  for (let i = prefix.length - 1; i >= 0; i--) {
    const op = prefix[i] as IToken;
    e = { kind: "unary", op: op.tokenType === T.Bang ? "!" : "-", operand: e, span: t.join(op, e) };
  }
  return e;
}

/** `(a, b)`: the arguments, or none (at a zero-width span) where the list is missing */
function argList(t: Translation, n: ArgsCstNode | undefined, ...before: Part[]): { args: Expr[]; span: Span } {
  if (!n) return { args: [], span: t.after(...before) };
  const c = kids(n);
  const args = t.items(c.arg, (a) => expression(t, a));
  t.checkCommas(args, c.Comma, "argument", "arguments");
  return { args, span: t.join(c.LParen?.[0], ...args, c.RParen?.[0]) };
}

function primary(t: Translation, n: PrimaryCstNode): Expr {
  const c = kids(n);
  const lp = c.LParen?.[0];
  if (lp) {
    const inner = buildExpr(t, c.inner?.[0], lp);
    return { kind: "paren", inner, span: t.join(lp, inner, c.RParen?.[0]) };
  }
  const lb = c.LBracket?.[0];
  if (lb) {
    const items = t.items(c.item, (i) => expression(t, i));
    t.checkCommas(items, c.Comma, "list item", "list items");
    return { kind: "list", items, span: t.join(lb, ...items, c.RBracket?.[0]) };
  }
  const lc = c.LCurly?.[0];
  if (lc) return record(t, c, lc);
  if (c.readExpr) return readExpr(t, c.readExpr[0] as ReadExprCstNode);
  if (c.scanExpr) return scanExpr(t, c.scanExpr[0] as ScanExprCstNode);
  if (c.invokeExpr) return invokeExpr(t, c.invokeExpr[0] as InvokeExprCstNode);
  if (c.updateExpr) return updateExpr(t, c.updateExpr[0] as UpdateExprCstNode);
  if (c.waitExpr) return waitExpr(t, c.waitExpr[0] as WaitExprCstNode);
  if (c.signalExpr) return signalExpr(t, c.signalExpr[0] as SignalExprCstNode);
  const lit = c.NumberLit?.[0] ?? c.StringLit?.[0] ?? c.True?.[0] ?? c.False?.[0] ?? c.Null?.[0] ?? c.Identifier?.[0];
  if (!lit) return t.missingExpr();
  const span = t.join(lit);
  switch (lit.tokenType) {
    case T.NumberLit:
      return { kind: "number", value: typeof lit.payload === "number" ? lit.payload : Number(lit.image) || 0, span };
    case T.StringLit:
      return { kind: "string", value: typeof lit.payload === "string" ? lit.payload : "", span };
    case T.True:
      return { kind: "bool", value: true, span };
    case T.False:
      return { kind: "bool", value: false, span };
    case T.Null:
      return { kind: "null", span };
    default:
      return { kind: "name", name: lit.image, span };
  }
}

function record(t: Translation, c: Partial<PrimaryCstChildren>, lc: IToken): Expr {
  const fields = t.items(c.recordField, (f) => recordField(t, f));
  t.checkCommas(fields, c.Comma, "field", "fields");
  return { kind: "record", fields, span: t.join(lc, ...fields, c.RCurly?.[0]) };
}

function recordField(t: Translation, n: RecordFieldCstNode): RecordField {
  const c = kids(n);
  const name = t.ident(c.name?.[0]);
  const colon = c.Colon?.[0];
  const value = colon ? buildExpr(t, c.value?.[0], colon) : null;
  return { name, value, span: t.join(name, colon, value) };
}

function readExpr(t: Translation, n: ReadExprCstNode): Expr {
  const c = kids(n);
  const kw = c.Read?.[0];
  const table = t.ident(c.table?.[0], kw);
  const key = buildExpr(t, c.key?.[0], table, c.LBracket?.[0]);
  return { kind: "read", table, key, span: t.join(kw, table, key, c.RBracket?.[0]) };
}

function scanExpr(t: Translation, n: ScanExprCstNode): Expr {
  const c = kids(n);
  const kw = c.Scan?.[0];
  const table = t.ident(c.table?.[0], kw);
  return { kind: "scan", table, span: t.join(kw, table) };
}

function invokeExpr(t: Translation, n: InvokeExprCstNode): Expr {
  const c = kids(n);
  const mode = c.mode?.[0];
  const service = t.ident(c.service?.[0], mode);
  const fn = t.ident(c.fn?.[0], service, c.Dot?.[0]);
  const a = argList(t, c.args?.[0], fn);
  return {
    kind: "invoke",
    mode: mode?.tokenType === T.Spawn ? "spawn" : "call",
    service,
    fn,
    args: a.args,
    span: t.join(mode, service, fn, a.span),
  };
}

function updateExpr(t: Translation, n: UpdateExprCstNode): Expr {
  const c = kids(n);
  const kw = c.Update?.[0];
  const table = t.ident(c.table?.[0], kw);
  const key = buildExpr(t, c.key?.[0], table, c.LBracket?.[0]);
  const asKw = c.As?.[0];
  const alias = asKw ? t.ident(c.alias?.[0], asKw) : null;
  const sets = (c.setItem ?? []).map((s) => {
    const sc = kids(s);
    const field = t.ident(sc.field?.[0]);
    const eq = sc.Equals?.[0];
    const value = buildExpr(t, sc.value?.[0], field, eq);
    return { field, value, span: t.join(field, eq, value) };
  });
  const whereKw = c.Where?.[0];
  const where = whereKw ? buildExpr(t, c.where?.[0], whereKw) : null;
  const last = sets[sets.length - 1];
  return {
    kind: "update",
    table,
    key,
    alias,
    sets,
    where,
    span: t.join(kw, table, key, c.RBracket?.[0], alias, c.Set?.[0], last, whereKw, where),
  };
}

function waitExpr(t: Translation, n: WaitExprCstNode): Expr {
  const c = kids(n);
  const kw = c.Wait?.[0];
  const name = buildExpr(t, c.name?.[0], kw);
  const asKw = c.As?.[0];
  const type = buildType(t, c.typeExpr?.[0], kw, name, asKw);
  const timeoutKw = c.Timeout?.[0];
  const timeoutNode = c.timeout?.[0];
  const timeout = timeoutKw ? (timeoutNode ? expression(t, timeoutNode) : t.missingExpr(timeoutKw)) : null;
  return { kind: "wait", name, type, timeout, span: t.join(kw, name, asKw, type, timeoutKw, timeout) };
}

function signalExpr(t: Translation, n: SignalExprCstNode): Expr {
  const c = kids(n);
  const kw = c.Signal?.[0];
  const a = argList(t, c.args?.[0], kw);
  return { kind: "signal", args: a.args, span: t.join(kw, a.span) };
}
