// Go to definition and find references: the occurrence at a position, then every occurrence
// with its key.
import type { Span } from "../../grammar/span.js";
import { occurrenceAt, occurrencesOf } from "./occurrences.js";
import { guard, type Project } from "./project.js";
import { compareCodeUnits } from "../order.js";

const bySource = (a: Span, b: Span) => compareCodeUnits(a.file, b.file) || a.offset - b.offset;

/** Where the name at the position is declared (none for builtins and inferred records' fields). Never throws. */
export function definition(project: Project, file: string, offset: number): Span[] {
  return guard([], () => {
    const o = occurrenceAt(project, file, offset);
    if (!o) return [];
    return occurrencesOf(project, o.key)
      .filter((x) => x.decl)
      .map((x) => x.span)
      .sort(bySource);
  });
}

/** Every place that names what the name at the position names, its declaration first when asked. Never throws. */
export function references(project: Project, file: string, offset: number, includeDeclaration = true): Span[] {
  return guard([], () => {
    const o = occurrenceAt(project, file, offset);
    if (!o) return [];
    const all = occurrencesOf(project, o.key).filter((x) => includeDeclaration || !x.decl);
    return [...all.filter((x) => x.decl), ...all.filter((x) => !x.decl)].map((x) => x.span).sort(bySource);
  });
}
