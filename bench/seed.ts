// Seeding a stack with a workload's rows, a few puts at a time (dynalite is single-threaded:
// more in flight only queues).
import { forEachInFlight } from "../local/in-flight.js";
import type { LocalStack } from "../local/index.js";
import type { Row } from "./workloads/workload.js";

export async function seed(stack: LocalStack, rows: readonly Row[], inFlight = 16): Promise<void> {
  await forEachInFlight(rows.length, inFlight, async (i) => {
    const r = rows[i]!;
    await stack.put(r.service, r.table, r.key, r.value);
  });
}
