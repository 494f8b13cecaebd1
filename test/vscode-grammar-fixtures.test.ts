// The VS Code extension's TextMate grammar reads every valid .beldi file under test/fixtures as
// the front end does (grammar-agreement.ts): more shapes than the examples have. Slow tier: it
// tokenizes and parses every fixture; vscode-grammar.test.ts is the unit suite.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../grammar/index.js";
import { beldiFiles, disagreements } from "./grammar-agreement.js";
import { beldiGrammar } from "./textmate.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const grammar = await beldiGrammar();
const FIXTURES = beldiFiles(path.join(root, "test/fixtures"));

test("test fixtures (every .beldi under test/fixtures): the same", () => {
  assert.ok(FIXTURES.length > 0);
  for (const file of FIXTURES) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(root, file);
    if (parse({ path: rel, text }).diagnostics.some((d) => d.severity === "error")) continue;
    assert.equal(disagreements(grammar, rel, text), [], rel);
  }
});

test.run();
