// The transitive transaction rules (LANGUAGE §6): no `spawn`, `scan`, `parallel` or nested
// `txn` in any fn that a `txn` body reaches through `call`s or inline calls. The error is
// reported at the call in the body that leads there, naming the whole path.
import { CHECK } from "../diagnostics.js";
import type { Reporter } from "./context.js";
import type { Edge, FnFacts, ForbiddenKind } from "./effects.js";

const KINDS: ForbiddenKind[] = ["spawn", "scan", "parallel", "txn"];
const ENTRY = {
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
};

function step(e: Edge): string {
  return e.kind === "call" ? `call ${e.target}` : `inline ${e.target.slice(e.target.indexOf(".") + 1)}`;
}

export function checkTxnReach(all: Map<string, FnFacts>, diags: Reporter): void {
  for (const f of all.values()) {
    for (const start of f.txnEdges) {
      const found = new Map<ForbiddenKind, { path: Edge[]; at: FnFacts["forbidden"][number] }>();
      const seen = new Set<string>();
      let frontier: { key: string; path: Edge[] }[] = [{ key: start.target, path: [start] }];
      while (frontier.length > 0 && found.size < KINDS.length) {
        const next: typeof frontier = [];
        for (const { key, path } of frontier) {
          if (seen.has(key)) continue;
          seen.add(key);
          const g = all.get(key);
          if (!g) continue;
          for (const fb of g.forbidden) if (!found.has(fb.kind)) found.set(fb.kind, { path, at: fb });
          for (const e of g.edges) if (!seen.has(e.target)) next.push({ key: e.target, path: [...path, e] });
        }
        frontier = next;
      }
      for (const kind of KINDS) {
        const hit = found.get(kind);
        if (!hit) continue;
        const at = hit.at.span;
        diags.report(
          ENTRY[kind],
          start.span,
          `\`txn\` reaches ${WHAT[kind]} through ${hit.path.map(step).join(" → ")} (${at.file}:${at.line}:${at.col})`,
          `${WHAT[kind]} is not allowed in a transaction, nor in the fns it calls: ${ENTRY[kind].fix}`,
        );
      }
    }
  }
}
