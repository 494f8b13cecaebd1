// The baseline: the same generated code run with plain store and invoke calls — no logs, no
// intents, no locks, no exactly-once. It exists to measure what exactly-once costs (bench/,
// `--baseline`): a read is one GetItem, a write one UpdateItem, a call one invoke. A `txn`
// body just runs (an `abort` cannot undo what it already wrote), as in Beldi's own baseline.
import { randomUUID } from "node:crypto";
import type { TypeDesc } from "../contract/types.js";
import type { Ctx, TxnOutcome } from "../contract/ctx.js";
import { checkKey } from "./daal.js";
import type { Modification } from "./modification.js";
import { BeldiFailure } from "./errors.js";
import { checkDeadline } from "./deadline.js";
import type { ServiceRuntime } from "./service-runtime.js";
import type { UpdateSpec } from "../contract/update-spec.js";
import { TxnAbort } from "./txn.js";
import type { Record_ } from "../contract/json.js";

export class BaselineCtx implements Ctx {
  constructor(private readonly rt: ServiceRuntime) {}

  inline(): BaselineCtx {
    checkDeadline("an inline call");
    return this;
  }

  iter(): BaselineCtx {
    checkDeadline("a loop's next iteration");
    return this;
  }

  async parallel<const T extends readonly ((c: Ctx) => Promise<unknown>)[]>(
    _site: string,
    branches: T,
  ): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
    const settled = await Promise.allSettled(branches.map((b) => b(this)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  }

  async read<T>(_site: string, table: string, key: string): Promise<T | null> {
    return (await this.rt.daal.read(this.rt.table(table), key)) as T | null;
  }

  scan<V>(_site: string, table: string): Promise<{ key: string; value: V }[]> {
    return this.rt.daal.scan(this.rt.table(table)) as Promise<{ key: string; value: V }[]>;
  }

  private async modify(table: string, key: string, mod: Modification): Promise<boolean> {
    checkKey(table, key);
    const o = await this.rt.daal.modifyPlain(this.rt.table(table), key, mod);
    if (o.kind === "error") throw new BeldiFailure(o.code, o.message);
    return o.kind === "cond" ? o.value : true;
  }

  async write(_site: string, table: string, key: string, value: object): Promise<void> {
    this.rt.valueType(table)?.checkWrite(table, key, value);
    await this.modify(table, key, { kind: "write", value: value as Record_ });
  }

  async delete(_site: string, table: string, key: string): Promise<void> {
    await this.modify(table, key, { kind: "delete" });
  }

  async update(_site: string, table: string, key: string, spec: UpdateSpec): Promise<boolean> {
    this.rt.valueType(table)?.checkUpdate(table, key, spec);
    return this.modify(table, key, { kind: "update", spec });
  }

  async call<T>(_site: string, service: string, fn: string, input: Record<string, unknown>): Promise<T> {
    const r = await this.rt.invoker.call(service, { fn, instanceId: randomUUID(), input, beldi: { kind: "call" } });
    if (!r.ok) throw new BeldiFailure(r.error.code, r.error.message);
    return r.value as T;
  }

  async spawn(_site: string, service: string, fn: string, input: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    await this.rt.invoker.send(service, { fn, instanceId: id, input, beldi: { kind: "call" } });
    return id;
  }

  async now(): Promise<number> {
    return Date.now();
  }

  async uuid(): Promise<string> {
    return randomUUID();
  }

  async random(): Promise<number> {
    return Math.random();
  }

  async txn<R>(_site: string, body: (c: Ctx) => Promise<{ value: R } | undefined>): Promise<TxnOutcome<R>> {
    try {
      return { committed: true, result: await body(this) };
    } catch (e) {
      if (e instanceof TxnAbort) return { committed: false, reason: e.reason };
      throw e;
    }
  }

  // The baseline has no instances to suspend or signal: a sleep just waits (within the
  // execution's deadline), and `wait`/`signal` are refused with a typed error.
  async sleep(_site: string, ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.max(0, ms)));
  }

  wait<T>(_site: string, name: string, _type: TypeDesc, _timeoutMs: number | null): Promise<T | null> {
    throw BeldiFailure.of("fail", `wait "${name}": the baseline has no durable instances to deliver signals to`);
  }

  signal(_site: string, _instanceId: string, name: string, _value: unknown): Promise<boolean> {
    throw BeldiFailure.of("fail", `signal ${name}: the baseline has no durable instances to deliver signals to`);
  }

  abort(reason = ""): never {
    throw new TxnAbort(reason);
  }

  fail(message: string): never {
    throw BeldiFailure.of("fail", message);
  }
}
