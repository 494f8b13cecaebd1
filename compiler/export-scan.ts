// The value names a TypeScript/JavaScript module exports, read from its top-level `export`
// statements by a small tokenizer instead of TypeScript's parser (which takes a second to load,
// more than all the rest of `beldi check`). It answers only when it is sure; on anything it does
// not fully follow (a destructuring export, several declarators, JSX, a regex it may misread...)
// it says so and externs.ts asks TypeScript. test/export-scan.test.ts compares the two.

export type ExportScan =
  /** the module's exported value names */
  | { kind: "names"; names: Set<string> }
  /** `export * from "..."`: what it brings is in another module */
  | { kind: "reexportsAll" }
  /** the scanner cannot tell for sure; ask a real parser */
  | { kind: "unsure"; why: string };

type Token =
  | { kind: "name"; text: string; depth: number; newlineBefore: boolean }
  /** `afterControl`: a `)` closing the condition of `if`, `while`, `for` or `with` */
  | { kind: "punct"; text: string; depth: number; newlineBefore: boolean; afterControl?: boolean }
  | { kind: "other"; depth: number; newlineBefore: boolean };

/** Words before a `(` whose `)` ends a condition: a `/` after it starts a regular expression. */
const CONTROL = new Set(["if", "while", "for", "with"]);

/** Words that start a statement on a new line: a declaration's initializer has ended before them. */
const STATEMENT_WORDS = new Set(["const", "let", "var", "export", "import", "interface", "enum"]);

/** Words after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const isNameStart = (c: string) => /[A-Za-z_$#]/.test(c) || c > "\x7f";
const isNamePart = (c: string) => /[A-Za-z0-9_$]/.test(c) || c > "\x7f";

class Unsure extends Error {}

const isDot = (t: Token | undefined) => t?.kind === "punct" && (t.text === "." || t.text === "?.");

/**
 * The tokens of a module with their bracket depth; strings, templates, comments, regular
 * expressions and numbers collapse to `other`. Throws Unsure where it cannot follow.
 */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // what each open bracket is: ( [ { or "${" (a template's substitution); "if(" for a condition
  const open: string[] = [];
  let i = 0;
  let newline = true;
  const push = (t: Token) => {
    out.push(t);
    newline = false;
  };
  const depth = () => open.length;
  // after a value (name, number, string, closing bracket) a slash divides; elsewhere it starts a regex
  const slashDivides = () => {
    const last = out.at(-1);
    if (!last) return false;
    if (last.kind === "other") return true;
    if (last.kind === "name") return !REGEX_AFTER_WORD.has(last.text);
    // `(a + b) / 2` divides, `if (x) /re/` does not; `}` ends a block (or `${`, handled apart)
    if (last.text === ")") return !last.afterControl;
    return last.text === "]";
  };
  const skipString = (quote: string) => {
    i++;
    while (i < text.length && text[i] !== quote) {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") throw new Unsure("a line break inside a string");
      i++;
    }
    if (i >= text.length) throw new Unsure("an unterminated string");
    i++;
  };
  // from after "`" or "}" of a substitution: to the closing "`" (pops nothing), or into "${"
  const skipTemplate = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && text[i + 1] === "{") {
        i += 2;
        open.push("${");
        return;
      } else i++;
    }
    throw new Unsure("an unterminated template literal");
  };
  const skipRegex = () => {
    i++;
    let inClass = false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "\n") throw new Unsure("a line break inside a regular expression");
      if (c === "\\") i++;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
      i++;
    }
    if (i >= text.length) throw new Unsure("an unterminated regular expression");
    i++;
    while (i < text.length && isNamePart(text[i]!)) i++; // flags
  };
  if (text.startsWith("#!")) while (i < text.length && text[i] !== "\n") i++;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      newline = true;
      i++;
    } else if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\ufeff") i++;
    else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new Unsure("an unterminated comment");
      if (text.slice(i, end).includes("\n")) newline = true;
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const nl = newline;
      skipString(c);
      out.push({ kind: "other", depth: depth(), newlineBefore: nl });
      newline = false;
    } else if (c === "`") {
      push({ kind: "other", depth: depth(), newlineBefore: newline });
      i++;
      skipTemplate();
    } else if (c === "/") {
      if (slashDivides()) {
        push({ kind: "punct", text: "/", depth: depth(), newlineBefore: newline });
        i++;
      } else {
        push({ kind: "other", depth: depth(), newlineBefore: newline });
        skipRegex();
      }
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      push({ kind: "other", depth: depth(), newlineBefore: newline });
      i++;
      while (i < text.length && (/[0-9A-Za-z_.]/.test(text[i]!) || (/[eE]/.test(text[i - 1]!) && /[+-]/.test(text[i]!)))) i++;
    } else if (isNameStart(c)) {
      const start = i++;
      while (i < text.length && isNamePart(text[i]!)) i++;
      push({ kind: "name", text: text.slice(start, i), depth: depth(), newlineBefore: newline });
    } else if (c === "\\") {
      throw new Unsure("a unicode escape outside a string");
    } else if (c === "(" || c === "[" || c === "{") {
      const last = out.at(-1);
      const control = c === "(" && last?.kind === "name" && CONTROL.has(last.text) && !isDot(out.at(-2));
      push({ kind: "punct", text: c, depth: depth(), newlineBefore: newline });
      open.push(control ? "if(" : c);
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      const was = open.pop();
      if (was === "${" && c === "}") {
        i++;
        skipTemplate(); // the template goes on; it is one `other` token already
        continue;
      }
      if ((was === "if(" ? "(" : was) !== { ")": "(", "]": "[", "}": "{" }[c]) throw new Unsure(`an unmatched \`${c}\``);
      push({ kind: "punct", text: c, depth: depth(), newlineBefore: newline, afterControl: was === "if(" });
      i++;
    } else {
      // an operator: `=>` and `...` matter below (`=` in `export =`, `*` in `export *`), the rest is one char each
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const op = three === "..." ? three : two === "=>" || two === "?." ? two : c;
      push({ kind: "punct", text: op, depth: depth(), newlineBefore: newline });
      i += op.length;
    }
  }
  if (open.length) throw new Unsure("unclosed brackets at the end");
  return out;
}

/** Reads the exports of a module's text. `file` is only looked at for its extension (JSX is not followed). */
export function scanExports(file: string, text: string): ExportScan {
  if (/x$/.test(file)) return { kind: "unsure", why: "JSX is not followed" };
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (e) {
    if (e instanceof Unsure) return { kind: "unsure", why: e.message };
    throw e;
  }
  const names = new Set<string>();
  let reexportsAll = false;
  const nameOf = (t: Token | undefined): string | undefined => (t?.kind === "name" ? t.text : undefined);
  const isName = (t: Token | undefined, text?: string): boolean => t?.kind === "name" && (text === undefined || t.text === text);
  const isPunct = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    // `export` is a reserved word: at the top level it is an export unless it is a property name
    if (!isName(t, "export") || t.depth !== 0) continue;
    if (isDot(tokens[k - 1])) continue;
    let j = k + 1;
    const at = (n = 0) => tokens[j + n];
    if (isName(at(), "default")) {
      continue; // a default export has no name an extern could import
    }
    if (isName(at(), "declare")) return { kind: "unsure", why: "`export declare`" };
    if (isName(at(), "async")) j++;
    if (isName(at(), "abstract")) j++;
    const word = at();
    if (isName(word, "function")) {
      j++;
      if (isPunct(at(), "*")) j++;
      const name = nameOf(at());
      if (name === undefined) return { kind: "unsure", why: "an exported function without a name" };
      names.add(name);
    } else if (isName(word, "class") || isName(word, "enum")) {
      const name = nameOf(at(1));
      if (name === undefined) return { kind: "unsure", why: `an exported ${nameOf(word)} without a name` };
      names.add(name);
    } else if (isName(word, "const") && isName(at(1), "enum")) {
      const name = nameOf(at(2));
      if (name === undefined) return { kind: "unsure", why: "an exported enum without a name" };
      names.add(name);
    } else if (isName(word, "const") || isName(word, "let") || isName(word, "var")) {
      const declared = declarator(tokens, j + 1);
      if (declared.kind === "unsure") return declared;
      for (const n of declared.names) names.add(n);
    } else if (isName(word, "interface") || isName(word, "namespace") || isName(word, "module") || isName(word, "import")) {
      // types, namespaces (not looked into) and `export import a = b`: no value an extern takes
    } else if (isName(word, "type")) {
      // `export type X = ...`, `export type { ... }`, `export type * from`: types only
    } else if (isPunct(word, "=") || (isName(word, "as") && isName(at(1), "namespace"))) {
      // `export = x` and `export as namespace X`: not ES exports
    } else if (isPunct(word, "*")) {
      if (isName(at(1), "as")) {
        const name = nameOf(at(2));
        if (name === undefined) return { kind: "unsure", why: "`export * as` a string name" };
        names.add(name);
      } else reexportsAll = true;
    } else if (isPunct(word, "{")) {
      j++;
      let spec: Token[] = [];
      const take = (): string | null | undefined => {
        // [a] | [a, as, b] | [type, a] | [type, a, as, b]; undefined: not followed
        const w = spec.map(nameOf);
        if (w.some((x) => x === undefined)) return undefined;
        if (w.length === 1) return w[0];
        if (w.length === 2 && w[0] === "type") return null;
        if (w.length === 3 && w[1] === "as") return w[2];
        if (w.length === 4 && w[0] === "type" && w[2] === "as") return null;
        return undefined;
      };
      for (; j < tokens.length && !isPunct(at(), "}"); j++) {
        if (isPunct(at(), ",")) {
          const n = take();
          if (n === undefined) return { kind: "unsure", why: "an export specifier not followed" };
          if (n !== null) names.add(n);
          spec = [];
        } else spec.push(at()!);
      }
      if (spec.length) {
        const n = take();
        if (n === undefined) return { kind: "unsure", why: "an export specifier not followed" };
        if (n !== null) names.add(n);
      }
    } else {
      return { kind: "unsure", why: `\`export\` followed by something not followed` };
    }
  }
  return reexportsAll ? { kind: "reexportsAll" } : { kind: "names", names };
}

/**
 * The names one `const`/`let`/`var` declaration binds, from its first token: a name, or an
 * object or array pattern of plain names (`{ a, b: c, d = 1, ...e }`, `[a, , b]`). Unsure when
 * a comma at the top level may start a second declarator, or a pattern nests.
 */
function declarator(tokens: Token[], start: number): { kind: "names"; names: string[] } | { kind: "unsure"; why: string } {
  const first = tokens[start];
  const names: string[] = [];
  let m = start + 1;
  if (first?.kind === "name") names.push(first.text);
  else if (first?.kind === "punct" && (first.text === "{" || first.text === "[")) {
    const inner = first.depth + 1;
    const close = first.text === "{" ? "}" : "]";
    // each element: [...] name [: name] [= default], separated by commas at the pattern's level
    let element: Token[] = [];
    const take = (): boolean => {
      if (!element.length) return first.text === "["; // a hole, in an array pattern only
      const words = element.filter((t) => t.depth === inner);
      const w = (k: number) => (words[k]?.kind === "punct" || words[k]?.kind === "name" ? (words[k] as { text: string }).text : undefined);
      let k = w(0) === "..." ? 1 : 0;
      if (words[k]?.kind !== "name") return false;
      let bound = w(k)!;
      k++;
      if (first.text === "{" && w(k) === ":") {
        if (words[k + 1]?.kind !== "name") return false; // a nested pattern
        bound = w(k + 1)!;
        k += 2;
      }
      if (k < words.length && w(k) !== "=") return false;
      names.push(bound);
      return true;
    };
    for (; m < tokens.length; m++) {
      const u = tokens[m]!;
      if (u.depth === first.depth && u.kind === "punct" && u.text === close) break;
      if (u.depth === inner && u.kind === "punct" && u.text === ",") {
        if (!take()) return { kind: "unsure", why: "a destructuring export not followed" };
        element = [];
      } else element.push(u);
    }
    if (element.length && !take()) return { kind: "unsure", why: "a destructuring export not followed" };
    m++;
  } else return { kind: "unsure", why: "an export declaration not followed" };
  // the rest of the statement: a comma at this level may start another declarator, except
  // between the angle brackets of a type annotation (`: Map<string, number>`)
  let angles = 0;
  let inType = tokens[m]?.kind === "punct" && (tokens[m] as { text: string }).text === ":";
  for (; m < tokens.length; m++) {
    const u = tokens[m]!;
    if (u.depth !== first.depth) continue;
    if (u.kind === "punct" && u.text === ";") break;
    if (u.newlineBefore && u.kind === "name" && STATEMENT_WORDS.has(u.text)) break;
    if (u.kind !== "punct") continue;
    if (inType && u.text === "<") angles++;
    else if (inType && u.text === ">") angles--;
    else if (inType && angles === 0 && u.text === "=") inType = false;
    else if (u.text === "," && !(inType && angles > 0))
      return { kind: "unsure", why: "an export with several declarators (or a comma in a type)" };
  }
  return { kind: "names", names };
}
