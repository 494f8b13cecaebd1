// Runs each invocation in a child process of its service (one invocation per process at a
// time, like a Lambda container), so killing a tree is a real process death. Warm processes
// are pooled per bundle and shared by every stack of this test process (each message carries
// its stack's configuration), so a crash sweep that starts a stack per crash point does not
// pay a fork per function per point.
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";
import type { RuntimeConfig } from "../runtime/config.js";
import type { Executor, ExecutorOptions, ExecResult } from "./executor.js";

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  /** the trace of the invocation it is running */
  trace?: string;
  pending?: { id: number; resolve(r: ExecResult): void };
  dead: boolean;
}

const MAX_IDLE_PER_BUNDLE = 8;
const pools = new Map<string, Worker[]>();
let nextId = 1;
let workerScript: string | undefined;

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

function spawnWorker(script: string, bundle: string): Worker {
  const child = fork(script, [], {
    env: { ...process.env, BELDI_BUNDLE: bundle, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: [],
  });
  const w: Worker = { child, dead: false, ready: Promise.resolve() };
  w.ready = new Promise<void>((resolve, reject) => {
    const onMessage = (m: { ready?: boolean }) => {
      if (m?.ready) {
        child.off("message", onMessage);
        resolve();
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`worker for ${bundle} exited during start (${code})`)));
  });
  w.ready.catch(() => {});
  child.on("message", (m: { id?: number; ok?: boolean; payload?: unknown; errorType?: string; errorMessage?: string }) => {
    if (m?.id === undefined || !w.pending || w.pending.id !== m.id) return;
    const p = w.pending;
    w.pending = undefined;
    p.resolve(m.ok ? { ok: true, payload: m.payload } : { ok: false, errorType: m.errorType ?? "Error", errorMessage: m.errorMessage ?? "" });
  });
  child.on("exit", (code, signal) => {
    w.dead = true;
    const p = w.pending;
    w.pending = undefined;
    if (p) {
      p.resolve(
        signal === "SIGKILL" && w.trace
          ? { killed: true }
          : { ok: false, errorType: "Runtime.ExitError", errorMessage: `process exited (${signal ?? code})` },
      );
    }
  });
  idle(w);
  return w;
}

/** Lets this process exit while workers wait; a busy worker holds it. */
function idle(w: Worker): void {
  w.child.unref();
  (w.child.channel as { unref?(): void } | undefined)?.unref?.();
}

function busy(w: Worker): void {
  w.child.ref();
  (w.child.channel as { ref?(): void } | undefined)?.ref?.();
}

export class ProcessExecutor implements Executor {
  private readonly running = new Set<Worker>();
  private readonly script: string;

  constructor(
    private readonly o: ExecutorOptions,
    cacheDir: string,
  ) {
    this.script = workerPath(cacheDir);
  }

  private acquire(bundle: string): Worker {
    const pool = pools.get(bundle) ?? [];
    pools.set(bundle, pool);
    let w: Worker | undefined;
    while ((w = pool.pop()) && w.dead);
    return w && !w.dead ? w : spawnWorker(this.script, bundle);
  }

  private release(bundle: string, w: Worker): void {
    w.trace = undefined;
    if (w.dead) return;
    const pool = pools.get(bundle)!;
    if (pool.length >= MAX_IDLE_PER_BUNDLE) {
      w.child.kill();
      return;
    }
    idle(w);
    pool.push(w);
  }

  async invoke(service: string, event: unknown, trace: string | undefined): Promise<ExecResult> {
    const bundle = this.o.bundles[service];
    if (!bundle) return { ok: false, errorType: "ResourceNotFound", errorMessage: `no service ${service}` };
    const w = this.acquire(bundle);
    busy(w);
    w.trace = trace;
    this.running.add(w);
    try {
      await w.ready;
      const id = nextId++;
      const result = new Promise<ExecResult>((resolve) => (w.pending = { id, resolve }));
      w.child.send({ id, config: this.o.config satisfies RuntimeConfig, event });
      return await result;
    } catch (e) {
      return { ok: false, errorType: "Runtime.InitError", errorMessage: String((e as Error).message) };
    } finally {
      this.running.delete(w);
      this.release(bundle, w);
    }
  }

  kill(trace: string): void {
    for (const w of this.running) {
      if (w.trace === trace && !w.dead) w.child.kill("SIGKILL");
    }
  }

  async close(): Promise<void> {
    for (const w of this.running) w.child.kill("SIGKILL");
  }
}

/** Stops every pooled worker (end of a test run). */
export function stopAllWorkers(): void {
  for (const pool of pools.values()) for (const w of pool.splice(0)) w.child.kill();
}
