// Unit: grammar/cst.ts (the CST's types the AST builder reads) is what chevrotain generates from the
// grammar now, so a change of a rule forces `npm run cst:update` and shows in review as a change of types.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { committedCst, cstSource } from "./update-cst.js";

test("grammar/cst.ts is generateCstDts of the grammar, byte for byte", () => {
  const committed = committedCst().split("\n");
  const generated = cstSource().split("\n");
  const line = committed.findIndex((l, i) => l !== generated[i]);
  const at = line === -1 && committed.length !== generated.length ? Math.min(committed.length, generated.length) : line;
  assert.ok(
    at === -1,
    `grammar/cst.ts:${at + 1} differs from the grammar (run \`npm run cst:update\`)\n  - committed: ${committed[at] ?? "(end of file)"}\n  + generated: ${generated[at] ?? "(end of file)"}`,
  );
});

test.run();
