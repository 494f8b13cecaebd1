// What a syntax check over the AST is (GraphQL-js style): given where to report, it returns the
// hooks it needs; the runner (index.ts) walks the tree once and calls every check's hooks.
import type { DiagnosticEntry } from "../diagnostics.js";
import type { Expr, Ident, Stmt, TypeExpr } from "../ast.js";
import type { Span } from "../span.js";

/** What the translation leaves out of the AST (it has no place there); the checks still look inside. */
export interface LeftOut {
  /** `target = value` whose target is not a name: the statement is `value` alone */
  assignTargets: Expr[];
  /** type arguments a type does not take (`string<T>`, the `U` of `list<T, U>`) */
  typeArgs: TypeExpr[];
}

/** Where an expression stands: which part of a statement or of another expression it is. */
export type Place =
  | { of: "stmt"; stmt: Stmt; part: "init" | "value" | "cond" | "iter" | "message" | "key" | "expr" | "reason" | "ms" }
  | { of: "expr"; expr: Expr; part: ExprPart }
  /** an assignment's target that is not a name (LeftOut.assignTargets) */
  | { of: "assignTarget" };

export type ExprPart =
  | "left"
  | "right"
  | "operand"
  | "object"
  | "index"
  | "callee"
  | "arg"
  | "item"
  | "fieldValue"
  | "inner"
  | "key"
  | "setValue"
  | "where"
  /** a `wait`'s signal name and its `timeout` */
  | "waitName"
  | "timeout";

export interface CheckContext {
  /** the source text, for messages that quote it */
  text: string;
  report(entry: DiagnosticEntry, span: Span, message: string, hint?: string): void;
}

/** The hooks a check may have; an expression comes before its parts. */
export interface Visitor {
  /** a name the program declares or uses (a type's name is not one: `null` names a type) */
  name?(id: Ident): void;
  expr?(e: Expr, place: Place): void;
  /** an assignment's target that is not a name, before its expressions are entered */
  assignTarget?(target: Expr): void;
}

export type Check = (context: CheckContext) => Visitor;
