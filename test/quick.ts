// `npm run test:quick`: the unit and snapshot tiers (tiers.ts) in one process, so the compiler,
// the parser and TypeScript load once. Ends like `npm test`: `N passed, N failed`.
import { SNAPSHOT, UNIT } from "./tiers.js";

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
const text = lines.join("").replace(/\x1b\[[0-9;]*m/g, "");
const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
console.log(`${passed} passed, ${total - passed} failed`);
