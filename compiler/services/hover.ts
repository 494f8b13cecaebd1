// Hover: what the name at a position is, as Markdown — a local's type here (narrowed where a null
// check proved it), a fn's signature and whether it is read-only, a table's record type, a
// service's tables and fns, a type's definition, a field's type, a builtin's signature.
import type { Span } from "../../grammar/span.js";
import type { Sym } from "../check/state.js";
import { show } from "../check/types.js";
import { BUILTINS, externSignature, fnSignature, typeText, typeWithDefinition } from "./describe.js";
import { occurrenceAt, type Occurrence } from "./occurrences.js";
import { guard, type Project } from "./project.js";

export interface HoverAnswer {
  span: Span;
  /** Markdown */
  markdown: string;
}

const code = (text: string) => `\`\`\`beldi\n${text}\n\`\`\``;

/** What to show for the name at the position, or null. Never throws. */
export function hover(project: Project, file: string, offset: number): HoverAnswer | null {
  return guard(null, () => {
    const o = occurrenceAt(project, file, offset);
    return o ? { span: o.span, markdown: describeOccurrence(project, o) } : null;
  });
}

/** How a local is shown: `(parameter) p: T`, `let x: T`, ... */
const LOCAL_WHAT: Record<Sym["kind"], string> = {
  param: "(parameter)",
  let: "let",
  var: "var",
  for: "(loop name)",
  reason: "(abort reason)",
  alias: "(stored value)",
};

/** What the names §9 adds mean, under their hover. */
const LOCAL_NOTES: Partial<Record<Sym["kind"], string>> = {
  reason:
    'why the transaction did not commit: the value of `abort e`, `""` for a bare `abort`, `"conflict"` when its restarts ran out. Logged with the decision: every re-execution sees the same',
  alias:
    "the value stored at the key, named by `update ... as`: inside this update's `set` and `where`, `s.f` is the stored field (applied atomically by the store) and bare names are locals",
};

function describeOccurrence(project: Project, o: Occurrence): string {
  const prog = project.analysis.program;
  const t = o.target;
  switch (t.kind) {
    case "local": {
      const here = o.type ?? t.sym.type;
      const narrowed = show(here) !== show(t.sym.type);
      const note = narrowed ? `\n\nnarrowed here from \`${show(t.sym.type)}\` by a null check` : LOCAL_NOTES[t.sym.kind];
      return `${code(`${LOCAL_WHAT[t.sym.kind]} ${t.sym.name}: ${typeWithDefinition(here, prog)}`)}${note ? `\n\n${note}` : ""}`;
    }
    case "fn": {
      const f = t.fn;
      const ro = project.analysis.readOnly.has(f.key);
      const effect = ro
        ? "**read-only**: it writes nothing, spawns nothing and runs no `txn`, so a `call` of it is logged like a read"
        : "**not read-only**: it writes, spawns, signals, sleeps, waits or runs a `txn` (itself or through what it calls), so a `call` of it is an effect";
      return `${code(fnSignature(f))}\n\nfn of service \`${f.service}\` — ${effect}`;
    }
    case "extern":
      return `${code(externSignature(t.extern))}\n\nextern: a pure TypeScript helper, bundled into the functions that call it`;
    case "builtin": {
      const b = BUILTINS[t.name];
      return b ? `${code(b.signature)}\n\nbuiltin: ${b.doc}` : code(`${t.name}(...)`);
    }
    case "service": {
      const s = t.service;
      const tables = [...s.tables.values()].map((x) => `  table ${x.name}: ${typeText(x.decl.type)}`);
      const fns = [...s.fns.values()].map((f) => `  ${fnSignature(f)}`);
      return code(`service ${s.name} {\n${[...tables, ...fns].join("\n")}\n}`);
    }
    case "table": {
      const x = t.table;
      return `${code(`table ${x.name}: ${typeWithDefinition(x.valueType, prog)}`)}\n\ntable of service \`${x.service}\`; \`read ${x.name}[k]\` is \`${show(x.valueType)}?\``;
    }
    case "type":
      return code(`type ${t.type.decl.name.name} = ${typeText(t.type.decl.type)}`);
    case "field":
      return `${code(`(field) ${t.name}: ${t.type}`)}${t.owner ? `\n\nfield of ${t.owner}` : ""}`;
  }
}
