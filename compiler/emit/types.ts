// TypeDesc -> TypeScript type text.
import type { TypeDesc } from "../../runtime/types.js";
import { prop, typeName } from "./names.js";

export function tsType(t: TypeDesc): string {
  switch (t.k) {
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
      return `${wrap(t.elem)}[]`;
    case "map":
      return `Record<string, ${tsType(t.elem)}>`;
    case "record":
      if (t.fields.length === 0) return "{}";
      return `{ ${t.fields.map((f) => `${prop(f.name)}${f.optional ? "?" : ""}: ${tsType(f.type)}${f.optional ? " | null" : ""}`).join("; ")} }`;
    case "optional":
      return t.inner.k === "optional" || t.inner.k === "null" ? tsType(t.inner) : `${tsType(t.inner)} | null`;
    case "named":
      return typeName(t.name);
  }
}

/** Parenthesizes union types where they would bind wrongly (before `[]`). */
function wrap(t: TypeDesc): string {
  const s = tsType(t);
  return t.k === "optional" ? `(${s})` : s;
}
