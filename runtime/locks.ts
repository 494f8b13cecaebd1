// Per-key transaction locks, kept in the key's DAAL head row so they survive roll-over (which
// copies every attribute but the log). Strict 2PL with wait-die: an older transaction waits
// (polling, bounded) for younger holders; a younger one dies and its transaction restarts.
//   LW  exclusive holder (a transaction attempt id)      LA  its age
//   r_<id>  a shared holder and its age                  RC  number of shared holders
import { GetItemCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { recordOf, type DataTable } from "./rows.js";
import { ExprBuilder } from "./expr.js";
import { backoff, errorName, StoreAmbiguous, type Store } from "./store.js";
import type { Record_ } from "../contract/json.js";
import type { LockMode } from "../contract/envelope.js";
import { EXISTS, headKey, LOCK_AGE, LOCK_HOLDER, SHARED_COUNT, SHARED_PREFIX, VERSION } from "../contract/schema.js";
import { setTimeout as sleep } from "node:timers/promises";

/** A transaction attempt as a lock holder: older means smaller (age, id). */
export interface Holder {
  id: string;
  age: number;
}

/** Wait-die said this transaction must die: restart it (keeping its age). */
export class TxnDie extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "TxnDie";
  }
}

type Item = Record<string, AttributeValue>;

const older = (a: Holder, b: Holder) => a.age < b.age || (a.age === b.age && a.id < b.id);

/** A transaction holding a lock on an item, and how. */
export interface LockHolder extends Holder {
  mode: LockMode;
}

/** The transactions holding locks on an item that conflict with `mode` for `me` (`me` null: all holders). */
export function conflictingHolders(item: Item | undefined, me: string | null, mode: LockMode): LockHolder[] {
  const out: LockHolder[] = [];
  const lw = item?.[LOCK_HOLDER]?.S;
  if (lw && lw !== me) out.push({ id: lw, age: Number(item?.[LOCK_AGE]?.N ?? 0), mode: "w" });
  if (mode === "w") {
    for (const [name, v] of Object.entries(item ?? {})) {
      if (name.startsWith(SHARED_PREFIX) && name !== SHARED_PREFIX + me)
        out.push({ id: name.slice(SHARED_PREFIX.length), age: Number(v.N ?? 0), mode: "r" });
    }
  }
  return out;
}

/** Whether a holder's attempt is over as far as its lock on `t[key]` goes (runtime/stale-locks.ts). */
export type AttemptIsOver = (holder: string, t: DataTable, key: string) => Promise<boolean>;

export class Locks {
  constructor(
    private readonly store: Store,
    private readonly isOver?: AttemptIsOver,
    /** only holders whose transaction started this long ago are looked into (one Query each) */
    private readonly suspectAfterMs = Infinity,
  ) {}

  /**
   * Removes the locks on `t[key]` (as seen in `item`) whose holders started over
   * `suspectAfterMs` ago and whose attempts are over: locks taken late by an execution that
   * died. Each holder is asked about once per `asked` set. Whether any lock was removed.
   */
  async clearLeft(t: DataTable, key: string, item: Item | undefined, asked: Set<string> = new Set()): Promise<boolean> {
    if (!this.isOver) return false;
    let cleared = false;
    for (const h of conflictingHolders(item, null, "w")) {
      if (asked.has(h.id) || Date.now() - h.age < this.suspectAfterMs) continue;
      asked.add(h.id);
      if (!(await this.isOver(h.id, t, key))) continue;
      await this.release(t, key, h.id, h.mode);
      cleared = true;
    }
    return cleared;
  }

  private async update(
    t: DataTable,
    key: string,
    b: ExprBuilder,
    expr: string,
    cond: string,
  ): Promise<{ ok: true; item?: Item } | { ok: false; old?: Item }> {
    try {
      const r = await this.store.send<{ Attributes?: Item }>(
        new UpdateItemCommand({
          TableName: t.name,
          Key: headKey(key),
          UpdateExpression: expr,
          ConditionExpression: cond,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: this.store.returnsOld ? "ALL_OLD" : undefined,
          ...b.params(expr, cond),
        }),
        // Lock operations are idempotent for their holder: repeating one is harmless.
        { idempotent: true },
      );
      return { ok: true, item: r.Attributes };
    } catch (e) {
      if (errorName(e) === "ConditionalCheckFailedException") return { ok: false, old: (e as { Item?: Item }).Item };
      throw e;
    }
  }

  private async head(t: DataTable, key: string): Promise<Item | undefined> {
    const r = await this.store.send<{ Item?: Item }>(new GetItemCommand({ TableName: t.name, Key: headKey(key), ConsistentRead: true }));
    return r.Item;
  }

  /**
   * Takes a lock for `me` and returns the key's current value (one UpdateItem when the key is
   * free). Already holding it (or a stronger one) is fine. Throws TxnDie when an older
   * transaction holds a conflicting lock, or after waiting `waitMs` for younger ones.
   */
  async acquire(t: DataTable, key: string, me: Holder, mode: LockMode, waitMs: number): Promise<Record_ | null> {
    const deadline = Date.now() + waitMs;
    const asked = new Set<string>();
    const rowValue = (item: Item | undefined) => (item?.[EXISTS] ? recordOf(t, item) : null);
    for (let attempt = 0; ; attempt++) {
      const b = new ExprBuilder();
      const lw = b.n(LOCK_HOLDER);
      const rc = b.n(SHARED_COUNT);
      const mine = b.n(SHARED_PREFIX + me.id);
      const bump = `${b.n(VERSION)} = if_not_exists(${b.n(VERSION)}, ${b.v(0)}) + ${b.v(1)}`;
      const noForeignWriter = `attribute_not_exists(${lw}) OR ${lw} = ${b.v(me.id)}`;
      const r =
        mode === "r"
          ? await this.update(
              t,
              key,
              b,
              `SET ${mine} = ${b.v(me.age)}, ${rc} = if_not_exists(${rc}, ${b.v(0)}) + ${b.v(1)}, ${bump}`,
              // (holding the exclusive lock already is enough: seen below, without adding a shared one)
              `attribute_not_exists(${lw}) AND attribute_not_exists(${mine})`,
            )
          : await this.update(
              t,
              key,
              b,
              `SET ${lw} = ${b.v(me.id)}, ${b.n(LOCK_AGE)} = ${b.v(me.age)}, ${bump}`,
              `(${noForeignWriter}) AND (attribute_not_exists(${rc}) OR ${rc} = ${b.v(0)})`,
            );
      if (r.ok) return rowValue(r.item);
      const old = r.old ?? (await this.head(t, key));
      if (old?.[LOCK_HOLDER]?.S === me.id) return rowValue(old); // we hold it exclusively
      if (mode === "r" && old?.[SHARED_PREFIX + me.id]) return rowValue(old);
      if (mode === "w" && !old?.[LOCK_HOLDER] && Number(old?.[SHARED_COUNT]?.N ?? 0) === 1 && old?.[SHARED_PREFIX + me.id]) {
        // Upgrade our own shared lock, if we are its only holder.
        const u = new ExprBuilder();
        const up = await this.update(
          t,
          key,
          u,
          `SET ${u.n(LOCK_HOLDER)} = ${u.v(me.id)}, ${u.n(LOCK_AGE)} = ${u.v(me.age)}, ${u.n(SHARED_COUNT)} = ${u.v(0)}, ` +
            `${u.n(VERSION)} = ${u.n(VERSION)} + ${u.v(1)} REMOVE ${u.n(SHARED_PREFIX + me.id)}`,
          `attribute_not_exists(${u.n(LOCK_HOLDER)}) AND ${u.n(SHARED_COUNT)} = ${u.v(1)} ` +
            `AND attribute_exists(${u.n(SHARED_PREFIX + me.id)})`,
        );
        if (up.ok) return rowValue(up.item);
        continue;
      }
      const holders = conflictingHolders(old, me.id, mode);
      if (!holders.length) continue; // released meanwhile: try again
      const elder = holders.find((h) => older(h, me));
      if (elder || Date.now() > deadline) {
        // Before dying: a long-held lock may be one nobody will release.
        if (await this.clearLeft(t, key, old, asked)) continue;
        if (elder) throw new TxnDie(`${t.label}[${key}] is locked by an older transaction`);
        throw new TxnDie(`waited ${waitMs} ms for ${t.label}[${key}]`);
      }
      await sleep(backoff(Math.min(attempt, 8), 5, 200));
    }
  }

  /** Releases `me`'s lock of either mode (idempotent). */
  async release(t: DataTable, key: string, me: string, mode: LockMode): Promise<void> {
    const b = new ExprBuilder();
    const bump = `${b.n(VERSION)} = ${b.n(VERSION)} + ${b.v(1)}`;
    const [expr, cond] =
      mode === "w"
        ? [`REMOVE ${b.n(LOCK_HOLDER)}, ${b.n(LOCK_AGE)} SET ${bump}`, `${b.n(LOCK_HOLDER)} = ${b.v(me)}`]
        : [
            `REMOVE ${b.n(SHARED_PREFIX + me)} SET ${b.n(SHARED_COUNT)} = ${b.n(SHARED_COUNT)} - ${b.v(1)}, ${bump}`,
            `attribute_exists(${b.n(SHARED_PREFIX + me)})`,
          ];
    try {
      await this.store.send(
        new UpdateItemCommand({ TableName: t.name, Key: headKey(key), UpdateExpression: expr, ConditionExpression: cond, ...b.params() }),
        { idempotent: true },
      );
    } catch (e) {
      if (errorName(e) !== "ConditionalCheckFailedException" && !(e instanceof StoreAmbiguous)) throw e;
    }
  }
}
