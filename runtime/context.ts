// `Ctx`: what generated fn bodies call for every logged operation. A Ctx is an execution of
// an instance plus a step path; step ids are the path plus the compiler's static site id, so
// the k-th execution of a site has the same id on every re-execution (no shared counter).
import { randomUUID } from "node:crypto";
import { approxSize, type Json } from "./codec.js";
import type { Outcome, Record_ } from "./daal.js";
import { BeldiFailure } from "./errors.js";
import { RestartExecution } from "./log.js";
import type { InstanceLog, LogBuffer } from "./log.js";
import { callId, entryId, spawnId } from "./names.js";
import type { ServiceRuntime } from "./service-runtime.js";
import type { UpdateSpec } from "./update-spec.js";

/** One execution of one instance. */
export interface Execution {
  readonly rt: ServiceRuntime;
  readonly instance: string;
  /** not the first execution (or unsure): check every row for logged steps, write pinned entries */
  readonly careful: boolean;
  readonly log: InstanceLog;
  readonly trace: string | undefined;
}

/** Scan results are logged in pages, each well inside one item. */
const SCAN_PAGE_BYTES = 250_000;

export class Ctx {
  constructor(
    private readonly x: Execution,
    private readonly path: string,
    /** the unlogged values of this strand of the execution */
    private readonly buf: LogBuffer,
  ) {}

  private step(site: string): string {
    return this.path + site;
  }

  /** The steps of an inline call of a same-service fn, made at `site`. */
  inline(site: string): Ctx {
    return new Ctx(this.x, `${this.path}${site}/`, this.buf);
  }

  /** The steps of iteration `i` of the loop at `site`. */
  iter(site: string, i: number): Ctx {
    return new Ctx(this.x, `${this.path}${site}.${i}/`, this.buf);
  }

  /**
   * `parallel { ... }`: runs each branch concurrently on its own step path and log buffer. The
   * fn fails (or restarts) after every branch has finished, with the first failure in branch
   * order; a restart wins over a failure, which may rest on values another execution replaced.
   */
  async parallel<const T extends readonly ((c: Ctx) => Promise<unknown>)[]>(
    site: string,
    branches: T,
  ): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
    await this.buf.flush(); // the branches' effects may depend on what this strand read
    const bufs = branches.map(() => this.x.log.buffer());
    const settled = await Promise.allSettled(branches.map((b, i) => b(new Ctx(this.x, `${this.path}${site}.b${i}/`, bufs[i]!))));
    const failures = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
    if (failures.length) throw failures.find((e) => e instanceof RestartExecution) ?? failures[0];
    for (const b of bufs) this.buf.adopt(b);
    return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  }

  /** A logged value: from the log when some execution logged it, else computed and buffered. */
  private async logged<T extends Json>(site: string, what: string, compute: () => Promise<T> | T): Promise<T> {
    const step = this.step(site);
    if (this.x.log.has(step)) return this.x.log.get(step) as T;
    const v = await compute();
    this.buf.record(step, v, what);
    return v;
  }

  async read<T>(site: string, table: string, key: string): Promise<T | null> {
    const t = this.x.rt.table(table);
    return (await this.logged(site, `the value of ${table}[${key}]`, () => this.x.rt.daal.read(t, key))) as T | null;
  }

  /** `scan T`: every key with a value, ascending; logged in pages so no item exceeds the store's limit. */
  async scan<V>(site: string, table: string): Promise<{ key: string; value: V }[]> {
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
    pages.forEach((p, i) => this.buf.record(page(i), p as unknown as Json, `a page of scan ${table}`));
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

  private async modify(site: string, table: string, key: string, mod: Parameters<ServiceRuntime["daal"]["modify"]>[3]): Promise<Outcome> {
    await this.buf.flush();
    const t = this.x.rt.table(table);
    const o = await this.x.rt.daal.modify(t, key, entryId(this.x.instance, this.step(site)), mod, this.x.careful);
    if (o.k === "error") throw new BeldiFailure(o.code, o.message);
    return o;
  }

  async write(site: string, table: string, key: string, value: object): Promise<void> {
    await this.modify(site, table, key, { kind: "write", value: value as Record_ });
  }

  async delete(site: string, table: string, key: string): Promise<void> {
    await this.modify(site, table, key, { kind: "delete" });
  }

  /** `update ... set ...`: returns whether it applied (always true without `where`). */
  async update(site: string, table: string, key: string, spec: UpdateSpec): Promise<boolean> {
    const o = await this.modify(site, table, key, { kind: "update", spec });
    return o.k === "cond" ? o.value : true;
  }

  /** `call service.fn(args)`: exactly-once, synchronous. */
  async call<T>(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<T> {
    await this.buf.flush();
    const r = await this.x.rt.invoker.call(service, {
      fn,
      instanceId: callId(this.x.instance, this.step(site)),
      input,
      beldi: { kind: "call", replay: this.x.careful, trace: this.x.trace },
    });
    if (!r.ok) throw new BeldiFailure(r.error.code, r.error.message);
    return r.value as T;
  }

  /** `spawn service.fn(args)`: the callee's intent is durable before its event is sent. */
  async spawn(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<string> {
    await this.buf.flush();
    const id = spawnId(this.x.instance, this.step(site));
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
