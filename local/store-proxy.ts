// A loopback HTTP front for the store: every request of the stack's functions passes here so
// the stack can count it by kind and, for a traced invocation tree, kill the tree right after
// its k-th request took effect (the answer is lost). One hop on loopback costs ~0.2 ms.
import http from "node:http";
import { listenOnLoopback, type Listening } from "./loopback.js";
import { KILLED_ERROR, TRACE_HEADER } from "../runtime/trace.js";
import { delays, type Slowness } from "./slowness.js";
import type { RequestCounts, Traces } from "./traces.js";

export interface ProxyHooks {
  traces: Traces;
  counts: RequestCounts;
  /** called when a request's answer is about to be lost because its tree dies here */
  kill(trace: string): void;
  /** tests: delay a seeded fraction of answers */
  slowness?: Slowness;
  /** tests: a promise to hold the request by (before it reaches the store), or undefined to pass it on */
  hold?(trace: string | undefined, n: number | undefined): Promise<void> | undefined;
}

export function killedReply(res: http.ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ __type: `com.beldi.local#${KILLED_ERROR}`, message: "the invocation tree was killed by the local stack" });
  res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": KILLED_ERROR });
  res.end(body);
}

/** The table a store request names (its body's TableName; a batch's first table), for naming crash points. */
function tableOf(chunks: Buffer[]): string {
  const m = /"TableName"\s*:\s*"([^"]*)"|"RequestItems"\s*:\s*\{\s*"([^"]*)"/.exec(Buffer.concat(chunks).toString("utf8"));
  return m?.[1] ?? m?.[2] ?? "?";
}

export async function startStoreProxy(backend: string, hooks: ProxyHooks): Promise<Listening> {
  const target = new URL(backend);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const nextDelay = hooks.slowness ? delays(hooks.slowness) : () => 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const trace = req.headers[TRACE_HEADER] as string | undefined;
      const kind =
        String(req.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() || "Unknown";
      if (hooks.traces.isDead(trace)) return killedReply(res);
      hooks.counts.add(kind);
      const n = hooks.traces.issue(trace, () => `${kind} ${tableOf(chunks)}`);
      // A held request reaches the store only when released, long after its sender gave up on
      // it: a request delayed in the network.
      const held = hooks.hold?.(trace, n);
      if (held) await held;
      const delay = nextDelay();
      const headers = { ...req.headers, host: target.host };
      const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (up) => {
        const body: Buffer[] = [];
        up.on("data", (c: Buffer) => body.push(c));
        up.on("end", async () => {
          if (trace && hooks.traces.isCrashPoint(trace, n)) {
            hooks.kill(trace); // the effect is durable; its answer is lost
            return killedReply(res);
          }
          if (delay) await new Promise((r) => setTimeout(r, delay)); // the effect is durable; its answer is late
          if (hooks.traces.isDead(trace)) return killedReply(res);
          if (res.destroyed) return; // the sender gave up on it
          res.writeHead(up.statusCode ?? 500, up.headers);
          res.end(Buffer.concat(body));
        });
      });
      out.on("error", (e) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
          res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: e.message }));
        }
      });
      out.end(Buffer.concat(chunks));
    });
  });
  return listenOnLoopback(server, () => agent.destroy());
}
