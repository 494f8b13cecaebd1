// How soon `beldi dev` prints diagnostics after a save, for each example: the command run as a
// child process on a copy of the app, the app's main file saved with an error (alternating two, so
// each save changes the text) and, fewer times, saved clean (which deploys; the next save waits for
// it). Timed from the write to the line read from the child's stderr, next to what the child says
// itself (from the first file event), with the machine's load.
//   node --import tsx bench/dev-recheck.ts [--runs N] [--clean N] [--app <example>]...
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DevProcess } from "../test/dev-process.js";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "9" }, clean: { type: "string", default: "2" }, app: { type: "string", multiple: true } },
});
const runs = Number(values.runs);
const cleanRuns = Number(values.clean);
const apps =
  values.app ??
  readdirSync("examples", { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const show = (xs: number[]) =>
  `median ${Math.round(median(xs))} ms (min ${Math.round(Math.min(...xs))}, max ${Math.round(Math.max(...xs))})`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

console.log(`beldi dev: save -> diagnostics printed; ${runs} saves with an error, ${cleanRuns} clean per app; load before: ${load()}`);
for (const app of apps) {
  const project = mkdtempSync(path.join(tmpdir(), "beldi-dev-bench-"));
  cpSync(path.join("examples", app), path.join(project, app), { recursive: true });
  const file = path.join(project, app, `${app}.beldi`);
  const original = readFileSync(file, "utf8");
  const dev = new DevProcess(project, [app, "--port", "0"]);
  try {
    await dev.waitFor(/watching .* for changes/);
    const seen: number[] = [];
    const said: number[] = [];
    const save = async (text: string, done: RegExp) => {
      const from = dev.err.length;
      const t0 = performance.now();
      writeFileSync(file, text);
      const { match, at } = await dev.waitFor(done, from);
      seen.push(at - t0);
      said.push(Number(match[1]));
      return from;
    };
    for (let i = 0; i < runs; i++) {
      await save(
        `${original}\ntype Broken = { x: nosuch${i % 2} }\n`,
        /\(checked in \d+ ms, (\d+) ms after the save\): (still serving|nothing)/,
      );
    }
    const broken = { seen: [...seen], said: [...said] };
    seen.length = said.length = 0;
    for (let i = 0; i < cleanRuns; i++) {
      const from = await save(`${original}\n// save ${i}\n`, /no errors \(checked in \d+ ms, (\d+) ms after the save\): deploying/);
      await dev.waitFor(/version \w{12} (deployed|unchanged)|deploy refused/, from);
    }
    console.log(`${app.padEnd(7)} with an error: seen ${show(broken.seen)}; beldi dev says ${show(broken.said)}`);
    if (cleanRuns) console.log(`${app.padEnd(7)} clean:         seen ${show(seen)}; beldi dev says ${show(said)}`);
  } finally {
    await dev.stop();
    rmSync(project, { recursive: true, force: true });
  }
}
console.log(`load after: ${load()}`);
