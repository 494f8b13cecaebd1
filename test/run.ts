// `npm test`: type-checks the project, runs every uvu suite in test/ (one process per file, so a
// crashed suite is a failure, not the end of the run), and ends with the line CI reads:
// `N passed, N failed`.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { uvuSummary } from "./uvu-summary.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const files = readdirSync(path.join(root, "test"))
  .filter((f) => f.endsWith(".test.ts") && (!filter || filter.test(f)))
  .sort();

/** Runs a command; `echo` streams its output as it comes (a check's output is printed, to stdout, only when it fails). */
function run(cmd: string, args: string[], echo = true): Promise<{ code: number; how: string; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      if (echo) process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d;
      if (echo) process.stderr.write(d);
    });
    // a suite killed by a signal has no exit code: say which signal, not "exit 1"
    child.on("close", (code, signal) => resolve({ code: code ?? 1, how: code === null ? `signal ${signal}` : `exit ${code}`, out }));
  });
}

let passed = 0;
let failed = 0;
const failures: string[] = [];
/** The last lines of each failed suite, repeated at the end: a CI log may keep only its tail. */
const tails: string[] = [];
const TAIL_LINES = 60;
/** (a line cut at 400 characters: a crash in a minified bundle prints the whole line) */
const tailOf = (file: string, out: string) =>
  `## ${file}, its last ${TAIL_LINES} lines\n${out
    .trimEnd()
    .split("\n")
    .slice(-TAIL_LINES)
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}… (${l.length} characters)` : l))
    .join("\n")}`;
const started = Date.now();

/** A whole-tree check counted as one test: the type-check, and the formatter and linter (biome.jsonc). */
async function check(name: string, cmd: string, args: string[]): Promise<void> {
  process.stdout.write(`${name} ... `);
  const t = Date.now();
  const r = await run(cmd, args, false);
  if (r.code === 0) {
    passed++;
    console.log(`ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } else {
    failed++;
    failures.push(name);
    // on stdout, beside the counts: a CI log may keep only stdout
    console.log(`FAILED (${r.how})\n${r.out}`);
  }
}

if (!filter) {
  await check("typecheck (tsc --noEmit)", process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", root]);
  await check("format and lint (biome ci)", path.join(root, "node_modules/.bin/biome"), ["ci", "--colors=off", root]);
}

for (const file of files) {
  const t = Date.now();
  console.log(`\n# ${file}`);
  const r = await run(process.execPath, [
    "--import",
    "tsx",
    path.join(root, "node_modules/uvu/bin.js"),
    "test",
    `^${file.replace(/\./g, "\\.")}$`,
  ]);
  const summary = uvuSummary(r.out);
  if (!summary) {
    // The suite died before reporting: count it as one failure.
    failed++;
    failures.push(`${file} (no summary; ${r.how})`);
    tails.push(tailOf(file, r.out));
    continue;
  }
  const { total, passed: ok, skipped } = summary;
  passed += ok;
  const bad = total - ok + skipped;
  failed += bad;
  if (bad || r.code !== 0) {
    failures.push(`${file}${bad ? ` (${bad} failed)` : ` (${r.how})`}`);
    tails.push(tailOf(file, r.out));
  }
  if (!bad && r.code !== 0) failed++;
  console.log(`# ${file}: ${ok}/${total} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

if (tails.length) console.log(`\n${tails.join("\n\n")}`);
console.log(`\n${failures.length ? `failed: ${failures.join(", ")}\n` : ""}time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
