// TypeDesc -> TypeScript type text.
import { MAX_TYPE_DEPTH } from "../../grammar/index.js";
import type { TypeDesc } from "../../contract/types.js";
import { prop, PROTO_NAMES, typeName } from "./names.js";

/**
 * The TypeScript type. Written types nest at most MAX_TYPE_DEPTH levels (the parser's limit);
 * a value's type can nest deeper (nested literals, `let`s wrapping `let`s), and TypeScript gives
 * up relating types some 100 levels deep, so below that level the type is written `any`.
 */
export function tsType(t: TypeDesc, level = 0): string {
  const inner = (x: TypeDesc) => (level >= MAX_TYPE_DEPTH ? "any" : tsType(x, level + 1));
  switch (t.kind) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "bool":
      return "boolean";
    case "null":
      return "null";
    case "any":
      return "any";
    case "list":
      return level >= MAX_TYPE_DEPTH ? "any[]" : `${wrap(t.elem, level + 1)}[]`;
    case "map":
      return `Record<string, ${inner(t.elem)}>`;
    case "record":
      if (t.fields.length === 0) return "{}";
      return `{ ${t.fields.map((f) => `${prop(f.name)}${f.optional ? "?" : ""}: ${field(f.name, f.optional, () => inner(f.type))}`).join("; ")} }`;
    case "optional":
      return t.inner.kind === "optional" || t.inner.kind === "null" ? tsType(t.inner, level) : `${tsType(t.inner, level)} | null`;
    case "named":
      return typeName(t.name);
  }
}

/**
 * A field's type. An optional field named like an Object.prototype member (`valueOf?: number`)
 * is `any`: TypeScript compares a record lacking it with that member (`() => Object`), so no
 * record without the field would fit. The checker has checked its type already.
 */
function field(name: string, optional: boolean, type: () => string): string {
  if (!optional) return type();
  return PROTO_NAMES.has(name) ? "any" : `${type()} | null`;
}

/** Parenthesizes union types where they would bind wrongly (before `[]`). */
function wrap(t: TypeDesc, level: number): string {
  const s = tsType(t, level);
  return t.kind === "optional" ? `(${s})` : s;
}
