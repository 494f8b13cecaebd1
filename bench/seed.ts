// Seeding a stack with a workload's rows, a few puts at a time (dynalite is single-threaded:
// more in flight only queues).
import type { LocalStack } from "../local/index.js";
import type { Row } from "./workloads/workload.js";

export async function seed(stack: LocalStack, rows: readonly Row[], inFlight = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const r = rows[next++]!;
      await stack.put(r.service, r.table, r.key, r.value);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}
