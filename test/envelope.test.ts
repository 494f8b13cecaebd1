// Who may say what to a function (issue 10): derived instance ids are unique per caller service,
// instance and step, and never equal a client's id; internal envelopes (calls, spawns, re-sends,
// transaction ends) are signed with the app's key, so a client that adds `beldi` fields is
// refused (R0019) and cannot forge another instance's call result.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { LocalStack } from "../local/index.js";
import { callId, ENTRY_ID, rootOf, spawnId } from "../contract/ids.js";
import { isPlainSchedule, signatureValid, signed } from "../runtime/envelope-auth.js";
import { compile } from "../compiler/index.js";
import { deployTemplate } from "../compiler/deploy.js";
import { functionName } from "../contract/schema.js";
import { ok } from "./helpers.js";

const clientId = fc.stringMatching(ENTRY_ID);
const service = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,12}$/);
// Steps as the runtime builds them: sites s<n>, loop/branch/inline paths, suffixes.
const step = fc
  .array(fc.tuple(fc.nat(40), fc.constantFrom("", ".0", ".3", ".b1", ".a2", ".v")), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.map(([n, suffix]) => `s${n}${suffix}`).join("/"));

test("derived ids: never a client id, distinct per (caller service, caller, step), root found from any member", () => {
  fc.assert(
    fc.property(clientId, service, service, step, step, (id, s1, s2, st1, st2) => {
      const a = callId(id, s1, st1);
      const b = callId(id, s2, st2);
      assert.ok(!ENTRY_ID.test(a) && !ENTRY_ID.test(spawnId(id, s1, st1)), "a derived id is never a client id");
      if (s1 !== s2 || st1 !== st2) assert.is.not(a, b);
      assert.is.not(spawnId(id, s1, st1), callId(id, s1, st1));
      if (s1 !== s2 || st1 !== st2) assert.is.not(spawnId(id, s1, st1), spawnId(id, s2, st2));
      // a call's root is its caller's root; a spawned instance is a root, and so are its callees' roots
      assert.is(rootOf(a), id);
      assert.is(rootOf(callId(a, s2, st2)), id);
      const sp = spawnId(a, s2, st2);
      assert.is(rootOf(sp), sp);
      assert.is(rootOf(callId(sp, s1, st1)), sp);
    }),
    { numRuns: 2000 },
  );
});

test("a spawn inside a loop is a root of its own (its step holds `/`): GC does not take it for a finished tree", () => {
  const id = spawnId("req-1", "alpha", "s1.0/s2");
  assert.is(rootOf(id), id);
  assert.is(rootOf(callId(id, "notes", "s1")), id);
});

test("signatures: any change to a signed envelope, or another key, invalidates it; `trace` is not signed", () => {
  const key = "k".repeat(43);
  const e = signed(key, { fn: "bump", instanceId: "a/counter:s1", input: { name: "x", by: 1 }, beldi: { kind: "call", deadline: 123 } });
  assert.ok(signatureValid(key, JSON.parse(JSON.stringify(e))));
  assert.not.ok(signatureValid("other".repeat(9), e));
  for (const forged of [
    { ...e, input: { name: "x", by: 2 } },
    { ...e, instanceId: "b/counter:s1" },
    { ...e, fn: "get" },
    { ...e, beldi: { ...e.beldi, kind: "recover" } },
    { ...e, beldi: { ...e.beldi, deadline: 124 } },
    { ...e, beldi: { ...e.beldi, replay: true } },
    { ...e, beldi: { kind: "call", deadline: 123 } },
  ]) {
    assert.not.ok(signatureValid(key, forged as never), JSON.stringify(forged));
  }
  assert.ok(signatureValid(key, { ...e, beldi: { ...e.beldi, trace: "t1" } } as never));
  assert.ok(isPlainSchedule({ beldi: { kind: "gc" } }));
  assert.not.ok(isPlainSchedule({ beldi: { kind: "gc", laterByMs: 1e9 } }));
  assert.not.ok(isPlainSchedule({ beldi: { kind: "collect" }, fn: "x" }));
});

test("the deploy template generates the envelope key as a secret every function reads; functions run on nodejs24.x", () => {
  const r = compile([{ path: "hello.beldi", text: readFileSync("examples/hello/hello.beldi", "utf8") }], {});
  const template = deployTemplate(r.ir!) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const [keyId, secret] = Object.entries(template.Resources).find(([, x]) => x.Type === "AWS::SecretsManager::Secret")!;
  assert.ok(secret.Properties.GenerateSecretString, "generated, not written in the template");
  const fns = Object.values(template.Resources).filter((x) => x.Type === "AWS::Lambda::Function");
  assert.ok(fns.length >= 2);
  for (const f of fns) {
    assert.is(f.Properties.Runtime, "nodejs24.x");
    assert.equal(f.Properties.Environment.Variables.BELDI_ENVELOPE_KEY, {
      "Fn::Sub": `{{resolve:secretsmanager:\${${keyId}}:SecretString}}`,
    });
  }
});

let stack: LocalStack;
test.before(async () => {
  stack = await LocalStack.start({ app: "test/fixtures/collide", schedule: false });
});
test.after(async () => {
  await stack.stop();
});

const code = (r: unknown) => (r as { error?: { code: string } }).error?.code;
/** A raw client request to the Invoke API: whatever payload an attacker likes. */
async function post(service: string, payload: unknown, type = "RequestResponse"): Promise<{ status: number; body: unknown }> {
  const endpoint = stack.runtimeConfig.invokeEndpoint!;
  const fn = functionName(stack.prefix, "collide", service);
  const r = await fetch(`${endpoint}/2015-03-31/functions/${encodeURIComponent(fn)}/invocations`, {
    method: "POST",
    body: JSON.stringify(payload),
    headers: { "x-amz-invocation-type": type },
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

test("one client id in two services starts two trees: each call, write and spawn happens for both", async () => {
  assert.equal(await stack.invoke("alpha.go", { k: "x" }, { instanceId: "req-1" }), ok(10));
  assert.equal(await stack.invoke("beta.go", { k: "x" }, { instanceId: "req-1" }), ok(110));
  await stack.recover();
  assert.equal(await stack.get("counter", "counts", "x"), { n: 110 });
  assert.equal(await stack.get("alpha", "out", "x"), { v: 10 });
  assert.equal(await stack.get("beta", "out", "x"), { v: 110 });
  assert.equal(await stack.get("notes", "seen", "alpha"), { n: 1 });
  assert.equal(await stack.get("notes", "seen", "beta"), { n: 1 });
  // retries answer their own tree's result
  assert.equal(await stack.invoke("beta.go", { k: "x" }, { instanceId: "req-1" }), ok(110));
  assert.equal(await stack.invoke("alpha.go", { k: "x" }, { instanceId: "req-1" }), ok(10));
});

test("spawns in a loop each start their own instance", async () => {
  assert.equal(await stack.invoke("alpha.loop", { k: "loop" }, { instanceId: "l-1" }), ok(2));
  await stack.recover();
  assert.equal(await stack.get("notes", "seen", "loop"), { n: 2 });
});

test("a client envelope with internal fields is refused (R0019) and runs nothing; ids a client cannot use stay refused", async () => {
  const victimCall = { fn: "bump", instanceId: "victim-1/alpha:s1", input: { name: "v", by: 999_999 } };
  for (const beldi of [
    { kind: "call" },
    { kind: "call", sig: "AAAA" },
    { kind: "spawn" },
    { kind: "recover" },
    { kind: "txn", end: {} },
    { trace: "t" },
    { deadline: 1 },
  ]) {
    const r = await post("counter", { ...victimCall, beldi });
    assert.is(r.status, 200);
    assert.is(code(r.body), "R0019", `${JSON.stringify(beldi)}: ${JSON.stringify(r.body)}`);
  }
  // forged kinds skip no id check: ids a client may not choose are refused
  for (const instanceId of ["a/b", "a@b", "ä", "victim-1/alpha:s1", "x!notes:s2"]) {
    assert.is(code((await post("counter", { fn: "bump", instanceId, input: { name: "v", by: 1 } })).body), "R0011", instanceId);
  }
  // an unsigned async event is refused as well (nothing runs later)
  assert.is(
    (await post("notes", { fn: "note", instanceId: "q!notes:s1", input: { who: "forged" }, beldi: { kind: "spawn" } }, "Event")).status,
    202,
  );
  await stack.recover();
  assert.equal(await stack.get("counter", "counts", "v"), null, "no forged call ran");
  assert.equal(await stack.get("notes", "seen", "forged"), null, "no forged spawn ran");
  // the victim's own call gets its own result, not a forged one
  assert.equal(await stack.invoke("alpha.go", { k: "v" }, { instanceId: "victim-1" }), ok(10));
});

test("the schedule's plain events need no signature; their test knobs do", async () => {
  const gc = await post("counter", { beldi: { kind: "gc" } });
  assert.ok((gc.body as { ok: boolean }).ok, JSON.stringify(gc.body));
  assert.ok((await post("counter", { beldi: { kind: "collect" } }).then((r) => r.body as { ok: boolean })).ok);
  assert.is(code((await post("counter", { beldi: { kind: "gc", laterByMs: 1e9 } })).body), "R0019");
  assert.is(code((await post("counter", { beldi: { kind: "collect", olderThanMs: 0 } })).body), "R0019");
  assert.is(code((await post("counter", { beldi: "gc" })).body), "R0002");
});

test.run();
