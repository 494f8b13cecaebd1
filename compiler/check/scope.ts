// Names inside a fn: scopes, declaring locals (no shadowing except of builtins), looking names
// up (with "did you mean" and parallel-sibling diagnostics), and the frames of enclosing
// loops, transactions and parallel branches.
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { FnCtx, Frame, Sym } from "./state.js";
import { BUILTIN_NAMES } from "./builtins.js";
import { didYouMean } from "./suggest.js";
import type { Ty } from "./types.js";

function loc(span: Span): string {
  return `${span.line}:${span.col}`;
}

export function pushScope(ctx: FnCtx): void {
  ctx.scopes.push(new Map());
}

export function popScope(ctx: FnCtx): void {
  ctx.scopes.pop();
}

export function inScope<R>(ctx: FnCtx, f: () => R): R {
  pushScope(ctx);
  try {
    return f();
  } finally {
    popScope(ctx);
  }
}

export function withFrame<R>(ctx: FnCtx, frame: Frame, f: () => R): R {
  ctx.frames.push(frame);
  try {
    return f();
  } finally {
    ctx.frames.pop();
  }
}

/** The visible parameter or local of that name, or null. */
export function lookup(ctx: FnCtx, name: string): Sym | null {
  for (let i = ctx.scopes.length - 1; i >= 0; i--) {
    const s = ctx.scopes[i]!.get(name);
    if (s) return s;
  }
  return null;
}

/**
 * Declares a local in the innermost scope; reports a local or parameter of that name that is
 * already visible. (A local may have the name of a builtin, fn or extern: it hides it in calls.)
 */
export function declare(ctx: FnCtx, name: string, span: Span, kind: Sym["kind"], type: Ty): Sym {
  const prev = lookup(ctx, name);
  if (prev) {
    const what = describeSym(prev);
    ctx.diags.report(
      CHECK.alreadyDeclared,
      span,
      `\`${name}\` is already declared as ${what} at ${loc(prev.span)}`,
      `rename this one: a name may not be declared again while it is visible`,
    );
  }
  const sym: Sym = { name, kind, type, span, depth: ctx.scopes.length - 1 };
  ctx.scopes[ctx.scopes.length - 1]!.set(name, sym);
  ctx.prog.uses.push({ kind: "local", span, sym, type, decl: true, shorthand: false });
  return sym;
}

/** What a parameter or local is, for messages: "a parameter", "a local (`let`)", ... */
export function describeSym(sym: Sym): string {
  switch (sym.kind) {
    case "param":
      return "a parameter";
    case "reason":
      return "the abort reason of `else (...)`";
    case "alias":
      return "the stored value of an `update ... as`";
    default:
      return `a local (\`${sym.kind}\`)`;
  }
}

/** Every visible local name (for suggestions). */
export function visibleNames(ctx: FnCtx): string[] {
  const out: string[] = [];
  for (const s of ctx.scopes) out.push(...s.keys());
  return out;
}

/**
 * Reports an unknown name used as a value, with the most useful explanation: a sibling
 * branch's `let`, a function used as a value, a table, or a close spelling.
 */
export function reportUnknownName(ctx: FnCtx, name: string, span: Span): void {
  for (let i = ctx.parallel.length - 1; i >= 0; i--) {
    const p = ctx.parallel[i]!;
    const b = p.names.get(name);
    if (b !== undefined && b !== p.current) {
      ctx.diags.report(
        CHECK.parallelSibling,
        span,
        `\`${name}\` is made by another branch of this \`parallel\` block and is not visible here`,
        `branches run concurrently: use \`${name}\` after the block, or put both statements in one branch`,
      );
      return;
    }
  }
  let hint: string | undefined;
  if (ctx.service.fns.has(name) || ctx.prog.externs.has(name) || BUILTIN_NAMES.has(name))
    hint = `\`${name}\` is a function: call it, \`${name}(...)\``;
  else if (ctx.service.tables.has(name)) hint = `\`${name}\` is a table: read a value with \`read ${name}[key]\``;
  else if (ctx.updateAlias?.fields.includes(name))
    hint = `with \`as ${ctx.updateAlias.name}\`, bare names are locals: the stored field is \`${ctx.updateAlias.name}.${name}\``;
  else hint = didYouMean(name, visibleNames(ctx)) ?? "declare it with `let` or `var` before using it";
  ctx.diags.report(CHECK.unknownName, span, `unknown name \`${name}\``, hint);
}

/** The innermost frame of one of the kinds, searching outward. */
export function findFrame(ctx: FnCtx, pred: (f: Frame) => boolean): Frame | null {
  for (let i = ctx.frames.length - 1; i >= 0; i--) if (pred(ctx.frames[i]!)) return ctx.frames[i]!;
  return null;
}

/** The enclosing `txn` body, if any (searching through everything). */
export function inTxnBody(ctx: FnCtx): Frame | null {
  return findFrame(ctx, (f) => f.kind === "txnBody");
}
