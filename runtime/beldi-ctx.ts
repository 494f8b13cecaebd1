// BeldiCtx: the exactly-once implementation of what generated fn bodies call (contract/ctx.ts)
// for every logged operation. A BeldiCtx is an execution of an instance plus a step path; step ids are the
// path plus the compiler's static site id, so the k-th execution of a site has the same id on every
// re-execution (no shared counter).
import { randomUUID } from "node:crypto";
import { approxSize, assertStorable } from "./codec.js";
import { checkKey } from "./daal.js";
import type { Modification, Outcome } from "./modification.js";
import { applyUpdate } from "./eval-update.js";
import { TxnDie } from "./locks.js";
import { applyTxnEnd, endsByService, TxnAbort, TxnState, type OrphanLocks } from "./txn.js";
import { BeldiFailure, codeFailure, thrownByCode } from "./errors.js";
import { checkDeadline } from "./deadline.js";
import { MAX_LOGGED_VALUE_BYTES, RestartExecution } from "./log.js";
import type { InstanceLog, LogBuffer } from "./log.js";
import { attemptId, callId, decisionStepOf, entryId, spawnId } from "../contract/ids.js";
import type { ServiceRuntime } from "./service-runtime.js";
import { CONFLICT_REASON, type Ctx, type TxnOutcome } from "../contract/ctx.js";
import type { TypeDesc } from "../contract/types.js";
import { Suspend } from "./suspension.js";
import { signalInstance } from "./signal-delivery.js";
import { mismatch } from "./validate.js";
import type { InvocationResult } from "../contract/envelope.js";
export { TxnState };
import type { UpdateSpec } from "../contract/update-spec.js";
import type { Json, Record_ } from "../contract/json.js";
import type { Decision, LockMode, TxnInfo } from "../contract/envelope.js";

/** One execution of one instance. */
export interface Execution {
  readonly rt: ServiceRuntime;
  /** the fn it runs (named in failures) */
  readonly fn: string;
  readonly instance: string;
  /** not the first execution (or unsure): check every row for logged steps, write pinned entries */
  readonly careful: boolean;
  readonly log: InstanceLog;
  readonly trace: string | undefined;
  /** locks earlier executions of this instance (in this handler run) took and lost track of */
  readonly orphans: OrphanLocks;
  /** a fn with no effect anywhere it reaches, outside a transaction: nothing is logged */
  readonly readOnly: boolean;
}

/** A call's result as a transaction's owner logs it: with the locks and writes the callee added. */
export type LoggedCall = ({ ok: true; value: Json } | { ok: false; error: { code: string; message: string } }) & {
  txn?: TxnInfo;
  /** the callee's values it did not log itself, by step */
  values?: Record<string, Json>;
  /** it lost a lock conflict: the attempt restarts */
  restart?: true;
};

/** Logged where a lock request lost (wait-die): no record value has a `$` field. */
const DIED = { $died: true } as const;
const isDied = (v: unknown): boolean => typeof v === "object" && v !== null && (v as Record<string, unknown>).$died === true;

/** Scan results are logged in pages, each well inside one item. */
const SCAN_PAGE_BYTES = 250_000;

/** How many times a transaction restarts (wait-die) before it takes its `else` branch. */
const MAX_TXN_ATTEMPTS = 10;

export class BeldiCtx implements Ctx {
  constructor(
    private readonly x: Execution,
    private readonly path: string,
    /** the unlogged values of this strand of the execution */
    private readonly buf: LogBuffer,
    /** the transaction this code runs in, if any */
    private readonly tx?: TxnState,
  ) {}

  private step(site: string): string {
    return this.path + site;
  }

  /** The steps of an inline call of a same-service fn, made at `site`. */
  inline(site: string): BeldiCtx {
    checkDeadline("an inline call");
    return new BeldiCtx(this.x, `${this.path}${site}/`, this.buf, this.tx);
  }

  /** The steps of iteration `i` of the loop at `site`. */
  iter(site: string, i: number): BeldiCtx {
    checkDeadline("a loop's next iteration");
    return new BeldiCtx(this.x, `${this.path}${site}.${i}/`, this.buf, this.tx);
  }

  /**
   * `parallel { ... }`: runs each branch concurrently on its own step path and log buffer. The
   * fn fails (or restarts) after every branch has finished, with the first failure in branch
   * order; a restart wins over a failure, which may rest on values another execution replaced,
   * and so does a crash: its branch has not finished, and only a re-execution finishes it.
   */
  async parallel<const T extends readonly ((c: Ctx) => Promise<unknown>)[]>(
    site: string,
    branches: T,
  ): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
    await this.buf.flush(undefined, false); // the branches' effects may depend on what this strand read
    const bufs = branches.map(() => this.x.log.buffer());
    const settled = await Promise.allSettled(branches.map((b, i) => b(new BeldiCtx(this.x, `${this.path}${site}.b${i}/`, bufs[i]!))));
    const failures = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
    // a restart first, then a crash (its branch must run again before the fn can end), then the first other outcome
    const outcome = (e: unknown) =>
      e instanceof BeldiFailure || e instanceof TxnAbort || e instanceof TxnDie || e instanceof Suspend || thrownByCode(e);
    if (failures.length) throw failures.find((e) => e instanceof RestartExecution) ?? failures.find((e) => !outcome(e)) ?? failures[0];
    for (const b of bufs) this.buf.adopt(b);
    return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  }

  /**
   * A logged value: from the log when some execution logged it, else computed and buffered.
   * `repeatable`: any other execution computes the same value until the transaction decides (LogBuffer.record).
   */
  private async logged<T extends Json>(site: string, what: string, compute: () => Promise<T> | T, repeatable = false): Promise<T> {
    if (this.x.readOnly) return compute();
    const step = this.step(site);
    if (this.x.log.has(step)) return this.x.log.get(step) as T;
    const v = await compute();
    this.buf.record(step, v, what, repeatable);
    return v;
  }

  /** `read T[k]`; `forUpdate`: the fn writes the key later, so a transaction takes the exclusive lock now. */
  async read<T>(site: string, table: string, key: string, forUpdate = false): Promise<T | null> {
    const t = this.x.rt.table(table);
    if (this.tx) {
      const service = this.x.rt.service;
      const mine = this.tx.written(service, table, key) ?? this.tx.known(service, table, key, "r");
      if (mine) return mine.value as T | null; // read-your-writes, or read again under our lock
      const mode = forUpdate ? "w" : "r";
      // Read under this attempt's lock: repeatable until the attempt's decision releases it.
      const v = await this.lockedValue(site, table, key, mode);
      // From the log, the lock is still ours (only this attempt's decision releases it): note it.
      this.tx.lock(service, table, key, mode);
      this.tx.saw(service, table, key, v);
      return v as T | null;
    }
    return (await this.logged(site, `the value of ${table}[${key}]`, () => this.x.rt.daal.read(t, key))) as T | null;
  }

  /**
   * A key's value read under this attempt's lock, logged at `site` (repeatable until the decision).
   * Losing the lock (wait-die) is logged there too, with the restart decision: an execution of
   * the attempt that got the lock then puts its next batch under the same first step as this
   * one, so the two cannot both log a decision for the attempt (runtime/log.ts).
   */
  private async lockedValue(site: string, table: string, key: string, mode: LockMode): Promise<Record_ | null> {
    const step = this.step(site);
    if (this.x.log.has(step)) {
      const v = this.x.log.get(step) as Record_ | null;
      if (isDied(v)) throw new TxnDie(`${table}[${key}]: the lock was lost (logged)`);
      return v;
    }
    let v: Record_ | null;
    try {
      v = await this.lock(table, key, mode);
    } catch (e) {
      if (e instanceof TxnDie) this.buf.record(step, DIED as unknown as Json, `the lock of ${table}[${key}]`, true);
      throw e;
    }
    this.buf.record(step, v, `the value of ${table}[${key}]`, true);
    return v;
  }

  /** Takes a transaction lock (or finds it held) and returns the key's value. */
  private async lock(table: string, key: string, mode: LockMode): Promise<Record_ | null> {
    const tx = this.tx!;
    checkKey(table, key);
    // a lock is held for this attempt by every execution: only a claimed one takes it (a late duplicate stops first)
    // a lock is left in the store: the instance must be registered (an entry still to register takes its pending values along)
    if (!this.x.log.claimed || this.x.log.unregistered) await this.buf.flush();
    else await this.x.log.registered();
    const v = await this.x.rt.locks.acquire(this.x.rt.table(table), key, { id: tx.id, age: tx.age }, mode, this.x.rt.txnWaitMs);
    tx.lock(this.x.rt.service, table, key, mode);
    return v;
  }

  /** A write, update or delete inside a transaction: computed on the locked value, buffered until commit. */
  private async txnModify(site: string, table: string, key: string, mod: Modification): Promise<boolean> {
    const tx = this.tx!;
    const service = this.x.rt.service;
    const mine = tx.written(service, table, key) ?? tx.known(service, table, key, "w");
    let base: Record_ | null;
    if (mine) base = mine.value;
    else {
      // The value it was computed from is logged: a re-execution after the commit cannot re-read it.
      base = await this.lockedValue(`${site}.v`, table, key, "w");
      tx.lock(service, table, key, "w");
      tx.saw(service, table, key, base);
    }
    if (mod.kind === "write") tx.write(service, table, key, mod.value);
    else if (mod.kind === "delete") tx.write(service, table, key, null);
    else {
      const r = applyUpdate(mod.spec, base, `${table}[${key}]`);
      if (!r.applied) return false;
      assertStorable(r.value, `the value of ${table}[${key}]`);
      tx.write(service, table, key, r.value);
    }
    return true;
  }

  /** `abort` / `abort reason` in a transaction body. */
  /**
   * `sleep ms`: its wake-up time is logged by the first execution; until then the instance
   * suspends (the execution returns), and every later execution passes through.
   */
  async sleep(site: string, ms: number): Promise<void> {
    const wakeAt = await this.logged(site, "a sleep's wake-up time", () => Date.now() + Math.max(0, ms));
    if (Date.now() < wakeAt) throw new Suspend(wakeAt, []);
  }

  /**
   * `wait "name" as T [timeout ms]`: the delivered signal's value (checked against T), or null
   * once the timeout has passed; otherwise the instance suspends until one or the other. The
   * outcome is logged like a read: the first execution to log it wins, so a timeout racing a
   * signal is decided once.
   */
  async wait<T>(site: string, name: string, type: TypeDesc, timeoutMs: number | null): Promise<T | null> {
    const step = this.step(site);
    if (this.x.log.has(step)) return this.x.log.get(step) as T | null;
    const deadline =
      timeoutMs === null ? null : await this.logged(`${site}.t`, "a wait's deadline", () => Date.now() + Math.max(0, timeoutMs));
    // signals are kept in the intent: it must be this instance's, registered, before they are
    // looked at (an entry still to register takes its pending values along)
    if (this.x.log.unregistered) await this.buf.flush();
    else await this.x.log.registered();
    const text = await this.x.rt.suspensionsOf(this.x.rt.service).signal(this.x.instance, name);
    if (text !== undefined) {
      const value = JSON.parse(text) as Json;
      const m = mismatch(value, type, this.x.rt.types, `signal ${name}`);
      if (m) throw BeldiFailure.of("signalType", `wait "${name}": ${m}`);
      this.buf.record(step, value, `signal ${name}`);
      return value as T;
    }
    if (deadline !== null && Date.now() >= deadline) {
      this.buf.record(step, null, `the timeout of wait "${name}"`);
      return null;
    }
    throw new Suspend(deadline, [name]);
  }

  /** `signal(id, name, v)`: delivered once, after what this strand read is durable; the outcome is logged. */
  async signal(site: string, instanceId: string, name: string, value: unknown): Promise<boolean> {
    return this.logged(site, `signal ${name}`, async () => {
      await this.buf.flush();
      return signalInstance(this.x.rt, instanceId, name, value, entryId(this.x.instance, this.step(site)));
    });
  }

  abort(reason = ""): never {
    // it is logged with the decision: text the store would change fails the fn instead (R code)
    assertStorable(reason, "the reason of `abort`");
    throw new TxnAbort(reason);
  }

  /**
   * `txn { body } else { ... }`. Runs the body as attempt 0, 1, ... of one transaction (the age
   * is kept), each attempt's steps on their own path; logs each attempt's decision with what it
   * holds before carrying it out. `restore` puts back the outer vars the body assigns.
   */
  async txn<R>(site: string, body: (c: Ctx) => Promise<{ value: R } | undefined>, restore: () => void): Promise<TxnOutcome<R>> {
    if (this.tx) throw new Error("nested transactions are not allowed");
    // (repeatable enough: an age only orders wait-die, whose waits are bounded; every decision logs it)
    const age = await this.logged(`${site}.age`, "a transaction's age", () => Date.now(), true);
    for (let attempt = 0; ; attempt++) {
      const attemptSite = `${site}.a${attempt}`;
      const decisionStep = decisionStepOf(this.step(attemptSite));
      const decided = this.x.log.get(decisionStep) as Decision | undefined;
      const id = attemptId(this.x.instance, this.step(attemptSite), this.x.rt.service);
      // Locks an execution that lost a log race took under this attempt's id: released once the
      // attempt's logged decision is carried out, or kept by this execution when it is undecided.
      const orphans = this.x.orphans.take(id);
      if (decided && decided.kind !== "commit") {
        await this.endTxn(decided, "abort");
        await this.releaseOrphans(id, orphans);
        restore();
        if (decided.kind === "restart") continue;
        if (decided.kind === "fail") throw new BeldiFailure(decided.error.code, decided.error.message);
        // the logged reason: a re-execution takes the same `else` with the same `r`
        return { committed: false, reason: decided.reason ?? "" };
      }
      const tx = new TxnState(id, age, decided !== undefined);
      if (!decided) for (const [service, table, key, mode] of orphans) tx.lock(service, table, key, mode);
      const decide = async (d: Decision) => {
        await this.buf.flush({ [decisionStep]: d as unknown as Json });
        await this.endTxn(d, d.kind === "commit" ? "commit" : "abort");
      };
      try {
        let result: { value: R } | undefined;
        try {
          result = await body(new BeldiCtx(this.x, `${this.path}${attemptSite}/`, this.buf, tx));
        } catch (thrown) {
          // code that threw fails the fn like `fail`: the attempt aborts rather than holding its locks
          const e = codeFailure(thrown, `${this.x.rt.service}.${this.x.fn}`) ?? thrown;
          if (decided) throw e;
          if (e instanceof TxnDie) {
            // out of restarts: abort, and `else (r)` gets "conflict" (LANGUAGE.md §9), logged with the decision
            const last = attempt + 1 >= MAX_TXN_ATTEMPTS;
            await decide(last ? { kind: "abort", reason: CONFLICT_REASON, ...tx.info() } : { kind: "restart", ...tx.info() });
            restore();
            if (last) return { committed: false, reason: CONFLICT_REASON };
            continue;
          }
          if (e instanceof TxnAbort) {
            // a bare `abort` logs no reason (read back as "")
            await decide({ kind: "abort", ...(e.reason === "" ? {} : { reason: e.reason }), ...tx.info() });
            restore();
            return { committed: false, reason: e.reason };
          }
          if (e instanceof BeldiFailure) {
            // `fail`, or a call that failed: abort, skip `else`, fail the fn.
            await decide({ kind: "fail", error: e.info(), ...tx.info() });
            throw e;
          }
          throw e; // a crash or a restart of the execution: the attempt stays open, its locks held
        }
        if (decided) {
          await this.endTxn(decided, "commit");
          await this.releaseOrphans(id, orphans);
        } else {
          const info = tx.info();
          const size = approxSize(info);
          if (size > MAX_LOGGED_VALUE_BYTES) {
            // Its decision (which carries every write) would not fit one log item: fail it, and abort.
            const error = BeldiFailure.of(
              "tooLarge",
              `the transaction writes about ${size} bytes in all, over the ${MAX_LOGGED_VALUE_BYTES} one transaction may write`,
            );
            await decide({ kind: "fail", error: error.info(), ...info, writes: [] });
            throw error;
          }
          await decide({ kind: "commit", ...info });
        }
        return { committed: true, result };
      } catch (e) {
        // Another execution logged first and may decide this attempt without knowing our locks.
        if (e instanceof RestartExecution) this.x.orphans.add(tx.info());
        throw e;
      }
    }
  }

  /** Releases locks an attempt's decision did not list, after that decision was carried out. */
  private async releaseOrphans(id: string, locks: TxnInfo["locks"]): Promise<void> {
    if (locks.length) await this.endTxn({ id, age: 0, writes: [], locks }, "abort");
  }

  /** Carries out a decision: this service's part here, every other participant's by a call. */
  private async endTxn(info: TxnInfo, op: "commit" | "abort"): Promise<void> {
    const rt = this.x.rt;
    await Promise.all(
      [...endsByService(info, op)].map(async ([service, end]) => {
        if (service === rt.service) return applyTxnEnd(rt, end, this.x.careful);
        const r = await rt.invoker.call(service, {
          fn: "",
          instanceId: `${info.id}/${op}`,
          input: {},
          beldi: { kind: "txn", end, replay: this.x.careful, trace: this.x.trace },
        });
        if (!r.ok) throw new Error(`${service} could not ${op} transaction ${info.id}: ${r.error.message}`);
      }),
    );
  }

  /** `scan T`: every key with a value, ascending; logged in pages so no item exceeds the store's limit. */
  async scan<V>(site: string, table: string): Promise<{ key: string; value: V }[]> {
    if (this.x.readOnly) return (await this.x.rt.daal.scan(this.x.rt.table(table))) as { key: string; value: V }[];
    const step = this.step(site);
    const page = (i: number) => `${step}~p${i}`;
    if (this.x.log.has(step)) {
      const pages = this.x.log.get(step) as number;
      return Array.from({ length: pages }, (_, i) => this.x.log.get(page(i)) as { key: string; value: V }[]).flat();
    }
    const rows = await this.x.rt.daal.scan(this.x.rt.table(table));
    const pages: (typeof rows)[] = [[]];
    let size = 0;
    for (const row of rows) {
      const s = approxSize(row);
      if (size + s > SCAN_PAGE_BYTES && pages[pages.length - 1]!.length) {
        pages.push([]);
        size = 0;
      }
      pages[pages.length - 1]!.push(row);
      size += s;
    }
    for (const [i, p] of pages.entries()) this.buf.record(page(i), p as unknown as Json, `a page of scan ${table}`);
    this.buf.record(step, pages.length, `scan ${table}`);
    return rows as { key: string; value: V }[];
  }

  async now(site: string): Promise<number> {
    return this.logged(site, "now()", () => Date.now());
  }

  async uuid(site: string): Promise<string> {
    return this.logged(site, "uuid()", () => randomUUID());
  }

  async random(site: string): Promise<number> {
    return this.logged(site, "random()", () => Math.random());
  }

  private async modify(site: string, table: string, key: string, mod: Modification): Promise<Outcome> {
    await this.buf.flush();
    const t = this.x.rt.table(table);
    const o = await this.x.rt.daal.modify(t, key, entryId(this.x.instance, this.step(site)), mod, this.x.careful, {
      lockWaitMs: this.x.rt.lockWaitMs,
    });
    if (o.kind === "error") throw new BeldiFailure(o.code, o.message);
    return o;
  }

  async write(site: string, table: string, key: string, value: object): Promise<void> {
    assertStorable(value, `the value of ${table}[${key}]`); // before anything: a typed failure, nothing half-done
    this.x.rt.valueType(table)?.checkWrite(table, key, value);
    const mod: Modification = { kind: "write", value: value as Record_ };
    if (this.tx) await this.txnModify(site, table, key, mod);
    else await this.modify(site, table, key, mod);
  }

  async delete(site: string, table: string, key: string): Promise<void> {
    if (this.tx) await this.txnModify(site, table, key, { kind: "delete" });
    else await this.modify(site, table, key, { kind: "delete" });
  }

  /** `update ... set ...`: returns whether it applied (always true without `where`). */
  async update(site: string, table: string, key: string, spec: UpdateSpec): Promise<boolean> {
    this.x.rt.valueType(table)?.checkUpdate(table, key, spec);
    if (this.tx) return this.txnModify(site, table, key, { kind: "update", spec });
    const o = await this.modify(site, table, key, { kind: "update", spec });
    return o.kind === "cond" ? o.value : true;
  }

  /** `call service.fn(args)`: exactly-once, synchronous. */
  async call<T>(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<T> {
    if (!this.tx && this.x.rt.isReadOnly(service, fn)) {
      // A callee without effects logs nothing: its result is logged here, like a read, and
      // nothing need be durable before it runs.
      const r = (await this.logged(site, `the result of ${service}.${fn}`, async () => {
        const { ok, value, error } = (await this.x.rt.invoker.call(service, {
          fn,
          instanceId: callId(this.x.instance, this.x.rt.service, this.step(site)),
          input,
          beldi: { kind: "call", trace: this.x.trace },
        })) as InvocationResult & { value?: Json; error?: { code: string; message: string } };
        return (ok ? { ok, value: value ?? null } : { ok, error: error! }) as Json;
      })) as unknown as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
      if (!r.ok) throw new BeldiFailure(r.error.code, r.error.message);
      return r.value;
    }
    if (this.tx) return this.txnCall(site, service, fn, input, this.tx);
    await this.buf.flush();
    const r = await this.x.rt.invoker.call(service, {
      fn,
      instanceId: callId(this.x.instance, this.x.rt.service, this.step(site)),
      input,
      beldi: { kind: "call", replay: this.x.careful, trace: this.x.trace },
    });
    if (!r.ok) throw new BeldiFailure(r.error.code, r.error.message);
    return r.value as T;
  }

  /**
   * A `call` inside a transaction. Its result (with the locks and writes it adds) is logged here,
   * with the decision at the latest, so a re-execution of a decided attempt never calls again;
   * a callee whose values were all read under the attempt's locks then logs nothing itself.
   * Such values, and such results, are repeatable until the decision: if only they are
   * pending, the call need not wait for them to be durable.
   */
  private async txnCall<T>(site: string, service: string, fn: string, input: Record<string, unknown>, tx: TxnState): Promise<T> {
    const step = this.step(site);
    let r = this.x.log.get(step) as unknown as LoggedCall | undefined;
    if (r === undefined) {
      // (an unclaimed spawned execution claims first, as before any effect: log.ts CLAIM_STEP)
      if (!this.buf.onlyRepeatable() || !this.x.log.claimed || this.x.log.unregistered) await this.buf.flush();
      else await this.x.log.registered(); // the callee locks and logs under this instance's tree
      const res = await this.x.rt.invoker.call(service, {
        fn,
        instanceId: callId(this.x.instance, this.x.rt.service, step),
        input,
        // (a decided attempt whose log lacks the result, written before results were logged here: the callee's log has it)
        beldi: { kind: "call", replay: this.x.careful || tx.decided, trace: this.x.trace, txn: tx.info(), callerLogs: !tx.decided },
      });
      r = res.ok ? { ok: true, value: res.value } : { ok: false, error: res.error };
      if (res.txn) r.txn = tx.news(res.txn);
      // a lost lock conflict is logged too, with the restart decision (see lockedValue)
      if (res.restart) r.restart = true;
      else if (res.unlogged) r.values = res.unlogged; // (for inspection: the callee's steps)
      if (!tx.decided) this.buf.record(step, r as unknown as Json, `the result of ${service}.${fn}`, true);
    }
    if (r.txn) tx.merge(r.txn);
    if (r.restart) throw new TxnDie(`${service}.${fn} lost a lock conflict`);
    if (!r.ok) throw new BeldiFailure(r.error.code, r.error.message);
    return r.value as T;
  }

  /** `spawn service.fn(args)`: the callee's intent is durable before its event is sent. */
  async spawn(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<string> {
    await this.buf.flush();
    const id = spawnId(this.x.instance, this.x.rt.service, this.step(site));
    const event = { fn, instanceId: id, input, beldi: { kind: "spawn" as const } };
    this.x.rt.invoker.checkEvent(event); // before the intent: an event that cannot be sent must not be registered
    await this.x.rt.intentsOf(service).registerSpawn(id, fn, input);
    await this.x.rt.invoker.send(service, event);
    return id;
  }

  /** `fail e`: finishes the fn with a deterministic error. */
  fail(message: string): never {
    throw BeldiFailure.of("fail", message);
  }
}
