// Runs each invocation in a child process of its service (one invocation per process at a
// time, like a Lambda container), so killing a tree is a real process death.
//
// Every executor (one per stack) owns its processes, and no more of them than a bound: like a
// Lambda function's concurrency limit, at most `maxWorkers` processes per service are alive
// (starting, idle, busy or ending). The bound is per service, not per stack, because a caller
// holds its process while its callee runs: with one shared bound, callers could hold every
// process while their callees wait, and no call chain would finish. An invocation past the
// bound waits for a process (first come, first served) and is throttled as Lambda throttles
// (429 TooManyRequestsException) if none is free within `queueMs`. Idle processes end after
// `idleMs`; `close()` ends every process and waits for them, so a crash sweep that starts and
// stops a stack per crash point never accumulates processes (issue 17: 1,140 children, 19 GB).
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";
import type { RuntimeConfig } from "../runtime/config.js";
import type { Executor, ExecutorOptions, ExecResult, WorkerCounts } from "./executor.js";

export interface PoolOptions {
  /** most processes alive per service (default 8: a laptop runs a few services × 8 Node processes comfortably) */
  maxWorkers?: number;
  /**
   * how long an invocation waits for a free process before it is throttled (default 30 s: the
   * local stack is a test bench, so it queues where Lambda would throttle at once, but a cycle
   * of calls into a full service must still end)
   */
  queueMs?: number;
  /** an idle process ends after this long (default 5 s) */
  idleMs?: number;
  /** how long `close()` gives an idle process to exit before SIGKILL (default 1 s) */
  graceMs?: number;
}

export const POOL_DEFAULTS: Required<PoolOptions> = { maxWorkers: 8, queueMs: 30_000, idleMs: 5_000, graceMs: 1_000 };

/** Past the function's timeout Lambda stops the sandbox; we give the handler this much longer to answer first. */
const TIMEOUT_GRACE_MS = 1_000;
/** After SIGKILL a process is gone at once; this only keeps `close()` from hanging on one the kernel holds. */
const REAP_BOUND_MS = 5_000;

interface Worker {
  child: ChildProcess;
  pool: Pool;
  /** answered `ready`: its bundle is loaded */
  started: boolean;
  /** true once started, false if it exited first */
  ready: Promise<boolean>;
  /** resolves when the process has exited (its slot is free) */
  exited: Promise<void>;
  gone: boolean;
  /** held by an invocation (from acquire to release) */
  taken: boolean;
  /** the trace of the invocation it is running */
  trace?: string;
  pending?: { id: number; resolve(r: ExecResult): void };
  /** why we are ending it (the first reason wins); an ending worker takes no invocation */
  ending?: "kill" | "timeout" | "close" | "idle" | "broken";
  /** the invocation timeout it was killed for */
  timedOutAfter?: number;
  timer?: NodeJS.Timeout;
}

interface Waiter {
  trace: string | undefined;
  timer: NodeJS.Timeout;
  resolve(got: Worker | ExecResult): void;
}

interface Pool {
  service: string;
  bundle: string;
  live: Set<Worker>;
  /** most recently used last: reuse takes the warmest, the reaper ends the coldest */
  idle: Worker[];
  waiters: Waiter[];
}

const THROTTLED: ExecResult = { ok: false, throttled: true, errorType: "TooManyRequestsException", errorMessage: "Rate Exceeded." };
const CLOSED: ExecResult = { ok: false, errorType: "Runtime.ExitError", errorMessage: "the executor is closed" };

let nextId = 1;
let workerScript: string | undefined;
/** Executors not yet closed, for `stopAllWorkers()`. */
const open = new Set<ProcessExecutor>();

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The worker as plain JavaScript, written once per version into the cache. */
function workerPath(cacheDir: string): string {
  if (workerScript) return workerScript;
  const source = readFileSync(fileURLToPath(new URL("./worker.ts", import.meta.url)), "utf8");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 12);
  const out = path.join(cacheDir, `worker-${hash}.mjs`);
  if (!existsSync(out)) {
    mkdirSync(cacheDir, { recursive: true });
    const js = transformSync(source, { loader: "ts", format: "esm", target: "node20" }).code;
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, js);
    renameSync(tmp, out); // atomic: a concurrent reader never sees half a file
  }
  return (workerScript = out);
}

/** Lets this process exit while the worker idles; a busy (or closing) worker holds it. */
function hold(w: Worker, held: boolean): void {
  const channel = w.child.channel as { ref?(): void; unref?(): void } | undefined;
  if (held) {
    w.child.ref();
    channel?.ref?.();
  } else {
    w.child.unref();
    channel?.unref?.();
  }
}

export class ProcessExecutor implements Executor {
  private readonly script: string;
  private readonly pools = new Map<string, Pool>();
  private readonly pool: Required<PoolOptions>;
  private peak = 0;
  private closing?: Promise<void>;

  constructor(
    private readonly o: ExecutorOptions,
    cacheDir: string,
    pool: PoolOptions = {},
  ) {
    this.script = workerPath(cacheDir);
    this.pool = { ...POOL_DEFAULTS, ...pool };
    if (!(this.pool.maxWorkers >= 1)) throw new Error(`maxWorkers must be at least 1, got ${this.pool.maxWorkers}`);
    open.add(this);
  }

  async invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult> {
    if (this.closing) return CLOSED;
    const bundle = this.o.bundles[service];
    if (!bundle) return { ok: false, errorType: "ResourceNotFound", errorMessage: `no service ${service}` };
    let pool = this.pools.get(service);
    if (!pool) this.pools.set(service, (pool = { service, bundle, live: new Set(), idle: [], waiters: [] }));
    const got = await this.acquire(pool, trace);
    if (!("child" in got)) return got;
    const w = got;
    w.trace = trace;
    hold(w, true);
    try {
      const id = nextId++;
      const result = new Promise<ExecResult>((resolve) => (w.pending = { id, resolve }));
      // A worker that dies first (start failure, kill, close) answers through its exit.
      void w.ready.then((started) => started && !w.ending && this.send(w, id, event));
      return await result;
    } finally {
      clearTimeout(w.timer);
      this.release(w);
    }
  }

  private send(w: Worker, id: number, event: unknown): void {
    w.child.send({ id, config: this.o.config satisfies RuntimeConfig, event }, (err) => {
      if (err) this.end(w, "broken", "SIGKILL");
    });
    // Lambda's function timeout; read loosely, as a config made before it existed lacks it.
    const timeoutMs = (this.o.config as { timeoutMs?: number }).timeoutMs;
    if (timeoutMs === undefined) return;
    w.timer = setTimeout(() => {
      if (w.pending?.id !== id) return;
      w.timedOutAfter = timeoutMs;
      this.end(w, "timeout", "SIGKILL");
    }, timeoutMs + TIMEOUT_GRACE_MS);
    w.timer.unref();
  }

  /** A worker for the pool now (idle or new, within the bound), or later from the queue, or a throttle. */
  private acquire(pool: Pool, trace: string | undefined): Promise<Worker | ExecResult> {
    const w = this.takeIdle(pool) ?? (pool.live.size < this.pool.maxWorkers ? this.spawn(pool) : undefined);
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        trace,
        resolve,
        timer: setTimeout(() => {
          pool.waiters.splice(pool.waiters.indexOf(waiter), 1);
          resolve(THROTTLED);
        }, this.pool.queueMs),
      };
      pool.waiters.push(waiter);
    });
  }

  private takeIdle(pool: Pool): Worker | undefined {
    const w = pool.idle.pop();
    if (!w) return undefined;
    clearTimeout(w.timer);
    w.taken = true;
    return w;
  }

  /** Hands free capacity (an idle worker or a free slot) to waiting invocations, oldest first. */
  private wake(pool: Pool): void {
    while (pool.waiters.length && !this.closing) {
      const w = this.takeIdle(pool) ?? (pool.live.size < this.pool.maxWorkers ? this.spawn(pool) : undefined);
      if (!w) return;
      const waiter = pool.waiters.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(w);
    }
  }

  private release(w: Worker): void {
    w.taken = false;
    w.trace = undefined;
    w.pending = undefined;
    if (w.gone || w.ending) return; // its exit frees the slot
    if (this.closing) {
      this.end(w, "close", "SIGTERM");
      return;
    }
    w.pool.idle.push(w);
    hold(w, false);
    w.timer = setTimeout(() => this.end(w, "idle", "SIGTERM"), this.pool.idleMs);
    w.timer.unref();
    this.wake(w.pool);
  }

  private spawn(pool: Pool): Worker {
    const child = fork(this.script, [], {
      env: { ...process.env, BELDI_BUNDLE: pool.bundle, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv: [],
    });
    let exited!: () => void;
    let ready!: (started: boolean) => void;
    const w: Worker = {
      child,
      pool,
      started: false,
      ready: new Promise((r) => (ready = r)),
      exited: new Promise((r) => (exited = r)),
      gone: false,
      taken: true,
    };
    pool.live.add(w);
    this.peak = Math.max(this.peak, this.workers().live);

    child.on(
      "message",
      (m: { ready?: boolean; id?: number; ok?: boolean; payload?: unknown; errorType?: string; errorMessage?: string }) => {
        if (m?.ready) {
          w.started = true;
          ready(true);
          return;
        }
        if (m?.id === undefined || !w.pending || w.pending.id !== m.id) return;
        const p = w.pending;
        w.pending = undefined;
        p.resolve(
          m.ok ? { ok: true, payload: m.payload } : { ok: false, errorType: m.errorType ?? "Error", errorMessage: m.errorMessage ?? "" },
        );
      },
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (w.gone) return;
      w.gone = true;
      clearTimeout(w.timer);
      pool.live.delete(w);
      const i = pool.idle.indexOf(w);
      if (i >= 0) pool.idle.splice(i, 1);
      ready(false);
      const p = w.pending;
      w.pending = undefined;
      p?.resolve(this.exitResult(w, code, signal));
      exited();
      this.wake(pool);
    };
    child.on("exit", onExit);
    // A fork that failed (EAGAIN, ENOMEM) may never emit `exit`.
    child.on("error", () => {
      if (child.pid === undefined) onExit(null, null);
    });
    // Its channel closed but it lives on (it should exit on disconnect): make sure it goes.
    child.on("disconnect", () => void delay(this.pool.graceMs).then(() => w.gone || child.kill("SIGKILL")));
    return w;
  }

  private exitResult(w: Worker, code: number | null, signal: NodeJS.Signals | null): ExecResult {
    const how = signal ?? code;
    switch (w.ending) {
      case "timeout":
        return { ok: false, errorType: "Sandbox.Timedout", errorMessage: `Task timed out after ${w.timedOutAfter} ms` };
      case "kill":
      case "close":
        return w.trace ? { killed: true } : { ok: false, errorType: "Runtime.ExitError", errorMessage: `process exited (${how})` };
      case undefined:
        if (signal === "SIGKILL" && w.trace) return { killed: true };
        if (!w.started)
          return { ok: false, errorType: "Runtime.InitError", errorMessage: `worker for ${w.pool.service} exited during start (${how})` };
    }
    return { ok: false, errorType: "Runtime.ExitError", errorMessage: `process exited (${how})` };
  }

  /** Ends a worker; its slot is free once it has exited. */
  private end(w: Worker, why: NonNullable<Worker["ending"]>, signal: NodeJS.Signals): void {
    if (w.gone) return;
    w.ending ??= why;
    const i = w.pool.idle.indexOf(w);
    if (i >= 0) w.pool.idle.splice(i, 1);
    clearTimeout(w.timer);
    w.child.kill(signal);
  }

  kill(trace: string): void {
    for (const pool of this.pools.values()) {
      for (const w of pool.live) if (w.taken && w.trace === trace) this.end(w, "kill", "SIGKILL");
      // Queued invocations of the tree die with it, before they start.
      for (const waiter of pool.waiters.filter((x) => x.trace === trace)) {
        pool.waiters.splice(pool.waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve({ killed: true });
      }
    }
  }

  /** Its processes now (starting, idle, busy or ending; busy = held by an invocation) and the most alive at once so far. */
  workers(): WorkerCounts {
    let live = 0;
    let busy = 0;
    for (const pool of this.pools.values()) {
      live += pool.live.size;
      for (const w of pool.live) if (w.taken) busy++;
    }
    return { live, busy, peak: this.peak };
  }

  /** Ends every process of this executor (running invocations at once) and waits until they have exited. */
  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    open.delete(this);
    const all: Worker[] = [];
    for (const pool of this.pools.values()) {
      for (const waiter of pool.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.resolve(CLOSED);
      }
      all.push(...pool.live);
    }
    for (const w of all) {
      hold(w, true); // whoever awaits close() must see the end of it
      this.end(w, "close", w.taken ? "SIGKILL" : "SIGTERM");
    }
    const exited = Promise.all(all.map((w) => w.exited));
    if (await Promise.race([exited.then(() => true), delay(this.pool.graceMs).then(() => false)])) return;
    for (const w of all) if (!w.gone) w.child.kill("SIGKILL");
    await Promise.race([exited, delay(REAP_BOUND_MS)]);
  }
}

/** Closes every executor not yet closed (end of a run): no worker process outlives it. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...open].map((e) => e.close()));
}
