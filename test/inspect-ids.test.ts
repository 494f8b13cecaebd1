// Unit: the inspector reads ids back as contract/ids.ts derives them (docs/ids.md) — a callee's
// or spawned instance's parent, service and step; step ids in execution order; where a step
// sits in a transaction; a wait's deadline step.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { callId, spawnId } from "../contract/ids.js";
import { compareSteps, derivationOf, parseSegment, txnPlaceOf } from "../local/inspect/step-ids.js";

test("derivationOf inverts callId and spawnId, client ids with ':' included", () => {
  for (const parent of ["r1", "a:b", "r1/svc:s2", "r1!svc:s3.0|s5", "r1/svc:s3.0/s5/other:s1"]) {
    for (const step of ["s1", "s3.0/s5", "s2.a1/s4", "s4.b0/s2/s1"]) {
      assert.equal(derivationOf(callId(parent, "alpha", step)), { kind: "call", parent, service: "alpha", step });
      assert.equal(derivationOf(spawnId(parent, "beta", step)), { kind: "spawn", parent, service: "beta", step });
    }
  }
  assert.equal(derivationOf("a:b"), { kind: "client" });
  assert.equal(derivationOf("plain-id"), { kind: "client" });
  const long = "x".repeat(190);
  assert.equal(derivationOf(callId(long, "alpha", "s1.0/s2")), { kind: "hashed" });
  assert.equal(derivationOf(spawnId(long, "alpha", "s1.0/s2")), { kind: "hashed" });
});

test("compareSteps: sites by number, iterations, branches and attempts by index (10 after 9), a decision after its attempt's steps", () => {
  const ordered = [
    "s1",
    "s2.age",
    "s2.a0/s3",
    "s2.a0/s4.v",
    "s2.a0.d",
    "s2.a1/s3",
    "s2.a1.d",
    "s3.0/s4",
    "s3.9/s4",
    "s3.10/s4",
    "s4.t", // a wait's deadline, logged before what it takes
    "s4",
    "s5.b0/s6",
    "s5.b1/s7",
    "s12",
  ];
  const shuffled = [...ordered].reverse();
  assert.equal(shuffled.sort(compareSteps), ordered);
});

test("txnPlaceOf: the age, a decision and body steps of a transaction, also inside a loop; other steps are outside", () => {
  assert.equal(txnPlaceOf("s2.age"), { kind: "age", txnStep: "s2" });
  assert.equal(txnPlaceOf("s1.3/s2.a4.d"), { kind: "decision", txnStep: "s1.3/s2", attempt: 4 });
  assert.equal(txnPlaceOf("s1.3/s2.a4/s7/s1"), { kind: "body", txnStep: "s1.3/s2", attempt: 4 });
  assert.equal(txnPlaceOf("s1.3/s7"), { kind: "none" });
  assert.equal(txnPlaceOf("s2.a0"), { kind: "none" }); // an attempt segment alone is not a step
});

test("parseSegment: a wait's deadline (`.t`) is its site's, not a step of its own", () => {
  assert.equal(parseSegment("s6.t"), { site: "s6", suffix: { kind: "deadline" }, text: "s6.t" });
  assert.equal(txnPlaceOf("s2.0/s6.t"), { kind: "none" });
});

test.run();
