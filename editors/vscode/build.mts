// Bundles the extension's client (src/extension.mts and vscode-languageclient) into one
// CommonJS file, out/extension.js, the manifest's `main`: VS Code 1.91 loads extensions with
// require(), and provides the `vscode` module itself. `npm run build` here; `--minify` for a release.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";

export const EXTENSION_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface BuildExtensionOptions {
  /** where the bundle goes (default: out/extension.js beside this file) */
  outfile?: string;
  minify?: boolean;
}

/** Bundles the client; returns the output file and esbuild's metafile (what went in, what stayed external). */
export async function buildExtension(options: BuildExtensionOptions = {}): Promise<{ outfile: string; metafile: Metafile }> {
  const outfile = options.outfile ?? path.join(EXTENSION_DIR, "out", "extension.js");
  const r = await build({
    entryPoints: [path.join(EXTENSION_DIR, "src", "extension.mts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    // VS Code 1.91's extension host is Electron 29's Node 20
    target: "node20",
    external: ["vscode"],
    // vscode-languageclient's package exports: its `./node` entry has only a "node" condition
    conditions: ["node"],
    sourcemap: true,
    minify: options.minify ?? false,
    metafile: true,
    logLevel: "silent",
  });
  return { outfile, metafile: r.metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, metafile } = await buildExtension({ minify: process.argv.includes("--minify") });
  const bytes = metafile.outputs[path.relative(process.cwd(), outfile).split(path.sep).join("/")]?.bytes;
  console.log(`wrote ${path.relative(process.cwd(), outfile)}${bytes === undefined ? "" : ` (${Math.round(bytes / 1024)} KiB)`}`);
}
