// `Ctx`: the interface generated fn bodies program against. Two implementations: BeldiCtx
// (exactly-once: logs, intents, locks) and BaselineCtx (plain store and invoke calls, for
// comparison in benchmarks). Generated code is the same for both.
import type { TypeDesc } from "./types.js";
import type { UpdateSpec } from "./update-spec.js";

/**
 * The outcome of a `txn` block: committed (with the body's `return`, if any) or aborted, with the
 * reason its `else (r)` gets: `abort e`'s value, `""` for a bare `abort`, `"conflict"` when the
 * restarts ran out (LANGUAGE.md §9).
 */
export type TxnOutcome<R> = { committed: true; result: { value: R } | undefined } | { committed: false; reason: string };

/** The abort reason of a transaction that could not finish within its bounded restarts. */
export const CONFLICT_REASON = "conflict";

export interface Ctx {
  /** the steps of an inline call of a same-service fn, made at `site` */
  inline(site: string): Ctx;
  /** the steps of iteration `i` of the loop at `site` */
  iter(site: string, i: number): Ctx;
  parallel<const T extends readonly ((c: Ctx) => Promise<unknown>)[]>(
    site: string,
    branches: T,
  ): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }>;
  read<T>(site: string, table: string, key: string, forUpdate?: boolean): Promise<T | null>;
  scan<V>(site: string, table: string): Promise<{ key: string; value: V }[]>;
  write(site: string, table: string, key: string, value: object): Promise<void>;
  delete(site: string, table: string, key: string): Promise<void>;
  /** returns whether it applied (always true without `where`) */
  update(site: string, table: string, key: string, spec: UpdateSpec): Promise<boolean>;
  call<T>(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<T>;
  spawn(site: string, service: string, fn: string, input: Record<string, unknown>): Promise<string>;
  now(site: string): Promise<number>;
  uuid(site: string): Promise<string>;
  random(site: string): Promise<number>;
  /** `sleep e`: a durable pause; the instance may suspend and be resumed at or after its time */
  sleep(site: string, ms: number): Promise<void>;
  /** `wait "name" as T [timeout e]`: the signal's value (checked against `type`), or null on timeout */
  wait<T>(site: string, name: string, type: TypeDesc, timeoutMs: number | null): Promise<T | null>;
  /** `signal(id, name, v)`: whether this delivered it (false: that instance already had one of that name) */
  signal(site: string, instanceId: string, name: string, value: unknown): Promise<boolean>;
  txn<R>(site: string, body: (c: Ctx) => Promise<{ value: R } | undefined>, restore: () => void): Promise<TxnOutcome<R>>;
  /** `abort` / `abort reason` in a transaction body */
  abort(reason?: string): never;
  fail(message: string): never;
}
