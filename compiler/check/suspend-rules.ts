// Where `sleep` and `wait` may stand (LANGUAGE.md §9): they suspend their instance, so no `call`
// may reach one (a synchronous caller cannot be left hanging: E0900), and none may run inside a
// `txn` body (E0607) or a `parallel` branch (E0704). The ones written there are reported where
// they stand (waiting.ts); this file reports the ones reached through inline calls of fns of the
// same service, at the call that leads there, naming the whole path.
import type { DiagnosticEntry } from "../../grammar/diagnostics.js";
import { CHECK } from "../diagnostics.js";
import type { Edge, FnFacts, Suspend } from "./effects.js";
import type { Reporter } from "./state.js";

type Hit = { path: Edge[]; at: Suspend } | null;

function step(e: Edge): string {
  return e.kind === "call" ? `call ${e.target}` : `inline ${e.target.slice(e.target.indexOf(".") + 1)}`;
}

/**
 * The first `sleep`/`wait` a fn runs itself or through inline calls (breadth first), and the
 * inline calls that lead to it (empty: in the fn itself). Memoized by fn.
 */
function suspendIn(all: Map<string, FnFacts>, key: string, memo: Map<string, Hit>): Hit {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const visits: { key: string; edge: Edge | null; from: number }[] = [{ key, edge: null, from: -1 }];
  const seen = new Set<string>();
  let hit: Hit = null;
  for (let i = 0; i < visits.length && !hit; i++) {
    const v = visits[i]!;
    if (seen.has(v.key)) continue;
    seen.add(v.key);
    const g = all.get(v.key);
    if (!g) continue;
    const at = g.suspends[0];
    if (at) {
      const path: Edge[] = [];
      for (let j = i; j > 0; j = visits[j]!.from) path.push(visits[j]!.edge!);
      hit = { path: path.reverse(), at };
      break;
    }
    for (const e of g.edges) if (e.kind === "inline" && !seen.has(e.target)) visits.push({ key: e.target, edge: e, from: i });
  }
  memo.set(key, hit);
  return hit;
}

export function checkSuspendReach(all: Map<string, FnFacts>, diags: Reporter): void {
  const memo = new Map<string, Hit>();
  const where = (h: NonNullable<Hit>) => `${h.at.span.file}:${h.at.span.line}:${h.at.span.col}`;
  const route = (from: string, first: Edge, h: NonNullable<Hit>) => [from, step(first), ...h.path.map(step)].join(" → ");
  const report = (entry: DiagnosticEntry, f: FnFacts, e: Edge, h: NonNullable<Hit>, message: string, hint: string) =>
    diags.report(entry, e.span, `${message}: ${route(f.key, e, h)}: ${h.at.what} (${where(h)})`, hint);
  for (const f of all.values()) {
    for (const e of f.edges) {
      if (e.kind !== "call") continue;
      const h = suspendIn(all, e.target, memo);
      if (h)
        report(
          CHECK.suspendUnderCall,
          f,
          e,
          h,
          `\`call ${e.target}\` reaches ${h.at.what}, which would leave the caller hanging`,
          `a fn reached by \`call\` may not sleep or wait: ${CHECK.suspendUnderCall.fix}`,
        );
    }
    for (const e of f.txnEdges) {
      if (e.kind !== "inline") continue; // a `call` is E0900 already
      const h = suspendIn(all, e.target, memo);
      if (h)
        report(
          CHECK.suspendInTxn,
          f,
          e,
          h,
          `\`txn\` reaches ${h.at.what}`,
          `a transaction may not pause, nor the fns it inlines: ${CHECK.suspendInTxn.fix}`,
        );
    }
    for (const e of f.parallelEdges) {
      const h = suspendIn(all, e.target, memo);
      if (h)
        report(
          CHECK.suspendInParallel,
          f,
          e,
          h,
          `a \`parallel\` branch reaches ${h.at.what}`,
          `a branch may not pause, nor the fns it inlines: ${CHECK.suspendInParallel.fix}`,
        );
    }
  }
}
