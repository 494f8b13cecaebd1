// Runs handlers in this process: fast, for development and most tests. A killed tree stops at
// once from the stack's point of view; its code may still be running, but every request it
// makes is refused, so nothing it does takes effect.
import { pathToFileURL } from "node:url";
import type { Handler } from "../runtime/service.js";
import type { Executor, ExecutorOptions, ExecResult } from "./executor.js";
import type { Traces } from "./traces.js";

export class InlineExecutor implements Executor {
  private readonly handlers = new Map<string, Handler>();

  private constructor(private readonly traces: Traces) {}

  static async create(o: ExecutorOptions, traces: Traces): Promise<InlineExecutor> {
    const ex = new InlineExecutor(traces);
    for (const [service, bundle] of Object.entries(o.bundles)) {
      const mod = (await import(pathToFileURL(bundle).href)) as { createHandler(c: unknown): Handler };
      ex.handlers.set(service, mod.createHandler(o.config));
    }
    return ex;
  }

  invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult> {
    const h = this.handlers.get(service);
    if (!h) return Promise.resolve({ ok: false, errorType: "ResourceNotFound", errorMessage: `no service ${service}` });
    const run: Promise<ExecResult> = h(event).then(
      (payload) => ({ ok: true, payload }),
      (e: unknown) => ({ ok: false, errorType: (e as Error)?.name ?? "Error", errorMessage: String((e as Error)?.message ?? e) }),
    );
    if (!trace) return run;
    return Promise.race([run, this.traces.killed(trace).then((): ExecResult => ({ killed: true }))]);
  }

  kill(): void {
    // Nothing to stop: the stack refuses every later request of the tree.
  }

  async close(): Promise<void> {}
}
