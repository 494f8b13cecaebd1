// The VS Code extension's client bundles (editors/vscode/build.mts, what `npm run build` there and
// `vsce package` run): one CommonJS file with vscode-languageclient inside, `vscode` left to VS
// Code, `activate`/`deactivate` exported. Without VS Code the bundle cannot be run here; what it
// needs from the outside is checked from esbuild's metafile instead.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildExtension } from "../editors/vscode/build.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "beldi-vscode-"));
const { outfile, metafile } = await buildExtension({ outfile: path.join(dir, "extension.js") });
const bundle = readFileSync(outfile, "utf8");

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("bundle: the client and vscode-languageclient are inside", () => {
  const inputs = Object.keys(metafile.inputs);
  assert.ok(
    inputs.some((i) => i.endsWith("editors/vscode/src/extension.mts")),
    "the client",
  );
  assert.ok(
    inputs.some((i) => i.endsWith("editors/vscode/src/server-command.mts")),
    "its command lookup",
  );
  assert.ok(
    inputs.some((i) => i.includes("node_modules/vscode-languageclient/lib/node/main.js")),
    "the language client's node entry",
  );
  assert.ok(
    inputs.some((i) => i.includes("node_modules/vscode-jsonrpc/")),
    "the JSON-RPC it speaks",
  );
});

test("bundle: it requires only `vscode` and Node's builtins from outside", () => {
  const [output] = Object.values(metafile.outputs).filter((o) => o.entryPoint);
  assert.ok(output, "one output for the entry point");
  const external = [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort();
  const builtin = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  assert.equal(
    external.filter((p) => !builtin.has(p)),
    ["vscode"],
  );
  assert.match(bundle, /require\("vscode"\)/);
});

test("bundle: CommonJS for VS Code's require(), exporting activate and deactivate", () => {
  assert.ok(bundle.startsWith('"use strict";'));
  assert.not.match(bundle, /^\s*(import|export)\s/m, "no ES module syntax at the top level");
  // esbuild's annotation for Node's CommonJS named-export detection lists the exports
  assert.match(bundle, /0 && \(module\.exports = \{\s*activate,\s*deactivate\s*\}\);/);
  assert.match(bundle, /\/\/# sourceMappingURL=extension\.js\.map\s*$/);
});

test.run();
