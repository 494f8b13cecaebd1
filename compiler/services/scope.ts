// Which locals are visible at a position, read from the syntax tree by LANGUAGE.md §3's rules
// (every `{ }` is a scope; a `let` is visible after its statement; `for` names in the loop's
// body; a `parallel` block's `let`s after the block), with their types from the checker.
import type { Block, FnDecl, Ident, ServiceDecl, Stmt } from "../../grammar/ast.js";
import type { Ty } from "../check/types.js";
import type { Project } from "./project.js";

export interface VisibleLocal {
  name: string;
  /** "reason": the `r` of `txn { } else (r) { }` */
  kind: "param" | "let" | "var" | "for" | "reason";
  decl: Ident;
  /** its declared or inferred type, when the checker got to it */
  type: Ty | null;
}

/** Where a position is: in a fn (and which), in a service outside its fns, or at the top level. */
export interface Place {
  service: ServiceDecl | null;
  fn: FnDecl | null;
}

const contains = (s: { offset: number; endOffset: number }, offset: number) => s.offset <= offset && offset <= s.endOffset;

export function placeAt(project: Project, file: string, offset: number): Place {
  const ast = project.analysis.asts.find((a) => a.path === file);
  for (const d of ast?.decls ?? []) {
    if (d.kind !== "service" || !contains(d.span, offset)) continue;
    // inside the body's braces (a name typed before `{` belongs to the header)
    const fn = d.fns.find((f) => f.body.span.offset < offset && offset <= f.body.span.endOffset) ?? null;
    return { service: d, fn };
  }
  return { service: null, fn: null };
}

/** The locals visible at the position, innermost last. */
export function visibleLocals(project: Project, file: string, offset: number): VisibleLocal[] {
  const { fn } = placeAt(project, file, offset);
  if (!fn) return [];
  const types = new Map<string, Ty>();
  for (const u of project.analysis.program?.uses ?? [])
    if (u.kind === "local" && u.decl && u.span.file === file) types.set(`${u.span.offset}`, u.type);
  const out: VisibleLocal[] = [];
  const add = (name: Ident, kind: VisibleLocal["kind"]) => {
    if (name.name && !out.some((o) => o.name === name.name))
      out.push({ name: name.name, kind, decl: name, type: types.get(`${name.span.offset}`) ?? null });
  };
  for (const p of fn.params) add(p.name, "param");
  const inBlock = (b: Block | null) => b !== null && b.span.offset < offset && offset <= b.span.endOffset;
  const block = (stmts: Stmt[]) => {
    for (const s of stmts) {
      // a statement the position is right at the end of is still being typed
      if (s.span.endOffset < offset) {
        if (s.kind === "let") add(s.name, s.mutable ? "var" : "let");
        if (s.kind === "parallel") for (const b of s.branches) if (b.kind === "let") add(b.name, "let");
        continue;
      }
      if (s.span.offset >= offset) return;
      // the statement the position is in
      switch (s.kind) {
        case "if":
          if (inBlock(s.then)) block(s.then.stmts);
          else if (inBlock(s.else)) block(s.else!.stmts);
          return;
        case "for":
          if (inBlock(s.body)) {
            if (s.key) add(s.key, "for");
            add(s.value, "for");
            block(s.body.stmts);
          }
          return;
        case "while":
          if (inBlock(s.body)) block(s.body.stmts);
          return;
        case "txn":
          if (inBlock(s.body)) block(s.body.stmts);
          else if (inBlock(s.else)) {
            if (s.reason) add(s.reason, "reason");
            block(s.else!.stmts);
          }
          return;
        case "parallel":
          block(s.branches.filter((b) => contains(b.span, offset)));
          return;
        default:
          return;
      }
    }
  };
  block(fn.body.stmts);
  return out;
}
