// Bad invocations get typed error results, never a crash of the stack; the stack keeps working.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { functionName } from "../contract/schema.js";
import { ok, rawInvoke } from "./helpers.js";

let stack: LocalStack;

test.before(async () => {
  stack = await LocalStack.start({ app: "test/fixtures/shop", schedule: false });
  await stack.put("stock", "items", "apple", { left: 5 });
});
test.after(async () => {
  await stack.stop();
});

const code = (r: unknown) => (r as { error?: { code: string } }).error?.code;

test("payloads that do not match the parameters: R0002, and nothing ran", async () => {
  const cases: unknown[] = [
    { user: "u1", item: "apple" }, // missing qty
    { user: "u1", item: "apple", qty: "2" }, // wrong type
    { user: "u1", item: "apple", qty: 2, extra: true }, // unknown parameter
    { user: null, item: "apple", qty: 2 }, // null for a non-optional
    { user: "u1", item: "apple", qty: 1e400 }, // not finite after JSON (Infinity -> null)
    [1, 2],
    "text",
    null,
  ];
  for (const input of cases) {
    const r = await stack.invoke("front.buy", input);
    assert.is(code(r), "R0002", `input ${JSON.stringify(input)} gave ${JSON.stringify(r)}`);
    assert.ok((r as { error: { message: string } }).error.message.length > 10);
  }
  assert.equal(await stack.get("stock", "items", "apple"), { left: 5 });
  assert.equal(await stack.get("front", "orders", "u1"), null);
});

test("unknown fn (R0010) and invalid instance ids (R0011)", async () => {
  assert.is(code(await stack.invoke("front.nope", {})), "R0010");
  assert.is(code(await stack.invoke("front.buy", { user: "u1", item: "apple", qty: 1 }, { instanceId: "has space" })), "R0011");
  assert.is(code(await stack.invoke("front.buy", { user: "u1", item: "apple", qty: 1 }, { instanceId: "x".repeat(129) })), "R0011");
  assert.is(code(await stack.invoke("front.buy", { user: "u1", item: "apple", qty: 1 }, { instanceId: "a/b" })), "R0011");
});

test("an empty key is a typed runtime error (R0005), recorded as the result", async () => {
  const r = await stack.invoke("front.buy", { user: "", item: "apple", qty: 1 }, { instanceId: "empty-key" });
  assert.is(code(r), "R0005");
  assert.equal(await stack.invoke("front.buy", { user: "", item: "apple", qty: 1 }, { instanceId: "empty-key" }), r);
});

test("raw requests to the Invoke API: bad JSON, unknown function, wrong method, not an object", async () => {
  const fn = functionName(stack.prefix, "shop", "front");
  const post = (name: string, body: string, type?: string) => rawInvoke(stack, encodeURIComponent(name), { body, type });
  let r = await post(fn, "{not json");
  assert.is(r.status, 400);
  assert.is(r.headers.get("x-amzn-errortype"), "InvalidRequestContentException");
  r = await post("no-such-function", "{}");
  assert.is(r.status, 404);
  assert.is(r.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
  r = await rawInvoke(stack, fn, { method: "GET" });
  assert.is(r.status, 404);
  r = await post(fn, "[1,2,3]");
  assert.is(r.status, 200);
  assert.is(code(await r.json()), "R0002");
  r = await post(fn, JSON.stringify({ fn: "buy", input: { user: "u9", item: "apple", qty: 1 } }), "DryRun");
  assert.is(r.status, 204);
  r = await post(fn, "x".repeat(300_000), "Event");
  assert.is(r.status, 413);
});

test("the stack still works after all that", async () => {
  assert.equal(await stack.invoke("front.buy", { user: "u1", item: "apple", qty: 2 }), ok("u1 bought 2 apple, spent 20"));
});

test.run();
