// Expressions: typing, narrowing-aware name use, operators, literals checked against an
// expected type, field access and indexing, table reads and scans.
import type { Expr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrBinaryOp, IrExpr } from "../ir.js";
import type { FnCtx, Typed } from "./state.js";
import { checkCall, checkInvoke } from "./calls.js";
import { condFacts, withFacts } from "./narrow.js";
import { lookup, reportUnknownName, inTxnBody } from "./scope.js";
import { resolveTable } from "./sovereignty.js";
import { didYouMean } from "./suggest.js";
import { asRecord, assignable, comparable, isOptional, join, nonNull, optional, resolve, show, T, type FieldTy, type Ty } from "./types.js";
import { checkUpdate } from "./update.js";
import { checkSignal, checkWait } from "./waiting.js";
import { describe, errorExpr, expect, mk, nameOr, NULL_HINT } from "./util.js";
import { unparen } from "./walk.js";

export interface ExprOpts {
  /** an `update` without `where` may stand here (an expression statement) */
  statement?: boolean;
}

/**
 * Checks an expression. `hint` is the type the context expects: it types literals (`[]`, `{}`,
 * record literals checked field by field) but is not itself enforced: callers `expect` it.
 */
export function checkExpr(ctx: FnCtx, e: Expr, hint?: Ty, opts: ExprOpts = {}): Typed {
  switch (e.kind) {
    case "number":
      if (!Number.isFinite(e.value)) {
        ctx.diags.report(CHECK.nonFinite, e.span, `the number literal is too large: it is not finite`);
        return errorExpr(e.span);
      }
      return mk(T.number, e.span, { kind: "lit", value: e.value });
    case "string":
      return mk(T.string, e.span, { kind: "lit", value: e.value });
    case "bool":
      return mk(T.bool, e.span, { kind: "lit", value: e.value });
    case "null":
      return mk(T.null, e.span, { kind: "lit", value: null });
    case "list":
      return checkList(ctx, e, hint);
    case "record":
      return checkRecord(ctx, e, hint);
    case "name":
      return checkName(ctx, e.name, e.span);
    case "paren":
      return checkExpr(ctx, e.inner, hint, opts);
    case "field":
      return checkField(ctx, e);
    case "index":
      return checkIndex(ctx, e);
    case "call":
      return checkCall(ctx, e);
    case "unary":
      return checkUnary(ctx, e);
    case "binary":
      return checkBinary(ctx, e, hint);
    case "read": {
      const t = resolveTable(ctx, e.table, "read");
      const key = checkKey(ctx, e.key);
      const ty = t ? optional(t.valueType, ctx.prog.types) : T.error;
      const r = mk(ty, e.span, { kind: "read", site: "", table: e.table.name, key: key.ir });
      ctx.sites.add("read", e.span, r.ir as IrExpr & { site: string }, { table: e.table.name });
      return r;
    }
    case "scan": {
      const t = resolveTable(ctx, e.table, "scan");
      if (inTxnBody(ctx))
        ctx.diags.report(CHECK.scanInTxn, e.span, `\`scan\` is not allowed inside a \`txn\` body: a scan is not isolated`);
      ctx.info.scans = true;
      ctx.info.forbidden.push({ kind: "scan", span: e.span });
      const ty: Ty = t
        ? T.list({
            kind: "record",
            fields: [
              { name: "key", type: T.string, optional: false },
              { name: "value", type: t.valueType, optional: false },
            ],
          })
        : T.error;
      const r = mk(ty, e.span, { kind: "scan", site: "", table: e.table.name });
      ctx.sites.add("scan", e.span, r.ir as IrExpr & { site: string }, { table: e.table.name });
      return r;
    }
    case "invoke":
      return checkInvoke(ctx, e);
    case "update":
      return checkUpdate(ctx, e, !opts.statement);
    case "wait":
      return checkWait(ctx, e);
    case "signal":
      return checkSignal(ctx, e);
  }
}

/** A table key: a string. */
export function checkKey(ctx: FnCtx, e: Expr): Typed {
  const k = checkExpr(ctx, e);
  expect(ctx, k, T.string, e.span, "a table key");
  return k;
}

function checkName(ctx: FnCtx, name: string, span: Span, shorthand = false): Typed {
  const sym = lookup(ctx, name);
  if (!sym) {
    reportUnknownName(ctx, name, span);
    return errorExpr(span);
  }
  const local = mk(sym.type, span, { kind: "local", name });
  const narrowed = ctx.facts.has(sym) && isOptional(sym.type, ctx.prog.types);
  const ty = narrowed ? nonNull(sym.type, ctx.prog.types) : sym.type;
  ctx.prog.uses.push({ kind: "local", span, sym, type: ty, decl: false, shorthand });
  return narrowed ? mk(ty, span, { kind: "nonNull", expr: local.ir }) : local;
}

function checkList(ctx: FnCtx, e: Extract<Expr, { kind: "list" }>, hint?: Ty): Typed {
  const types = ctx.prog.types;
  const h = hint ? resolve(nonNull(hint, types), types) : null;
  if (h && h.kind === "list") {
    const items = e.items.map((it) => {
      const v = checkExpr(ctx, it, h.elem);
      expect(ctx, v, h.elem, it.span, "a list item");
      return v.ir;
    });
    return mk(nonNull(hint!, types), e.span, { kind: "list", items });
  }
  const items = e.items.map((it) => checkExpr(ctx, it));
  let elem: Ty = T.never;
  for (let i = 0; i < items.length; i++) {
    const j = join(elem, items[i]!.ty, types);
    if (!j) {
      ctx.diags.report(
        CHECK.mixedList,
        e.items[i]!.span,
        `list items have different types: \`${show(elem)}\` and \`${show(items[i]!.ty)}\``,
      );
      elem = T.error;
      break;
    }
    elem = j;
  }
  return mk(T.list(elem), e.span, { kind: "list", items: items.map((i) => i.ir) });
}

function checkRecord(ctx: FnCtx, e: Extract<Expr, { kind: "record" }>, hint?: Ty): Typed {
  const types = ctx.prog.types;
  const target = hint ? nonNull(hint, types) : null;
  const h = target ? resolve(target, types) : null;
  // duplicate fields are an error whatever the target
  const seen = new Set<string>();
  const fields = e.fields.filter((f) => {
    if (seen.has(f.name.name)) {
      ctx.diags.report(CHECK.duplicateField, f.name.span, `field \`${f.name.name}\` appears twice in the record`);
      return false;
    }
    seen.add(f.name.name);
    return true;
  });
  const value = (f: (typeof fields)[number], fh?: Ty): Typed =>
    f.value ? checkExpr(ctx, f.value, fh) : checkName(ctx, f.name.name, f.name.span, true);
  if (h && h.kind === "record") {
    const out: { name: string; value: IrExpr }[] = [];
    for (const f of fields) {
      const decl = h.fields.find((g) => g.name === f.name.name);
      if (!decl) {
        value(f);
        ctx.diags.report(
          CHECK.extraField,
          f.name.span,
          `\`${show(target!)}\` has no field \`${f.name.name}\``,
          didYouMean(
            f.name.name,
            h.fields.map((g) => g.name),
          ) ?? `its fields are ${h.fields.map((g) => `\`${g.name}\``).join(", ") || "none"}`,
        );
        continue;
      }
      ctx.prog.uses.push({ kind: "field", span: f.name.span, field: decl, table: null });
      const ft = decl.optional ? optional(decl.type, types) : decl.type;
      const v = value(f, ft);
      expect(ctx, v, ft, f.value?.span ?? f.span, `field \`${f.name.name}\``);
      out.push({ name: f.name.name, value: v.ir });
    }
    const missing = h.fields.filter((g) => !g.optional && !fields.some((f) => f.name.name === g.name));
    if (missing.length > 0)
      ctx.diags.report(
        CHECK.missingField,
        e.span,
        `the record misses ${missing.length === 1 ? "field" : "fields"} ${missing.map((m) => `\`${m.name}\``).join(", ")} of \`${show(target!)}\``,
      );
    return mk(target!, e.span, { kind: "record", fields: out });
  }
  if (h && h.kind === "map") {
    const out = fields.map((f) => {
      const v = value(f, h.elem);
      expect(ctx, v, h.elem, f.value?.span ?? f.span, `map value \`${f.name.name}\``);
      return { name: f.name.name, value: v.ir };
    });
    return mk(target!, e.span, { kind: "record", fields: out });
  }
  const out: { name: string; value: IrExpr }[] = [];
  const ftys: FieldTy[] = [];
  for (const f of fields) {
    const v = value(f);
    out.push({ name: f.name.name, value: v.ir });
    ftys.push({ name: f.name.name, type: v.ty, optional: false, span: f.name.span });
  }
  return mk({ kind: "record", fields: ftys }, e.span, { kind: "record", fields: out });
}

/**
 * `x.f` on an `x` that may be null, already reported (E0201): a `??` after it gives no second,
 * contradictory error (E0210, "never null"). Keyed by the AST node, so checking the same tree
 * again finds the same.
 */
const nullAccessReported = new WeakSet<Expr>();

function checkField(ctx: FnCtx, e: Extract<Expr, { kind: "field" }>): Typed {
  const types = ctx.prog.types;
  const obj = checkExpr(ctx, e.object);
  const name = e.name.name;
  const safe = e.nullSafe === true;
  const dot = safe ? "?." : ".";
  let r = resolve(obj.ty, types);
  if (r.kind === "error") return errorExpr(e.span);
  if (r.kind === "any")
    return mk(T.any, e.span, { kind: "field", object: obj.ir, name, optional: true, ...(safe ? { nullSafe: true } : {}) });
  if (safe && r.kind !== "optional" && r.kind !== "null") {
    ctx.diags.report(
      CHECK.nullSafeNotOptional,
      e.span,
      `${describe(e.object)} is \`${show(obj.ty)}\`, which is never null here, so \`?.${name}\` is \`.${name}\` made optional for nothing`,
      `write \`.${name}\``,
    );
  }
  if (r.kind === "optional" || r.kind === "null") {
    if (!safe) {
      const what = nameOr(e.object, "");
      ctx.diags.report(
        CHECK.optionalAccess,
        e.name.span,
        `${describe(e.object)} may be null here, so \`.${name}\` cannot be read`,
        what
          ? `write \`${what}?.${name}\` to get null when \`${what}\` is null (and \`${what}?.${name} ?? d\` for a default), or check for null first: \`if ${what} == null { ... }\``
          : `write \`?.${name}\` instead of \`.${name}\` to get null when the value is null (then \`?? d\` for a default), or check for null first`,
      );
      nullAccessReported.add(e);
    }
    if (r.kind === "null") {
      if (safe)
        ctx.diags.report(CHECK.notARecord, e.name.span, `\`${dot}${name}\` needs a record, but ${describe(e.object)} is always \`null\``);
      return errorExpr(e.span);
    }
    r = resolve(r.inner, types);
  }
  const rec = asRecord(r, types);
  if (!rec) {
    ctx.diags.report(
      CHECK.notARecord,
      e.name.span,
      `\`${dot}${name}\` needs a record, but ${describe(e.object)} is \`${show(obj.ty)}\``,
      r.kind === "map" ? `index a map with a string: \`[${JSON.stringify(name)}]\`` : undefined,
    );
    return errorExpr(e.span);
  }
  const f = rec.fields.find((g) => g.name === name);
  if (!f) {
    ctx.diags.report(
      CHECK.noSuchField,
      e.name.span,
      `\`${show(obj.ty)}\` has no field \`${name}\``,
      didYouMean(
        name,
        rec.fields.map((g) => g.name),
      ) ?? `its fields are ${rec.fields.map((g) => `\`${g.name}\``).join(", ") || "none"}`,
    );
    return errorExpr(e.span);
  }
  ctx.prog.uses.push({ kind: "field", span: e.name.span, field: f, table: null });
  // `a?.f`: the field's type made optional (LANGUAGE.md §9)
  const ty = f.optional || safe ? optional(f.type, types) : f.type;
  return mk(ty, e.span, { kind: "field", object: obj.ir, name, optional: f.optional, ...(safe ? { nullSafe: true } : {}) });
}

function checkIndex(ctx: FnCtx, e: Extract<Expr, { kind: "index" }>): Typed {
  const types = ctx.prog.types;
  const obj = checkExpr(ctx, e.object);
  let r = resolve(obj.ty, types);
  const idx = checkExpr(ctx, e.index);
  if (r.kind === "error") return errorExpr(e.span);
  if (r.kind === "optional") {
    const what = describe(e.object);
    ctx.diags.report(CHECK.optionalAccess, e.index.span, `${what} may be null here, so it cannot be indexed`, NULL_HINT(nameOr(e.object)));
    r = resolve(r.inner, types);
  }
  const ik = resolve(idx.ty, types).kind;
  if (r.kind === "any") {
    const on = ik === "number" ? "list" : "map";
    if (!["number", "string", "any", "error"].includes(ik))
      ctx.diags.report(CHECK.badIndex, e.index.span, `an index must be a number or a string, not \`${show(idx.ty)}\``);
    return mk(T.any, e.span, { kind: "index", object: obj.ir, index: idx.ir, on });
  }
  if (r.kind === "list" || r.kind === "map") {
    const want = r.kind === "list" ? T.number : T.string;
    if (!assignable(idx.ty, want, types))
      ctx.diags.report(
        CHECK.badIndex,
        e.index.span,
        `a ${r.kind} index must be a \`${show(want)}\`, not \`${show(idx.ty)}\``,
        isOptional(idx.ty, types) ? NULL_HINT(nameOr(e.index)) : undefined,
      );
    return mk(optional(r.elem, types), e.span, { kind: "index", object: obj.ir, index: idx.ir, on: r.kind });
  }
  ctx.diags.report(
    CHECK.badIndex,
    e.object.span,
    `only lists and maps can be indexed, and ${describe(e.object)} is \`${show(obj.ty)}\``,
    r.kind === "string" ? "use `slice(s, i, i + 1)` for a character of a string" : undefined,
  );
  return errorExpr(e.span);
}

function checkUnary(ctx: FnCtx, e: Extract<Expr, { kind: "unary" }>): Typed {
  const v = checkExpr(ctx, e.operand);
  const types = ctx.prog.types;
  if (e.op === "!") {
    if (!assignable(v.ty, T.bool, types))
      ctx.diags.report(
        CHECK.badLogical,
        e.operand.span,
        `\`!\` needs a \`bool\`, not \`${show(v.ty)}\``,
        isOptional(v.ty, types) ? "compare explicitly: `x == null`" : undefined,
      );
    return mk(T.bool, e.span, { kind: "unary", op: "!", operand: v.ir });
  }
  if (!assignable(v.ty, T.number, types))
    ctx.diags.report(
      CHECK.badOperand,
      e.operand.span,
      `unary \`-\` needs a \`number\`, not \`${show(v.ty)}\``,
      isOptional(v.ty, types) ? NULL_HINT(nameOr(e.operand)) : undefined,
    );
  return mk(T.number, e.span, { kind: "unary", op: "-", operand: v.ir });
}

function checkBinary(ctx: FnCtx, e: Extract<Expr, { kind: "binary" }>, hint?: Ty): Typed {
  const types = ctx.prog.types;
  const op = e.op;
  if (op === "&&" || op === "||") {
    const l = checkExpr(ctx, e.left);
    const f = condFacts(ctx, e.left);
    const r = withFacts(ctx, op === "&&" ? f.whenTrue : f.whenFalse, () => checkExpr(ctx, e.right));
    for (const [side, v] of [
      [e.left, l],
      [e.right, r],
    ] as const)
      if (!assignable(v.ty, T.bool, types))
        ctx.diags.report(
          CHECK.badLogical,
          side.span,
          `\`${op}\` needs \`bool\` operands, not \`${show(v.ty)}\``,
          isOptional(v.ty, types) ? "compare explicitly: `x != null`" : undefined,
        );
    return mk(T.bool, e.span, { kind: "binary", op, left: l.ir, right: r.ir });
  }
  if (op === "??") return checkCoalesce(ctx, e, hint);
  const l = checkExpr(ctx, e.left, op === "+" ? hint : undefined);
  const r = checkExpr(ctx, e.right, op === "+" && resolve(l.ty, types).kind === "list" ? l.ty : undefined);
  const lk = resolve(l.ty, types).kind;
  const rk = resolve(r.ty, types).kind;
  const bin = (ty: Ty, irOp: IrBinaryOp): Typed => mk(ty, e.span, { kind: "binary", op: irOp, left: l.ir, right: r.ir });
  const anyErr = lk === "error" || rk === "error";
  const optHint = (): string | undefined =>
    lk === "optional" || rk === "optional" ? NULL_HINT(nameOr(lk === "optional" ? e.left : e.right)) : undefined;

  switch (op) {
    case "*":
    case "/":
    case "%":
    case "-": {
      if (!anyErr && !(isNumish(lk) && isNumish(rk)))
        ctx.diags.report(CHECK.badOperand, e.span, `\`${op}\` needs two numbers, not \`${show(l.ty)}\` and \`${show(r.ty)}\``, optHint());
      return bin(T.number, op);
    }
    case "+": {
      if (anyErr) return bin(T.error, "+");
      if (isNumish(lk) && isNumish(rk) && !(lk === "any" && rk === "any")) return bin(T.number, "+");
      if (isStrish(lk) && isStrish(rk) && !(lk === "any" && rk === "any")) return bin(T.string, "concat");
      if ((lk === "list" || lk === "any") && (rk === "list" || rk === "any") && !(lk === "any" && rk === "any")) {
        const j = lk === "any" ? r.ty : rk === "any" ? l.ty : join(l.ty, r.ty, types);
        if (j) return bin(j, "append");
        ctx.diags.report(CHECK.badOperand, e.span, `\`+\` cannot append \`${show(r.ty)}\` to \`${show(l.ty)}\`: the item types differ`);
        return bin(T.error, "append");
      }
      if ((lk === "string" && rk === "number") || (lk === "number" && rk === "string")) {
        const num = lk === "number" ? e.left : e.right;
        ctx.diags.report(
          CHECK.stringPlusNumber,
          e.span,
          `\`+\` cannot add a string and a number`,
          `convert the number with \`str(...)\`: \`str(${sourceish(num)})\``,
        );
        return bin(T.error, "concat");
      }
      ctx.diags.report(
        CHECK.badOperand,
        e.span,
        lk === "any" && rk === "any"
          ? "`+` on two `any` values: it is unknown whether to add numbers, join strings or append lists"
          : `\`+\` needs two numbers, two strings or two lists, not \`${show(l.ty)}\` and \`${show(r.ty)}\``,
        optHint() ?? (lk === "any" && rk === "any" ? "give one side a type, e.g. with `let n: number = ...`" : undefined),
      );
      return bin(T.error, "+");
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const ok = anyErr || (isNumish(lk) && isNumish(rk)) || (isStrish(lk) && isStrish(rk));
      if (!ok)
        ctx.diags.report(
          CHECK.badComparison,
          e.span,
          `\`${op}\` compares two numbers or two strings, not \`${show(l.ty)}\` and \`${show(r.ty)}\``,
          optHint(),
        );
      return bin(T.bool, op);
    }
    case "==":
    case "!=": {
      if (!comparable(l.ty, r.ty, types)) {
        const mixed = (lk === "string" && rk === "number") || (lk === "number" && rk === "string");
        ctx.diags.report(
          CHECK.badEquality,
          e.span,
          `\`${op}\` compares values of unrelated types \`${show(l.ty)}\` and \`${show(r.ty)}\`: they are never equal`,
          mixed ? "convert one side: `str(n)` or `num(s)`" : undefined,
        );
      }
      return bin(T.bool, op);
    }
  }
  throw new Error(`unknown operator ${op}`);
}

function checkCoalesce(ctx: FnCtx, e: Extract<Expr, { kind: "binary" }>, hint?: Ty): Typed {
  const types = ctx.prog.types;
  const l = checkExpr(ctx, e.left, hint ? optional(hint, types) : undefined);
  const lr = resolve(l.ty, types);
  let inner: Ty;
  if (lr.kind === "optional") inner = lr.inner;
  else if (lr.kind === "any" || lr.kind === "error") inner = lr;
  // `(read t[k]).f ?? d`: the missing `?.` is reported already; the `??` is what was meant
  else if (nullAccessReported.has(unparen(e.left))) inner = l.ty;
  else if (lr.kind === "null") inner = T.never;
  else {
    ctx.diags.report(
      CHECK.coalesceNotOptional,
      e.left.span,
      `${describe(e.left)} is \`${show(l.ty)}\`, which is never null, so the \`??\` default is never used`,
      "remove `?? ...`",
    );
    inner = l.ty;
  }
  const r = checkExpr(ctx, e.right, inner.kind === "never" ? hint : inner);
  let ty = join(inner, r.ty, types);
  if (!ty) {
    ctx.diags.report(
      CHECK.typeMismatch,
      e.right.span,
      `the default of \`??\` must be \`${show(inner)}\` like the left side, not \`${show(r.ty)}\``,
    );
    ty = T.error;
  }
  return mk(ty, e.span, { kind: "binary", op: "??", left: l.ir, right: r.ir });
}

const isNumish = (k: string): boolean => k === "number" || k === "any";
const isStrish = (k: string): boolean => k === "string" || k === "any";

/** A short rendering of a simple expression for hints (names, fields, literals). */
function sourceish(e: Expr): string {
  const u = unparen(e);
  switch (u.kind) {
    case "name":
      return u.name;
    case "number":
      return String(u.value);
    case "field":
      return `${sourceish(u.object)}.${u.name.name}`;
    default:
      return "...";
  }
}
