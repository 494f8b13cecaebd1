// Builds an app once per content: stacks of a test run (a sweep starts dozens) share the build
// in `.beldi/cache/<app>-<hash>/`. The hash covers the app's files and the toolchain's sources,
// so editing either rebuilds.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
// The front half only: the emitter and esbuild load only on a cache miss
// (they are most of a command's start-up time).
import { loadApp, UsageError } from "../compiler/check-api.js";
import { formatDiagnostic } from "../compiler/format-diagnostics.js";
import type { IrProgram } from "../compiler/ir.js";
import type { Io } from "../compiler/cli-io.js";
import { progress } from "./progress.js";

export interface BuiltApp {
  ir: IrProgram;
  /** service -> bundle path */
  bundles: Record<string, string>;
  dir: string;
}

// In the precompiled CLI (local/build-fast-cli.ts), the way from its folder to the project's;
// never set when run from source.
declare const BELDI_PRECOMPILED_ROOT: string | undefined;
const precompiled = typeof BELDI_PRECOMPILED_ROOT === "string";
const ROOT = fileURLToPath(new URL(precompiled ? `${BELDI_PRECOMPILED_ROOT}/` : "..", import.meta.url));
let toolchainHash: string | undefined;

/**
 * The build API (emitter, esbuild), loaded only on a cache miss. The
 * precompiled CLI does not contain it: it starts the tsx loader then and imports it from source.
 */
async function buildApi() {
  if (precompiled) (await import("tsx/esm/api")).register();
  const [{ build }, { hostNodeMajor }] = await Promise.all([import("../compiler/index.js"), import("../compiler/bundle.js")]);
  return { build, hostNodeMajor };
}

function hashTree(h: ReturnType<typeof createHash>, dir: string, filter: (name: string) => boolean): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, p, filter);
    else if (filter(e.name)) h.update(p).update(readFileSync(p));
  }
}

function toolchain(): string {
  if (toolchainHash) return toolchainHash;
  const h = createHash("sha256");
  for (const d of ["grammar", "compiler", "runtime"]) hashTree(h, path.join(ROOT, d), (n) => n.endsWith(".ts"));
  h.update(readFileSync(path.join(ROOT, "package-lock.json")));
  return (toolchainHash = h.digest("hex").slice(0, 12));
}

const building = new Map<string, Promise<BuiltApp>>();

export function cacheRoot(): string {
  return path.join(process.cwd(), ".beldi", "cache");
}

/** Builds `appPath` unless its build is cached; `io`: say so there while it builds (local/progress.ts). */
export async function buildCached(appPath: string, io?: Io): Promise<BuiltApp> {
  const { app, folder } = loadApp(appPath);
  const h = createHash("sha256")
    .update(toolchain())
    .update(`node${process.versions.node.split(".")[0]}`);
  if (statSync(path.resolve(appPath)).isDirectory()) hashTree(h, folder, (n) => n.endsWith(".beldi") || n.endsWith(".ts"));
  else h.update(readFileSync(appPath));
  const dir = path.join(cacheRoot(), `${app}-${h.digest("hex").slice(0, 16)}`);
  let p = building.get(dir);
  if (!p) {
    p = (async () => {
      const manifest = path.join(dir, "manifest.json");
      if (!existsSync(manifest)) {
        const started = Date.now();
        const line = io && progress(io, `building ${appPath} (not in the build cache: it or the toolchain changed)`, { plain: true });
        const r = await buildApi()
          // Bundles run here, not on Lambda: compiled for this Node (a newer target may keep syntax it lacks).
          .then(({ build, hostNodeMajor }) => build(appPath, dir, { bundleNodeMajor: hostNodeMajor() }))
          .finally(() => line?.done());
        if (r.ok) io?.err(`built ${appPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        else {
          const text = new Map(loadApp(appPath).files.map((f) => [f.path, f.text]));
          const shown = r.diagnostics.map((d) => formatDiagnostic(d, text.get(d.span.file) ?? "")).join("\n");
          throw new UsageError(`${appPath} does not compile:\n${shown}`);
        }
      }
      const ir = JSON.parse(readFileSync(manifest, "utf8")) as IrProgram;
      const bundles = Object.fromEntries(ir.services.map((s) => [s.name, path.join(dir, s.name, "index.mjs")]));
      return { ir, bundles, dir };
    })();
    building.set(dir, p);
    p.catch(() => building.delete(dir));
  }
  return p;
}
