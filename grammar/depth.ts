// The depth limit of fn bodies. Every later pass (checker, emitter, the TypeScript formatter
// and type checker, esbuild) recurses over the tree, so its depth must be bounded by one number
// that all of them provably handle: MAX_DEPTH levels inside a fn. A statement of the body is at
// level 1; what a node contains (its operands, the statements of its blocks, the branches of a
// `parallel`) is one level deeper. So each operator of a chain `a + b + c`, each prefix
// operator, `.f`/`[i]`/`(args)` suffix, bracket, block and `else if` adds a level.
// Brackets are also limited while parsing (MAX_NESTING in nesting.ts) and chains while building
// the tree (MAX_CHAIN in build/translation.ts); those guard the parser itself, this guards the passes.
import type { Block, Expr, SourceFileAst, Stmt, TypeExpr } from "./ast.js";
import type { Span } from "./span.js";

/** The deepest level a node of a fn body may sit at (test/compile-limits.test.ts proves every pass handles it). */
export const MAX_DEPTH = 200;

/**
 * The most records, lists and maps a written type may nest: the store holds no deeper value
 * (runtime/codec.ts, R0021), and TypeScript checks the generated code's types and type
 * descriptors only some 40 levels deep.
 */
export const MAX_TYPE_DEPTH = 24;

type Node = { stmt: Stmt } | { expr: Expr };

const nullAt = (span: Span): Expr => ({ kind: "null", span });
const emptyAt = (span: Span): Block => ({ stmts: [], span });

/** The statements and expressions one level below a node, in source order. */
function below(n: Node): Node[] {
  if ("stmt" in n) {
    const s = n.stmt;
    const e = (x: Expr): Node => ({ expr: x });
    const st = (xs: Stmt[]): Node[] => xs.map((x) => ({ stmt: x }));
    switch (s.kind) {
      case "let":
        return [e(s.init)];
      case "assign":
        return [e(s.value)];
      case "if":
        return [e(s.cond), ...st(s.then.stmts), ...st(s.else?.stmts ?? [])];
      case "for":
        return [e(s.iter), ...st(s.body.stmts)];
      case "while":
        return [e(s.cond), ...st(s.body.stmts)];
      case "return":
        return s.value ? [e(s.value)] : [];
      case "abort":
        return s.reason ? [e(s.reason)] : [];
      case "fail":
        return [e(s.message)];
      case "write":
        return [e(s.key), e(s.value)];
      case "delete":
        return [e(s.key)];
      case "txn":
        return [...st(s.body.stmts), ...st(s.else?.stmts ?? [])];
      case "parallel":
        return st(s.branches);
      case "expr":
        return [e(s.expr)];
      case "sleep":
        return [e(s.ms)];
      default:
        return [];
    }
  }
  const x = n.expr;
  const e = (y: Expr): Node => ({ expr: y });
  switch (x.kind) {
    case "list":
      return x.items.map(e);
    case "record":
      return x.fields.flatMap((f) => (f.value ? [e(f.value)] : []));
    case "paren":
      return [e(x.inner)];
    case "field":
      return [e(x.object)];
    case "index":
      return [e(x.object), e(x.index)];
    case "call":
      return [e(x.callee), ...x.args.map(e)];
    case "unary":
      return [e(x.operand)];
    case "binary":
      return [e(x.left), e(x.right)];
    case "read":
      return [e(x.key)];
    case "invoke":
    case "signal":
      return x.args.map(e);
    case "wait":
      return [e(x.name), ...(x.timeout ? [e(x.timeout)] : [])];
    case "update":
      return [e(x.key), ...x.sets.map((s) => e(s.value)), ...(x.where ? [e(x.where)] : [])];
    default:
      return [];
  }
}

/** Replaces everything below a node by placeholders (a `null`, an empty block), in place. */
function cut(n: Node): void {
  if ("stmt" in n) {
    const s = n.stmt;
    switch (s.kind) {
      case "let":
        s.init = nullAt(s.init.span);
        return;
      case "assign":
        s.value = nullAt(s.value.span);
        return;
      case "if":
        s.cond = nullAt(s.cond.span);
        s.then = emptyAt(s.then.span);
        if (s.else) s.else = emptyAt(s.else.span);
        return;
      case "for":
      case "while":
        if (s.kind === "for") s.iter = nullAt(s.iter.span);
        else s.cond = nullAt(s.cond.span);
        s.body = emptyAt(s.body.span);
        return;
      case "return":
        if (s.value) s.value = nullAt(s.value.span);
        return;
      case "abort":
        if (s.reason) s.reason = nullAt(s.reason.span);
        return;
      case "fail":
        s.message = nullAt(s.message.span);
        return;
      case "write":
        s.value = nullAt(s.value.span);
        s.key = nullAt(s.key.span);
        return;
      case "delete":
        s.key = nullAt(s.key.span);
        return;
      case "txn":
        s.body = emptyAt(s.body.span);
        if (s.else) s.else = emptyAt(s.else.span);
        return;
      case "parallel":
        s.branches = [];
        return;
      case "expr":
        s.expr = nullAt(s.expr.span);
        return;
      case "sleep":
        s.ms = nullAt(s.ms.span);
        return;
      default:
        return;
    }
  }
  const x = n.expr;
  switch (x.kind) {
    case "list":
      x.items = x.items.map((i) => nullAt(i.span));
      return;
    case "record":
      for (const f of x.fields) if (f.value) f.value = nullAt(f.value.span);
      return;
    case "paren":
      x.inner = nullAt(x.inner.span);
      return;
    case "field":
      x.object = nullAt(x.object.span);
      return;
    case "index":
      x.object = nullAt(x.object.span);
      x.index = nullAt(x.index.span);
      return;
    case "call":
      x.callee = nullAt(x.callee.span);
      x.args = x.args.map((a) => nullAt(a.span));
      return;
    case "unary":
      x.operand = nullAt(x.operand.span);
      return;
    case "binary":
      x.left = nullAt(x.left.span);
      x.right = nullAt(x.right.span);
      return;
    case "read":
      x.key = nullAt(x.key.span);
      return;
    case "invoke":
    case "signal":
      x.args = x.args.map((a) => nullAt(a.span));
      return;
    case "wait":
      x.name = nullAt(x.name.span);
      if (x.timeout) x.timeout = nullAt(x.timeout.span);
      return;
    case "update":
      x.key = nullAt(x.key.span);
      for (const s of x.sets) s.value = nullAt(s.value.span);
      if (x.where) x.where = nullAt(x.where.span);
      return;
    default:
      return;
  }
}

export interface TooDeep {
  /** what is too deep: "fn `f`" or "this type" */
  what: "fn" | "type";
  /** the fn whose body is too deep (for "fn") */
  fn: string;
  /** the fn's body, or the whole type */
  body: Span;
  /** the first node (in source order) past the limit */
  span: Span;
}

/** Cuts a type expression at MAX_TYPE_DEPTH records, lists and maps (deeper parts become `any`). */
function limitType(t: TypeExpr, out: TooDeep[]): void {
  let first: Span | null = null;
  const todo: { t: TypeExpr; level: number }[] = [{ t, level: 0 }];
  const any = (span: Span): TypeExpr => ({ kind: "name", name: { name: "any", span }, span });
  while (todo.length > 0) {
    const { t: x, level } = todo.pop()!;
    switch (x.kind) {
      case "optional":
        todo.push({ t: x.inner, level });
        break;
      case "list":
      case "map":
        if (level >= MAX_TYPE_DEPTH) {
          if (!first || x.span.offset < first.offset) first = x.span;
          (x as { elem: TypeExpr }).elem = any(x.elem.span);
        } else todo.push({ t: x.elem, level: level + 1 });
        break;
      case "record":
        if (level >= MAX_TYPE_DEPTH) {
          if (!first || x.span.offset < first.offset) first = x.span;
          x.fields = [];
        } else for (const f of x.fields) todo.push({ t: f.type, level: level + 1 });
        break;
      default:
        break;
    }
  }
  if (first) out.push({ what: "type", fn: "", body: t.span, span: first });
}

/**
 * Cuts every fn body of the file at MAX_DEPTH and every written type at MAX_TYPE_DEPTH, in
 * place (what lies deeper becomes a `null`, an empty block, `any`), and returns the first place
 * past the limit of each fn and each type that had one. Iterative: the tree it is given may be
 * of any depth.
 */
export function limitDepth(file: SourceFileAst): TooDeep[] {
  const out: TooDeep[] = [];
  for (const d of file.decls) {
    if (d.kind === "type") limitType(d.type, out);
    else if (d.kind === "extern") {
      for (const p of d.params) limitType(p.type, out);
      if (d.result) limitType(d.result, out);
    }
    if (d.kind !== "service") continue;
    for (const t of d.tables) limitType(t.type, out);
    for (const fn of d.fns) {
      for (const p of fn.params) limitType(p.type, out);
      if (fn.result) limitType(fn.result, out);
      let first: Span | null = null;
      const todo: { n: Node; level: number }[] = fn.body.stmts.map((s) => ({ n: { stmt: s }, level: 1 })).reverse();
      while (todo.length > 0) {
        const { n, level } = todo.pop()!;
        if ("stmt" in n && n.stmt.kind === "let" && n.stmt.type) limitType(n.stmt.type, out);
        if ("expr" in n && n.expr.kind === "wait") limitType(n.expr.type, out);
        const kids = below(n);
        if (kids.length === 0) continue;
        if (level >= MAX_DEPTH) {
          const at = "stmt" in kids[0]! ? kids[0].stmt.span : kids[0]!.expr.span;
          if (!first || at.offset < first.offset) first = at;
          cut(n);
          continue;
        }
        for (let i = kids.length - 1; i >= 0; i--) todo.push({ n: kids[i]!, level: level + 1 });
      }
      if (first) out.push({ what: "fn", fn: fn.name.name, body: fn.body.span, span: first });
    }
  }
  return out;
}
