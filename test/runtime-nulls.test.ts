// Null and absence end to end, on both stores: a `T?` field written null is stored as an absent
// attribute and reads back as null (its null checks hold); a `f?: T` field left out stays absent;
// a `T?` parameter a client leaves out is null; a client's own asynchronous invoke runs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { functionName } from "../contract/schema.js";
import { LocalStack } from "../local/index.js";
import { BACKENDS, ok, rawInvoke } from "./helpers.js";

for (const backend of BACKENDS) {
  let stack: LocalStack;
  const look = async (k: string) => stack.invoke("docs.look", { k });

  test(`[${backend}] start`, async () => {
    stack = await LocalStack.start({ app: "test/fixtures/nulls", backend, schedule: false });
  });

  test(`[${backend}] a field of type number? written null reads back null, not absent`, async () => {
    assert.equal(await stack.invoke("docs.put", { k: "k1", o: null }), ok(true));
    // d.o == null, d.o ?? 42, the guarded arithmetic, json(d), d.note == null
    assert.equal(await look("k1"), ok(["true", "42", "none", '{"o":null,"s":"a"}', "true"]));
    assert.equal(await stack.get("docs", "rows", "k1"), { s: "a", o: null });
    const got = await stack.invoke("docs.get", { k: "k1" });
    assert.equal(got, ok({ s: "a", o: null }));
    assert.ok(!("note" in ((got as { value: object }).value ?? {})), "a `note?` field never written stays absent");
  });

  test(`[${backend}] update ... set o = null, then a number, reads back each`, async () => {
    assert.equal(await stack.invoke("docs.put", { k: "k2", o: 5 }), ok(true));
    assert.equal(await look("k2"), ok(["false", "5", "6", '{"o":5,"s":"a"}', "true"]));
    assert.equal(await stack.invoke("docs.setO", { k: "k2", to: null }), ok(true));
    assert.equal(await look("k2"), ok(["true", "42", "none", '{"o":null,"s":"a"}', "true"]));
    assert.equal(await stack.invoke("docs.setO", { k: "k2", to: 7 }), ok(true));
    assert.equal(await look("k2"), ok(["false", "7", "8", '{"o":7,"s":"a"}', "true"]));
  });

  test(`[${backend}] a number? parameter left out is null, and the same invocation as one sent null`, async () => {
    assert.equal(await stack.invoke("docs.isNull", {}, { instanceId: "left-out" }), ok(true));
    // the retry spells it out: the same invocation (R0008 otherwise), the same answer
    assert.equal(await stack.invoke("docs.isNull", { n: null }, { instanceId: "left-out" }), ok(true));
    assert.equal(await stack.invoke("docs.isNull", { n: 3 }), ok(false));
    assert.equal(await stack.invoke("docs.put", { k: "k3" }), ok(true));
    assert.equal(await look("k3"), ok(["true", "42", "none", '{"o":null,"s":"a"}', "true"]));
  });

  test(`[${backend}] a client's own asynchronous invoke runs (202), and an unknown invocation type is a 400`, async () => {
    const name = functionName(stack.prefix, "nulls", "docs");
    const body = JSON.stringify({ fn: "put", instanceId: "ev-1", input: { k: "k4", o: 4 } });
    const res = await rawInvoke(stack, name, { type: "Event", body });
    assert.is(res.status, 202, await res.text());
    const until = Date.now() + 30_000;
    while ((await stack.get("docs", "rows", "k4")) === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await stack.get("docs", "rows", "k4"), { s: "a", o: 4 });
    // its instance is the client's: a retry with the same id answers from it
    assert.equal(await stack.invoke("docs.put", { k: "k4", o: 4 }, { instanceId: "ev-1" }), ok(true));
    const bogus = await rawInvoke(stack, name, { type: "Bogus", body });
    assert.is(bogus.status, 400);
    assert.is(bogus.headers.get("x-amzn-errortype"), "InvalidParameterValueException");
  });

  test(`[${backend}] stop`, async () => {
    await stack.stop();
  });
}

test.run();
