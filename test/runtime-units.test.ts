// Unit: the runtime's pure functions, without a store — id derivation, condition folding, an
// update evaluated on a value, and a modification planned as one conditional UpdateItem.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { callId, entryId, isSpawnedId, rootOf, spawnId, ENTRY_ID } from "../contract/ids.js";
import { headKey } from "../contract/schema.js";
import { MAX_RETRY_WINDOWS, retryAfterMs } from "../contract/timing.js";
import type { Cond } from "../contract/update-spec.js";
import { fromAttr } from "../runtime/codec.js";
import { decodeEvent } from "../runtime/decode-event.js";
import { signed } from "../runtime/envelope-auth.js";
import { applyUpdate, evalCond } from "../runtime/eval-update.js";
import { ExprBuilder } from "../runtime/expr.js";
import { foldCond } from "../runtime/fold-cond.js";
import { planModification } from "../runtime/modification.js";
import { recordOf } from "../runtime/rows.js";
import { storeRefusalCode } from "../runtime/daal.js";
import { TableType } from "../runtime/value-types.js";
import { BeldiFailure, codeFailure, thrownByCode } from "../runtime/errors.js";
import { checkDeadline, DeadlineExceeded, withDeadline } from "../runtime/deadline.js";
import { extern } from "../runtime/values.js";
import { resourceRefused } from "../runtime/refused.js";
import { errorName, Store, StoreAmbiguous } from "../runtime/store.js";
import { createServer } from "node:http";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { EntryRegistration, firstLogItem, InstanceLog, LogReader } from "../runtime/log.js";
import { TxnState } from "../runtime/txn.js";

test("ids: derived ids are never client ids, name their root, and differ per caller service", () => {
  const a = callId("req-1", "alpha", "s1");
  const b = callId("req-1", "beta", "s1");
  assert.is(a, "req-1/alpha:s1");
  assert.is.not(a, b);
  assert.not.ok(ENTRY_ID.test(a), "a derived id holds `/`");
  const spawned = spawnId(a, "counter", "s2/s3");
  assert.is(spawned, "req-1/alpha:s1!counter:s2|s3");
  assert.is(rootOf(spawned), spawned, "a spawned instance roots its own tree");
  assert.is(rootOf(callId(spawned, "x", "s4")), spawned);
  assert.is(rootOf(callId(a, "gamma", "s9")), "req-1");
  // a derivation over 200 characters is hashed under the same root
  const long = callId("r", "svc", "s".repeat(300));
  assert.ok(long.length <= 200 && long.startsWith("r/~"), long);
  assert.is(rootOf(long), "r");
  // only a spawned instance's own id claims in its log: not an entry's, nor its callees'
  assert.ok(isSpawnedId(spawned));
  assert.ok(isSpawnedId(spawnId("r", "svc", "s".repeat(300))), "a hashed spawned id too");
  assert.not.ok(isSpawnedId("req-1"));
  assert.not.ok(isSpawnedId(a));
  assert.not.ok(isSpawnedId(callId(spawned, "x", "s4")), "a spawned instance's callee");
  assert.is(entryId("req-1", "s1"), "req-1#s1");
  assert.equal(headKey("k"), { K: { S: "k" }, R: { S: "H" } });
});

const f = (field: string) => ({ field });
const v = (value: unknown) => ({ value });
const gt: Cond = { kind: "cmp", op: ">", left: f("n"), right: v(1) };

test("foldCond: constant parts fold away; the result is const only when the whole is", () => {
  const t: Cond = { kind: "const", value: true };
  const no: Cond = { kind: "const", value: false };
  assert.equal(foldCond({ kind: "and", left: t, right: gt }), gt);
  assert.equal(foldCond({ kind: "and", left: no, right: gt }), no);
  assert.equal(foldCond({ kind: "or", left: t, right: gt }), t);
  assert.equal(foldCond({ kind: "not", operand: no }), t);
  assert.equal(foldCond({ kind: "cmp", op: "==", left: v(2), right: v(2) }), t);
  assert.equal(foldCond(gt), gt);
});

test("applyUpdate and evalCond: where, arithmetic from a default, absent fields, upsert", () => {
  assert.ok(evalCond(gt, { n: 2 }));
  assert.not.ok(evalCond(gt, { n: 1 }));
  assert.not.ok(evalCond(gt, null));
  const bump = { sets: [{ field: "n", op: "add" as const, delta: 1, start: 0 }], upsert: false };
  assert.equal(applyUpdate(bump, { n: 4 }, "t[k]"), { applied: true, value: { n: 5 } });
  assert.equal(applyUpdate(bump, {}, "t[k]"), { applied: true, value: { n: 1 } }, "(n ?? 0) + 1 on an absent field");
  assert.equal(applyUpdate({ ...bump, where: gt }, { n: 1 }, "t[k]"), { applied: false });
  assert.throws(() => applyUpdate(bump, null, "t[k]"), /missing value/);
  assert.throws(
    () => applyUpdate({ sets: [{ field: "n", op: "add", delta: 1 }], upsert: false }, {}, "t[k]"),
    /no stored value for field n/,
  );
  assert.equal(applyUpdate({ sets: [{ field: "n", op: "assign", value: 3 }], upsert: true }, null, "t[k]"), {
    applied: true,
    value: { n: 3 },
  });
  const out = applyUpdate({ sets: [{ field: "constructor", op: "assign", value: 1 }], upsert: true }, null, "t[k]");
  assert.ok(out.applied && Object.keys(out.value).includes("constructor"), "a field named like a prototype member is an own property");
});

/** An expression with its placeholders written out, to read plans the way the store would. */
function spelled(b: ExprBuilder, text: string): string {
  return text.replace(/#a\d+/g, (id) => b.names[id]!).replace(/:v\d+/g, (id) => JSON.stringify(fromAttr(b.values[id]!)));
}

const table = { name: "app.s.t", label: "s.t", fields: ["n", "tag"] };

test("planModification: a write sets the present fields and removes the absent ones", () => {
  const b = new ExprBuilder();
  const p = planModification(b, table, "k", { kind: "write", value: { n: 1 } });
  assert.equal(
    p.set.map((s) => spelled(b, s)),
    ["X = true", "v_n = 1"],
  );
  assert.equal(
    p.remove.map((s) => spelled(b, s)),
    ["v_tag"],
  );
  assert.equal(p.success, { kind: "applied" });
  assert.is(p.cond, null);
});

test("recordOf: a field written null (stored absent) reads back null; a `f?: T` field left out stays absent", () => {
  const t = { ...table, fields: ["n", "tag", "note"], mayBeAbsent: ["note"] };
  const item = { K: { S: "k" }, X: { BOOL: true }, v_n: { N: "1" } };
  const value = recordOf(t, item);
  assert.equal(value, { n: 1, tag: null });
  assert.ok(!("note" in value), "a `?` field the row lacks is left out");
  assert.equal(recordOf(t, { ...item, v_note: { S: "x" }, v_tag: { S: "a" } }), { n: 1, tag: "a", note: "x" });
  // a build from before mayBeAbsent: every field the row lacks is null
  assert.equal(recordOf(table, item), { n: 1, tag: null });
});

test("storeRefusalCode: a sum the store cannot hold is R0012 on both stores; a type clash is R0013", () => {
  // DynamoDB and dynalite
  assert.is(storeRefusalCode("Number overflow. Attempting to store a number with magnitude larger than supported range"), "R0012");
  // DynamoDB Local, for a sum past 38 significant digits
  assert.is(storeRefusalCode("DynamoDB only supports precision up to 38 digits"), "R0012");
  assert.is(storeRefusalCode("An operand in the update expression has an incorrect data type"), "R0013");
});

test("TableType.mayBeAbsent: the `f?: T` fields of a table's record, through named types", () => {
  const rec = {
    kind: "record" as const,
    fields: [
      { name: "a", type: { kind: "optional" as const, inner: { kind: "number" as const } }, optional: false },
      { name: "b", type: { kind: "string" as const }, optional: true },
    ],
  };
  const types = { R: rec, S: { kind: "named" as const, name: "R" } };
  assert.equal(new TableType({ kind: "named", name: "S" }, types).mayBeAbsent(), ["b"]);
  assert.equal(new TableType(rec, types).mayBeAbsent(), ["b"]);
  assert.throws(() => new TableType({ kind: "named", name: "R" }, {}), /unknown type R/);
});

test("planModification: a where that folds to false logs false and touches nothing", () => {
  const b = new ExprBuilder();
  const p = planModification(b, table, "k", { kind: "update", spec: { sets: [], where: { kind: "const", value: false }, upsert: false } });
  assert.ok(p.constantFalse);
  assert.equal(p.success, { kind: "cond", value: false });
  assert.equal([p.set, p.remove], [[], []]);
});

test("planModification: an update with where is conditioned on the value existing and the where", () => {
  const b = new ExprBuilder();
  const p = planModification(b, table, "k", {
    kind: "update",
    spec: { sets: [{ field: "n", op: "add", delta: 2, start: 0 }], where: gt, upsert: false },
  });
  assert.equal(p.success, { kind: "cond", value: true });
  const cond = spelled(b, p.cond ?? "");
  assert.match(cond, /attribute_exists\(X\)/);
  assert.match(cond, /v_n > 1/);
  assert.ok(
    p.alternatives.some((a) => a.outcome.kind === "cond" && a.outcome.value === false),
    "a refused where logs false",
  );
});

const KEY = "unit-test-key";
const code = (r: ReturnType<typeof decodeEvent>) => (r.kind === "refused" && !r.result.ok ? r.result.error.code : r.kind);

test("decodeEvent: a client's payload, signed internal ones, plain schedules; everything else a typed refusal", () => {
  const client = decodeEvent({ fn: "f", instanceId: "a", input: { x: 1 } }, KEY);
  assert.equal(client, {
    kind: "invoke",
    invocation: {
      fn: "f",
      instanceId: "a",
      input: { x: 1 },
      kind: "entry",
      replay: false,
      trace: undefined,
      deadline: undefined,
      txn: undefined,
      callerLogs: false,
      pinned: false,
    },
  });
  // only a signed call may tell its callee that the caller logs the result
  assert.is(code(decodeEvent({ fn: "f", input: {}, beldi: { kind: "call", callerLogs: true } }, KEY)), "R0019", "unsigned callerLogs");
  const logsResult = decodeEvent(signed(KEY, { fn: "f", instanceId: "a/s:s1", input: {}, beldi: { kind: "call", callerLogs: true } }), KEY);
  assert.ok(logsResult.kind === "invoke" && logsResult.invocation.callerLogs);
  // a client cannot claim its invocation was forwarded to a pinned version: only a signed envelope can
  const claimed = decodeEvent({ fn: "f", instanceId: "a", input: {}, beldi: { pinned: true } }, KEY);
  assert.is(code(claimed), "R0019", "unsigned pinned flag");
  const forwarded = decodeEvent(signed(KEY, { fn: "f", instanceId: "a", input: {}, beldi: { pinned: true } }), KEY);
  assert.ok(forwarded.kind === "invoke" && forwarded.invocation.kind === "entry" && forwarded.invocation.pinned);
  const call = decodeEvent(
    signed(KEY, { fn: "f", instanceId: "a/s:s1", input: {}, beldi: { kind: "call", deadline: 5, replay: true } }),
    KEY,
  );
  assert.ok(call.kind === "invoke" && call.invocation.kind === "call" && call.invocation.deadline === 5 && call.invocation.replay);
  assert.is(code(decodeEvent({ fn: "f", input: {}, beldi: { kind: "call" } }, KEY)), "R0019", "unsigned internal fields");
  assert.is(code(decodeEvent(signed("another key", { fn: "f", input: {}, beldi: { kind: "call" } }), KEY)), "R0019");
  const forged = signed(KEY, { fn: "f", input: {}, beldi: { kind: "call" } });
  assert.is(code(decodeEvent({ ...forged, instanceId: "victim" }, KEY)), "R0019", "a field changed after signing");
  assert.equal(
    decodeEvent({ beldi: { kind: "collect" } }, KEY),
    { kind: "collect", olderThanMs: undefined },
    "EventBridge's schedule, unsigned",
  );
  assert.is(code(decodeEvent({ beldi: { kind: "gc", laterByMs: 1e9 } }, KEY)), "R0019", "test knobs need a signature");
  assert.equal(decodeEvent(signed(KEY, { beldi: { kind: "gc", laterByMs: 50 } }), KEY), { kind: "gc", trace: undefined, laterByMs: 50 });
  for (const bad of [null, 42, "x", [], { input: {} }, { fn: 1 }, { fn: "f", beldi: "call" }]) {
    assert.is(code(decodeEvent(bad, KEY)), "R0002", JSON.stringify(bad));
  }
  assert.is(code(decodeEvent(signed(KEY, { beldi: { kind: "txn" } }), KEY)), "R0002", "a transaction's end without its end");
});

test("resourceRefused: missing, forbidden or invalid is R0022 naming the resource; throttles, timeouts and conflicts are not", () => {
  const err = (name: string, message = "m") => Object.assign(new Error(message), { name });
  for (const name of ["AccessDeniedException", "ResourceNotFoundException", "UnrecognizedClientException", "ValidationException"]) {
    const r = resourceRefused(err(name, "Requested resource not found"), "table t1");
    assert.ok(r instanceof BeldiFailure, name);
    assert.equal(r!.info(), { code: "R0022", message: `table t1: ${name}: Requested resource not found` });
    assert.is(errorName(r), name, "the store's own name stays readable (daal tells ValidationExceptions apart)");
  }
  for (const name of [
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "TimeoutError",
    "ConditionalCheckFailedException",
    "InternalServerError",
  ]) {
    assert.is(resourceRefused(err(name), "table t1"), undefined, name);
  }
  assert.is(resourceRefused(new Error("plain"), "x"), undefined);
  assert.is(resourceRefused(undefined, "x"), undefined);
});

test("LogBuffer: a call in a transaction need not wait for values that are all repeatable (read under the attempt's locks)", () => {
  // (no request is made: the store is never used)
  const log = new InstanceLog(undefined as unknown as Store, "t-log", "i");
  const buf = log.buffer();
  assert.ok(buf.onlyRepeatable(), "nothing pending");
  buf.record("s1", { n: 1 }, "a read under a lock", true);
  assert.ok(buf.onlyRepeatable());
  buf.record("s2", "9f1c", "uuid()");
  assert.not.ok(buf.onlyRepeatable(), "a uuid is not repeatable");
  const branch = log.buffer();
  branch.record("s3", 5, "now()");
  const other = log.buffer();
  other.record("s4", null, "a read under a lock", true);
  other.adopt(branch);
  assert.not.ok(other.onlyRepeatable(), "adopting a strand takes its unrepeatable values along");
  assert.ok(branch.onlyRepeatable());
});

test("EntryRegistration: one put, carrying the first strand's batch; a later strand waits for it; a failure reaches every strand", async () => {
  const calls: unknown[] = [];
  let settle!: (took: boolean) => void;
  const reg = new EntryRegistration((first) => {
    calls.push(first);
    return new Promise<boolean>((r) => (settle = r));
  });
  assert.not.ok(reg.started);
  const a = reg.start([["s1", 1]]);
  const b = reg.start([["s2", 2]]);
  assert.ok(reg.started);
  settle(true);
  assert.equal([await a, await b], [true, false], "only the first strand's batch went with it");
  assert.equal(calls, [[["s1", 1]]], "one put");
  const taken = new EntryRegistration(async () => false);
  assert.not.ok(await taken.start([["s1", 1]]), "not taken (a large input): the strand logs it itself");
  const failing = new EntryRegistration(async () => {
    throw new Error("taken");
  });
  const why = (p: Promise<unknown>) =>
    p.then(
      () => "resolved",
      (e: Error) => e.message,
    );
  assert.equal([await why(failing.start([["s1", 1]])), await why(failing.start())], ["taken", "taken"]);
});

test("firstLogItem: an intent's first batch reads as the log item it stands for", () => {
  const intent = { I: { S: "c1" }, ST: { N: "5" }, LE: { M: { s2: { N: "3" }, s1: { S: "x" } } } };
  const item = firstLogItem(intent)!;
  assert.equal(item.S, { S: "c1#s1" });
  const reader = new LogReader();
  reader.add(item);
  assert.equal(
    [...reader.steps().get("c1")!],
    [
      ["s2", 3],
      ["s1", "x"],
    ],
  );
  assert.is(firstLogItem({ I: { S: "c2" } }), undefined, "a registration that took no batch");
});

test("TxnState.news: merging what a callee's result adds is merging all of it", () => {
  const owner = new TxnState("i/s1.a0@bank", 1, false);
  owner.write("bank", "accounts", "a", { balance: 1 });
  owner.lock("bank", "accounts", "b", "r");
  const callee = TxnState.from(owner.info(), false);
  callee.write("vault", "accounts", "v", { balance: 2 });
  callee.lock("bank", "accounts", "b", "w");
  callee.lock("vault", "accounts", "r", "r");
  const news = owner.news(callee.info());
  assert.equal(news.writes, [["vault", "accounts", "v", { balance: 2 }]]);
  assert.equal(news.locks, [
    ["bank", "accounts", "b", "w"],
    ["vault", "accounts", "v", "w"],
    ["vault", "accounts", "r", "r"],
  ]);
  const all = new TxnState(owner.id, owner.age, false);
  all.merge(owner.info());
  all.merge(callee.info());
  owner.merge(news);
  assert.equal(owner.info(), all.info());
});

test("codeFailure: JavaScript's own errors and what an extern throws are the fn's failure (R0027); the runtime's are crashes", () => {
  let thrown: unknown;
  try {
    (null as unknown as { b: number }).b;
  } catch (e) {
    thrown = e;
  }
  const f = codeFailure(thrown, "s.go");
  assert.ok(f instanceof BeldiFailure);
  assert.is(f.code, "R0027");
  assert.match(f.message, /^s\.go threw TypeError: Cannot read properties of null/);
  assert.is(codeFailure(new RangeError("Invalid array length"), "s.go")?.code, "R0027");
  const checked = extern("checked", (n: number) => {
    if (n < 0) throw new Error(`${n} is negative`);
    return n;
  });
  assert.is(checked(2), 2);
  let fromExtern: unknown;
  try {
    checked(-1);
  } catch (e) {
    fromExtern = e;
  }
  assert.is(codeFailure(fromExtern, "s.go")?.message, "s.go: extern fn checked threw Error: -1 is negative");
  // not the fn's own: a crash (retried) or already a failure
  assert.is(codeFailure(new Error("socket hang up"), "s.go"), undefined);
  assert.is(codeFailure(new StoreAmbiguous(new Error("timeout")), "s.go"), undefined);
  assert.is(codeFailure(BeldiFailure.of("fail", "no"), "s.go"), undefined);
  assert.ok(thrownByCode(thrown) && thrownByCode(fromExtern) && !thrownByCode(new Error("socket hang up")));
});

test("a store answer the client cannot read (a garbled body) is an ambiguous outcome, not the fn's error", async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
    res.end('{"Attributes": {"v": ');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as { port: number };
    const store = new Store({
      region: "local",
      storeEndpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
      returnsOldOnConditionFailure: false,
    });
    const put = new PutItemCommand({ TableName: "t", Item: { k: { S: "a" } } });
    const e = await store.send(put, { idempotent: false }).catch((err: unknown) => err);
    assert.instance(e, StoreAmbiguous);
    assert.is(codeFailure(e, "s.go"), undefined);
    store.client.destroy();
  } finally {
    server.close();
  }
});

test("checkDeadline: a loop's iteration past the execution's deadline stops it; before it, or outside an execution, nothing", async () => {
  checkDeadline("outside");
  await withDeadline(Date.now() + 60_000, async () => checkDeadline("early"));
  const late = await withDeadline(Date.now() - 1, async () => checkDeadline("a loop's next iteration")).catch((e: unknown) => e);
  assert.instance(late, DeadlineExceeded);
  assert.is((late as Error).message, "deadline reached before a loop's next iteration");
});

test("retryAfterMs: one window after a start, doubling with each re-execution that did not finish, up to the cap", () => {
  assert.equal(
    [0, 1, 2, 3, 4, 5, 40].map((n) => retryAfterMs(1000, n)),
    [1000, 2000, 4000, 8000, 16000, 16000, 16000],
  );
  assert.is(retryAfterMs(1000, 1e9), 1000 * MAX_RETRY_WINDOWS);
  assert.is(retryAfterMs(0, 3), 0, "a pass told to take everything (olderThanMs 0) takes everything");
});

test.run();
