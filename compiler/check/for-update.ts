// Marks reads of keys the same fn writes later (same table, same key expression): inside a
// transaction such a read takes the exclusive lock at once, so the later write needs no lock
// upgrade — an upgrade is a conflicting request under wait-die (DESIGN.md §2).
import type { IrExpr, IrFn } from "../ir.js";

/** The key expression without positions and types: equal text means the same key. */
function fingerprint(e: IrExpr): string {
  return JSON.stringify(e, (k, v) => (k === "span" || k === "type" ? undefined : v));
}

const siteNumber = (site: string) => Number(site.slice(1));

export function markReadsForUpdate(fn: IrFn): void {
  const reads: { node: Extract<IrExpr, { kind: "read" }>; at: number; id: string }[] = [];
  const writes: { at: number; id: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== "object") return;
    const n = node as { kind?: string; site?: string; table?: string; key?: IrExpr };
    if (n.site && n.table && n.key && (n.kind === "read" || n.kind === "write" || n.kind === "update" || n.kind === "delete")) {
      const entry = { at: siteNumber(n.site), id: `${n.table}\u0000${fingerprint(n.key)}` };
      if (n.kind === "read") reads.push({ node: node as Extract<IrExpr, { kind: "read" }>, ...entry });
      else writes.push(entry);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "span" && k !== "type") walk(v);
  };
  walk(fn.body);
  const lastWrite = new Map<string, number>();
  for (const w of writes) lastWrite.set(w.id, Math.max(w.at, lastWrite.get(w.id) ?? -1));
  for (const r of reads) {
    if ((lastWrite.get(r.id) ?? -1) > r.at) r.node.forUpdate = true;
  }
}
