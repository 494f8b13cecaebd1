// Whatever a client sends the local Lambda Invoke API — any function name, percent-encoding,
// qualifier, invocation type, body (not JSON, any JSON, envelopes with forged `beldi` fields,
// signals) — it gets an HTTP answer of Lambda's kinds, and the stack lives on. Crashes of the
// stack show here as the suite dying before its summary (an unhandled rejection ends the
// process that hosts the stack). Afterwards the shop is consistent: every unit of stock taken
// was charged exactly once, however its buy was started.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { functionName } from "../contract/schema.js";
import { LocalStack } from "../local/index.js";
import { ok, rawInvoke } from "./helpers.js";

let stack: LocalStack;
const STOCK = 100_000;

test.before(async () => {
  stack = await LocalStack.start({ app: "test/fixtures/shop", schedule: false });
  await stack.put("stock", "items", "apple", { left: STOCK });
});
test.after(async () => {
  await stack.stop();
});

const ANSWERS = new Set([200, 202, 204, 400, 404, 405, 413, 415, 429, 500]);

/** Names as a client could write them: ours (plain, qualified, as an ARN), others, and raw bytes. */
function nameArb(): fc.Arbitrary<string> {
  const ours = ["front", "front", "stock", "wallet"].map((s) => functionName(stack.prefix, "shop", s));
  const own = fc.constantFrom(...ours);
  const qualifier = fc.oneof(fc.constantFrom("$LATEST", "live", "1", "v0", ""), fc.string({ maxLength: 8 }));
  return fc.oneof(
    { arbitrary: own.map(encodeURIComponent), weight: 8 },
    { arbitrary: fc.tuple(own, qualifier).map(([n, q]) => encodeURIComponent(`${n}:${q}`)), weight: 2 },
    {
      arbitrary: fc.tuple(own, qualifier).map(([n, q]) => encodeURIComponent(`arn:aws:lambda:us-east-1:123456789012:function:${n}:${q}`)),
      weight: 2,
    },
    { arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent), weight: 1 },
    { arbitrary: fc.constant(functionName(stack.prefix, "shop", "nope")), weight: 1 },
    // raw, unencoded: broken percent-escapes, unicode, dots
    { arbitrary: fc.constantFrom("%", "%E0%A4%A", "%zz", "%00", "..", "a%2Fb", "%F0%9F%98", "caf%C3%A9"), weight: 1 },
  );
}

const beldiField = fc.record(
  {
    kind: fc.oneof(fc.constantFrom("call", "spawn", "recover", "txn", "gc", "wake", "collect", "entry"), fc.string({ maxLength: 6 })),
    trace: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()),
    sig: fc.string({ maxLength: 16 }),
    replay: fc.boolean(),
    pinned: fc.boolean(),
    txn: fc.record({ id: fc.string({ maxLength: 8 }), age: fc.integer(), locks: fc.array(fc.anything(), { maxLength: 2 }) }),
    olderThanMs: fc.integer(),
  },
  { requiredKeys: [] },
);

/** Bodies: buys (good and bad), forged envelopes, signals, any JSON, and text that is not JSON. */
const bodyArb: fc.Arbitrary<string> = fc.oneof(
  {
    // a client's buy, its id often reused (a retry, or another buy under the same id)
    arbitrary: fc
      .record({
        fn: fc.constant("buy"),
        instanceId: fc.oneof(fc.constantFrom("b-1", "b-2", "b-3", "b-4"), fc.uuid()),
        input: fc.record({ user: fc.constantFrom("ann", "bob", "cy"), item: fc.constant("apple"), qty: fc.integer({ min: 1, max: 3 }) }),
      })
      .map((o) => JSON.stringify(o)),
    weight: 3,
  },
  fc
    .record(
      {
        fn: fc.oneof(fc.constantFrom("buy", "take", "charge", "nope", ""), fc.string({ maxLength: 6 })),
        instanceId: fc.oneof(fc.uuid(), fc.string({ maxLength: 20 }), fc.constantFrom("fuzz-1", "fuzz-2", "a/b", "x".repeat(200))),
        input: fc.oneof(
          fc.record({
            user: fc.constantFrom("ann", "bob", ""),
            item: fc.constantFrom("apple", "pear"),
            qty: fc.integer({ min: 1, max: 3 }),
          }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        beldi: beldiField,
        signal: fc.record({
          instanceId: fc.string({ maxLength: 10 }),
          name: fc.string({ maxLength: 6 }),
          value: fc.jsonValue({ maxDepth: 1 }),
        }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
);

const requestArb = () =>
  fc.record({
    name: nameArb(),
    method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 10 }, { arbitrary: fc.constantFrom("GET", "PUT"), weight: 1 }),
    type: fc.oneof(
      { arbitrary: fc.constantFrom(undefined, "RequestResponse"), weight: 6 },
      { arbitrary: fc.constantFrom("Event", "DryRun", "Bogus", ""), weight: 2 },
    ),
    query: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.constantFrom("?Qualifier=live", "?Qualifier=%zz", "?Qualifier=9", "?x=%"), weight: 1 },
    ),
    body: bodyArb,
  });

test("any request gets one of Lambda's answers, and the stack keeps answering", async () => {
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(requestArb(), async (r) => {
      const res = await rawInvoke(stack, r.name, {
        method: r.method,
        type: r.type,
        query: r.query,
        body: r.method === "GET" ? undefined : r.body,
      });
      const text = await res.text();
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      assert.ok(ANSWERS.has(res.status), `status ${res.status} for ${JSON.stringify(r)}: ${text.slice(0, 300)}`);
      if (res.status >= 400) assert.ok(res.headers.get("x-amzn-errortype"), `an error names its type: ${JSON.stringify(r)}`);
      if (res.status === 200) JSON.parse(text); // a function's answer is JSON
    }),
    { numRuns: 400 },
  );
  console.log(`    statuses: ${[...seen].map(([s, n]) => `${s}×${n}`).join(", ")}`);
  assert.equal(await stack.invoke("front.buy", { user: "zed", item: "apple", qty: 1 }), ok("zed bought 1 apple, spent 10"));
});

test("after it all, each unit of stock taken was charged exactly once", async () => {
  await stack.recover(); // events the fuzz sent (and any it cut short) run to their end
  const left = (await stack.get("stock", "items", "apple")) as { left: number };
  const accounts = await stack.scan("wallet", "accounts");
  const charged = accounts.reduce((sum, a) => sum + ((a.value as { spent?: number }).spent ?? 0), 0);
  assert.is(charged, (STOCK - left.left) * 10, `stock taken ${STOCK - left.left}, charged ${charged}`);
  console.log(`    ${STOCK - left.left} units taken by ${accounts.length} buyers, each charged once`);
});

test.run();
