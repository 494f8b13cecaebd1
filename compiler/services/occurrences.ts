// Every name in an app with what it means: declarations and references of types, services,
// tables, fns, externs, builtins, locals and record fields. Most come from the checker's side
// table (Program.uses); type names and record types' fields are read from the syntax trees,
// where they are written. Identity is a key: two occurrences with one key name one thing.
import type { RecordTypeField, TypeExpr } from "../../grammar/ast.js";
import type { Span } from "../../grammar/span.js";
import type { ExternInfo, FnInfo, NameUse, ServiceInfo, Sym, TableInfo, TypeInfo } from "../check/state.js";
import { show, type FieldTy, type Ty } from "../check/types.js";
import { walkStmts } from "../check/walk.js";
import { guard, type Project } from "./project.js";
import { typeText } from "./describe.js";

export type Target =
  | { kind: "local"; sym: Sym }
  | { kind: "fn"; fn: FnInfo }
  | { kind: "extern"; extern: ExternInfo }
  | { kind: "builtin"; name: string }
  | { kind: "service"; service: ServiceInfo }
  | { kind: "table"; table: TableInfo }
  | { kind: "type"; type: TypeInfo }
  /** `type` as written (`number?` for an optional field); `owner` says whose field it is */
  | { kind: "field"; name: string; type: string; owner: string | null };

export interface Occurrence {
  key: string;
  span: Span;
  /** the declaration itself, not a use */
  decl: boolean;
  target: Target;
  /** a local's type at this place (narrowed where a null check proved it) */
  type?: Ty;
  /** a record literal's `{ b }`, which names field `b` and local `b` at once */
  shorthand?: boolean;
}

const at = (s: Span) => `${s.file}:${s.offset}`;
export const localKey = (sym: Sym) => `local:${at(sym.span)}`;
const fieldKey = (name: string, decl: Span | undefined, use: Span) => (decl ? `field:${at(decl)}` : `field?:${name}:${at(use)}`);

const cache = new WeakMap<Project, Occurrence[]>();

/** Every occurrence of a name in the project, in no particular order. Never throws. */
export function occurrences(project: Project): Occurrence[] {
  const hit = cache.get(project);
  if (hit) return hit;
  const out = guard([], () => collect(project));
  cache.set(project, out);
  return out;
}

function collect(project: Project): Occurrence[] {
  const prog = project.analysis.program;
  if (!prog) return [];
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  const add = (o: Occurrence) => {
    const id = `${o.key}@${at(o.span)}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(o);
  };

  // declarations
  for (const [name, t] of prog.typeInfos)
    add({ key: `type:${name}`, span: t.decl.name.span, decl: true, target: { kind: "type", type: t } });
  for (const [name, x] of prog.externs)
    add({ key: `extern:${name}`, span: x.decl.name.span, decl: true, target: { kind: "extern", extern: x } });
  for (const svc of prog.services.values()) {
    add({ key: `service:${svc.name}`, span: svc.decl.name.span, decl: true, target: { kind: "service", service: svc } });
    for (const t of svc.tables.values())
      add({ key: `table:${svc.name}.${t.name}`, span: t.decl.name.span, decl: true, target: { kind: "table", table: t } });
    for (const f of svc.fns.values()) add({ key: `fn:${f.key}`, span: f.decl.name.span, decl: true, target: { kind: "fn", fn: f } });
  }

  // what the checker resolved; a field's owner is learnt from the type expressions below
  const owners = new Map<string, string>();
  const fieldUses: { use: Extract<NameUse, { kind: "field" }>; key: string }[] = [];
  for (const u of prog.uses) {
    switch (u.kind) {
      case "local":
        add({
          key: localKey(u.sym),
          span: u.span,
          decl: u.decl,
          target: { kind: "local", sym: u.sym },
          type: u.type,
          shorthand: u.shorthand,
        });
        break;
      case "fn":
        add({ key: `fn:${u.fn.key}`, span: u.span, decl: false, target: { kind: "fn", fn: u.fn } });
        break;
      case "extern":
        add({ key: `extern:${u.extern.name}`, span: u.span, decl: false, target: { kind: "extern", extern: u.extern } });
        break;
      case "builtin":
        add({ key: `builtin:${u.name}`, span: u.span, decl: false, target: { kind: "builtin", name: u.name } });
        break;
      case "service":
        add({ key: `service:${u.service.name}`, span: u.span, decl: false, target: { kind: "service", service: u.service } });
        break;
      case "table":
        add({ key: `table:${u.table.service}.${u.table.name}`, span: u.span, decl: false, target: { kind: "table", table: u.table } });
        break;
      case "field":
        fieldUses.push({ use: u, key: fieldKey(u.field.name, u.field.span, u.span) });
        break;
    }
  }

  // type names and record fields, where types are written
  const typeRefs = (te: TypeExpr | null, owner: string) => {
    if (!te) return;
    switch (te.kind) {
      case "name": {
        const info = prog.typeInfos.get(te.name.name);
        if (info) add({ key: `type:${te.name.name}`, span: te.name.span, decl: false, target: { kind: "type", type: info } });
        break;
      }
      case "list":
      case "map":
        typeRefs(te.elem, owner);
        break;
      case "optional":
        typeRefs(te.inner, owner);
        break;
      case "record":
        for (const f of te.fields) {
          const key = fieldKey(f.name.name, f.name.span, f.name.span);
          owners.set(key, owner);
          add({ key, span: f.name.span, decl: true, target: fieldTarget(f, owner) });
          typeRefs(f.type, `a record in ${owner}`);
        }
        break;
    }
  };
  for (const ast of project.analysis.asts) {
    for (const d of ast.decls) {
      if (d.kind === "type") typeRefs(d.type, `type \`${d.name.name}\``);
      else if (d.kind === "extern") {
        for (const p of d.params) typeRefs(p.type, `a parameter of extern \`${d.name.name}\``);
        typeRefs(d.result, `the result of extern \`${d.name.name}\``);
      } else {
        for (const t of d.tables) typeRefs(t.type, `table \`${t.name.name}\``);
        for (const f of d.fns) {
          for (const p of f.params) typeRefs(p.type, `a parameter of fn \`${f.name.name}\``);
          typeRefs(f.result, `the result of fn \`${f.name.name}\``);
          walkStmts(f.body.stmts, { stmt: (s) => s.kind === "let" && typeRefs(s.type, `the type of \`${s.name.name}\``) });
        }
      }
    }
  }
  for (const { use, key } of fieldUses) {
    const f: FieldTy = use.field;
    const owner = use.table ? `table \`${use.table.name}\` (stored)` : (owners.get(key) ?? null);
    add({
      key,
      span: use.span,
      decl: false,
      target: { kind: "field", name: f.name, type: `${show(f.type)}${f.optional ? "?" : ""}`, owner },
    });
  }
  return out;
}

function fieldTarget(f: RecordTypeField, owner: string): Target {
  return { kind: "field", name: f.name.name, type: `${typeText(f.type)}${f.optional ? "?" : ""}`, owner };
}

/** The occurrence at an offset of a file: the innermost name whose span touches it (a name's end counts). */
export function occurrenceAt(project: Project, file: string, offset: number): Occurrence | null {
  return guard(null, () => {
    const here = occurrences(project).filter((o) => o.span.file === file && o.span.offset <= offset && offset <= o.span.endOffset);
    if (here.length === 0) return null;
    // a name just before the cursor and another just after: the one the cursor is inside wins
    const inside = here.filter((o) => offset < o.span.endOffset);
    const pool = inside.length > 0 ? inside : here;
    const rank = (o: Occurrence) => (o.target.kind === "local" ? 0 : 1);
    return [...pool].sort((a, b) => a.span.endOffset - a.span.offset - (b.span.endOffset - b.span.offset) || rank(a) - rank(b))[0]!;
  });
}

/** Every occurrence with that key. */
export function occurrencesOf(project: Project, key: string): Occurrence[] {
  return occurrences(project).filter((o) => o.key === key);
}
