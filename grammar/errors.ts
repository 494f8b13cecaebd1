// Turns chevrotain's recognition exceptions into our diagnostics: our codes, our wording,
// the offending token's span. Nothing of chevrotain's own messages reaches the user.
import { tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { diagnostic, SYNTAX, type DiagnosticEntry } from "./diagnostics.js";
import * as T from "./lexer.js";
import { showText, tokenEnd } from "./lexer.js";
import type { LineIndex } from "./position.js";
import type { Diagnostic, Span } from "./span.js";

/** What the error message provider encodes into an exception's message (decoded in errors.ts). */
export type RawSyntaxError =
  | { kind: "mismatch"; expected: string; rule: string }
  | { kind: "noalt"; rule: string; what: string | null }
  | { kind: "early"; rule: string; what: string | null }
  | { kind: "rest"; rule: string };

export function isRealToken(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && t.tokenType.name !== "EOF";
}

/** How a token is shown in a message: "`x`", "the string `\"ab\"`", "the end of the file". */
export function describeToken(t: IToken | undefined): string {
  if (!isRealToken(t)) return "the end of the file";
  if (t.tokenType === T.StringLit) return `the string \`${showText(t.image)}\``;
  if (t.tokenType === T.NumberLit) return `the number \`${showText(t.image)}\``;
  if (tokenMatcher(t, T.Reserved)) return `the keyword \`${t.image}\``;
  return `\`${showText(t.image)}\``;
}

/** The text a token type stands for in "expected ..." */
function expectedText(name: string): string {
  const tt = TOKEN_BY_NAME.get(name);
  if (tt?.LABEL) return tt.LABEL;
  if (name === "NameLike" || name === "Identifier") return "a name";
  return name;
}

const TOKEN_BY_NAME = new Map<string, TokenType>(T.allTokens.map((t) => [t.name, t]));

const CLOSERS: Record<string, { open: TokenType; openText: string }> = {
  RParen: { open: T.LParen, openText: "(" },
  RBracket: { open: T.LBracket, openText: "[" },
  RCurly: { open: T.LCurly, openText: "{" },
  Gt: { open: T.Lt, openText: "<" },
};

/** what the bracket closes, by the rule that expected the closer */
const CLOSES_WHAT: Record<string, string> = {
  args: "the argument list",
  params: "the parameter list",
  "primary:RParen": "the parenthesized expression",
  "primary:RBracket": "the list",
  "primary:RCurly": "the record",
  suffix: "the index",
  readExpr: "the key",
  writeStmt: "the key",
  deleteStmt: "the key",
  updateExpr: "the key",
  block: "the block",
  recordType: "the record type",
  serviceDecl: "the service",
  typeExpr: "the type argument",
};

/** the rules whose brackets hold comma-separated items */
const LIST_RULES = new Set(["args", "params", "primary:RBracket", "primary:RCurly", "recordType", "typeExpr"]);

/** the lists whose items start with a name */
const NAME_ITEMS = new Set(["params", "primary:RCurly", "recordType"]);

/** what a block is the body of, by the rule that holds it */
const BODY_OF: Record<string, string> = {
  fnDecl: "the fn's body",
  ifStmt: "the `if`'s body",
  elseIf: "the `else if`'s body",
  forStmt: "the loop's body",
  whileStmt: "the loop's body",
  txnStmt: "the `txn`'s body",
  parallelStmt: "the `parallel` block",
};

/** Tokens that can start an expression (used to guess "a `,` is missing"). */
function startsExpression(t: IToken): boolean {
  return (
    tokenMatcher(t, T.Identifier) ||
    [
      T.NumberLit,
      T.StringLit,
      T.True,
      T.False,
      T.Null,
      T.LParen,
      T.LBracket,
      T.LCurly,
      T.Bang,
      T.Minus,
      T.Read,
      T.Scan,
      T.Call,
      T.Spawn,
      T.Wait,
      T.Signal,
    ].includes(t.tokenType)
  );
}

/** Is the token followed by something that continues an operand (`type.x`, `f(table)`)? */
function looksLikeOperand(cx: ErrorContext, t: IToken): boolean {
  const i = cx.indexOf.get(t);
  const next = i === undefined ? undefined : cx.tokens[i + 1];
  if (!next) return false;
  return [T.Dot, T.LBracket, T.RParen, T.RBracket, T.Comma, T.RCurly].includes(next.tokenType) || tokenMatcher(next, T.BinaryOp);
}

export interface ErrorContext {
  lines: LineIndex;
  tokens: IToken[];
  indexOf: Map<IToken, number>;
}

function tokenSpan(cx: ErrorContext, t: IToken | undefined): Span {
  if (isRealToken(t)) return cx.lines.span(t.startOffset, tokenEnd(t));
  const end = cx.lines.text.length;
  return cx.lines.span(end, end);
}

/** Finds the unclosed opener of kind `open` before token index `i`. */
function findOpener(cx: ErrorContext, i: number, open: TokenType, close: TokenType): IToken | null {
  let depth = 0;
  for (let j = Math.min(i, cx.tokens.length) - 1; j >= 0; j--) {
    const t = cx.tokens[j] as IToken;
    if (t.tokenType === close) depth++;
    else if (t.tokenType === open) {
      if (depth === 0) return t;
      depth--;
    }
  }
  return null;
}

function decode(e: IRecognitionException): RawSyntaxError | null {
  try {
    const v = JSON.parse(e.message) as RawSyntaxError;
    return typeof v === "object" && v !== null && typeof v.kind === "string" ? v : null;
  } catch {
    return null;
  }
}

interface Translated {
  entry: DiagnosticEntry;
  message: string;
  hint?: string;
}

function previousOf(e: IRecognitionException): IToken | undefined {
  const p = (e as { previousToken?: IToken }).previousToken;
  return isRealToken(p) ? p : undefined;
}

function translate(cx: ErrorContext, e: IRecognitionException): Translated {
  const raw = decode(e);
  const found = describeToken(e.token);
  const prev = previousOf(e);
  const after = prev ? ` after \`${showText(prev.image)}\`` : "";
  const stack = e.context?.ruleStack ?? [];
  const rule = raw && "rule" in raw ? raw.rule : (stack[stack.length - 1] ?? "");
  const parentRule = stack[stack.length - 2] ?? "";
  const tok = e.token;

  if (raw?.kind === "mismatch") {
    const closer = CLOSERS[raw.expected];
    if (closer) {
      const close = TOKEN_BY_NAME.get(raw.expected) as TokenType;
      const idx = isRealToken(tok) ? (cx.indexOf.get(tok) ?? cx.tokens.length) : cx.tokens.length;
      const opener = findOpener(cx, idx, closer.open, close);
      const key = rule === "primary" ? `${rule}:${raw.expected}` : rule;
      let what = CLOSES_WHAT[key] ?? "it";
      if (rule === "block" && BODY_OF[parentRule]) what = BODY_OF[parentRule] as string;
      const closeText = expectedText(raw.expected);
      const openedAt = opener ? ` (opened at ${cx.lines.where(opener.startOffset)})` : "";
      let hint = opener
        ? `the \`${closer.openText}\` at ${cx.lines.where(opener.startOffset)} is not closed; add ${closeText}`
        : `add ${closeText}`;
      const itemStart = isRealToken(tok) && (NAME_ITEMS.has(key) ? tokenMatcher(tok, T.NameLike) : startsExpression(tok));
      if (LIST_RULES.has(key) && itemStart && tok.tokenType !== T.LCurly) {
        hint = `put a \`,\` between two items, or close ${what} with ${closeText}`;
      } else if (isRealToken(tok) && tokenMatcher(tok, T.Reserved) && looksLikeOperand(cx, tok)) {
        hint = `\`${tok.image}\` is a reserved word: it cannot be used as a name`;
      }
      if (rule === "serviceDecl" && isRealToken(tok) && [T.Type, T.Extern, T.Service].includes(tok.tokenType)) {
        hint += `; \`${tok.image}\` declarations go outside services`;
      }
      return { entry: SYNTAX.E0002, message: `expected ${closeText} to close ${what}${openedAt}, found ${found}`, hint };
    }
    return mismatch(raw.expected, rule, parentRule, prev, tok, found);
  }

  if (raw?.kind === "noalt" && rule === "primary") {
    let message = `expected an expression${after}, found ${found}`;
    let hint: string | undefined;
    if (prev && (prev.tokenType === T.If || prev.tokenType === T.While)) {
      message = `expected a condition after \`${prev.image}\`, found ${found}`;
      hint = `write the condition between \`${prev.image}\` and \`{\``;
    } else if (prev && prev.tokenType === T.Sleep) {
      message = `expected how long to sleep (milliseconds) after \`sleep\`, found ${found}`;
      hint = "`sleep 60000` pauses the instance for a minute";
    } else if (prev && prev.tokenType === T.Timeout) {
      message = `expected the timeout (milliseconds) after \`timeout\`, found ${found}`;
      hint = '`wait "paid" as T timeout 60000` gives up (null) after a minute';
    } else if (prev && prev.tokenType === T.In) {
      message = `expected what to loop over after \`in\`, found ${found}`;
      hint = "write a list or map: `for x in xs { ... }`";
    } else if (isRealToken(tok) && tokenMatcher(tok, T.Reserved) && looksLikeOperand(cx, tok)) {
      hint = `\`${tok.image}\` is a reserved word: it cannot be used as a name`;
    } else if (isRealToken(tok) && tok.tokenType === T.Equals && prev && tokenMatcher(prev, T.BinaryOp)) {
      hint = "there is no compound assignment: write `x = x + e`";
    }
    return { entry: SYNTAX.E0012, message, hint };
  }
  if (raw?.kind === "noalt" && rule === "typeExpr") {
    return {
      entry: SYNTAX.E0001,
      message: `expected a type${after}, found ${found}`,
      hint: "a type is `string`, `number`, `bool`, `null`, `any`, `list<T>`, `map<T>`, `{ f: T, ... }` or a declared type's name",
    };
  }
  if (raw?.kind === "noalt" || raw?.kind === "early") {
    const what = raw.what ?? "something else";
    return { entry: SYNTAX.E0001, message: `expected ${what}${after}, found ${found}` };
  }
  // "rest" (input left after the file: cannot happen, junk is swallowed) or unknown
  return { entry: SYNTAX.E0001, message: `unexpected ${found}` };
}

function mismatch(expected: string, rule: string, parentRule: string, prev: IToken | undefined, tok: IToken, found: string): Translated {
  const after = prev ? ` after \`${showText(prev.image)}\`` : "";
  const e = SYNTAX.E0001;
  switch (expected) {
    case "NameLike":
    case "Identifier": {
      let what = "a name";
      if (rule === "suffix") what = "a field name";
      else if (rule === "typeDecl") what = "the type's name";
      else if (rule === "serviceDecl") what = "the service's name";
      else if (rule === "fnDecl" || rule === "externDecl") what = "the fn's name";
      else if (
        rule === "tableDecl" ||
        rule === "readExpr" ||
        rule === "scanExpr" ||
        rule === "writeStmt" ||
        rule === "deleteStmt" ||
        rule === "updateExpr"
      )
        what = "a table name";
      else if (rule === "invokeExpr") what = prev?.tokenType === T.Dot ? "the fn's name" : "a service name";
      else if (rule === "forStmt") what = "a loop variable";
      else if (rule === "setItem") what = "a field name";
      else if (rule === "param") what = "a parameter name";
      let hint: string | undefined;
      if (isRealToken(tok) && tok.tokenType === T.StringLit) hint = "names are written without quotes";
      else if (rule === "forStmt" && isRealToken(tok) && tok.tokenType === T.LParen)
        hint = "a `for` header has no parentheses: `for x in xs { ... }`";
      else if (rule === "invokeExpr") hint = "write `call service.fn(args)` or `spawn service.fn(args)`";
      return { entry: e, message: `expected ${what}${after}, found ${found}`, hint };
    }
    case "Equals": {
      if (rule === "letStmt")
        return {
          entry: e,
          message: `expected \`=\` and a value${after}, found ${found}`,
          hint: "a `let` or `var` needs a value: `let x = e` or `let x: T = e`",
        };
      if (rule === "typeDecl")
        return { entry: e, message: `expected \`=\`${after}, found ${found}`, hint: "a type declaration is `type Name = T`" };
      if (rule === "writeStmt") return { entry: e, message: `expected \`=\` after the key, found ${found}`, hint: "`write T[k] = e`" };
      if (rule === "setItem")
        return { entry: e, message: `expected \`=\` after the field name, found ${found}`, hint: "`update T[k] set f = e, g = e`" };
      break;
    }
    case "Colon": {
      if (rule === "param")
        return {
          entry: e,
          message: `expected \`:\` and a type after the parameter name, found ${found}`,
          hint: "every parameter has a type: `name: T`",
        };
      if (rule === "tableDecl")
        return { entry: e, message: `expected \`:\` and the value type after the table's name, found ${found}`, hint: "`table name: T`" };
      if (rule === "fieldType")
        return {
          entry: e,
          message: `expected \`:\` and a type after the field name, found ${found}`,
          hint: "a record type is `{ f: T, g?: U }`",
        };
      break;
    }
    case "LCurly": {
      if (rule === "block") {
        const body = BODY_OF[parentRule];
        const what = prev?.tokenType === T.Else ? "the `else` block" : (body ?? "the block");
        let hint = "a body is always written in braces: `{ ... }`";
        if (
          isRealToken(tok) &&
          tok.tokenType === T.Equals &&
          (parentRule === "ifStmt" || parentRule === "elseIf" || parentRule === "whileStmt")
        )
          hint = "to compare, use `==`";
        else if (parentRule === "fnDecl" && prev?.tokenType === T.RCurly)
          hint = "after `->`, a `{` starts a record type: write the result type before the body, `fn f() -> T { ... }`";
        return { entry: e, message: `expected \`{\` to start ${what}, found ${found}`, hint };
      }
      if (rule === "serviceDecl")
        return {
          entry: e,
          message: `expected \`{\` after the service's name, found ${found}`,
          hint: "`service name { table ... fn ... }`",
        };
      break;
    }
    case "From":
      return {
        entry: e,
        message: `expected \`from "./file.ts"\` after the extern's signature, found ${found}`,
        hint: 'an extern names the TypeScript module that exports it: `extern fn f(x: T) -> R from "./file.ts"`',
      };
    case "StringLit":
      if (rule === "externDecl")
        return {
          entry: e,
          message: `expected the module path as a string after \`from\`, found ${found}`,
          hint: 'for example `from "./geo.ts"`',
        };
      break;
    case "In":
      return {
        entry: e,
        message: `expected \`in\` after the loop variable, found ${found}`,
        hint: "`for x in xs { ... }` or `for k, v in m { ... }`",
      };
    case "As":
      return {
        entry: e,
        message: `expected \`as\` and the signal's value type after the name of \`wait\`, found ${found}`,
        hint: 'a wait names the type of the value it expects: `wait "paid" as T` or `wait "paid" as T timeout ms`',
      };
    case "Set":
      return {
        entry: e,
        message: `expected \`set\` after the key of \`update\`, found ${found}`,
        hint: "`update T[k] set f = e, g = e [where c]`, or `update T[k] as s set f = s.f + e [where c]` to name the stored value",
      };
    case "LBracket":
      return {
        entry: e,
        message: `expected \`[\` and a key after the table name, found ${found}`,
        hint: "tables are accessed by key: `T[k]`",
      };
    case "Dot":
      if (rule === "invokeExpr")
        return {
          entry: e,
          message: `expected \`.\` and a fn name after the service name, found ${found}`,
          hint: "write `call service.fn(args)`",
        };
      break;
    case "LParen":
      if (rule === "params")
        return {
          entry: e,
          message: `expected \`(\` and the parameters after the fn's name, found ${found}`,
          hint: "`fn name(p: T, ...) -> R { ... }`",
        };
      if (rule === "args" && parentRule === "signalExpr")
        return {
          entry: e,
          message: `expected \`(\` and the arguments of \`signal\`, found ${found}`,
          hint: 'write `signal(instanceId, "name", value)`',
        };
      if (rule === "args")
        return { entry: e, message: `expected \`(\` and the arguments${after}, found ${found}`, hint: "write `call service.fn(args)`" };
      break;
    case "Fn":
      return {
        entry: e,
        message: `expected \`fn\` after \`extern\`, found ${found}`,
        hint: 'an extern is `extern fn name(p: T) -> R from "./file.ts"`',
      };
  }
  return { entry: e, message: `expected ${expectedText(expected)}${after}, found ${found}` };
}

/**
 * Our diagnostics for the parser's errors: one per offending token (the first wins), none at
 * the end of the file when an unterminated comment swallowed it.
 */
export function translateParseErrors(cx: ErrorContext, errors: IRecognitionException[], suppressAtEof: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const e of errors) {
    const span = tokenSpan(cx, e.token);
    if (suppressAtEof && !isRealToken(e.token)) continue;
    if (seen.has(span.offset)) continue;
    seen.add(span.offset);
    let t: Translated;
    try {
      t = translate(cx, e);
    } catch {
      t = { entry: SYNTAX.E0001, message: `unexpected ${describeToken(e.token)}` };
    }
    out.push(diagnostic(t.entry, span, t.message, t.hint));
  }
  return out;
}
