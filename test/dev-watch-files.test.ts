// beldi dev's watcher (local/dev/watch.ts) on a real folder: a burst of saves is one change; a
// file replaced by renaming a new one over it (how sed -i and many editors save) is seen every
// time, which Node 20's recursive fs.watch on Linux misses after the first; folders made later
// are watched; files that are not the app's are ignored.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Change, isAppFile, watchApp } from "../local/dev/watch.js";

const QUIET = 40;
const settle = () => new Promise((r) => setTimeout(r, QUIET * 6));

function watching() {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-watch-"));
  writeFileSync(path.join(dir, "app.beldi"), "service a {}\n");
  const changes: Change[] = [];
  const w = watchApp(dir, (c) => changes.push(c), { quietMs: QUIET });
  return {
    dir,
    changes,
    done: () => {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test("which files make the app", () => {
  assert.ok(isAppFile("app.beldi"));
  assert.ok(isAppFile(path.join("sub", "geo.ts")));
  assert.not.ok(isAppFile("types.d.ts"));
  assert.not.ok(isAppFile("notes.md"));
  assert.not.ok(isAppFile(".app.beldi.swp"));
  assert.not.ok(isAppFile(path.join("node_modules", "x", "y.ts")));
  assert.not.ok(isAppFile(path.join(".beldi", "cache", "z.ts")));
});

test("a burst of saves is one change, naming each file once", async () => {
  const w = watching();
  try {
    await settle();
    writeFileSync(path.join(w.dir, "app.beldi"), "service a { }\n");
    writeFileSync(path.join(w.dir, "app.beldi"), "service a {  }\n");
    writeFileSync(path.join(w.dir, "geo.ts"), "export const x = 1;\n");
    await settle();
    assert.equal(w.changes.length, 1);
    assert.equal([...w.changes[0]!.files].sort(), ["app.beldi", "geo.ts"]);
  } finally {
    w.done();
  }
});

test("a file replaced by a rename is seen every time; other files are not", async () => {
  const w = watching();
  try {
    await settle();
    for (let i = 0; i < 3; i++) {
      const tmp = path.join(w.dir, `sedTmp${i}`);
      writeFileSync(tmp, `service a${i} {}\n`);
      renameSync(tmp, path.join(w.dir, "app.beldi"));
      await settle();
      assert.equal(w.changes.length, i + 1, `replacement ${i + 1} seen`);
      assert.equal(w.changes[i]!.files, ["app.beldi"]);
    }
    writeFileSync(path.join(w.dir, "README.md"), "# notes\n");
    await settle();
    assert.equal(w.changes.length, 3);
  } finally {
    w.done();
  }
});

test("a folder made later is watched", async () => {
  const w = watching();
  try {
    await settle();
    mkdirSync(path.join(w.dir, "more"));
    await settle();
    writeFileSync(path.join(w.dir, "more", "b.beldi"), "service b {}\n");
    await settle();
    assert.ok(
      w.changes.some((c) => c.files.includes(path.join("more", "b.beldi"))),
      JSON.stringify(w.changes),
    );
  } finally {
    w.done();
  }
});

test.run();
