// Tokens of `.beldi` (LANGUAGE.md §1a) and the lexer pass that checks literals.
// (~500 lines: the token table is one list, in chevrotain's matching order, with the categories
// the parser and its recovery use.)
//
// Token categories used by the parser:
// - NameLike: anything that can be written where a name is expected (identifiers, contextual
//   words, and reserved words — the latter so checks/reserved-names.ts can say "`read` is a reserved word").
// - Identifier: identifiers and contextual words (`from set where in exists as timeout`).
// - Reserved: the reserved words.
// - BinaryOp: the binary operators.
// - TopJunk / ServiceJunk / BlockJunk: tokens that cannot start a declaration / service member /
//   statement; the parser swallows them (one diagnostic per run) instead of giving up.
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";
import { diagnostic, SYNTAX } from "./diagnostics.js";
import { lookaheadEmbedded } from "./lookahead.js";
import type { LineIndex } from "./position.js";
import type { Diagnostic } from "./span.js";

// ---- categories ---------------------------------------------------------------------------

export const NameLike = createToken({ name: "NameLike", pattern: Lexer.NA });
export const Reserved = createToken({ name: "Reserved", pattern: Lexer.NA });
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA });
/** `type service extern table fn`: where they do not start a declaration they are stray words */
export const DeclWord = createToken({ name: "DeclWord", pattern: Lexer.NA });
export const TopJunk = createToken({ name: "TopJunk", pattern: Lexer.NA });
export const ServiceJunk = createToken({ name: "ServiceJunk", pattern: Lexer.NA });
export const BlockJunk = createToken({ name: "BlockJunk", pattern: Lexer.NA });

/**
 * Where a token cannot start anything and is swallowed as junk: "block" = everywhere (it can
 * start nothing), "service" = at the top level and in a service body (it can start a
 * statement), "top" = only at the top level (`table`, `fn`, `}`), "none" = never.
 */
type Junk = "top" | "service" | "block" | "none";

function junkCats(level: Junk): TokenType[] {
  switch (level) {
    case "block":
      return [TopJunk, ServiceJunk, BlockJunk];
    case "service":
      return [TopJunk, ServiceJunk];
    case "top":
      return [TopJunk];
    case "none":
      return [];
  }
}

// ---- trivia -------------------------------------------------------------------------------

// U+2028/U+2029 are skipped like spaces here and reported by `lex` wherever they stand (E0018).
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF\u2028\u2029]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** `/*` without `*\/`: runs to the end of the file */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

// ---- identifiers and words ----------------------------------------------------------------

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [NameLike, ...junkCats("service")],
});

function keyword(name: string, word: string, junk: Junk, extra: TokenType[] = []): TokenType {
  return createToken({
    name,
    pattern: word, // a string: chevrotain reads its first char without parsing a RegExp
    longer_alt: Identifier,
    label: "`" + word + "`",
    categories: [Reserved, NameLike, ...junkCats(junk), ...extra],
  });
}
function contextual(name: string, word: string): TokenType {
  return createToken({
    name,
    pattern: word, // a string: chevrotain reads its first char without parsing a RegExp
    longer_alt: Identifier,
    label: "`" + word + "`",
    categories: [Identifier, NameLike, ...junkCats("service")],
  });
}

// declaration starters: never junk
export const Type = keyword("Type", "type", "none", [DeclWord]);
export const Service = keyword("Service", "service", "none", [DeclWord]);
export const Extern = keyword("Extern", "extern", "none", [DeclWord]);
// service members: junk only at the top level
export const Table = keyword("Table", "table", "top", [DeclWord]);
export const Fn = keyword("Fn", "fn", "top", [DeclWord]);
// statement starters
export const Let = keyword("Let", "let", "service");
export const Var = keyword("Var", "var", "service");
export const If = keyword("If", "if", "service");
export const Else = keyword("Else", "else", "block");
export const For = keyword("For", "for", "service");
export const While = keyword("While", "while", "service");
export const Break = keyword("Break", "break", "service");
export const Continue = keyword("Continue", "continue", "service");
export const Return = keyword("Return", "return", "service");
export const Fail = keyword("Fail", "fail", "service");
export const Read = keyword("Read", "read", "service");
export const Write = keyword("Write", "write", "service");
export const Update = keyword("Update", "update", "service");
export const Delete = keyword("Delete", "delete", "service");
export const Txn = keyword("Txn", "txn", "service");
export const Abort = keyword("Abort", "abort", "service");
export const Parallel = keyword("Parallel", "parallel", "service");
export const Call = keyword("Call", "call", "service");
export const Spawn = keyword("Spawn", "spawn", "service");
export const Scan = keyword("Scan", "scan", "service");
export const True = keyword("True", "true", "service");
export const False = keyword("False", "false", "service");
export const Null = keyword("Null", "null", "service");
// durable waiting (LANGUAGE.md §9): `sleep e`, `wait "name" as T [timeout e]`, `signal(id, "name", v)`
export const Sleep = keyword("Sleep", "sleep", "service");
export const Wait = keyword("Wait", "wait", "service");
export const Signal = keyword("Signal", "signal", "service");

export const From = contextual("From", "from");
// biome-ignore lint/suspicious/noShadowRestrictedNames: the token of the word `set` (T.Set), never the global
export const Set = contextual("Set", "set");
export const Where = contextual("Where", "where");
export const In = contextual("In", "in");
export const Exists = contextual("Exists", "exists");
/** `update T[k] as s set ...` (LANGUAGE.md §9) */
export const As = contextual("As", "as");
/** `wait "name" as T timeout e` (LANGUAGE.md §9) */
export const Timeout = contextual("Timeout", "timeout");

export const RESERVED_WORDS = [
  "type",
  "service",
  "table",
  "fn",
  "extern",
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
  "read",
  "write",
  "update",
  "delete",
  "txn",
  "abort",
  "parallel",
  "call",
  "spawn",
  "scan",
  "true",
  "false",
  "null",
  "sleep",
  "wait",
  "signal",
];

// ---- literals -----------------------------------------------------------------------------

/** A string on one line; may lack its closing quote (checked by `lex`). */
export const StringLit = createToken({
  name: "StringLit",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n]?)*"?/,
  label: "a string",
  categories: junkCats("service"),
});
/** A decimal number; letters or digits running into it make it invalid (checked by `lex`). */
export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[A-Za-z0-9_]*/,
  label: "a number",
  categories: junkCats("service"),
});

// ---- operators and punctuation ------------------------------------------------------------

function punct(name: string, image: string, junk: Junk, binary = false): TokenType {
  const cats = junkCats(junk);
  if (binary) cats.push(BinaryOp);
  return createToken({
    name,
    pattern: image,
    label: "`" + image + "`",
    categories: cats,
  });
}

export const Arrow = punct("Arrow", "->", "block");
export const AndAnd = punct("AndAnd", "&&", "block", true);
export const OrOr = punct("OrOr", "||", "block", true);
export const QQ = punct("QQ", "??", "block", true);
/** `a?.f` (LANGUAGE.md §9): before `?` so that it is one token */
export const QDot = punct("QDot", "?.", "block");
export const EqEq = punct("EqEq", "==", "block", true);
export const NotEq = punct("NotEq", "!=", "block", true);
export const LtEq = punct("LtEq", "<=", "block", true);
export const GtEq = punct("GtEq", ">=", "block", true);
export const Plus = punct("Plus", "+", "block", true);
export const Minus = punct("Minus", "-", "service", true);
export const Star = punct("Star", "*", "block", true);
export const Slash = punct("Slash", "/", "block", true);
export const Percent = punct("Percent", "%", "block", true);
export const Lt = punct("Lt", "<", "block", true);
export const Gt = punct("Gt", ">", "block", true);
export const Bang = punct("Bang", "!", "service");
export const Equals = punct("Equals", "=", "block");
export const Dot = punct("Dot", ".", "block");
export const Comma = punct("Comma", ",", "block");
export const Colon = punct("Colon", ":", "block");
export const Semicolon = punct("Semicolon", ";", "none");
export const LParen = punct("LParen", "(", "service");
export const RParen = punct("RParen", ")", "block");
export const LBracket = punct("LBracket", "[", "service");
export const RBracket = punct("RBracket", "]", "block");
export const LCurly = punct("LCurly", "{", "service");
export const RCurly = punct("RCurly", "}", "top");
export const Question = punct("Question", "?", "block");

/** Any other character (one code point): reported, then skipped. */
export const Invalid = createToken({
  name: "Invalid",
  pattern: /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0000-\uFFFF]/,
  group: "errors",
  line_breaks: true,
});

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLit,
  NumberLit,
  Type,
  Service,
  Extern,
  Table,
  Fn,
  Let,
  Var,
  If,
  Else,
  For,
  While,
  Break,
  Continue,
  Return,
  Fail,
  Read,
  Write,
  Update,
  Delete,
  Txn,
  Abort,
  Parallel,
  Call,
  Spawn,
  Scan,
  True,
  False,
  Null,
  Sleep,
  Wait,
  Signal,
  From,
  Set,
  Where,
  In,
  Exists,
  As,
  Timeout,
  Identifier,
  Arrow,
  AndAnd,
  OrOr,
  QQ,
  QDot,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Lt,
  Gt,
  Bang,
  Equals,
  Dot,
  Comma,
  Colon,
  Semicolon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Question,
  Invalid,
  // categories (not matched by the lexer; listed so the parser knows them)
  NameLike,
  Reserved,
  BinaryOp,
  DeclWord,
  TopJunk,
  ServiceJunk,
  BlockJunk,
];

const lexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
  // in the precompiled CLI the token table was validated when the bundle was built (from source)
  skipValidations: lookaheadEmbedded(),
});

// ---- lexing -------------------------------------------------------------------------------

/** The lexer result: tokens for the parser, and the lexical diagnostics. */
export interface LexResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
  /** offset of an unterminated block comment, if any (it swallows the rest of the file) */
  unterminatedCommentAt: number | null;
}

/** Token end offset (exclusive). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** Shows a piece of source in a message, shortened and with control characters escaped. */
export function showText(s: string, max = 24): string {
  let shown = s.length > max ? s.slice(0, max) + "…" : s;
  shown = shown.replace(/[\u0000-\u001f\u007f]/g, (c) => "\\u{" + c.charCodeAt(0).toString(16).toUpperCase() + "}");
  return shown;
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) return `the control character ${hex}`;
  if (ch.trim() === "") return `the whitespace character ${hex}`;
  return `\`${ch}\` (${hex})`;
}

function invalidCharHint(ch: string): string | undefined {
  switch (ch) {
    case "&":
      return "did you mean `&&`?";
    case "|":
      return "did you mean `||`? (there is no union type: write `T?` for `T | null`)";
    case "'":
    case "`":
      return 'strings are written in double quotes: "..."';
    case "#":
      return "comments start with `//`";
    case "“":
    case "”":
      return 'use plain double quotes " for strings';
    default:
      return undefined;
  }
}

/**
 * Decodes a string token's text. Reports an unterminated string and invalid escapes;
 * the value keeps what could be decoded.
 */
function decodeString(tok: IToken, lines: LineIndex, out: Diagnostic[]): string {
  const text = tok.image;
  const start = tok.startOffset;
  const terminated = text.length >= 2 && text.endsWith('"') && !isEscapedQuoteAtEnd(text);
  const bodyEnd = terminated ? text.length - 1 : text.length;
  let value = "";
  let i = 1;
  while (i < bodyEnd) {
    const c = text[i] as string;
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    switch (e) {
      case "n":
        value += "\n";
        i += 2;
        continue;
      case "t":
        value += "\t";
        i += 2;
        continue;
      case '"':
        value += '"';
        i += 2;
        continue;
      case "\\":
        value += "\\";
        i += 2;
        continue;
      case "u": {
        const m = /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i, Math.min(bodyEnd, i + 10)));
        if (m) {
          const cp = parseInt(m[1] as string, 16);
          if (cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
            value += String.fromCodePoint(cp);
            i += m[0].length;
            continue;
          }
          out.push(
            diagnostic(
              SYNTAX.E0004,
              lines.span(start + i, start + i + m[0].length),
              `\`${m[0]}\` is not a valid Unicode escape: ${
                cp > 0x10ffff ? "the code point is larger than 10FFFF" : "surrogate code points (D800-DFFF) are not characters"
              }`,
            ),
          );
          i += m[0].length;
          continue;
        }
        // malformed \u: cover `\u` plus a `{hex` run if any
        const bad = /^\\u(\{[0-9A-Za-z]*\}?)?/.exec(text.slice(i, bodyEnd));
        const len = bad ? bad[0].length : 2;
        out.push(
          diagnostic(
            SYNTAX.E0004,
            lines.span(start + i, start + i + len),
            `\`${showText(text.slice(i, i + len))}\` is not a valid escape: a Unicode escape is written \`\\u{1F600}\` (1 to 6 hex digits in braces)`,
          ),
        );
        i += len;
        continue;
      }
      case undefined: {
        // a backslash at the end of the line: the string is unterminated anyway
        i += 1;
        continue;
      }
      default: {
        const cp = text.codePointAt(i + 1) ?? 0;
        const len = cp > 0xffff ? 3 : 2;
        const shown = showText(text.slice(i, i + len));
        out.push(
          diagnostic(
            SYNTAX.E0004,
            lines.span(start + i, start + i + len),
            `\`${shown}\` is not a valid escape sequence`,
            e === "r"
              ? "`\\r` is not supported; use `\\n` for a line break"
              : 'valid escapes are `\\n`, `\\t`, `\\"`, `\\\\` and `\\u{...}`; write `\\\\` for a backslash',
          ),
        );
        value += text.slice(i + 1, i + len);
        i += len;
        continue;
      }
    }
  }
  if (!terminated) {
    out.push(diagnostic(SYNTAX.E0003, lines.span(start, start + text.length), 'this string has no closing `"` on its line'));
  }
  return value;
}

/** `"abc\"` : the final quote is escaped, so the string is not closed. */
function isEscapedQuoteAtEnd(text: string): boolean {
  // count backslashes before the final quote
  let n = 0;
  for (let j = text.length - 2; j >= 1 && text[j] === "\\"; j--) n++;
  return n % 2 === 1;
}

function checkNumber(tok: IToken, lines: LineIndex, out: Diagnostic[]): number {
  const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(tok.image);
  const valid = m ? m[0] : "0";
  const value = Number(valid);
  if (valid.length !== tok.image.length) {
    const rest = tok.image.slice(valid.length);
    let hint: string | undefined;
    if (/^[xX]/.test(rest) && valid === "0") hint = "numbers are decimal: write the value in decimal";
    else if (/^[eE]/.test(rest)) hint = "an exponent needs digits: `1e3`, `2.5e-4`";
    else hint = "names cannot start with a digit; put an operator or a space between a number and a name";
    out.push(
      diagnostic(SYNTAX.E0017, lines.span(tok.startOffset, tokenEnd(tok)), `\`${showText(tok.image)}\` is not a valid number`, hint),
    );
    return value;
  }
  if (!Number.isFinite(value)) {
    out.push(
      diagnostic(
        SYNTAX.E0017,
        lines.span(tok.startOffset, tokenEnd(tok)),
        `\`${showText(tok.image)}\` is too large to be a number`,
        "numbers are IEEE doubles: at most about 1.8e308",
      ),
    );
    return 0;
  }
  return value;
}

/**
 * Splits the text into tokens. Comments and whitespace are dropped; invalid characters,
 * unterminated comments and strings, bad escapes and bad numbers are reported.
 * A string token's `payload` is its decoded value, a number token's `payload` its value.
 */
export function lex(lines: LineIndex): LexResult {
  const diagnostics: Diagnostic[] = [];
  const res = lexer.tokenize(lines.text);
  let unterminatedCommentAt: number | null = null;

  // invalid characters (adjacent ones together) and unterminated comments
  const errs = res.groups["errors"] ?? [];
  for (let i = 0; i < errs.length; i++) {
    const t = errs[i] as IToken;
    if (t.tokenType === UnterminatedComment) {
      unterminatedCommentAt = t.startOffset;
      diagnostics.push(
        diagnostic(SYNTAX.E0005, lines.span(t.startOffset, t.startOffset + 2), "this `/*` comment is never closed with `*/`"),
      );
      continue;
    }
    // a run of adjacent invalid characters is one diagnostic
    let j = i;
    while (j + 1 < errs.length) {
      const next = errs[j + 1] as IToken;
      if (next.tokenType !== Invalid || next.startOffset !== tokenEnd(errs[j] as IToken)) break;
      j++;
    }
    const end = tokenEnd(errs[j] as IToken);
    const first = t.image;
    const message =
      j === i
        ? `${describeChar(first)} is not allowed here`
        : `\`${showText(lines.text.slice(t.startOffset, end))}\`: these characters are not allowed here`;
    diagnostics.push(diagnostic(SYNTAX.E0006, lines.span(t.startOffset, end), message, invalidCharHint(first)));
    i = j;
  }
  // chevrotain's own lexing errors cannot happen (Invalid matches any character); be safe anyway
  for (const e of res.errors) {
    diagnostics.push(
      diagnostic(
        SYNTAX.E0006,
        lines.span(e.offset, e.offset + Math.max(1, e.length)),
        `\`${showText(lines.text.slice(e.offset, e.offset + Math.max(1, e.length)))}\`: these characters are not allowed here`,
      ),
    );
  }

  // JavaScript ends a line at U+2028/U+2029 and most editors do not: reject them everywhere,
  // comments and strings included, so no program reads differently from how it looks
  for (const m of lines.text.matchAll(/[\u2028\u2029]+/g)) {
    const name = m[0][0] === "\u2028" ? "U+2028 LINE SEPARATOR" : "U+2029 PARAGRAPH SEPARATOR";
    diagnostics.push(
      diagnostic(
        SYNTAX.E0018,
        lines.span(m.index, m.index + m[0].length),
        `the character ${name} is not allowed, not even in a comment or a string: JavaScript ends a line there and many editors do not`,
      ),
    );
  }

  for (const t of res.tokens) {
    if (t.tokenType === StringLit) t.payload = decodeString(t, lines, diagnostics);
    else if (t.tokenType === NumberLit) t.payload = checkNumber(t, lines, diagnostics);
  }
  return { tokens: res.tokens, diagnostics, unterminatedCommentAt };
}
