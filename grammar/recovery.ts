// Error recovery: overrides of chevrotain 11 internals (version pinned in package.json), in one
// place to revisit on an upgrade. BeldiParser (parser.ts) extends this class.
//
// chevrotain re-syncs after an error by finding the first upcoming token that may follow
// some rule on the stack, then unwinding to the innermost rule that it may follow. Its
// stock version returns the first *follow entry* matching that token, which may be a
// category, and then looks that entry up by identity. These two overrides (of chevrotain 11
// internals, version pinned in package.json) use the token's own type, match follow
// entries through categories, and ignore the junk categories: they follow almost anything,
// so re-syncing on them would unwind to the service or file level at the first stray token
// (`fn f(a:: T) { ... }` would lose the whole service instead of one parameter's type).
import { CstParser, NoViableAltException, type IToken, type TokenType } from "chevrotain";
import type { RawSyntaxError } from "./errors.js";
import * as T from "./lexer.js";

/** Beyond this rule depth, single-token insertion is not tried (computing it recurses deeply). */
const MAX_INSERTION_DEPTH = 100;

export abstract class RecoveringParser extends CstParser {
  /** Whether a declaration starts at lookahead `k` (the grammar knows; `type` in `f(type.x)` does not). */
  protected abstract declAhead(k?: number): boolean;

  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as Internals).flattenFollowSet().filter((f) => !JUNK.has(f));
    for (let k = 1; ; k++) {
      const t = this.LA(k);
      if (t.tokenType.name === "EOF") return t.tokenType;
      // `type` in `f(type.x)` is not where a declaration starts
      if (tokenMatches(t.tokenType, T.DeclWord) && !this.declAhead(k)) continue;
      for (const f of follows) if (tokenMatches(t.tokenType, f)) return t.tokenType;
    }
  }

  isInCurrentRuleReSyncSet(tokType: TokenType): boolean {
    const self = this as unknown as Internals;
    const follows = self.getFollowSetFromFollowKey(self.getCurrFollowKey()) ?? [];
    for (const f of follows) if (!JUNK.has(f) && tokenMatches(tokType, f)) return true;
    return false;
  }

  /** An opening bracket is never invented: its closer would be missing, unbalancing the rest. */
  canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType !== T.LCurly && tokType !== T.LParen && tokType !== T.LBracket;
  }

  /**
   * Single-token insertion (chevrotain's cheapest recovery) is tried when the token found may
   * follow the missing one. The junk categories follow almost anything, so they do not count
   * here: `for x in xs) {` should drop the `)`, not insert a `{` before it.
   */
  canRecoverWithSingleTokenInsertion(_expected: TokenType, follows: TokenType[]): boolean {
    const found = this.LA(1).tokenType;
    for (const f of follows) if (!JUNK.has(f) && tokenMatches(found, f)) return true;
    return false;
  }

  /** follows by grammar path: they depend on the grammar only, and computing them is slow */
  private readonly followsCache = new Map<string, TokenType[]>();

  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[] {
    const self = this as unknown as Internals;
    if (self.RULE_STACK.length > MAX_INSERTION_DEPTH) return [];
    const key = `${self.RULE_STACK.join(",")}|${self.RULE_OCCURRENCE_STACK.join(",")}|${tokType.name}|${tokIdxInRule}`;
    let follows = this.followsCache.get(key);
    if (!follows) {
      follows = baseFollowsForInRuleRecovery.call(this, tokType, tokIdxInRule);
      if (this.followsCache.size > 10_000) this.followsCache.clear();
      this.followsCache.set(key, follows);
    }
    return follows;
  }

  /**
   * chevrotain computes every alternative's lookahead paths for the message of a "no viable
   * alternative" error; our messages do not use them, and computing them made each such
   * error cost ~0.1ms. Same exception, without the paths.
   */
  raiseNoAltException(_occurrence: number, errMsgTypes: string | undefined): never {
    const self = this as unknown as Internals;
    const raw: RawSyntaxError = { kind: "noalt", rule: self.getCurrRuleFullName(), what: errMsgTypes ?? null };
    throw self.SAVE_ERROR(new NoViableAltException(JSON.stringify(raw), this.LA(1), this.LA(0)));
  }
}

export const JUNK: ReadonlySet<TokenType> = new Set([T.TopJunk, T.ServiceJunk, T.BlockJunk, T.DeclWord]);

/** chevrotain internals used by the re-sync overrides */
export interface Internals {
  RULE_STACK: number[];
  RULE_OCCURRENCE_STACK: number[];
  getCurrRuleFullName(): string;
  SAVE_ERROR(e: Error): Error;
  canRecoverWithSingleTokenDeletion(tokType: TokenType): boolean;
  SKIP_TOKEN(): IToken;
  consumeToken(): void;
  getTokenToInsert(tokType: TokenType): IToken;
  getFollowsForInRuleRecovery(tokType: TokenType, tokIdxInRule: number): TokenType[];
  flattenFollowSet(): TokenType[];
  getCurrFollowKey(): unknown;
  getFollowSetFromFollowKey(key: unknown): TokenType[] | undefined;
}

/** Does a token of type `tt` match `wanted` (a token type or a category)? */
export function tokenMatches(tt: TokenType, wanted: TokenType): boolean {
  if (tt === wanted) return true;
  return wanted.isParent === true && tt.tokenTypeIdx !== undefined && wanted.categoryMatchesMap?.[tt.tokenTypeIdx] === true;
}

export function isBinaryOp(t: TokenType): boolean {
  return (t.CATEGORIES ?? []).includes(T.BinaryOp);
}

const baseFollowsForInRuleRecovery = (CstParser.prototype as unknown as Internals).getFollowsForInRuleRecovery;
