// An app as a graph, from its IR alone: services with their tables and fns, the fns' `call`,
// `spawn` and inline-call edges, which fn touches which table, and each `txn` block's scope (the
// fns and tables its body reaches). Plain data in the IR's order, so every drawing of it is
// deterministic; mermaid.ts and dot.ts draw it.
import type { IrFn, IrProgram, IrService } from "../ir.js";
import { compareCodeUnits as byName } from "../order.js";

export interface FnRef {
  service: string;
  fn: string;
}

export interface TableRef {
  service: string;
  table: string;
}

export interface AppGraph {
  app: string;
  services: GraphService[];
  /** call, spawn and inline-call edges between fns, one per (kind, caller, callee, inside a txn or not) */
  edges: GraphEdge[];
  /** which fn reads or writes which table (a service's tables are its own fns') */
  access: TableAccess[];
  /** every `txn` block, in source order */
  transactions: TxnScope[];
}

export interface GraphService {
  name: string;
  tables: string[];
  fns: GraphFn[];
}

export interface GraphFn {
  name: string;
  /** no write, spawn or txn anywhere it reaches: runs without logs or intents */
  readOnly: boolean;
  /** runs a `txn` block itself */
  ownsTxn: boolean;
  /** reached from the body of some `txn` (through calls and inline calls): runs inside it there */
  inTxn: boolean;
  /** may suspend its instance: a `sleep` or `wait` in it or in a fn it inlines (LANGUAGE.md §9; absent: no) */
  suspends?: true;
}

export type EdgeKind = "call" | "spawn" | "inline";

export interface GraphEdge {
  kind: EdgeKind;
  from: FnRef;
  to: FnRef;
  /** the call is written inside a `txn` body: the callee joins that transaction */
  inTxn: boolean;
  /** how many call sites this edge stands for */
  sites: number;
}

export interface TableAccess {
  fn: FnRef;
  table: TableRef;
  reads: boolean;
  /** write, update or delete */
  writes: boolean;
  scans: boolean;
}

export interface TxnScope {
  owner: FnRef;
  /** the block's static site id, and where it is */
  site: string;
  file: string;
  line: number;
  /** the fns its body reaches through calls and inline calls, transitively (not the owner) */
  fns: FnRef[];
  /** the tables the body and those fns read or write: what the transaction locks */
  tables: TableRef[];
}

/** What one fn's body does, each operation marked inside a `txn` body or not. */
interface FnFacts {
  calls: { kind: EdgeKind; to: FnRef; inTxn: boolean }[];
  tables: { table: string; op: "read" | "write" | "scan"; inTxn: boolean }[];
  txns: { site: string; file: string; line: number; body: IrFn["body"] }[];
}

const key = (r: FnRef) => `${r.service}\0${r.fn}`;

/** Walks a fn's body without recursion (bodies nest up to 200 levels, expressions deeper). */
function factsOf(service: IrService, fn: IrFn): FnFacts {
  const facts: FnFacts = { calls: [], tables: [], txns: [] };
  const work: { node: unknown; inTxn: boolean }[] = [{ node: fn.body, inTxn: false }];
  while (work.length) {
    const { node, inTxn } = work.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) work.push({ node: node[i], inTxn });
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    const n = node as Record<string, unknown> & { kind?: unknown };
    switch (n.kind) {
      case "txn": {
        const span = n.span as { file: string; line: number };
        facts.txns.push({ site: n.site as string, file: span.file, line: span.line, body: n.body as IrFn["body"] });
        // the body runs inside the transaction; `else` runs after it, outside
        work.push({ node: n.else, inTxn }, { node: n.body, inTxn: true });
        continue;
      }
      case "call":
      case "spawn":
        facts.calls.push({ kind: n.kind, to: { service: n.service as string, fn: n.fn as string }, inTxn });
        break;
      case "inline":
        facts.calls.push({ kind: "inline", to: { service: service.name, fn: n.fn as string }, inTxn });
        break;
      case "read":
        facts.tables.push({ table: n.table as string, op: "read", inTxn });
        break;
      case "scan":
        facts.tables.push({ table: n.table as string, op: "scan", inTxn });
        break;
      case "write":
      case "update":
      case "delete":
        facts.tables.push({ table: n.table as string, op: "write", inTxn });
        break;
    }
    // every other field may hold statements or expressions (types and spans hold no kinds we act on)
    for (const [field, value] of Object.entries(n)) {
      if (field !== "span" && field !== "type" && typeof value === "object" && value !== null) work.push({ node: value, inTxn });
    }
  }
  return facts;
}

/** The app's graph, from its IR. */
export function appGraph(ir: IrProgram): AppGraph {
  const facts = new Map<string, FnFacts>();
  for (const s of ir.services) for (const f of s.fns) facts.set(key({ service: s.name, fn: f.name }), factsOf(s, f));

  const edges: GraphEdge[] = [];
  const edgeAt = new Map<string, GraphEdge>();
  const access: TableAccess[] = [];
  const accessAt = new Map<string, TableAccess>();
  const transactions: TxnScope[] = [];
  const inTxn = new Set<string>();

  for (const s of ir.services) {
    for (const f of s.fns) {
      const from = { service: s.name, fn: f.name };
      const mine = facts.get(key(from))!;
      for (const c of mine.calls) {
        const k = `${c.kind}\0${key(from)}\0${key(c.to)}\0${c.inTxn}`;
        const e = edgeAt.get(k);
        if (e) e.sites++;
        else {
          const added: GraphEdge = { kind: c.kind, from, to: c.to, inTxn: c.inTxn, sites: 1 };
          edgeAt.set(k, added);
          edges.push(added);
        }
      }
      for (const t of mine.tables) {
        const k = `${key(from)}\0${t.table}`;
        let a = accessAt.get(k);
        if (!a) {
          a = { fn: from, table: { service: s.name, table: t.table }, reads: false, writes: false, scans: false };
          accessAt.set(k, a);
          access.push(a);
        }
        if (t.op === "read") a.reads = true;
        else if (t.op === "write") a.writes = true;
        else a.scans = true;
      }
      for (const txn of mine.txns) {
        const scope = txnScope(s, f, txn.body, facts);
        transactions.push({ owner: from, site: txn.site, file: txn.file, line: txn.line, ...scope });
        for (const r of scope.fns) inTxn.add(key(r));
      }
    }
  }

  const services: GraphService[] = ir.services.map((s) => ({
    name: s.name,
    tables: s.tables.map((t) => t.name),
    fns: s.fns.map(
      (f): GraphFn => ({
        name: f.name,
        readOnly: f.readOnly,
        ownsTxn: f.effects.txn,
        inTxn: inTxn.has(key({ service: s.name, fn: f.name })),
        ...(f.effects.suspends ? { suspends: true as const } : {}),
      }),
    ),
  }));
  return { app: ir.app, services, edges, access, transactions };
}

/** The fns and tables a txn body of `fn` reaches (a txn body holds no txn: all it reaches is this block's). */
function txnScope(service: IrService, fn: IrFn, body: IrFn["body"], facts: Map<string, FnFacts>): { fns: FnRef[]; tables: TableRef[] } {
  const owner = { service: service.name, fn: fn.name };
  const own = factsOf(service, { ...fn, body });
  const fns: FnRef[] = [];
  const seen = new Set<string>();
  const tables = new Map<string, TableRef>();
  for (const t of own.tables) tables.set(`${owner.service}\0${t.table}`, { service: owner.service, table: t.table });
  const queue = own.calls.map((c) => c.to);
  while (queue.length) {
    const r = queue.shift()!;
    if (seen.has(key(r)) || key(r) === key(owner)) continue;
    seen.add(key(r));
    fns.push(r);
    const f = facts.get(key(r));
    if (!f) continue;
    for (const t of f.tables) tables.set(`${r.service}\0${t.table}`, { service: r.service, table: t.table });
    queue.push(...f.calls.map((c) => c.to));
  }
  fns.sort((a, b) => byName(a.service, b.service) || byName(a.fn, b.fn));
  return { fns, tables: [...tables.values()].sort((a, b) => byName(a.service, b.service) || byName(a.table, b.table)) };
}
