// Calls: `f(args)` (an inline fn of the same service, else an extern, else a builtin) and
// `call s.f(args)` / `spawn s.f(args)` across services. Arity and argument types everywhere.
import type { Expr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrExpr } from "../ir.js";
import type { FnCtx, ParamInfo, Typed } from "./state.js";
import { BUILTIN_NAMES, checkBuiltin } from "./builtins.js";
import { describeSym, findFrame, inTxnBody, lookup } from "./scope.js";
import { didYouMean } from "./suggest.js";
import { show, T, type Ty } from "./types.js";
import { errorExpr, expect, mk } from "./util.js";

const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;

/** Checks arguments against parameters, in parameter order. */
export function checkArgs(ctx: FnCtx, args: Expr[], params: ParamInfo[], callee: string, span: Span): IrExpr[] {
  if (args.length !== params.length)
    ctx.diags.report(
      CHECK.arity,
      span,
      `\`${callee}\` takes ${plural(params.length)}, but ${args.length} ${args.length === 1 ? "was" : "were"} given`,
      params.length === 0 ? undefined : `its parameters are ${params.map((p) => `\`${p.name}\``).join(", ")}`,
    );
  return args.map((a, i) => {
    const p = params[i];
    const v = ctx.expr(ctx, a, p?.type);
    if (p) expect(ctx, v, p.type, a.span, `argument \`${p.name}\` of \`${callee}\``, CHECK.argType);
    return v.ir;
  });
}

export function checkCall(ctx: FnCtx, e: Extract<Expr, { kind: "call" }>): Typed {
  if (e.callee.kind !== "name") {
    ctx.diags.report(
      CHECK.calleeNotName,
      e.callee.span,
      "only a fn, an extern or a builtin can be called, by its name",
      "to run a fn of another service write `call service.fn(args)`",
    );
    for (const a of e.args) ctx.expr(ctx, a);
    return errorExpr(e.span);
  }
  const name = e.callee.name;
  const nameSpan = e.callee.span;
  const sym = lookup(ctx, name);
  if (sym) {
    const what = describeSym(sym);
    ctx.diags.report(
      CHECK.notAFunction,
      nameSpan,
      `\`${name}\` is ${what} of type \`${show(sym.type)}\`, not a function`,
      hidden(ctx, name)
        ? `the ${sym.kind === "param" ? "parameter" : "local"} hides the ${hidden(ctx, name)} \`${name}\`: rename it`
        : undefined,
    );
    for (const a of e.args) ctx.expr(ctx, a);
    return errorExpr(e.span);
  }
  const fn = ctx.service.fns.get(name);
  if (fn) {
    ctx.prog.uses.push({ kind: "fn", span: nameSpan, fn });
    const irArgs = checkArgs(ctx, e.args, fn.params, name, e.span);
    const r = mk(fn.result, e.span, { kind: "inline", site: "", fn: name, args: irArgs });
    ctx.sites.add("inline", e.span, r.ir as IrExpr & { site: string }, { target: name });
    const edge = { kind: "inline" as const, target: fn.key, span: e.span };
    ctx.info.edges.push(edge);
    if (inTxnBody(ctx)) ctx.info.txnEdges.push(edge);
    if (findFrame(ctx, (f) => f.kind === "branch")) ctx.info.parallelEdges.push(edge);
    return r;
  }
  const ext = ctx.prog.externs.get(name);
  if (ext) {
    ctx.prog.uses.push({ kind: "extern", span: nameSpan, extern: ext });
    const irArgs = checkArgs(ctx, e.args, ext.params, name, e.span);
    return mk(ext.result, e.span, { kind: "extern", name, args: irArgs });
  }
  if (BUILTIN_NAMES.has(name)) {
    ctx.prog.uses.push({ kind: "builtin", span: nameSpan, name });
    return checkBuiltin(ctx, name, e.args, e.span);
  }
  // unknown: explain the likely intent
  let hint: string | undefined;
  const owner = [...ctx.prog.services.values()].find((s) => s.fns.has(name));
  if (name === "exists") hint = "`exists(f)` is only available in the `where` condition of an `update`";
  else if (owner) hint = `\`${name}\` is a fn of service \`${owner.name}\`: run it with \`call ${owner.name}.${name}(...)\``;
  else hint = didYouMean(name, [...ctx.service.fns.keys(), ...ctx.prog.externs.keys(), ...BUILTIN_NAMES]);
  ctx.diags.report(CHECK.unknownFunction, nameSpan, `unknown function \`${name}\``, hint);
  for (const a of e.args) ctx.expr(ctx, a);
  return errorExpr(e.span);
}

/** What a local of that name hides in calls, if anything. */
function hidden(ctx: FnCtx, name: string): string | null {
  if (ctx.service.fns.has(name)) return "fn";
  if (ctx.prog.externs.has(name)) return "extern";
  if (BUILTIN_NAMES.has(name)) return "builtin";
  return null;
}

export function checkInvoke(ctx: FnCtx, e: Extract<Expr, { kind: "invoke" }>): Typed {
  const svc = ctx.prog.services.get(e.service.name);
  const target = `${e.service.name}.${e.fn.name}`;
  const spawn = e.mode === "spawn";
  if (spawn) {
    if (inTxnBody(ctx))
      ctx.diags.report(
        CHECK.spawnInTxn,
        e.span,
        "`spawn` is not allowed inside a `txn` body: asynchronous work is outside any transaction",
      );
    ctx.info.forbidden.push({ kind: "spawn", span: e.span });
  }
  let result: Ty = T.error;
  let irArgs: IrExpr[];
  const fn = svc?.fns.get(e.fn.name);
  if (svc) ctx.prog.uses.push({ kind: "service", span: e.service.span, service: svc });
  if (fn) ctx.prog.uses.push({ kind: "fn", span: e.fn.span, fn });
  if (!svc) {
    ctx.diags.report(
      CHECK.unknownService,
      e.service.span,
      `unknown service \`${e.service.name}\``,
      didYouMean(e.service.name, ctx.prog.services.keys()),
    );
    irArgs = e.args.map((a) => ctx.expr(ctx, a).ir);
  } else if (!fn) {
    const names = [...svc.fns.keys()];
    ctx.diags.report(
      CHECK.unknownServiceFn,
      e.fn.span,
      `service \`${svc.name}\` has no fn \`${e.fn.name}\``,
      didYouMean(e.fn.name, names) ?? (names.length > 0 ? `its fns are ${names.map((n) => `\`${n}\``).join(", ")}` : undefined),
    );
    irArgs = e.args.map((a) => ctx.expr(ctx, a).ir);
  } else {
    irArgs = checkArgs(ctx, e.args, fn.params, target, e.span);
    result = fn.result;
  }
  const ty = spawn ? T.string : result;
  const r = mk(ty, e.span, { kind: e.mode, site: "", service: e.service.name, fn: e.fn.name, args: irArgs });
  ctx.sites.add(e.mode, e.span, r.ir as IrExpr & { site: string }, { target });
  if (spawn) {
    if (!ctx.info.spawns.includes(target)) ctx.info.spawns.push(target);
  } else {
    if (!ctx.info.calls.includes(target)) ctx.info.calls.push(target);
    if (fn) {
      const edge = { kind: "call" as const, target: fn.key, span: e.span };
      ctx.info.edges.push(edge);
      if (inTxnBody(ctx)) ctx.info.txnEdges.push(edge);
    }
  }
  return r;
}
