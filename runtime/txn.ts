// Transactions (LANGUAGE.md §6): strict two-phase locking with wait-die, writes buffered until
// commit, read-your-writes, commit and abort applied exactly once by every participant.
//
// A transaction attempt has an id (its owner's instance and step path) and an age (logged when
// the block first starts; kept across restarts). Its state — the locks it holds and the values
// it will write — travels with every `call` it makes and comes back in the callee's result, so
// the owner ends up knowing every participant's locks and writes. The owner logs its decision
// (commit, restart, abort, fail) together with that state before acting on it: a crash after
// the decision is finished by re-executing the owner, which finds the decision in its log.
import { entryId } from "../contract/ids.js";
import type { ServiceRuntime } from "./service-runtime.js";
import type { Record_ } from "../contract/json.js";
import type { LockMode, TxnEnd, TxnInfo } from "../contract/envelope.js";

/** `abort` / `abort reason` in a transaction body. */
export class TxnAbort extends Error {
  constructor(readonly reason: string) {
    super(reason === "" ? "abort" : `abort: ${reason}`);
    this.name = "TxnAbort";
  }
}

const keyOf = (service: string, table: string, key: string) => JSON.stringify([service, table, key]);

export class TxnState {
  private readonly writes = new Map<string, { service: string; table: string; key: string; value: Record_ | null }>();
  private readonly locks = new Map<string, { service: string; table: string; key: string; mode: LockMode }>();
  /** values seen under this attempt's locks, by this instance: they cannot change until it ends */
  private readonly seen = new Map<string, Record_ | null>();

  constructor(
    readonly id: string,
    readonly age: number,
    /** re-running a body whose commit is already decided: no lock requests, values from the log */
    readonly decided: boolean,
  ) {}

  static from(info: TxnInfo, decided: boolean): TxnState {
    const s = new TxnState(info.id, info.age, decided);
    s.merge(info);
    return s;
  }

  /** The buffered value of a key this transaction wrote ({ value }), or undefined. */
  written(service: string, table: string, key: string): { value: Record_ | null } | undefined {
    return this.writes.get(keyOf(service, table, key));
  }

  write(service: string, table: string, key: string, value: Record_ | null): void {
    this.writes.set(keyOf(service, table, key), { service, table, key, value });
    this.lock(service, table, key, "w");
  }

  /** Remembers a value read under a lock of this attempt. */
  saw(service: string, table: string, key: string, value: Record_ | null): void {
    this.seen.set(keyOf(service, table, key), value);
  }

  /** The value read under this attempt's lock of at least `mode`, if this instance read it. */
  known(service: string, table: string, key: string, mode: LockMode): { value: Record_ | null } | undefined {
    const k = keyOf(service, table, key);
    const held = this.locks.get(k)?.mode;
    if (!this.seen.has(k) || !held || (mode === "w" && held !== "w")) return undefined;
    return { value: this.seen.get(k)! };
  }

  lockOf(service: string, table: string, key: string): LockMode | undefined {
    return this.locks.get(keyOf(service, table, key))?.mode;
  }

  lock(service: string, table: string, key: string, mode: LockMode): void {
    const k = keyOf(service, table, key);
    if (this.locks.get(k)?.mode !== "w") this.locks.set(k, { service, table, key, mode });
  }

  /** Takes in what a callee holds and wrote (its result's `txn`). */
  merge(info: TxnInfo): void {
    for (const [service, table, key, mode] of info.locks) this.lock(service, table, key, mode);
    for (const [service, table, key, value] of info.writes) this.write(service, table, key, value as Record_ | null);
  }

  /** The part of `info` (a callee's result's `txn`) that merging would change: merging it is merging `info`. */
  news(info: TxnInfo): TxnInfo {
    const locks = info.locks.filter(([service, table, key, mode]) => {
      const held = this.lockOf(service, table, key);
      return held !== "w" && held !== mode;
    });
    const writes = info.writes.filter(([service, table, key, value]) => {
      const w = this.written(service, table, key);
      return !w || JSON.stringify(w.value) !== JSON.stringify(value);
    });
    return { id: info.id, age: info.age, locks, writes };
  }

  info(): TxnInfo {
    return {
      id: this.id,
      age: this.age,
      writes: [...this.writes.values()].map((w) => [w.service, w.table, w.key, w.value]),
      locks: [...this.locks.values()].map((l) => [l.service, l.table, l.key, l.mode]),
    };
  }
}

/** Splits a transaction's end by participant service. */
export function endsByService(info: TxnInfo, op: "commit" | "abort"): Map<string, TxnEnd> {
  const out = new Map<string, TxnEnd>();
  const of = (service: string) => {
    let e = out.get(service);
    if (!e) out.set(service, (e = { op, id: info.id, writes: [], locks: [] }));
    return e;
  };
  for (const [service, table, key, mode] of info.locks) of(service).locks.push([table, key, mode]);
  if (op === "commit") for (const [service, table, key, value] of info.writes) of(service).writes.push([table, key, value]);
  return out;
}

/**
 * Carries out a transaction's commit or abort on this service's tables: each buffered write is
 * applied exactly once under the transaction's lock, releasing it in the same request; every
 * other lock is released. Idempotent: a re-execution repeats it harmlessly.
 */
export async function applyTxnEnd(rt: ServiceRuntime, end: TxnEnd, careful: boolean): Promise<void> {
  const written = new Set<string>();
  const jobs: Promise<unknown>[] = [];
  if (end.op === "commit") {
    for (const [table, key, value] of end.writes) {
      written.add(JSON.stringify([table, key]));
      const t = rt.table(table);
      const mod = value === null ? ({ kind: "delete" } as const) : ({ kind: "write", value: value as Record_ } as const);
      jobs.push(rt.daal.modify(t, key, entryId(end.id, "commit"), mod, careful, { commitOf: end.id }));
    }
  }
  for (const [table, key, mode] of end.locks) {
    if (written.has(JSON.stringify([table, key]))) continue;
    jobs.push(rt.locks.release(rt.table(table), key, end.id, mode));
  }
  await Promise.all(jobs);
}

/**
 * Locks taken by an execution of this instance that lost a log race to another execution and
 * starts over from the log, by attempt id. The other execution's decision lists only the locks
 * *it* knew of, so the execution that carries on releases these (or holds them as its own).
 */
export class OrphanLocks {
  private readonly byTxn = new Map<string, Map<string, TxnInfo["locks"][number]>>();

  add(info: TxnInfo): void {
    if (!info.locks.length) return;
    let held = this.byTxn.get(info.id);
    if (!held) this.byTxn.set(info.id, (held = new Map()));
    for (const l of info.locks) if (held.get(keyOf(l[0], l[1], l[2]))?.[3] !== "w") held.set(keyOf(l[0], l[1], l[2]), l);
  }

  /** Removes and returns the orphaned locks of one attempt. */
  take(id: string): TxnInfo["locks"] {
    const held = this.byTxn.get(id);
    this.byTxn.delete(id);
    return held ? [...held.values()] : [];
  }
}
