// Unit tests of the timing rules (issue 9): the window must exceed timeout + request timeout;
// requests are cut to an execution's deadline; the local stack's defaults; the seeded slowness.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkTiming, ConfigError } from "../contract/timing.js";
import { DeadlineExceeded, requestBudget, withDeadline } from "../runtime/deadline.js";
import { inputPreview } from "../runtime/intent.js";
import { localTiming } from "../local/stack.js";
import { delays } from "../local/slowness.js";
import { runCommand } from "../local/commands/run.js";
import { deployTemplate } from "../compiler/deploy.js";
import { compile } from "../compiler/index.js";
import { readFileSync } from "node:fs";

test("checkTiming refuses a window not longer than timeout + request timeout, with code R0017", () => {
  checkTiming({ windowMs: 1001, timeoutMs: 700, requestTimeoutMs: 300 });
  for (const bad of [
    { windowMs: 1000, timeoutMs: 700, requestTimeoutMs: 300 },
    { windowMs: 500, timeoutMs: 700, requestTimeoutMs: 300 },
    { windowMs: 1000, timeoutMs: 0, requestTimeoutMs: 300 },
    { windowMs: Number.NaN, timeoutMs: 10, requestTimeoutMs: 10 },
  ]) {
    assert.throws(
      () => checkTiming(bad),
      (e: unknown) => e instanceof ConfigError && e.code === "R0017",
    );
  }
});

test("the local stack's timing: defaults, a window alone scales the timeouts, explicit values are checked", () => {
  assert.equal(localTiming({}), { windowMs: 15_000, timeoutMs: 10_000, requestTimeoutMs: 3_000 });
  assert.equal(localTiming({ windowMs: 1000 }), { windowMs: 1000, timeoutMs: 600, requestTimeoutMs: 300 });
  assert.throws(() => localTiming({ windowMs: 1000, timeoutMs: 900 }), /windowMs 1000/);
  assert.throws(() => localTiming({ timeoutMs: 20_000 }), /must be longer/);
});

test("requests are cut to the execution's deadline; none starts without time left", async () => {
  assert.is(requestBudget(3000, "x"), 3000, "outside an execution: the cap");
  const now = Date.now();
  await withDeadline(now + 1000, async () => {
    const b = requestBudget(3000, "x");
    assert.ok(b <= 1000 && b > 900, String(b));
    assert.is(requestBudget(200, "x"), 200);
  });
  await withDeadline(now - 1, async () => {
    assert.throws(
      () => requestBudget(3000, "a store request"),
      (e: unknown) => e instanceof DeadlineExceeded && /a store request/.test((e as Error).message),
    );
  });
});

test("seeded slowness: the same seed gives the same delays, about the asked fraction, never over the bound", () => {
  const s = { seed: 42, fraction: 0.2, maxDelayMs: 900 };
  const a = delays(s);
  const b = delays(s);
  const xs = Array.from({ length: 2000 }, () => a());
  assert.equal(
    xs,
    Array.from({ length: 2000 }, () => b()),
  );
  const delayed = xs.filter((x) => x > 0).length / xs.length;
  assert.ok(delayed > 0.15 && delayed < 0.25, String(delayed));
  assert.ok(xs.every((x) => x >= 0 && x < 900));
});

test("an input preview for R0008 messages is short", () => {
  assert.is(inputPreview({ k: "y" }), '{"k":"y"}');
  const long = inputPreview({ s: "x".repeat(1000) });
  assert.is(long.length, 200);
  assert.ok(long.endsWith("…"));
});

test("`beldi run` refuses a window not longer than the timeouts: exit 2, R0017, nothing started", async () => {
  const err: string[] = [];
  const io = { out: () => {}, err: (t: string) => err.push(t) };
  const code = await runCommand(
    ["examples/hello", "greeter.greet", "--input", '{"name":"a"}', "--window-ms", "1000", "--timeout-ms", "900"],
    io,
  );
  assert.is(code, 2);
  assert.match(err.join("\n"), /R0017.*windowMs 1000.*timeoutMs 900/s);
});

test("the deploy template gives the functions their timeouts, inside the window", () => {
  const r = compile([{ path: "hello.beldi", text: readFileSync("examples/hello/hello.beldi", "utf8") }], {});
  const template = deployTemplate(r.ir!) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const fns = Object.values(template.Resources).filter((x) => x.Type === "AWS::Lambda::Function");
  assert.ok(fns.length >= 2);
  for (const f of fns) {
    const env = f.Properties.Environment.Variables;
    assert.is(Number(env.BELDI_TIMEOUT_MS), f.Properties.Timeout * 1000);
    assert.ok(Number(env.BELDI_WINDOW_MS) > Number(env.BELDI_TIMEOUT_MS) + Number(env.BELDI_REQUEST_TIMEOUT_MS));
  }
});

test.run();
