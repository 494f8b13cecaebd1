// Declarations: types (with recursion detection), externs, services, their tables and fns.
// Produces the Program model that fn bodies are checked against.
import * as path from "node:path";
import type { Param, SourceFileAst, TypeDecl, TypeExpr } from "../../grammar/ast.js";
import { CHECK } from "../diagnostics.js";
import type { FnInfo, ParamInfo, Program, Reporter, ServiceInfo, TableOp } from "./state.js";
import { didYouMean } from "./suggest.js";
import { T, resolve, show, type FieldTy, type Ty, type TyTable } from "./types.js";
import { walkStmts } from "./walk.js";

const BUILTIN_TYPES = new Set(["string", "number", "bool", "null", "any"]);
const RESERVED_TYPE_NAMES = new Set([...BUILTIN_TYPES, "list", "map"]);

export interface Resolved {
  prog: Program;
  /** every fn to check, duplicates included (their bodies are checked too) */
  fns: { info: FnInfo; svc: ServiceInfo }[];
}

/** Where an extern's module is: `from` is relative to the .beldi file, whose path is relative to the app folder. */
export function externModulePath(appDir: string, file: string, from: string): string {
  return path.resolve(appDir, path.dirname(file), from);
}

/** Converts a type expression; unknown names are reported and become `error`. */
export function typeFromExpr(te: TypeExpr, prog: Program, diags: Reporter): Ty {
  switch (te.kind) {
    case "name": {
      const n = te.name.name;
      if (BUILTIN_TYPES.has(n)) return { kind: n } as Ty;
      if (prog.typeInfos.has(n)) return { kind: "named", name: n };
      diags.report(CHECK.unknownType, te.name.span, `unknown type \`${n}\``, didYouMean(n, [...BUILTIN_TYPES, ...prog.typeInfos.keys()]));
      return T.error;
    }
    case "list":
      return T.list(typeFromExpr(te.elem, prog, diags));
    case "map":
      return T.map(typeFromExpr(te.elem, prog, diags));
    case "optional": {
      const inner = typeFromExpr(te.inner, prog, diags);
      if (inner.kind === "optional" || inner.kind === "null" || inner.kind === "any" || inner.kind === "error") return inner;
      return { kind: "optional", inner };
    }
    case "record": {
      const fields: FieldTy[] = [];
      for (const f of te.fields) {
        if (fields.some((g) => g.name === f.name.name)) {
          diags.report(CHECK.duplicateField, f.name.span, `field \`${f.name.name}\` appears twice in the record type`);
          continue;
        }
        fields.push({ name: f.name.name, type: typeFromExpr(f.type, prog, diags), optional: f.optional, span: f.name.span });
      }
      return { kind: "record", fields };
    }
  }
}

/** Names of declared types that a type expression mentions. */
function typeRefs(te: TypeExpr, out: string[]): string[] {
  switch (te.kind) {
    case "name":
      if (!BUILTIN_TYPES.has(te.name.name)) out.push(te.name.name);
      break;
    case "list":
    case "map":
      typeRefs(te.elem, out);
      break;
    case "optional":
      typeRefs(te.inner, out);
      break;
    case "record":
      for (const f of te.fields) typeRefs(f.type, out);
      break;
  }
  return out;
}

function loc(span: { file: string; line: number; col: number }): string {
  return `${span.file}:${span.line}:${span.col}`;
}

/** Finds a path of type references from `from` back to `from`, or null. */
function cycleFrom(from: string, refs: Map<string, string[]>): string[] | null {
  const seen = new Set<string>();
  const walk = (n: string, pathSoFar: string[]): string[] | null => {
    for (const m of refs.get(n) ?? []) {
      if (m === from) return [...pathSoFar, m];
      if (seen.has(m) || !refs.has(m)) continue;
      seen.add(m);
      const p = walk(m, [...pathSoFar, m]);
      if (p) return p;
    }
    return null;
  };
  return walk(from, [from]);
}

export function resolveProgram(files: SourceFileAst[], diags: Reporter, appDir: string): Resolved {
  const types: TyTable = new Map();
  const prog: Program = {
    types,
    typeInfos: new Map(),
    externs: new Map(),
    services: new Map(),
    tableOwners: new Map(),
    tableUses: new Map(),
    uses: [],
  };
  const fns: { info: FnInfo; svc: ServiceInfo }[] = [];

  // ---- types: names first, so declarations may refer to each other in any order
  const typeDecls: TypeDecl[] = [];
  for (const f of files) {
    for (const d of f.decls) {
      if (d.kind !== "type") continue;
      const n = d.name.name;
      if (RESERVED_TYPE_NAMES.has(n)) {
        diags.report(CHECK.reservedTypeName, d.name.span, `\`${n}\` is a built-in type name and cannot be declared`);
        continue;
      }
      const prev = prog.typeInfos.get(n);
      if (prev) {
        diags.report(CHECK.duplicateDecl, d.name.span, `type \`${n}\` is already declared at ${loc(prev.decl.name.span)}`);
        continue;
      }
      prog.typeInfos.set(n, { decl: d, type: T.error });
      typeDecls.push(d);
    }
  }
  const refs = new Map<string, string[]>();
  for (const d of typeDecls) refs.set(d.name.name, typeRefs(d.type, []));
  const cyclic = new Set<string>();
  for (const d of typeDecls) {
    const cycle = cycleFrom(d.name.name, refs);
    if (cycle) {
      cyclic.add(d.name.name);
      diags.report(CHECK.recursiveType, d.name.span, `type \`${d.name.name}\` refers to itself: ${cycle.join(" → ")}`);
    }
  }
  for (const d of typeDecls) {
    const info = prog.typeInfos.get(d.name.name)!;
    if (cyclic.has(d.name.name)) {
      types.set(d.name.name, T.error);
      continue;
    }
    info.type = typeFromExpr(d.type, prog, diags);
    types.set(d.name.name, info.type);
  }

  const params = (ps: Param[]): ParamInfo[] => {
    const out: ParamInfo[] = [];
    for (const p of ps) {
      const type = typeFromExpr(p.type, prog, diags);
      if (out.some((q) => q.name === p.name.name)) {
        diags.report(CHECK.duplicateParam, p.name.span, `parameter \`${p.name.name}\` is declared twice`);
        continue;
      }
      out.push({ name: p.name.name, type, span: p.name.span });
    }
    return out;
  };

  // ---- externs and services
  for (const f of files) {
    for (const d of f.decls) {
      if (d.kind === "extern") {
        const n = d.name.name;
        const ps = params(d.params);
        const result = d.result ? typeFromExpr(d.result, prog, diags) : T.null;
        const prev = prog.externs.get(n);
        if (prev) {
          diags.report(CHECK.duplicateDecl, d.name.span, `extern \`${n}\` is already declared at ${loc(prev.decl.name.span)}`);
          continue;
        }
        const module = externModulePath(appDir, f.path, d.from.value);
        prog.externs.set(n, { name: n, decl: d, params: ps, result, module });
      } else if (d.kind === "service") {
        const n = d.name.name;
        const svc: ServiceInfo = { name: n, decl: d, tables: new Map(), fns: new Map() };
        const prev = prog.services.get(n);
        if (prev) {
          diags.report(CHECK.duplicateDecl, d.name.span, `service \`${n}\` is already declared at ${loc(prev.decl.name.span)}`);
        } else {
          prog.services.set(n, svc);
        }
        for (const t of d.tables) {
          const valueType = typeFromExpr(t.type, prog, diags);
          const r = resolve(valueType, types);
          let fields: FieldTy[] | null = null;
          if (r.kind === "record") fields = r.fields;
          else if (r.kind !== "error")
            diags.report(
              CHECK.tableNotRecord,
              t.type.span,
              `the value type of table \`${t.name.name}\` must be a record, not \`${show(valueType)}\``,
            );
          const prevT = svc.tables.get(t.name.name);
          if (prevT) {
            diags.report(
              CHECK.duplicateTable,
              t.name.span,
              `service \`${n}\` already has a table \`${t.name.name}\` (${loc(prevT.decl.name.span)})`,
            );
            continue;
          }
          svc.tables.set(t.name.name, { name: t.name.name, service: n, decl: t, valueType, fields });
          if (!prev) {
            const owners = prog.tableOwners.get(t.name.name) ?? [];
            owners.push(n);
            prog.tableOwners.set(t.name.name, owners);
          }
        }
        for (const fn of d.fns) {
          const info: FnInfo = {
            name: fn.name.name,
            service: n,
            decl: fn,
            params: params(fn.params),
            result: fn.result ? typeFromExpr(fn.result, prog, diags) : T.null,
            key: `${n}.${fn.name.name}`,
          };
          fns.push({ info, svc });
          const prevF = svc.fns.get(fn.name.name);
          if (prevF) {
            diags.report(
              CHECK.duplicateFn,
              fn.name.span,
              `service \`${n}\` already has a fn \`${fn.name.name}\` (${loc(prevF.decl.name.span)})`,
            );
            continue;
          }
          svc.fns.set(fn.name.name, info);
        }
      }
    }
  }

  // ---- which fns touch which tables (for sovereignty hints)
  for (const svc of prog.services.values()) {
    for (const fn of svc.fns.values()) {
      walkStmts(fn.decl.body.stmts, {
        stmt: (s) => {
          if (s.kind === "write" || s.kind === "delete") addUse(prog, svc.name, s.table.name, fn.name, s.kind);
        },
        expr: (e) => {
          if (e.kind === "read" || e.kind === "scan" || e.kind === "update") addUse(prog, svc.name, e.table.name, fn.name, e.kind);
        },
      });
    }
  }
  return { prog, fns };
}

function addUse(prog: Program, service: string, table: string, fn: string, op: TableOp): void {
  if (!prog.services.get(service)?.tables.has(table)) return;
  const key = `${service}.${table}`;
  const uses = prog.tableUses.get(key) ?? [];
  uses.push({ service, fn, op });
  prog.tableUses.set(key, uses);
}
