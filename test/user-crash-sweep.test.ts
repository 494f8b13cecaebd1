// The README's example of a user's own test: a crash sweep of one of their fns, imported from
// `beldi/local` as an app that depends on Beldi-TS imports it. It fails, printing every crash
// point and the rows that differ, if any crash point does not end as the uncrashed run does.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crashSweep, describeSweep } from "beldi/local";

test("greeter.greet ends the same whatever request it crashes after", async () => {
  const report = await crashSweep({
    app: "examples/hello",
    fn: "greeter.greet",
    input: { name: "ada" },
    setup: { "counter.counts": { ada: { n: 41 } } }, // every run starts from these rows
    isolation: "process", // a crash is a real process death
  });
  assert.ok(report.ok, describeSweep(report));
  assert.equal(report.reference.result, { ok: true, value: "Hello, ada! Visit number 42." });
  assert.ok(report.points.length >= 7, describeSweep(report));
});

test.run();
