// Code that throws (R0027), end to end on both stores: a member of an `any` value that is null or
// an extern that throws fails the fn once, recorded (a retry gets the same failure, a later
// invocation runs), instead of crashing every execution, which left the instance to the
// collector forever. Inside a `txn` the attempt aborts with its locks released; a `parallel`
// sibling and what ran before stay done once, crash sweeps included. A loop without an end stops
// at the deadline instead of holding the process.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack, type InvokeResult } from "../local/index.js";
import { BACKENDS, crashSweep, locksLeft, ok } from "./helpers.js";

const app = "test/fixtures/threw";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const failure = (r: InvokeResult) => ("ok" in r && !r.ok ? r.error : undefined);

function assertThrew(r: InvokeResult, message: RegExp): void {
  const error = failure(r);
  assert.ok(error, `expected a failure, got ${JSON.stringify(r)}`);
  assert.is(error.code, "R0027", JSON.stringify(r));
  assert.match(error.message, message);
}

for (const backend of BACKENDS) {
  let stack: LocalStack;
  const count = async (k: string) => ((await stack.get("shop", "counts", k)) as { n: number } | null)?.n ?? null;

  test(`[${backend}] start`, async () => {
    stack = await LocalStack.start({ app, backend, schedule: false });
  });

  test(`[${backend}] p.a.b on a null p.a fails the fn (R0027, naming the .beldi line), recorded; the write before it happened once`, async () => {
    const r = await stack.invoke("shop.bumpThenPeek", { k: "a", p: {} }, { instanceId: "peek-1" });
    assertThrew(r, /^shop\.bumpThenPeek threw TypeError: Cannot read properties of null \(reading 'b'\) \(at threw\.beldi:14:5\)$/);
    assert.equal(
      await stack.invoke("shop.bumpThenPeek", { k: "a", p: {} }, { instanceId: "peek-1" }),
      r,
      "a retry gets the recorded failure",
    );
    await stack.recover(); // nothing is left unfinished for the collector
    assert.is(await count("a"), 1);
    assert.equal(await stack.invoke("shop.bumpThenPeek", { k: "a", p: { a: { b: 2 } } }), ok(1), "the service runs on");
    assert.is(await count("a"), 2);
  });

  test(`[${backend}] an extern that throws fails the fn (R0027) with its error`, async () => {
    const r = await stack.invoke("shop.viaExtern", { k: "e", x: -1 });
    assertThrew(r, /^shop\.viaExtern: extern fn checked threw Error: checked: -1 is negative \(at threw\.beldi:21:5\)$/);
    assert.equal(await stack.invoke("shop.viaExtern", { k: "e", x: 3 }), ok(3));
    assert.is(await count("e"), 2);
  });

  test(`[${backend}] inside a txn: the attempt aborts (nothing applied, no lock left), no else, the fn fails`, async () => {
    await stack.put("shop", "counts", "t", { n: 1 });
    assertThrew(await stack.invoke("shop.inTxn", { k: "t", p: { a: null } }), /^shop\.inTxn threw TypeError: .* \(at threw\.beldi:30:7\)$/);
    assert.is(await count("t"), 1, "the transaction's write was not applied");
    assert.equal(await locksLeft(stack), []);
    assert.equal(await stack.invoke("shop.inTxn", { k: "t", p: { a: { b: 1 } } }), ok("committed"));
    assert.is(await count("t"), 11);
  });

  test(`[${backend}] a parallel branch throws: its sibling's effect happens once, then the fn fails`, async () => {
    assertThrew(await stack.invoke("shop.branches", { k: "p", p: 5 }), /^shop\.branches threw TypeError/);
    assert.is(await count("p"), 1);
  });

  test(`[${backend}] a called fn that throws fails the call, and so its caller`, async () => {
    assertThrew(await stack.invoke("shop.callsPeek", { k: "c", p: [] }), /^shop\.bumpThenPeek threw TypeError/);
    assert.is(await count("c-caller"), 1);
    assert.is(await count("c"), 1);
  });

  test(`[${backend}] stop`, async () => {
    await stack.stop();
  });

  test(`[${backend}] a loop without an end stops at the execution's deadline (R0015); the stack serves on`, async () => {
    const quick = await LocalStack.start({ app, backend, schedule: false, timeoutMs: 1500, requestTimeoutMs: 500, windowMs: 5000 });
    try {
      const r = await quick.invoke("shop.spin", { k: "s" });
      assert.is(failure(r)?.code, "R0015", JSON.stringify(r));
      assert.match(failure(r)!.message, /deadline reached before a loop's next iteration/);
      assert.equal(await quick.invoke("shop.bump", { k: "s" }), ok(1));
    } finally {
      await quick.stop();
    }
  });

  test(`[${backend}] an instance that keeps reaching its deadline is re-executed ever less often (a window, then two, ...)`, async () => {
    const windowMs = 3000;
    const quick = await LocalStack.start({ app, backend, schedule: false, timeoutMs: 1000, requestTimeoutMs: 500, windowMs });
    // one pass of the collector, as the schedule runs it: how many instances it re-executed
    const collect = async () => {
      const r = await quick.deliver("shop", { beldi: { kind: "collect" } });
      if (!("ok" in r) || !r.ok) return assert.unreachable(`the collector failed: ${JSON.stringify(r)}`);
      return (r.payload as { value: { restarted: number } }).value.restarted;
    };
    try {
      const r = await quick.invoke("shop.bumpThenSpin", { k: "x" }, { instanceId: "spinner" });
      assert.is(failure(r)?.code, "R0015", JSON.stringify(r));
      await sleep(windowMs + 200);
      assert.is(await collect(), 1, "one window after it started");
      const resumed = Date.now(); // its re-execution renews the lease about now, and overruns again
      await sleep(1.5 * windowMs - (Date.now() - resumed));
      assert.is(await collect(), 0, "not one window after the re-execution: two");
      await sleep(2.5 * windowMs - (Date.now() - resumed));
      assert.is(await collect(), 1, "two windows after it");
      assert.equal(await quick.get("shop", "counts", "x"), { n: 1 }, "its effect happened once");
    } finally {
      await quick.stop();
    }
  });

  test(`[${backend}] crash sweeps (process): a throwing parallel branch and a throwing txn body end as the uncrashed runs`, async () => {
    const branches = await crashSweep({
      stack: { app, isolation: "process", backend },
      fn: "shop.branches",
      input: { k: "p", p: null },
      check: async (s, r) => {
        // in a worker process the line comes from the bundle's map file, not a loader's
        assertThrew(r, /^shop\.branches threw TypeError: .* \(at threw\.beldi:40:7\)$/);
        assert.equal(await s.get("shop", "counts", "p"), { n: 1 });
      },
    });
    const txn = await crashSweep({
      stack: { app, isolation: "process", backend },
      seed: (s) => s.put("shop", "counts", "t", { n: 1 }),
      fn: "shop.inTxn",
      input: { k: "t", p: {} },
      check: async (s, r) => {
        assertThrew(r, /^shop\.inTxn threw TypeError/);
        assert.equal(await s.get("shop", "counts", "t"), { n: 1 });
        assert.equal(await locksLeft(s), []);
      },
    });
    assert.ok(branches >= 3 && txn >= 3, `swept ${branches} and ${txn} points`);
  });
}

test.run();
