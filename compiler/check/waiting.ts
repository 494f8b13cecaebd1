// Durable waiting (LANGUAGE.md §9): `sleep e` (a number of ms), `wait "name" as T [timeout e]`
// (`T?`), `signal(id, "name", v)` (`bool`). Each is a logged site. Where they stand is checked
// here when they are written inside a `txn` body or a `parallel` branch; suspend-rules.ts checks
// what `call`s, `txn` bodies and branches reach through other fns.
import type { Expr, Stmt } from "../../grammar/ast.js";
import { CHECK } from "../diagnostics.js";
import type { IrExpr, IrStmt } from "../ir.js";
import type { FnCtx, Typed } from "./state.js";
import { findFrame, inTxnBody } from "./scope.js";
import { typeFromExpr } from "./resolve.js";
import { optional, resolve, show, T, toDesc } from "./types.js";
import { errorExpr, expect, mk } from "./util.js";
import { unparen } from "./walk.js";

/** Reports a `sleep`/`wait` written inside a `txn` body or a `parallel` branch; records it for suspend-rules.ts. */
function placeSuspend(ctx: FnCtx, what: string, span: Expr["span"]): void {
  ctx.info.suspends.push({ what, span });
  if (inTxnBody(ctx))
    ctx.diags.report(
      CHECK.suspendInTxn,
      span,
      `${what} is not allowed inside a \`txn\` body: a transaction may not pause while it holds its locks`,
    );
  if (findFrame(ctx, (f) => f.kind === "branch"))
    ctx.diags.report(CHECK.suspendInParallel, span, `${what} is not allowed in a \`parallel\` branch`);
}

/** A number of milliseconds (`sleep e`, `timeout e`). */
function millis(ctx: FnCtx, e: Expr, what: string): IrExpr {
  const v = ctx.expr(ctx, e, T.number);
  expect(ctx, v, T.number, e.span, what);
  return v.ir;
}

export function checkSleep(ctx: FnCtx, s: Extract<Stmt, { kind: "sleep" }>): IrStmt {
  placeSuspend(ctx, "`sleep`", s.span);
  const ms = millis(ctx, s.ms, "the duration of `sleep` (milliseconds)");
  const node: Extract<IrStmt, { kind: "sleep" }> = { kind: "sleep", site: "", ms, span: s.span };
  ctx.sites.add("sleep", s.span, node);
  return node;
}

export function checkWait(ctx: FnCtx, e: Extract<Expr, { kind: "wait" }>): Typed {
  const lit = unparen(e.name);
  // not a literal: reported by the syntax checks (E0019)
  const name = lit.kind === "string" ? lit.value : "";
  const what = lit.kind === "string" ? `\`wait ${JSON.stringify(name)}\`` : "`wait`";
  placeSuspend(ctx, what, e.span);
  const types = ctx.prog.types;
  const valueType = typeFromExpr(e.type, ctx.prog, ctx.diags);
  const r = resolve(valueType, types);
  if (r.kind === "optional" || r.kind === "null")
    ctx.diags.report(
      CHECK.waitOptional,
      e.type.span,
      `a \`wait\` yields \`T?\`, null when it times out: its type may not be \`${show(valueType)}\`${r.kind === "null" ? "" : ", which is already optional"}`,
      r.kind === "optional"
        ? `wait for \`${show(r.inner)}\`; send a record such as \`{ value: ${show(r.inner)}? }\` when null is a value the sender means`
        : undefined,
    );
  const timeout = e.timeout ? millis(ctx, e.timeout, "the `timeout` of `wait` (milliseconds)") : null;
  if (r.kind === "error") return errorExpr(e.span);
  const out = mk(optional(valueType, types), e.span, { kind: "wait", site: "", name, valueType: toDesc(valueType), timeout });
  ctx.sites.add("wait", e.span, out.ir as IrExpr & { site: string });
  return out;
}

export function checkSignal(ctx: FnCtx, e: Extract<Expr, { kind: "signal" }>): Typed {
  ctx.info.signals = true;
  ctx.info.forbidden.push({ kind: "signal", span: e.span });
  if (inTxnBody(ctx))
    ctx.diags.report(CHECK.signalInTxn, e.span, "`signal` is not allowed inside a `txn` body: a delivered signal cannot be rolled back");
  if (e.args.length !== 3) {
    ctx.diags.report(
      CHECK.arity,
      e.span,
      `\`signal\` takes 3 arguments, but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} given`,
      'write `signal(instanceId, "name", value)`',
    );
    for (const a of e.args) ctx.expr(ctx, a);
    return errorExpr(e.span);
  }
  const [idE, nameE, valueE] = e.args as [Expr, Expr, Expr];
  const id = ctx.expr(ctx, idE, T.string);
  expect(ctx, id, T.string, idE.span, "the instance id of `signal`", CHECK.argType);
  const name = ctx.expr(ctx, nameE, T.string);
  expect(ctx, name, T.string, nameE.span, "the signal name of `signal`", CHECK.argType);
  const value = ctx.expr(ctx, valueE);
  const out = mk(T.bool, e.span, { kind: "signal", site: "", instance: id.ir, name: name.ir, value: value.ir });
  ctx.sites.add("signal", e.span, out.ir as IrExpr & { site: string });
  return out;
}
