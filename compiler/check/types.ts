// Type relations for the checker: the internal type (TypeDesc plus `error` and `never`),
// resolution of named types, assignability, joins, and printing types for messages.
import type { TypeDesc } from "../../contract/types.js";
import type { Span } from "../../grammar/span.js";

/**
 * The checker's types. `error` is the type of an expression that already has a reported error:
 * it is compatible with everything so no follow-on error is reported. `never` is the element
 * type of the empty list `[]` when nothing says what it holds.
 */
export type Ty =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "null" }
  | { kind: "any" }
  | { kind: "list"; elem: Ty }
  | { kind: "map"; elem: Ty }
  | { kind: "record"; fields: FieldTy[] }
  | { kind: "optional"; inner: Ty }
  | { kind: "named"; name: string }
  | { kind: "error" }
  | { kind: "never" };

export interface FieldTy {
  name: string;
  type: Ty;
  optional: boolean;
  /** where the field is declared (a record type's field, or an inferred record literal's), for the language services */
  span?: Span;
}

export const T = {
  string: { kind: "string" } as Ty,
  number: { kind: "number" } as Ty,
  bool: { kind: "bool" } as Ty,
  null: { kind: "null" } as Ty,
  any: { kind: "any" } as Ty,
  error: { kind: "error" } as Ty,
  never: { kind: "never" } as Ty,
  list: (elem: Ty): Ty => ({ kind: "list", elem }),
  map: (elem: Ty): Ty => ({ kind: "map", elem }),
};

/** Declared types by name (structural definitions, possibly referring to other names). */
export type TyTable = Map<string, Ty>;

/** Follows `named` references until a structural type (unknown or cyclic names give `error`). */
export function resolve(t: Ty, types: TyTable): Ty {
  let n = 0;
  while (t.kind === "named") {
    const next = types.get(t.name);
    if (!next || ++n > 64) return T.error;
    t = next;
  }
  return t;
}

export function isError(t: Ty): boolean {
  return t.kind === "error";
}

/** `T?`, flattening `T??` and `null?`. */
export function optional(t: Ty, types: TyTable): Ty {
  const r = resolve(t, types);
  if (r.kind === "optional" || r.kind === "null" || r.kind === "any" || r.kind === "error") return t;
  return { kind: "optional", inner: t };
}

/** True when the type (after resolving names) admits null but is not `any`/`null`. */
export function isOptional(t: Ty, types: TyTable): boolean {
  return resolve(t, types).kind === "optional";
}

/** The non-null part of an optional type (T for T?), or the type itself. */
export function nonNull(t: Ty, types: TyTable): Ty {
  const r = resolve(t, types);
  return r.kind === "optional" ? r.inner : t;
}

/** Whether a value of type `src` may be used where `dst` is expected. */
export function assignable(src: Ty, dst: Ty, types: TyTable, depth = 0): boolean {
  if (depth > 100) return true;
  if (src.kind === "error" || dst.kind === "error") return true;
  if (src.kind === "never") return true;
  if (src.kind === "named" && dst.kind === "named" && src.name === dst.name) return true;
  const s = resolve(src, types);
  const d = resolve(dst, types);
  if (s.kind === "error" || d.kind === "error" || s.kind === "never") return true;
  if (s.kind === "any" || d.kind === "any") return true;
  if (d.kind === "optional") {
    if (s.kind === "null") return true;
    if (s.kind === "optional") return assignable(s.inner, d.inner, types, depth + 1);
    return assignable(s, d.inner, types, depth + 1);
  }
  switch (s.kind) {
    case "string":
    case "number":
    case "bool":
    case "null":
      return d.kind === s.kind;
    case "optional":
      return false;
    case "list":
      return d.kind === "list" && assignable(s.elem, d.elem, types, depth + 1);
    case "map":
      return d.kind === "map" && assignable(s.elem, d.elem, types, depth + 1);
    case "record": {
      if (d.kind !== "record") return false;
      for (const f of s.fields) if (!d.fields.some((g) => g.name === f.name)) return false;
      for (const g of d.fields) {
        const f = s.fields.find((x) => x.name === g.name);
        if (!f) {
          if (!g.optional) return false;
          continue;
        }
        const ft = f.optional ? optional(f.type, types) : f.type;
        const gt = g.optional ? optional(g.type, types) : g.type;
        if (!assignable(ft, gt, types, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** The smallest type both fit in (for `??`, list literals), or null when there is none. */
export function join(a: Ty, b: Ty, types: TyTable): Ty | null {
  if (a.kind === "error" || b.kind === "error") return T.error;
  if (a.kind === "never") return b;
  if (b.kind === "never") return a;
  const ra = resolve(a, types);
  const rb = resolve(b, types);
  if (ra.kind === "error" || rb.kind === "error") return T.error;
  if (ra.kind === "any" || rb.kind === "any") return T.any;
  if (assignable(a, b, types)) return b;
  if (assignable(b, a, types)) return a;
  if (ra.kind === "null") return optional(b, types);
  if (rb.kind === "null") return optional(a, types);
  if (ra.kind === "list" && rb.kind === "list") {
    const e = join(ra.elem, rb.elem, types);
    return e ? T.list(e) : null;
  }
  if (ra.kind === "map" && rb.kind === "map") {
    const e = join(ra.elem, rb.elem, types);
    return e ? T.map(e) : null;
  }
  if (ra.kind === "optional" || rb.kind === "optional") {
    const inner = join(nonNull(a, types), nonNull(b, types), types);
    return inner ? optional(inner, types) : null;
  }
  return null;
}

/** Whether `==`/`!=` between the two types is meaningful (null is comparable with everything). */
export function comparable(a: Ty, b: Ty, types: TyTable): boolean {
  const ra = resolve(a, types);
  const rb = resolve(b, types);
  if (ra.kind === "null" || rb.kind === "null" || ra.kind === "error" || rb.kind === "error") return true;
  const na = nonNull(a, types);
  const nb = nonNull(b, types);
  return assignable(na, nb, types) || assignable(nb, na, types) || recordAsMap(na, nb, types) || recordAsMap(nb, na, types);
}

/** A record whose fields all hold `T` is a JSON object a `map<T>` may equal (LANGUAGE.md §2: a record literal of `T`s is also a `map<T>`). */
function recordAsMap(rec: Ty, map: Ty, types: TyTable): boolean {
  const r = resolve(rec, types);
  const m = resolve(map, types);
  return r.kind === "record" && m.kind === "map" && r.fields.every((f) => assignable(f.type, m.elem, types));
}

/** Converts a checker type to the IR's TypeDesc (`error`/`never` become `any`). */
export function toDesc(t: Ty): TypeDesc {
  switch (t.kind) {
    case "error":
    case "never":
      return { kind: "any" };
    case "list":
      return { kind: "list", elem: toDesc(t.elem) };
    case "map":
      return { kind: "map", elem: toDesc(t.elem) };
    case "optional":
      return { kind: "optional", inner: toDesc(t.inner) };
    case "record":
      return { kind: "record", fields: t.fields.map((f) => ({ name: f.name, type: toDesc(f.type), optional: f.optional })) };
    case "named":
      return { kind: "named", name: t.name };
    default:
      return { kind: t.kind };
  }
}

/** True when the type mentions `never` (an empty literal whose element type is unknown). */
export function hasNever(t: Ty): boolean {
  switch (t.kind) {
    case "never":
      return true;
    case "list":
    case "map":
      return hasNever(t.elem);
    case "optional":
      return hasNever(t.inner);
    case "record":
      return t.fields.some((f) => hasNever(f.type));
    default:
      return false;
  }
}

/** The type as the user writes it, for messages. */
export function show(t: Ty): string {
  switch (t.kind) {
    case "list":
      return `list<${show(t.elem)}>`;
    case "map":
      return `map<${show(t.elem)}>`;
    case "optional":
      return `${show(t.inner)}?`;
    case "record":
      return t.fields.length === 0 ? "{}" : `{ ${t.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${show(f.type)}`).join(", ")} }`;
    case "named":
      return t.name;
    case "error":
      return "<error>";
    case "never":
      return "?";
    default:
      return t.kind;
  }
}

/** The record type of `t` (through names and, when asked, an optional), or null. */
export function asRecord(t: Ty, types: TyTable): { kind: "record"; fields: FieldTy[] } | null {
  const r = resolve(t, types);
  return r.kind === "record" ? r : null;
}
