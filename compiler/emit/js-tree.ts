// The JavaScript/TypeScript expressions generated code is made of, as a tree: the emitter builds
// one, print-js.ts writes it with only the parentheses precedence needs.
import { js } from "./text.js";

export type JsBinaryOp = "+" | "-" | "*" | "/" | "%" | "**" | "<" | "<=" | ">" | ">=" | "===" | "!==" | "==" | "!=" | "&&" | "||" | "??";

export type JsPrefixOp = "!" | "-" | "await";

export type JsExpr =
  /** an identifier (a local, `$v`, `$`); never a reserved word */
  | { kind: "id"; name: string }
  /** a string, boolean or null literal, already written */
  | { kind: "literal"; text: string }
  /** a number literal: a negative one is written as a prefix minus */
  | { kind: "number"; value: number }
  | { kind: "binary"; op: JsBinaryOp; left: JsExpr; right: JsExpr }
  | { kind: "prefix"; op: JsPrefixOp; operand: JsExpr }
  /** TypeScript's non-null assertion `x!` */
  | { kind: "nonNull"; operand: JsExpr }
  /** `object.name` (name: an identifier name); `object?.name` when `optional` */
  | { kind: "member"; object: JsExpr; name: string; optional?: true }
  /** `callee<typeArgs>(args)` */
  | { kind: "call"; callee: JsExpr; typeArgs?: string; args: JsExpr[] }
  | { kind: "array"; items: JsExpr[] }
  /** `{ key: value }`, keys already written; `{ x }` where the value is the identifier of the key's name */
  | { kind: "object"; props: { key: string; value: JsExpr }[] }
  /** `...operand`, in an array or the arguments of a call */
  | { kind: "spread"; operand: JsExpr };

export const id = (name: string): JsExpr => ({ kind: "id", name });
export const num = (value: number): JsExpr => ({ kind: "number", value });
/** A literal of a string, boolean or null (escaped by text.ts). */
export const lit = (value: string | boolean | null): JsExpr => ({ kind: "literal", text: js(value) });
export const member = (object: JsExpr, name: string): JsExpr => ({ kind: "member", object, name });
/** `object?.name` */
export const optionalMember = (object: JsExpr, name: string): JsExpr => ({ kind: "member", object, name, optional: true });
export const binary = (op: JsBinaryOp, left: JsExpr, right: JsExpr): JsExpr => ({ kind: "binary", op, left, right });
export const prefix = (op: JsPrefixOp, operand: JsExpr): JsExpr => ({ kind: "prefix", op, operand });
export const object = (props: { key: string; value: JsExpr }[]): JsExpr => ({ kind: "object", props });

/** A call of a dotted name (`$v.eq`, `$3.read`), with type arguments when given. */
export function call(callee: string | JsExpr, args: JsExpr[], typeArgs?: string): JsExpr {
  const fn = typeof callee === "string" ? dotted(callee) : callee;
  return typeArgs === undefined ? { kind: "call", callee: fn, args } : { kind: "call", callee: fn, typeArgs, args };
}

/** `a.b.c` as identifiers and members. */
function dotted(path: string): JsExpr {
  const [first, ...rest] = path.split(".");
  return rest.reduce<JsExpr>((o, name) => member(o, name), id(first!));
}
