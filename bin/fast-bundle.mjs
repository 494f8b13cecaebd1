// The precompiled part of the CLI (check, diff, graph, run), when `npm run build:cli` (or
// `npm ci`, through `prepare`) made it and it is still fresh: no source it was built from (nor
// package-lock.json) changed since. Plain JavaScript: it decides, before the tsx loader is
// started, whether tsx is needed at all.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_DIR = path.join(ROOT, "node_modules", ".cache", "beldi-cli");
/** Keep in step with FAST_COMMANDS in local/fast-cli.ts (test/fast-cli-run.test.ts). */
export const FAST_COMMANDS = new Set(["check", "diff", "graph", "run"]);

/** Whether `beldi <argv>` may run from the bundle: a command it has, not asked for its usage (local/cli.ts says that). */
export function fastCommand(argv) {
  return FAST_COMMANDS.has(argv[0]) && !argv.includes("--help") && !argv.includes("-h");
}

/** The bundle's entry URL if it is fresh, else null (missing, unreadable, or a source changed). */
export function freshBundle(dir = BUNDLE_DIR) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(dir, "inputs.json"), "utf8"));
    for (const f of [...inputs, "package-lock.json"]) if (statSync(path.join(ROOT, f)).mtimeMs > builtAt) return null;
    return pathToFileURL(path.join(dir, "fast-cli.js")).href;
  } catch {
    return null;
  }
}
