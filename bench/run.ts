// The benchmark (DESIGN.md §3 "Speed is measured, not assumed"): each app's request mix in
// Beldi mode and in baseline mode, in one run, on the same backend and isolation, with the same
// seed data and request sequence, at one or more client counts. Prints a report per app and
// writes it as JSON to bench/results/.
//   node --import tsx bench/run.ts [--app travel|movie|social|bank|all] [--requests N] [--concurrency C[,C...]]
//     [--backend dynalite|dynamodb-local] [--isolation inline|process] [--seed S]
//     [--warmup W] [--rounds R] [--window-ms T]
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stopAllWorkers } from "../local/index.js";
import { measure } from "./measure.js";
import { MODEL_TEXT } from "./model.js";
import { compare, cpuScope, render, summary, type Comparison } from "./report.js";
import { loadAverage } from "./stats.js";
import { BENCH_APPS } from "./workloads/index.js";

const USAGE = `usage: node --import tsx bench/run.ts [--app travel|movie|social|bank|all] [--requests N] [--concurrency C[,C...]]
  [--backend dynalite|dynamodb-local] [--isolation inline|process] [--seed S] [--warmup W] [--rounds R] [--window-ms T]`;

function options() {
  try {
    const { values: v } = parseArgs({
      options: {
        app: { type: "string", default: "all" },
        requests: { type: "string", default: "500" },
        // 1 and 4: the client counts DESIGN.md §3's latency goal is checked at; 16 is opt-in.
        concurrency: { type: "string", default: "1,4" },
        backend: { type: "string", default: "dynalite" },
        isolation: { type: "string", default: "inline" },
        seed: { type: "string", default: "1" },
        warmup: { type: "string", default: "40" },
        rounds: { type: "string", default: "4" },
        "window-ms": { type: "string", default: "15000" },
        help: { type: "boolean", default: false },
      },
    });
    if (v.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const int = (name: string, s: string, min: number) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${s}`);
      return n;
    };
    const apps = v.app === "all" ? Object.keys(BENCH_APPS) : v.app!.split(",");
    for (const a of apps) if (!BENCH_APPS[a]) throw new Error(`unknown app ${a} (have ${Object.keys(BENCH_APPS).join(", ")}, all)`);
    if (v.backend !== "dynalite" && v.backend !== "dynamodb-local")
      throw new Error(`--backend is dynalite or dynamodb-local, got ${v.backend}`);
    if (v.isolation !== "inline" && v.isolation !== "process") throw new Error(`--isolation is inline or process, got ${v.isolation}`);
    return {
      apps,
      requests: int("requests", v.requests!, 1),
      concurrency: v.concurrency!.split(",").map((c) => int("concurrency", c, 1)),
      backend: v.backend as "dynalite" | "dynamodb-local",
      isolation: v.isolation as "inline" | "process",
      seed: int("seed", v.seed!, 0),
      warmup: int("warmup", v.warmup!, 0),
      rounds: int("rounds", v.rounds!, 1),
      windowMs: int("window-ms", v["window-ms"]!, 1),
    };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const o = options();
const started = new Date();
console.log(
  `bench: ${o.apps.join(", ")} — ${o.requests} requests per app, mode and client count after ${o.warmup} warm-up, ` +
    `${o.concurrency.join(", ")} client(s), ` +
    `${o.rounds} alternating rounds, ${o.backend}, ${o.isolation}, seed ${o.seed}, GC window ${o.windowMs} ms`,
);
const loadBefore = loadAverage();
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${started.toISOString()}`);
console.log(`load average (1 / 5 / 15 min) before: ${loadBefore}`);
console.log(`CPU ms per workflow: ${cpuScope(o.backend, o.isolation)}`);
console.log(MODEL_TEXT);

const comparisons: Comparison[] = [];
for (const name of o.apps) {
  const w = BENCH_APPS[name]!(o.seed);
  console.log(`\n${name}: starting a Beldi-mode and a baseline stack`);
  const t = Date.now();
  const r = await measure(
    w,
    {
      requests: o.requests,
      warmup: o.warmup,
      concurrency: o.concurrency,
      rounds: o.rounds,
      seed: o.seed,
      stack: { backend: o.backend, isolation: o.isolation, windowMs: o.windowMs },
    },
    (line) => console.log(line),
  );
  const c = compare(r, w);
  comparisons.push(c);
  console.log(render(c));
  console.log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, "results");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, "-")}.json`);
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` };
const loadAfter = loadAverage();
writeFileSync(
  file,
  JSON.stringify(
    {
      started: started.toISOString(),
      options: o,
      machine,
      load: { before: loadBefore, after: loadAfter },
      model: MODEL_TEXT,
      apps: comparisons,
    },
    null,
    2,
  ) + "\n",
);
console.log(`\n== summary (load average before ${loadBefore}, after ${loadAfter}) ==`);
for (const c of comparisons) console.log(summary(c));
console.log(`\nresults: ${path.relative(process.cwd(), file)}`);

await stopAllWorkers();
const wrong = comparisons.filter((c) => c.verified.beldi.length || c.verified.baseline.length);
if (wrong.length) console.log(`verification FAILED for ${wrong.map((c) => c.app).join(", ")}`);
process.exit(wrong.length ? 1 : 0);
