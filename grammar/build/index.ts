// CST -> AST (ast.ts), with spans, over the CST's generated types (cst.ts). The CST may be partial
// after error recovery: any child can be missing, and tokens inserted by recovery have no
// position. Missing parts become placeholders: a missing expression is a `null` literal, a missing
// type is `any`, a missing name is "", a missing block is empty; each sits at a zero-width span
// where it was expected.
//
// It only translates, and reports what needs the tokens: what recovery swallowed or the
// translation drops (stray tokens, a missing or doubled `,`, a forgotten `->`, a `=` for `==` in a
// header, a block standing alone, malformed types, chains cut at MAX_CHAIN), and chained
// comparisons, found where precedence is applied (expressions.ts says why they stay). The checks
// that need only the AST are passes over it (../checks/), given what the AST has no place for
// (Translation.leftOut).
//
// One file per job: declarations, statements, expressions, types; translation.ts holds the state.
import type { SourceFileAst } from "../ast.js";
import type { FileCstNode } from "../cst.js";
import { buildFile } from "./declarations.js";
import type { Translation } from "./translation.js";

export { MAX_CHAIN, Translation } from "./translation.js";

/** The AST of the file the parser read. */
export function buildAst(t: Translation, cst: FileCstNode): SourceFileAst {
  return buildFile(t, cst);
}
