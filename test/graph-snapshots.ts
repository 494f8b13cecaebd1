// The committed drawings of the examples' graphs (test/snapshots/graph/<example>.mmd and .dot),
// checked by test/graph.test.ts and rewritten by `npm run snapshots:update`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, loadApp } from "../compiler/check-api.js";
import { toDot } from "../compiler/graph/dot.js";
import { toMermaid } from "../compiler/graph/mermaid.js";
import { appGraph, type AppGraph } from "../compiler/graph/model.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const GRAPH_SNAPSHOTS = path.join(ROOT, "test", "snapshots", "graph");

/** An example's graph, checked from paths relative to the root (as every test runs), so the txn locations are the same everywhere. */
export function exampleGraph(example: string): AppGraph {
  const { app, appDir, files } = loadApp(path.relative(process.cwd(), path.join(ROOT, "examples", example)));
  const r = check(files, { app, appDir });
  if (!r.ok || !r.ir) throw new Error(`examples/${example} does not check: ${r.diagnostics.map((d) => d.code).join(", ")}`);
  return appGraph(r.ir);
}

/** The drawings of an example's graph, by file name under test/snapshots/graph/. */
export function generatedGraphs(example: string): { name: string; text: string }[] {
  const g = exampleGraph(example);
  return [
    { name: `${example}.mmd`, text: toMermaid(g) },
    { name: `${example}.dot`, text: toDot(g) },
  ];
}

export const committedGraph = (name: string): string | null => {
  const p = path.join(GRAPH_SNAPSHOTS, name);
  return existsSync(p) ? readFileSync(p, "utf8") : null;
};

export function writeGraphSnapshots(example: string): string[] {
  mkdirSync(GRAPH_SNAPSHOTS, { recursive: true });
  const files = generatedGraphs(example);
  for (const f of files) writeFileSync(path.join(GRAPH_SNAPSHOTS, f.name), f.text);
  return files.map((f) => `graph/${f.name}`);
}
