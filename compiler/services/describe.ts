// How the services print things: types as a user writes them, signatures of fns, externs and
// builtins (LANGUAGE.md §4), and a named type's definition.
import type { TypeExpr } from "../../grammar/ast.js";
import type { ExternInfo, FnInfo, ParamInfo, Program } from "../check/state.js";
import { show, type Ty } from "../check/types.js";

/** A written type, as written (whitespace normalised). */
export function typeText(te: TypeExpr | null): string {
  if (!te) return "null";
  switch (te.kind) {
    case "name":
      return te.name.name;
    case "list":
      return `list<${typeText(te.elem)}>`;
    case "map":
      return `map<${typeText(te.elem)}>`;
    case "optional":
      return `${typeText(te.inner)}?`;
    case "record":
      return te.fields.length === 0
        ? "{}"
        : `{ ${te.fields.map((f) => `${f.name.name}${f.optional ? "?" : ""}: ${typeText(f.type)}`).join(", ")} }`;
  }
}

const params = (ps: ParamInfo[]) => ps.map((p) => `${p.name}: ${show(p.type)}`).join(", ");

export function fnSignature(fn: FnInfo): string {
  return `fn ${fn.name}(${params(fn.params)})${fn.decl.result ? ` -> ${show(fn.result)}` : ""}`;
}

export function externSignature(x: ExternInfo): string {
  return `extern fn ${x.name}(${params(x.params)})${x.decl.result ? ` -> ${show(x.result)}` : ""} from ${JSON.stringify(x.decl.from.value)}`;
}

/** A type, and when it is a declared name, what the name stands for: `Counter = { n: number }`. */
export function typeWithDefinition(t: Ty, prog: Program | null): string {
  const shown = show(t);
  let inner = t;
  while (inner.kind === "optional" || inner.kind === "list" || inner.kind === "map")
    inner = inner.kind === "optional" ? inner.inner : inner.elem;
  if (inner.kind !== "named" || !prog) return shown;
  const def = prog.typeInfos.get(inner.name);
  return def ? `${shown}\n// ${inner.name} = ${typeText(def.decl.type)}` : shown;
}

/** The builtins' signatures and what they do (LANGUAGE.md §4). */
export const BUILTINS: Record<string, { signature: string; doc: string }> = {
  len: { signature: "len(x: string | list<T> | map<T>) -> number", doc: "length of a string, list or map" },
  keys: { signature: "keys(m: map<T>) -> list<string>", doc: "the keys, in ascending order" },
  values: { signature: "values(m: map<T>) -> list<T>", doc: "the values, in ascending key order" },
  contains: { signature: "contains(xs: list<T> | string, x: T | string) -> bool", doc: "list membership, or substring for strings" },
  min: { signature: "min(a: number, b: number) -> number", doc: "the smaller number" },
  max: { signature: "max(a: number, b: number) -> number", doc: "the larger number" },
  abs: { signature: "abs(x: number) -> number", doc: "absolute value" },
  floor: { signature: "floor(x: number) -> number", doc: "rounds down" },
  ceil: { signature: "ceil(x: number) -> number", doc: "rounds up" },
  round: { signature: "round(x: number) -> number", doc: "rounds to the nearest whole number" },
  str: { signature: "str(x: string | number | bool | null) -> string", doc: "text of a scalar (`json(x)` for lists, maps and records)" },
  num: { signature: "num(s: string) -> number?", doc: "the number a string spells, or `null` when it is not one" },
  slice: {
    signature: "slice(xs: list<T> | string, from: number, to: number) -> same as xs",
    doc: "a part of a list or string, `to` exclusive",
  },
  range: { signature: "range(n: number) -> list<number>", doc: "`[0, 1, ..., n - 1]`" },
  sort: { signature: "sort(xs: list<number> | list<string>) -> same as xs", doc: "sorted ascending" },
  json: { signature: "json(x: any) -> string", doc: "canonical JSON text of any value" },
  now: { signature: "now() -> number", doc: "the time in ms; logged, so a re-execution sees the same value" },
  uuid: { signature: "uuid() -> string", doc: "a fresh unique id; logged, so a re-execution sees the same value" },
  random: { signature: "random() -> number", doc: "a random number in [0, 1); logged, so a re-execution sees the same value" },
};
