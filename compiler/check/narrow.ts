// Narrowing (LANGUAGE §2): which locals a condition proves non-null when it holds and when it
// does not. `x == null` / `x != null` (either side), combined with `&&`, `||`, `!`.
import type { Expr } from "../../grammar/ast.js";
import type { FnCtx, Sym } from "./state.js";
import { lookup } from "./scope.js";
import { isOptional } from "./types.js";
import { unparen } from "./walk.js";

export interface CondFacts {
  whenTrue: Set<Sym>;
  whenFalse: Set<Sym>;
}

const none = (): CondFacts => ({ whenTrue: new Set(), whenFalse: new Set() });

function union(a: Set<Sym>, b: Set<Sym>): Set<Sym> {
  return new Set([...a, ...b]);
}
function intersect(a: Set<Sym>, b: Set<Sym>): Set<Sym> {
  return new Set([...a].filter((x) => b.has(x)));
}
export { union as unionFacts, intersect as intersectFacts };

/** The local a `x == null` side names, when it is a narrowable (optional) local. */
function narrowable(ctx: FnCtx, e: Expr): Sym | null {
  const u = unparen(e);
  if (u.kind !== "name") return null;
  const sym = lookup(ctx, u.name);
  if (!sym || !isOptional(sym.type, ctx.prog.types)) return null;
  return sym;
}

export function condFacts(ctx: FnCtx, e: Expr): CondFacts {
  const u = unparen(e);
  if (u.kind === "unary" && u.op === "!") {
    const f = condFacts(ctx, u.operand);
    return { whenTrue: f.whenFalse, whenFalse: f.whenTrue };
  }
  if (u.kind !== "binary") return none();
  switch (u.op) {
    case "==":
    case "!=": {
      const l = unparen(u.left);
      const r = unparen(u.right);
      const sym = r.kind === "null" ? narrowable(ctx, l) : l.kind === "null" ? narrowable(ctx, r) : null;
      if (!sym) return none();
      const proved = new Set([sym]);
      return u.op === "!=" ? { whenTrue: proved, whenFalse: new Set() } : { whenTrue: new Set(), whenFalse: proved };
    }
    case "&&": {
      const a = condFacts(ctx, u.left);
      const b = withFacts(ctx, a.whenTrue, () => condFacts(ctx, u.right));
      return { whenTrue: union(a.whenTrue, b.whenTrue), whenFalse: intersect(a.whenFalse, b.whenFalse) };
    }
    case "||": {
      const a = condFacts(ctx, u.left);
      const b = withFacts(ctx, a.whenFalse, () => condFacts(ctx, u.right));
      return { whenTrue: intersect(a.whenTrue, b.whenTrue), whenFalse: union(a.whenFalse, b.whenFalse) };
    }
    default:
      return none();
  }
}

/** Runs `f` with extra facts, then restores the facts as they were. */
export function withFacts<R>(ctx: FnCtx, extra: Set<Sym>, f: () => R): R {
  const saved = ctx.facts;
  ctx.facts = union(saved, extra);
  try {
    return f();
  } finally {
    ctx.facts = saved;
  }
}

/** Forgets facts about the named locals (they are assigned). */
export function kill(ctx: FnCtx, names: Set<string>): void {
  if (names.size === 0) return;
  ctx.facts = new Set([...ctx.facts].filter((s) => !names.has(s.name)));
}
