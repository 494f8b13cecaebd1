// Drives a list of requests against a stack with a fixed number of clients in flight (a
// closed loop, like wrk with C connections), timing each invocation as its client sees it.
import { performance } from "node:perf_hooks";
import { forEachInFlight } from "../local/in-flight.js";
import type { LocalStack } from "../local/index.js";
import type { Done, Request } from "./workloads/workload.js";

export interface Driven {
  done: Done[];
  /** from the first request sent to the last answer received */
  wallMs: number;
}

export async function drive(stack: LocalStack, reqs: readonly Request[], concurrency: number, idPrefix: string): Promise<Driven> {
  const done: Done[] = new Array(reqs.length);
  const t0 = performance.now();
  await forEachInFlight(reqs.length, concurrency, async (i) => {
    const req = reqs[i]!;
    const t = performance.now();
    let result = await stack.invoke(req.fn, req.input, { instanceId: `${idPrefix}${i}` });
    // An answer that the execution stopped unrecorded (out of time, R0015; a callee or the
    // store kept failing, R0018) is retried with the same id, as a client does.
    for (let k = 0; k < 10 && "ok" in result && !result.ok && (result.error.code === "R0015" || result.error.code === "R0018"); k++) {
      result = await stack.invoke(req.fn, req.input, { instanceId: `${idPrefix}${i}` });
    }
    done[i] = { req, result, ms: performance.now() - t };
  });
  return { done, wallMs: performance.now() - t0 };
}
