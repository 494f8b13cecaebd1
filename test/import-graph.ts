// The import graph of the project's stages and the rules ARCHITECTURE.md states for it: which
// folder may import which, and no cycles. Pure functions over a graph, plus one reader of the tree.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The stages, and the stages each may import (besides itself). Data flows one way. */
export const ALLOWED: Record<string, readonly string[]> = {
  contract: [],
  grammar: ["contract"],
  compiler: ["grammar", "contract"],
  runtime: ["contract"],
  local: ["runtime", "compiler", "grammar", "contract", "lsp"],
  // the language server: the front half and the language services, never the runtime or the stack
  lsp: ["compiler", "grammar", "contract"],
  // the VS Code extension ships alone and talks to `beldi lsp` over stdio only
  editors: [],
};

/** file (relative to the root, with `/`) → the project files it imports */
export type ImportGraph = Map<string, string[]>;

export interface Violation {
  from: string;
  to: string;
  rule: string;
}

const stageOf = (file: string) => file.split("/")[0]!;

/** Stages that only the listed files import from outside (the language server is a command, nothing else's library). */
export const ONLY_IMPORTED_BY: Record<string, readonly string[]> = {
  lsp: ["local/cli.ts"],
};

/** Imports that cross stages in a direction ALLOWED does not list, or reach a stage only its listed importers may. */
export function layerViolations(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const [from, tos] of graph) {
    const a = stageOf(from);
    for (const to of tos) {
      const b = stageOf(to);
      if (a === b || !(a in ALLOWED)) continue;
      if (!ALLOWED[a]!.includes(b)) out.push({ from, to, rule: `${a}/ may import only ${[a, ...ALLOWED[a]!].join(", ")}` });
      else if (ONLY_IMPORTED_BY[b] && !ONLY_IMPORTED_BY[b]!.includes(from))
        out.push({ from, to, rule: `only ${ONLY_IMPORTED_BY[b]!.join(", ")} may import ${b}/` });
    }
  }
  return out;
}

/** The import cycles: strongly connected components of more than one file, or a file importing itself. */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  // Iterative Tarjan: the graph is the whole project, recursion depth would follow its longest path.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const succ = (graph.get(v) ?? []).filter((w) => graph.has(w));
      if (i < succ.length) {
        top[1]++;
        const w = succ[i]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
      }
    }
  }
  return cycles;
}

/** Reads the stages' TypeScript files and their relative imports (static, dynamic, re-exports). */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name === "node_modules") continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts") || p.endsWith(".mts")) {
        const info = ts.preProcessFile(readFileSync(p, "utf8"), true, true);
        const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");
        const imports = info.importedFiles
          .map((i) => i.fileName)
          .filter((s) => s.startsWith("."))
          .map((s) => rel(path.resolve(path.dirname(p), s)).replace(/\.(m?)js$/, ".$1ts"));
        graph.set(rel(p), imports);
      }
    }
  };
  for (const stage of Object.keys(ALLOWED)) walk(path.join(root, stage));
  return graph;
}
