// A service whose code fails while it loads (test/fixtures/broken-init: its extern module throws at
// import while BROKEN_INIT is set). Lambda answers such an invocation with an init error and the
// next one loads afresh; the local stack must do the same, for a client's call and for a spawn's
// event alike, and must not die of it: an event that failed to load once ended the stack's process
// with an unhandled rejection. A function name that is not valid percent-encoding did the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { functionName } from "../contract/schema.js";
import { LocalStack } from "../local/index.js";
import { ok, rawInvoke } from "./helpers.js";

let stack: LocalStack;

test.before(async () => {
  process.env.BROKEN_INIT = "1";
  stack = await LocalStack.start({ app: "test/fixtures/broken-init", schedule: false });
});
test.after(async () => {
  delete process.env.BROKEN_INIT;
  await stack.stop();
});

const post = (fn: string, body: unknown, type = "RequestResponse") => rawInvoke(stack, fn, { body: JSON.stringify(body), type });

test("a client's call to code that fails to load: an init error naming the cause, and nothing written", async () => {
  const r = await stack.invoke("back.hello", { name: "ann" }, { instanceId: "hello-ann" });
  assert.ok("crashed" in r, JSON.stringify(r));
  assert.match((r as { reason?: string }).reason ?? "", /^Runtime\.InitError: .*greet\.ts cannot start/);
  assert.equal(await stack.get("back", "greeted", "ann"), null);
});

test("an event to code that fails to load is accepted (202) and the stack lives on", async () => {
  const back = functionName(stack.prefix, "broken-init", "back");
  const r = await post(back, { fn: "hello", instanceId: "hello-eve", input: { name: "eve" } }, "Event");
  assert.is(r.status, 202);
  // a spawn from a healthy service: its event fails to load the same way
  assert.equal(await stack.invoke("front.later", { name: "bob" }, { instanceId: "later-bob" }), ok(null));
  await new Promise((resolve) => setTimeout(resolve, 200)); // the events' runs settle (each failed to load)
  assert.equal(await stack.invoke("front.ping", {}), ok("pong"));
});

test("a function name that is not valid percent-encoding: 400, and the stack lives on", async () => {
  const r = await post("%E0%A4%A", {});
  assert.is(r.status, 400);
  assert.is(r.headers.get("x-amzn-errortype"), "InvalidParameterValueException");
  assert.equal(await stack.invoke("front.ping", {}), ok("pong"));
});

test("once the code loads, the next invocation runs it, and recovery finishes the spawned instance once", async () => {
  delete process.env.BROKEN_INIT;
  assert.equal(await stack.invoke("back.hello", { name: "ann" }, { instanceId: "hello-ann" }), ok("hello, ann"));
  await stack.recover(); // later-bob's spawn: its event was lost to the failed load
  assert.equal(await stack.get("back", "greeted", "bob"), { text: "hello, bob" });
  assert.equal(await stack.get("back", "greeted", "ann"), { text: "hello, ann" });
});

test.run();
