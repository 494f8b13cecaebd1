// Node ids for drawing an AppGraph: made of positions, never of names (names are user data and
// may be anything a format gives a meaning to), so both formats need escape only labels.
import type { AppGraph, FnRef, TableRef } from "./model.js";

export interface NodeIds {
  service(name: string): string;
  fn(r: FnRef): string;
  table(r: TableRef): string;
  txn(index: number): string;
}

export function nodeIds(g: AppGraph): NodeIds {
  const services = new Map<string, number>();
  const fns = new Map<string, string>();
  const tables = new Map<string, string>();
  g.services.forEach((s, i) => {
    services.set(s.name, i);
    for (const [j, f] of s.fns.entries()) fns.set(`${s.name}\0${f.name}`, `s${i}_f${j}`);
    for (const [j, t] of s.tables.entries()) tables.set(`${s.name}\0${t}`, `s${i}_t${j}`);
  });
  const known = (id: string | undefined, what: string) => {
    if (id === undefined) throw new Error(`the graph names ${what}, which it does not declare`);
    return id;
  };
  return {
    service: (name) => `s${known(services.get(name)?.toString(), `service ${name}`)}`,
    fn: (r) => known(fns.get(`${r.service}\0${r.fn}`), `fn ${r.service}.${r.fn}`),
    table: (r) => known(tables.get(`${r.service}\0${r.table}`), `table ${r.service}.${r.table}`),
    txn: (index) => `x${index}`,
  };
}

/** What an edge or a node says about itself, in words both formats print. */
export const fnTags = (f: { readOnly: boolean; ownsTxn: boolean; inTxn: boolean; suspends?: boolean }): string[] => [
  ...(f.readOnly ? ["read-only"] : []),
  ...(f.ownsTxn ? ["runs txn"] : []),
  ...(f.inTxn ? ["in txn"] : []),
  ...(f.suspends ? ["suspends"] : []),
];

export const edgeLabel = (e: { kind: string; inTxn: boolean; sites: number }): string =>
  `${e.kind}${e.inTxn ? " in txn" : ""}${e.sites > 1 ? ` ×${e.sites}` : ""}`;

export const accessLabel = (a: { reads: boolean; writes: boolean; scans: boolean }): string =>
  [a.reads ? "reads" : "", a.writes ? "writes" : "", a.scans ? "scans" : ""].filter(Boolean).join(", ");

export const txnLabel = (t: { owner: FnRef; file: string; line: number }): string =>
  `txn in ${t.owner.service}.${t.owner.fn} (${t.file}:${t.line})`;
