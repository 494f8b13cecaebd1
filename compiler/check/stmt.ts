// Statements (LANGUAGE §3): scopes, let/var/assignment, if/for/while with narrowing, jumps,
// return/fail, table writes, txn/abort and parallel, reachability.
import type { Expr, Stmt } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrStmt } from "../ir.js";
import type { FnCtx, Frame, ParallelCtx, Sym } from "./state.js";
import { checkExpr, checkKey } from "./expr.js";
import { condFacts, intersectFacts, kill, unionFacts } from "./narrow.js";
import { resolveTable } from "./sovereignty.js";
import { declare, describeSym, inScope, inTxnBody, lookup, reportUnknownName, withFrame } from "./scope.js";
import { typeFromExpr } from "./resolve.js";
import { hasNever, resolve, show, T, toDesc, type Ty } from "./types.js";
import { expect } from "./util.js";
import { checkSleep } from "./waiting.js";
import { assignedNames, breaksOut, children, unparen } from "./walk.js";

export interface Checked {
  ir: IrStmt[];
  /** whether control can reach the end normally */
  completes: boolean;
}

/** Checks a block's statements, in a new scope unless told otherwise. */
export function checkBlock(ctx: FnCtx, stmts: Stmt[], newScope = true): Checked {
  const run = (): Checked => {
    const ir: IrStmt[] = [];
    let completes = true;
    let warned = false;
    for (const s of stmts) {
      if (!completes && !warned) {
        warned = true;
        ctx.diags.report(CHECK.unreachable, s.span, "this statement is never reached", "remove it, or move it before the jump");
      }
      const c = checkStmt(ctx, s);
      ir.push(...c.ir);
      if (!c.completes) completes = false;
    }
    return { ir, completes };
  };
  return newScope ? inScope(ctx, run) : run();
}

function cond(ctx: FnCtx, e: Expr, what: string) {
  const v = checkExpr(ctx, e);
  expect(
    ctx,
    v,
    T.bool,
    e.span,
    what,
    CHECK.typeMismatch,
    resolve(v.ty, ctx.prog.types).kind === "optional" ? "compare explicitly: `x != null`" : undefined,
  );
  return v;
}

export function checkStmt(ctx: FnCtx, s: Stmt): Checked {
  const one = (ir: IrStmt, completes = true): Checked => ({ ir: [ir], completes });
  const types = ctx.prog.types;
  switch (s.kind) {
    case "let": {
      const declared = s.type ? typeFromExpr(s.type, ctx.prog, ctx.diags) : null;
      const init = checkExpr(ctx, s.init, declared ?? undefined);
      let ty: Ty;
      if (declared) {
        expect(ctx, init, declared, s.init.span, `the value of \`${s.name.name}\``);
        ty = declared;
      } else {
        ty = init.ty;
        const r = resolve(ty, types);
        const emptyRecord = unparen(s.init).kind === "record" && r.kind === "record" && r.fields.length === 0;
        if (r.kind === "null" || hasNever(ty) || emptyRecord) {
          ctx.diags.report(
            CHECK.cannotInfer,
            s.init.span,
            `the type of \`${s.name.name}\` cannot be inferred from \`${emptyRecord ? "{}" : show(ty)}\``,
            `write its type: \`${s.mutable ? "var" : "let"} ${s.name.name}: ${r.kind === "null" ? "string?" : r.kind === "record" ? "map<string>" : "list<string>"} = ...\``,
          );
          ty = T.error;
        }
      }
      declare(ctx, s.name.name, s.name.span, s.mutable ? "var" : "let", ty);
      return one({ kind: "let", name: s.name.name, mutable: s.mutable, type: toDesc(ty), init: init.ir, span: s.span });
    }
    case "assign": {
      const sym = lookup(ctx, s.target.name);
      const value = checkExpr(ctx, s.value, sym?.type);
      if (!sym) {
        reportUnknownName(ctx, s.target.name, s.target.span);
      } else {
        ctx.prog.uses.push({ kind: "local", span: s.target.span, sym, type: sym.type, decl: false, shorthand: false });
        assignChecks(ctx, sym, s.target.span);
        expect(ctx, value, sym.type, s.value.span, `the value assigned to \`${sym.name}\``);
        kill(ctx, new Set([sym.name]));
      }
      return one({ kind: "assign", name: s.target.name, value: value.ir, span: s.span });
    }
    case "if": {
      const c = cond(ctx, s.cond, "the condition of `if`");
      const f = condFacts(ctx, s.cond);
      const base = ctx.facts;
      ctx.facts = unionFacts(base, f.whenTrue);
      const then = checkBlock(ctx, s.then.stmts);
      const thenOut = ctx.facts;
      ctx.facts = unionFacts(base, f.whenFalse);
      const els = s.else ? checkBlock(ctx, s.else.stmts) : { ir: [], completes: true };
      const elseOut = ctx.facts;
      if (then.completes && els.completes) ctx.facts = intersectFacts(thenOut, elseOut);
      else if (then.completes) ctx.facts = thenOut;
      else if (els.completes) ctx.facts = elseOut;
      else ctx.facts = base;
      return one({ kind: "if", cond: c.ir, then: then.ir, else: els.ir, span: s.span }, then.completes || els.completes);
    }
    case "for":
      return checkFor(ctx, s);
    case "while": {
      kill(ctx, assignedNames(s.body.stmts));
      const entry = ctx.facts;
      const c = cond(ctx, s.cond, "the condition of `while`");
      const f = condFacts(ctx, s.cond);
      ctx.facts = unionFacts(entry, f.whenTrue);
      const body = withFrame(ctx, { kind: "loop" }, () => checkBlock(ctx, s.body.stmts));
      ctx.facts = entry;
      const u = unparen(s.cond);
      const forever = u.kind === "bool" && u.value && !breaksOut(s.body);
      const node: IrStmt = { kind: "while", site: "", cond: c.ir, body: body.ir, span: s.span };
      ctx.sites.add("loop", s.span, node);
      return one(node, !forever);
    }
    case "break":
    case "continue":
      checkJump(ctx, s.kind, s.span);
      return one({ kind: s.kind, span: s.span }, false);
    case "return":
      return one(checkReturn(ctx, s), false);
    case "fail": {
      const m = checkExpr(ctx, s.message, T.string);
      expect(
        ctx,
        m,
        T.string,
        s.message.span,
        "the message of `fail`",
        CHECK.typeMismatch,
        resolve(m.ty, types).kind === "optional" ? undefined : "make a string, e.g. with `str(x)` or `json(x)`",
      );
      return one({ kind: "fail", message: m.ir, span: s.span }, false);
    }
    case "write": {
      const t = resolveTable(ctx, s.table, "write");
      const key = checkKey(ctx, s.key);
      const value = checkExpr(ctx, s.value, t?.valueType);
      if (t) expect(ctx, value, t.valueType, s.value.span, `a value of table \`${t.name}\``);
      ctx.info.writes = true;
      const node: IrStmt = { kind: "write", site: "", table: s.table.name, key: key.ir, value: value.ir, span: s.span };
      ctx.sites.add("write", s.span, node, { table: s.table.name });
      return one(node);
    }
    case "delete": {
      resolveTable(ctx, s.table, "delete");
      const key = checkKey(ctx, s.key);
      ctx.info.writes = true;
      const node: IrStmt = { kind: "delete", site: "", table: s.table.name, key: key.ir, span: s.span };
      ctx.sites.add("delete", s.span, node, { table: s.table.name });
      return one(node);
    }
    case "txn":
      return checkTxn(ctx, s);
    case "abort": {
      checkAbort(ctx, s.span);
      if (!s.reason) return one({ kind: "abort", span: s.span }, false);
      const r = checkExpr(ctx, s.reason, T.string);
      expect(
        ctx,
        r,
        T.string,
        s.reason.span,
        "the reason of `abort`",
        CHECK.typeMismatch,
        resolve(r.ty, types).kind === "optional" ? undefined : "make a string, e.g. with `str(x)` or `json(x)`",
      );
      return one({ kind: "abort", reason: r.ir, span: s.span }, false);
    }
    case "parallel":
      return checkParallel(ctx, s);
    case "expr": {
      const v = checkExpr(ctx, s.expr, undefined, { statement: true });
      if (!hasEffect(ctx, s.expr))
        ctx.diags.report(CHECK.noEffect, s.span, "this expression's value is computed and thrown away", "bind it with `let`, or remove it");
      return one({ kind: "expr", expr: v.ir, span: s.span });
    }
    case "sleep":
      return one(checkSleep(ctx, s));
  }
}

/** Whether an expression statement does something (a logged operation somewhere in it). */
function hasEffect(ctx: FnCtx, e: Expr): boolean {
  const u = unparen(e);
  const sub = (x: Expr) => hasEffect(ctx, x);
  switch (u.kind) {
    case "invoke":
    case "update":
    case "read":
    case "scan":
    case "wait":
    case "signal":
      return true;
    case "call":
      // inline fns and nondeterministic builtins have effects; externs and builtins are pure,
      // but an argument may still do something
      if (u.callee.kind !== "name" || ctx.service.fns.has(u.callee.name)) return true;
      if (ctx.prog.externs.has(u.callee.name) || isPureName(u.callee.name)) return u.args.some(sub);
      return true;
    default:
      return children(u).some(sub);
  }
}

const PURE = new Set([
  "len",
  "keys",
  "values",
  "contains",
  "min",
  "max",
  "abs",
  "floor",
  "ceil",
  "round",
  "str",
  "num",
  "slice",
  "range",
  "sort",
  "json",
]);
function isPureName(n: string): boolean {
  return PURE.has(n);
}
/** An assignment's rules: only `var`s; not an outer `var` from a parallel branch; txn restore. */
function assignChecks(ctx: FnCtx, sym: Sym, span: Span): void {
  if (sym.kind !== "var") {
    const what = sym.kind === "let" ? "a `let`" : sym.kind === "for" ? "a `for` name" : describeSym(sym);
    ctx.diags.report(
      CHECK.assignImmutable,
      span,
      `\`${sym.name}\` is ${what}, which cannot be assigned`,
      sym.kind === "let"
        ? `declare it with \`var ${sym.name}\` to make it mutable`
        : `copy it into a \`var\` first: \`var ${sym.name}2 = ${sym.name}\``,
    );
    return;
  }
  for (const f of ctx.frames) {
    if (f.kind === "branch" && sym.depth < f.depth) {
      ctx.diags.report(
        CHECK.parallelAssignOuter,
        span,
        `a \`parallel\` branch may not assign \`${sym.name}\`, which is declared outside the block`,
        `bind the value with \`let\` in the branch and assign \`${sym.name}\` after the block`,
      );
      return;
    }
  }
  for (const f of ctx.frames) if (f.kind === "txnBody" && sym.depth < f.depth && !f.restore.includes(sym.name)) f.restore.push(sym.name);
}

function checkJump(ctx: FnCtx, kind: "break" | "continue", span: Span): void {
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const f = ctx.frames[i]!;
    if (f.kind === "loop") return;
    if (f.kind === "txnBody") {
      ctx.diags.report(CHECK.jumpOutOfTxn, span, `\`${kind}\` may not leave a \`txn\` body`);
      return;
    }
    if (f.kind === "branch") {
      ctx.diags.report(CHECK.parallelJump, span, `\`${kind}\` may not leave a \`parallel\` branch`);
      return;
    }
  }
  ctx.diags.report(CHECK.jumpOutsideLoop, span, `\`${kind}\` is only allowed inside a \`for\` or \`while\` loop`);
}

function checkAbort(ctx: FnCtx, span: Span): void {
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const f = ctx.frames[i]!;
    if (f.kind === "txnBody") return;
    if (f.kind === "txnElse") {
      ctx.diags.report(CHECK.abortOutsideTxn, span, "`abort` is not allowed in the `else` of a `txn`: it runs outside the transaction");
      return;
    }
    if (f.kind === "branch") {
      ctx.diags.report(CHECK.parallelJump, span, "`abort` may not leave a `parallel` branch");
      return;
    }
  }
  ctx.diags.report(CHECK.abortOutsideTxn, span, "`abort` is only allowed inside a `txn` body");
}

function admitsNull(t: Ty, ctx: FnCtx): boolean {
  const k = resolve(t, ctx.prog.types).kind;
  return k === "null" || k === "optional" || k === "any" || k === "error";
}

function checkReturn(ctx: FnCtx, s: Extract<Stmt, { kind: "return" }>): IrStmt {
  if (ctx.frames.some((f) => f.kind === "branch"))
    ctx.diags.report(CHECK.parallelJump, s.span, "`return` may not leave a `parallel` branch");
  const fn = ctx.fn;
  if (!s.value) {
    if (!admitsNull(fn.result, ctx))
      ctx.diags.report(CHECK.returnWithoutValue, s.span, `fn \`${fn.name}\` returns \`${show(fn.result)}\`, so \`return\` needs a value`);
    return { kind: "return", value: null, span: s.span };
  }
  const v = checkExpr(ctx, s.value, fn.result);
  if (!fn.decl.result) {
    if (resolve(v.ty, ctx.prog.types).kind !== "null" && v.ty.kind !== "error")
      ctx.diags.report(
        CHECK.returnValueInProcedure,
        s.value.span,
        `fn \`${fn.name}\` has no result type, so its \`return\` takes no value`,
        `declare the result: \`fn ${fn.name}(...) -> ${show(v.ty)}\`, or write \`return\``,
      );
  } else {
    expect(ctx, v, fn.result, s.value.span, `the result of \`${fn.name}\``);
  }
  return { kind: "return", value: v.ir, span: s.span };
}

function checkFor(ctx: FnCtx, s: Extract<Stmt, { kind: "for" }>): Checked {
  const types = ctx.prog.types;
  const iter = checkExpr(ctx, s.iter);
  const r = resolve(iter.ty, types);
  let elem: Ty = T.error;
  let isMap = s.key !== null;
  if (r.kind === "list") {
    elem = r.elem;
    if (s.key) {
      ctx.diags.report(
        CHECK.forListTwoNames,
        s.key.span,
        `\`for ${s.key.name}, ${s.value.name} in ...\` walks a map, but this is \`${show(iter.ty)}\``,
        `write \`for ${s.value.name} in ...\`; for indexes, \`for i in range(len(xs))\``,
      );
    }
    isMap = false;
  } else if (r.kind === "map") {
    elem = r.elem;
    if (!s.key)
      ctx.diags.report(
        CHECK.forMapOneName,
        s.value.span,
        `a map is walked with two names, the key and the value: \`for k, ${s.value.name} in ...\``,
        "or walk `keys(m)` / `values(m)`",
      );
    isMap = true;
  } else if (r.kind === "any") {
    elem = T.any;
  } else if (r.kind !== "error") {
    ctx.diags.report(
      CHECK.badIterable,
      s.iter.span,
      `\`for\` walks a list or a map, not \`${show(iter.ty)}\``,
      r.kind === "optional"
        ? "the value may be null: check for null first, or write `for x in (xs ?? [])`"
        : r.kind === "number"
          ? "to count, walk `range(n)`"
          : undefined,
    );
  }
  kill(ctx, assignedNames(s.body.stmts));
  const entry = ctx.facts;
  const node: IrStmt = isMap
    ? {
        kind: "forMap",
        site: "",
        key: s.key?.name ?? "_",
        value: s.value.name,
        elemType: toDesc(elem),
        iter: iter.ir,
        body: [],
        span: s.span,
      }
    : { kind: "forList", site: "", name: s.value.name, elemType: toDesc(elem), iter: iter.ir, body: [], span: s.span };
  ctx.sites.add("loop", s.span, node);
  const body = withFrame(ctx, { kind: "loop" }, () =>
    inScope(ctx, () => {
      if (s.key) declare(ctx, s.key.name, s.key.span, "for", isMap ? T.string : T.error);
      declare(ctx, s.value.name, s.value.span, "for", elem);
      return checkBlock(ctx, s.body.stmts);
    }),
  );
  node.body = body.ir;
  ctx.facts = entry;
  return { ir: [node], completes: true };
}

function checkTxn(ctx: FnCtx, s: Extract<Stmt, { kind: "txn" }>): Checked {
  if (inTxnBody(ctx))
    ctx.diags.report(
      CHECK.nestedTxn,
      s.span,
      "a `txn` may not be nested inside another `txn` body",
      "remove the inner `txn`: its operations already belong to the outer transaction",
    );
  ctx.info.txn = true;
  ctx.info.forbidden.push({ kind: "txn", span: s.span });
  const node: Extract<IrStmt, { kind: "txn" }> = { kind: "txn", site: "", body: [], else: [], restore: [], span: s.span };
  ctx.sites.add("txn", s.span, node);
  const entry = ctx.facts;
  const frame: Frame = { kind: "txnBody", depth: ctx.scopes.length, restore: [], span: s.span };
  const body = withFrame(ctx, frame, () => checkBlock(ctx, s.body.stmts));
  const bodyOut = ctx.facts;
  ctx.facts = entry;
  // `else (r)`: the abort reason, a `string` local of the else block (LANGUAGE.md §9)
  const elseBlock = (stmts: Stmt[]): Checked =>
    inScope(ctx, () => {
      if (s.reason) declare(ctx, s.reason.name, s.reason.span, "reason", T.string);
      return checkBlock(ctx, stmts);
    });
  const els = s.else ? withFrame(ctx, { kind: "txnElse" }, () => elseBlock(s.else!.stmts)) : { ir: [], completes: true };
  const elseOut = ctx.facts;
  ctx.facts = body.completes ? (els.completes ? intersectFacts(bodyOut, elseOut) : bodyOut) : elseOut;
  node.body = body.ir;
  node.else = els.ir;
  node.restore = frame.kind === "txnBody" ? frame.restore : [];
  if (s.reason) node.reason = s.reason.name;
  return { ir: [node], completes: body.completes || els.completes };
}

function checkParallel(ctx: FnCtx, s: Extract<Stmt, { kind: "parallel" }>): Checked {
  if (inTxnBody(ctx))
    ctx.diags.report(
      CHECK.parallelInTxn,
      s.span,
      "`parallel` is not allowed inside a `txn` body",
      "run the statements one after the other inside the transaction",
    );
  ctx.info.forbidden.push({ kind: "parallel", span: s.span });
  const node: Extract<IrStmt, { kind: "parallel" }> = { kind: "parallel", site: "", branches: [], span: s.span };
  ctx.sites.add("parallel", s.span, node);
  const pctx: ParallelCtx = { names: new Map(), current: 0 };
  s.branches.forEach((b, i) => {
    if (b.kind === "let" && !pctx.names.has(b.name.name)) pctx.names.set(b.name.name, i);
  });
  ctx.parallel.push(pctx);
  const entry = ctx.facts;
  const exports: { sym: Sym; span: Span }[] = [];
  try {
    s.branches.forEach((b, i) => {
      pctx.current = i;
      ctx.facts = entry;
      if (b.kind === "let" && b.mutable)
        ctx.diags.report(
          CHECK.parallelVar,
          b.span,
          "a `parallel` branch may not be a `var`",
          `use \`let ${b.name.name}\`; it is visible after the block`,
        );
      const frame: Frame = { kind: "branch", depth: ctx.scopes.length };
      const r = withFrame(ctx, frame, () =>
        inScope(ctx, () => {
          const c = checkStmt(ctx, b);
          const sym = b.kind === "let" ? ctx.scopes[ctx.scopes.length - 1]!.get(b.name.name) : undefined;
          return { c, sym };
        }),
      );
      const ex = r.sym ? [{ name: r.sym.name, type: toDesc(r.sym.type) }] : [];
      if (r.sym) exports.push({ sym: r.sym, span: (b as Extract<Stmt, { kind: "let" }>).name.span });
      node.branches.push({ body: r.c.ir, exports: ex });
    });
  } finally {
    ctx.parallel.pop();
    ctx.facts = entry;
  }
  // the branches' lets are visible after the block
  const scope = ctx.scopes[ctx.scopes.length - 1]!;
  const made = new Set<string>();
  for (const { sym, span } of exports) {
    if (made.has(sym.name)) {
      ctx.diags.report(
        CHECK.alreadyDeclared,
        span,
        `\`${sym.name}\` is already made by another branch of this \`parallel\` block`,
        "rename one of them",
      );
      continue;
    }
    made.add(sym.name);
    if (!lookup(ctx, sym.name)) scope.set(sym.name, { ...sym, kind: "let", depth: ctx.scopes.length - 1 });
  }
  return { ir: [node], completes: true };
}
