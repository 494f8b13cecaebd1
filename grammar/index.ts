// The parser stage: `.beldi` text -> AST + syntax diagnostics. `parse` never throws.
import type { IRecognitionException } from "chevrotain";
import type { SourceFileAst } from "./ast.js";
import { buildAst, Translation } from "./build/index.js";
import { checkSyntax } from "./checks/index.js";
import { limitDepth, MAX_DEPTH, MAX_TYPE_DEPTH } from "./depth.js";
import { diagnostic, SYNTAX } from "./diagnostics.js";
import { translateParseErrors } from "./errors.js";
import { lex } from "./lexer.js";
import { limitNesting, MAX_NESTING } from "./nesting.js";
import { parser } from "./parser.js";
import { LineIndex } from "./position.js";
import type { Diagnostic, SourceText } from "./span.js";

export type * from "./ast.js";
export type { Diagnostic, SourceText, Span } from "./span.js";
export { diagnostic, SYNTAX, type DiagnosticEntry } from "./diagnostics.js";
export { RESERVED_WORDS } from "./lexer.js";
export { MAX_NESTING } from "./nesting.js";
export { MAX_DEPTH, MAX_TYPE_DEPTH } from "./depth.js";
export { printExpr, printType } from "./print.js";

export interface ParseResult {
  file: SourceFileAst;
  /** syntax diagnostics, in source order */
  diagnostics: Diagnostic[];
}

/**
 * Parses one `.beldi` file. Never throws: on errors it returns a best-effort AST (missing
 * parts are placeholders, see build/index.ts) and every syntax diagnostic found.
 */
export function parse(src: SourceText): ParseResult {
  const path = typeof src?.path === "string" ? src.path : "";
  const text = typeof src?.text === "string" ? src.text : "";
  const lines = new LineIndex(path, text);
  const diagnostics: Diagnostic[] = [];
  let file: SourceFileAst = { path, decls: [] };
  try {
    const lexed = lex(lines);
    diagnostics.push(...lexed.diagnostics);

    const limited = limitNesting(lexed.tokens);
    if (limited.cutAt) {
      const t = limited.cutAt;
      diagnostics.push(
        diagnostic(
          SYNTAX.E0011,
          lines.span(t.startOffset, t.startOffset + t.image.length),
          `brackets are nested more than ${MAX_NESTING} levels deep here; what is inside this \`${t.image}\` is skipped`,
        ),
      );
    }
    const tokens = limited.tokens;

    const cst = parser.parseTokens(tokens);
    let errors = parser.errors as IRecognitionException[];
    const tooDeep = parser.tooDeep[0];
    if (tooDeep) {
      const real = Number.isFinite(tooDeep.startOffset) && tooDeep.tokenType.name !== "EOF";
      const at = real ? tooDeep.startOffset : text.length;
      diagnostics.push(
        diagnostic(
          SYNTAX.E0011,
          lines.span(at, at + (real ? tooDeep.image.length : 0)),
          "expressions are nested too deeply here (too many `update`s or brackets inside each other): the parser does not descend further",
        ),
      );
      // what the parser reports after it stopped descending is a consequence of stopping
      errors = errors.filter((e) => Number.isFinite(e.token.startOffset) && e.token.startOffset < at);
    }
    const translation = new Translation(lines, tokens);
    diagnostics.push(
      ...translateParseErrors({ lines, tokens, indexOf: translation.tokenIndex }, errors, lexed.unterminatedCommentAt !== null),
    );

    // past where the parser stopped descending, stray tokens are the consequence of stopping
    const stoppedAt = tooDeep && Number.isFinite(tooDeep.startOffset) ? tooDeep.startOffset : Infinity;
    const beforeStop = (ds: Diagnostic[]) => ds.filter((d) => d.code === SYNTAX.E0011.code || d.span.offset < stoppedAt);
    let checked: Diagnostic[] = [];
    try {
      file = buildAst(translation, cst);
      checked = checkSyntax(file, translation.leftOut, text);
    } finally {
      // the checks' before the translation's: at one place, a misused word outranks the `,` missing before it
      diagnostics.push(...beforeStop([...checked, ...translation.diagnostics]));
    }

    // where the parser already cut something too deep, the cut below is its consequence
    const alreadyCut = diagnostics.filter((d) => d.code === SYNTAX.E0011.code).map((d) => d.span.offset);
    for (const deep of limitDepth(file)) {
      if (alreadyCut.some((o) => deep.body.offset <= o && o <= deep.body.endOffset)) continue;
      diagnostics.push(
        deep.what === "fn"
          ? diagnostic(
              SYNTAX.E0011,
              deep.span,
              `fn \`${deep.fn}\` nests more than ${MAX_DEPTH} levels deep here; what lies deeper is skipped`,
              "each operator of a chain like `a + b + c`, each prefix operator, `.f`/`[i]`/call suffix, bracket, block and `else if` adds a level: bind parts to `let`s, or move them into a helper fn",
            )
          : diagnostic(
              SYNTAX.E0011,
              deep.span,
              `this type nests records, lists and maps more than ${MAX_TYPE_DEPTH} levels deep: the store holds no deeper value`,
              "flatten it: keep deep parts in a table of their own (by key), or in fewer levels",
            ),
      );
    }
  } catch (e) {
    const overflow = e instanceof RangeError;
    diagnostics.push(
      diagnostic(
        overflow ? SYNTAX.E0011 : SYNTAX.E0099,
        lines.span(0, 0),
        overflow
          ? "this file is nested too deeply to be parsed"
          : `the parser failed unexpectedly (${e instanceof Error ? e.message : String(e)})`,
      ),
    );
  }
  return { file, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Source order, at most one diagnostic per start offset (the first found: lexer, then parser,
 * then the checks over the AST, then the translation), so one mistake is not reported twice at
 * the same place.
 */
function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<number>();
  const unique = ds.filter((d) => {
    if (seen.has(d.span.offset)) return false;
    seen.add(d.span.offset);
    return true;
  });
  return unique
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.offset - b.d.span.offset || a.i - b.i)
    .map((x) => x.d);
}
