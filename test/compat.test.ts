// Two versions of an app: which fns' logged steps changed, and which table changes both versions
// can read (compiler/compat.ts), through the API and through `beldi diff` / `beldi build --previous`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { check, COMPAT, diffVersions, type IrProgram } from "../compiler/index.js";
import { compileCommand, type Io } from "../compiler/cli.js";

const V1 = `type User = { name: string, age: number, email?: string }
service users {
  table users: User
  fn add(id: string, name: string) {
    write users[id] = { name, age: 0 }
  }
  fn rename(id: string, newName: string) {
    update users[id] set name = newName
  }
  fn age(id: string) -> number {
    let u = read users[id]
    if u == null { return 0 }
    return u.age
  }
}
`;

function ir(text: string): IrProgram {
  const r = check([{ path: "app.beldi", text }], { app: "app" });
  assert.ok(r.ok && r.ir, JSON.stringify(r.diagnostics));
  return r.ir!;
}

const codes = (prev: string, next: string) =>
  diffVersions(ir(prev), ir(next)).incompatible.map((x) => `${x.code} ${x.table}.${x.field ?? ""}`);

test("the same program: every fn unchanged, nothing incompatible; comments and blank lines change nothing", () => {
  const d = diffVersions(ir(V1), ir(`// a comment\n\n${V1.replace("fn age", "// why\n  fn age")}`));
  assert.equal(
    d.fns.map((f) => f.change),
    ["unchanged", "unchanged", "unchanged"],
  );
  assert.equal(d.incompatible, []);
  assert.equal(d.compatibleTables, []);
});

test("a fn whose steps changed, one added, one removed; an optional field added is readable by both", () => {
  const v2 = V1.replace("email?: string }", "email?: string, nick?: string }")
    .replace("update users[id] set name = newName", "let u = read users[id]\n    update users[id] set name = newName")
    .replace(/ {2}fn age[\s\S]*?\n {2}}\n/, "  fn count() -> number { return 1 }\n");
  const d = diffVersions(ir(V1), ir(v2));
  assert.equal(d.fns, [
    { service: "users", fn: "add", change: "unchanged" },
    { service: "users", fn: "rename", change: "changed" },
    { service: "users", fn: "age", change: "removed" },
    { service: "users", fn: "count", change: "added" },
  ]);
  assert.equal(d.incompatible, []);
  assert.equal(d.compatibleTables, [{ service: "users", table: "users", added: ["nick"] }]);
});

test("table changes both versions cannot read: each with its code, at the table's declaration", () => {
  assert.equal(codes(V1, V1.replace(", email?: string", "")), [`${COMPAT.fieldRemoved.code} users.email`]);
  assert.equal(codes(V1, V1.replace("email?: string", "email?: number")), [`${COMPAT.fieldRetyped.code} users.email`]);
  const writes = (extra: string) => (v: string) => v.replace("{ name, age: 0 }", `{ name, age: 0, ${extra} }`);
  assert.equal(codes(V1, writes('email: ""')(V1.replace("email?: string", "email: string"))), [
    `${COMPAT.fieldMadeRequired.code} users.email`,
  ]);
  assert.equal(codes(V1, writes('nick: ""')(V1.replace("email?: string", "email?: string, nick: string"))), [
    `${COMPAT.fieldMadeRequired.code} users.nick`,
  ]);
  assert.equal(codes(V1, V1.replace("age: number", "age?: number").replace("return u.age", "return u.age ?? 0")), [
    `${COMPAT.fieldMadeOptional.code} users.age`,
  ]);
  assert.equal(codes(V1, V1.replace("  table users: User\n", "").replace(/ {2}fn [\s\S]*\n}/, "  fn f() { }\n}")), [
    `${COMPAT.tableRemoved.code} users.`,
  ]);
  const [retyped] = diffVersions(ir(V1), ir(V1.replace("email?: string", "email?: list<string>"))).incompatible;
  assert.match(retyped!.message, "was string, is list<string>");
  assert.is(retyped!.span.line, 3, "at `table users: User`");
});

test("one shape under another name, or fields in another order, is the same type", () => {
  const renamed = V1.replace(
    "type User = { name: string, age: number, email?: string }",
    "type Person = { email?: string, age: number, name: string }",
  ).replace("table users: User", "table users: Person");
  assert.equal(codes(V1, renamed), []);
});

// ---- the CLI ----------------------------------------------------------------------------

function io(): Io & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { outText, errText, out: (t) => outText.push(t), err: (t) => errText.push(t) };
}

test("beldi build --previous refuses a retyped field and writes nothing; beldi diff reports it (exit 1) and accepts an optional field (exit 0)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-compat-"));
  try {
    const app = path.join(dir, "app");
    mkdirSync(app);
    writeFileSync(path.join(app, "app.beldi"), V1);
    const v1Out = path.join(dir, "v1");
    assert.is(await compileCommand(["build", app, "--out", v1Out], io()), 0);
    const manifest = path.join(v1Out, "manifest.json");

    writeFileSync(path.join(app, "app.beldi"), V1.replace("email?: string", "email?: number"));
    const refused = io();
    assert.is(await compileCommand(["build", app, "--out", path.join(dir, "v2"), "--previous", manifest], refused), 1);
    assert.not.ok(existsSync(path.join(dir, "v2")), "nothing written");
    assert.match(refused.errText.join("\n"), /app\.beldi:3:3: error\[V0002\]: field users\.users\.email was string, is number/);
    const diffed = io();
    assert.is(await compileCommand(["diff", manifest, app], diffed), 1);
    assert.match(diffed.errText.join("\n"), "V0002");

    writeFileSync(path.join(app, "app.beldi"), V1.replace("email?: string", "email?: string, nick?: string"));
    const ok = io();
    assert.is(await compileCommand(["diff", manifest, app, "--format", "json"], ok), 0);
    const d = JSON.parse(ok.outText.join("\n"));
    assert.equal(d.compatibleTables, [{ service: "users", table: "users", added: ["nick"] }]);
    assert.is(await compileCommand(["build", app, "--out", path.join(dir, "v3"), "--previous", manifest], io()), 0);
    assert.ok(existsSync(path.join(dir, "v3", "manifest.json")));

    // a manifest of schema 3 (before LANGUAGE.md §9's fields) is read as it is: the same program is unchanged
    const v3 = { ...JSON.parse(readFileSync(manifest, "utf8")), schemaVersion: 3 };
    writeFileSync(path.join(dir, "v3-manifest.json"), JSON.stringify(v3));
    writeFileSync(path.join(app, "app.beldi"), V1);
    const same = io();
    assert.is(await compileCommand(["diff", path.join(dir, "v3-manifest.json"), app, "--format", "json"], same), 0);
    const sd = JSON.parse(same.outText.join("\n"));
    assert.equal(sd.incompatible, []);
    assert.ok(
      sd.fns.every((f: { change: string }) => f.change === "unchanged"),
      same.outText.join("\n"),
    );

    writeFileSync(path.join(dir, "not-a-manifest.json"), JSON.stringify({ schemaVersion: 2, services: [], types: [] }));
    const old = io();
    assert.is(await compileCommand(["diff", path.join(dir, "not-a-manifest.json"), app], old), 2);
    assert.match(old.errText.join("\n"), "not a manifest.json of this compiler");
    assert.ok(JSON.parse(readFileSync(manifest, "utf8")).codeVersion);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
