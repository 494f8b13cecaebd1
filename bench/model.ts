// "What Beldi's protocol would make for the same workflow" (reference/beldi-notes.md §4–§6, §11):
// the operations a workflow executed are read off the baseline run, where each operation is one
// plain request — a read is one GetItem, a write/update/delete one UpdateItem, a sync call one
// Invoke, a spawn one InvokeEvent, a scan page one Scan — and priced at Beldi's per-operation
// costs. Transactions' lock and commit traffic is not priced (Beldi's would only add to it).
import type { Counts } from "./stats.js";

export const BELDI_COSTS = {
  /** skeleton query + get + log put */
  read: 3,
  /** skeleton query + conditional update */
  write: 2,
  /** 2 when the condition holds, 3 when not: the midpoint */
  condWrite: 2.5,
  /** caller's log put + callee's intent put + callback write + intent done (store), plus the invoke */
  call: { store: 4, invoke: 1 },
  /** caller's log put + callee intent put + hand-off ack (store) + the event, plus the spawned
   *  instance's own intent (start refresh + done) */
  spawn: { store: 5, invoke: 1 },
  /** the scan page plus the log put of its result */
  scanPage: 2,
  /** the entry instance's intent: put + done */
  entry: 2,
} as const;

export const MODEL_TEXT = [
  "Beldi model (from the baseline run's operations, at Beldi's per-operation costs):",
  `  read ${BELDI_COSTS.read} (query + get + log put); write/update/delete ${BELDI_COSTS.write} (query + cond. update);`,
  `  update...where ${BELDI_COSTS.condWrite} (2 when it holds, 3 when not); sync call ${BELDI_COSTS.call.store} store + 1 invoke`,
  `  (log put, callee intent put, callback, intent done); spawn ${BELDI_COSTS.spawn.store} store + 1 event (log put, callee intent,`,
  `  ack, callee's start + done); scan page ${BELDI_COSTS.scanPage}; plus ${BELDI_COSTS.entry} per entry instance (intent put + done).`,
  "  Transactions' locks and commits are not priced, so for txn workflows the model understates Beldi.",
].join("\n");

export interface ModelOps {
  reads: number;
  writes: number;
  condWrites: number;
  calls: number;
  spawns: number;
  scanPages: number;
  /** any other request kind the baseline made, priced at 1 */
  other: number;
}

/**
 * The operations behind baseline counts. `condWrites` (known from the app's code, since in the
 * counts they look like any other UpdateItem) are taken out of the UpdateItems.
 */
export function opsOf(baseline: Counts, condWrites: number): ModelOps {
  const known = new Set(["GetItem", "UpdateItem", "Invoke", "InvokeEvent", "Scan"]);
  const other = Object.entries(baseline).reduce((s, [k, n]) => s + (known.has(k) ? 0 : n), 0);
  const updates = baseline.UpdateItem ?? 0;
  return {
    reads: baseline.GetItem ?? 0,
    writes: Math.max(0, updates - condWrites),
    condWrites: Math.min(updates, condWrites),
    calls: baseline.Invoke ?? 0,
    spawns: baseline.InvokeEvent ?? 0,
    scanPages: baseline.Scan ?? 0,
    other,
  };
}

/** Beldi's store and invoke requests for those operations made by `entries` entry instances. */
export function beldiModel(ops: ModelOps, entries: number): { store: number; invoke: number; total: number } {
  const c = BELDI_COSTS;
  const store =
    ops.reads * c.read +
    ops.writes * c.write +
    ops.condWrites * c.condWrite +
    ops.calls * c.call.store +
    ops.spawns * c.spawn.store +
    ops.scanPages * c.scanPage +
    ops.other +
    entries * c.entry;
  const invoke = ops.calls * c.call.invoke + ops.spawns * c.spawn.invoke;
  return { store, invoke, total: store + invoke };
}
