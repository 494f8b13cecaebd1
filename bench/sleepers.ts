// How late sleeping instances wake (issue 14's goal: locally within about a second of their
// time; the stack's wake-up tick is WAKE_TICK_MS). 200 instances asleep at once, woken by the
// stack alone (test/sleepers-scenario.ts, which also checks each ran its effects once); prints
// their lateness, with the machine's load before and after: on a busy 2-core machine the
// woken instances' own work and the machine's share the cores, so the tail is the machine's.
//   node --import tsx bench/sleepers.ts [--isolation inline|process|both]
import { parseArgs } from "node:util";
import { stopAllWorkers } from "../local/index.js";
import { report, sleepers } from "../test/sleepers-scenario.js";
import { loadAverage } from "./stats.js";

const { values } = parseArgs({ options: { isolation: { type: "string", default: "inline" } } });
const isolations = values.isolation === "both" ? (["inline", "process"] as const) : [values.isolation as "inline" | "process"];

console.log(`sleepers: load average ${loadAverage()} before`);
try {
  for (const isolation of isolations) {
    const { p50 } = report(isolation, await sleepers(isolation));
    // the goal is the inline stack's: with processes the first wake-ups also pay cold starts
    if (isolation === "inline") console.log(`  goal: median lateness ≤ 1000 ms: ${p50 <= 1000 ? "✓" : "✗"}`);
  }
} finally {
  await stopAllWorkers();
}
console.log(`sleepers: load average ${loadAverage()} after`);
