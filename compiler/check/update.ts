// `update T[k] [as s] set f = e, ... [where c]` (LANGUAGE §5, §9): stored-field names inside `set`
// and `where` (bare names, or `s.f` with an alias, where bare names are locals again), the set
// forms the store applies atomically (IrSet), and where conditions (IrCond).
import type { Expr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrCond, IrCondOperand, IrExpr, IrSet, IrSetValue } from "../ir.js";
import type { FnCtx, Sym, TableInfo, Typed } from "./state.js";
import { describeSym, lookup } from "./scope.js";
import { resolveTable } from "./sovereignty.js";
import { didYouMean } from "./suggest.js";
import { comparable, nonNull, optional, resolve, show, T, type FieldTy, type Ty } from "./types.js";
import { expect, mk } from "./util.js";
import { unparen, walkExpr } from "./walk.js";

type UpdateExpr = Extract<Expr, { kind: "update" }>;
type CmpOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
const CMP_OPS = new Set(["<", "<=", ">", ">=", "==", "!="]);
const FLIP: Record<CmpOp, CmpOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

interface UpdCtx {
  ctx: FnCtx;
  fields: FieldTy[];
  table: string;
  info: TableInfo;
  /** `as s`: the stored value's name (then only `s.f` means a stored field) */
  alias: string | null;
}

/**
 * The mentions of the stored value in `e`: without an alias, bare names (and record shorthands)
 * that name stored fields; with `as s`, every `s` (in `s.f` or alone).
 */
function mentions(u: UpdCtx, e: Expr): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  const isStored = (n: string) => (u.alias === null ? u.fields.some((f) => f.name === n) : n === u.alias);
  walkExpr(e, {
    expr: (x) => {
      if (x.kind === "name" && isStored(x.name)) out.push({ name: x.name, span: x.span });
      if (x.kind === "record")
        for (const f of x.fields) if (f.value === null && isStored(f.name.name)) out.push({ name: f.name.name, span: f.name.span });
    },
  });
  return out;
}

/** The stored field `e` is: a bare field name, or `s.f` with `as s`. */
function fieldName(u: UpdCtx, e: Expr): FieldTy | null {
  const x = unparen(e);
  if (u.alias === null) return x.kind === "name" ? (u.fields.find((f) => f.name === x.name) ?? null) : null;
  if (x.kind !== "field" || x.nullSafe) return null;
  const o = unparen(x.object);
  return o.kind === "name" && o.name === u.alias ? (u.fields.find((f) => f.name === x.name.name) ?? null) : null;
}

/**
 * With `as s`: records what each `s` and `s.f` means (for the language services) and reports
 * every `s` that is not `s.f` of a stored field (E0506, E0202). Whether `e` is free of them.
 */
function checkAliasUses(u: UpdCtx, e: Expr, sym: Sym): boolean {
  const ctx = u.ctx;
  const alias = sym.name;
  let clean = true;
  const misused = (span: Span) => {
    clean = false;
    ctx.diags.report(
      CHECK.aliasMisuse,
      span,
      `\`${alias}\` is the stored value of \`${u.table}[...]\`: inside \`set\` and \`where\` it may only be used as \`${alias}.f\`, a stored field`,
      `use one of its fields: ${u.fields.map((f) => `\`${alias}.${f.name}\``).join(", ")}`,
    );
  };
  const objects = new Set<Expr>();
  walkExpr(e, {
    expr: (x) => {
      if (x.kind === "field" && !x.nullSafe) {
        const o = unparen(x.object);
        if (o.kind !== "name" || o.name !== alias) return;
        objects.add(o);
        ctx.prog.uses.push({ kind: "local", span: o.span, sym, type: sym.type, decl: false, shorthand: false });
        const f = u.fields.find((g) => g.name === x.name.name);
        if (f) ctx.prog.uses.push({ kind: "field", span: x.name.span, field: f, table: u.info });
        else {
          clean = false;
          ctx.diags.report(
            CHECK.noSuchField,
            x.name.span,
            `table \`${u.table}\` has no field \`${x.name.name}\``,
            didYouMean(
              x.name.name,
              u.fields.map((g) => g.name),
            ) ?? `its fields are ${u.fields.map((g) => `\`${g.name}\``).join(", ")}`,
          );
        }
      } else if (x.kind === "record") {
        for (const f of x.fields) if (f.value === null && f.name.name === alias) misused(f.name.span);
      }
    },
  });
  walkExpr(e, {
    expr: (x) => {
      if (x.kind === "name" && x.name === alias && !objects.has(x)) misused(x.span);
    },
  });
  return clean;
}

export function checkUpdate(ctx: FnCtx, e: UpdateExpr, asValue: boolean): Typed {
  const table = resolveTable(ctx, e.table, "update");
  const key = ctx.expr(ctx, e.key);
  expect(ctx, key, T.string, e.key.span, "a table key");
  ctx.info.writes = true;
  let ty = e.where ? T.bool : T.null;
  if (!e.where && asValue) {
    ty = T.error;
    ctx.diags.report(
      CHECK.updateNeedsWhere,
      e.span,
      "an `update` without `where` is a statement and has no value",
      "write the `update` on its own line, or add a `where` condition (then it yields whether it was applied)",
    );
  }
  const sets: IrSet[] = [];
  let where: IrCond | null = null;
  let upsert = false;
  if (table?.fields) {
    const u: UpdCtx = { ctx, fields: table.fields, table: table.name, info: table, alias: e.alias?.name ?? null };
    const parts = [...e.sets.map((s) => s.value), ...(e.where ? [e.where] : [])];
    // the parts with a misused alias (reported) are not translated: that would report them again
    const skip = new Set<Expr>();
    if (e.alias) {
      const prev = lookup(ctx, e.alias.name);
      if (prev)
        ctx.diags.report(
          CHECK.alreadyDeclared,
          e.alias.span,
          `\`${e.alias.name}\` is already declared as ${describeSym(prev)} at ${prev.span.line}:${prev.span.col}`,
          "name the stored value with a name no local has",
        );
      const sym: Sym = { name: e.alias.name, kind: "alias", type: table.valueType, span: e.alias.span, depth: ctx.scopes.length };
      ctx.prog.uses.push({ kind: "local", span: e.alias.span, sym, type: sym.type, decl: true, shorthand: false });
      for (const x of parts) if (!checkAliasUses(u, x, sym)) skip.add(x);
    } else {
      // a local with a stored field's name cannot be used inside set/where
      const reported = new Set<string>();
      for (const x of parts)
        for (const m of mentions(u, x)) {
          const stored = table.fields.find((f) => f.name === m.name);
          if (stored) ctx.prog.uses.push({ kind: "field", span: m.span, field: stored, table });
          if (!reported.has(m.name) && lookup(ctx, m.name)) {
            reported.add(m.name);
            ctx.diags.report(
              CHECK.localShadowsField,
              m.span,
              `\`${m.name}\` is a stored field of table \`${table.name}\` and also a local here: inside \`set\` and \`where\` it would mean the stored field`,
              `name the stored value with \`as\` and keep the local: \`update ${table.name}[...] as v set ...\` with \`v.${m.name}\` for the stored field and \`${m.name}\` for the local (or rename the local)`,
            );
          }
        }
    }
    const outer = ctx.updateAlias;
    ctx.updateAlias = e.alias ? { name: e.alias.name, fields: table.fields.map((f) => f.name) } : undefined;
    try {
      where = translateParts(u, e, skip, sets);
    } finally {
      ctx.updateAlias = outer;
    }
    upsert = table.fields.every((f) => f.optional || e.sets.some((s) => s.field.name === f.name));
  }
  // with an unknown table (already reported) the set values and the condition are not checked:
  // their bare names may be stored fields, and reporting them as unknown would be a cascade
  const r = mk(ty, e.span, { kind: "update", site: "", table: e.table.name, key: key.ir, sets, where, upsert });
  ctx.sites.add("update", e.span, r.ir as IrExpr & { site: string }, { table: e.table.name });
  return r;
}

/**
 * The `set` items (into `sets`) and the `where` (returned) in the forms the store applies; the
 * parts in `skip` are left out (reported already).
 */
function translateParts(u: UpdCtx, e: UpdateExpr, skip: Set<Expr>, sets: IrSet[]): IrCond | null {
  const ctx = u.ctx;
  const table = u.table;
  const done = new Set<string>();
  for (const s of e.sets) {
    const f = u.fields.find((g) => g.name === s.field.name);
    if (!f) {
      ctx.diags.report(
        CHECK.unknownStoredField,
        s.field.span,
        `table \`${table}\` has no field \`${s.field.name}\``,
        didYouMean(
          s.field.name,
          u.fields.map((g) => g.name),
        ) ?? `its fields are ${u.fields.map((g) => `\`${g.name}\``).join(", ")}`,
      );
      continue;
    }
    ctx.prog.uses.push({ kind: "field", span: s.field.span, field: f, table: u.info });
    if (done.has(f.name)) {
      ctx.diags.report(CHECK.duplicateSet, s.field.span, `field \`${f.name}\` is set twice in this \`update\``);
      continue;
    }
    done.add(f.name);
    if (skip.has(s.value)) continue;
    const value = translateSet(u, f, s.value);
    if (value) sets.push({ field: f.name, value });
  }
  return e.where && !skip.has(e.where) ? translateCond(u, e.where) : null;
}

function notAtomic(u: UpdCtx, f: FieldTy, value: Expr): null {
  const n = u.alias === null ? f.name : `${u.alias}.${f.name}`;
  const forms = isNumberField(u, f)
    ? `\`${n} + e\`, \`${n} - e\`, \`(${n} ?? d) + e\` or \`${n} ?? e\``
    : isListField(u, f)
      ? `\`${n} + [e]\`, \`${n} + xs\`, \`(${n} ?? d) + xs\` or \`${n} ?? e\``
      : `\`${n} ?? e\``;
  u.ctx.diags.report(
    CHECK.notAtomic,
    value.span,
    `the store cannot apply \`set ${f.name} = ...\` atomically: a \`set\` value may use a stored field only as ${forms} (with local values)`,
    "read the value first and `write` the result, or do the read and the write inside a `txn`",
  );
  return null;
}

const isNumberField = (u: UpdCtx, f: FieldTy) => ["number", "any"].includes(resolve(f.type, u.ctx.prog.types).kind);
const isListField = (u: UpdCtx, f: FieldTy) => resolve(f.type, u.ctx.prog.types).kind === "list";

/** A sub-expression that must be local (mention no stored field). */
function local(u: UpdCtx, e: Expr, want: Ty, what: string): Typed | null {
  if (mentions(u, e).length > 0) return null;
  const v = u.ctx.expr(u.ctx, e, want);
  expect(u.ctx, v, want, e.span, what);
  return v;
}

function translateSet(u: UpdCtx, f: FieldTy, value: Expr): IrSetValue | null {
  const ctx = u.ctx;
  const types = ctx.prog.types;
  const target = f.optional ? optional(f.type, types) : f.type;
  if (mentions(u, value).length === 0) {
    const v = ctx.expr(ctx, value, target);
    expect(ctx, v, target, value.span, `\`set ${f.name}\``);
    return { kind: "assign", value: v.ir };
  }
  const x = unparen(value);
  const isSelf = (e: Expr) => fieldName(u, e)?.name === f.name;
  const fieldTy = nonNull(f.type, types);
  const num = isNumberField(u, f);
  const list = isListField(u, f);
  if (x.kind === "binary" && (x.op === "+" || x.op === "-") && (num || (list && x.op === "+"))) {
    const sign = x.op === "+" ? 1 : -1;
    const l = unparen(x.left);
    let start: Typed | null | undefined;
    let rest: Expr | null = null;
    if (isSelf(l)) {
      start = null;
      rest = x.right;
    } else if (l.kind === "binary" && l.op === "??" && isSelf(l.left)) {
      start = local(u, l.right, fieldTy, `the start value of \`${f.name}\``);
      if (start === null) return notAtomic(u, f, value);
      rest = x.right;
    } else if (num && x.op === "+" && isSelf(x.right)) {
      start = null;
      rest = x.left;
    }
    if (rest !== null && start !== undefined) {
      if (num) {
        const d = local(u, rest, T.number, `the amount added to \`${f.name}\``);
        if (!d) return notAtomic(u, f, value);
        return { kind: "add", delta: d.ir, sign, start: start ? start.ir : null };
      }
      const items = local(u, rest, fieldTy, `the items appended to \`${f.name}\``);
      if (!items) return notAtomic(u, f, value);
      return { kind: "append", items: items.ir, start: start ? start.ir : null };
    }
  }
  if (x.kind === "binary" && x.op === "??" && isSelf(x.left)) {
    const fb = local(u, x.right, fieldTy, `the default of \`${f.name}\``);
    if (!fb) return notAtomic(u, f, value);
    return { kind: "coalesce", fallback: fb.ir };
  }
  return notAtomic(u, f, value);
}

function badWhere(u: UpdCtx, e: Expr, why?: string): IrCond {
  u.ctx.diags.report(
    CHECK.badWhere,
    e.span,
    why ?? "the store cannot evaluate this use of a stored field in a `where` condition",
    "compare a stored field with a local value or another field, or use `exists(f)`, `contains(f, e)`, `len(f) < n`, combined with `&&`, `||`, `!`",
  );
  return { kind: "local", value: mk(T.bool, e.span, { kind: "lit", value: true }).ir };
}

/** Whether a condition calls `exists` (which only a `where` knows). */
function usesExists(e: Expr): boolean {
  let found = false;
  walkExpr(e, {
    expr: (x) => {
      if (x.kind === "call" && x.callee.kind === "name" && x.callee.name === "exists") found = true;
    },
  });
  return found;
}

function translateCond(u: UpdCtx, e: Expr): IrCond {
  const ctx = u.ctx;
  const types = ctx.prog.types;
  const x = unparen(e);
  if (x.kind === "call" && x.callee.kind === "name" && x.callee.name === "exists") {
    const f = x.args.length === 1 ? fieldName(u, x.args[0]!) : null;
    if (!f) {
      u.ctx.diags.report(
        CHECK.whereNeedsField,
        x.span,
        `\`exists\` takes one stored field of table \`${u.table}\``,
        `its fields are ${u.fields.map((g) => `\`${g.name}\``).join(", ")}`,
      );
      return { kind: "exists", field: "", negated: false };
    }
    return { kind: "exists", field: f.name, negated: false };
  }
  if (mentions(u, x).length === 0 && !usesExists(x)) {
    const v = ctx.expr(ctx, x);
    expect(ctx, v, T.bool, x.span, "a `where` condition");
    return { kind: "local", value: v.ir };
  }
  if (x.kind === "unary" && x.op === "!") {
    const o = unparen(x.operand);
    if (o.kind === "call" && o.callee.kind === "name" && o.callee.name === "exists") {
      const c = translateCond(u, o);
      return c.kind === "exists" ? { ...c, negated: !c.negated } : c;
    }
    return { kind: "not", operand: translateCond(u, x.operand) };
  }
  if (x.kind === "binary" && (x.op === "&&" || x.op === "||"))
    return { kind: x.op === "&&" ? "and" : "or", left: translateCond(u, x.left), right: translateCond(u, x.right) };
  if (x.kind === "call" && x.callee.kind === "name" && x.callee.name === "contains" && x.args.length === 2) {
    const f = fieldName(u, x.args[0]!);
    if (!f) return badWhere(u, x, "`contains` in a `where` needs a stored field as its first argument, e.g. `contains(tags, t)`");
    const ft = resolve(nonNull(f.type, types), types);
    const want = ft.kind === "list" ? ft.elem : ft.kind === "string" ? T.string : null;
    if (!want && ft.kind !== "any" && ft.kind !== "error") {
      ctx.diags.report(
        CHECK.argType,
        x.args[0]!.span,
        `\`contains\` needs a list or string field, and \`${f.name}\` is \`${show(f.type)}\``,
      );
    }
    if (mentions(u, x.args[1]!).length > 0) return badWhere(u, x.args[1]!);
    const v = ctx.expr(ctx, x.args[1]!, want ?? undefined);
    if (want) expect(ctx, v, want, x.args[1]!.span, `argument 2 of \`contains\``, CHECK.argType);
    return { kind: "contains", field: f.name, value: v.ir };
  }
  if (x.kind === "binary" && CMP_OPS.has(x.op)) {
    const op = x.op as CmpOp;
    const lenOf = (s: Expr): FieldTy | null => {
      const c = unparen(s);
      if (c.kind === "call" && c.callee.kind === "name" && c.callee.name === "len" && c.args.length === 1) return fieldName(u, c.args[0]!);
      return null;
    };
    const lenSide = lenOf(x.left) ? "left" : lenOf(x.right) ? "right" : null;
    if (lenSide) {
      const f = lenOf(lenSide === "left" ? x.left : x.right)!;
      const other = lenSide === "left" ? x.right : x.left;
      const fk = resolve(nonNull(f.type, types), types).kind;
      if (!["string", "list", "map", "any", "error"].includes(fk))
        ctx.diags.report(
          CHECK.argType,
          lenSide === "left" ? x.left.span : x.right.span,
          `\`len\` needs a string, list or map field, and \`${f.name}\` is \`${show(f.type)}\``,
        );
      if (mentions(u, other).length > 0) return badWhere(u, other);
      const v = ctx.expr(ctx, other);
      expect(ctx, v, T.number, other.span, "the length compared with");
      return { kind: "len", field: f.name, op: lenSide === "left" ? op : FLIP[op], value: v.ir };
    }
    const operand = (s: Expr): { o: IrCondOperand; ty: Ty; field: boolean } | null => {
      const f = fieldName(u, s);
      if (f) return { o: { kind: "field", name: f.name }, ty: f.optional ? optional(f.type, types) : f.type, field: true };
      if (mentions(u, s).length > 0) return null;
      const v = ctx.expr(ctx, s);
      return { o: { kind: "value", value: v.ir }, ty: v.ty, field: false };
    };
    const l = operand(x.left);
    if (!l) return badWhere(u, x.left);
    const r = operand(x.right);
    if (!r) return badWhere(u, x.right);
    if (op === "==" || op === "!=") {
      if (!comparable(l.ty, r.ty, types))
        ctx.diags.report(
          CHECK.badEquality,
          x.span,
          `\`${op}\` compares values of unrelated types \`${show(l.ty)}\` and \`${show(r.ty)}\`: they are never equal`,
        );
    } else {
      // an absent stored field makes an order comparison false (as in DynamoDB): compare T? fields as T
      const lk = resolve(l.field ? nonNull(l.ty, types) : l.ty, types).kind;
      const rk = resolve(r.field ? nonNull(r.ty, types) : r.ty, types).kind;
      const ok =
        lk === "error" ||
        rk === "error" ||
        ((lk === "number" || lk === "any") && (rk === "number" || rk === "any")) ||
        ((lk === "string" || lk === "any") && (rk === "string" || rk === "any"));
      if (!ok)
        ctx.diags.report(
          CHECK.badComparison,
          x.span,
          `\`${op}\` compares two numbers or two strings, not \`${show(l.ty)}\` and \`${show(r.ty)}\``,
        );
    }
    return { kind: "cmp", op, left: l.o, right: r.o };
  }
  return badWhere(u, x);
}
