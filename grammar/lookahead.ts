// The parser's lookahead, computable ahead of time. chevrotain's self-analysis spends most of its
// time on two things that depend on the grammar only: validating it (ambiguities, left recursion)
// and computing every OR/OPTION/MANY's lookahead paths. Run from source (tsx, every test), both
// happen as usual. The precompiled CLI (local/build-fast-cli.ts) constructs the parser that way
// while bundling, so a grammar mistake fails the bundle, and embeds the paths it computed
// (`lookaheadPaths()`); the bundle's parser then skips the validations and builds its lookahead
// functions from those paths. That is chevrotain's public `lookaheadStrategy` option; the
// functions choose as chevrotain's own LL(k) strategy does (lookahead.js, 11.1.2), trying only
// the paths that start with the next token.
import {
  EOF,
  getLookaheadPaths,
  type ILookaheadStrategy,
  type ILookaheadValidationError,
  type IOrAlt,
  type IParserConfig,
  type IToken,
  LLkLookaheadStrategy,
  type LookaheadProductionType,
  type Rule,
  type TokenType,
} from "chevrotain";

/**
 * Lookahead paths by production (`rule:prodType:occurrence:k`): per alternative (an optional
 * production has one), the token sequences that choose it, as token names.
 */
export type LookaheadPaths = Record<string, string[][][]>;

type Parser = { LA(i: number): IToken };

// Set by the bundler (esbuild `define`, local/build-fast-cli.ts); never set when run from source.
declare const BELDI_LOOKAHEAD_PATHS: LookaheadPaths | undefined;
const embedded: LookaheadPaths | undefined = typeof BELDI_LOOKAHEAD_PATHS === "object" ? BELDI_LOOKAHEAD_PATHS : undefined;

class PrecomputedLookahead implements ILookaheadStrategy {
  /** the paths computed here (when none were given), to embed in a bundle */
  readonly computed: LookaheadPaths = {};
  private readonly llk: ILookaheadStrategy;
  private readonly byName: Map<string, TokenType>;

  constructor(
    tokens: TokenType[],
    maxLookahead: number,
    private readonly given: LookaheadPaths | undefined,
  ) {
    this.llk = new LLkLookaheadStrategy({ maxLookahead });
    this.byName = new Map([...tokens, EOF].map((t) => [t.name, t]));
  }

  validate(options: { rules: Rule[]; tokenTypes: TokenType[]; grammarName: string }): ILookaheadValidationError[] {
    return this.llk.validate(options);
  }

  private paths(rule: Rule, prodType: LookaheadProductionType, occurrence: number, maxLookahead: number): TokenType[][][] {
    const key = `${rule.name}:${prodType}:${occurrence}:${maxLookahead}`;
    const names = this.given?.[key];
    if (names) {
      return names.map((alt) =>
        alt.map((path) =>
          path.map((n) => {
            const t = this.byName.get(n);
            if (!t) throw new Error(`precomputed lookahead names an unknown token ${n} (${key}): rebuild the bundle`);
            return t;
          }),
        ),
      );
    }
    // an optional production's paths are [inside, after it]; its lookahead needs only the first
    const all = getLookaheadPaths({ occurrence, rule, prodType, maxLookahead });
    const paths = prodType === "Alternation" ? all : all.slice(0, 1);
    this.computed[key] = paths.map((alt) => alt.map((path) => path.map((t) => t.name)));
    return paths;
  }

  buildLookaheadForAlternation(o: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    noDynamicTokens(o.dynamicTokensEnabled);
    const alts = this.paths(o.rule, "Alternation", o.prodOccurrence, o.maxLookahead);
    return alternativesLookahead(alts, o.hasPredicates, matcherFor(alts));
  }

  buildLookaheadForOptional(o: {
    prodOccurrence: number;
    prodType: Exclude<LookaheadProductionType, "Alternation">;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    noDynamicTokens(o.dynamicTokensEnabled);
    const paths = this.paths(o.rule, o.prodType, o.prodOccurrence, o.maxLookahead);
    return singleAlternativeLookahead(paths[0]!, matcherFor(paths));
  }
}

/** The lookahead tables are by token type: token types made while lexing would miss them. */
function noDynamicTokens(enabled: boolean): void {
  if (enabled) throw new Error("the precomputed lookahead does not support dynamic token types");
}

let strategy: PrecomputedLookahead | undefined;

/**
 * The lookahead part of the parser's config: from source, chevrotain's validations and paths
 * computed here; in the bundle, the embedded paths and no validations (run when it was built).
 */
export function lookaheadConfig(
  tokens: TokenType[],
  maxLookahead: number,
  given = embedded,
): Pick<IParserConfig, "lookaheadStrategy" | "skipValidations"> {
  strategy = new PrecomputedLookahead(tokens, maxLookahead, given);
  return { lookaheadStrategy: strategy, skipValidations: given !== undefined };
}

/** The paths the last parser configured here computed (none when it was given them). */
export function lookaheadPaths(): LookaheadPaths {
  return { ...strategy?.computed };
}

/** Whether this parser's lookahead was precomputed (in the bundle), for tests. */
export const lookaheadEmbedded = (): boolean => embedded !== undefined;

// ---- the builders: the same choices as chevrotain's LL(k) strategy ----------------------------

type Matcher = (token: IToken, type: TokenType) => boolean;

const matchWithCategories: Matcher = (token, type) =>
  token.tokenTypeIdx === type.tokenTypeIdx || (type.isParent === true && type.categoryMatchesMap![token.tokenTypeIdx] === true);
const matchExactly: Matcher = (token, type) => token.tokenTypeIdx === type.tokenTypeIdx;

function matcherFor(alts: TokenType[][][]): Matcher {
  return alts.every((alt) => alt.every((path) => path.every((t) => (t.categoryMatches ?? []).length === 0)))
    ? matchExactly
    : matchWithCategories;
}

/** The token type indexes a token of `type` can have: its own, and its members' if it is a category. */
const startIdxs = (type: TokenType): number[] => [type.tokenTypeIdx!, ...(type.categoryMatches ?? [])];

/** An alternative's path that may choose it: which alternative, and the path. */
type Candidate = { alt: number; path: TokenType[] };

/**
 * The candidate paths by the token that starts them (by `tokenTypeIdx`, categories expanded),
 * in the order of the alternatives and their paths; an empty path is a candidate for every
 * token. Looking up LA(1) first skips the paths that cannot match: the statement rule's OR has
 * hundreds, and a parse tried them all for every statement (and for every token skipped in
 * recovery).
 */
function candidatesByFirst(alts: TokenType[][][]): { byFirst: Candidate[][]; others: Candidate[] } {
  const all: Candidate[] = alts.flatMap((paths, alt) => paths.map((path) => ({ alt, path })));
  const byFirst: Candidate[][] = [];
  for (const { path } of all) if (path[0]) for (const idx of startIdxs(path[0])) byFirst[idx] ??= [];
  const others: Candidate[] = [];
  for (const c of all) {
    if (c.path[0]) for (const idx of new Set(startIdxs(c.path[0]))) byFirst[idx]!.push(c);
    else {
      others.push(c);
      for (const list of byFirst) list?.push(c);
    }
  }
  return { byFirst, others };
}

/** The first alternative (whose gate allows it) with a path that the next tokens match. */
function firstMatching(
  this: Parser,
  index: ReturnType<typeof candidatesByFirst>,
  matches: Matcher,
  gates?: ((() => boolean) | undefined)[],
): number | undefined {
  const candidates = index.byFirst[this.LA(1).tokenTypeIdx] ?? index.others;
  let gated = -1; // the last alternative whose gate said no
  for (const { alt, path } of candidates) {
    if (alt === gated) continue;
    if (gates?.[alt] !== undefined && gates[alt]!.call(this) === false) {
      gated = alt;
      continue;
    }
    let i = 1; // path[0] matched LA(1): that is how it is a candidate
    while (i < path.length && matches(this.LA(i + 1), path[i]!)) i++;
    if (i >= path.length) return alt; // an empty path (an empty alternative) matches too
  }
  return undefined;
}

function alternativesLookahead(
  alts: TokenType[][][],
  hasPredicates: boolean,
  matches: Matcher,
): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
  // built at the first use: most productions are never reached by a given parse
  let index: ReturnType<typeof candidatesByFirst> | undefined;
  if (hasPredicates) {
    return function (this: Parser, orAlts?: IOrAlt<unknown>[]) {
      return firstMatching.call(
        this,
        (index ??= candidatesByFirst(alts)),
        matches,
        (orAlts ?? []).map((a) => a.GATE),
      );
    };
  }
  if (alts.every((alt) => alt.every((path) => path.length === 1))) {
    // one token decides: a table from token type to the first alternative it starts
    const choice: Record<number, number> = {};
    alts.forEach((alt, idx) => {
      for (const t of alt.flat()) for (const i of startIdxs(t)) if (!Object.hasOwn(choice, i)) choice[i] = idx;
    });
    return function (this: Parser) {
      return choice[this.LA(1).tokenTypeIdx];
    };
  }
  return function (this: Parser) {
    return firstMatching.call(this, (index ??= candidatesByFirst(alts)), matches);
  };
}

function singleAlternativeLookahead(paths: TokenType[][], matches: Matcher): () => boolean {
  if (paths.every((path) => path.length === 1)) {
    const types = paths.flat();
    if (types.length === 1 && (types[0]!.categoryMatches ?? []).length === 0) {
      const only = types[0]!.tokenTypeIdx;
      return function (this: Parser) {
        return this.LA(1).tokenTypeIdx === only;
      };
    }
    const starts: boolean[] = [];
    for (const t of types) for (const i of startIdxs(t)) starts[i] = true;
    return function (this: Parser) {
      return starts[this.LA(1).tokenTypeIdx] === true;
    };
  }
  let index: ReturnType<typeof candidatesByFirst> | undefined;
  return function (this: Parser) {
    return firstMatching.call(this, (index ??= candidatesByFirst([paths])), matches) !== undefined;
  };
}
