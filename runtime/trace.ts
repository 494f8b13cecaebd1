// The invocation tree a request belongs to. The local stack tags an entry invocation with a
// trace id; the runtime sends it along with every store and invoke request of that tree so the
// stack can count them and inject crashes. On AWS there is none and nothing is added.
import { AsyncLocalStorage } from "node:async_hooks";

export const TRACE_HEADER = "x-beldi-trace";

export const currentTrace = new AsyncLocalStorage<string | undefined>();

/** Adds the trace header to every request of an AWS SDK client. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types differ per client; only the header is touched
export function addTraceHeader(client: { middlewareStack: { add: (mw: any, opts: { step: "build"; name: string }) => void } }): void {
  client.middlewareStack.add(
    // biome-ignore lint/suspicious/noExplicitAny: as above
    (next: (args: any) => Promise<unknown>) => async (args: any) => {
      const trace = currentTrace.getStore();
      if (trace && args.request?.headers) args.request.headers[TRACE_HEADER] = trace;
      return next(args);
    },
    { step: "build", name: "beldiTraceHeader" },
  );
}

/** The name of the error the local stack answers with once it has killed a trace. */
export const KILLED_ERROR = "InstanceKilled";

export function isKilled(e: unknown): boolean {
  return (e as { name?: string })?.name === KILLED_ERROR;
}
