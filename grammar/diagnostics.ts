// Catalog of syntax diagnostics (codes E0001-E0099). The checker's codes live in
// compiler/diagnostics.ts, which re-exports these: together they are the one catalog, and
// docs/errors.md documents every entry. A code is never reused for another meaning.
import type { Diagnostic, Span } from "./span.js";

export interface DiagnosticEntry {
  code: string;
  severity: "error" | "warning";
  /** a short name, e.g. "unexpected token" */
  title: string;
  /** what it means, for docs/errors.md */
  explain: string;
  /** a small program that triggers it, for docs/errors.md */
  example: string;
  /** how to fix it, in general */
  fix: string;
}

/** Makes a diagnostic of a catalog entry at a span. `hint` defaults to the entry's fix. */
export function diagnostic(entry: DiagnosticEntry, span: Span, message: string, hint?: string): Diagnostic {
  return { code: entry.code, severity: entry.severity, message, span, hint: hint ?? entry.fix };
}

export const SYNTAX = {
  E0001: {
    code: "E0001",
    severity: "error",
    title: "unexpected token",
    explain:
      "The parser found a word or symbol where the grammar does not allow it. The message says what " +
      "was expected at that point and what was found instead: for example a missing `=` in a `let`, a " +
      "missing or doubled `,` between arguments or fields, a `->` missing before a result type, a `=` where " +
      "a condition's `==` was meant, a stray token between statements, or a `{ }` block standing alone.",
    example: "service s {\n  fn f() {\n    let x 1\n  }\n}\n",
    fix:
      "Write what the message says is expected there. Look at the code just before the marked token too: " +
      "the real mistake is often a missing word or symbol right before it.",
  },
  E0002: {
    code: "E0002",
    severity: "error",
    title: "missing closing bracket",
    explain:
      "A `(`, `[`, `{` or `<` was opened and the parser reached a token that cannot continue what is " +
      "inside it, so the closing bracket is missing (or a `,` between two items is).",
    example: "service s {\n  fn f() {\n    g(1, 2\n  }\n}\n",
    fix: "Add the missing closing bracket, or a `,` if another item was meant to follow.",
  },
  E0003: {
    code: "E0003",
    severity: "error",
    title: "unterminated string",
    explain: 'A string literal must end with `"` on the same line it starts on.',
    example: 'service s {\n  fn f() -> string {\n    return "hello\n  }\n}\n',
    fix: 'Close the string with `"` on the same line; to put a line break inside a string, write `\\n`.',
  },
  E0004: {
    code: "E0004",
    severity: "error",
    title: "invalid escape sequence",
    explain:
      "Inside a string a backslash starts an escape. The valid escapes are `\\n` (line break), `\\t` (tab), " +
      '`\\"` (quote), `\\\\` (backslash) and `\\u{...}` (a Unicode code point, 1 to 6 hex digits).',
    example: 'service s {\n  fn f() -> string {\n    return "C:\\files"\n  }\n}\n',
    fix: 'Use one of `\\n`, `\\t`, `\\"`, `\\\\`, `\\u{1F600}`; write `\\\\` for a backslash.',
  },
  E0005: {
    code: "E0005",
    severity: "error",
    title: "unterminated block comment",
    explain: "A `/*` comment runs to the end of the file because it has no closing `*/`. Block comments do not nest.",
    example: "/* a comment that never ends\nservice s {\n}\n",
    fix: "Close the comment with `*/` (or use `//` comments, which end at the end of the line).",
  },
  E0006: {
    code: "E0006",
    severity: "error",
    title: "invalid character",
    explain:
      "Outside strings and comments a program may contain only letters, digits, `_`, whitespace and the " +
      "operators and punctuation of the language. The character is ignored and reading continues.",
    example: "service s {\n  fn f() -> number {\n    return 1 # 2\n  }\n}\n",
    fix: "Remove the character (or put it inside a string or a comment).",
  },
  E0007: {
    code: "E0007",
    severity: "error",
    title: "chained comparison",
    explain:
      "Comparisons do not chain: `a < b < c` would compare the bool `a < b` with `c`, and `a == b == c` " +
      "the bool `a == b` with `c`. The language rejects both instead of guessing.",
    example: "service s {\n  fn f(x: number) -> bool {\n    return 0 < x < 10\n  }\n}\n",
    fix: "Combine two comparisons with `&&`: `0 < x && x < 10`; or add parentheses if you really mean to compare a bool.",
  },
  E0008: {
    code: "E0008",
    severity: "error",
    title: "`update` in the wrong position",
    explain:
      "`update T[k] set ... [where c]` may only stand as a statement, as the right-hand side of " +
      "`let`/`var`/`=`, as a `return` value, or as an `if`/`while` condition. It cannot be an operand, " +
      "an argument, an index or a field value.",
    example:
      "type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) -> bool {\n    return !update cs[k] set n = n + 1 where n < 10\n  }\n}\n",
    fix: "Give the update its own `let`: `let ok = update T[k] set ... where ...`, then use `ok`.",
  },
  E0009: {
    code: "E0009",
    severity: "error",
    title: "record literal in a header",
    explain:
      "In the header of an `if`, `while` or `for`, a `{` opens the body, so a record literal may not " + "stand there without parentheses.",
    example: "service s {\n  fn f(r: { a: number }) -> bool {\n    if r == { a: 1 } { return true }\n    return false\n  }\n}\n",
    fix: "Wrap the record in parentheses: `if r == ({ a: 1 }) { ... }`.",
  },
  E0010: {
    code: "E0010",
    severity: "error",
    title: "reserved word used as a name",
    explain:
      "Reserved words (`type service table fn extern let var if else for while break continue return fail " +
      "read write update delete txn abort parallel call spawn scan true false null`) cannot name a local, " +
      "parameter, field, table, fn, service or type.",
    example: "service s {\n  fn f() -> number {\n    let read = 1\n    return read\n  }\n}\n",
    fix: "Choose another name.",
  },
  E0011: {
    code: "E0011",
    severity: "error",
    title: "nesting too deep",
    explain:
      "Brackets, blocks, types or `update`s are nested more than 200 levels deep, or a fn's body nests more " +
      "than 200 levels deep: a statement of the body is at level 1, and each operator of a chain like " +
      "`a + b + c`, each prefix operator, `.f`/`[i]`/`(args)` suffix, bracket, block and `else if` adds a level " +
      "(so a `return` holds a chain of at most 199 terms, 198 `+`s). A written type may nest records, " +
      "lists and maps at most 24 levels deep: the store holds no deeper value. The parser also stops reading a " +
      "chain of more than 1000 operators, suffixes or `else if`s. What lies beyond the limit is skipped, so that " +
      "neither the compiler nor the TypeScript it generates can run out of stack.",
    example: "service s {\n  fn f() -> number {\n    return ((((((((((/* ... 200 more ... */ 1))))))))))\n  }\n}\n",
    fix: "Split the expression or block into smaller pieces with `let`s or helper fns; flatten a type that nests too deep.",
  },
  E0012: {
    code: "E0012",
    severity: "error",
    title: "expected an expression",
    explain:
      "A value was expected here (a literal, a name, a call, `read`, `scan`, `call`, `spawn`, a list, " +
      "a record, `( ... )`, or an operator applied to one), but the parser found something else.",
    example: "service s {\n  fn f() -> number {\n    let x = 1 +\n    return x\n  }\n}\n",
    fix: "Write the missing value, or remove the operator or keyword that asks for it.",
  },
  E0013: {
    code: "E0013",
    severity: "error",
    title: "invalid assignment target",
    explain:
      "Only a local variable declared with `var` can be assigned (`x = e`). Fields, list elements and " +
      "table entries cannot be assigned with `=`.",
    example: "service s {\n  fn f(r: { a: number }) {\n    r.a = 2\n  }\n}\n",
    fix:
      "To store into a table use `write T[k] = e` or `update T[k] set f = e`; to change a local record or list, " +
      "build a new value and assign it to a `var`. To compare, use `==`.",
  },
  E0014: {
    code: "E0014",
    severity: "error",
    title: "type made optional twice",
    explain: "`T?` already means `T | null`; a second `?` (`T??`) means nothing more and is rejected.",
    example: "type T = { a: number?? }\n",
    fix: "Write a single `?`.",
  },
  E0015: {
    code: "E0015",
    severity: "error",
    title: "expected a declaration",
    explain:
      "At the top level of a file only `type`, `extern` and `service` declarations may stand; inside a " +
      "`service { }` only `table` and `fn` declarations. Statements belong inside a `fn` body.",
    example: "fn main() {\n  return 1\n}\n",
    fix:
      "Put fns and tables inside `service name { ... }`, and statements inside a fn's body; check for a `}` " +
      "that closes a block too early.",
  },
  E0016: {
    code: "E0016",
    severity: "error",
    title: "malformed type",
    explain:
      "`list` and `map` take exactly one type argument (`list<T>`, `map<T>`; a map's keys are always " +
      "strings), and no other type takes one.",
    example: "type Prices = map<string, number>\n",
    fix: "Write `list<T>` or `map<T>`; for a map, give only the value type.",
  },
  E0017: {
    code: "E0017",
    severity: "error",
    title: "invalid number",
    explain:
      "Numbers are decimal: digits, an optional fraction (`1.5`) and an optional exponent (`1e3`, `2.5E-4`). " +
      "A number may not run into letters (`12px`, `0x1F`), and must be finite (at most about `1.8e308`).",
    example: "service s {\n  fn f() -> number {\n    return 12px\n  }\n}\n",
    fix: "Write a plain decimal number such as `12`, `1.5` or `1e3`; names cannot start with a digit.",
  },
  E0018: {
    code: "E0018",
    severity: "error",
    title: "line or paragraph separator",
    explain:
      "The characters U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are not allowed anywhere in a program, " +
      "not even in a comment or a string: JavaScript ends a line there and many editors do not, so a program could " +
      "read differently from how it looks (the rest of a comment's line becoming code). Line and column numbers " +
      "do not count them as line breaks.",
    example: "service s {\n  fn f() -> number {\n    return 1 // the answer\u2029 return 42\n  }\n}\n",
    fix: "Remove the character, or use a real line break; inside a string, write `\\u{2028}` or `\\u{2029}`.",
  },
  E0019: {
    code: "E0019",
    severity: "error",
    title: "invalid signal name in `wait`",
    explain:
      "The signal a `wait` waits for is named by a string literal written in the `wait` itself " +
      '(`wait "paid" as Payment`), so that every execution of the instance waits for the same name: not a ' +
      "local, not a computed string. A signal's name has 1 to 200 characters (the runtime keeps it in the " +
      "instance's record).",
    example: "service s {\n  fn f(name: string) -> number? {\n    return wait name as number\n  }\n}\n",
    fix: 'Write the name in double quotes: `wait "paid" as T`; a name has 1 to 200 characters.',
  },
  E0099: {
    code: "E0099",
    severity: "error",
    title: "internal parser error",
    explain:
      "The parser failed in an unexpected way. This is a bug in the compiler, not in your program; the " +
      "other diagnostics of the file may be incomplete.",
    example: "(no known program triggers it)",
    fix: "Please report it together with the file that caused it.",
  },
} satisfies Record<string, DiagnosticEntry>;
