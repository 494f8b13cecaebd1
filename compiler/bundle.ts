// Generated TypeScript -> one self-contained ESM bundle per service (esbuild), the file a
// Lambda runs. The runtime and the AWS SDK are bundled in, so versions are the lockfile's.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

/** The runtime's entry, which generated code imports as `beldi/runtime`. */
export const RUNTIME_ENTRY = fileURLToPath(new URL("../runtime/index.ts", import.meta.url));

// Some bundled dependencies are CommonJS and call `require` for node builtins. The banner is
// not parsed by esbuild, so its own name has a `$`: no .beldi name can take it (a fn named
// `__beldiCreateRequire` made the bundle a duplicate declaration). `require` itself is known
// to esbuild, which renames a user's `require`.
const REQUIRE_SHIM =
  'import { createRequire as $beldiCreateRequire } from "node:module"; const require = $beldiCreateRequire(import.meta.url);';

export async function bundleService(source: string, resolveDir: string, name: string): Promise<string> {
  const r = await build({
    stdin: { contents: source, resolveDir, sourcefile: name, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    mainFields: ["module", "main"],
    alias: { "beldi/runtime": RUNTIME_ENTRY },
    banner: { js: REQUIRE_SHIM },
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  return r.outputFiles[0]!.text;
}
