// `npm run test:quick`: the unit and snapshot tiers (tiers.ts) in one process, so the compiler,
// the parser and TypeScript load once. Ends like `npm test`: `N passed, N failed`.
import { SNAPSHOT, UNIT } from "./tiers.js";
import { uvuSummary } from "./uvu-summary.js";

// uvu collects suites instead of running each file's on import (as its CLI does)
(globalThis as { UVU_DEFER?: number }).UVU_DEFER = 1;
const queue = ((globalThis as { UVU_QUEUE?: unknown[][] }).UVU_QUEUE ??= []);
const { exec } = await import("uvu");
for (const name of [...UNIT, ...SNAPSHOT]) {
  queue.push([`${name}.test.ts`]);
  await import(`./${name}.test.ts`);
}
const lines: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  lines.push(String(chunk));
  return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;
await exec();
process.stdout.write = write;
const summary = uvuSummary(lines.join("")) ?? { total: 1, passed: 0, skipped: 0 };
// counted as npm test counts (run.ts): a skipped test is a failed one
console.log(`${summary.passed} passed, ${summary.total - summary.passed + summary.skipped} failed`);
