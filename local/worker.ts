// A child process that runs one service's bundled handler, one invocation at a time (as a
// Lambda container does). Killing it is a real process death. Only node builtins here: the
// local stack turns this file into plain JavaScript once and forks it without a TS loader.
import { pathToFileURL } from "node:url";

type Handler = (event: unknown) => Promise<unknown>;
interface Request {
  id: number;
  config: unknown;
  event: unknown;
}

// No orphans: the worker ends with its parent. Node closes the IPC channel when the parent
// dies ('disconnect'); the parent id check is for a channel that outlives it all the same.
const parent = process.ppid;
process.on("disconnect", () => process.exit(0));
setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();

const bundle = process.env.BELDI_BUNDLE;
if (!bundle || !process.send) {
  console.error("worker: BELDI_BUNDLE and an IPC channel are required");
  process.exit(2);
}
const mod = (await import(pathToFileURL(bundle).href)) as { createHandler(c: unknown): Handler };
const handlers = new Map<string, Handler>();

process.on("message", async (m: Request) => {
  const key = JSON.stringify(m.config);
  let h = handlers.get(key);
  if (!h) handlers.set(key, (h = mod.createHandler(m.config)));
  try {
    const payload = await h(m.event);
    process.send!({ id: m.id, ok: true, payload });
  } catch (e) {
    process.send!({ id: m.id, ok: false, errorType: (e as Error)?.name ?? "Error", errorMessage: String((e as Error)?.message ?? e) });
  }
});
process.send({ ready: true });
