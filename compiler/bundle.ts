// Generated TypeScript -> one self-contained ESM bundle per service (esbuild), the file a
// Lambda runs. The runtime and the AWS SDK are bundled in, so versions are the lockfile's.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The runtime's entry, which generated code imports as `beldi/runtime`. */
export const RUNTIME_ENTRY = fileURLToPath(new URL("../runtime/index.ts", import.meta.url));

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

/**
 * The bundle of a generated handler and its source map, into which the handler's own map (its
 * last line) is composed, so a stack trace under `node --enable-source-maps` names the .beldi
 * line. The map is a file beside the bundle, not inline: inline it doubled what a cold start
 * loads. `resolveDir` is the folder the handler and its bundle are written to: the map's paths
 * are relative to it. `name` is the handler's path (`<service>/handler.ts`). `nodeMajor` is the
 * Node.js the bundle is compiled for (esbuild's `target`): the Lambda runtime's, or the host's.
 */
export async function bundleService(source: string, resolveDir: string, name: string, nodeMajor = hostNodeMajor()): Promise<Bundle> {
  const r = await build({
    // esbuild places stdin at resolveDir/sourcefile and reads the handler's map from there
    stdin: { contents: source, resolveDir, sourcefile: path.basename(name), loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${nodeMajor}`,
    mainFields: ["module", "main"],
    alias: { "beldi/runtime": RUNTIME_ENTRY },
    banner: { js: REQUIRE_SHIM },
    write: false,
    logLevel: "silent",
    legalComments: "none",
    sourcemap: "linked",
    outfile: path.join(resolveDir, "index.mjs"),
    // positions only: the runtime's and the AWS SDK's sources would double the bundle again
    sourcesContent: false,
  });
  const code = r.outputFiles.find((f) => f.path.endsWith(".mjs"))!.text;
  const map = r.outputFiles.find((f) => f.path.endsWith(".mjs.map"))!.text;
  return { code, map };
}
