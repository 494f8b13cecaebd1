// The web console's HTTP server (node:http, loopback only): the page's static files and a small
// JSON API over ConsoleData. Anything on this machine can reach a loopback port, browsers' other
// tabs included: requests must name this server as their Host (no DNS rebinding), and a POST must
// be JSON from this origin (a cross-site form cannot send one without a preflight we never allow).
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ApiError, type ConsoleData } from "./data.js";

export interface ConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  data: ConsoleData;
  /** the app's graph as SVG, or null when it cannot be drawn now */
  graph: () => Promise<string | null>;
  status: () => unknown;
  /** 0: any free port */
  port: number;
}

const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
  "/console.js": { file: "console.js", type: "text/javascript; charset=utf-8" },
};

const STATIC_DIR = fileURLToPath(new URL("./static/", import.meta.url));
const MAX_BODY = 1 << 20;

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // the page's own files only: no inline script, nothing from elsewhere, not framed
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** A port already taken (EADDRINUSE), told apart so the command can say what to do. */
export class PortInUse extends Error {
  constructor(port: number) {
    super(`port ${port} on 127.0.0.1 is in use: choose another with --port (0 picks a free one)`);
    this.name = "PortInUse";
  }
}

export async function startConsole(o: ConsoleOptions): Promise<ConsoleServer> {
  let port = o.port;
  const server = createServer((req, res) => {
    void handle(o, port, req, res).catch((e) => send(res, 500, { error: `internal error: ${(e as Error).message}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" ? new PortInUse(o.port) : e));
    server.listen(o.port, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(o: ConsoleOptions, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ours = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!ours.includes(req.headers.host ?? "")) return send(res, 421, { error: "this console answers only as 127.0.0.1 or localhost" });
  const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
  const method = req.method ?? "GET";
  const page = STATIC[url.pathname];
  if (page && method === "GET") {
    res.writeHead(200, { "Content-Type": page.type, "Cache-Control": "no-cache", ...SECURITY_HEADERS });
    res.end(readFileSync(STATIC_DIR + page.file));
    return;
  }
  if (!url.pathname.startsWith("/api/")) return send(res, 404, { error: `no page ${url.pathname}` });
  if (method === "POST") {
    const origin = req.headers.origin;
    if (origin !== undefined && !ours.some((h) => origin === `http://${h}`))
      return send(res, 403, { error: "a request from another site" });
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return send(res, 415, { error: "send JSON" });
  } else if (method !== "GET") {
    return send(res, 405, { error: `${method} is not answered here` });
  }
  try {
    const body = method === "POST" ? await readJson(req) : undefined;
    const answer = await route(o, method, url.pathname.slice("/api/".length).split("/").map(decodeURIComponent), body);
    if (answer.kind === "svg") {
      res.writeHead(200, { "Content-Type": "image/svg+xml", "Cache-Control": "no-store", ...SECURITY_HEADERS });
      res.end(answer.svg);
    } else send(res, 200, answer.json);
  } catch (e) {
    if (e instanceof ApiError) return send(res, e.status, { error: e.message });
    throw e;
  }
}

type Answer = { kind: "json"; json: unknown } | { kind: "svg"; svg: string };

async function route(o: ConsoleOptions, method: string, parts: string[], body: unknown): Promise<Answer> {
  const json = (x: unknown): Answer => ({ kind: "json", json: x });
  const [what, arg, ...rest] = parts;
  if (rest.length) throw new ApiError(404, "no such API path");
  const get = method === "GET";
  if (get && what === "status" && arg === undefined) return json(o.status());
  if (get && what === "app" && arg === undefined) return json(o.data.app());
  if (get && what === "versions" && arg === undefined) return json(await o.data.versions());
  if (get && what === "graph.svg" && arg === undefined) {
    const svg = await o.graph();
    if (svg === null) throw new ApiError(404, "no graph to draw yet");
    return { kind: "svg", svg };
  }
  if (get && what === "instances") return json(arg === undefined ? await o.data.instances() : await o.data.instance(arg));
  if (what === "tables") {
    if (get) return json(arg === undefined ? o.data.tables() : await o.data.rows(arg));
    if (arg !== undefined) {
      const b = (body ?? {}) as { key?: unknown; value?: unknown };
      await o.data.putRow(arg, b.key, b.value);
      return json({ ok: true });
    }
  }
  if (!get && what === "invoke" && arg === undefined) return json(await o.data.invoke(body));
  if (!get && what === "signal" && arg === undefined) return json(await o.data.signal(body));
  throw new ApiError(404, `no API ${method} /api/${parts.join("/")}`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new ApiError(413, `a request body is at most ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new ApiError(400, "the body is not JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}
