// The VS Code extension's TextMate grammar (editors/vscode/syntaxes/beldi.tmLanguage.json) run by
// the engine VS Code runs it with: vscode-textmate over the oniguruma regex library in wasm.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

const root = fileURLToPath(new URL("..", import.meta.url));
export const GRAMMAR_PATH = `${root}editors/vscode/syntaxes/beldi.tmLanguage.json`;
export const SCOPE_NAME = "source.beldi";

/** One token of a line: its text, where it is, and its scopes (outermost first). */
export interface TmToken {
  /** 0-based line */
  line: number;
  /** 0-based columns in the line, end exclusive */
  start: number;
  end: number;
  /** offset of `start` in the whole text */
  offset: number;
  text: string;
  scopes: string[];
}

let loaded: Promise<textmate.IGrammar> | null = null;

/** The grammar, loaded once per process (the wasm and the JSON are read from disk). */
export function beldiGrammar(): Promise<textmate.IGrammar> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE_NAME ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null,
  });
  const grammar = await registry.loadGrammar(SCOPE_NAME);
  if (!grammar) throw new Error(`the grammar ${SCOPE_NAME} did not load from ${GRAMMAR_PATH}`);
  return grammar;
}

/** Tokenizes a whole text line by line, carrying the rule stack across lines as an editor does. */
export function tokenize(grammar: textmate.IGrammar, text: string): TmToken[] {
  const out: TmToken[] = [];
  let stack = textmate.INITIAL;
  let offset = 0;
  // lines as the lexer counts them (\r\n, \r or \n); U+2028/U+2029 are not line ends in VS Code
  const lines = text.split(/\r\n|\r|\n/);
  const ends = [...text.matchAll(/\r\n|\r|\n/g)].map((m) => m[0].length);
  lines.forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, stack);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue;
      out.push({
        line,
        start: t.startIndex,
        end,
        offset: offset + t.startIndex,
        text: lineText.slice(t.startIndex, end),
        scopes: t.scopes,
      });
    }
    stack = r.ruleStack;
    offset += lineText.length + (ends[line] ?? 0);
  });
  return out;
}

/** The innermost scope of a token (what a theme colours it by, more or less). */
export const innermost = (t: TmToken): string => t.scopes[t.scopes.length - 1]!;
