// Checks an invocation's input against a fn's parameter types before anything runs.
import { resolveType, type TypeDesc, type TypeTable } from "../contract/types.js";
import { hasLoneSurrogate } from "./values.js";

const own = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** Returns a description of the first mismatch, or null when `value` has type `t`. */
export function mismatch(value: unknown, t: TypeDesc, types: TypeTable, path: string): string | null {
  const r = resolveType(t, types);
  const got = () =>
    value === null || value === undefined
      ? "null"
      : Array.isArray(value)
        ? "a list"
        : typeof value === "object"
          ? "an object"
          : `a ${typeof value}`;
  switch (r.kind) {
    case "any":
      return null;
    case "null":
      return value === null || value === undefined ? null : `${path} must be null, got ${got()}`;
    case "optional":
      return value === null || value === undefined ? null : mismatch(value, r.inner, types, path);
    case "string":
      if (typeof value !== "string") return `${path} must be a string, got ${got()}`;
      return hasLoneSurrogate(value) ? `${path} holds a lone surrogate: it is not Unicode text` : null;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : `${path} must be a finite number, got ${got()}`;
    case "bool":
      return typeof value === "boolean" ? null : `${path} must be a bool, got ${got()}`;
    case "list":
      if (!Array.isArray(value)) return `${path} must be a list, got ${got()}`;
      for (let i = 0; i < value.length; i++) {
        const m = mismatch(value[i], r.elem, types, `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    case "map":
      if (value === null || typeof value !== "object" || Array.isArray(value)) return `${path} must be a map (an object), got ${got()}`;
      for (const [k, v] of Object.entries(value)) {
        if (hasLoneSurrogate(k)) return `a key of ${path} holds a lone surrogate: it is not Unicode text`;
        const m = mismatch(v, r.elem, types, `${path}.${k}`);
        if (m) return m;
      }
      return null;
    case "record": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return `${path} must be a record (an object), got ${got()}`;
      const obj = value as Record<string, unknown>;
      for (const f of r.fields) {
        const v = own(obj, f.name) ? obj[f.name] : undefined; // not Object.prototype's `constructor`
        if ((v === undefined || v === null) && f.optional) continue;
        if (v === undefined) return `${path}.${f.name} is missing`;
        const m = mismatch(v, f.type, types, `${path}.${f.name}`);
        if (m) return m;
      }
      const known = new Set(r.fields.map((f) => f.name));
      const extra = Object.keys(obj).find((k) => !known.has(k));
      return extra === undefined ? null : `${path} has an unknown field ${extra}`;
    }
    case "named":
      return null; // resolved above
  }
}
