// Unit: the VS Code extension's TextMate grammar (editors/vscode/syntaxes/beldi.tmLanguage.json)
// agrees with the lexer (grammar/lexer.ts), run by VS Code's own engine (vscode-textmate +
// oniguruma). The reserved words, contextual words and builtins are read from the compiler, so
// the two cannot drift; every example is tokenized and checked token by token against the lexer,
// the parser's CST and the AST (grammar-agreement.ts; the test fixtures: vscode-grammar-fixtures);
// then the tricky cases one by one. Also the language configuration (comments, brackets, word
// pattern, indentation) against the lexer.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IToken, TokenType } from "chevrotain";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../grammar/index.js";
import * as T from "../grammar/lexer.js";
import { LineIndex } from "../grammar/position.js";
import { BUILTIN_NAMES } from "../compiler/check/builtins.js";
import { beldiFiles, CONTEXTUAL_WORDS, disagreements, isKeyword, RESERVED_SCOPES, show, has } from "./grammar-agreement.js";
import { beldiGrammar, GRAMMAR_PATH, innermost, tokenize, type TmToken } from "./textmate.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const grammar = await beldiGrammar();
const rawGrammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8"));
const languageConfig = JSON.parse(readFileSync(path.join(root, "editors/vscode/language-configuration.json"), "utf8"));
const EXAMPLES = beldiFiles(path.join(root, "examples"));
const isA = (t: IToken, category: TokenType) => t.tokenType === category || (t.tokenType.CATEGORIES ?? []).includes(category);

// ---- helpers --------------------------------------------------------------------------------

/** Where `needle` occurs in `text`, as a whole word where it starts or ends with a word character. */
function occurrences(text: string, needle: string): number[] {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${/^\w/.test(needle) ? "(?<!\\w)" : ""}${escaped}${/\w$/.test(needle) ? "(?!\\w)" : ""}`, "g");
  return [...text.matchAll(re)].map((m) => m.index);
}

/** The token that holds the `nth` occurrence of `needle` in `text`; it must hold all of it. */
function tokenOf(tokens: TmToken[], text: string, needle: string, nth = 0): TmToken {
  const at = occurrences(text, needle)[nth];
  assert.ok(at !== undefined, `${JSON.stringify(needle)} (#${nth}) is not in the text`);
  const t = tokens.find((x) => x.offset <= at && at < x.offset + x.text.length);
  assert.ok(t, `no token at ${JSON.stringify(needle)}`);
  assert.ok(t.offset + t.text.length >= at + needle.length, `${JSON.stringify(needle)} is split: ${show(t)}`);
  return t;
}

/** Asserts the innermost scope of `needle`'s token (the `nth` occurrence) starts with `scope`. */
function expectScope(text: string, needle: string, scope: string, nth = 0): void {
  const t = tokenOf(tokenize(grammar, text), text, needle, nth);
  assert.ok(innermost(t) === scope || innermost(t).startsWith(scope + "."), `${show(t)}: expected ${scope}\nin: ${text}`);
}

// ---- words: the lexer's lists, the grammar's lists -----------------------------------------

test("reserved words: the grammar's keyword list is exactly the lexer's RESERVED_WORDS", () => {
  const lexerWords = [...T.RESERVED_WORDS].sort();
  assert.equal(Object.keys(RESERVED_SCOPES).sort(), lexerWords, "RESERVED_SCOPES lists every reserved word");
  const grammarWords = (rawGrammar.repository.keywords.patterns as { match: string }[])
    .flatMap((p) => p.match.replace(/\\b|\?:/g, "").match(/[a-z]+/g) ?? [])
    .sort();
  assert.equal(grammarWords, lexerWords);
});

test("reserved words: each is scoped as its keyword where a statement starts, alone, and after an operand", () => {
  for (const word of T.RESERVED_WORDS) {
    const expected = RESERVED_SCOPES[word]!;
    for (const text of [`service s {\n  fn f() {\n    ${word}\n  }\n}`, word, `x = y + ${word}`, `f(a, ${word})`]) {
      // the last occurrence: in the first text, the one inside the fn body
      const at = text.lastIndexOf(word);
      const t = tokenize(grammar, text).find((x) => x.offset === at);
      assert.ok(t && t.text === word, `${word} is one token in ${JSON.stringify(text)}`);
      assert.ok(innermost(t).startsWith(expected) && isKeyword(t), `${show(t)}: expected ${expected}`);
    }
  }
});

test("reserved words: not inside a longer identifier (`reader`, `_if`, `nullable`, `fn2`)", () => {
  for (const word of T.RESERVED_WORDS) {
    for (const name of [`${word}x`, `_${word}`, `${word}2`, `my_${word}_id`]) {
      const text = `x = ${name} + 1`;
      expectScope(text, name, "variable.other.readwrite");
    }
  }
});

test("contextual words: the lexer's are from set where in exists as timeout; each is a keyword in its place and a name elsewhere", () => {
  assert.equal([...CONTEXTUAL_WORDS].sort(), ["as", "exists", "from", "in", "set", "timeout", "where"]);
  // durable waiting (LANGUAGE.md §9): `wait "name" as T [timeout e]`
  expectScope('let p = wait "paid" as Pay', "as", "keyword.other.as");
  expectScope('let p = wait "paid" as Pay', "wait", "keyword.control.wait");
  expectScope('let p = wait "paid" as Pay', "paid", "string.quoted.double");
  expectScope('let p = wait "paid" as Pay timeout 60000', "timeout", "keyword.other.timeout");
  expectScope('let p = wait "paid" as list<Pay>? timeout ms * 2', "timeout", "keyword.other.timeout");
  expectScope('let p = wait "a \\" b" as { n: number } timeout ms', "timeout", "keyword.other.timeout");
  expectScope("let timeout = 1", "timeout", "variable.other.local");
  expectScope("return timeout", "timeout", "variable.other.readwrite");
  expectScope("return timeout(x)", "timeout", "entity.name.function");
  expectScope('let ok = signal(id, "paid", 1)', "signal", "keyword.other.signal");
  expectScope("sleep 1000", "sleep", "keyword.control.wait");
  expectScope("update t[k] as s set n = s.n - n where s.n >= n", "as", "keyword.other.as");
  expectScope("update t[k] as s set n = s.n - n where s.n >= n", "s", "variable.other.local");
  expectScope("update t[k] as s set n = s.n - n where s.n >= n", "set", "keyword.other.set");
  expectScope("update t[k] as as set n = as.n", "as", "variable.other.local", 1);
  expectScope('extern fn f(a: number) -> number from "./f.ts"', "from", "keyword.other.from");
  expectScope("update t[k] set n = n + 1", "set", "keyword.other.set");
  expectScope("update t[k[0]] set n = 1, m = 2 where n > 0", "set", "keyword.other.set");
  expectScope("let ok = update t[k] set n = n - 1 where n > 0", "where", "keyword.other.where");
  expectScope("if update t[k] set n = 0 where !done {", "where", "keyword.other.where");
  expectScope("for x in xs {", "in", "keyword.control.loop.in");
  expectScope("for k, v in m {", "in", "keyword.control.loop.in");
  // as names
  for (const word of CONTEXTUAL_WORDS) {
    expectScope(`let ${word} = 1`, word, "variable.other.local");
    expectScope(`x = ${word} + 1`, word, "variable.other.readwrite");
    expectScope(`x = a.${word}`, word, "variable.other.property");
    expectScope(`f(${word}, 1)`, word, "variable.other.readwrite");
    expectScope(`write t[${word}] = { ${word}: 1 }`, word, "variable.other.readwrite");
    expectScope(`write t[${word}] = { ${word}: 1 }`, word, "variable.other.property", 1);
  }
  // `exists` is reserved for `where` conditions but no syntax uses it yet: a name everywhere
  expectScope("update t[k] set n = 1 where exists", "exists", "variable.other.readwrite");
});

test("builtins: the grammar's list is the checker's BUILTIN_NAMES; a call of one is support.function, of a fn entity.name.function", () => {
  const m = /\\b\(([a-z|]+)\)/.exec(rawGrammar.repository["builtin-call"].match);
  assert.ok(m, "builtin-call lists names");
  assert.equal(m[1]!.split("|").sort(), [...BUILTIN_NAMES].sort());
  for (const name of BUILTIN_NAMES) expectScope(`x = ${name}(a)`, name, "support.function.builtin");
  expectScope("x = helper(a)", "helper", "entity.name.function");
  expectScope("x = len + 1", "len", "variable.other.readwrite");
});
// ---- every example, checked against the front end ------------------------------------------

test("examples: every token agrees with the lexer, the parser and the AST; no invalid scopes", () => {
  assert.ok(EXAMPLES.length >= 4, `found ${EXAMPLES.length} examples`);
  for (const file of EXAMPLES) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(root, file);
    assert.equal(parse({ path: rel, text }).diagnostics, [], `${rel} is a valid program`);
    assert.equal(disagreements(grammar, rel, text), [], rel);
  }
});

test("examples: the scopes a reader sees (keywords, strings, comments, numbers, types, fn names) on travel.beldi", () => {
  const text = readFileSync(path.join(root, "examples/travel/travel.beldi"), "utf8");
  const tokens = tokenize(grammar, text);
  // [a fragment of the file, a piece of it, the scope that piece has]
  for (const [fragment, piece, scope] of [
    ["// The travel app", "The travel app", "comment.line.double-slash"],
    ["type Hotel ", "type", "storage.type.type"],
    ["type Hotel ", "Hotel", "entity.name.type"],
    ["{ name: string", "name", "variable.other.property"],
    ["{ name: string", "string", "support.type.primitive"],
    ["hotels: list<Place>", "list", "support.type.builtin"],
    ["hotels: list<Place>", "Place", "entity.name.type"],
    ["extern fn nearest(", "extern", "storage.type.extern"],
    ["extern fn nearest(", "nearest", "entity.name.function"],
    ['from "./geo.ts"', "from", "keyword.other.from"],
    ['from "./geo.ts"', "./geo.ts", "string.quoted.double"],
    ["service hotel {", "service", "storage.type.service"],
    ["service hotel {", "hotel", "entity.name.namespace"],
    ["table hotels: Hotel", "hotels", "variable.other.table"],
    ["fn reserve(id: string) -> bool", "reserve", "entity.name.function"],
    ["fn reserve(id: string) -> bool", "id", "variable.parameter"],
    ["fn reserve(id: string) -> bool", "bool", "support.type.primitive"],
    ["let h = read hotels[id]", "read", "keyword.other.read"],
    ["if h == null || h.cap <= 0", "null", "constant.language.null"],
    ["if h == null || h.cap <= 0", "0", "constant.numeric.decimal"],
    ["update hotels[id] set cap = cap - 1", "set", "keyword.other.set"],
    ["where cap > 0", "where", "keyword.other.where"],
    ["if !call hotel.reserve(hotel) { abort }", "call", "keyword.other.call"],
    ["if !call hotel.reserve(hotel) { abort }", "reserve", "entity.name.function"],
    ["if !call hotel.reserve(hotel) { abort }", "abort", "keyword.control.transaction"],
    ["    txn {", "txn", "keyword.control.transaction"],
    ["spawn order.place", "spawn", "keyword.other.spawn"],
    ["return nearest(c.hotels, lat, lon, 5, 10)", "10", "constant.numeric.decimal"],
    ['if require == "dis"', "dis", "string.quoted.double"],
  ] as const) {
    const at = text.indexOf(fragment);
    assert.ok(at >= 0, fragment);
    const offset = at + fragment.indexOf(piece);
    const t = tokens.find((x) => x.offset <= offset && offset < x.offset + x.text.length)!;
    assert.ok(t.offset + t.text.length >= offset + piece.length && innermost(t).startsWith(scope), `${piece} in ${fragment}: ${show(t)}`);
  }
});

// ---- tricky cases ---------------------------------------------------------------------------

test("a keyword inside a string or a comment is not a keyword", () => {
  const text = [
    'let s = "read the txn if null // not a comment /* nor this"',
    '// call spawn txn 12 "not a string"',
    "/* fail",
    "   update t[k] set n = 1 where n > 0 */ return 1",
  ].join("\n");
  const tokens = tokenize(grammar, text);
  const line0 = tokens.filter((t) => t.line === 0 && t.offset >= text.indexOf('"'));
  assert.ok(
    line0.every((t) => has(t, "string.quoted.double.beldi")),
    line0.map(show).join("\n"),
  );
  assert.ok(
    tokens.filter((t) => t.line === 1).every((t) => has(t, "comment.line.double-slash.beldi")),
    "the whole line is the comment",
  );
  for (const t of tokens.filter((x) => x.line === 2 || (x.line === 3 && x.offset < text.indexOf("*/") + 2)))
    assert.ok(has(t, "comment.block.beldi"), show(t));
  // after the block comment's end, code again
  expectScope(text, "return", "keyword.control.flow");
  assert.equal(innermost(tokens.at(-1)!), "constant.numeric.decimal.beldi");
});

test("block comments do not nest, and one left open runs to the end of the file", () => {
  const text = "/* a /* b */ let x = 1 */\nlet y = 2 /* open\nfn f() {}\n";
  expectScope(text, "let", "storage.type.let");
  const tokens = tokenize(grammar, text);
  // the second `*/` is code: `*` and `/`
  const star = tokens.find((t) => t.offset === text.indexOf("*/", text.indexOf("= 1")));
  assert.equal(star && innermost(star), "keyword.operator.arithmetic.beldi");
  for (const t of tokens.filter((x) => x.offset >= text.indexOf("/* open"))) assert.ok(has(t, "comment.block"), show(t));
});

test("strings: escapes, invalid escapes, and a string left open ends at its line", () => {
  const good = String.raw`let s = "a\"b\\c\n\t\u{1F600}\u{10FFFF}\u{0}"`;
  for (const e of [
    String.raw`\"`,
    String.raw`\\`,
    String.raw`\n`,
    String.raw`\t`,
    String.raw`\u{1F600}`,
    String.raw`\u{10FFFF}`,
    String.raw`\u{0}`,
  ])
    expectScope(good, e, "constant.character.escape");
  const tokens = tokenize(grammar, good);
  assert.equal(innermost(tokens.at(-1)!), "punctuation.definition.string.end.beldi", "the last quote closes it");
  // what the lexer reports as E0004
  for (const bad of [
    String.raw`\q`,
    String.raw`\r`,
    String.raw`\u{D800}`,
    String.raw`\u{110000}`,
    String.raw`\u{}`,
    String.raw`\u1F600`,
    String.raw`\u{12345678}`,
  ]) {
    const text = `let s = "x${bad}y"`;
    const t = tokenize(grammar, text).find((x) => x.offset === text.indexOf("\\"));
    assert.ok(t && innermost(t) === "invalid.illegal.escape.beldi", `${bad}: ${t && show(t)}`);
    const lexed = T.lex(new LineIndex("t", text));
    assert.ok(
      lexed.diagnostics.some((d) => d.code === "E0004"),
      `the lexer also refuses ${bad}`,
    );
  }
  // unclosed: the next line is code again (as for the lexer: E0003, one line)
  const open = 'fail "no end\nreturn "x\\"\nlet y = 1';
  expectScope(open, "no end", "string.quoted.double");
  expectScope(open, "return", "keyword.control.flow");
  expectScope(open, "let", "storage.type.let");
  expectScope(open, "1", "constant.numeric.decimal");
});

test("numbers: the lexer's forms; letters running into a number make it invalid", () => {
  for (const n of ["0", "12", "1.5", "1e3", "2.5e-4", "7E+2"]) expectScope(`x = ${n} + y`, n, "constant.numeric.decimal");
  for (const n of ["12abc", "0x1F", "1e", "3_000"]) {
    expectScope(`x = ${n}`, n, "invalid.illegal.number");
    assert.ok(
      T.lex(new LineIndex("t", `x = ${n}`)).diagnostics.some((d) => d.code === "E0017"),
      `the lexer also refuses ${n}`,
    );
  }
  expectScope("x = a1 + _2", "a1", "variable.other.readwrite");
  expectScope("x = xs[0].n", "0", "constant.numeric.decimal");
});

test("types: nested records and type arguments, optional fields, over several lines, then code again", () => {
  const text = [
    "type A = { b: { c: string, d?: list<{ e: number? }> }, f: map<B>,",
    "  g: any, h: null }",
    "service s {",
    "  table t: { k: list<string> }",
    "  fn f(p: { q: bool }, r: list<A?>) -> { out: number } {",
    "    let x: map<list<number>> = {}",
    "    return { out: 1 }",
    "  }",
    "  fn g() -> { let y = 1 }",
    "  fn h() -> {} { return {} }",
    "}",
  ].join("\n");
  for (const [needle, scope, nth] of [
    ["b", "variable.other.property", 0],
    ["c", "variable.other.property", 0],
    ["string", "support.type.primitive", 0],
    ["d", "variable.other.property", 0],
    ["?", "keyword.operator.optional", 0],
    ["list", "support.type.builtin", 0],
    ["e", "variable.other.property", 0],
    ["number", "support.type.primitive", 0],
    ["map", "support.type.builtin", 0],
    ["B", "entity.name.type", 0],
    ["g", "variable.other.property", 0],
    ["any", "support.type.primitive", 0],
    ["null", "support.type.primitive", 0],
    ["service", "storage.type.service", 0],
    ["table", "storage.type.table", 0],
    ["k", "variable.other.property", 0],
    ["p", "variable.parameter", 0],
    ["q", "variable.other.property", 0],
    ["bool", "support.type.primitive", 0],
    ["r", "variable.parameter", 0],
    ["A", "entity.name.type", 1],
    ["out", "variable.other.property", 0],
    ["let", "storage.type.let", 0],
    ["x", "variable.other.local", 0],
    ["number", "support.type.primitive", 2],
    ["return", "keyword.control.flow", 0],
    ["out", "variable.other.property", 1],
    // `-> {` then a statement: the body, not a record type (as the parser's bodyAhead decides)
    ["let", "storage.type.let", 1],
    ["y", "variable.other.local", 0],
    ["return", "keyword.control.flow", 1],
  ] as const) {
    const t = tokenOf(tokenize(grammar, text), text, needle, nth);
    assert.ok(innermost(t).startsWith(scope), `${needle} (#${nth}): ${show(t)}, expected ${scope}`);
  }
});

test("extern: the result type ends at `from`, and the path is a string", () => {
  const text = 'extern fn near(ps: list<P>, k: number) -> list<string> from "./geo.ts"\nservice s {}';
  expectScope(text, "near", "entity.name.function");
  expectScope(text, "ps", "variable.parameter");
  expectScope(text, "P", "entity.name.type");
  expectScope(text, "string", "support.type.primitive");
  expectScope(text, "from", "keyword.other.from");
  expectScope(text, "./geo.ts", "string.quoted.double");
  expectScope(text, "service", "storage.type.service");
});

test("braces nest in expressions: records in lists in calls, and blocks after them", () => {
  const text = "write t[k] = { a: [{ b: f({ c: 1 }) }], d }\nif x { parallel { let y = call s.g({ z: [1, 2] }) } }";
  expectScope(text, "a", "variable.other.property");
  expectScope(text, "b", "variable.other.property");
  expectScope(text, "f", "entity.name.function");
  expectScope(text, "c", "variable.other.property");
  expectScope(text, "d", "variable.other.readwrite");
  expectScope(text, "parallel", "keyword.control.parallel");
  expectScope(text, "s", "entity.name.namespace");
  expectScope(text, "g", "entity.name.function");
  expectScope(text, "z", "variable.other.property");
  expectScope(text, "2", "constant.numeric.decimal");
});

test("operators: each of the lexer's, as one token", () => {
  const ops: [string, string][] = [
    ["&&", "keyword.operator.logical"],
    ["||", "keyword.operator.logical"],
    ["??", "keyword.operator.coalesce"],
    ["==", "keyword.operator.comparison"],
    ["!=", "keyword.operator.comparison"],
    ["<=", "keyword.operator.comparison"],
    [">=", "keyword.operator.comparison"],
    ["<", "keyword.operator.comparison"],
    [">", "keyword.operator.comparison"],
    ["+", "keyword.operator.arithmetic"],
    ["-", "keyword.operator.arithmetic"],
    ["*", "keyword.operator.arithmetic"],
    ["/", "keyword.operator.arithmetic"],
    ["%", "keyword.operator.arithmetic"],
  ];
  for (const [op, scope] of ops) expectScope(`x = a ${op} b`, op, scope);
  expectScope("x = !a", "!", "keyword.operator.logical");
  expectScope("fn f() -> number {}", "->", "keyword.operator.arrow");
  // `?.` (LANGUAGE.md §9) is one token, and the name after it a property
  expectScope("x = a?.b ?? 0", "?.", "punctuation.accessor");
  expectScope("x = a?.b ?? 0", "b", "variable.other.property");
  expectScope("x = (read t[k])?.total", "total", "variable.other.property");
});

test("abort reasons: `else (r)` declares a local; `abort e` is the keyword and an expression", () => {
  const text = 'txn { abort "no: " + why } else (r) { return r }';
  expectScope(text, "abort", "keyword.control.transaction");
  expectScope(text, "why", "variable.other.readwrite");
  expectScope(text, "else", "keyword.control.conditional");
  expectScope(text, "r", "variable.other.local");
  expectScope(text, "r", "variable.other.readwrite", 1);
  assert.equal(
    disagreements(grammar, "reasons.beldi", `service s {\n  fn f(why: string) -> string {\n    ${text}\n    return ""\n  }\n}`),
    [],
  );
});

test("what the lexer refuses is invalid: stray characters, U+2028 even in strings and comments", () => {
  for (const [text, bad] of [
    ["x = a & b", "&"],
    ["x = a | b", "|"],
    ["x = 'a'", "'"],
    ["# comment", "#"],
    ["x = café", "é"],
    ["x = a @ b", "@"],
    ["x = `a`", "`"],
  ] as const) {
    expectScope(text, bad, "invalid.illegal.character");
    assert.ok(
      T.lex(new LineIndex("t", text)).diagnostics.some((d) => d.code === "E0006"),
      `the lexer also refuses ${bad}`,
    );
  }
  for (const text of ['let s = "a\u2028b"', "// a\u2029b", "x = a \u2028 b"]) {
    const t = tokenize(grammar, text).find((x) => x.text.includes("\u2028") || x.text.includes("\u2029"));
    assert.ok(t && innermost(t) === "invalid.illegal.line-separator.beldi", t ? show(t) : "no token");
  }
});

// ---- the language configuration -------------------------------------------------------------

test("language configuration: comments and brackets are the lexer's", () => {
  assert.equal(languageConfig.comments.lineComment, "//");
  assert.ok(T.LineComment.PATTERN instanceof RegExp && T.LineComment.PATTERN.test("// x"));
  const [open, close] = languageConfig.comments.blockComment;
  assert.ok(new RegExp(`^${(T.BlockComment.PATTERN as RegExp).source}$`).test(`${open} x ${close}`));
  const lexerBrackets = [T.LCurly, T.RCurly, T.LBracket, T.RBracket, T.LParen, T.RParen].map((t) => t.PATTERN);
  assert.equal(languageConfig.brackets.flat(), lexerBrackets);
  const auto = languageConfig.autoClosingPairs.map((p: { open: string; close: string }) => p.open + p.close);
  for (const pair of ["{}", "[]", "()", '""']) assert.ok(auto.includes(pair), pair);
  assert.ok(
    languageConfig.autoClosingPairs.some((p: { open: string; notIn?: string[] }) => p.open === '"' && p.notIn?.includes("string")),
    "no quote pair inside a string",
  );
});

test("language configuration: the word pattern is the lexer's identifier, whole; numbers too", () => {
  const word = new RegExp(languageConfig.wordPattern, "g");
  for (const file of EXAMPLES) {
    const text = readFileSync(file, "utf8");
    for (const t of T.lex(new LineIndex(file, text)).tokens) {
      if (!isA(t, T.NameLike) && !isA(t, T.NumberLit)) continue;
      word.lastIndex = 0;
      assert.equal(word.exec(t.image)?.[0], t.image, `${t.image} is one word`);
    }
  }
  word.lastIndex = 0;
  assert.equal("hotels.cap".match(word), ["hotels", "cap"]);
});

test("language configuration: indentation rises after an open bracket, not in a comment, and falls at a closing one", () => {
  const rise = new RegExp(languageConfig.indentationRules.increaseIndentPattern);
  const fall = new RegExp(languageConfig.indentationRules.decreaseIndentPattern);
  for (const line of ["service s {", "  fn f(a: number) -> number {", "    parallel {", "  let xs = [", "  f(", "  } else {"])
    assert.ok(rise.test(line), line);
  for (const line of ["  let x = { a: 1 }", "// see {", "  f(a)", '  let s = "{"']) assert.not.ok(rise.test(line), line);
  for (const line of ["}", "  } else {", "  ]", ")"]) assert.ok(fall.test(line), line);
  assert.not.ok(fall.test("  let x = 1"));
  const start = new RegExp(languageConfig.folding.markers.start);
  const end = new RegExp(languageConfig.folding.markers.end);
  assert.ok(start.test("  // region helpers") && end.test("  // endregion"));
  assert.not.ok(start.test("let region = 1"));
});

test.run();
