// Null and absence end to end, on both stores: a `T?` field written null is stored as an absent
// attribute and reads back as null (its null checks hold); a `f?: T` field left out stays absent;
// a `T?` parameter a client leaves out is null; a client's own asynchronous invoke runs; an `any`
// value of another type than its table declares is refused (R0026) with nothing written.
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

  test(`[${backend}] any values: stored where they have the declared type, refused (R0026, recorded, nothing written) where not`, async () => {
    const code = (r: unknown) => (r as { error?: { code: string } }).error?.code;
    assert.equal(await stack.invoke("docs.storeAny", { k: "t1", p: "text" }), ok(true));
    assert.equal(await stack.invoke("docs.noteAny", { k: "t1", p: "n" }), ok(true));
    assert.equal(await stack.invoke("docs.noteAny", { k: "t1", p: null }), ok(true), "null removes a `note?` field");
    assert.equal(await stack.invoke("docs.tagAny", { k: "t1", p: "x" }), ok(true));
    assert.equal(await stack.get("docs", "tagged", "t1"), { s: "text", tags: ["x"] });
    const wrong = await stack.invoke("docs.storeAny", { k: "t2", p: 5 }, { instanceId: "wrong-write" });
    assert.is(code(wrong), "R0026", JSON.stringify(wrong));
    assert.match((wrong as { error: { message: string } }).error.message, /tagged\["t2"\]\.s must be a string, got a number/);
    assert.equal(
      await stack.invoke("docs.storeAny", { k: "t2", p: 5 }, { instanceId: "wrong-write" }),
      wrong,
      "the failure is the recorded result",
    );
    assert.equal(await stack.get("docs", "tagged", "t2"), null, "nothing written");
    assert.is(code(await stack.invoke("docs.noteAny", { k: "t1", p: { a: 1 } })), "R0026");
    assert.is(code(await stack.invoke("docs.tagAny", { k: "t1", p: 7 })), "R0026");
    assert.equal(await stack.get("docs", "tagged", "t1"), { s: "text", tags: ["x"] }, "nothing written by the refused updates");
  });

  test(`[${backend}] stop`, async () => {
    await stack.stop();
  });
}

test.run();
