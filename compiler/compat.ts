// Two versions of an app side by side (issue 12): during a roll-over the old version finishes its
// instances while the new one starts its own, against the same tables. So a table's record type
// may change only in ways both versions can read; a fn whose logged steps changed keeps its
// in-flight instances on the old version. Pure: compares two IRs (a previous manifest.json and
// the app as it is now).
import type { Span } from "../grammar/span.js";
import { resolveType, type FieldDesc, type TypeDesc, type TypeTable } from "../contract/types.js";
import type { IrFn, IrProgram } from "./ir.js";

export interface CompatEntry {
  code: string;
  title: string;
  explain: string;
  /** the record type before and after, as a user would write them */
  example: { before: string; after: string };
  fix: string;
}

/** The incompatible table changes: codes V0001+, never reused. */
export const COMPAT = {
  fieldRemoved: {
    code: "V0001",
    title: "a table field removed",
    explain:
      "A field of a table's record type is gone in the new version. Instances of the old version still running during the roll-over read and write it, and rows they wrote carry it.",
    example: { before: "type User = { name: string, age: number }", after: "type User = { name: string }" },
    fix: "Keep the field (make it optional first, in a version of its own, if it is to go), or store the new shape in a new table.",
  },
  fieldRetyped: {
    code: "V0002",
    title: "a table field's type changed",
    explain:
      "A field of a table's record type has another type in the new version: each version would read the other's rows as the wrong type.",
    example: { before: "type User = { age: number }", after: "type User = { age: string }" },
    fix: "Add a field of the new type beside the old one (optional), move readers to it, and drop the old one only once no version writes it.",
  },
  fieldMadeRequired: {
    code: "V0003",
    title: "a table field made required",
    explain: "An optional field became required, or a required field was added: rows written before, and by the old version, lack it.",
    example: { before: "type User = { name: string, email?: string }", after: "type User = { name: string, email: string }" },
    fix: "Add the field as optional (`f?: T`) and treat a missing value in code.",
  },
  fieldMadeOptional: {
    code: "V0004",
    title: "a table field made optional",
    explain:
      "A required field became optional: the new version may write rows without it, which the old version, still running its instances, cannot read.",
    example: { before: "type User = { name: string, email: string }", after: "type User = { name: string, email?: string }" },
    fix: "Keep it required for this version; make it optional in a later one, once no instance of the old version is unfinished.",
  },
  tableRemoved: {
    code: "V0005",
    title: "a table removed",
    explain: "A table of a service is gone in the new version, while instances of the old version may still use it.",
    example: { before: "service s { table users: User }", after: "service s { }" },
    fix: "Keep the table until no instance of the old version is unfinished, then remove it in a later version.",
  },
} satisfies Record<string, CompatEntry>;

export type CompatKind = keyof typeof COMPAT;

/** An incompatible change to one table, at the table's declaration in the new version (or the old one, when it is gone). */
export interface TableIncompatibility {
  code: string;
  service: string;
  table: string;
  field?: string;
  message: string;
  fix: string;
  span: Span;
}

/** unchanged: the same logged steps; changed: in-flight instances must finish on the old version */
export type FnChange = "unchanged" | "changed" | "added" | "removed";

export interface VersionDiff {
  from: string;
  to: string;
  fns: { service: string; fn: string; change: FnChange }[];
  /** tables whose record type changed in a way both versions can read (e.g. an optional field added) */
  compatibleTables: { service: string; table: string; added: string[] }[];
  incompatible: TableIncompatibility[];
}

/** Compares the previous version of an app with the next one. */
export function diffVersions(prev: IrProgram, next: IrProgram): VersionDiff {
  const out: VersionDiff = { from: prev.codeVersion, to: next.codeVersion, fns: [], compatibleTables: [], incompatible: [] };
  const prevTypes = typeTable(prev);
  const nextTypes = typeTable(next);
  for (const ps of prev.services) {
    const ns = next.services.find((s) => s.name === ps.name);
    for (const pf of ps.fns) {
      const nf = ns?.fns.find((f) => f.name === pf.name);
      out.fns.push({ service: ps.name, fn: pf.name, change: !nf ? "removed" : sameSteps(pf, nf) ? "unchanged" : "changed" });
    }
    for (const pt of ps.tables) {
      const nt = ns?.tables.find((t) => t.name === pt.name);
      const at = { service: ps.name, table: pt.name };
      if (!nt) {
        out.incompatible.push(finding("tableRemoved", at, undefined, `table ${ps.name}.${pt.name} is gone`, pt.span));
        continue;
      }
      const before = fieldsOf(pt.valueType, prevTypes);
      const after = fieldsOf(nt.valueType, nextTypes);
      const added: string[] = [];
      for (const b of before) {
        const a = after.find((f) => f.name === b.name);
        const where = `${ps.name}.${pt.name}.${b.name}`;
        if (!a) out.incompatible.push(finding("fieldRemoved", at, b.name, `field ${where} is gone`, nt.span));
        else if (canonical(a.type, nextTypes) !== canonical(b.type, prevTypes)) {
          out.incompatible.push(
            finding("fieldRetyped", at, b.name, `field ${where} was ${show(b.type, prevTypes)}, is ${show(a.type, nextTypes)}`, nt.span),
          );
        } else if (b.optional && !a.optional)
          out.incompatible.push(finding("fieldMadeRequired", at, b.name, `field ${where} is required now`, nt.span));
        else if (!b.optional && a.optional)
          out.incompatible.push(finding("fieldMadeOptional", at, b.name, `field ${where} is optional now`, nt.span));
      }
      for (const a of after) {
        if (before.some((b) => b.name === a.name)) continue;
        const where = `${ps.name}.${pt.name}.${a.name}`;
        if (a.optional) added.push(a.name);
        else out.incompatible.push(finding("fieldMadeRequired", at, a.name, `field ${where} is new and required`, nt.span));
      }
      if (added.length) out.compatibleTables.push({ ...at, added });
    }
  }
  for (const ns of next.services) {
    const ps = prev.services.find((s) => s.name === ns.name);
    for (const nf of ns.fns) if (!ps?.fns.some((f) => f.name === nf.name)) out.fns.push({ service: ns.name, fn: nf.name, change: "added" });
  }
  return out;
}

function finding(kind: CompatKind, at: { service: string; table: string }, field: string | undefined, message: string, span: Span) {
  const e = COMPAT[kind];
  return { code: e.code, ...at, ...(field === undefined ? {} : { field }), message, fix: e.fix, span };
}

function typeTable(p: IrProgram): TypeTable {
  return Object.fromEntries(p.types.map((t) => [t.name, t.type]));
}

function fieldsOf(t: TypeDesc, types: TypeTable): FieldDesc[] {
  const r = resolveType(t, types);
  return r.kind === "record" ? r.fields : [];
}

/** A type with every declared name replaced by its structure: two versions may name one shape differently. */
function structural(t: TypeDesc, types: TypeTable): unknown {
  const r = resolveType(t, types);
  switch (r.kind) {
    case "list":
    case "map":
      return { kind: r.kind, elem: structural(r.elem, types) };
    case "optional":
      return { kind: r.kind, inner: structural(r.inner, types) };
    case "record":
      return {
        kind: r.kind,
        fields: [...r.fields]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((f) => ({ name: f.name, optional: f.optional, type: structural(f.type, types) })),
      };
    default:
      return { kind: r.kind };
  }
}

const canonical = (t: TypeDesc, types: TypeTable) => JSON.stringify(structural(t, types));

function show(t: TypeDesc, types: TypeTable): string {
  const r = resolveType(t, types);
  switch (r.kind) {
    case "list":
    case "map":
      return `${r.kind}<${show(r.elem, types)}>`;
    case "optional":
      return `${show(r.inner, types)}?`;
    case "record":
      return `{ ${r.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${show(f.type, types)}`).join(", ")} }`;
    default:
      return r.kind;
  }
}

/** The same params, result, logged sites and body, positions aside: a re-execution takes the same steps. */
function sameSteps(a: IrFn, b: IrFn): boolean {
  const shape = (f: IrFn) =>
    JSON.stringify({ params: f.params, result: f.result, sites: f.sites, body: f.body }, (k, v) => (k === "span" ? undefined : v));
  return shape(a) === shape(b);
}
