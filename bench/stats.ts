// Small statistics over a run: latency percentiles, request-count deltas, the machine's load.
import { loadavg } from "node:os";

/** The load average (1 / 5 / 15 min) as printed beside a run's figures: `1.17 / 1.77 / 2.88`. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

/** The p-th percentile (0 < p <= 100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

export function latency(samples: readonly number[]): Latency {
  const mean = samples.reduce((s, x) => s + x, 0) / Math.max(1, samples.length);
  return { p50: percentile(samples, 50), p90: percentile(samples, 90), p99: percentile(samples, 99), mean };
}

export type Counts = Record<string, number>;

/** after - before, by kind (kinds that did not change left out). */
export function delta(before: Counts, after: Counts): Counts {
  const d: Counts = {};
  for (const [k, n] of Object.entries(after)) if (n - (before[k] ?? 0)) d[k] = n - (before[k] ?? 0);
  return d;
}

export function add(into: Counts, more: Counts): void {
  for (const [k, n] of Object.entries(more)) into[k] = (into[k] ?? 0) + n;
}

export function scale(c: Counts, by: number): Counts {
  return Object.fromEntries(Object.entries(c).map(([k, n]) => [k, n / by]));
}

/** Invocation requests (sync and async) among the counted kinds; everything else is the store. */
export const INVOKE_KINDS = new Set(["Invoke", "InvokeEvent"]);

export function split(c: Counts): { store: number; invoke: number; total: number } {
  let store = 0;
  let invoke = 0;
  for (const [k, n] of Object.entries(c)) INVOKE_KINDS.has(k) ? (invoke += n) : (store += n);
  return { store, invoke, total: store + invoke };
}
