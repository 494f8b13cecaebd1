// Small syntactic walks over the AST: every statement and expression of a block, the names a
// block assigns, whether a loop body breaks out of its loop.
import type { Block, Expr, Stmt } from "../../grammar/ast.js";

export interface Visitor {
  stmt?(s: Stmt): void;
  expr?(e: Expr): void;
}

export function walkStmts(stmts: Stmt[], v: Visitor): void {
  for (const s of stmts) walkStmt(s, v);
}

export function walkStmt(s: Stmt, v: Visitor): void {
  v.stmt?.(s);
  switch (s.kind) {
    case "let":
      walkExpr(s.init, v);
      break;
    case "assign":
      walkExpr(s.value, v);
      break;
    case "if":
      walkExpr(s.cond, v);
      walkStmts(s.then.stmts, v);
      if (s.else) walkStmts(s.else.stmts, v);
      break;
    case "for":
      walkExpr(s.iter, v);
      walkStmts(s.body.stmts, v);
      break;
    case "while":
      walkExpr(s.cond, v);
      walkStmts(s.body.stmts, v);
      break;
    case "return":
      if (s.value) walkExpr(s.value, v);
      break;
    case "abort":
      if (s.reason) walkExpr(s.reason, v);
      break;
    case "fail":
      walkExpr(s.message, v);
      break;
    case "write":
      walkExpr(s.key, v);
      walkExpr(s.value, v);
      break;
    case "delete":
      walkExpr(s.key, v);
      break;
    case "txn":
      walkStmts(s.body.stmts, v);
      if (s.else) walkStmts(s.else.stmts, v);
      break;
    case "parallel":
      walkStmts(s.branches, v);
      break;
    case "expr":
      walkExpr(s.expr, v);
      break;
    case "sleep":
      walkExpr(s.ms, v);
      break;
    default:
      break;
  }
}

export function walkExpr(e: Expr, v: Visitor): void {
  v.expr?.(e);
  for (const c of children(e)) walkExpr(c, v);
}

/** The direct sub-expressions of an expression. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "list":
      return e.items;
    case "record":
      return e.fields.flatMap((f) => (f.value ? [f.value] : []));
    case "paren":
      return [e.inner];
    case "field":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "call":
      return [e.callee, ...e.args];
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "read":
      return [e.key];
    case "invoke":
    case "signal":
      return e.args;
    case "wait":
      return [e.name, ...(e.timeout ? [e.timeout] : [])];
    case "update":
      return [e.key, ...e.sets.map((s) => s.value), ...(e.where ? [e.where] : [])];
    default:
      return [];
  }
}

/** Names assigned (`x = e`) anywhere in the statements. */
export function assignedNames(stmts: Stmt[]): Set<string> {
  const out = new Set<string>();
  walkStmts(stmts, {
    stmt: (s) => {
      if (s.kind === "assign") out.add(s.target.name);
    },
  });
  return out;
}

/** Whether the loop body has a `break` that leaves this loop (not an inner one). */
export function breaksOut(body: Block): boolean {
  const visit = (stmts: Stmt[]): boolean =>
    stmts.some((s) => {
      switch (s.kind) {
        case "break":
          return true;
        case "if":
          return visit(s.then.stmts) || (s.else !== null && visit(s.else.stmts));
        case "txn":
          return visit(s.body.stmts) || (s.else !== null && visit(s.else.stmts));
        case "parallel":
          return visit(s.branches);
        default:
          return false;
      }
    });
  return visit(body.stmts);
}

/** Strips parentheses. */
export function unparen(e: Expr): Expr {
  while (e.kind === "paren") e = e.inner;
  return e;
}
