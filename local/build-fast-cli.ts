// `npm run build:cli`: bundles local/fast-cli.ts (check, diff, graph) with esbuild into
// node_modules/.cache/beldi-cli/, so bin/beldi.mjs runs them on plain Node: no tsx loader, no
// transform of each source file, chevrotain as one file instead of hundreds of modules. The
// bundle records its project inputs; bin/fast-bundle.mjs stops using it once one changes.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where bin/fast-bundle.mjs looks for it (BUNDLE_DIR there). */
export const FAST_CLI_DIR = path.join(ROOT, "node_modules", ".cache", "beldi-cli");

/** Builds the bundle into `outDir`; returns the project files it was built from. */
export async function buildFastCli(outDir: string): Promise<string[]> {
  // taken before reading any source: a file saved during the build makes the bundle stale
  const builtAt = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const r = await build({
    entryPoints: { "fast-cli": path.join(ROOT, "local", "fast-cli.ts") },
    bundle: true,
    splitting: true, // `build`'s lazy import stays a chunk that check never loads
    format: "esm",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    outdir: outDir,
    // loaded lazily from node_modules, as the sources do: TypeScript (an extern module the
    // scanner cannot read), Graphviz (svg), esbuild (build)
    external: ["ts-morph", "@viz-js/viz", "esbuild"],
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(r.metafile.inputs)
    .map((f) => path.relative(ROOT, path.resolve(f)))
    .filter((f) => !f.startsWith(`node_modules${path.sep}`) && !f.startsWith(".."))
    .sort();
  writeFileSync(path.join(outDir, "inputs.json"), `${JSON.stringify({ builtAt, inputs }, null, 2)}\n`);
  return inputs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const inputs = await buildFastCli(FAST_CLI_DIR);
  console.log(`beldi check, diff and graph precompiled from ${inputs.length} files into ${path.relative(process.cwd(), FAST_CLI_DIR)}`);
}
