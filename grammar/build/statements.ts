// Blocks and statements. A block reports the runs of stray tokens recovery swallowed and a
// `{ ... }` standing alone (its statements are kept in place); `if a = b {` is reported and read
// as `a == b`; an assignment to a non-name keeps its value as the statement (checks/ reports it).
import type { IToken } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import type { Block, Expr, Stmt } from "../ast.js";
import type {
  AbortStmtCstNode,
  BlockCstNode,
  DeleteStmtCstNode,
  ExprStmtCstNode,
  ExpressionCstNode,
  FailStmtCstNode,
  ForStmtCstNode,
  IfStmtCstNode,
  LetStmtCstNode,
  MistakenEqCstNode,
  ParallelStmtCstNode,
  ReturnStmtCstNode,
  SleepStmtCstNode,
  StatementCstNode,
  TxnStmtCstNode,
  WhileStmtCstNode,
  WriteStmtCstNode,
} from "../cst.js";
import { SYNTAX } from "../diagnostics.js";
import { describeToken } from "../errors.js";
import * as T from "../lexer.js";
import { buildExpr } from "./expressions.js";
import { kids, MAX_CHAIN, type Part, type Translation } from "./translation.js";
import { buildType } from "./types.js";

/** A block, or an empty one where it is missing. */
export function buildBlock(t: Translation, n: BlockCstNode | undefined, ...before: Part[]): Block {
  return n ? block(t, n) : t.missingBlock(...before);
}

function block(t: Translation, n: BlockCstNode): Block {
  const c = kids(n);
  const stmts: Stmt[] = [];
  const junk: IToken[] = [];
  for (const s of c.statement ?? []) {
    const sc = kids(s);
    const j = sc.junk?.[0];
    if (j) {
      junk.push(j);
      continue;
    }
    const bare = sc.bareBlock?.[0];
    if (bare) {
      // a block standing alone: reported, and its statements kept in place
      const b = block(t, bare);
      t.report(
        SYNTAX.E0001,
        t.join(kids(bare).LCurly?.[0]),
        "a `{ ... }` block cannot stand on its own",
        "a block follows `if`, `else`, `for`, `while`, `txn`, `parallel` or a fn's signature; a record literal cannot be a statement",
      );
      stmts.push(...b.stmts);
      continue;
    }
    const stmt = statement(t, s);
    if (stmt) stmts.push(stmt);
  }
  t.reportJunk(junk, (j) => {
    let hint: string | undefined;
    if (j.tokenType === T.Else) hint = "an `else` must directly follow the `}` of an `if` or `txn` block";
    else if (j.tokenType === T.RParen || j.tokenType === T.RBracket)
      hint = `this \`${j.image}\` closes nothing: remove it, or check the brackets before it`;
    else if (j.tokenType === T.Equals) hint = "only a name can be assigned: `x = e`";
    else if (tokenMatcher(j, T.Reserved)) hint = `\`${j.image}\` is a reserved word: it cannot be used as a name`;
    t.report(SYNTAX.E0001, t.tokSpan(j), `expected a statement, found ${describeToken(j)}`, hint);
  });
  return { stmts, span: t.join(c.LCurly?.[0], ...stmts, c.RCurly?.[0]) };
}

/** one statement; null for a lone `;` */
function statement(t: Translation, n: StatementCstNode): Stmt | null {
  const c = kids(n);
  if (c.letStmt) return letStmt(t, c.letStmt[0] as LetStmtCstNode);
  if (c.ifStmt) return ifStmt(t, c.ifStmt[0] as IfStmtCstNode);
  if (c.forStmt) return forStmt(t, c.forStmt[0] as ForStmtCstNode);
  if (c.whileStmt) return whileStmt(t, c.whileStmt[0] as WhileStmtCstNode);
  if (c.returnStmt) return returnStmt(t, c.returnStmt[0] as ReturnStmtCstNode);
  if (c.abortStmt) return abortStmt(t, c.abortStmt[0] as AbortStmtCstNode);
  if (c.failStmt) return failStmt(t, c.failStmt[0] as FailStmtCstNode);
  if (c.writeStmt) return writeStmt(t, c.writeStmt[0] as WriteStmtCstNode);
  if (c.deleteStmt) return deleteStmt(t, c.deleteStmt[0] as DeleteStmtCstNode);
  if (c.txnStmt) return txnStmt(t, c.txnStmt[0] as TxnStmtCstNode);
  if (c.parallelStmt) return parallelStmt(t, c.parallelStmt[0] as ParallelStmtCstNode);
  if (c.exprStmt) return exprStmt(t, c.exprStmt[0] as ExprStmtCstNode);
  if (c.sleepStmt) return sleepStmt(t, c.sleepStmt[0] as SleepStmtCstNode);
  if (c.Break) return { kind: "break", span: t.join(c.Break[0]) };
  if (c.Continue) return { kind: "continue", span: t.join(c.Continue[0]) };
  // a lone `;` builds nothing, but it is seen: a placeholder after it goes after it
  if (c.Semicolon) t.join(c.Semicolon[0]);
  return null;
}

function letStmt(t: Translation, n: LetStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.kw?.[0];
  const name = t.ident(c.name?.[0], kw);
  const colon = c.Colon?.[0];
  const type = colon ? buildType(t, c.typeExpr?.[0], colon) : null;
  const eq = c.Equals?.[0];
  const init = buildExpr(t, c.expression?.[0], kw, name, type, eq);
  return { kind: "let", mutable: kw?.tokenType === T.Var, name, type, init, span: t.join(kw, name, type, eq, init) };
}

/** A header's condition; `cond = e`, meant as `cond == e`, is reported and read as `==`. */
function headerCond(
  t: Translation,
  c: { cond?: ExpressionCstNode[]; mistakenEq?: MistakenEqCstNode[] },
  header: "if" | "while",
  ...before: Part[]
): Expr {
  const cond = buildExpr(t, c.cond?.[0], ...before);
  const m = c.mistakenEq?.[0];
  const eq = m ? kids(m).Equals?.[0] : undefined;
  if (!m || !eq) return cond;
  const right = buildExpr(t, kids(m).expression?.[0], eq);
  t.report(
    SYNTAX.E0001,
    t.join(eq),
    `expected \`{\` to start the body of the \`${header}\`, found \`=\``,
    "to compare, use `==`; `=` assigns",
  );
  return { kind: "binary", op: "==", left: cond, right, span: t.join(cond, right), mistakenEq: true };
}

function ifStmt(t: Translation, n: IfStmtCstNode): Stmt {
  const c = kids(n);
  const ifKw = c.If?.[0];
  const cond = headerCond(t, c, "if", ifKw);
  const then = buildBlock(t, c.then?.[0], ifKw, cond);
  // the chain `else if ... else if ... else { }`, built from its end (no recursion)
  let links = c.elseIf ?? [];
  if (links.length > MAX_CHAIN) {
    const cut = kids(links[MAX_CHAIN] as (typeof links)[number]).Else?.[0];
    if (cut) t.tooLong(cut, "`else if`s");
    links = links.slice(0, MAX_CHAIN);
  }
  const chain = links.map((l) => {
    const lc = kids(l);
    const kw = lc.If?.[0];
    const linkCond = headerCond(t, lc, "if", lc.Else?.[0], kw);
    const linkThen = buildBlock(t, lc.then?.[0], kw, linkCond);
    return { kw: kw ?? lc.Else?.[0], cond: linkCond, then: linkThen };
  });
  const elseKw = c.Else?.[0];
  let elseBlock: Block | null = elseKw ? buildBlock(t, c.else?.[0], elseKw) : null;
  for (let i = chain.length - 1; i >= 0; i--) {
    const link = chain[i] as (typeof chain)[number];
    const span = t.join(link.kw, link.cond, link.then, elseBlock);
    const inner: Stmt = { kind: "if", cond: link.cond, then: link.then, else: elseBlock, span };
    elseBlock = { stmts: [inner], span };
  }
  return { kind: "if", cond, then, else: elseBlock, span: t.join(ifKw, cond, then, elseBlock) };
}

function forStmt(t: Translation, n: ForStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.For?.[0];
  const first = t.ident(c.first?.[0], kw);
  const comma = c.Comma?.[0];
  const second = comma ? t.ident(c.second?.[0], comma) : null;
  const inKw = c.In?.[0];
  const iter = buildExpr(t, c.iter?.[0], kw, first, second, inKw);
  const body = buildBlock(t, c.block?.[0], iter);
  return { kind: "for", key: second ? first : null, value: second ?? first, iter, body, span: t.join(kw, first, second, inKw, iter, body) };
}

function whileStmt(t: Translation, n: WhileStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.While?.[0];
  const cond = headerCond(t, c, "while", kw);
  const body = buildBlock(t, c.block?.[0], kw, cond);
  return { kind: "while", cond, body, span: t.join(kw, cond, body) };
}

function returnStmt(t: Translation, n: ReturnStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Return?.[0];
  const e = c.expression?.[0];
  const value = e ? buildExpr(t, e) : null;
  return { kind: "return", value, span: t.join(kw, value) };
}

function abortStmt(t: Translation, n: AbortStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Abort?.[0];
  const e = c.reason?.[0];
  const reason = e ? buildExpr(t, e) : null;
  return { kind: "abort", reason, span: t.join(kw, reason) };
}

function sleepStmt(t: Translation, n: SleepStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Sleep?.[0];
  const ms = buildExpr(t, c.ms?.[0], kw);
  return { kind: "sleep", ms, span: t.join(kw, ms) };
}

function failStmt(t: Translation, n: FailStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Fail?.[0];
  const message = buildExpr(t, c.expression?.[0], kw);
  return { kind: "fail", message, span: t.join(kw, message) };
}

function writeStmt(t: Translation, n: WriteStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Write?.[0];
  const table = t.ident(c.table?.[0], kw);
  const key = buildExpr(t, c.key?.[0], table, c.LBracket?.[0]);
  const value = buildExpr(t, c.value?.[0], key, c.RBracket?.[0], c.Equals?.[0]);
  return { kind: "write", table, key, value, span: t.join(kw, table, key, c.RBracket?.[0], value) };
}

function deleteStmt(t: Translation, n: DeleteStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Delete?.[0];
  const table = t.ident(c.table?.[0], kw);
  const key = buildExpr(t, c.key?.[0], table, c.LBracket?.[0]);
  return { kind: "delete", table, key, span: t.join(kw, table, key, c.RBracket?.[0]) };
}

function txnStmt(t: Translation, n: TxnStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Txn?.[0];
  const body = buildBlock(t, c.body?.[0], kw);
  const elseKw = c.Else?.[0];
  const lp = c.LParen?.[0];
  const reason = lp ? t.ident(c.reason?.[0], lp) : null;
  const elseBlock = elseKw ? buildBlock(t, c.else?.[0], elseKw, reason, c.RParen?.[0]) : null;
  return { kind: "txn", body, else: elseBlock, reason, span: t.join(kw, body, elseBlock) };
}

function parallelStmt(t: Translation, n: ParallelStmtCstNode): Stmt {
  const c = kids(n);
  const kw = c.Parallel?.[0];
  const body = buildBlock(t, c.block?.[0], kw);
  return { kind: "parallel", branches: body.stmts, span: t.join(kw, body) };
}

/** an expression statement, or an assignment; a target that is not a name is left out of the AST */
function exprStmt(t: Translation, n: ExprStmtCstNode): Stmt {
  const c = kids(n);
  const target = buildExpr(t, c.target?.[0]);
  const eq = c.Equals?.[0];
  if (!eq) return { kind: "expr", expr: target, span: target.span };
  const value = buildExpr(t, c.value?.[0], eq);
  const span = t.join(target, eq, value);
  if (target.kind === "name") return { kind: "assign", target: { name: target.name, span: target.span }, value, span };
  t.leftOut.assignTargets.push(target);
  return { kind: "expr", expr: value, span };
}
