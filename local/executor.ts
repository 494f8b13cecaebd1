// How the local stack runs a service's handler: inline (in this process) or in a child process.
import type { RuntimeConfig } from "../runtime/config.js";

export type ExecResult =
  | { ok: true; payload: unknown }
  /** the handler threw or its process died: Lambda's "Unhandled" function error */
  | { ok: false; errorType: string; errorMessage: string }
  /**
   * No worker became free in time (Lambda's throttle): the invoke API answers 429
   * `TooManyRequestsException`. Shaped as an error too, so code that only knows `ok` treats it
   * as a failed invocation.
   */
  | { ok: false; throttled: true; errorType: "TooManyRequestsException"; errorMessage: string }
  /** the invocation's tree was killed while it ran */
  | { killed: true };

/** An executor's processes: alive now (starting, idle, busy or ending), running an invocation, most alive at once. */
export interface WorkerCounts {
  live: number;
  busy: number;
  peak: number;
}

export interface Executor {
  /** Never rejects: whatever goes wrong (a handler module that fails to load, too) is a result. */
  invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult>;
  /** Stops every running invocation of the tree at once. */
  kill(trace: string): void;
  /** Ends every process the executor started and waits until they are gone. */
  close(): Promise<void>;
  /** Its worker processes (an executor without processes may leave it out: all zeros). */
  workers?(): WorkerCounts;
}

/** What an executor needs to run a built app's services. */
export interface ExecutorOptions {
  /** service name -> path of its bundled handler module (index.mjs) */
  bundles: Record<string, string>;
  config: RuntimeConfig;
}
