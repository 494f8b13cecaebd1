// Turns measurements into the comparison DESIGN.md §3 asks for — latency and throughput of Beldi
// mode against baseline mode, requests per workflow against Beldi's protocol — as text tables
// and as plain data for the JSON file.
import type { AppResult, ModeResult } from "./measure.js";
import { beldiModel, opsOf, type ModelOps } from "./model.js";
import { scale, split, type Counts } from "./stats.js";
import type { Workload } from "./workloads/workload.js";

/** DESIGN.md §3 goals. */
export const GOALS = { latencyRatio: 1.5, requestsRatio: 0.5 };

export interface Comparison {
  app: string;
  requests: number;
  mix: Record<string, number>;
  latencyRatio: { p50: number; p90: number; p99: number };
  throughputRatio: number;
  perWorkflow: { beldi: Counts; baseline: Counts; gc: Counts };
  totals: { beldi: ReturnType<typeof split>; baseline: ReturnType<typeof split> };
  model: { ops: ModelOps; perWorkflow: ReturnType<typeof beldiModel> };
  requestsRatio: number;
  goals: { latencyP50: boolean; latencyP99: boolean; requests: boolean };
  verified: { beldi: string[]; baseline: string[] };
  modes: AppResult["modes"];
  /** per request kind: one sample request's requests, and the model's for it */
  samples: Record<string, { beldi: Counts; baseline: Counts; model: ReturnType<typeof beldiModel> }>;
}

export function compare(r: AppResult, w: Workload): Comparison {
  const { beldi, baseline } = r.modes;
  const n = r.requests;
  const condWrites = Object.entries(r.kinds).reduce((s, [k, c]) => s + c * (w.condWrites[k] ?? 0), 0);
  const ops = opsOf(baseline.counts, condWrites);
  const perOps = Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, v / n])) as unknown as ModelOps;
  const model = beldiModel(perOps, 1);
  const ours = split(scale(beldi.counts, n));
  const latencyRatio = {
    p50: beldi.latency.p50 / baseline.latency.p50,
    p90: beldi.latency.p90 / baseline.latency.p90,
    p99: beldi.latency.p99 / baseline.latency.p99,
  };
  return {
    app: r.app,
    requests: n,
    mix: { ...w.mix },
    latencyRatio,
    throughputRatio: beldi.throughput / baseline.throughput,
    perWorkflow: { beldi: scale(beldi.counts, n), baseline: scale(baseline.counts, n), gc: scale(beldi.gcCounts, n) },
    totals: { beldi: ours, baseline: split(scale(baseline.counts, n)) },
    model: { ops: perOps, perWorkflow: model },
    requestsRatio: ours.total / model.total,
    goals: {
      latencyP50: latencyRatio.p50 <= GOALS.latencyRatio,
      latencyP99: latencyRatio.p99 <= GOALS.latencyRatio,
      requests: ours.total / model.total <= GOALS.requestsRatio,
    },
    verified: { beldi: beldi.problems, baseline: baseline.problems },
    modes: r.modes,
    samples: Object.fromEntries(
      Object.entries(r.samples).map(([k, x]) => [
        k,
        { beldi: x.beldi, baseline: x.baseline, model: beldiModel(opsOf(x.baseline, w.condWrites[k] ?? 0), 1) },
      ]),
    ),
  };
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-");
const pad = (s: string, w: number) => (s.length >= w ? s : " ".repeat(w - s.length) + s);
const padR = (s: string, w: number) => (s.length >= w ? s : s + " ".repeat(w - s.length));
const flag = (ok: boolean) => (ok ? "ok" : "MISSED");
const pct = (x: number) => `${+(x * 100).toFixed(1)}%`;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? padR(c, widths[i]!) : pad(c, widths[i]!))).join("  ");
  return [line(head), ...rows.map(line)].map((l) => `  ${l}`).join("\n");
}

export function render(c: Comparison): string {
  const out: string[] = [];
  const mix = Object.entries(c.mix)
    .map(([k, s]) => `${pct(s)} ${k}`)
    .join(", ");
  out.push(`\n== ${c.app}: ${c.requests} measured requests (${mix}) ==`);
  const row = (m: ModeResult) => [
    m.mode,
    f(m.latency.p50),
    f(m.latency.p90),
    f(m.latency.p99),
    f(m.latency.mean),
    f(m.throughput, 0),
    String(m.failed),
  ];
  out.push(table(["mode", "p50 ms", "p90 ms", "p99 ms", "mean ms", "req/s", "failed"], [row(c.modes.beldi), row(c.modes.baseline)]));
  const r = c.latencyRatio;
  out.push(
    `  beldi/baseline: p50 ${f(r.p50, 2)}×, p90 ${f(r.p90, 2)}×, p99 ${f(r.p99, 2)}×, throughput ${f(c.throughputRatio, 2)}×` +
      `   goal ≤ ${GOALS.latencyRatio}×: p50 ${flag(c.goals.latencyP50)}, p99 ${flag(c.goals.latencyP99)}`,
  );

  out.push("\n  latency by request kind (ms, p50 / p99):");
  const kinds = Object.keys(c.modes.baseline.byKind);
  out.push(
    table(
      ["kind", "n", "beldi", "baseline", "p50 ratio"],
      kinds.map((k) => {
        const b = c.modes.beldi.byKind[k]!;
        const a = c.modes.baseline.byKind[k]!;
        return [k, String(a.n), `${f(b.p50)} / ${f(b.p99)}`, `${f(a.p50)} / ${f(a.p99)}`, `${f(b.p50 / a.p50, 2)}×`];
      }),
    ),
  );

  out.push("\n  requests per workflow:");
  const allKinds = [...new Set([...Object.keys(c.perWorkflow.beldi), ...Object.keys(c.perWorkflow.baseline)])].sort();
  const countRow = (name: string, cs: Counts) => {
    const s = split(cs);
    return [name, ...allKinds.map((k) => f(cs[k] ?? 0, 2)), f(s.store, 2), f(s.invoke, 2), f(s.total, 2)];
  };
  const m = c.model.perWorkflow;
  out.push(
    table(
      ["", ...allKinds, "store", "invoke", "total"],
      [
        countRow("beldi", c.perWorkflow.beldi),
        countRow("baseline", c.perWorkflow.baseline),
        ["Beldi model", ...allKinds.map(() => ""), f(m.store, 2), f(m.invoke, 2), f(m.total, 2)],
      ],
    ),
  );
  out.push("\n  one sample request of each kind, alone (store + invoke requests):");
  const kindList = (cs: Counts) =>
    Object.entries(cs)
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  out.push(
    table(
      ["kind", "beldi", "baseline", "Beldi model", "ours/model", "beldi requests"],
      Object.entries(c.samples).map(([k, x]) => {
        const ours = split(x.beldi).total;
        return [k, String(ours), String(split(x.baseline).total), f(x.model.total, 1), f(ours / x.model.total, 2), kindList(x.beldi)];
      }),
    ),
  );
  const o = c.model.ops;
  out.push(
    `  operations per workflow (from baseline): reads ${f(o.reads, 2)}, writes ${f(o.writes, 2)}, update..where ${f(o.condWrites, 3)}, ` +
      `calls ${f(o.calls, 2)}, spawns ${f(o.spawns, 3)}, scan pages ${f(o.scanPages, 2)}${o.other ? `, other ${f(o.other, 2)}` : ""}`,
  );
  out.push(`  ours / Beldi model: ${f(c.requestsRatio, 2)}   goal ≤ ${GOALS.requestsRatio}: ${flag(c.goals.requests)}`);
  const gc = split(c.perWorkflow.gc);
  const gcKinds = Object.entries(c.perWorkflow.gc)
    .map(([k, v]) => `${k} ${f(v, 2)}`)
    .join(", ");
  out.push(
    `  GC passes between rounds (not in the figures above): ${f(gc.total, 2)} requests per workflow${gcKinds ? ` (${gcKinds})` : ""}`,
  );
  for (const mode of ["beldi", "baseline"] as const) {
    const p = c.verified[mode];
    out.push(`  verify ${mode}: ${p.length ? `FAILED\n    ${p.slice(0, 10).join("\n    ")}` : "ok"}`);
  }
  return out.join("\n");
}
