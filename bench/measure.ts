// One app's measurement: a Beldi-mode stack and a baseline stack, seeded alike, driven with the
// same request sequence — a warm-up, then for each client count rounds that alternate which
// mode goes first (so drift in a noisy machine's speed hits both alike) — and their state
// checked at the end.
import { LocalStack, type StartOptions } from "../local/index.js";
import { locksLeft } from "../test/helpers.js";
import { cpuNow, cpuSince, type CpuMs } from "./cpu.js";
import { drive } from "./driver.js";
import { Rng } from "./rng.js";
import { seed } from "./seed.js";
import { add, delta, latency, type Counts, type Latency } from "./stats.js";
import type { Done, Request, Workload } from "./workloads/workload.js";

export interface MeasureOptions {
  /** measured requests per client count and mode */
  requests: number;
  warmup: number;
  /** client counts, each measured on its own slice of the sequence, in this order */
  concurrency: readonly number[];
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
  /** CPU ms per completed workflow over the measured windows (each: the clients' run, then recover()) */
  cpu: CpuMs;
}

/** One client count's measurement. */
export interface LevelResult {
  concurrency: number;
  requests: number;
  kinds: Record<string, number>;
  modes: { beldi: ModeResult; baseline: ModeResult };
}

export interface AppResult {
  app: string;
  levels: LevelResult[];
  /** the requests one sample request of each kind made, alone on an idle stack */
  samples: Record<string, { request: Request; beldi: Counts; baseline: Counts }>;
  /** problems with each stack's final state (every level's requests included) */
  problems: { beldi: string[]; baseline: string[] };
}

/** The request sequence: the first `warmup` are discarded from the figures. */
export function sequence(w: Workload, n: number, seedValue: number): Request[] {
  const rng = new Rng(seedValue ^ 0x5eed1e55);
  return Array.from({ length: n }, () => w.request(rng.weighted(w.mix), rng));
}

interface Mode {
  mode: "beldi" | "baseline";
  stack: LocalStack;
}

/** What one mode accumulates over one client count's rounds. */
interface Tally {
  done: Done[];
  wallMs: number;
  counts: Counts;
  gcCounts: Counts;
  cpu: CpuMs;
}

export async function measure(w: Workload, o: MeasureOptions, log: (line: string) => void): Promise<AppResult> {
  const reqs = sequence(w, o.warmup + o.requests * o.concurrency.length, o.seed);
  const warm = reqs.slice(0, o.warmup);
  const measured = reqs.slice(o.warmup);
  const modes: Mode[] = [];
  try {
    for (const mode of ["beldi", "baseline"] as const) {
      const stack = await LocalStack.start({ app: w.app, ...o.stack, schedule: false, baseline: mode === "baseline" });
      modes.push({ mode, stack });
      await seed(stack, w.rows());
    }
    log(`  seeded both stacks; warming up with ${warm.length} requests each`);
    const all = new Map<Mode, Done[]>(modes.map((m) => [m, []]));
    for (const m of modes) {
      all.get(m)!.push(...(await drive(m.stack, warm, o.concurrency[0]!, "w")).done);
      await m.stack.recover();
    }

    const levels: LevelResult[] = [];
    for (const [li, clients] of o.concurrency.entries()) {
      const slice = measured.slice(li * o.requests, (li + 1) * o.requests);
      const tallies = new Map<Mode, Tally>(
        modes.map((m) => [m, { done: [], wallMs: 0, counts: {}, gcCounts: {}, cpu: { self: 0, others: 0 } }]),
      );
      const per = Math.ceil(slice.length / o.rounds);
      for (let r = 0; r < o.rounds; r++) {
        const chunk = slice.slice(r * per, (r + 1) * per);
        if (!chunk.length) break;
        for (const m of r % 2 === 0 ? modes : [...modes].reverse()) {
          const t = tallies.get(m)!;
          const before = await m.stack.requests();
          const cpu = cpuNow();
          const d = await drive(m.stack, chunk, clients, `c${clients}-r${r}-`);
          await m.stack.recover(); // spawned work belongs to the workflows that spawned it
          const used = cpuSince(cpu);
          t.cpu.self += used.self;
          t.cpu.others += used.others;
          add(t.counts, delta(before, await m.stack.requests()));
          t.done.push(...d.done);
          all.get(m)!.push(...d.done);
          t.wallMs += d.wallMs;
          if (m.mode === "beldi") {
            // GC between rounds, counted apart: it collects what finished a window ago.
            const g = await m.stack.requests();
            await m.stack.gc();
            add(t.gcCounts, delta(g, await m.stack.requests()));
          }
        }
        log(`  ${clients} client(s), round ${r + 1}/${o.rounds}: ${chunk.length} requests per mode`);
      }
      const results = {} as LevelResult["modes"];
      for (const m of modes) results[m.mode] = summarize(m.mode, tallies.get(m)!);
      const kinds: Record<string, number> = {};
      for (const q of slice) kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
      levels.push({ concurrency: clients, requests: slice.length, kinds, modes: results });
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

    const problems = {} as AppResult["problems"];
    for (const m of modes) {
      const p = await w.verify(m.stack, all.get(m)!, m.mode === "baseline");
      if (m.mode === "beldi") p.push(...(await locksLeft(m.stack)).map((l) => `lock left: ${l}`));
      problems[m.mode] = p;
    }
    return { app: w.name, levels, samples, problems };
  } finally {
    for (const m of modes) await m.stack.stop();
  }
}

function summarize(mode: Mode["mode"], t: Tally): ModeResult {
  const byKind: ModeResult["byKind"] = {};
  const kinds = [...new Set(t.done.map((d) => d.req.kind))];
  for (const k of kinds) {
    const ms = t.done.filter((d) => d.req.kind === k).map((d) => d.ms);
    byKind[k] = { ...latency(ms), n: ms.length };
  }
  const n = Math.max(1, t.done.length);
  return {
    mode,
    latency: latency(t.done.map((d) => d.ms)),
    byKind,
    throughput: t.done.length / (t.wallMs / 1000),
    failed: t.done.filter((d) => !("ok" in d.result && d.result.ok)).length,
    counts: t.counts,
    gcCounts: t.gcCounts,
    cpu: { self: t.cpu.self / n, others: t.cpu.others / n },
  };
}
