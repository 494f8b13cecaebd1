// Our own Lambda Invoke API on loopback (POST /2015-03-31/functions/{name}/invocations), so the
// runtime's real @aws-sdk/client-lambda calls reach the stack's functions unchanged.
import http from "node:http";
import { listenOnLoopback, type Listening } from "./loopback.js";
import { KILLED_ERROR } from "../runtime/trace.js";
import type { ExecResult } from "./executor.js";
import type { RequestCounts, Traces } from "./traces.js";

const SYNC_LIMIT = 6 * 1024 * 1024;
const EVENT_LIMIT = 256 * 1024;
const ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** The invocation types Lambda's Invoke API takes (X-Amz-Invocation-Type); anything else is a 400 there. */
const INVOCATION_TYPES = new Set(["RequestResponse", "Event", "DryRun"]);

/**
 * An event run apart from its sender's tree: its envelope without the trace id. A client's own
 * event has no envelope and is passed on as sent (given one, the handler would refuse it as forged).
 */
function untraced(event: unknown): unknown {
  if (event === null || typeof event !== "object" || Array.isArray(event) || !Object.hasOwn(event, "beldi")) return event;
  const { beldi, ...rest } = event as { beldi: unknown };
  if (beldi === null || typeof beldi !== "object" || Array.isArray(beldi)) return event;
  const { trace: _trace, ...kept } = beldi as Record<string, unknown>;
  return { ...rest, beldi: kept };
}

/** A function (at a version) the server can run. */
export interface Target {
  service: string;
  /** the app version it runs (Lambda's `x-amz-executed-version`) */
  version: string;
  invoke(event: unknown, trace: string | undefined): Promise<ExecResult>;
}

export interface InvokeServerOptions {
  /** the function a name and qualifier (`$LATEST`, an alias, or none) name, if it exists */
  resolve(functionName: string, qualifier: string | undefined): Target | undefined;
  traces: Traces;
  counts: RequestCounts;
  kill(trace: string): void;
  /** tests: whether to lose this event instead of running it */
  dropEvent?: (service: string, event: unknown) => boolean;
  /** called with every event's run, so the stack can wait for them */
  onEvent?: (run: Promise<ExecResult>) => void;
}

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

function error(res: http.ServerResponse, status: number, type: string, message: string): void {
  reply(res, status, { Type: "User", message }, { "x-amzn-errortype": type });
}

/**
 * The function name and qualifier from a name, `name:qualifier` or an ARN, and the `Qualifier`
 * query parameter; null when the name is not valid percent-encoding.
 */
export function functionOf(raw: string, query: string): { name: string; qualifier?: string } | null {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const parts = text.startsWith("arn:") ? text.split(":").slice(6) : text.split(":");
  const qualifier = new URLSearchParams(query).get("Qualifier") ?? parts[1];
  return { name: parts[0] ?? text, ...(qualifier ? { qualifier } : {}) };
}

export async function startInvokeServer(o: InvokeServerOptions): Promise<Listening> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= SYNC_LIMIT + 1) chunks.push(c);
    });
    // whatever goes wrong in serving is an answer, never an unhandled rejection that ends the stack
    req.on("end", () =>
      serve(req, res, Buffer.concat(chunks), size).catch((e: unknown) =>
        error(res, 500, "ServiceException", `the local invoke API failed: ${(e as Error)?.message ?? e}`),
      ),
    );
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, size: number): Promise<void> {
    const [route, query = ""] = (req.url ?? "").split("?");
    const m = ROUTE.exec(route!);
    if (req.method !== "POST" || !m) return error(res, 404, "UnknownOperationException", `no such operation: ${req.method} ${req.url}`);
    const fn = functionOf(m[1]!, query);
    if (!fn) return error(res, 400, "InvalidParameterValueException", `the function name is not valid percent-encoding: ${m[1]}`);
    const target = o.resolve(fn.name, fn.qualifier);
    const shown = fn.qualifier ? `${fn.name}:${fn.qualifier}` : fn.name;
    if (!target) return error(res, 404, "ResourceNotFoundException", `Function not found: ${shown}`);
    const { service } = target;
    const type = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
    if (!INVOCATION_TYPES.has(type)) {
      return error(
        res,
        400,
        "InvalidParameterValueException",
        `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not ${type}`,
      );
    }
    if (type === "DryRun") return reply(res, 204, undefined);
    const limit = type === "Event" ? EVENT_LIMIT : SYNC_LIMIT;
    if (size > limit) {
      return error(
        res,
        413,
        type === "Event" ? "RequestEntityTooLargeException" : "RequestTooLargeException",
        `payload of ${size} bytes is over ${limit}`,
      );
    }
    // biome-ignore lint/suspicious/noExplicitAny: any JSON a client sends; the handler validates it
    let event: any;
    try {
      event = body.length ? JSON.parse(body.toString("utf8")) : {};
    } catch {
      return error(res, 400, "InvalidRequestContentException", "Could not parse request body into json");
    }
    const trace: string | undefined = event?.beldi?.trace;
    if (o.traces.isDead(trace)) return error(res, 400, KILLED_ERROR, "the invocation tree was killed by the local stack");
    // Requests made by an instance are counted (and may be crash points); a client's are not.
    const byInstance = typeof event?.beldi?.kind === "string" || type === "Event";
    const n = byInstance ? o.traces.issue(trace, () => `${type === "Event" ? "InvokeEvent" : "Invoke"} ${service}`) : undefined;
    if (byInstance) o.counts.add(type === "Event" ? "InvokeEvent" : "Invoke");

    if (type === "Event") {
      const lost = o.dropEvent?.(service, event) ?? false;
      if (!lost) {
        if (trace && o.traces.isLive(trace)) {
          // an event its tree still waits for (a signal's or a traced wake-up pass's resumption): traced, crashable
          o.onEvent?.(target.invoke(event, trace));
        } else {
          o.onEvent?.(target.invoke(untraced(event), undefined));
        }
      }
      if (trace && o.traces.isCrashPoint(trace, n)) {
        o.kill(trace);
        return error(res, 400, KILLED_ERROR, "the invocation tree was killed by the local stack");
      }
      return reply(res, 202, undefined);
    }

    const r = await target.invoke(event, trace);
    if (trace && o.traces.isCrashPoint(trace, n)) o.kill(trace); // the callee ran; its answer is lost
    if ("killed" in r || o.traces.isDead(trace)) return error(res, 400, KILLED_ERROR, "the invocation tree was killed by the local stack");
    // No free worker in time: Lambda's throttle, which callers (and the SDK) retry.
    if ("throttled" in r) return error(res, 429, "TooManyRequestsException", r.errorMessage);
    if (r.ok) return reply(res, 200, r.payload, { "x-amz-executed-version": target.version });
    return reply(res, 200, { errorType: r.errorType, errorMessage: r.errorMessage, trace: [] }, { "x-amz-function-error": "Unhandled" });
  }

  return listenOnLoopback(server);
}
