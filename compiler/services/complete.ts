// Completion at a position: `service.fn` after `call`/`spawn`, the service's tables after
// `read`/`write`/`update`/`delete`/`scan`, fields after `.` and `?.` (and after an update's
// `as s.`), `as`/`set` after an update's key, types where a type is written, stored fields (and
// the `as` name) inside `update ... set`, else the names in scope (locals with their types, the
// service's fns, externs, builtins with signatures) and the keywords that may stand there.
// The context is read from the text before the position, so it works while the line is broken.
import type { Span } from "../../grammar/span.js";
import { nonNull, resolve, show, type Ty } from "../check/types.js";
import { BUILTINS, externSignature, fnSignature, typeText } from "./describe.js";
import { occurrenceAt } from "./occurrences.js";
import { guard, spanIn, type Project } from "./project.js";
import { placeAt, visibleLocals, type Place } from "./scope.js";

export type CompletionKind = "keyword" | "local" | "fn" | "extern" | "builtin" | "service" | "table" | "type" | "field";

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** a type or a signature */
  detail?: string;
  /** Markdown */
  documentation?: string;
  /** the span the item replaces: the part of the name already typed */
  replace: Span;
  /** orders the list: in scope first, keywords last */
  sortText: string;
}

const STATEMENT_KEYWORDS = [
  "let",
  "var",
  "if",
  "else",
  "for",
  "while",
  "break",
  "continue",
  "return",
  "fail",
  "write",
  "update",
  "delete",
  "txn",
  "abort",
  "parallel",
  "sleep",
];
const EXPRESSION_KEYWORDS = ["read", "scan", "call", "spawn", "update", "wait", "signal", "true", "false", "null"];
/** `wait "name"` at the end of a line's text (LANGUAGE.md §9) */
const WAIT_NAME = /\bwait\s+"(?:[^"\\]|\\.)*"\s*/.source;
const BUILTIN_TYPES = ["string", "number", "bool", "null", "any", "list", "map"];

/** The completions at the position (empty where none make sense, e.g. in a comment). Never throws. */
export function completions(project: Project, file: string, offset: number): CompletionItem[] {
  return guard([], () => complete(project, file, offset));
}

function complete(project: Project, file: string, offset: number): CompletionItem[] {
  const text = project.texts.get(file) ?? "";
  const lineStart = Math.max(text.lastIndexOf("\n", offset - 1), text.lastIndexOf("\r", offset - 1)) + 1;
  const before = text.slice(lineStart, offset);
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? "";
  const pre = before.slice(0, before.length - word.length);
  if (inCommentOrString(pre)) return [];
  const replace = spanIn(project, file, offset - word.length, offset);
  const prog = project.analysis.program;
  const place = placeAt(project, file, offset);
  const item = (label: string, kind: CompletionKind, sort: number, detail?: string, documentation?: string): CompletionItem => ({
    label,
    kind,
    detail,
    documentation,
    replace,
    sortText: `${sort}${label}`,
  });
  if (!prog) return [];

  // call s.f(...) / spawn s.f(...)
  const svcDot = /\b(call|spawn)\s+([A-Za-z_]\w*)\s*\.\s*$/.exec(pre);
  if (svcDot) {
    const svc = prog.services.get(svcDot[2]!);
    return svc ? [...svc.fns.values()].map((f) => item(f.name, "fn", 0, fnSignature(f), fnDoc(project, f.key))) : [];
  }
  if (/\b(call|spawn)\s+$/.test(pre)) {
    const own = place.service?.name.name;
    return [...prog.services.values()].flatMap((s) =>
      [...s.fns.values()].map((f) => item(`${s.name}.${f.name}`, "fn", s.name === own ? 1 : 0, fnSignature(f), fnDoc(project, f.key))),
    );
  }
  // read T[k], write T[k] = e, update T[k] set ..., delete T[k], scan T
  if (/\b(read|write|update|delete|scan)\s+$/.test(pre)) {
    const svc = place.service ? prog.services.get(place.service.name.name) : undefined;
    const tables = svc ? [...svc.tables.values()] : [...prog.services.values()].flatMap((s) => [...s.tables.values()]);
    return tables.map((t) => item(t.name, "table", 0, `table ${t.name}: ${typeText(t.decl.type)}`));
  }
  // update T[k] |: the stored value's name, or the set
  if (/\bupdate\s+[A-Za-z_]\w*\s*\[.*\]\s*$/.test(pre))
    return [
      item(
        "as",
        "keyword",
        0,
        "update T[k] as s set f = s.f ...",
        "names the stored value: inside `set` and `where`, `s.f` is a stored field and bare names are locals",
      ),
      item("set", "keyword", 0, "update T[k] set f = e, ..."),
    ];
  // wait "name" |: the value's type; wait "name" as T |: its timeout
  if (new RegExp(`${WAIT_NAME}$`).test(pre))
    return [item("as", "keyword", 0, 'wait "name" as T [timeout ms]', "the type of the value the signal carries; the wait yields `T?`")];
  if (new RegExp(`${WAIT_NAME}as\\s+\\S(?:.*[\\w>?}])?\\s+$`).test(pre) && !/\btimeout\b/.test(pre))
    return [
      item(
        "timeout",
        "keyword",
        0,
        'wait "name" as T timeout ms',
        "gives up after `ms` milliseconds: the wait then yields `null`; without it, it waits until the signal comes",
      ),
    ];
  // r.f, r?.f, and `s.f` of an update's `as s`
  const member = /([A-Za-z_]\w*(?:\s*\??\.\s*[A-Za-z_]\w*)*)\s*\??\.\s*$/.exec(pre);
  if (member && !/\d$/.test(pre.slice(0, member.index))) {
    const headEnd = lineStart + member.index + /^[A-Za-z_]\w*/.exec(member[1]!)![0].length;
    const chain = member[1]!.split(/\s*\??\.\s*/);
    const alias = aliasedTable(project, place, pre, chain[0]!);
    const fields = alias && chain.length === 1 ? alias.fields : fieldsOf(project, file, headEnd, offset, chain);
    return fields.map((f) =>
      item(
        f.name,
        "field",
        0,
        `${f.name}${f.optional ? "?" : ""}: ${show(f.type)}`,
        alias ? `stored field of table \`${alias.name}\`` : undefined,
      ),
    );
  }
  if (isTypePlace(pre, place)) {
    return [
      ...[...prog.typeInfos.values()].map((t) => item(t.decl.name.name, "type", 0, `type ${t.decl.name.name} = ${typeText(t.decl.type)}`)),
      ...BUILTIN_TYPES.map((t) => item(t, "type", 1, "built-in type")),
    ];
  }
  if (!place.service) return ["type", "extern", "service"].map((k) => item(k, "keyword", 3));
  if (!place.fn) return ["table", "fn"].map((k) => item(k, "keyword", 3));

  const out: CompletionItem[] = [];
  const stored = /\bupdate\s+([A-Za-z_]\w*)\s*\[.*\]\s*(?:as\s+([A-Za-z_]\w*)\s+)?set\b/.exec(pre);
  if (stored) {
    const t = prog.services.get(place.service.name.name)?.tables.get(stored[1]!);
    if (t && stored[2])
      out.push(
        item(
          stored[2],
          "local",
          0,
          `(stored value) ${stored[2]}: ${show(t.valueType)}`,
          `the value of \`${t.name}[...]\`: \`${stored[2]}.f\` is a stored field`,
        ),
      );
    for (const f of t?.fields ?? [])
      out.push(item(f.name, "field", 0, `${f.name}${f.optional ? "?" : ""}: ${show(f.type)}`, `stored field of table \`${t!.name}\``));
  }
  const seen = new Set(out.map((o) => o.label));
  const push = (i: CompletionItem) => {
    if (seen.has(i.label)) return;
    seen.add(i.label);
    out.push(i);
  };
  const what = { param: "parameter", let: "let", var: "var", for: "for", reason: "(abort reason)" } as const;
  for (const l of visibleLocals(project, file, offset).reverse())
    push(item(l.name, "local", 0, `${what[l.kind]} ${l.name}${l.type ? `: ${show(l.type)}` : ""}`));
  for (const f of prog.services.get(place.service.name.name)?.fns.values() ?? [])
    push(item(f.name, "fn", 1, fnSignature(f), fnDoc(project, f.key)));
  for (const x of prog.externs.values()) push(item(x.name, "extern", 1, externSignature(x)));
  for (const [name, b] of Object.entries(BUILTINS)) push(item(name, "builtin", 2, b.signature, b.doc));
  for (const k of new Set([...STATEMENT_KEYWORDS, ...EXPRESSION_KEYWORDS])) push(item(k, "keyword", 3));
  return out;
}

function fnDoc(project: Project, key: string): string {
  return project.analysis.readOnly.has(key)
    ? "read-only: a `call` of it is logged like a read"
    : "not read-only: a `call` of it is an effect";
}

/** The fields of `head.f.g` at a position: the head a local in scope, each step a record's field. */
function fieldsOf(project: Project, file: string, headEnd: number, offset: number, chain: string[]) {
  const types = project.analysis.program?.types ?? new Map();
  const [head, ...path] = chain;
  // the type the checker gave the head right here (narrowed), else the local's declared type
  const use = occurrenceAt(project, file, headEnd);
  let ty: Ty | null = use?.target.kind === "local" && use.target.sym.name === head ? (use.type ?? use.target.sym.type) : null;
  ty ??= visibleLocals(project, file, offset).find((l) => l.name === head)?.type ?? null;
  for (const name of path) {
    if (!ty) return [];
    const r = resolve(nonNull(ty, types), types);
    const f = r.kind === "record" ? r.fields.find((g) => g.name === name) : undefined;
    ty = f ? f.type : null;
  }
  if (!ty) return [];
  const r = resolve(nonNull(ty, types), types);
  return r.kind === "record" ? r.fields : [];
}

/** The table whose stored value `name` is, when the line is inside `update T[k] as name set ...`. */
function aliasedTable(project: Project, place: Place, pre: string, name: string) {
  const m = /\bupdate\s+([A-Za-z_]\w*)\s*\[.*\]\s*as\s+([A-Za-z_]\w*)\s+set\b/.exec(pre);
  if (!m || m[2] !== name || !place.service) return null;
  const t = project.analysis.program?.services.get(place.service.name.name)?.tables.get(m[1]!);
  return t?.fields ? { name: t.name, fields: t.fields } : null;
}

/** Whether the text before the position on its line ends where a type is written. */
function isTypePlace(pre: string, place: Place): boolean {
  if (/->\s*$/.test(pre) || /\b(list|map)\s*<\s*$/.test(pre)) return true;
  if (/\b(let|var)\s+[A-Za-z_]\w*\s*:\s*$/.test(pre)) return true;
  if (new RegExp(`${WAIT_NAME}as\\s+$`).test(pre)) return true;
  if (/\btable\s+[A-Za-z_]\w*\s*:\s*$/.test(pre) || /\btype\s+[A-Za-z_]\w*\s*=\s*$/.test(pre)) return true;
  // a field's type inside a record type of a `type` or `table` declaration
  if (/\b(type\s+[A-Za-z_]\w*\s*=|table\s+[A-Za-z_]\w*\s*:).*[{,]\s*[A-Za-z_]\w*\s*\??\s*:\s*$/.test(pre)) return true;
  // a parameter's type in a fn or extern header
  return place.fn === null && /\bfn\s+[A-Za-z_]\w*\s*\([^)]*:\s*$/.test(pre);
}

/** Whether the end of a line's text is inside a `//` comment or a string literal. */
function inCommentOrString(pre: string): boolean {
  let inString = false;
  for (let i = 0; i < pre.length; i++) {
    const c = pre[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "/" && pre[i + 1] === "/") return true;
  }
  return inString;
}
