// How the local stack runs a service's handler: inline (in this process) or in a child process.
import type { RuntimeConfig } from "../runtime/config.js";

export type ExecResult =
  | { ok: true; payload: unknown }
  /** the handler threw or its process died: Lambda's "Unhandled" function error */
  | { ok: false; errorType: string; errorMessage: string }
  /** the invocation's tree was killed while it ran */
  | { killed: true };

export interface Executor {
  invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult>;
  /** Stops every running invocation of the tree at once. */
  kill(trace: string): void;
  close(): Promise<void>;
}

/** What an executor needs to run a built app's services. */
export interface ExecutorOptions {
  /** service name -> path of its bundled handler module (index.mjs) */
  bundles: Record<string, string>;
  config: RuntimeConfig;
}
