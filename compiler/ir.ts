// The IR: the one contract between the front half (grammar/, compiler/check) and the back half
// (compiler/emit, bundle, manifest). Plain JSON-serializable data with a schema version; the
// manifest.json of a build is this object. The emitter never looks at the AST.
import type { Span } from "../grammar/span.js";
import type { TypeDesc } from "../contract/types.js";

// 2: IrFn.readOnly; 3: every union is told apart by `kind` (was `k`); 4: LANGUAGE.md §9's abort
// reasons (`abort.reason`, `txn.reason`) and optional access (`field.nullSafe`). The fields 4 adds
// are absent where a program does not use them, so a program's IR differs from 3's only in the
// version (compat.ts compares bodies as JSON). 5: durable waiting (`sleep`, `wait`, `signal`,
// `IrEffects.suspends`), absent-or-false where a program does not use it, like 4's additions.
export const IR_SCHEMA_VERSION = 5;

/** The schemas a previous version's manifest.json may have (`beldi diff`, `build --previous`): 5 reads 3 and 4 as they are. */
export const READABLE_IR_SCHEMA_VERSIONS: readonly number[] = [3, 4, IR_SCHEMA_VERSION];

export interface IrProgram {
  schemaVersion: typeof IR_SCHEMA_VERSION;
  /** the app's name: its folder's name */
  app: string;
  /** a hash of the sources: changes whenever any .beldi or extern file changes */
  codeVersion: string;
  /** source files, relative to the app folder */
  files: string[];
  types: IrTypeDecl[];
  externs: IrExtern[];
  services: IrService[];
}

export interface IrTypeDecl {
  name: string;
  type: TypeDesc;
  span: Span;
}

export interface IrExtern {
  name: string;
  params: IrParam[];
  result: TypeDesc;
  /** absolute path of the TypeScript module that exports `name` */
  module: string;
  span: Span;
}

export interface IrService {
  name: string;
  tables: IrTable[];
  fns: IrFn[];
  span: Span;
}

export interface IrTable {
  name: string;
  /** the value type (a record, possibly `named`) */
  valueType: TypeDesc;
  /** field names of the value type, for the store layout (each is a top-level attribute) */
  fields: string[];
  span: Span;
}

export interface IrParam {
  name: string;
  type: TypeDesc;
  span: Span;
}

export interface IrFn {
  name: string;
  params: IrParam[];
  result: TypeDesc;
  body: IrStmt[];
  /** every logged site of this fn, in source order; ids are unique within the fn */
  sites: IrSite[];
  /** what the fn may do, transitively through inline calls (not through `call`) */
  effects: IrEffects;
  /** no write, spawn or txn anywhere it reaches (through `call` too): run without logs or intents */
  readOnly: boolean;
  span: Span;
}

export interface IrEffects {
  /** writes, updates or deletes a table */
  writes: boolean;
  /** `call` targets, as "service.fn" */
  calls: string[];
  /** `spawn` targets, as "service.fn" */
  spawns: string[];
  /** contains a `txn` block */
  txn: boolean;
  /** uses `scan` */
  scans: boolean;
  /** may suspend its instance: a `sleep` or `wait` it reaches through inline calls (absent: false) */
  suspends?: true;
}

export type IrSiteOp =
  | "read"
  | "write"
  | "update"
  | "delete"
  | "scan"
  | "call"
  | "spawn"
  | "inline"
  | "now"
  | "uuid"
  | "random"
  | "txn"
  | "loop"
  | "parallel"
  | "sleep"
  | "wait"
  | "signal";

/**
 * A logged site: a place in the source whose execution is recorded. Its `id` is static; the
 * runtime extends it with the dynamic path (loop iteration, parallel branch, inline-call site,
 * txn attempt) so the k-th execution of the site has the same step id on every re-execution.
 */
export interface IrSite {
  id: string;
  op: IrSiteOp;
  span: Span;
  /** the table, for table operations */
  table?: string;
  /** "service.fn" for call/spawn, the fn name for inline */
  target?: string;
}

// ---- statements --------------------------------------------------------------------------

export type IrStmt =
  | { kind: "let"; name: string; mutable: boolean; type: TypeDesc; init: IrExpr; span: Span }
  | { kind: "assign"; name: string; value: IrExpr; span: Span }
  | { kind: "if"; cond: IrExpr; then: IrStmt[]; else: IrStmt[]; span: Span }
  /** `for x in xs`; `site` names the loop so iterations get distinct step paths */
  | { kind: "forList"; site: string; name: string; elemType: TypeDesc; iter: IrExpr; body: IrStmt[]; span: Span }
  /** `for k, v in m`, ascending key order */
  | { kind: "forMap"; site: string; key: string; value: string; elemType: TypeDesc; iter: IrExpr; body: IrStmt[]; span: Span }
  | { kind: "while"; site: string; cond: IrExpr; body: IrStmt[]; span: Span }
  | { kind: "break"; span: Span }
  | { kind: "continue"; span: Span }
  | { kind: "return"; value: IrExpr | null; span: Span }
  | { kind: "fail"; message: IrExpr; span: Span }
  | { kind: "write"; site: string; table: string; key: IrExpr; value: IrExpr; span: Span }
  | { kind: "delete"; site: string; table: string; key: IrExpr; span: Span }
  /**
   * `txn { body } else (reason) { onAbort }`. `restore` lists outer `var`s assigned in the body:
   * they get back their values from before the block on a restart or an abort. `reason` names the
   * `string` local the `else` block gets: the abort's reason, `""` for a bare `abort`,
   * `"conflict"` when the restarts ran out (absent: not named).
   */
  | { kind: "txn"; site: string; body: IrStmt[]; else: IrStmt[]; restore: string[]; reason?: string; span: Span }
  /** `abort` / `abort e`: `reason` a `string` (absent: `""`) */
  | { kind: "abort"; reason?: IrExpr; span: Span }
  /** each branch is one source statement; `exports` are the `let`s a branch makes visible after */
  | { kind: "parallel"; site: string; branches: { body: IrStmt[]; exports: { name: string; type: TypeDesc }[] }[]; span: Span }
  | { kind: "expr"; expr: IrExpr; span: Span }
  /** `sleep e`: a durable pause of `ms` (a number) milliseconds; the instance may suspend */
  | { kind: "sleep"; site: string; ms: IrExpr; span: Span };

// ---- expressions -------------------------------------------------------------------------

export type IrBinaryOp =
  | "*"
  | "/"
  | "%"
  | "-"
  /** numbers */
  | "+"
  /** string concatenation */
  | "concat"
  /** list concatenation */
  | "append"
  | "<"
  | "<="
  | ">"
  | ">="
  | "=="
  | "!="
  | "&&"
  | "||"
  | "??";

export type IrBuiltin =
  | "len"
  | "keys"
  | "values"
  | "contains"
  | "min"
  | "max"
  | "abs"
  | "floor"
  | "ceil"
  | "round"
  | "str"
  | "num"
  | "slice"
  | "range"
  | "sort"
  | "json";

/** Every expression carries its (checked) type. */
export type IrExpr = { type: TypeDesc; span: Span } & (
  | { kind: "lit"; value: string | number | boolean | null }
  | { kind: "list"; items: IrExpr[] }
  | { kind: "record"; fields: { name: string; value: IrExpr }[] }
  /** a parameter, `let` or `var` */
  | { kind: "local"; name: string }
  /**
   * `r.f`; `optional` when the field is declared `f?` (the result may be absent: read as null);
   * `nullSafe` for `r?.f`: null when `r` is null (absent: `r` is never null here)
   */
  | { kind: "field"; object: IrExpr; name: string; optional: boolean; nullSafe?: true }
  /** `xs[i]` (list: number index) or `m[k]` (map: string key); yields null when absent */
  | { kind: "index"; object: IrExpr; index: IrExpr; on: "list" | "map" }
  /** a value of optional type that the checker proved non-null here (narrowing) */
  | { kind: "nonNull"; expr: IrExpr }
  | { kind: "unary"; op: "!" | "-"; operand: IrExpr }
  | { kind: "binary"; op: IrBinaryOp; left: IrExpr; right: IrExpr }
  | { kind: "builtin"; name: IrBuiltin; args: IrExpr[] }
  | { kind: "extern"; name: string; args: IrExpr[] }
  /** a fn of the same service run inside this instance; `site` prefixes the callee's steps */
  | { kind: "inline"; site: string; fn: string; args: IrExpr[] }
  /** `forUpdate`: the fn writes this key later, so inside a transaction the read takes the exclusive lock */
  | { kind: "read"; site: string; table: string; key: IrExpr; forUpdate?: boolean }
  | { kind: "scan"; site: string; table: string }
  /** `call s.f(..)`: args in parameter order */
  | { kind: "call"; site: string; service: string; fn: string; args: IrExpr[] }
  /** `spawn s.f(..)`: yields the callee's instance id */
  | { kind: "spawn"; site: string; service: string; fn: string; args: IrExpr[] }
  | { kind: "nondet"; site: string; name: "now" | "uuid" | "random" }
  /**
   * `wait "name" as T [timeout e]`: type `T?` (the expression's `type`); `valueType` is `T`, which
   * the runtime checks the delivered value against; `timeout` a number of ms, or null (no timeout)
   */
  | { kind: "wait"; site: string; name: string; valueType: TypeDesc; timeout: IrExpr | null }
  /** `signal(id, name, v)`: type bool; `name` a string expression, `value` any value */
  | { kind: "signal"; site: string; instance: IrExpr; name: IrExpr; value: IrExpr }
  /** `update T[k] set ... [where ...]`: type bool with `where`, null without */
  | { kind: "update"; site: string; table: string; key: IrExpr; sets: IrSet[]; where: IrCond | null; upsert: boolean }
);

/** One `set f = ...` of an update, in a form the store applies atomically. */
export interface IrSet {
  field: string;
  value: IrSetValue;
}

export type IrSetValue =
  /** `f = e` (e mentions no stored field) */
  | { kind: "assign"; value: IrExpr }
  /** `f = f + e`, `f = f - e` (sign -1), `f = (f ?? d) + e` (start = d) */
  | { kind: "add"; delta: IrExpr; sign: 1 | -1; start: IrExpr | null }
  /** `f = f ?? e`: the stored value, or e where absent */
  | { kind: "coalesce"; fallback: IrExpr }
  /** `f = f + [e]` / `f = f + xs` / `f = (f ?? d) + xs`: list append */
  | { kind: "append"; items: IrExpr; start: IrExpr | null };

/** A `where` condition over stored fields and local values. */
export type IrCond =
  | { kind: "cmp"; op: "<" | "<=" | ">" | ">=" | "==" | "!="; left: IrCondOperand; right: IrCondOperand }
  | { kind: "exists"; field: string; negated: boolean }
  | { kind: "contains"; field: string; value: IrExpr }
  | { kind: "len"; field: string; op: "<" | "<=" | ">" | ">=" | "==" | "!="; value: IrExpr }
  | { kind: "and" | "or"; left: IrCond; right: IrCond }
  | { kind: "not"; operand: IrCond }
  /** a local boolean expression (no stored field) */
  | { kind: "local"; value: IrExpr };

export type IrCondOperand = { kind: "field"; name: string } | { kind: "value"; value: IrExpr };
