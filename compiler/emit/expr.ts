// IR expressions -> JsExpr trees (js-tree.ts); print-js.ts writes them with the parentheses
// precedence needs.
import type { IrBinaryOp, IrCond, IrCondOperand, IrExpr, IrFn, IrProgram, IrService, IrSetValue } from "../ir.js";
import { binary as op, call, id, lit, member, num, object, optionalMember, prefix, type JsExpr } from "./js-tree.js";
import { local, prop, PROTO_NAMES } from "./names.js";
import { printJs } from "./print-js.js";
import { jsInline } from "./text.js";
import { tsType } from "./types.js";

/** What expression emission needs to know about where it is. */
export interface Scope {
  ir: IrProgram;
  service: IrService;
  fn: IrFn;
  /** the Ctx variable of the current step path */
  ctx: string;
  /** fresh-name counter shared by the whole fn */
  fresh: { n: number };
  /** extern name -> the TypeScript name it is imported as */
  externs: Map<string, string>;
  /** inside a `txn` body (emitted as a function): `return e` becomes `return { value: e }` */
  inTxn?: boolean;
  /** what the module must define for the code emitted (set while emitting) */
  needs: { own: boolean };
  /** "service.fn" -> the fn, for the parameter names of call sites */
  callees: Map<string, IrFn>;
}

const BUILTIN: Record<string, string> = {
  len: "$v.len",
  keys: "$v.keys",
  values: "$v.values",
  contains: "$v.contains",
  min: "$v.min",
  max: "$v.max",
  abs: "$v.abs",
  floor: "$v.floor",
  ceil: "$v.ceil",
  round: "$v.round",
  str: "$v.str",
  num: "$v.parseNum",
  slice: "$v.slice",
  range: "$v.range",
  sort: "$v.sort",
  json: "$v.json",
};

/** The expression's text, for a place that delimits it (an argument, `x = ...;`, `if (...)`). */
export function exprText(s: Scope, e: IrExpr): string {
  return printJs(expr(s, e));
}

export function expr(s: Scope, e: IrExpr): JsExpr {
  switch (e.kind) {
    case "lit":
      return typeof e.value === "number" ? num(e.value) : lit(e.value);
    case "list":
      return { kind: "array", items: e.items.map((x) => expr(s, x)) };
    case "record":
      return object(e.fields.map((f) => ({ key: prop(f.name), value: expr(s, f.value) })));
    case "local":
      return id(local(e.name));
    case "field": {
      // `a?.f` (nullSafe): JavaScript's `?.` yields undefined, and a Beldi null is null
      const read = e.nullSafe ? optionalMember : member;
      if ((e.optional || e.nullSafe) && PROTO_NAMES.has(e.name)) {
        s.needs.own = true;
        return call("$own", [expr(s, e.object), lit(e.name)]);
      }
      return e.optional || e.nullSafe ? op("??", read(expr(s, e.object), prop(e.name)), lit(null)) : read(expr(s, e.object), prop(e.name));
    }
    case "index":
      // on `any`, say so: TypeScript would take the element type from the enclosing call
      // (in `x[0][0]` the inner call's result became a list, or null, and did not type-check)
      return call(
        e.on === "list" ? "$v.at" : "$v.get",
        [expr(s, e.object), expr(s, e.index)],
        e.object.type.kind === "any" ? "any" : undefined,
      );
    case "nonNull":
      return { kind: "nonNull", operand: expr(s, e.expr) };
    case "unary":
      return prefix(e.op, expr(s, e.operand));
    case "binary":
      return binary(s, e.op, e.left, e.right);
    case "builtin":
      return call(
        BUILTIN[e.name],
        e.args.map((a) => expr(s, a)),
      );
    case "extern":
      return call(
        id(s.externs.get(e.name) ?? local(e.name)),
        e.args.map((a) => expr(s, a)),
      );
    case "inline":
      return prefix("await", call(id(local(e.fn)), [call(`${s.ctx}.inline`, [lit(e.site)]), ...e.args.map((a) => expr(s, a))]));
    case "read": {
      const t = s.service.tables.find((x) => x.name === e.table)!;
      const args = [lit(e.site), lit(e.table), expr(s, e.key), ...(e.forUpdate ? [lit(true)] : [])];
      return prefix("await", call(`${s.ctx}.read`, args, tsType(t.valueType)));
    }
    case "scan": {
      const t = s.service.tables.find((x) => x.name === e.table)!;
      return prefix("await", call(`${s.ctx}.scan`, [lit(e.site), lit(e.table)], tsType(t.valueType)));
    }
    case "call":
      return prefix(
        "await",
        call(`${s.ctx}.call`, [lit(e.site), lit(e.service), lit(e.fn), callInput(s, e.service, e.fn, e.args)], tsType(e.type)),
      );
    case "spawn":
      return prefix("await", call(`${s.ctx}.spawn`, [lit(e.site), lit(e.service), lit(e.fn), callInput(s, e.service, e.fn, e.args)]));
    case "nondet":
      return prefix("await", call(`${s.ctx}.${e.name}`, [lit(e.site)]));
    case "wait": {
      // the value type travels as data: the runtime checks the delivered value against it
      const type: JsExpr = { kind: "literal", text: jsInline(e.valueType) };
      const timeout = e.timeout ? expr(s, e.timeout) : lit(null);
      return prefix("await", call(`${s.ctx}.wait`, [lit(e.site), lit(e.name), type, timeout], tsType(e.valueType)));
    }
    case "signal":
      return prefix("await", call(`${s.ctx}.signal`, [lit(e.site), expr(s, e.instance), expr(s, e.name), expr(s, e.value)]));
    case "update":
      return prefix("await", call(`${s.ctx}.update`, [lit(e.site), lit(e.table), expr(s, e.key), updateSpec(s, e)]));
  }
}

function binary(s: Scope, o: IrBinaryOp, l: IrExpr, r: IrExpr): JsExpr {
  const a = expr(s, l);
  const b = expr(s, r);
  switch (o) {
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return call("$v.num", [op(o, a, b)]);
    case "concat":
      return op("+", a, b);
    case "append":
      return {
        kind: "array",
        items: [
          { kind: "spread", operand: a },
          { kind: "spread", operand: b },
        ],
      };
    case "==":
    case "!=": {
      const neg = o === "!=";
      if (isNullLit(l) || isNullLit(r)) return op(neg ? "!==" : "===", isNullLit(l) ? b : a, lit(null));
      const eq = call("$v.eq", [a, b]);
      return neg ? prefix("!", eq) : eq;
    }
    case "<":
    case "<=":
    case ">":
    case ">=":
    case "&&":
    case "||":
    case "??":
      return op(o, a, b);
  }
}

const isNullLit = (e: IrExpr) => e.kind === "lit" && e.value === null;

/** The input object of a `call`/`spawn`: the callee's parameter names with the argument values. */
function callInput(s: Scope, service: string, fn: string, args: IrExpr[]): JsExpr {
  const callee = s.callees.get(`${service}.${fn}`);
  if (!callee) throw new Error(`unknown callee ${service}.${fn}`);
  return object(args.length ? callee.params.map((p, i) => ({ key: prop(p.name), value: expr(s, args[i]!) })) : []);
}

function updateSpec(s: Scope, e: Extract<IrExpr, { kind: "update" }>): JsExpr {
  const sets = e.sets.map((x) => object([{ key: "field", value: lit(x.field) }, ...setValue(s, x.value)]));
  return object([
    { key: "sets", value: { kind: "array", items: sets } },
    ...(e.where ? [{ key: "where", value: cond(s, e.where) }] : []),
    { key: "upsert", value: lit(e.upsert) },
  ]);
}

type Props = { key: string; value: JsExpr }[];

function setValue(s: Scope, v: IrSetValue): Props {
  const start = (x: IrExpr | null): Props => (x ? [{ key: "start", value: expr(s, x) }] : []);
  switch (v.kind) {
    case "assign":
      return [
        { key: "op", value: lit("assign") },
        { key: "value", value: expr(s, v.value) },
      ];
    case "add": {
      const delta = v.sign === 1 ? expr(s, v.delta) : call("$v.num", [prefix("-", expr(s, v.delta))]);
      return [{ key: "op", value: lit("add") }, { key: "delta", value: delta }, ...start(v.start)];
    }
    case "coalesce":
      return [
        { key: "op", value: lit("coalesce") },
        { key: "value", value: expr(s, v.fallback) },
      ];
    case "append":
      return [{ key: "op", value: lit("append") }, { key: "items", value: expr(s, v.items) }, ...start(v.start)];
  }
}

function operand(s: Scope, o: IrCondOperand): JsExpr {
  return o.kind === "field" ? object([{ key: "field", value: lit(o.name) }]) : object([{ key: "value", value: expr(s, o.value) }]);
}

function cond(s: Scope, c: IrCond): JsExpr {
  const kind = lit(c.kind === "local" ? "const" : c.kind);
  switch (c.kind) {
    case "cmp":
      return object([
        { key: "kind", value: kind },
        { key: "op", value: lit(c.op) },
        { key: "left", value: operand(s, c.left) },
        { key: "right", value: operand(s, c.right) },
      ]);
    case "exists":
      return object([
        { key: "kind", value: kind },
        { key: "field", value: lit(c.field) },
        { key: "negated", value: lit(c.negated) },
      ]);
    case "contains":
      return object([
        { key: "kind", value: kind },
        { key: "field", value: lit(c.field) },
        { key: "value", value: expr(s, c.value) },
      ]);
    case "len":
      return object([
        { key: "kind", value: kind },
        { key: "field", value: lit(c.field) },
        { key: "op", value: lit(c.op) },
        { key: "value", value: expr(s, c.value) },
      ]);
    case "and":
    case "or":
      return object([
        { key: "kind", value: kind },
        { key: "left", value: cond(s, c.left) },
        { key: "right", value: cond(s, c.right) },
      ]);
    case "not":
      return object([
        { key: "kind", value: kind },
        { key: "operand", value: cond(s, c.operand) },
      ]);
    case "local":
      return object([
        { key: "kind", value: kind },
        { key: "value", value: expr(s, c.value) },
      ]);
  }
}
