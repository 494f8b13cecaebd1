// Turns measurements into the comparison DESIGN.md §3 asks for — latency and throughput of Beldi
// mode against baseline mode, requests per workflow against Beldi's protocol — as text tables
// and as plain data for the JSON file.
import type { AppResult, LevelResult, ModeResult } from "./measure.js";
import { beldiModel, opsOf, type ModelOps } from "./model.js";
import { scale, split, type Counts } from "./stats.js";
import type { Workload } from "./workloads/workload.js";

/** DESIGN.md §3 goals. */
export const GOALS = { latencyRatio: 1.5, requestsRatio: 0.5 };

/** Beldi mode against baseline at one client count. */
export interface LevelComparison {
  concurrency: number;
  requests: number;
  latencyRatio: { p50: number; p90: number; p99: number };
  throughputRatio: number;
  perWorkflow: { beldi: Counts; baseline: Counts; gc: Counts };
  totals: { beldi: ReturnType<typeof split>; baseline: ReturnType<typeof split> };
  model: { ops: ModelOps; perWorkflow: ReturnType<typeof beldiModel> };
  requestsRatio: number;
  goals: { latencyP50: boolean; latencyP99: boolean; requests: boolean };
  modes: LevelResult["modes"];
}

export interface Comparison {
  app: string;
  mix: Record<string, number>;
  levels: LevelComparison[];
  verified: { beldi: string[]; baseline: string[] };
  /** per request kind: one sample request's requests, and the model's for it */
  samples: Record<string, { beldi: Counts; baseline: Counts; model: ReturnType<typeof beldiModel> }>;
}

function compareLevel(l: LevelResult, w: Workload): LevelComparison {
  const { beldi, baseline } = l.modes;
  const n = l.requests;
  const condWrites = Object.entries(l.kinds).reduce((s, [k, c]) => s + c * (w.condWrites[k] ?? 0), 0);
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
    concurrency: l.concurrency,
    requests: n,
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
    modes: l.modes,
  };
}

export function compare(r: AppResult, w: Workload): Comparison {
  return {
    app: r.app,
    mix: { ...w.mix },
    levels: r.levels.map((l) => compareLevel(l, w)),
    verified: r.problems,
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

const mark = (ok: boolean) => (ok ? "✓" : "✗");
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");

/** The full report of one app: every client count, the samples, the verification. */
export function render(c: Comparison): string {
  const out: string[] = [];
  const mix = Object.entries(c.mix)
    .map(([k, s]) => `${pct(s)} ${k}`)
    .join(", ");
  out.push(`\n== ${c.app} (${mix}) ==`);
  for (const l of c.levels) out.push(renderLevel(l));
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
  for (const mode of ["beldi", "baseline"] as const) {
    const p = c.verified[mode];
    out.push(`  verify ${mode}: ${p.length ? `FAILED\n    ${p.slice(0, 10).join("\n    ")}` : "ok"}`);
  }
  out.push(summary(c));
  return out.join("\n");
}

function renderLevel(c: LevelComparison): string {
  const out: string[] = [];
  out.push(`\n  -- ${c.concurrency} client(s): ${c.requests} measured requests per mode --`);
  const row = (m: ModeResult) => [
    m.mode,
    f(m.latency.p50),
    f(m.latency.p90),
    f(m.latency.p99),
    f(m.latency.mean),
    f(m.throughput, 0),
    String(m.failed),
    ms(m.cpu.self),
    ms(m.cpu.others),
  ];
  out.push(
    table(
      ["mode", "p50 ms", "p90 ms", "p99 ms", "mean ms", "req/s", "failed", "CPU ms/wf", "other procs' CPU ms/wf"],
      [row(c.modes.beldi), row(c.modes.baseline)],
    ),
  );
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
  return out.join("\n");
}

/** One app's row per client count: latency against the goal, throughput, requests and CPU per workflow. */
export function summary(c: Comparison): string {
  const reqs = (t: ReturnType<typeof split>) => `${f(t.total, 2)} (${f(t.store, 2)} + ${f(t.invoke, 2)})`;
  return `\n  ${c.app}, Beldi mode / baseline by client count (requests: store + invoke; CPU: this process + other processes):\n${table(
    [
      "clients",
      "p50 ms",
      "p99 ms",
      "p50 ratio",
      "p99 ratio",
      "req/s",
      "tput ratio",
      "requests/wf beldi",
      "baseline",
      "CPU ms/wf beldi",
      "baseline",
    ],
    c.levels.map((l) => {
      const { beldi: b, baseline: a } = l.modes;
      const cpu = (m: ModeResult) => `${ms(m.cpu.self)} + ${ms(m.cpu.others)}`;
      return [
        String(l.concurrency),
        `${f(b.latency.p50)} / ${f(a.latency.p50)}`,
        `${f(b.latency.p99)} / ${f(a.latency.p99)}`,
        `${f(l.latencyRatio.p50, 2)}× ${mark(l.goals.latencyP50)}`,
        `${f(l.latencyRatio.p99, 2)}× ${mark(l.goals.latencyP99)}`,
        `${f(b.throughput, 0)} / ${f(a.throughput, 0)}`,
        `${f(l.throughputRatio, 2)}×`,
        reqs(l.totals.beldi),
        reqs(l.totals.baseline),
        cpu(b),
        cpu(a),
      ];
    }),
  )}`;
}

/** What the CPU columns count, for a backend and isolation (the run prints it with the figures). */
export function cpuScope(backend: "dynalite" | "dynamodb-local", isolation: "inline" | "process"): string {
  const self = ["the clients", "the invoke server", "the store proxy", backend === "dynalite" ? "dynalite" : "the SDK's store calls"];
  if (isolation === "inline") self.push("the handlers");
  const others = [
    isolation === "process" ? "the handler worker processes" : "",
    backend === "dynamodb-local" ? "DynamoDB Local's JVM" : "",
    "esbuild's service the app's build left, idle",
  ].filter(Boolean);
  return (
    `CPU ms of this process (${self.join(", ")}) + its child processes' (${others.join(", ")}), ` +
    "over each round's clients and recover(), divided by the completed workflows"
  );
}
