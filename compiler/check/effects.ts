// What each fn does (IrFn.effects), closed transitively over inline calls, and the raw facts
// (call edges, forbidden-in-txn operations) that txn-rules.ts walks.
import type { Span } from "../../grammar/span.js";
import type { IrEffects } from "../ir.js";

export type ForbiddenKind = "spawn" | "scan" | "parallel" | "txn" | "signal";

/** A `sleep` or `wait` (LANGUAGE.md §9): what suspends an instance; `what` shows it in messages */
export interface Suspend {
  what: string;
  span: Span;
}

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
  /** every spawn/scan/parallel/txn/signal in the body */
  forbidden: { kind: ForbiddenKind; span: Span }[];
  /** every call and inline call in the body */
  edges: Edge[];
  /** the calls and inline calls made inside a `txn` body */
  txnEdges: Edge[];
  /** every `sleep` and `wait` in the body */
  suspends: Suspend[];
  /** uses `signal` (an effect: the fn is not read-only) */
  signals: boolean;
  /** the inline calls made inside a `parallel` branch */
  parallelEdges: Edge[];
}

export function newFacts(key: string): FnFacts {
  return {
    key,
    writes: false,
    calls: [],
    spawns: [],
    txn: false,
    scans: false,
    forbidden: [],
    edges: [],
    txnEdges: [],
    suspends: [],
    signals: false,
    parallelEdges: [],
  };
}

/**
 * Effects of every fn, through inline calls (not through `call`), cycles included. `signalling`
 * collects the fns that reach a `signal` that way (IrEffects has no field for it; readOnlyFns needs it).
 */
export function closeEffects(all: Map<string, FnFacts>, signalling?: Set<string>): Map<string, IrEffects> {
  const out = new Map<string, IrEffects>();
  for (const key of all.keys()) {
    const eff: IrEffects = { writes: false, calls: [], spawns: [], txn: false, scans: false };
    const calls = new Set<string>();
    const spawns = new Set<string>();
    // breadth first, so the lists keep the order in which calls are met; a queue by index
    // and sets, so each fn costs what it reaches (not its square)
    const seen = new Set<string>([key]);
    const queue = [key];
    for (let i = 0; i < queue.length; i++) {
      const g = all.get(queue[i]!);
      if (!g) continue;
      eff.writes ||= g.writes;
      eff.txn ||= g.txn;
      eff.scans ||= g.scans;
      if (g.suspends.length > 0) eff.suspends = true;
      if (g.signals) signalling?.add(key);
      for (const c of g.calls) calls.add(c);
      for (const s of g.spawns) spawns.add(s);
      for (const e of g.edges) {
        if (e.kind === "inline" && !seen.has(e.target)) {
          seen.add(e.target);
          queue.push(e.target);
        }
      }
    }
    eff.calls = [...calls];
    eff.spawns = [...spawns];
    out.set(key, eff);
  }
  return out;
}

/**
 * The fns that have no effect anywhere they reach: no write, spawn, txn, signal, sleep or wait
 * in them or in any fn they call or inline, transitively. The runtime runs them without logs or
 * intents (outside a transaction): with nothing to make exactly-once, a re-execution is as good
 * as the first. (`sleep` and `wait` need the instance's intent to resume it; `signalling`: the
 * fns that reach a `signal` through inline calls, from closeEffects.)
 */
export function readOnlyFns(effects: Map<string, IrEffects>, signalling: ReadonlySet<string> = new Set()): Set<string> {
  const out = new Set<string>();
  for (const [key, e] of effects) if (!e.writes && !e.txn && e.spawns.length === 0 && !e.suspends && !signalling.has(key)) out.add(key);
  // a fn that calls one with effects has effects: spread that backwards along the calls, once
  // per fn (a fixpoint over the whole set each time was quadratic in long call chains)
  const callers = new Map<string, string[]>();
  for (const [key, e] of effects) for (const c of e.calls) (callers.get(c) ?? callers.set(c, []).get(c)!).push(key);
  const todo = [...effects.keys()].filter((k) => !out.has(k));
  for (const [key, e] of effects) if (out.has(key) && e.calls.some((c) => !effects.has(c))) todo.push(key);
  while (todo.length > 0) {
    const k = todo.pop()!;
    out.delete(k);
    for (const caller of callers.get(k) ?? []) {
      if (out.has(caller)) {
        out.delete(caller);
        todo.push(caller);
      }
    }
  }
  return out;
}
