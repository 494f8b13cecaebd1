// Quick fixes: the diagnostics whose fix is mechanical. A "did you mean `x`?" replaces the
// misspelled name (or `&`/`|`) with `x`; `if a = b` becomes `==`; assigning a `let` makes it a `var`.
import type { Diagnostic } from "../../grammar/span.js";
import type { TextEdit } from "./edits.js";
import { occurrenceAt } from "./occurrences.js";
import { guard, spanIn, type Project } from "./project.js";

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

/** The mechanical fixes of a diagnostic of the project (none when it has none). Never throws. */
export function quickFixes(project: Project, d: Diagnostic): QuickFix[] {
  return guard([], () => {
    const text = project.texts.get(d.span.file);
    if (text === undefined) return [];
    const written = text.slice(d.span.offset, d.span.endOffset);
    const out: QuickFix[] = [];
    const meant = /did you mean `([^`]+)`\?/.exec(d.hint ?? "");
    if (meant && written.length > 0 && /^([A-Za-z_]\w*|&|\|)$/.test(written))
      out.push({ title: `Change \`${written}\` to \`${meant[1]}\``, edits: [{ span: d.span, newText: meant[1]! }] });
    if (written === "=" && /use `==`/.test(d.hint ?? ""))
      out.push({ title: "Change `=` to `==`", edits: [{ span: d.span, newText: "==" }] });
    const asVar = /declare it with `var ([A-Za-z_]\w*)`/.exec(d.hint ?? "");
    if (asVar) {
      const o = occurrenceAt(project, d.span.file, d.span.offset);
      if (o?.target.kind === "local" && o.target.sym.kind === "let") {
        const decl = o.target.sym.span;
        const declText = project.texts.get(decl.file) ?? "";
        const at = declText.lastIndexOf("let", decl.offset);
        if (at >= 0 && /^let\s+$/.test(declText.slice(at, decl.offset)))
          out.push({
            title: `Declare \`${asVar[1]}\` with \`var\``,
            edits: [{ span: spanIn(project, decl.file, at, at + 3), newText: "var" }],
          });
      }
    }
    return out;
  });
}
