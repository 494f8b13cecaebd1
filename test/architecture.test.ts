// Unit: ARCHITECTURE.md's import rules hold in the tree — contract/ imports nothing of ours, the
// compiler never imports runtime/, runtime/ never imports compiler/ or grammar/, no import cycles.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { importCycles, layerViolations, readImportGraph, type ImportGraph } from "./import-graph.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const graph = readImportGraph(root);

test("the tree: every import goes the way ARCHITECTURE.md allows", () => {
  assert.ok(graph.size > 50, `read ${graph.size} files`);
  const bad = layerViolations(graph).map((v) => `${v.from} imports ${v.to} (${v.rule})`);
  assert.equal(bad, [], bad.join("\n"));
});

test("the tree: no import cycles", () => {
  const cycles = importCycles(graph).map((c) => c.join(" → "));
  assert.equal(cycles, [], cycles.join("\n"));
});

test("the tree: every import names a file that exists", () => {
  const missing = [...graph].flatMap(([from, tos]) =>
    tos.filter((to) => !graph.has(to) && !to.startsWith("node_modules")).map((to) => `${from} → ${to}`),
  );
  // imports of files outside the stages (e.g. package.json) are not followed; inside they must exist
  assert.equal(
    missing.filter((m) => /→ (contract|grammar|compiler|runtime|local|editors|lsp)\//.test(m)),
    [],
  );
});

// The checks themselves fail on what they must catch.
const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

test("rules: a compiler → runtime import and a runtime → compiler import are violations", () => {
  const v = layerViolations(
    g({ "compiler/a.ts": ["runtime/b.ts", "contract/c.ts"], "runtime/b.ts": ["compiler/a.ts"], "contract/c.ts": [] }),
  );
  assert.equal(
    v.map((x) => `${x.from}>${x.to}`),
    ["compiler/a.ts>runtime/b.ts", "runtime/b.ts>compiler/a.ts"],
  );
  assert.equal(layerViolations(g({ "contract/c.ts": ["runtime/b.ts"], "runtime/b.ts": [] })).length, 1, "contract imports nothing of ours");
  assert.equal(layerViolations(g({ "local/s.ts": ["runtime/b.ts", "compiler/a.ts"], "runtime/b.ts": [], "compiler/a.ts": [] })), []);
});

test("rules: lsp/ imports the front half only, and only local/cli.ts imports lsp/", () => {
  const v = layerViolations(
    g({
      "lsp/s.ts": ["compiler/a.ts", "runtime/b.ts"],
      "local/cli.ts": ["lsp/s.ts"],
      "local/stack.ts": ["lsp/s.ts"],
      "compiler/a.ts": [],
      "runtime/b.ts": [],
    }),
  );
  assert.equal(
    v.map((x) => `${x.from}>${x.to}`),
    ["lsp/s.ts>runtime/b.ts", "local/stack.ts>lsp/s.ts"],
  );
});

test("cycles: two files, three files, a self-import; none in a diamond", () => {
  assert.equal(importCycles(g({ "a.ts": ["b.ts"], "b.ts": ["a.ts"] })), [["a.ts", "b.ts"]]);
  assert.equal(importCycles(g({ "a.ts": ["b.ts"], "b.ts": ["c.ts"], "c.ts": ["a.ts"], "d.ts": ["a.ts"] })), [["a.ts", "b.ts", "c.ts"]]);
  assert.equal(importCycles(g({ "a.ts": ["a.ts"] })), [["a.ts"]]);
  assert.equal(importCycles(g({ "a.ts": ["b.ts", "c.ts"], "b.ts": ["d.ts"], "c.ts": ["d.ts"], "d.ts": [] })), []);
});

test.run();
