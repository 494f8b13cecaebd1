// Durable waiting's generated code (LANGUAGE.md §9, issue 14): the fixture app that sleeps, waits
// (with and without a timeout, inlined, spawned) and signals compiles, its handlers type-check
// under strict, and its manifest carries the IR nodes the runtime reads.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadApp } from "../compiler/index.js";
import { IR_SCHEMA_VERSION } from "../compiler/ir.js";
import { typecheckGenerated } from "./typecheck.js";

test("test/fixtures/waiting: compiles, the handlers type-check under strict, the manifest has the sites", () => {
  const { app, appDir, files } = loadApp("test/fixtures/waiting");
  const r = compile(files, { app, appDir });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.is(typecheckGenerated([{ app, files: r.files }]), "");
  const manifest = JSON.parse(r.files.find((f) => f.path === "manifest.json")!.text);
  assert.is(manifest.schemaVersion, IR_SCHEMA_VERSION);
  const fns = Object.fromEntries(
    manifest.services.flatMap((s: { name: string; fns: { name: string }[] }) => s.fns.map((f) => [`${s.name}.${f.name}`, f])),
  );
  assert.equal(
    fns["orders.place"].sites.map((s: { op: string }) => s.op),
    ["write", "spawn", "wait", "update", "signal", "inline", "wait"],
  );
  assert.equal(
    fns["orders.settle"].sites.map((s: { op: string }) => s.op),
    ["sleep", "update", "wait"],
  );
  assert.is(fns["orders.place"].effects.suspends, true);
  assert.is(fns["payments.collect"].effects.suspends, true);
  assert.is(fns["orders.nudge"].readOnly, false);
  assert.is(fns["payments.quote"].readOnly, true);
  const handler = r.files.find((f) => f.path === "orders/handler.ts")!.text;
  assert.match(handler, 'await $.sleep("s1", 1000);');
  assert.match(handler, '$.wait<boolean>("s3", "ack", { "kind": "bool" }, 0) ?? false');
});

test.run();
