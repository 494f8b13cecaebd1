// The outline of a file: its types, externs and services, each service's tables and fns.
import type { Span } from "../../grammar/span.js";
import { externSignature, fnSignature, typeText } from "./describe.js";
import { guard, type Project } from "./project.js";

export interface OutlineSymbol {
  name: string;
  kind: "type" | "extern" | "service" | "table" | "fn";
  detail: string;
  /** the whole declaration */
  span: Span;
  /** its name */
  nameSpan: Span;
  children: OutlineSymbol[];
}

/** The declarations of a file, in source order (what parsed of a broken one). Never throws. */
export function outline(project: Project, file: string): OutlineSymbol[] {
  return guard([], () => {
    const ast = project.analysis.asts.find((a) => a.path === file);
    const prog = project.analysis.program;
    const out: OutlineSymbol[] = [];
    for (const d of ast?.decls ?? []) {
      if (!d.name.name) continue; // a placeholder of a declaration too broken to name
      const base = { name: d.name.name, span: d.span, nameSpan: d.name.span, children: [] as OutlineSymbol[] };
      if (d.kind === "type") out.push({ ...base, kind: "type", detail: typeText(d.type) });
      else if (d.kind === "extern") {
        const x = prog?.externs.get(d.name.name);
        out.push({ ...base, kind: "extern", detail: x?.decl === d ? externSignature(x) : `extern fn ${d.name.name}` });
      } else {
        const svc = prog?.services.get(d.name.name);
        const children: OutlineSymbol[] = [
          ...d.tables.map((t) => ({
            name: t.name.name,
            kind: "table" as const,
            detail: typeText(t.type),
            span: t.span,
            nameSpan: t.name.span,
            children: [],
          })),
          ...d.fns.map((f) => {
            const info = svc?.fns.get(f.name.name);
            const detail = info?.decl === f ? fnSignature(info).replace(/^fn \w+/, "") : "";
            return { name: f.name.name, kind: "fn" as const, detail, span: f.span, nameSpan: f.name.span, children: [] };
          }),
        ]
          .filter((c) => c.name)
          .sort((a, b) => a.span.offset - b.span.offset);
        out.push({ ...base, kind: "service", detail: svc ? `${svc.tables.size} table(s), ${svc.fns.size} fn(s)` : "", children });
      }
    }
    return out;
  });
}
