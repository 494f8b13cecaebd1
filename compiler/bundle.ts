// Generated TypeScript -> one self-contained, minified ESM bundle per service (esbuild), the file
// a Lambda runs, with its source map beside it. The runtime is bundled in; the AWS SDK too by
// default (`sdk: "bundled"`: versions are the lockfile's), or left to the Lambda runtime's copy
// (`sdk: "external"`: smaller bundles, the SDK version is whatever the runtime ships).
import { build, type BuildOptions } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BuildOptionError } from "./deploy.js";

/** The runtime's entry, which generated code imports as `beldi/runtime`. */
export const RUNTIME_ENTRY = fileURLToPath(new URL("../runtime/index.ts", import.meta.url));

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

/** What every bundle is built with: one file per entry, with everything it imports but the external SDK. */
function common(opts: BundleOptions): BuildOptions {
  return {
    bundle: true,
    // never `splitting`: each Lambda is deployed with its own file only
    splitting: false,
    platform: "node",
    format: "esm",
    target: `node${opts.nodeMajor ?? hostNodeMajor()}`,
    mainFields: ["module", "main"],
    alias: { "beldi/runtime": RUNTIME_ENTRY },
    external: opts.sdk === "external" ? ["@aws-sdk/*"] : [],
    banner: { js: REQUIRE_SHIM },
    logLevel: "silent",
    legalComments: "none",
    // Minified: about half the bytes a cold start reads and parses. Names are kept (`keepNames`):
    // the runtime and the SDK name classes in messages (`command.constructor.name`).
    minify: true,
    keepNames: true,
    // a file beside the bundle, not inline: inline it doubled what a cold start loads
    sourcemap: "linked",
    // positions only: the runtime's and the AWS SDK's sources would double the map again
    sourcesContent: false,
  };
}

/**
 * Bundles the handlers written under `dir` in one esbuild run (they share parsing the runtime
 * and the SDK): each `<dir>/<service>/handler.ts` to `<dir>/<service>/index.mjs`, self-contained,
 * with its source map `index.mjs.map` beside it, into which the handler's own map (its last line)
 * is composed, so a stack trace under `node --enable-source-maps` names the .beldi line. The
 * map's paths are relative to the service's folder.
 */
export async function bundleServices(dir: string, services: readonly string[], opts: BundleOptions = {}): Promise<void> {
  if (services.length === 0) return;
  await build({
    ...common(opts),
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
  const r = await build({
    ...common({ ...opts, nodeMajor }),
    // esbuild places stdin at resolveDir/sourcefile and reads the handler's map from there
    stdin: { contents: source, resolveDir, sourcefile: path.basename(name), loader: "ts" },
    write: false,
    outfile: path.join(resolveDir, "index.mjs"),
  });
  const code = r.outputFiles.find((f) => f.path.endsWith(".mjs"))!.text;
  const map = r.outputFiles.find((f) => f.path.endsWith(".mjs.map"))!.text;
  return { code, map };
}
