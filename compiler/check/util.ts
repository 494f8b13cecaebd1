// Helpers shared by expression and statement checking: building IR nodes with their types,
// checking that a value fits a type, describing expressions in messages.
import type { Expr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import type { DiagnosticEntry } from "../../grammar/diagnostics.js";
import { CHECK } from "../diagnostics.js";
import type { IrExpr } from "../ir.js";
import type { FnCtx, Typed } from "./state.js";
import { assignable, isOptional, resolve, show, toDesc, type Ty } from "./types.js";
import { unparen } from "./walk.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type IrBody = DistributiveOmit<IrExpr, "type" | "span">;

/** An IR expression of the given checker type. */
export function mk(ty: Ty, span: Span, body: IrBody): Typed {
  return { ty, ir: { ...body, type: toDesc(ty), span } as IrExpr };
}

/** An erroneous expression: type `error`, IR a null literal (never emitted: errors stop the build). */
export function errorExpr(span: Span): Typed {
  return mk({ kind: "error" }, span, { kind: "lit", value: null });
}

/** How to point at an expression in a message. */
export function describe(e: Expr): string {
  const u = unparen(e);
  switch (u.kind) {
    case "name":
      return `\`${u.name}\``;
    case "field": {
      const o = unparen(u.object);
      return o.kind === "name" ? `\`${o.name}.${u.name.name}\`` : `this \`.${u.name.name}\``;
    }
    case "read":
      return `\`read ${u.table.name}[...]\``;
    case "index":
      return "this index";
    case "call": {
      const c = unparen(u.callee);
      return c.kind === "name" ? `the result of \`${c.name}(...)\`` : "this value";
    }
    case "invoke":
      return `the result of \`${u.mode} ${u.service.name}.${u.fn.name}(...)\``;
    default:
      return "this value";
  }
}

export const NULL_HINT = (what: string): string => `check for null first (\`if ${what} == null { ... }\`), or give a default with \`??\``;

/**
 * Reports when `v` does not fit `target`. `what` names the place ("`let n`", "the condition");
 * the message reads "<what> must be T, not U".
 */
export function expect(
  ctx: FnCtx,
  v: Typed,
  target: Ty,
  span: Span,
  what: string,
  entry: DiagnosticEntry = CHECK.typeMismatch,
  hint?: string,
): boolean {
  if (assignable(v.ty, target, ctx.prog.types)) return true;
  const types = ctx.prog.types;
  let h = hint;
  if (!h && isOptional(v.ty, types) && !isOptional(target, types) && resolve(target, types).kind !== "null")
    h = `the value may be null: check for null first or give a default with \`??\``;
  if (!h) {
    const s = resolve(v.ty, types).kind;
    const t = resolve(target, types).kind;
    if (t === "string" && (s === "number" || s === "bool")) h = "convert it with `str(...)`";
    else if (t === "number" && s === "string") h = "convert it with `num(...)` (which yields `number?`)";
  }
  ctx.diags.report(entry, span, `${what} must be \`${show(target)}\`, not \`${show(v.ty)}\``, h);
  return false;
}

/** The bare name an expression is (for hints), or `fallback`. */
export function nameOr(e: Expr, fallback = "x"): string {
  const u = unparen(e);
  return u.kind === "name" ? u.name : fallback;
}

/** The name of a bare name expression (through parentheses), or null. */
export function bareName(e: Expr): string | null {
  const u = unparen(e);
  return u.kind === "name" ? u.name : null;
}
