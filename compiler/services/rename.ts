// Rename of locals, fns and types: every occurrence, across the app's files. A name that is not
// an identifier or is reserved is refused, and so is a rename that would make the program worse
// (a clash with another name, a local hiding a fn it calls): the renamed app is checked again and
// the rename refused when it has more errors than before. Tables, fields and services are data
// names of a deployed app (renaming them moves or loses stored data) and are not renamed here.
import { RESERVED_WORDS } from "../../grammar/index.js";
import type { Span } from "../../grammar/span.js";
import { applyEdits, type TextEdit } from "./edits.js";
import { occurrenceAt, occurrencesOf, type Occurrence } from "./occurrences.js";
import { analyzeProject, guard, type Project } from "./project.js";

export type RenameAnswer = { kind: "edits"; edits: TextEdit[] } | { kind: "refused"; reason: string };
export type PrepareAnswer = { kind: "name"; span: Span; placeholder: string } | { kind: "refused"; reason: string };

const BUILTIN_TYPES = new Set(["string", "number", "bool", "null", "any", "list", "map"]);
const RESERVED = new Set<string>(RESERVED_WORDS);

function renameable(o: Occurrence | null): string | null {
  if (!o) return "there is no name here to rename";
  switch (o.target.kind) {
    case "local":
    case "fn":
    case "type":
      return null;
    case "builtin":
      return "a builtin cannot be renamed";
    case "extern":
      return "an extern is named by its TypeScript module's export: rename it there and here together";
    default:
      return `a ${o.target.kind} is part of the deployed app's data or API and is not renamed here (stored data keeps its old name)`;
  }
}

/** Whether the name at the position can be renamed, and its span. Never throws. */
export function prepareRename(project: Project, file: string, offset: number): PrepareAnswer {
  return guard<PrepareAnswer>({ kind: "refused", reason: "there is no name here to rename" }, () => {
    const o = occurrenceAt(project, file, offset);
    const why = renameable(o);
    if (why || !o) return { kind: "refused", reason: why ?? "" };
    return { kind: "name", span: o.span, placeholder: project.texts.get(file)?.slice(o.span.offset, o.span.endOffset) ?? "" };
  });
}

/** The edits that rename the name at the position to `newName`, or why not. Never throws. */
export function rename(project: Project, file: string, offset: number, newName: string): RenameAnswer {
  return guard<RenameAnswer>({ kind: "refused", reason: "the rename failed" }, () => {
    const o = occurrenceAt(project, file, offset);
    const why = renameable(o);
    if (why || !o) return { kind: "refused", reason: why ?? "" };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName))
      return { kind: "refused", reason: `\`${newName}\` is not a name: letters, digits and \`_\`, not starting with a digit` };
    if (RESERVED.has(newName)) return { kind: "refused", reason: `\`${newName}\` is a reserved word` };
    if (o.target.kind === "type" && BUILTIN_TYPES.has(newName)) return { kind: "refused", reason: `\`${newName}\` is a built-in type` };
    const edits: TextEdit[] = occurrencesOf(project, o.key).map((x) =>
      // `{ b }` names field `b` and local `b`: the field keeps its name
      x.shorthand && o.target.kind === "local"
        ? { span: x.span, newText: `${x.target.kind === "local" ? x.target.sym.name : ""}: ${newName}` }
        : { span: x.span, newText: newName },
    );
    const errors = (p: Project) => p.analysis.diagnostics.filter((d) => d.severity === "error").length;
    const after = analyzeProject(applyEdits(project.files, edits), project.options);
    if (errors(after) > errors(project)) {
      const before = new Set(project.analysis.diagnostics.map((d) => d.message));
      const fresh = after.analysis.diagnostics.find((d) => d.severity === "error" && !before.has(d.message));
      return { kind: "refused", reason: `renaming to \`${newName}\` would break the program${fresh ? `: ${fresh.message}` : ""}` };
    }
    return { kind: "edits", edits };
  });
}
