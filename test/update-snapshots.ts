// `node --import tsx test/update-snapshots.ts` (from the repository's root): rewrites
// test/snapshots/<example>/<service>/handler.ts with what the compiler generates for every app
// under examples/ (test/emit-snapshots.test.ts compares them; the functions below are shared),
// and the drawings of their graphs, test/snapshots/graph/<example>.mmd and .dot (graph-snapshots.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile, loadApp, type GeneratedFile } from "../compiler/index.js";
import { writeGraphSnapshots } from "./graph-snapshots.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SNAPSHOTS = path.join(ROOT, "test", "snapshots");

/** The example apps: the folders under examples/. */
export function examples(): string[] {
  return readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * An example's generated handlers (`<service>/handler.ts`), compiled as if written to
 * test/snapshots/<example>/: extern imports and source-map paths come out relative, the same on
 * every machine. Paths are relative to the working directory, as in every test: the root.
 */
export function generatedHandlers(example: string): GeneratedFile[] {
  const { app, appDir, files } = loadApp(path.relative(process.cwd(), path.join(ROOT, "examples", example)));
  const r = compile(files, { app, appDir, outDir: path.join(SNAPSHOTS, example) });
  if (!r.ok)
    throw new Error(
      `examples/${example} does not compile: ${r.diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.line} ${d.message}`).join("; ")}`,
    );
  return r.files.filter((f) => f.path.endsWith(".ts"));
}

/** The committed snapshot of an example: its files, by path relative to test/snapshots/<example>/. */
export function committedHandlers(example: string): GeneratedFile[] {
  const dir = path.join(SNAPSHOTS, example);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((p) => ({ path: path.relative(dir, p).split(path.sep).join("/"), text: readFileSync(p, "utf8") }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function update(): void {
  for (const example of examples()) {
    const files = generatedHandlers(example);
    const dir = path.join(SNAPSHOTS, example);
    rmSync(dir, { recursive: true, force: true }); // a service that is gone leaves no file behind
    for (const f of files) {
      const p = path.join(dir, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
    console.log(`test/snapshots/${example}: ${files.map((f) => f.path).join(", ")}`);
    console.log(`test/snapshots: ${writeGraphSnapshots(example).join(", ")}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) update();
