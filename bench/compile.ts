// What building costs (issue 16): compile() warm, per example app (check + IR + TypeScript, no
// bundling); `beldi build examples/travel` as a user runs it (wall time of a fresh process,
// bundles included); each service's bundle size; and a bundle's cold import (a fresh Node process
// per sample, the import timed inside it), with the AWS SDK bundled (the default) and left to the
// Lambda runtime's copy (`--sdk external`; here it resolves from node_modules, as on Lambda from
// the runtime's). The machine's load average is printed with every figure.
//   node --import tsx bench/compile.ts [--runs N] [--warm N] [--build-runs N] [--sdk bundled,external]
//     [--app <example>]... [--skip-build]
// Builds go to .beldi/bench/ (inside the repository, so an external SDK resolves from its node_modules).
// Builds are timed with the runtime module of compiler/bundle.ts kept (after one warm-up build),
// and with an empty BELDI_RUNTIME_CACHE (a first build). Before the change (issue 16) the bench
// has no such cache; the second line then times the same build.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { compile, loadApp } from "../compiler/index.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "9" },
    warm: { type: "string", default: "30" },
    "build-runs": { type: "string", default: "3" },
    sdk: { type: "string", default: "bundled,external" },
    app: { type: "string", multiple: true },
    "skip-build": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const warmRuns = Number(values.warm);
const buildRuns = Number(values["build-runs"]);
const sdks = values.sdk.split(",").filter(Boolean);
const apps =
  values.app ??
  readdirSync("examples", { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

if (!existsSync("bin/beldi.mjs")) throw new Error("run from the repository's root");

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => x.toFixed(1).padStart(7);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0).padStart(5)} KB`;

// 1. compile() warm, in this process
console.log(`compile() warm (check + IR + TypeScript; median of ${warmRuns} after 5 warm-up runs), load ${load()}`);
for (const a of apps) {
  const app = loadApp(path.join("examples", a));
  const lines = app.files.reduce((n, f) => n + f.text.split("\n").length, 0);
  const once = () => {
    const start = performance.now();
    const r = compile(app.files, { app: app.app, appDir: app.appDir });
    const t = performance.now() - start;
    if (!r.ok) throw new Error(`examples/${a} does not compile`);
    return t;
  };
  for (let i = 0; i < 5; i++) once();
  const samples = Array.from({ length: warmRuns }, once);
  const services = compile(app.files, { app: app.app, appDir: app.appDir }).ir!.services.length;
  console.log(
    `  ${a.padEnd(8)} ${String(lines).padStart(4)} lines ${String(services).padStart(3)} services  median ${ms(median(samples))} ms  min ${ms(Math.min(...samples))} ms`,
  );
}
if (values["skip-build"]) process.exit(0);

// 2. `beldi build examples/travel` in a fresh process
const outOf = (sdk: string) => path.join(".beldi", "bench", `travel-${sdk}`);
/** One build in a fresh process; `emptyCache`: with no kept runtime module (compiler/bundle.ts), as a first build. */
function buildOnce(sdk: string, emptyCache = false): number {
  const args = ["bin/beldi.mjs", "build", "examples/travel", "--out", outOf(sdk), ...(sdk === "bundled" ? [] : ["--sdk", sdk])];
  const cache = emptyCache ? mkdtempSync(path.join(tmpdir(), "beldi-bench-cache-")) : undefined;
  const env = cache ? { ...process.env, BELDI_RUNTIME_CACHE: cache } : process.env;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env });
  if (cache) rmSync(cache, { recursive: true, force: true });
  const t = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`beldi ${args.slice(1).join(" ")} exited ${r.status}: ${r.stderr}`);
  return t;
}
console.log(`\nbeldi build examples/travel (fresh process, wall; median of ${buildRuns} after 1 warm-up)`);
for (const sdk of sdks) {
  buildOnce(sdk); // tsx's transform cache, the disk cache and the kept runtime module, as after a first build
  let before = load();
  const samples = Array.from({ length: buildRuns }, () => buildOnce(sdk));
  console.log(
    `  --sdk ${sdk.padEnd(8)} median ${ms(median(samples))} ms  min ${ms(Math.min(...samples))} ms  max ${ms(Math.max(...samples))} ms  load before ${before}, after ${load()}`,
  );
  before = load();
  const first = Array.from({ length: buildRuns }, () => buildOnce(sdk, true));
  console.log(
    `    no kept runtime module: median ${ms(median(first))} ms  min ${ms(Math.min(...first))} ms  max ${ms(Math.max(...first))} ms  load before ${before}, after ${load()}`,
  );
}

// 3. bundle sizes and 4. cold imports
const services = readdirSync(outOf(sdks[0]!), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
console.log("\nbundles of examples/travel: index.mjs (gzip) and index.mjs.map, per --sdk");
for (const s of services) {
  const cols = sdks.map((sdk) => {
    const f = path.join(outOf(sdk), s, "index.mjs");
    return `${sdk}: ${kb(size(f))} (${kb(gzipSync(readFileSync(f)).length)}) map ${kb(size(`${f}.map`))}`;
  });
  console.log(`  ${s.padEnd(14)} ${cols.join("   ")}`);
}

interface ImportSample {
  /** the import's wall time, inside the process */
  importMs: number;
  /** the CPU time (user + system) the import took: less disturbed by other load than wall time */
  cpuMs: number;
  /** the whole process's wall time, as seen from here */
  wallMs: number;
}

/** One fresh process importing a bundle. */
function importOnce(file: string): ImportSample {
  const url = pathToFileURL(path.resolve(file)).href;
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(url)});
    const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`importing ${file} exited ${r.status}: ${r.stderr}`);
  const [importMs, cpuMs] = JSON.parse(r.stdout) as [number, number];
  return { importMs, cpuMs, wallMs };
}
console.log(`\ncold import of a bundle (a fresh \`node\` per sample; median of ${runs}, interleaved), load before ${load()}`);
const samples = new Map<string, ImportSample[]>();
const cases = services.flatMap((s) => sdks.map((sdk) => ({ s, sdk, file: path.join(outOf(sdk), s, "index.mjs") })));
for (const c of cases) importOnce(c.file); // the disk cache
for (let i = 0; i < runs; i++)
  for (const c of cases) {
    const k = `${c.s} ${c.sdk}`;
    samples.set(k, [...(samples.get(k) ?? []), importOnce(c.file)]);
  }
for (const s of services) {
  const cols = sdks.map((sdk) => {
    const xs = samples.get(`${s} ${sdk}`)!;
    const m = (f: (x: ImportSample) => number) => ms(median(xs.map(f)));
    return `${sdk}: import ${m((x) => x.importMs)} ms (cpu ${m((x) => x.cpuMs)}), process ${m((x) => x.wallMs)} ms`;
  });
  console.log(`  ${s.padEnd(14)} ${cols.join("   ")}`);
}
const node = Array.from({ length: runs }, () => {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ["-e", "0"]);
  return Number(process.hrtime.bigint() - start) / 1e6;
});
console.log(`  (node -e 0: ${ms(median(node))} ms)  load after ${load()}`);
