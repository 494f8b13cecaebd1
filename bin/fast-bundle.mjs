// The precompiled part of the CLI (check, diff, graph, run), when `npm run build:cli` (or
// `npm ci`, through `prepare`) made it and it is still fresh: no source it was built from (nor
// package-lock.json) changed since. Plain JavaScript: it decides, before the tsx loader is
// started, whether tsx is needed at all.
//
// Each bundle is one CommonJS file, compiled through node:vm with V8's code cache beside it
// (`<bundle>.v8cache`, written after the first command that finds none, or a stale one): a
// command then starts without parsing and compiling again the functions it ran last time.
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_DIR = path.join(ROOT, "node_modules", ".cache", "beldi-cli");
/**
 * The precompiled commands and their bundle: `front` (local/fast-cli.ts, exports fastMain(argv))
 * or `run` (local/commands/run.ts, exports runCommand(args)). Keep in step with FAST_COMMANDS in
 * local/fast-cli.ts (test/fast-cli-run.test.ts).
 */
export const FAST_COMMANDS = { check: "front", diff: "front", graph: "front", run: "run" };

/** Whether `beldi <argv>` may run from the bundle: a command it has, not asked for its usage (local/cli.ts says that). */
export function fastCommand(argv) {
  return Object.hasOwn(FAST_COMMANDS, argv[0] ?? "") && !argv.includes("--help") && !argv.includes("-h");
}

/** The bundle's folder if it is fresh, else null (missing, unreadable, or a source changed). */
export function freshBundle(dir = BUNDLE_DIR) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(dir, "inputs.json"), "utf8"));
    for (const f of [...inputs, "package-lock.json"]) if (statSync(path.join(ROOT, f)).mtimeMs > builtAt) return null;
    return dir;
  } catch {
    return null;
  }
}

/** Loads a CommonJS bundle with its code cache; `save()` writes the cache if it had none (or V8 refused it). */
export function loadBundle(file) {
  const code = readFileSync(file, "utf8");
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __beldiImport) {${code}\n})`, {
    filename: file,
    cachedData,
  });
  // the bundle's import()s (local/build-fast-cli.ts rewrote them to call this): relative to it
  const url = pathToFileURL(file);
  const importer = (specifier) => import(specifier.startsWith(".") ? new URL(specifier, url).href : specifier);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), importer);
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      // after the command: the cache then holds every function it compiled, not only the top level
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile); // atomic: a concurrent reader never sees half a file
    } catch {} // a read-only install: no cache, only slower
  };
  return { exports: module.exports, save };
}

/** Runs `beldi <argv>` from the bundle in `dir` (a fast command); resolves to its exit status. */
export async function runFast(dir, argv) {
  const kind = FAST_COMMANDS[argv[0]];
  const { exports, save } = loadBundle(path.join(dir, `${kind}.cjs`));
  const code = kind === "run" ? await exports.runCommand(argv.slice(1)) : await exports.fastMain(argv);
  save();
  return code;
}
