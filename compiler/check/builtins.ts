// The builtin functions of LANGUAGE §4, with their exact signatures, and `now()`, `uuid()`,
// `random()` (logged non-determinism, each with a step site).
import type { Expr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrBuiltin, IrExpr } from "../ir.js";
import type { FnCtx, Typed } from "./state.js";
import { assignable, isOptional, optional, resolve, show, T, type Ty } from "./types.js";
import { errorExpr, mk, nameOr, NULL_HINT } from "./util.js";

const ARITY: Record<string, number> = {
  len: 1,
  keys: 1,
  values: 1,
  contains: 2,
  min: 2,
  max: 2,
  abs: 1,
  floor: 1,
  ceil: 1,
  round: 1,
  str: 1,
  num: 1,
  slice: 3,
  range: 1,
  sort: 1,
  json: 1,
  now: 0,
  uuid: 0,
  random: 0,
};

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(Object.keys(ARITY));

const plural = (n: number): string => `${n} argument${n === 1 ? "" : "s"}`;

/** Checks a call of a builtin (the name is known to be one and not shadowed). */
export function checkBuiltin(ctx: FnCtx, name: string, args: Expr[], span: Span): Typed {
  const arity = ARITY[name]!;
  if (args.length !== arity) {
    ctx.diags.report(
      CHECK.arity,
      span,
      `\`${name}\` takes ${plural(arity)}, but ${args.length} ${args.length === 1 ? "was" : "were"} given`,
    );
    for (const a of args) ctx.expr(ctx, a);
    return errorExpr(span);
  }
  if (name === "now" || name === "uuid" || name === "random") {
    const ty = name === "uuid" ? T.string : T.number;
    const r = mk(ty, span, { kind: "nondet", site: "", name });
    ctx.sites.add(name, span, r.ir as IrExpr & { site: string });
    return r;
  }
  const types = ctx.prog.types;
  const typed: Typed[] = [];
  const kindOf = (t: Ty) => resolve(t, types).kind;
  /** Reports a bad argument; returns false. */
  const bad = (i: number, want: string): false => {
    const a = typed[i]!;
    const hint = isOptional(a.ty, types) ? NULL_HINT(nameOr(args[i]!)) : undefined;
    ctx.diags.report(CHECK.argType, args[i]!.span, `argument ${i + 1} of \`${name}\` must be ${want}, not \`${show(a.ty)}\``, hint);
    return false;
  };
  const num = (i: number): boolean => (assignable(typed[i]!.ty, T.number, types) ? true : bad(i, "a `number`"));
  const done = (ty: Ty): Typed => mk(ty, span, { kind: "builtin", name: name as IrBuiltin, args: typed.map((t) => t.ir) });

  typed.push(ctx.expr(ctx, args[0]!));
  const a0 = typed[0]!.ty;
  const k0 = kindOf(a0);
  const err0 = k0 === "error";
  switch (name) {
    case "len":
      if (!(err0 || k0 === "string" || k0 === "list" || k0 === "map" || k0 === "any")) bad(0, "a string, list or map");
      return done(T.number);
    case "keys":
      if (!(err0 || k0 === "map" || k0 === "any")) bad(0, "a map");
      return done(T.list(T.string));
    case "values": {
      const r = resolve(a0, types);
      if (!(err0 || r.kind === "map" || r.kind === "any")) bad(0, "a map");
      return done(T.list(r.kind === "map" ? r.elem : r.kind === "error" ? T.error : T.any));
    }
    case "contains": {
      const r = resolve(a0, types);
      const hint = r.kind === "list" ? r.elem : r.kind === "string" ? T.string : undefined;
      typed.push(ctx.expr(ctx, args[1]!, hint));
      if (r.kind === "list") {
        if (!assignable(typed[1]!.ty, r.elem, types)) bad(1, `a \`${show(r.elem)}\` (an item of the list)`);
      } else if (r.kind === "string") {
        if (!assignable(typed[1]!.ty, T.string, types)) bad(1, "a `string` (for a substring test)");
      } else if (!(err0 || r.kind === "any")) bad(0, "a list or a string");
      return done(T.bool);
    }
    case "min":
    case "max":
      typed.push(ctx.expr(ctx, args[1]!));
      num(0);
      num(1);
      return done(T.number);
    case "abs":
    case "floor":
    case "ceil":
    case "round":
    case "range":
      num(0);
      return done(name === "range" ? T.list(T.number) : T.number);
    case "str": {
      const r = resolve(a0, types);
      const inner = r.kind === "optional" ? resolve(r.inner, types) : r;
      if (!["string", "number", "bool", "null", "any", "error"].includes(inner.kind)) {
        ctx.diags.report(
          CHECK.argType,
          args[0]!.span,
          `argument 1 of \`str\` must be a string, number, bool or null, not \`${show(a0)}\``,
          "use `json(x)` for the JSON text of lists, maps and records",
        );
      }
      return done(T.string);
    }
    case "num":
      if (!assignable(a0, T.string, types)) bad(0, "a `string`");
      return done(optional(T.number, types));
    case "slice": {
      typed.push(ctx.expr(ctx, args[1]!), ctx.expr(ctx, args[2]!));
      if (!(err0 || k0 === "list" || k0 === "string" || k0 === "any")) bad(0, "a list or a string");
      num(1);
      num(2);
      return done(err0 ? T.error : a0);
    }
    case "sort": {
      const r = resolve(a0, types);
      const ek = r.kind === "list" ? resolve(r.elem, types).kind : null;
      if (!(err0 || r.kind === "any" || ek === "number" || ek === "string" || ek === "error" || ek === "any" || ek === "never"))
        bad(0, "a `list<number>` or `list<string>`");
      return done(err0 ? T.error : a0);
    }
    case "json":
      return done(T.string);
  }
  throw new Error(`builtin ${name} has no rule`);
}
