// IR expressions -> TypeScript expression text. Compound results are parenthesized, so any
// result can be used as an operand.
import type { IrCond, IrCondOperand, IrExpr, IrFn, IrProgram, IrService, IrSetValue } from "../ir.js";
import { local, prop, PROTO_NAMES } from "./names.js";
import { js } from "./text.js";
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

const q = js;

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

export function expr(s: Scope, e: IrExpr): string {
  switch (e.k) {
    case "lit":
      return e.value === null ? "null" : typeof e.value === "string" ? q(e.value) : String(e.value);
    case "list":
      return `[${e.items.map((x) => expr(s, x)).join(", ")}]`;
    case "record":
      return e.fields.length ? `{ ${e.fields.map((f) => field(f.name, expr(s, f.value))).join(", ")} }` : "{}";
    case "local":
      return local(e.name);
    case "field":
      if (e.optional && PROTO_NAMES.has(e.name)) {
        s.needs.own = true;
        return `$own(${expr(s, e.object)}, ${q(e.name)})`;
      }
      return e.optional ? `(${expr(s, e.object)}.${prop(e.name)} ?? null)` : `${expr(s, e.object)}.${prop(e.name)}`;
    case "index": {
      // on `any`, say so: TypeScript would take the element type from the enclosing call
      // (in `x[0][0]` the inner call's result became a list, or null, and did not type-check)
      const elem = e.object.type.k === "any" ? "<any>" : "";
      return `${e.on === "list" ? "$v.at" : "$v.get"}${elem}(${expr(s, e.object)}, ${expr(s, e.index)})`;
    }
    case "nonNull":
      return `${expr(s, e.expr)}!`;
    case "unary":
      return `(${e.op}${expr(s, e.operand)})`;
    case "binary":
      return binary(s, e.op, e.left, e.right);
    case "builtin":
      return `${BUILTIN[e.name]}(${e.args.map((a) => expr(s, a)).join(", ")})`;
    case "extern":
      return `${s.externs.get(e.name) ?? local(e.name)}(${e.args.map((a) => expr(s, a)).join(", ")})`;
    case "inline":
      return `(await ${local(e.fn)}(${[`${s.ctx}.inline(${q(e.site)})`, ...e.args.map((a) => expr(s, a))].join(", ")}))`;
    case "read": {
      const t = s.service.tables.find((x) => x.name === e.table)!;
      const forUpdate = e.forUpdate ? ", true" : "";
      return `(await ${s.ctx}.read<${tsType(t.valueType)}>(${q(e.site)}, ${q(e.table)}, ${expr(s, e.key)}${forUpdate}))`;
    }
    case "scan": {
      const t = s.service.tables.find((x) => x.name === e.table)!;
      return `(await ${s.ctx}.scan<${tsType(t.valueType)}>(${q(e.site)}, ${q(e.table)}))`;
    }
    case "call":
      return `(await ${s.ctx}.call<${tsType(e.type)}>(${q(e.site)}, ${q(e.service)}, ${q(e.fn)}, ${callInput(s, e.service, e.fn, e.args)}))`;
    case "spawn":
      return `(await ${s.ctx}.spawn(${q(e.site)}, ${q(e.service)}, ${q(e.fn)}, ${callInput(s, e.service, e.fn, e.args)}))`;
    case "nondet":
      return `(await ${s.ctx}.${e.name}(${q(e.site)}))`;
    case "update":
      return `(await ${s.ctx}.update(${q(e.site)}, ${q(e.table)}, ${expr(s, e.key)}, ${updateSpec(s, e)}))`;
  }
}

/** `name: value`, or the shorthand `name` when the value is the local of that name. */
function field(name: string, value: string): string {
  return value === name && prop(name) === name ? name : `${prop(name)}: ${value}`;
}

function binary(s: Scope, op: string, l: IrExpr, r: IrExpr): string {
  const a = expr(s, l);
  const b = expr(s, r);
  switch (op) {
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return `$v.num(${a} ${op} ${b})`;
    case "concat":
      return `(${a} + ${b})`;
    case "append":
      return `[...${a}, ...${b}]`;
    case "==":
    case "!=": {
      const neg = op === "!=";
      if (isNullLit(l) || isNullLit(r)) return `(${isNullLit(l) ? b : a} ${neg ? "!==" : "==="} null)`;
      return neg ? `(!$v.eq(${a}, ${b}))` : `$v.eq(${a}, ${b})`;
    }
    default:
      return `(${a} ${op} ${b})`;
  }
}

const isNullLit = (e: IrExpr) => e.k === "lit" && e.value === null;

/** The input object of a `call`/`spawn`: the callee's parameter names with the argument values. */
function callInput(s: Scope, service: string, fn: string, args: IrExpr[]): string {
  const callee = s.callees.get(`${service}.${fn}`);
  if (!callee) throw new Error(`unknown callee ${service}.${fn}`);
  if (!args.length) return "{}";
  return `{ ${callee.params.map((p, i) => field(p.name, expr(s, args[i]!))).join(", ")} }`;
}

function updateSpec(s: Scope, e: Extract<IrExpr, { k: "update" }>): string {
  const sets = e.sets.map((x) => `{ field: ${q(x.field)}, ${setValue(s, x.value)} }`);
  const parts = [`sets: [${sets.join(", ")}]`];
  if (e.where) parts.push(`where: ${cond(s, e.where)}`);
  parts.push(`upsert: ${e.upsert}`);
  return `{ ${parts.join(", ")} }`;
}

function setValue(s: Scope, v: IrSetValue): string {
  switch (v.k) {
    case "assign":
      return `op: "assign", value: ${expr(s, v.value)}`;
    case "add": {
      const delta = v.sign === 1 ? expr(s, v.delta) : `$v.num(-${expr(s, v.delta)})`;
      return `op: "add", delta: ${delta}${v.start ? `, start: ${expr(s, v.start)}` : ""}`;
    }
    case "coalesce":
      return `op: "coalesce", value: ${expr(s, v.fallback)}`;
    case "append":
      return `op: "append", items: ${expr(s, v.items)}${v.start ? `, start: ${expr(s, v.start)}` : ""}`;
  }
}

function operand(s: Scope, o: IrCondOperand): string {
  return o.k === "field" ? `{ field: ${q(o.name)} }` : `{ value: ${expr(s, o.value)} }`;
}

function cond(s: Scope, c: IrCond): string {
  switch (c.k) {
    case "cmp":
      return `{ k: "cmp", op: ${q(c.op)}, left: ${operand(s, c.left)}, right: ${operand(s, c.right)} }`;
    case "exists":
      return `{ k: "exists", field: ${q(c.field)}, negated: ${c.negated} }`;
    case "contains":
      return `{ k: "contains", field: ${q(c.field)}, value: ${expr(s, c.value)} }`;
    case "len":
      return `{ k: "len", field: ${q(c.field)}, op: ${q(c.op)}, value: ${expr(s, c.value)} }`;
    case "and":
    case "or":
      return `{ k: ${q(c.k)}, left: ${cond(s, c.left)}, right: ${cond(s, c.right)} }`;
    case "not":
      return `{ k: "not", operand: ${cond(s, c.operand)} }`;
    case "local":
      return `{ k: "const", value: ${expr(s, c.value)} }`;
  }
}
