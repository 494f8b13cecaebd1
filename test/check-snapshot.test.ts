// `beldi check` from the V8 startup snapshot (local/build-check-snapshot.ts), as the installed
// command starts it (bin/beldi, through a node_modules/.bin-style symlink): it says exactly what
// the tsx path says, and it is used only when it can be: the Node that built it, no V8 flags in
// NODE_OPTIONS, no source newer than the build, `check` but not its usage. Otherwise
// bin/beldi.mjs answers, with the same words.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildCheckSnapshot, CHECK_SNAPSHOT, CHECK_SNAPSHOT_NODE, nodeIdentity } from "../local/build-check-snapshot.js";
import { buildFastCli } from "../local/build-fast-cli.js";

const ROOT = path.resolve(".");
const FROM_SNAPSHOT = "beldi: check started from the startup snapshot\n";
const work = mkdtempSync(path.join(tmpdir(), "beldi-check-snapshot-"));
test.after(() => rmSync(work, { recursive: true, force: true }));

/** A package laid out as npm installs one: bin/ (the launcher, and bin/beldi.mjs), its cache, and a .bin symlink to the launcher. */
function installed(name: string): { cache: string; command: string } {
  const pkg = path.join(work, name, "pkg");
  const cache = path.join(pkg, "node_modules", ".cache", "beldi-cli");
  mkdirSync(path.join(pkg, "bin"), { recursive: true });
  mkdirSync(cache, { recursive: true });
  copyFileSync(path.join(ROOT, "bin", "beldi"), path.join(pkg, "bin", "beldi"));
  symlinkSync(path.join(ROOT, "bin", "beldi.mjs"), path.join(pkg, "bin", "beldi.mjs"));
  // what the bundle loads from node_modules at run time (TypeScript, for an extern module the scanner is unsure of)
  symlinkSync(path.join(ROOT, "node_modules", "ts-morph"), path.join(pkg, "node_modules", "ts-morph"));
  const dotBin = path.join(work, name, ".bin");
  mkdirSync(dotBin);
  symlinkSync(path.join("..", "pkg", "bin", "beldi"), path.join(dotBin, "beldi"));
  return { cache, command: path.join(dotBin, "beldi") };
}

const answer = (r: ReturnType<typeof spawnSync>) => ({ code: r.status, out: String(r.stdout), err: String(r.stderr) });
const env = (more: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: "1", BELDI_DEBUG: "1", NODE_OPTIONS: "", ...more });
const viaTsx = (argv: string[]) =>
  answer(spawnSync(process.execPath, ["bin/beldi.mjs", ...argv], { encoding: "utf8", env: env({ BELDI_NO_BUNDLE: "1" }) }));
const viaCommand = (command: string, argv: string[], more: Record<string, string> = {}) =>
  answer(spawnSync(command, argv, { encoding: "utf8", env: env(more) }));
/** The answer without the line that says which start answered, and whether it was there. */
const started = (a: { code: number | null; out: string; err: string }) => ({
  fromSnapshot: a.err.startsWith(FROM_SNAPSHOT),
  answer: { ...a, err: a.err.replace(FROM_SNAPSHOT, "") },
});

const fresh = installed("fresh");
const bad = path.join(work, "bad.beldi");
const extern = path.join(work, "extern");

test("build: the blob is built with the bundle, for this Node", async () => {
  const inputs = await buildFastCli(fresh.cache);
  assert.ok(inputs.length > 50);
  assert.is(readFileSync(path.join(fresh.cache, CHECK_SNAPSHOT_NODE), "utf8"), nodeIdentity());
  assert.ok(readFileSync(path.join(fresh.cache, CHECK_SNAPSHOT)).length > 1_000_000);
  writeFileSync(bad, 'extern fn f(x: number) -> number from "./nowhere.ts"\nservice s { fn g() -> number { return "x" } }\n');
  // a module the export scanner is unsure of (JSX): check loads TypeScript at run time, from the snapshot too
  mkdirSync(extern);
  writeFileSync(
    path.join(extern, "app.beldi"),
    'extern fn f(x: number) -> number from "./m.tsx"\nextern fn g(x: number) -> number from "./m.tsx"\nservice s { fn h() -> number { return f(1) } }\n',
  );
  writeFileSync(path.join(extern, "m.tsx"), "export function f(x: number) { return <div />, x }\n");
});

test("the snapshot answers, and as the tsx path does: clean, with errors, JSON, a missing folder, TypeScript loaded", () => {
  for (const argv of [
    ["check", "examples/travel"],
    ["check", "examples/social", "--format", "json"],
    ["check", bad],
    ["check", bad, "--format", "json"],
    ["check", extern],
    ["check", path.join(work, "no-such-folder")],
    ["check"],
  ]) {
    const s = started(viaCommand(fresh.command, argv));
    assert.ok(s.fromSnapshot, `${argv.join(" ")}: not from the snapshot: ${s.answer.err}`);
    assert.equal(s.answer, viaTsx(argv), argv.join(" "));
  }
  assert.match(viaTsx(["check", extern]).err, "E0801");
});

test("another Node's blob, V8 flags in NODE_OPTIONS, check's usage, other commands: bin/beldi.mjs answers", () => {
  const expected = viaTsx(["check", bad]);
  // the stamp says which Node built the blob: another version or binary is not trusted with it
  const stamp = path.join(fresh.cache, CHECK_SNAPSHOT_NODE);
  const own = readFileSync(stamp, "utf8");
  writeFileSync(stamp, nodeIdentity("v0.0.1", process.execPath));
  try {
    const s = started(viaCommand(fresh.command, ["check", bad]));
    assert.not.ok(s.fromSnapshot, "a blob stamped for another Node");
    assert.equal(s.answer, expected);
  } finally {
    writeFileSync(stamp, own);
  }
  // Node itself refuses a blob built without the V8 flags it now has (exit 14): the launcher never tries
  const refused = spawnSync(process.execPath, ["--snapshot-blob", path.join(fresh.cache, CHECK_SNAPSHOT), "check", bad], {
    encoding: "utf8",
    env: env({ NODE_OPTIONS: "--max-old-space-size=4096" }),
  });
  assert.is(refused.status, 14, refused.stderr);
  const flagged = started(viaCommand(fresh.command, ["check", bad], { NODE_OPTIONS: "--max-old-space-size=4096" }));
  assert.not.ok(flagged.fromSnapshot);
  assert.equal(flagged.answer, expected);
  for (const argv of [["check", "--help"], ["graph", "examples/hello"], ["--help"]]) {
    const s = started(viaCommand(fresh.command, argv));
    assert.not.ok(s.fromSnapshot, argv.join(" "));
    assert.equal(s.answer, viaTsx(argv), argv.join(" "));
  }
});

test("a source newer than the build: the snapshot hands over to bin/beldi.mjs", () => {
  const stale = installed("stale");
  copyFileSync(path.join(fresh.cache, "front.cjs"), path.join(stale.cache, "front.cjs"));
  const { inputs } = JSON.parse(readFileSync(path.join(fresh.cache, "inputs.json"), "utf8")) as { inputs: string[] };
  // built "at time 0": every source is newer
  assert.is(buildCheckSnapshot(stale.cache, ROOT, 0, inputs), null);
  const s = started(viaCommand(stale.command, ["check", bad]));
  assert.not.ok(s.fromSnapshot);
  assert.equal(s.answer, viaTsx(["check", bad]));
});

test("check does not load NODE_EXTRA_CA_CERTS (it opens no TLS connection); every other command does", () => {
  // Node warns at start when the file cannot be read: the warning says whether it was loaded
  const missing = { NODE_EXTRA_CA_CERTS: path.join(work, "no-such-ca.pem") };
  const warned = (a: { err: string }) => a.err.includes("Ignoring extra certs");
  const fromSnapshot = started(viaCommand(fresh.command, ["check", "examples/hello"], missing));
  assert.ok(fromSnapshot.fromSnapshot);
  assert.not.ok(warned(fromSnapshot.answer), fromSnapshot.answer.err);
  assert.not.ok(warned(viaCommand(fresh.command, ["check", "examples/hello"], { ...missing, BELDI_NO_SNAPSHOT: "1" })));
  for (const argv of [["graph", "examples/hello"], ["--help"]]) assert.ok(warned(viaCommand(fresh.command, argv, missing)), argv.join(" "));
});

test("no blob: bin/beldi.mjs answers", () => {
  const none = installed("none");
  const s = started(viaCommand(none.command, ["check", "examples/hello"]));
  assert.not.ok(s.fromSnapshot);
  assert.equal(s.answer, viaTsx(["check", "examples/hello"]));
});

test.run();
