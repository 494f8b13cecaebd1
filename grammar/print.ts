// Compact one-line renderings of expressions and types, for tests, debugging and messages.
// Expressions print as S-expressions, so the tree's shape (precedence) is visible:
// `a + b * c` prints as `(+ a (* b c))`.
import type { Expr, TypeExpr } from "./ast.js";

/** An expression as an S-expression: `(+ a (* b c))`, `(call f x)`, `(. r f)`, `(idx xs 0)`. */
export function printExpr(e: Expr | null): string {
  if (!e) return "_";
  switch (e.kind) {
    case "number":
      return String(e.value);
    case "string":
      return JSON.stringify(e.value);
    case "bool":
      return String(e.value);
    case "null":
      return "null";
    case "name":
      return e.name;
    case "paren":
      return `(paren ${printExpr(e.inner)})`;
    case "list":
      return `[${e.items.map(printExpr).join(" ")}]`;
    case "record":
      return `{${e.fields.map((f) => (f.value ? `${f.name.name}:${printExpr(f.value)}` : f.name.name)).join(" ")}}`;
    case "field":
      return `(${e.nullSafe ? "?." : "."} ${printExpr(e.object)} ${e.name.name})`;
    case "index":
      return `(idx ${printExpr(e.object)} ${printExpr(e.index)})`;
    case "call":
      return `(call ${printExpr(e.callee)}${e.args.map((a) => " " + printExpr(a)).join("")})`;
    case "unary":
      return `(${e.op} ${printExpr(e.operand)})`;
    case "binary":
      return `(${e.op} ${printExpr(e.left)} ${printExpr(e.right)})`;
    case "read":
      return `(read ${e.table.name} ${printExpr(e.key)})`;
    case "scan":
      return `(scan ${e.table.name})`;
    case "invoke":
      return `(${e.mode} ${e.service.name}.${e.fn.name}${e.args.map((a) => " " + printExpr(a)).join("")})`;
    case "wait":
      return `(wait ${printExpr(e.name)} ${printType(e.type)}${e.timeout ? " timeout " + printExpr(e.timeout) : ""})`;
    case "signal":
      return `(signal${e.args.map((a) => " " + printExpr(a)).join("")})`;
    case "update":
      return `(update ${e.table.name} ${printExpr(e.key)}${e.alias ? ` as ${e.alias.name}` : ""} ${e.sets
        .map((s) => `${s.field.name}=${printExpr(s.value)}`)
        .join(",")}${e.where ? " where " + printExpr(e.where) : ""})`;
  }
}

/** A type as written: `list<string>?`, `{a:number,b?:string}`. */
export function printType(t: TypeExpr | null): string {
  if (!t) return "_";
  switch (t.kind) {
    case "name":
      return t.name.name;
    case "list":
      return `list<${printType(t.elem)}>`;
    case "map":
      return `map<${printType(t.elem)}>`;
    case "optional":
      return `${printType(t.inner)}?`;
    case "record":
      return `{${t.fields.map((f) => `${f.name.name}${f.optional ? "?" : ""}:${printType(f.type)}`).join(",")}}`;
  }
}
