// The parser's grammar recording, computable ahead of time. chevrotain learns a parser's grammar
// by running every rule once in a recording mode (its GAST: the rules as productions); that is
// most of what is left of building the parser once the lookahead is precomputed
// (grammar/lookahead.ts). Run from source, the parser records as usual and `recordedGrammar()`
// returns it as plain JSON; the precompiled CLI (local/build-fast-cli.ts) embeds that JSON, and
// its parser is handed the rules rebuilt from it instead of recording them.
//
// The JSON keeps every field chevrotain's recorder set on a production (not only what its own
// `serializeGrammar` writes: it drops `hasPredicates`, `maxLookahead`, `ignoreAmbiguities`);
// a field of a kind this file does not know fails the bundle's build, never a user's parse.
import {
  Alternation,
  Alternative,
  EOF,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule,
  Terminal,
  type TokenType,
} from "chevrotain";

/** One production: its class, its own fields (a token as `{ token: name }`), its children. */
export interface RecordedProduction {
  kind: string;
  fields: Record<string, string | number | boolean | { token: string }>;
  definition?: RecordedProduction[];
}

type ProductionClass = new (options: { definition: never[] }) => object;

// the classes a recording builds, by name (names are ours: a minified chevrotain keeps none)
const CLASSES: Record<string, ProductionClass> = {
  Rule,
  NonTerminal,
  Alternative,
  Option,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  Repetition,
  RepetitionWithSeparator,
  Alternation,
  Terminal,
} as unknown as Record<string, ProductionClass>;
const KIND_OF = new Map<unknown, string>(Object.entries(CLASSES).map(([k, c]) => [c, k]));

// kept out of `fields`: the children, and what the grammar resolver fills in after recording
const NOT_FIELDS = new Set(["_definition", "referencedRule"]);

const isTokenType = (v: unknown): v is TokenType =>
  typeof v === "object" && v !== null && typeof (v as TokenType).name === "string" && "tokenTypeIdx" in v;

/** A recorded production as JSON. Throws on anything it could not rebuild faithfully. */
export function recordProduction(node: object): RecordedProduction {
  const kind = KIND_OF.get(node.constructor);
  if (!kind) throw new Error(`recorded grammar: unknown production class ${node.constructor.name}`);
  const fields: RecordedProduction["fields"] = {};
  for (const [key, value] of Object.entries(node)) {
    if (NOT_FIELDS.has(key) || value === undefined) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[key] = value;
    else if (isTokenType(value)) fields[key] = { token: value.name };
    else throw new Error(`recorded grammar: ${kind}.${key} holds a value this file cannot embed`);
  }
  const own = (node as { _definition?: unknown })._definition;
  const children = kind === "NonTerminal" || kind === "Terminal" || !Array.isArray(own) ? undefined : own.map(recordProduction);
  return children ? { kind, fields, definition: children } : { kind, fields };
}

/** Rebuilds a production from its JSON; `tokens` resolves token names (EOF included). */
export function rebuildProduction(p: RecordedProduction, tokens: ReadonlyMap<string, TokenType>): object {
  const Class = CLASSES[p.kind];
  if (!Class) throw new Error(`recorded grammar: unknown production kind ${p.kind}: rebuild the bundle`);
  // a terminal (or a rule reference) has no children of its own: given none, it keeps none
  const options = p.definition ? { definition: p.definition.map((c) => rebuildProduction(c, tokens)) as never[] } : {};
  const node = new Class(options as { definition: never[] }) as Record<string, unknown>;
  for (const [key, value] of Object.entries(p.fields)) {
    if (typeof value !== "object") {
      node[key] = value;
      continue;
    }
    node[key] = tokenNamed(tokens, value.token);
  }
  return node;
}

/**
 * A recorded grammar: each rule's production, by rule name; and the follow sets error recovery
 * resynchronises on (chevrotain's `resyncFollows`: token names by production key), which depend
 * on the rules only.
 */
export interface RecordedGrammar {
  rules: Record<string, RecordedProduction>;
  follows: Record<string, string[]>;
}

/** The parts of chevrotain's parser (11.x internals) that record a grammar and recover. */
interface Recorder {
  enableRecording(): void;
  disableRecording(): void;
  topLevelRuleRecord(name: string, impl: unknown): object;
  getGAstProductions(): Record<string, object>;
  recoveryEnabled: boolean;
  resyncFollows: Record<string, TokenType[]>;
}

const tokenNamed = (byName: ReadonlyMap<string, TokenType>, name: string): TokenType => {
  const t = byName.get(name);
  if (!t) throw new Error(`recorded grammar names an unknown token ${name}: rebuild the bundle`);
  return t;
};

/**
 * Runs a parser's self-analysis; with `given` (the embedded recording), its rules are rebuilt
 * from it instead of recorded, and its follow sets taken from it instead of computed
 * (`recordedGrammarOf` reads either back as JSON).
 */
export function analyseWithRecording(parser: object, tokens: TokenType[], given: RecordedGrammar | undefined, analyse: () => void): void {
  const p = parser as unknown as Recorder & Record<string, unknown>;
  if (!given) {
    analyse();
    return;
  }
  const byName = new Map([...tokens, EOF].map((t) => [t.name, t]));
  const replay: Partial<Recorder> = {
    enableRecording() {},
    disableRecording() {},
    topLevelRuleRecord(name: string) {
      const rule = given.rules[name];
      if (!rule) throw new Error(`recorded grammar has no rule ${name}: rebuild the bundle`);
      return rebuildProduction(rule, byName);
    },
  };
  // instance properties shadow chevrotain's methods for the analysis only; with recovery off,
  // the analysis skips computing the follow sets (its only use of the flag), set from `given`
  const recovers = p.recoveryEnabled;
  Object.assign(p, replay);
  p.recoveryEnabled = false;
  try {
    analyse();
  } finally {
    for (const k of Object.keys(replay)) delete p[k];
    p.recoveryEnabled = recovers;
  }
  if (recovers) {
    p.resyncFollows = Object.fromEntries(
      Object.entries(given.follows).map(([key, names]) => [key, names.map((n) => tokenNamed(byName, n))]),
    );
  }
}

/** A parser's grammar and follow sets, as its self-analysis left them, in JSON (what a bundle embeds). */
export function recordedGrammarOf(parser: object): RecordedGrammar {
  const p = parser as unknown as Recorder;
  const rules = Object.fromEntries(Object.entries(p.getGAstProductions()).map(([name, rule]) => [name, recordProduction(rule)]));
  const follows = Object.fromEntries(Object.entries(p.resyncFollows ?? {}).map(([key, tokens]) => [key, tokens.map((t) => t.name)]));
  return { rules, follows };
}

// Set by the bundler (esbuild `define`, local/build-fast-cli.ts); never set when run from source.
declare const BELDI_RECORDED_GRAMMAR: RecordedGrammar | undefined;
/** The recording the bundle embeds, or undefined (run from source). */
export const embeddedGrammar: RecordedGrammar | undefined = typeof BELDI_RECORDED_GRAMMAR === "object" ? BELDI_RECORDED_GRAMMAR : undefined;
