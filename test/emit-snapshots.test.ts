// The handlers generated for every example app are the committed ones (test/snapshots/), so a
// change of the emitter shows in review as a change of generated code. After an intended change:
// `node --import tsx test/update-snapshots.ts`. Compiles only: no store, no stack, no tsc.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { GeneratedFile } from "../compiler/index.js";
import { committedHandlers, examples, generatedHandlers } from "./update-snapshots.js";

const UPDATE = "node --import tsx test/update-snapshots.ts";

/** The first line where two texts differ (1-based), with both lines; null when they are equal. */
function firstDifference(committed: string, generated: string): { line: number; committed: string; generated: string } | null {
  const a = committed.split("\n");
  const b = generated.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i + 1, committed: a[i] ?? "(end of file)", generated: b[i] ?? "(end of file)" };
  }
  return null;
}

/** What differs between an example's snapshot and the compiler's output, one message per file. */
function differences(example: string, committed: GeneratedFile[], generated: GeneratedFile[]): string[] {
  const where = (p: string) => `test/snapshots/${example}/${p}`;
  const before = new Map(committed.map((f) => [f.path, f.text]));
  const after = new Map(generated.map((f) => [f.path, f.text]));
  const out: string[] = [];
  for (const [p, text] of after) {
    const old = before.get(p);
    if (old === undefined) out.push(`${where(p)}: not committed (a new service?)`);
    else {
      const d = firstDifference(old, text);
      if (d)
        out.push(
          `${where(p)}:${d.line} differs from the generated handler\n  - committed: ${d.committed.slice(0, 200)}\n  + generated: ${d.generated.slice(0, 200)}`,
        );
    }
  }
  for (const p of before.keys()) if (!after.has(p)) out.push(`${where(p)}: committed, but the compiler generates no such file`);
  return out;
}

for (const example of examples()) {
  test(`examples/${example}: generated handlers are the committed snapshot`, () => {
    const diffs = differences(example, committedHandlers(example), generatedHandlers(example));
    if (diffs.length) assert.unreachable(`${diffs.join("\n")}\nIf the change is intended: ${UPDATE}`);
  });
}

test("a snapshot differing in one line is reported at that line", () => {
  const generated = [{ path: "s/handler.ts", text: "a\nb\nc\n" }];
  assert.equal(differences("x", generated, generated), []);
  const [d] = differences("x", [{ path: "s/handler.ts", text: "a\nB\nc\n" }], generated);
  assert.match(d!, "test/snapshots/x/s/handler.ts:2 differs");
  assert.match(d!, "- committed: B\n  + generated: b");
  assert.equal(differences("x", [], generated), ["test/snapshots/x/s/handler.ts: not committed (a new service?)"]);
  assert.equal(differences("x", generated, []), ["test/snapshots/x/s/handler.ts: committed, but the compiler generates no such file"]);
});

test.run();
