// `npm run build:cli` (also run by `npm ci`/`npm install`, as `prepare`): bundles
// local/fast-cli.ts (check, diff, graph, run) with esbuild into node_modules/.cache/beldi-cli/,
// so bin/beldi.mjs runs them on plain Node: no tsx loader, no transform of each source file,
// chevrotain and the AWS SDK as one file each instead of hundreds of modules. The bundle records
// its project inputs; bin/fast-bundle.mjs stops using it once one changes.
//
// The parser's grammar is analysed here, once: constructing it from source runs chevrotain's
// validations (a grammar mistake fails the bundle), records its rules and computes its lookahead
// paths; the bundle embeds the recording (grammar/recorded-grammar.ts) and the paths
// (grammar/lookahead.ts), so the bundled parser starts without validating, recording or computing.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { buildCheckSnapshot, CHECK_SNAPSHOT } from "./build-check-snapshot.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where bin/fast-bundle.mjs looks for it (BUNDLE_DIR there). */
export const FAST_CLI_DIR = path.join(ROOT, "node_modules", ".cache", "beldi-cli");

/**
 * What the bundle leaves to the sources: the build API (emitter, ts-morph, esbuild), needed by
 * `run` only on a build-cache miss and then imported from source through tsx
 * (local/build-cache.ts). Their imports become relative paths from the bundle to the sources.
 */
const FROM_SOURCE = ["compiler/index.ts", "compiler/bundle.ts"];

function fromSource(outDir: string): Plugin {
  const files = new Set(FROM_SOURCE.map((f) => path.join(ROOT, f)));
  return {
    name: "beldi-from-source",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        const target = path.resolve(a.resolveDir, a.path.replace(/\.js$/, ".ts"));
        if (!files.has(target)) return undefined;
        return { path: path.relative(outDir, target).split(path.sep).join("/"), external: true };
      });
    },
  };
}

/**
 * The bundle's dynamic `import()`s (Graphviz, a handler's bundle, the build API through tsx) as
 * calls of `__beldiImport`, which bin/fast-bundle.mjs passes in: a script compiled by node:vm
 * cannot import() once it comes from V8's code cache (Node 20), but its loader can.
 */
function callsImportHook(code: string): string {
  const { ts } = createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph");
  const file = ts.createSourceFile("bundle.cjs", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const at: number[] = [];
  const visit = (n: import("ts-morph").ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) at.push(n.expression.getStart(file));
    ts.forEachChild(n, visit);
  };
  visit(file);
  let out = code;
  for (const p of at.reverse()) out = `${out.slice(0, p)}__beldiImport${out.slice(p + "import".length)}`;
  return out;
}

/** Builds the bundle into `outDir`; returns the project files it was built from. */
export async function buildFastCli(outDir: string): Promise<string[]> {
  // taken before reading any source: a file saved during the build makes the bundle stale
  const builtAt = Date.now();
  // the parser, built from source with every validation; its lookahead paths go in the bundle
  const { lookaheadPaths } = await import("../grammar/lookahead.js");
  const { recordedGrammar } = await import("../grammar/parser.js");
  const paths = lookaheadPaths();
  if (!Object.keys(paths).length) throw new Error("the parser computed no lookahead paths (was it built from a bundle?)");
  const grammar = recordedGrammar();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const r = await build({
    // one file each (CommonJS: bin/fast-bundle.mjs compiles it with V8's code cache): the front
    // half (check, diff, graph), and run's (the stack, the AWS SDK) that check never reads
    entryPoints: { front: path.join(ROOT, "local", "fast-cli.ts"), run: path.join(ROOT, "local", "commands", "run.ts") },
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    outdir: outDir,
    // loaded lazily from node_modules, as the sources do: TypeScript (an extern module the
    // scanner cannot read), Graphviz (svg), esbuild and tsx (a build-cache miss in `run`);
    // dynalite (CommonJS, with many dependencies) as it is
    external: ["ts-morph", "@viz-js/viz", "esbuild", "tsx", "dynalite"],
    plugins: [fromSource(outDir)],
    define: {
      BELDI_LOOKAHEAD_PATHS: JSON.stringify(paths),
      BELDI_RECORDED_GRAMMAR: JSON.stringify(grammar),
      BELDI_PRECOMPILED_ROOT: JSON.stringify(path.relative(outDir, ROOT).split(path.sep).join("/") || "."),
      // the sources are ES modules: their own URL is the bundle's
      "import.meta.url": "__beldiUrl",
    },
    banner: { js: 'var __beldiUrl = require("node:url").pathToFileURL(__filename).href;' },
    metafile: true,
    logLevel: "warning",
  });
  for (const out of Object.keys(r.metafile.outputs)) writeFileSync(out, callsImportHook(readFileSync(out, "utf8")));
  // --isolation process forks local/worker.ts, which local/process-executor.ts finds beside itself
  copyFileSync(path.join(ROOT, "local", "worker.ts"), path.join(outDir, "worker.ts"));
  const inputs = [
    ...new Set([
      ...Object.keys(r.metafile.inputs)
        .filter((f) => !f.startsWith("<")) // esbuild's own inputs (`<define:...>`)
        .map((f) => path.relative(ROOT, path.resolve(f)))
        .filter((f) => !f.startsWith(`node_modules${path.sep}`) && !f.startsWith("..")),
      path.join("local", "worker.ts"),
    ]),
  ].sort();
  writeFileSync(path.join(outDir, "inputs.json"), `${JSON.stringify({ builtAt, inputs }, null, 2)}\n`);
  // an optional speed-up: without the blob, bin/beldi starts check from the bundle
  const snapshotFailed = buildCheckSnapshot(outDir, ROOT, builtAt, inputs);
  if (snapshotFailed) console.warn(`beldi: no startup snapshot for check (it starts from the bundle): ${snapshotFailed}`);
  return inputs;
}

// `--optional` (npm's `prepare`): a failure is said but does not fail the install; beldi then
// runs from source, where the same failure (a grammar mistake, say) shows up as it would anyway.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const inputs = await buildFastCli(FAST_CLI_DIR);
    const snapshot = existsSync(path.join(FAST_CLI_DIR, CHECK_SNAPSHOT)) ? " (check also as a startup snapshot)" : "";
    console.log(
      `beldi check, diff, graph and run precompiled from ${inputs.length} files into ${path.relative(process.cwd(), FAST_CLI_DIR)}${snapshot}`,
    );
  } catch (e) {
    if (!process.argv.includes("--optional")) throw e;
    rmSync(FAST_CLI_DIR, { recursive: true, force: true });
    console.warn(`beldi: the precompiled CLI was not built, so beldi runs from source (slower to start): ${(e as Error).message}`);
  }
}
