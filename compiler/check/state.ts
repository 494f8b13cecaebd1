// Shared state of a checker run: the program's declarations (filled by resolve.ts), the
// diagnostics sink, and the per-fn state that expr/stmt/update checking threads through.
import type { Diagnostic, Span } from "../../grammar/span.js";
import type { Expr, ExternDecl, FnDecl, ServiceDecl, TableDecl, TypeDecl } from "../../grammar/ast.js";
import type { DiagnosticEntry } from "../../grammar/diagnostics.js";
import { diagnostic } from "../../grammar/diagnostics.js";
import type { IrExpr } from "../ir.js";
import type { FieldTy, Ty, TyTable } from "./types.js";
import type { SiteAllocator } from "./sites.js";
import type { FnFacts } from "./effects.js";

/** Collects diagnostics; never throws. */
export class Reporter {
  readonly list: Diagnostic[] = [];
  report(entry: DiagnosticEntry, span: Span, message: string, hint?: string): void {
    this.list.push(diagnostic(entry, span, message, hint));
  }
  get errorCount(): number {
    return this.list.filter((d) => d.severity === "error").length;
  }
}

export interface ParamInfo {
  name: string;
  type: Ty;
  span: Span;
}

export interface TypeInfo {
  decl: TypeDecl;
  /** error when the type is recursive or otherwise broken */
  type: Ty;
}

export interface ExternInfo {
  name: string;
  decl: ExternDecl;
  params: ParamInfo[];
  result: Ty;
  module: string;
}

export interface TableInfo {
  name: string;
  service: string;
  decl: TableDecl;
  valueType: Ty;
  /** the value type's fields, or null when it is not a record (already reported) */
  fields: FieldTy[] | null;
}

export interface FnInfo {
  name: string;
  service: string;
  decl: FnDecl;
  params: ParamInfo[];
  result: Ty;
  /** "service.fn" */
  key: string;
}

export interface ServiceInfo {
  name: string;
  decl: ServiceDecl;
  tables: Map<string, TableInfo>;
  fns: Map<string, FnInfo>;
}

/** Which fns touch a table, and how (a syntactic pre-scan used for sovereignty hints). */
export type TableOp = "read" | "write" | "update" | "delete" | "scan";
export interface TableUse {
  service: string;
  fn: string;
  op: TableOp;
}

export interface Program {
  types: TyTable;
  typeInfos: Map<string, TypeInfo>;
  externs: Map<string, ExternInfo>;
  services: Map<string, ServiceInfo>;
  /** table name -> services that declare it */
  tableOwners: Map<string, string[]>;
  /** "service.table" -> uses by the owner's fns */
  tableUses: Map<string, TableUse[]>;
  /** what each name checked means: a side table for the language services, never read by the checker */
  uses: NameUse[];
}

/** One name in the program and what the checker resolved it to (`decl`: a local's declaration). */
export type NameUse =
  | { kind: "local"; span: Span; sym: Sym; type: Ty; decl: boolean; shorthand: boolean }
  | { kind: "fn"; span: Span; fn: FnInfo }
  | { kind: "extern"; span: Span; extern: ExternInfo }
  | { kind: "builtin"; span: Span; name: string }
  | { kind: "service"; span: Span; service: ServiceInfo }
  | { kind: "table"; span: Span; table: TableInfo }
  /** `r.f`, a record literal's field, or a stored field in `update` (`table` set) */
  | { kind: "field"; span: Span; field: FieldTy; table: TableInfo | null };

/**
 * A parameter or local. "reason": the `r` of `txn { } else (r) { }`; "alias": the `s` of
 * `update T[k] as s` (never in a scope: only `s.f` inside that update's `set` and `where` means it).
 */
export interface Sym {
  name: string;
  kind: "param" | "let" | "var" | "for" | "reason" | "alias";
  type: Ty;
  span: Span;
  /** index of the scope that declares it */
  depth: number;
}

export type Frame =
  | { kind: "loop" }
  | { kind: "txnBody"; depth: number; restore: string[]; span: Span }
  | { kind: "txnElse" }
  | { kind: "branch"; depth: number };

export interface ParallelCtx {
  /** names of `let`s made by each branch (by branch index) */
  names: Map<string, number>;
  current: number;
}

/** The state of checking one fn. */
export interface FnCtx {
  prog: Program;
  diags: Reporter;
  service: ServiceInfo;
  fn: FnInfo;
  scopes: Map<string, Sym>[];
  frames: Frame[];
  /** locals known to be non-null here (narrowing) */
  facts: Set<Sym>;
  sites: SiteAllocator;
  info: FnFacts;
  parallel: ParallelCtx[];
  /** inside the `set` and `where` of `update T[k] as s`: a bare stored field's name is a local there (for hints) */
  updateAlias?: { name: string; fields: string[] };
  /**
   * The expression checker (check/expr.ts), passed in: the checkers it calls back into (calls,
   * builtins, update) use it from here instead of importing expr.ts, so imports stay acyclic.
   */
  expr: (ctx: FnCtx, e: Expr, hint?: Ty) => Typed;
}

/** An expression's IR and its checker type. */
export interface Typed {
  ir: IrExpr;
  ty: Ty;
}
