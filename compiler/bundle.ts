// Generated TypeScript -> one self-contained, minified ESM bundle per service (esbuild), the file
// a Lambda runs, with its source map beside it. The runtime is bundled in; the AWS SDK too by
// default (`sdk: "bundled"`: versions are the lockfile's), or left to the Lambda runtime's copy
// (`sdk: "external"`: smaller bundles, the SDK version is whatever the runtime ships).
//
// Two esbuild runs. First the runtime, with the SDK, as one minified module holding what the
// handlers import from it (`beldi/runtime`): the ~900 files of the SDK are resolved, tree-shaken
// and minified once, with their names kept (the runtime names SDK commands in messages by their
// class). Then every handler in one run, each entry its own self-contained file (no `splitting`: a
// Lambda is deployed with its own file only) importing that module: bundling ten services took
// four times as long when each entry linked the SDK's files itself. The second run only strips
// whitespace and simplifies syntax, so the program's own names stay as written in stack traces.
// The first run's module is kept (node_modules/.cache/beldi-runtime/, or BELDI_RUNTIME_CACHE) while the files it was
// built from are unchanged, so a build usually makes only the second run. The source maps
// compose: a bundle's map leads to the .beldi lines (through the handler's inline map) and to
// the runtime's and the SDK's own files (through the first run's map).
import { build, version, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BuildOptionError } from "./deploy.js";

/** The runtime's entry, which generated code imports as `beldi/runtime`. */
export const RUNTIME_ENTRY = fileURLToPath(new URL("../runtime/index.ts", import.meta.url));
const RUNTIME_MODULE = "beldi/runtime";

/** Where a bundle's AWS SDK comes from: bundled in (default), or the Lambda runtime's (`@aws-sdk/*` left as imports). */
export const SDK_MODES = ["bundled", "external"] as const;
export type SdkMode = (typeof SDK_MODES)[number];

/** The SDK mode a build asked for (default "bundled"); anything else is a BuildOptionError. */
export function sdkMode(value: unknown): SdkMode {
  if (value === undefined) return "bundled";
  if (SDK_MODES.includes(value as SdkMode)) return value as SdkMode;
  throw new BuildOptionError("sdk", value, SDK_MODES);
}

// Some bundled dependencies are CommonJS and call `require` for node builtins. The banner is
// not parsed by esbuild, so its own name has a `$`: no .beldi name can take it (a fn named
// `__beldiCreateRequire` made the bundle a duplicate declaration). `require` itself is known
// to esbuild, which renames a user's `require`.
const REQUIRE_SHIM =
  'import { createRequire as $beldiCreateRequire } from "node:module"; const require = $beldiCreateRequire(import.meta.url);';

/** The major version of the Node.js running this process. */
export function hostNodeMajor(): number {
  return Number(process.versions.node.split(".")[0]);
}

/** A service's bundle (`index.mjs`) and its source map (`index.mjs.map`, which the bundle names). */
export interface Bundle {
  code: string;
  map: string;
}

export interface BundleOptions {
  /** the Node.js major version the bundle is compiled for (esbuild's `target`; default: this process's) */
  nodeMajor?: number;
  /** where the AWS SDK comes from (default "bundled") */
  sdk?: SdkMode;
}

/** What both runs share. */
function common(opts: BundleOptions): BuildOptions {
  return {
    bundle: true,
    splitting: false,
    platform: "node",
    format: "esm",
    target: `node${opts.nodeMajor ?? hostNodeMajor()}`,
    mainFields: ["module", "main"],
    external: opts.sdk === "external" ? ["@aws-sdk/*"] : [],
    logLevel: "silent",
    legalComments: "none",
    // a file beside the bundle, not inline: inline it doubled what a cold start loads
    sourcemap: "linked",
    // positions only: the runtime's and the AWS SDK's sources would double the map again
    sourcesContent: false,
  };
}

/** The second run's options: handlers importing the first run's module. */
function handlers(opts: BundleOptions, runtime: string): BuildOptions {
  return {
    ...common(opts),
    alias: { [RUNTIME_MODULE]: runtime },
    banner: { js: REQUIRE_SHIM },
    minifyWhitespace: true,
    minifySyntax: true,
  };
}

/** The names generated handlers import from the runtime (`import { defineService, values as $v, type Ctx } from "beldi/runtime";`). */
export function runtimeImports(sources: readonly string[]): string[] {
  const names = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/^import \{([^}]*)\} from "beldi\/runtime";$/gm)) {
      for (const spec of m[1]!.split(",").map((s) => s.trim()))
        if (spec && !spec.startsWith("type ")) names.add(spec.split(/\s+as\s+/)[0]!);
    }
  }
  return [...names].sort();
}

/**
 * Where the first run's modules are kept between processes: `BELDI_RUNTIME_CACHE`, or beside
 * the toolchain's own dependencies (`node_modules/.cache/beldi-runtime/`), or, when that cannot
 * be written, in a folder of this process's (removed at its exit).
 */
const CACHE_ROOT = fileURLToPath(new URL("../node_modules/.cache/beldi-runtime/", import.meta.url));
let processCache: string | undefined;

function cacheRoot(): string {
  const root = process.env.BELDI_RUNTIME_CACHE || CACHE_ROOT;
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
    return root;
  } catch {
    if (!processCache) {
      const dir = mkdtempSync(path.join(tmpdir(), "beldi-runtime-"));
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
      processCache = dir;
    }
    return processCache;
  }
}

/** What a kept module was built from: every input file, and a hash of their contents. */
interface Inputs {
  files: string[];
  hash: string;
}

function contentHash(files: readonly string[]): string | undefined {
  const h = createHash("sha256");
  try {
    for (const f of files) h.update(f).update("\0").update(readFileSync(f)).update("\0");
  } catch {
    return undefined; // a file gone: built again
  }
  return h.digest("hex");
}

/** Is the module kept in `dir` built from the files as they are now? (npm gives every file one mtime: contents are compared.) */
export function current(dir: string): boolean {
  try {
    const inputs = JSON.parse(readFileSync(path.join(dir, "inputs.json"), "utf8")) as Inputs;
    return existsSync(path.join(dir, "runtime.mjs")) && contentHash(inputs.files) === inputs.hash;
  } catch {
    return false;
  }
}

/** The first run's module per target, SDK mode and names, as this process last checked it. */
const sharedRuntimes = new Map<string, Promise<string>>();

/**
 * The runtime (and the SDK, when bundled) as one minified module exporting `names`: its path.
 * Built once and kept while the runtime's and the SDK's files are unchanged.
 */
async function sharedRuntime(names: readonly string[], opts: BundleOptions): Promise<string> {
  const target = opts.nodeMajor ?? hostNodeMajor();
  const key = createHash("sha256")
    .update(JSON.stringify([version, target, opts.sdk ?? "bundled", names, RUNTIME_ENTRY]))
    .digest("hex")
    .slice(0, 16);
  const kept = sharedRuntimes.get(key);
  if (kept) {
    const file = await kept.catch(() => undefined);
    if (file && current(path.dirname(file))) return file;
    if (sharedRuntimes.get(key) === kept) sharedRuntimes.delete(key);
    return sharedRuntime(names, opts);
  }
  const made = (async (): Promise<string> => {
    const dir = path.join(cacheRoot(), key);
    const file = path.join(dir, "runtime.mjs");
    if (current(dir)) return file;
    // built beside it, then renamed into place: a sibling, so the map's relative paths hold
    const fresh = mkdtempSync(`${dir}.tmp-`);
    try {
      const entry = names.length
        ? `export { ${names.join(", ")} } from ${JSON.stringify(RUNTIME_ENTRY)};`
        : `export * from ${JSON.stringify(RUNTIME_ENTRY)};`;
      const r = await build({
        ...common({ ...opts, nodeMajor: target }),
        stdin: { contents: entry, resolveDir: path.dirname(RUNTIME_ENTRY), sourcefile: "beldi-runtime.ts", loader: "ts" },
        outfile: path.join(fresh, "runtime.mjs"),
        write: true,
        metafile: true,
        // names kept: the runtime names SDK commands in messages (`command.constructor.name`)
        minify: true,
        keepNames: true,
      });
      const files = Object.keys(r.metafile.inputs)
        .map((p) => path.resolve(p))
        .filter((p) => existsSync(p)) // not the entry above (stdin)
        .sort();
      const inputs: Inputs = { files, hash: contentHash(files) ?? "" };
      writeFileSync(path.join(fresh, "inputs.json"), `${JSON.stringify(inputs)}\n`);
      if (current(dir)) return file; // another build put it there meanwhile
      rmSync(dir, { recursive: true, force: true }); // stale
      try {
        renameSync(fresh, dir);
      } catch (e) {
        // another build put it there first
        if (!current(dir)) throw e;
      }
      return file;
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  })();
  sharedRuntimes.set(key, made);
  made.catch(() => sharedRuntimes.delete(key));
  return made;
}

/**
 * Bundles the handlers written under `dir`: each `<dir>/<service>/handler.ts` to
 * `<dir>/<service>/index.mjs`, self-contained, with its source map `index.mjs.map` beside it,
 * into which the handler's own map (its last line) is composed, so a stack trace under
 * `node --enable-source-maps` names the .beldi line. The map's paths are relative to the
 * service's folder. `sources` are the handlers' texts (for the names they import).
 */
export async function bundleServices(
  dir: string,
  services: readonly string[],
  sources: readonly string[],
  opts: BundleOptions = {},
): Promise<void> {
  if (services.length === 0) return;
  const runtime = await sharedRuntime(runtimeImports(sources), opts);
  await build({
    ...handlers(opts, runtime),
    entryPoints: services.map((s) => ({ in: path.join(dir, s, "handler.ts"), out: `${s}/index` })),
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    write: true,
  });
}

/**
 * One handler's bundle and map from its text, in memory: as `bundleServices` makes them.
 * `resolveDir` is the folder the handler and its bundle are written to: the map's paths are
 * relative to it. `name` is the handler's path (`<service>/handler.ts`).
 */
export async function bundleService(
  source: string,
  resolveDir: string,
  name: string,
  nodeMajor = hostNodeMajor(),
  opts: Omit<BundleOptions, "nodeMajor"> = {},
): Promise<Bundle> {
  const all = { ...opts, nodeMajor };
  const r = await build({
    ...handlers(all, await sharedRuntime(runtimeImports([source]), all)),
    // esbuild places stdin at resolveDir/sourcefile and reads the handler's map from there
    stdin: { contents: source, resolveDir, sourcefile: path.basename(name), loader: "ts" },
    write: false,
    outfile: path.join(resolveDir, "index.mjs"),
  });
  const code = r.outputFiles.find((f) => f.path.endsWith(".mjs"))!.text;
  const map = r.outputFiles.find((f) => f.path.endsWith(".mjs.map"))!.text;
  return { code, map };
}
