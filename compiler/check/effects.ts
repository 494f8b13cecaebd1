// What each fn does (IrFn.effects), closed transitively over inline calls, and the raw facts
// (call edges, forbidden-in-txn operations) that txn-rules.ts walks.
import type { Span } from "../../grammar/span.js";
import type { IrEffects } from "../ir.js";

export type ForbiddenKind = "spawn" | "scan" | "parallel" | "txn";

export interface Edge {
  kind: "call" | "inline";
  /** "service.fn" */
  target: string;
  span: Span;
}

/** Facts gathered while checking one fn's body. */
export interface FnFacts {
  key: string;
  writes: boolean;
  calls: string[];
  spawns: string[];
  txn: boolean;
  scans: boolean;
  /** every spawn/scan/parallel/txn in the body */
  forbidden: { kind: ForbiddenKind; span: Span }[];
  /** every call and inline call in the body */
  edges: Edge[];
  /** the calls and inline calls made inside a `txn` body */
  txnEdges: Edge[];
}

export function newFacts(key: string): FnFacts {
  return { key, writes: false, calls: [], spawns: [], txn: false, scans: false, forbidden: [], edges: [], txnEdges: [] };
}

function addUnique(xs: string[], x: string): void {
  if (!xs.includes(x)) xs.push(x);
}

/** Effects of every fn, through inline calls (not through `call`), cycles included. */
export function closeEffects(all: Map<string, FnFacts>): Map<string, IrEffects> {
  const out = new Map<string, IrEffects>();
  for (const key of all.keys()) {
    const eff: IrEffects = { writes: false, calls: [], spawns: [], txn: false, scans: false };
    const seen = new Set<string>();
    const stack = [key];
    while (stack.length > 0) {
      const k = stack.shift()!;
      if (seen.has(k)) continue;
      seen.add(k);
      const g = all.get(k);
      if (!g) continue;
      eff.writes ||= g.writes;
      eff.txn ||= g.txn;
      eff.scans ||= g.scans;
      for (const c of g.calls) addUnique(eff.calls, c);
      for (const s of g.spawns) addUnique(eff.spawns, s);
      for (const e of g.edges) if (e.kind === "inline") stack.push(e.target);
    }
    out.set(key, eff);
  }
  return out;
}

/**
 * The fns that have no effect anywhere they reach: no write, spawn or txn in them or in any fn
 * they call or inline, transitively. The runtime runs them without logs or intents (outside a
 * transaction): with nothing to make exactly-once, a re-execution is as good as the first.
 */
export function readOnlyFns(effects: Map<string, IrEffects>): Set<string> {
  const out = new Set<string>();
  for (const [key, e] of effects) if (!e.writes && !e.txn && e.spawns.length === 0) out.add(key);
  for (let changed = true; changed; ) {
    changed = false;
    for (const key of out) {
      if (effects.get(key)!.calls.some((c) => !out.has(c))) {
        out.delete(key);
        changed = true;
      }
    }
  }
  return out;
}
