// One app's measurement: a Beldi-mode stack and a baseline stack, seeded alike, driven with the
// same request sequence — a warm-up, then rounds that alternate which mode goes first (so
// drift in a noisy machine's speed hits both alike) — and their state checked at the end.
import { LocalStack, type StartOptions } from "../local/index.js";
import { locksLeft } from "../test/helpers.js";
import { drive } from "./driver.js";
import { Rng } from "./rng.js";
import { seed } from "./seed.js";
import { add, delta, latency, type Counts, type Latency } from "./stats.js";
import type { Done, Request, Workload } from "./workloads/workload.js";

export interface MeasureOptions {
  requests: number;
  warmup: number;
  concurrency: number;
  rounds: number;
  seed: number;
  stack: Pick<StartOptions, "backend" | "isolation" | "windowMs">;
}

export interface ModeResult {
  mode: "beldi" | "baseline";
  latency: Latency;
  byKind: Record<string, Latency & { n: number }>;
  throughput: number;
  failed: number;
  /** store and invoke requests of the measured workflows (spawned work included), by kind */
  counts: Counts;
  /** requests of the GC passes run between rounds (Beldi mode only) */
  gcCounts: Counts;
  problems: string[];
}

export interface AppResult {
  app: string;
  requests: number;
  kinds: Record<string, number>;
  modes: { beldi: ModeResult; baseline: ModeResult };
  /** the requests one sample request of each kind made, alone on an idle stack */
  samples: Record<string, { request: Request; beldi: Counts; baseline: Counts }>;
}

/** The request sequence: the first `warmup` are discarded from the figures. */
export function sequence(w: Workload, n: number, seedValue: number): Request[] {
  const rng = new Rng(seedValue ^ 0x5eed1e55);
  return Array.from({ length: n }, () => w.request(rng.weighted(w.mix), rng));
}

interface Mode {
  mode: "beldi" | "baseline";
  stack: LocalStack;
  done: Done[];
  wallMs: number;
  counts: Counts;
  gcCounts: Counts;
}

export async function measure(w: Workload, o: MeasureOptions, log: (line: string) => void): Promise<AppResult> {
  const reqs = sequence(w, o.warmup + o.requests, o.seed);
  const warm = reqs.slice(0, o.warmup);
  const measured = reqs.slice(o.warmup);
  const modes: Mode[] = [];
  try {
    for (const mode of ["beldi", "baseline"] as const) {
      const stack = await LocalStack.start({ app: w.app, ...o.stack, schedule: false, baseline: mode === "baseline" });
      modes.push({ mode, stack, done: [], wallMs: 0, counts: {}, gcCounts: {} });
      await seed(stack, w.rows());
    }
    log(`  seeded both stacks; warming up with ${warm.length} requests each`);
    const all = new Map<Mode, Done[]>(modes.map((m) => [m, []]));
    for (const m of modes) {
      all.get(m)!.push(...(await drive(m.stack, warm, o.concurrency, "w")).done);
      await m.stack.recover();
    }

    const per = Math.ceil(measured.length / o.rounds);
    for (let r = 0; r < o.rounds; r++) {
      const chunk = measured.slice(r * per, (r + 1) * per);
      if (!chunk.length) break;
      for (const m of r % 2 === 0 ? modes : [...modes].reverse()) {
        const before = await m.stack.requests();
        const d = await drive(m.stack, chunk, o.concurrency, `r${r}-`);
        await m.stack.recover(); // spawned work belongs to the workflows that spawned it
        add(m.counts, delta(before, await m.stack.requests()));
        m.done.push(...d.done);
        all.get(m)!.push(...d.done);
        m.wallMs += d.wallMs;
        if (m.mode === "beldi") {
          // GC between rounds, counted apart: it collects what finished a window ago.
          const g = await m.stack.requests();
          await m.stack.gc();
          add(m.gcCounts, delta(g, await m.stack.requests()));
        }
      }
      log(`  round ${r + 1}/${o.rounds}: ${chunk.length} requests per mode`);
    }

    // One request of each kind, alone, to see what each workflow costs (spawned work included).
    const samples: AppResult["samples"] = {};
    for (const kind of Object.keys(w.mix)) {
      const request = measured.find((q) => q.kind === kind);
      if (!request) continue;
      const costs = {} as Record<Mode["mode"], Counts>;
      for (const m of modes) {
        const before = await m.stack.requests();
        all.get(m)!.push(...(await drive(m.stack, [request], 1, `sample-${kind}-`)).done);
        await m.stack.recover();
        costs[m.mode] = delta(before, await m.stack.requests());
      }
      samples[kind] = { request, ...costs };
    }

    const results = {} as AppResult["modes"];
    for (const m of modes) {
      const problems = await w.verify(m.stack, all.get(m)!, m.mode === "baseline");
      if (m.mode === "beldi") problems.push(...(await locksLeft(m.stack)).map((l) => `lock left: ${l}`));
      results[m.mode] = summarize(m, problems);
    }
    const kinds: Record<string, number> = {};
    for (const q of measured) kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
    return { app: w.name, requests: measured.length, kinds, modes: results, samples };
  } finally {
    for (const m of modes) await m.stack.stop();
  }
}

function summarize(m: Mode, problems: string[]): ModeResult {
  const byKind: ModeResult["byKind"] = {};
  const kinds = [...new Set(m.done.map((d) => d.req.kind))];
  for (const k of kinds) {
    const ms = m.done.filter((d) => d.req.kind === k).map((d) => d.ms);
    byKind[k] = { ...latency(ms), n: ms.length };
  }
  return {
    mode: m.mode,
    latency: latency(m.done.map((d) => d.ms)),
    byKind,
    throughput: m.done.length / (m.wallMs / 1000),
    failed: m.done.filter((d) => !("ok" in d.result && d.result.ok)).length,
    counts: m.counts,
    gcCounts: m.gcCounts,
    problems,
  };
}
