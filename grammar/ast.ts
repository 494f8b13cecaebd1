// The abstract syntax tree the parser builds from `.beldi` text. Every node carries its span.
// Plain data (no classes, no methods) so it can be printed, diffed and serialized.
import type { Span } from "./span.js";

export interface Ident {
  name: string;
  span: Span;
}

export interface SourceFileAst {
  path: string;
  decls: Decl[];
}

export type Decl = TypeDecl | ExternDecl | ServiceDecl;

/** `type Name = T` */
export interface TypeDecl {
  kind: "type";
  name: Ident;
  type: TypeExpr;
  span: Span;
}

/** `extern fn name(p: T, ...) -> R from "./file.ts"` */
export interface ExternDecl {
  kind: "extern";
  name: Ident;
  params: Param[];
  result: TypeExpr | null;
  from: { value: string; span: Span };
  span: Span;
}

/** `service name { table ... fn ... }` */
export interface ServiceDecl {
  kind: "service";
  name: Ident;
  tables: TableDecl[];
  fns: FnDecl[];
  span: Span;
}

/** `table name: T` */
export interface TableDecl {
  kind: "table";
  name: Ident;
  type: TypeExpr;
  span: Span;
}

/** `fn name(p: T, ...) -> R { ... }` */
export interface FnDecl {
  kind: "fn";
  name: Ident;
  params: Param[];
  result: TypeExpr | null;
  body: Block;
  span: Span;
}

export interface Param {
  name: Ident;
  type: TypeExpr;
  span: Span;
}

// ---- types -------------------------------------------------------------------------------

export type TypeExpr =
  /** `string`, `number`, `bool`, `null`, `any`, or a declared type's name */
  | { kind: "name"; name: Ident; span: Span }
  | { kind: "list"; elem: TypeExpr; span: Span }
  | { kind: "map"; elem: TypeExpr; span: Span }
  | { kind: "record"; fields: RecordTypeField[]; span: Span }
  /** `T?` */
  | { kind: "optional"; inner: TypeExpr; span: Span };

export interface RecordTypeField {
  name: Ident;
  optional: boolean;
  type: TypeExpr;
  span: Span;
}

// ---- statements --------------------------------------------------------------------------

export interface Block {
  stmts: Stmt[];
  span: Span;
}

export type Stmt =
  /** `let x = e`, `let x: T = e`, `var x = e` */
  | { kind: "let"; mutable: boolean; name: Ident; type: TypeExpr | null; init: Expr; span: Span }
  /** `x = e` */
  | { kind: "assign"; target: Ident; value: Expr; span: Span }
  /** `if c { } else if c { } else { }`; an `else if` is an `if` alone in the else block */
  | { kind: "if"; cond: Expr; then: Block; else: Block | null; span: Span }
  /** `for x in e { }` (key null) or `for k, v in e { }` */
  | { kind: "for"; key: Ident | null; value: Ident; iter: Expr; body: Block; span: Span }
  | { kind: "while"; cond: Expr; body: Block; span: Span }
  | { kind: "break"; span: Span }
  | { kind: "continue"; span: Span }
  | { kind: "return"; value: Expr | null; span: Span }
  | { kind: "fail"; message: Expr; span: Span }
  /** `write T[k] = e` */
  | { kind: "write"; table: Ident; key: Expr; value: Expr; span: Span }
  /** `delete T[k]` */
  | { kind: "delete"; table: Ident; key: Expr; span: Span }
  /** `txn { } else { }`; `reason` is the `r` of `else (r) { }`, the abort reason's name (§9) */
  | { kind: "txn"; body: Block; else: Block | null; reason: Ident | null; span: Span }
  /** `abort` or `abort e` (`reason`: a string, §9) */
  | { kind: "abort"; reason: Expr | null; span: Span }
  /** `parallel { s1 s2 }`: each statement is a branch */
  | { kind: "parallel"; branches: Stmt[]; span: Span }
  /** an expression evaluated for its effect (including `update ...`) */
  | { kind: "expr"; expr: Expr; span: Span }
  /** `sleep e`: a durable pause of `e` milliseconds (§9) */
  | { kind: "sleep"; ms: Expr; span: Span };

// ---- expressions -------------------------------------------------------------------------

export type BinaryOp = "*" | "/" | "%" | "+" | "-" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&&" | "||" | "??";

export type Expr =
  | { kind: "number"; value: number; span: Span }
  | { kind: "string"; value: string; span: Span }
  | { kind: "bool"; value: boolean; span: Span }
  | { kind: "null"; span: Span }
  | { kind: "list"; items: Expr[]; span: Span }
  /** `{ a: 1, b }`: `value` is null for the shorthand `b` */
  | { kind: "record"; fields: { name: Ident; value: Expr | null; span: Span }[]; span: Span }
  | { kind: "name"; name: string; span: Span }
  | { kind: "paren"; inner: Expr; span: Span }
  /** `r.f`; `nullSafe` for `r?.f` (§9: null when `r` is null) */
  | { kind: "field"; object: Expr; name: Ident; span: Span; nullSafe?: true }
  | { kind: "index"; object: Expr; index: Expr; span: Span }
  /** `f(args)`: inline fn, extern or builtin; the checker requires `callee` to be a name */
  | { kind: "call"; callee: Expr; args: Expr[]; span: Span }
  | { kind: "unary"; op: "!" | "-"; operand: Expr; span: Span }
  /** `mistakenEq`: `if a = b {`, its `=` (reported) read as `==` */
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; span: Span; mistakenEq?: true }
  /** `read T[k]` */
  | { kind: "read"; table: Ident; key: Expr; span: Span }
  /** `scan T` */
  | { kind: "scan"; table: Ident; span: Span }
  /** `call s.f(args)` or `spawn s.f(args)` */
  | { kind: "invoke"; mode: "call" | "spawn"; service: Ident; fn: Ident; args: Expr[]; span: Span }
  /**
   * `wait "name" as T [timeout e]` (§9). `name` is what was written: a string literal, else
   * reported (checks/wait-name.ts); `type` is `any` where it is missing (reported)
   */
  | { kind: "wait"; name: Expr; type: TypeExpr; timeout: Expr | null; span: Span }
  /** `signal(id, "name", v)` (§9): the checker counts the arguments */
  | { kind: "signal"; args: Expr[]; span: Span }
  /** `update T[k] [as s] set f = e, ... [where c]`; `alias` names the stored value (§9) */
  | {
      kind: "update";
      table: Ident;
      key: Expr;
      alias: Ident | null;
      sets: { field: Ident; value: Expr; span: Span }[];
      where: Expr | null;
      span: Span;
    };
