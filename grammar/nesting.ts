// The nesting limit, applied to the token vector before parsing: brackets nested deeper than
// MAX_NESTING are cut off (one diagnostic), so no later pass recurses without bound.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import * as T from "./lexer.js";

/** Brackets (`( [ { list<`) deeper than this are cut off by `limitNesting`. */
export const MAX_NESTING = 200;

const OPEN: ReadonlyMap<TokenType, TokenType> = new Map([
  [T.LParen, T.RParen],
  [T.LBracket, T.RBracket],
  [T.LCurly, T.RCurly],
  [T.Lt, T.Gt],
]);

function isOpener(tokens: IToken[], i: number): boolean {
  const t = tokens[i] as IToken;
  if (t.tokenType === T.Lt) {
    const prev = tokens[i - 1];
    return prev !== undefined && prev.tokenType === T.Identifier && (prev.image === "list" || prev.image === "map");
  }
  return OPEN.has(t.tokenType);
}

/** A stack of expected closers that answers "is this closer expected somewhere?" in O(1). */
class CloserStack {
  private readonly items: TokenType[] = [];
  private readonly counts = new Map<TokenType, number>();
  get length(): number {
    return this.items.length;
  }
  push(t: TokenType): void {
    this.items.push(t);
    this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
  }
  private pop(): TokenType | undefined {
    const t = this.items.pop();
    if (t) this.counts.set(t, (this.counts.get(t) ?? 1) - 1);
    return t;
  }
  /** Does `tt` close a bracket on the stack? (`>` only closes the innermost one.) */
  closes(tt: TokenType): boolean {
    if (tt === T.Gt) return this.items[this.items.length - 1] === T.Gt;
    return (this.counts.get(tt) ?? 0) > 0;
  }
  /** Pops up to and including the innermost `tt`. */
  popTo(tt: TokenType): void {
    while (this.items.length > 0) if (this.pop() === tt) return;
  }
}

/**
 * Brackets (`(`, `[`, `{`, and the `<` of `list<`/`map<`) nested more than MAX_NESTING deep:
 * everything inside the first too-deep bracket is dropped (a `null`/`any` stands in for it),
 * so the parser never recurses deeper than that. Returns the new token vector and the token
 * where the limit was hit (null when it was not).
 */
export function limitNesting(tokens: IToken[]): { tokens: IToken[]; cutAt: IToken | null } {
  const out: IToken[] = [];
  const stack = new CloserStack();
  let cutAt: IToken | null = null;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as IToken;
    if (isOpener(tokens, i)) {
      const closer = OPEN.get(t.tokenType) as TokenType;
      if (stack.length >= MAX_NESTING) {
        cutAt ??= t;
        // skip to the matching closer (or the end)
        const inner = new CloserStack();
        inner.push(closer);
        let j = i + 1;
        while (j < tokens.length && inner.length > 0) {
          const u = tokens[j] as IToken;
          if (isOpener(tokens, j)) inner.push(OPEN.get(u.tokenType) as TokenType);
          else if (inner.closes(u.tokenType)) inner.popTo(u.tokenType);
          if (inner.length > 0) j++;
        }
        out.push(t);
        const filler = t.tokenType === T.LCurly ? null : t.tokenType === T.Lt ? T.Identifier : T.Null;
        if (filler) {
          const image = filler === T.Identifier ? "any" : "null";
          const at = t.startOffset + t.image.length;
          const stand = createTokenInstance(filler, image, at, at - 1, NaN, NaN, NaN, NaN);
          stand.isInsertedInRecovery = true; // not source text: no span of its own
          out.push(stand);
        }
        if (j < tokens.length) out.push(tokens[j] as IToken); // the closer
        i = j + 1;
        continue;
      }
      stack.push(closer);
    } else if (stack.closes(t.tokenType)) {
      stack.popTo(t.tokenType);
    }
    out.push(t);
    i++;
  }
  return { tokens: cutAt ? out : tokens, cutAt };
}
