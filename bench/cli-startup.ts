// How long `beldi check` takes, as a user sees it (wall time of a fresh process), next to what
// Node itself and the tsx loader cost to start, with the machine's load at the time: through tsx
// (BELDI_NO_BUNDLE=1) and from the precompiled bundle (`npm run build:cli`, built first here).
//   node --import tsx bench/cli-startup.ts [--runs N] [--app <example>]...
// Prints one line per command: median, min and max of N runs (default 9), in milliseconds.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildFastCli, FAST_CLI_DIR } from "../local/build-fast-cli.js";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "9" }, app: { type: "string", multiple: true } },
});
const runs = Number(values.runs);
const apps =
  values.app ??
  readdirSync("examples", { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

const check = (a: string) => ["bin/beldi.mjs", "check", path.join("examples", a)];
const cases: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "node --import tsx -e 0", args: ["--import", "tsx", "-e", "0"] },
  ...apps.map((a) => ({ name: `check examples/${a} (tsx)`, args: check(a), env: { BELDI_NO_BUNDLE: "1" } })),
  ...apps.map((a) => ({ name: `check examples/${a} (bundle)`, args: check(a) })),
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(c: Case): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { encoding: "utf8", env: { ...process.env, ...c.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

if (!existsSync("bin/beldi.mjs")) throw new Error("run from the repository's root");
await buildFastCli(FAST_CLI_DIR);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`runs: ${runs} each, interleaved; load average before: ${load()}`);
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
for (const c of cases) time(c); // warm the disk cache and tsx's transform cache
// interleaved, so a change in the machine's load falls on every command alike
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)!.push(time(c));
const width = Math.max(...cases.map((c) => c.name.length));
for (const c of cases) {
  const xs = samples.get(c.name)!;
  console.log(
    `${c.name.padEnd(width)}  median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`,
  );
}
console.log(`load average after: ${load()}`);
