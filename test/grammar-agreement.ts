// Whether the VS Code extension's TextMate grammar reads a valid .beldi file as the front end does:
// each lexer token is one grammar token of the right kind (reserved words with their scope,
// contextual words as keywords exactly where the parser consumed them as such, strings, numbers),
// comments only where the lexer skips, and every name the scope the AST gives it. Shared by
// vscode-grammar.test.ts (the examples) and vscode-grammar-fixtures.test.ts (the test fixtures).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { CstNode, IToken, TokenType } from "chevrotain";
import type { IGrammar } from "vscode-textmate";
import type { Expr, SourceFileAst, Stmt, TypeExpr } from "../grammar/ast.js";
import { parse } from "../grammar/index.js";
import * as T from "../grammar/lexer.js";
import { LineIndex } from "../grammar/position.js";
import { parser } from "../grammar/parser.js";
import { BUILTIN_NAMES } from "../compiler/check/builtins.js";
import { innermost, tokenize, type TmToken } from "./textmate.js";

export const has = (t: TmToken, prefix: string) => t.scopes.some((s) => s === prefix || s.startsWith(prefix + "."));
export const isKeyword = (t: TmToken) => /^(keyword\.(control|other)|storage\.type|constant\.language)\./.test(innermost(t));
export const show = (t: TmToken) => `${JSON.stringify(t.text)} at ${t.line + 1}:${t.start + 1} [${t.scopes.slice(1).join(" ")}]`;

/** For each offset of the text, the index of the grammar token covering it (-1: none, a line end). */
function tokenIndex(tokens: TmToken[], length: number): Int32Array {
  const index = new Int32Array(length).fill(-1);
  for (const [i, t] of tokens.entries()) index.fill(i, t.offset, t.offset + t.text.length);
  return index;
}

/** The tokens covering [from, to) of the text. */
function within(tokens: TmToken[], index: Int32Array, from: number, to: number): TmToken[] {
  const out: TmToken[] = [];
  for (let o = from; o < to; o++) {
    const i = index[o]!;
    if (i >= 0 && out.at(-1) !== tokens[i]) out.push(tokens[i]!);
  }
  return out;
}

/** The lexer's tokens of a text (comments and whitespace dropped) and the CST key each was consumed under. */
function lexAndParse(file: string, text: string): { tokens: IToken[]; roleOf: Map<IToken, string> } {
  const lexed = T.lex(new LineIndex(file, text));
  const cst = parser.parseTokens(lexed.tokens);
  const roleOf = new Map<IToken, string>();
  const walk = (node: CstNode) => {
    for (const [key, items] of Object.entries(node.children)) {
      for (const item of items) {
        if ("children" in item) walk(item);
        else roleOf.set(item, key);
      }
    }
  };
  walk(cst);
  return { tokens: lexed.tokens, roleOf };
}

const isA = (t: IToken, category: TokenType) => t.tokenType === category || (t.tokenType.CATEGORIES ?? []).includes(category);

/** The words a contextual token type stands for: identifier-category tokens with a fixed word. */
export const CONTEXTUAL_WORDS = T.allTokens
  .filter((t) => t !== T.Identifier && (t.CATEGORIES ?? []).includes(T.Identifier))
  .map((t) => (typeof t.PATTERN === "string" ? t.PATTERN : (t.PATTERN as RegExp).source));
/** Each reserved word's expected scope (its first words). A new reserved word fails here until it is given one. */
export const RESERVED_SCOPES: Record<string, string> = {
  type: "storage.type.type",
  service: "storage.type.service",
  table: "storage.type.table",
  fn: "storage.type.function",
  extern: "storage.type.extern",
  let: "storage.type.let",
  var: "storage.type.var",
  if: "keyword.control.conditional",
  else: "keyword.control.conditional",
  for: "keyword.control.loop",
  while: "keyword.control.loop",
  break: "keyword.control.loop",
  continue: "keyword.control.loop",
  return: "keyword.control.flow",
  fail: "keyword.control.flow",
  read: "keyword.other.read",
  write: "keyword.other.write",
  update: "keyword.other.update",
  delete: "keyword.other.delete",
  txn: "keyword.control.transaction",
  abort: "keyword.control.transaction",
  parallel: "keyword.control.parallel",
  call: "keyword.other.call",
  spawn: "keyword.other.spawn",
  scan: "keyword.other.scan",
  true: "constant.language.boolean",
  false: "constant.language.boolean",
  null: "constant.language.null",
  sleep: "keyword.control.wait",
  wait: "keyword.control.wait",
  signal: "keyword.other.signal",
};
export function beldiFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return beldiFiles(p);
    return p.endsWith(".beldi") ? [p] : [];
  });
} /** What the AST says each name is: offset → the scope its token must have. */
function astRoles(ast: SourceFileAst): Map<number, string> {
  const roles = new Map<number, string>();
  const set = (offset: number, scope: string) => roles.set(offset, scope);
  const type = (t: TypeExpr): void => {
    switch (t.kind) {
      case "name":
        set(
          t.span.offset,
          ["string", "number", "bool", "null", "any"].includes(t.name.name) ? "support.type.primitive" : "entity.name.type",
        );
        return;
      case "list":
      case "map":
        set(t.span.offset, "support.type.builtin");
        type(t.elem);
        return;
      case "optional":
        type(t.inner);
        return;
      case "record":
        for (const f of t.fields) {
          set(f.name.span.offset, "variable.other.property");
          type(f.type);
        }
        return;
    }
  };
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case "name":
        set(e.span.offset, "variable.other.readwrite");
        return;
      case "list":
        e.items.forEach(expr);
        return;
      case "record":
        for (const f of e.fields) {
          set(f.name.span.offset, f.value ? "variable.other.property" : "variable.other.readwrite");
          if (f.value) expr(f.value);
        }
        return;
      case "paren":
        expr(e.inner);
        return;
      case "field":
        set(e.name.span.offset, "variable.other.property");
        expr(e.object);
        return;
      case "index":
        expr(e.object);
        expr(e.index);
        return;
      case "call":
        if (e.callee.kind === "name")
          set(e.callee.span.offset, BUILTIN_NAMES.has(e.callee.name) ? "support.function.builtin" : "entity.name.function");
        else expr(e.callee);
        e.args.forEach(expr);
        return;
      case "unary":
        expr(e.operand);
        return;
      case "binary":
        expr(e.left);
        expr(e.right);
        return;
      case "read":
        set(e.table.span.offset, "variable.other.table");
        expr(e.key);
        return;
      case "scan":
        set(e.table.span.offset, "variable.other.table");
        return;
      case "invoke":
        set(e.service.span.offset, "entity.name.namespace");
        set(e.fn.span.offset, "entity.name.function");
        e.args.forEach(expr);
        return;
      case "update":
        set(e.table.span.offset, "variable.other.table");
        expr(e.key);
        if (e.alias) set(e.alias.span.offset, "variable.other.local");
        for (const s of e.sets) expr(s.value);
        if (e.where) expr(e.where);
        return;
      default:
        return;
    }
  };
  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case "let":
        set(s.name.span.offset, "variable.other.local");
        if (s.type) type(s.type);
        expr(s.init);
        return;
      case "assign":
        set(s.target.span.offset, "variable.other.readwrite");
        expr(s.value);
        return;
      case "if":
        expr(s.cond);
        s.then.stmts.forEach(stmt);
        s.else?.stmts.forEach(stmt);
        return;
      case "for":
        if (s.key) set(s.key.span.offset, "variable.other.local");
        set(s.value.span.offset, "variable.other.local");
        expr(s.iter);
        s.body.stmts.forEach(stmt);
        return;
      case "while":
        expr(s.cond);
        s.body.stmts.forEach(stmt);
        return;
      case "return":
        if (s.value) expr(s.value);
        return;
      case "fail":
        expr(s.message);
        return;
      case "abort":
        if (s.reason) expr(s.reason);
        return;
      case "write":
        set(s.table.span.offset, "variable.other.table");
        expr(s.key);
        expr(s.value);
        return;
      case "delete":
        set(s.table.span.offset, "variable.other.table");
        expr(s.key);
        return;
      case "txn":
        s.body.stmts.forEach(stmt);
        if (s.reason) set(s.reason.span.offset, "variable.other.local");
        s.else?.stmts.forEach(stmt);
        return;
      case "parallel":
        s.branches.forEach(stmt);
        return;
      case "expr":
        expr(s.expr);
        return;
      default:
        return;
    }
  };
  for (const d of ast.decls) {
    switch (d.kind) {
      case "type":
        set(d.name.span.offset, "entity.name.type");
        type(d.type);
        break;
      case "extern":
        set(d.name.span.offset, "entity.name.function");
        for (const p of d.params) {
          set(p.name.span.offset, "variable.parameter");
          type(p.type);
        }
        if (d.result) type(d.result);
        break;
      case "service":
        set(d.name.span.offset, "entity.name.namespace");
        for (const t of d.tables) {
          set(t.name.span.offset, "variable.other.table");
          type(t.type);
        }
        for (const f of d.fns) {
          set(f.name.span.offset, "entity.name.function");
          for (const p of f.params) {
            set(p.name.span.offset, "variable.parameter");
            type(p.type);
          }
          if (f.result) type(f.result);
          f.body.stmts.forEach(stmt);
        }
        break;
    }
  }
  return roles;
}

/** Every disagreement between the grammar's tokens and the front end's reading of a valid file. */
export function disagreements(grammar: IGrammar, file: string, text: string): string[] {
  const out: string[] = [];
  const tm = tokenize(grammar, text);
  const index = tokenIndex(tm, text.length);
  for (const t of tm) if (t.scopes.some((s) => s.startsWith("invalid"))) out.push(`invalid scope: ${show(t)}`);

  const { tokens, roleOf } = lexAndParse(file, text);
  const inToken = new Uint8Array(text.length);
  for (const lt of tokens) {
    const end = lt.startOffset + lt.image.length;
    inToken.fill(1, lt.startOffset, end);
    const cover = within(tm, index, lt.startOffset, end);
    const where = `${JSON.stringify(lt.image)} at offset ${lt.startOffset}`;
    // the token's edges are the grammar's token edges
    if (cover[0]?.offset !== lt.startOffset || cover.at(-1)!.offset + cover.at(-1)!.text.length !== end)
      out.push(`${where}: the grammar splits it differently: ${cover.map(show).join(", ")}`);
    if (isA(lt, T.StringLit)) {
      if (!cover.every((t) => has(t, "string.quoted.double.beldi"))) out.push(`${where}: not all string: ${cover.map(show).join(", ")}`);
      continue;
    }
    if (cover.length !== 1) {
      if (!isA(lt, T.StringLit)) out.push(`${where}: more than one grammar token: ${cover.map(show).join(", ")}`);
      continue;
    }
    const t = cover[0]!;
    const scope = innermost(t);
    if (isA(lt, T.NumberLit)) {
      if (!scope.startsWith("constant.numeric")) out.push(`${where}: not a number: ${show(t)}`);
    } else if (isA(lt, T.Reserved)) {
      // `null` in a type is a type name (checked below), elsewhere the keyword's own scope
      const expected = RESERVED_SCOPES[lt.image]!;
      if (!scope.startsWith(expected) && !(lt.image === "null" && scope.startsWith("support.type.primitive")))
        out.push(`${where}: expected ${expected}, got ${show(t)}`);
    } else if (CONTEXTUAL_WORDS.includes(lt.image)) {
      // a keyword exactly where the parser consumed it as one (From, Set, Where, In), else a name
      const role = roleOf.get(lt);
      const asKeyword = role !== undefined && role === lt.tokenType.name;
      if (asKeyword !== isKeyword(t)) out.push(`${where}: the parser reads it as ${role}, the grammar as ${show(t)}`);
    } else if (isA(lt, T.Identifier)) {
      if (isKeyword(t)) out.push(`${where}: a name scoped as a keyword: ${show(t)}`);
    } else if (scope.startsWith("comment") || scope.startsWith("string")) {
      out.push(`${where}: punctuation inside ${show(t)}`);
    }
  }
  // outside the lexer's tokens there is only whitespace and comments, and comments are only there
  for (const t of tm) {
    const chars = [...t.text].map((c, i) => ({ c, o: t.offset + i }));
    if (!has(t, "comment") && chars.some(({ c, o }) => !inToken[o] && !/\s/.test(c)))
      out.push(`${show(t)}: outside every lexer token but not a comment`);
    if (has(t, "comment") && chars.some(({ o }) => inToken[o])) out.push(`${show(t)}: a comment over a lexer token`);
  }
  // what the AST says each name is
  const ast = parse({ path: file, text });
  for (const [offset, scope] of astRoles(ast.file)) {
    const t = tm[index[offset]!];
    if (!t || !innermost(t).startsWith(scope)) out.push(`at offset ${offset}: expected ${scope}, got ${t ? show(t) : "nothing"}`);
  }
  return out;
}
