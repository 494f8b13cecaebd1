// 200 instances asleep at once (issue 14; the scenario is test/sleepers-scenario.ts). With real
// processes and inline: while they sleep nothing runs for them — no busy worker, no process and
// no timer or socket per instance — and the stack alone wakes each, at or after its time, and
// it runs its effects exactly once. How late they wake is a speed goal (within about a second
// of their time, locally): bench/sleepers.ts measures it; a timed test of it failed only when
// the shared machine was busy.
import { test } from "uvu";
import { BACKENDS } from "./helpers.js";
import { N, report, sleepers } from "./sleepers-scenario.js";

for (const isolation of ["process", "inline"] as const) {
  test(`${N} sleeping instances hold no process or handle each, and the stack wakes each once, not before its time (${BACKENDS[0]}, ${isolation} isolation)`, async () => {
    report(isolation, await sleepers(isolation));
  });
}

test.run();
