// Load for the slowness stress tests (issue 9): starve the CPU with real busy-looping processes,
// so that workers start late, timers fire late and executions run into their deadlines.
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";

export interface CpuHogs {
  /** the hog processes' pids */
  readonly pids: number[];
  /** Kills every hog (SIGKILL) and waits until each has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `count` (default: one per core) child processes that spin the CPU until stopped.
 * They run at normal priority, so they compete with the stack's workers for every core. Each
 * hog also exits on its own when its parent goes away (IPC disconnect), so a test process that
 * dies without reaching its `finally` leaves no spinning orphan.
 */
export function startCpuHogs(count = availableParallelism()): CpuHogs {
  // Spin in slices and yield to the event loop between them, so the `disconnect` event (the
  // parent died) is seen; a slice of 50 ms keeps the core ~100% busy.
  const source = `process.on("disconnect", () => process.exit(0));
const slice = () => { const end = Date.now() + 50; while (Date.now() < end); setImmediate(slice); };
slice();`;
  const hogs: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ["-e", source], { stdio: ["ignore", "ignore", "ignore", "ipc"] }),
  );
  for (const h of hogs) {
    h.on("error", () => {}); // a failed spawn only means less load
    h.unref();
    (h.channel as { unref?: () => void } | undefined)?.unref?.();
  }
  let stopped: Promise<void> | undefined;
  return {
    pids: hogs.map((h) => h.pid).filter((p): p is number => p !== undefined),
    stop() {
      stopped ??= Promise.all(
        hogs.map(
          (h) =>
            new Promise<void>((resolve) => {
              if (h.pid === undefined || h.exitCode !== null || h.signalCode !== null) return resolve();
              h.once("exit", () => resolve());
              h.kill("SIGKILL");
            }),
        ),
      ).then(() => {});
      return stopped;
    },
  };
}
