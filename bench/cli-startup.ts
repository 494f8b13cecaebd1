// How long `beldi check` and `beldi run` take, as a user sees them (wall time of a fresh process),
// next to what Node itself and the tsx loader cost to start, with the machine's load at the time:
// through tsx (BELDI_NO_BUNDLE=1), from the precompiled bundle (`npm run build:cli`, built
// first here), and, for check, as the installed `beldi` command starts it: bin/beldi, from the
// startup snapshot built with the bundle (the launcher does not load NODE_EXTRA_CA_CERTS for
// check). `run` is a one-read fn (examples/hello's counter.get) with its build cached (the
// warm-up run builds it), in a folder of its own (its build cache and kept state).
//   node --import tsx bench/cli-startup.ts [--runs N] [--app <example>]... [--no-run] [--no-check]
// Prints one line per command: median, min and max of N runs (default 9), in milliseconds.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
// @ts-expect-error: plain JavaScript without types (it runs before tsx is loaded)
import { freshBundle } from "../bin/fast-bundle.mjs";
import { CHECK_SNAPSHOT_NODE, nodeIdentity } from "../local/build-check-snapshot.js";
import { buildFastCli, FAST_CLI_DIR } from "../local/build-fast-cli.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "9" },
    app: { type: "string", multiple: true },
    "no-run": { type: "boolean" },
    "no-check": { type: "boolean" },
  },
});
const runs = Number(values.runs);
const apps = values["no-check"]
  ? []
  : (values.app ??
    readdirSync("examples", { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort());

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** runs from the bundle (which must be fresh) */
  bundled?: boolean;
  /** the program to start, if not Node itself */
  command?: string;
}

const beldi = path.resolve("bin/beldi.mjs");
const launcher = path.resolve("bin/beldi");
const tsx = { BELDI_NO_BUNDLE: "1" };
const check = (a: string) => [beldi, "check", path.resolve("examples", a)];
const run = [beldi, "run", path.resolve("examples/hello"), "counter.get", "--input", '{"name":"bench"}'];
// Node parses NODE_EXTRA_CA_CERTS (and its whole root store) before it runs anything; the
// launcher unsets it for check, which opens no TLS connection
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const cases: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  ...(extraCa ? [{ name: "node -e 0 (NODE_EXTRA_CA_CERTS unset)", args: ["-e", "0"], env: { NODE_EXTRA_CA_CERTS: "" } }] : []),
  { name: "node --import tsx -e 0", args: ["--import", "tsx", "-e", "0"] },
  ...apps.map((a) => ({ name: `check examples/${a} (tsx)`, args: check(a), env: tsx })),
  ...apps.map((a) => ({ name: `check examples/${a} (bundle)`, args: check(a), bundled: true })),
  ...apps.map((a) => ({ name: `check examples/${a} (snapshot)`, command: launcher, args: check(a).slice(1), bundled: true })),
  ...(values["no-run"]
    ? []
    : [
        { name: "run examples/hello counter.get (tsx)", args: run, env: tsx },
        { name: "run examples/hello counter.get (bundle)", args: run, bundled: true },
      ]),
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!existsSync("bin/beldi.mjs")) throw new Error("run from the repository's root");
mkdirSync(".beldi", { recursive: true });
const cwd = mkdtempSync(path.resolve(".beldi", "bench-cli-"));
process.on("exit", () => rmSync(cwd, { recursive: true, force: true }));

let rebuilt = 0;
async function time(c: Case): Promise<number> {
  // a source saved meanwhile (another editor) would send the "bundle" case through tsx
  if (c.bundled && !freshBundle()) {
    await buildFastCli(FAST_CLI_DIR);
    rebuilt++;
  }
  const start = process.hrtime.bigint();
  const r = spawnSync(c.command ?? process.execPath, c.args, { cwd, encoding: "utf8", env: { ...process.env, ...c.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

await buildFastCli(FAST_CLI_DIR);
// the snapshot cases would silently measure the bundle without a blob for this Node
if (apps.length && readFileSync(path.join(FAST_CLI_DIR, CHECK_SNAPSHOT_NODE), "utf8") !== nodeIdentity())
  throw new Error("no startup snapshot for this Node: see npm run build:cli's warning");
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`runs: ${runs} each, interleaved; load average before: ${load()}; NODE_EXTRA_CA_CERTS: ${extraCa || "(unset)"}`);
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
for (const c of cases) await time(c); // warm the disk cache, tsx's transform cache and run's build cache
// interleaved, so a change in the machine's load falls on every command alike
for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)!.push(await time(c));
const width = Math.max(...cases.map((c) => c.name.length));
for (const c of cases) {
  const xs = samples.get(c.name)!;
  console.log(
    `${c.name.padEnd(width)}  median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`,
  );
}
console.log(`load average after: ${load()}${rebuilt ? `; the bundle was rebuilt ${rebuilt} time(s): a source changed meanwhile` : ""}`);
