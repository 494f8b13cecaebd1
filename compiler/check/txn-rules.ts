// The transitive transaction rules (LANGUAGE §6, §9): no `spawn`, `signal`, `scan`, `parallel` or
// nested `txn` in any fn that a `txn` body reaches through `call`s or inline calls. The error is
// reported at the call in the body that leads there, naming the whole path.
import { CHECK } from "../diagnostics.js";
import type { Reporter } from "./state.js";
import type { Edge, FnFacts, ForbiddenKind } from "./effects.js";

const KINDS: ForbiddenKind[] = ["spawn", "scan", "parallel", "txn", "signal"];
const ENTRY = {
  signal: CHECK.signalInTxn,
  spawn: CHECK.spawnInTxn,
  scan: CHECK.scanInTxn,
  parallel: CHECK.parallelInTxn,
  txn: CHECK.nestedTxn,
} as const;
const WHAT: Record<ForbiddenKind, string> = {
  spawn: "`spawn`",
  scan: "`scan`",
  parallel: "`parallel`",
  txn: "a nested `txn`",
  signal: "`signal`",
};

function step(e: Edge): string {
  return e.kind === "call" ? `call ${e.target}` : `inline ${e.target.slice(e.target.indexOf(".") + 1)}`;
}

type Hit = { path: Edge[]; at: FnFacts["forbidden"][number] };

/**
 * What a `txn` body reaches from one call: for each forbidden kind, the first met breadth first
 * and the path of calls to it (parent links, not a copy of the path per fn visited).
 */
function reachFrom(all: Map<string, FnFacts>, start: Edge): Map<ForbiddenKind, Hit> {
  const found = new Map<ForbiddenKind, { via: number; at: FnFacts["forbidden"][number] }>();
  // a visit: the fn, and the edge (with the index of the visit it left from) that reached it
  const visits: { key: string; edge: Edge; from: number }[] = [{ key: start.target, edge: start, from: -1 }];
  const seen = new Set<string>();
  for (let i = 0; i < visits.length && found.size < KINDS.length; i++) {
    const { key } = visits[i]!;
    if (seen.has(key)) continue;
    seen.add(key);
    const g = all.get(key);
    if (!g) continue;
    for (const fb of g.forbidden) if (!found.has(fb.kind)) found.set(fb.kind, { via: i, at: fb });
    for (const e of g.edges) if (!seen.has(e.target)) visits.push({ key: e.target, edge: e, from: i });
  }
  const out = new Map<ForbiddenKind, Hit>();
  for (const [kind, { via, at }] of found) {
    const path: Edge[] = [];
    for (let v = via; v >= 0; v = visits[v]!.from) path.push(visits[v]!.edge);
    out.set(kind, { path: path.reverse(), at });
  }
  return out;
}

export function checkTxnReach(all: Map<string, FnFacts>, diags: Reporter): void {
  // what a call reaches depends on its target only (the path starts with the call itself)
  const byTarget = new Map<string, Map<ForbiddenKind, Hit>>();
  for (const f of all.values()) {
    for (const start of f.txnEdges) {
      let reached = byTarget.get(start.target);
      if (!reached) {
        reached = reachFrom(all, start);
        byTarget.set(start.target, reached);
      }
      for (const kind of KINDS) {
        const hit = reached.get(kind);
        if (!hit) continue;
        const path = [start, ...hit.path.slice(1)];
        const at = hit.at.span;
        diags.report(
          ENTRY[kind],
          start.span,
          `\`txn\` reaches ${WHAT[kind]} through ${path.map(step).join(" → ")} (${at.file}:${at.line}:${at.col})`,
          `${WHAT[kind]} is not allowed in a transaction, nor in the fns it calls: ${ENTRY[kind].fix}`,
        );
      }
    }
  }
}
