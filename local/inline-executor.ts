// Runs handlers in this process: fast, for development and most tests. A killed tree stops at
// once from the stack's point of view; its code may still be running, but every request it
// makes is refused, so nothing it does takes effect.
import { pathToFileURL } from "node:url";
import type { Handler } from "../runtime/service.js";
import type { Executor, ExecutorOptions, ExecResult } from "./executor.js";
import type { Traces } from "./traces.js";

/** How long past its timeout an invocation may take to answer before it is given up on. */
const TIMEOUT_GRACE_MS = 1_000;

export class InlineExecutor implements Executor {
  /** each service's handler, loaded at its first invocation (a bundle takes ~200 ms to import) */
  private readonly handlers = new Map<string, Promise<Handler>>();
  /** how many loads of each service's module failed */
  private readonly failedLoads = new Map<string, number>();

  private constructor(
    private readonly o: ExecutorOptions,
    private readonly traces: Traces,
    private readonly timeoutMs: number,
  ) {}

  static async create(o: ExecutorOptions, traces: Traces): Promise<InlineExecutor> {
    return new InlineExecutor(o, traces, o.config.timeoutMs);
  }

  private handler(service: string): Promise<Handler> | undefined {
    const bundle = Object.hasOwn(this.o.bundles, service) ? this.o.bundles[service] : undefined;
    if (!bundle) return undefined;
    let h = this.handlers.get(service);
    if (!h) {
      // a failed load is tried again at the next invocation, as Lambda starts a fresh environment;
      // a new URL each time, since Node keeps a module that threw as it was
      const tries = this.failedLoads.get(service) ?? 0;
      const url = `${pathToFileURL(bundle).href}${tries ? `?load=${tries + 1}` : ""}`;
      const loading = import(url).then((mod: { createHandler(c: unknown): Handler }) => mod.createHandler(this.o.config));
      loading.catch(() => {
        this.failedLoads.set(service, tries + 1);
        if (this.handlers.get(service) === loading) this.handlers.delete(service);
      });
      this.handlers.set(service, (h = loading));
    }
    return h;
  }

  invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult> {
    const loading = this.handler(service);
    if (!loading) return Promise.resolve({ ok: false, errorType: "ResourceNotFound", errorMessage: `no service ${service}` });
    return loading.then((h) => this.run(h, event, trace), initError);
  }

  private run(h: Handler, event: unknown, trace: string | undefined): Promise<ExecResult> {
    // Lambda's timeout: the runtime stops the execution at its deadline (it can issue nothing
    // more after it); should it not answer by then, the invocation is over for its caller anyway.
    const limit = this.timeoutMs + TIMEOUT_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ExecResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${limit} ms` }),
        limit,
      );
      timer.unref();
    });
    const run: Promise<ExecResult> = h(event).then(
      (payload) => ({ ok: true, payload }),
      (e: unknown) => ({ ok: false, errorType: (e as Error)?.name ?? "Error", errorMessage: String((e as Error)?.message ?? e) }),
    );
    const racers = [run, timedOut];
    if (trace) racers.push(this.traces.killed(trace).then((): ExecResult => ({ killed: true })));
    return Promise.race(racers).finally(() => clearTimeout(timer));
  }

  kill(): void {
    // Nothing to stop: the stack refuses every later request of the tree.
  }

  async close(): Promise<void> {}
}

/** A handler module that failed to load or to start, answered as Lambda's runtime answers an init failure. */
function initError(e: unknown): ExecResult {
  const err = e as NodeJS.ErrnoException | undefined;
  const missing = err?.code === "ERR_MODULE_NOT_FOUND";
  return {
    ok: false,
    errorType: missing ? "Runtime.ImportModuleError" : "Runtime.InitError",
    errorMessage: `the handler module failed to load: ${err?.name ?? "Error"}: ${String(err?.message ?? e)}`,
  };
}
