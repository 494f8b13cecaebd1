// Process isolation forks within a bound (issue 17): each executor owns at most `maxWorkers`
// processes per service, queues or throttles past it, reaps idle ones, kills an invocation
// past its timeout, and leaves no process behind after close() or after its parent dies. Real
// processes throughout; the sweep runs on a CPU starved by one busy-loop process per core.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheRoot } from "../local/build-cache.js";
import type { ExecResult, ExecutorOptions } from "../local/executor.js";
import { ProcessExecutor, stopAllWorkers, type PoolOptions } from "../local/process-executor.js";
import { setTimeout as sleep } from "node:timers/promises";

// A tiny app bundle (what a worker imports from a built service): it sleeps, spins the CPU or
// hangs as the event says, and answers with its pid.
const dir = mkdtempSync(path.join(tmpdir(), "beldi-pool-"));
const BUNDLE = `export function createHandler(config) {
  return async (event) => {
    if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
    if (event.spin) { const end = Date.now() + event.spin; while (Date.now() < end); }
    if (event.hang) await new Promise(() => {});
    return { pid: process.pid, app: config.app };
  };
}
`;
const bundles: Record<string, string> = {};
for (const service of ["a", "b"]) {
  mkdirSync(path.join(dir, service));
  writeFileSync((bundles[service] = path.join(dir, service, "index.mjs")), BUNDLE);
}

function config(timeoutMs?: number): ExecutorOptions["config"] {
  return {
    app: "tiny",
    prefix: "t-",
    region: "us-east-1",
    rowCapacity: 1000,
    windowMs: 60_000,
    returnsOldOnConditionFailure: true,
    timeoutMs,
    envelopeKey: "test-key",
  } as ExecutorOptions["config"];
}

function executor(pool: PoolOptions, timeoutMs?: number): ProcessExecutor {
  return new ProcessExecutor({ bundles, config: config(timeoutMs) }, cacheRoot(), pool);
}

/** This process's worker children as the OS sees them (Linux /proc; undefined elsewhere). */
function osWorkers(): number[] | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("worker-")) out.push(Number(name));
    } catch {
      // it exited while we looked
    }
  }
  return out;
}

/** Samples the OS's count of worker children until stopped; returns the most seen at once. */
function sampleOs(everyMs = 50): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, osWorkers()?.length ?? 0)), everyMs);
  return { stop: () => (clearInterval(timer), Math.max(peak, osWorkers()?.length ?? 0)) };
}

/** One busy-loop process per core: the starved, loaded machine of issue 17. */
function hogCpus(): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
}

const kind = (r: ExecResult) => ("killed" in r ? "killed" : r.ok ? "ok" : "throttled" in r ? "throttled" : r.errorType);
/** Whether the process runs (a zombie, exited but not yet reaped by whoever adopted it, does not). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return !existsSync("/proc/self/stat"); // gone now, or no /proc to ask
  }
};

test("200 crash points, a fresh executor each, on a starved CPU: never past the bound, nothing left after close", async () => {
  const MAX = 1; // per service, two services: at most 2 processes per executor
  const BOUND = 2 * MAX;
  const LANES = 5; // executors alive at once, as the stacks of concurrent sweeps overlap
  const POINTS = 200;
  const hogs = hogCpus();
  const os = sampleOs();
  const seenPids = new Set<number>();
  const kinds = new Map<string, number>();
  let peak = 0;
  const started = Date.now();
  try {
    const lane = async (first: number) => {
      for (let k = first; k <= POINTS; k += LANES) {
        const ex = executor({ maxWorkers: MAX });
        const trace = `t${k}`;
        // A tree of two invocations of one service (one queues), on odd points a third in the
        // other service, and on every third point an untraced one (an event or a collector
        // pass); the kill moves through the tree's life: before a worker is up, while one
        // queues, after answers.
        const runs = [
          ex.invoke("a", { sleep: 5 + (k % 40) }, trace),
          ex.invoke("a", { sleep: 5 }, trace),
          ...(k % 2 ? [ex.invoke("b", { sleep: 5 + (k % 20) }, trace)] : []),
          ...(k % 3 === 0 ? [ex.invoke("b", { sleep: 10 }, undefined)] : []),
        ];
        const bound = (k % 2 || k % 3 === 0 ? 2 : 1) * MAX; // the services it uses × MAX
        // Every fifth point has no crash (the sweep's last point).
        await sleep((k * 37) % 400);
        if (k % 5 !== 0) ex.kill(trace);
        // Half the points stop at once, like a stack stopped in `finally` with work in flight.
        if (k % 4 < 2) await Promise.all(runs);
        await ex.close();
        for (const r of await Promise.all(runs)) {
          kinds.set(kind(r), (kinds.get(kind(r)) ?? 0) + 1);
          if (!("killed" in r) && r.ok) seenPids.add((r.payload as { pid: number }).pid);
        }
        const w = ex.workers();
        assert.equal(w.live, 0, `crash point ${k}: live workers after close`);
        assert.equal(w.busy, 0, `crash point ${k}: busy workers after close`);
        assert.ok(w.peak <= bound, `crash point ${k}: ${w.peak} workers at once, over the bound ${bound}`);
        peak = Math.max(peak, w.peak);
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i + 1)));
  } finally {
    for (const h of hogs) h.kill("SIGKILL");
  }
  const osPeak = os.stop();
  const left = osWorkers();
  console.log(
    `    ${POINTS} crash points in ${((Date.now() - started) / 1000).toFixed(1)} s: peak ${peak} workers per executor (bound ${BOUND}), ` +
      `peak ${osPeak} worker processes at once (OS, ${LANES} executors alive), results ${JSON.stringify(Object.fromEntries(kinds))}`,
  );
  assert.ok(osPeak <= LANES * BOUND, `the OS saw ${osPeak} worker processes, over ${LANES} × ${BOUND}`);
  assert.equal(left ?? [], [], "worker processes left after the last close()");
  assert.equal([...seenPids].filter(alive), [], "a worker that answered is gone");
  // Only what a crash or a stop explains: no throttle (the queue waits), no failed start.
  assert.equal(
    [...kinds.keys()].filter((k) => !["ok", "killed", "Runtime.ExitError"].includes(k)),
    [],
  );
});

test("N > bound concurrent invocations: none forks past the bound, the extra ones wait their turn", async () => {
  const ex = executor({ maxWorkers: 2 });
  const os = sampleOs(20);
  try {
    const results = await Promise.all(Array.from({ length: 8 }, () => ex.invoke("a", { sleep: 150 }, undefined)));
    assert.equal(results.map(kind), Array(8).fill("ok"));
    const pids = new Set(results.map((r) => (r as { payload: { pid: number } }).payload.pid));
    assert.ok(pids.size <= 2, `${pids.size} processes answered`);
    assert.equal(ex.workers().peak, 2);
    assert.equal(ex.workers().busy, 0);
    assert.ok(os.stop() <= 2, "the OS saw more than 2 workers");
  } finally {
    os.stop();
    await ex.close();
  }
  assert.equal(ex.workers().live, 0);
});

test("an invocation that cannot get a worker within queueMs is throttled (429); a killed tree's queued ones die with it", async () => {
  const ex = executor({ maxWorkers: 1, queueMs: 150 });
  try {
    const results = await Promise.all([
      ex.invoke("a", { sleep: 1500 }, undefined),
      ex.invoke("a", { sleep: 10 }, undefined),
      ex.invoke("a", { sleep: 10 }, undefined),
    ]);
    assert.equal(results.map(kind), ["ok", "throttled", "throttled"]);
    assert.equal(results[1], { ok: false, throttled: true, errorType: "TooManyRequestsException", errorMessage: "Rate Exceeded." });
    assert.equal(ex.workers().peak, 1);

    const runs = [ex.invoke("a", { sleep: 5000 }, "tree"), ex.invoke("a", { sleep: 10 }, "tree")];
    await sleep(50);
    ex.kill("tree");
    assert.equal((await Promise.all(runs)).map(kind), ["killed", "killed"]);
  } finally {
    await ex.close();
  }
  assert.equal(ex.workers().live, 0);
  assert.equal(kind(await ex.invoke("a", {}, undefined)), "Runtime.ExitError", "a closed executor forks nothing");
  assert.equal(ex.workers().live, 0);
});

test("an invocation past its timeout is killed (SIGKILL, even spinning the CPU) and reported as Sandbox.Timedout", async () => {
  const ex = executor({}, 300);
  try {
    for (const event of [{ spin: 60_000 }, { hang: true }]) {
      const t = Date.now();
      const r = await ex.invoke("a", event, "timed");
      const took = Date.now() - t;
      assert.equal(r, { ok: false, errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 300 ms" });
      // killed, not finished: the spin would take 60 s (the bound is loose: a loaded machine is slow to fork and reap)
      assert.ok(took >= 1300 && took < 45_000, `answered after ${took} ms`);
      assert.equal(ex.workers().live, 0, "the timed-out process is gone");
    }
    const ok = await ex.invoke("a", { sleep: 10 }, undefined);
    assert.equal(kind(ok), "ok", "a fresh worker runs the next invocation");
  } finally {
    await ex.close();
  }
});

test("idle workers are reaped after idleMs; stopAllWorkers() closes every open executor", async () => {
  const ex = executor({ idleMs: 200 });
  const r = await ex.invoke("a", {}, undefined);
  const pid = (r as { payload: { pid: number } }).payload.pid;
  assert.equal(ex.workers(), { live: 1, busy: 0, peak: 1 });
  const deadline = Date.now() + 5000;
  while (ex.workers().live > 0 && Date.now() < deadline) await sleep(50);
  assert.equal(ex.workers().live, 0, "reaped");
  assert.not.ok(alive(pid));

  const others = [executor({}), executor({})];
  await Promise.all(others.map((e) => e.invoke("b", {}, undefined)));
  assert.equal(
    others.map((e) => e.workers().live),
    [1, 1],
  );
  await stopAllWorkers();
  assert.equal(
    others.map((e) => e.workers().live),
    [0, 0],
  );
  assert.equal(osWorkers() ?? [], []);
});

test("a parent that dies leaves no orphan: its workers exit on IPC disconnect", async () => {
  // A parent that starts an executor, keeps an idle and a busy worker, prints their pids, and is SIGKILLed.
  const script = path.join(dir, "parent.mts");
  const here = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(
    script,
    `import { ProcessExecutor } from ${JSON.stringify(path.join(here, "../local/process-executor.ts"))};
const ex = new ProcessExecutor({ bundles: ${JSON.stringify(bundles)}, config: ${JSON.stringify(config())} }, ${JSON.stringify(cacheRoot())});
const idle = await ex.invoke("a", {}, undefined);
const busy = await ex.invoke("b", {}, undefined);
void ex.invoke("b", { sleep: 60000 }, undefined); // the same (started) b worker, busy from now on
await new Promise((r) => setTimeout(r, 200));
console.log(JSON.stringify([idle.payload.pid, busy.payload.pid]));
setInterval(() => {}, 1000);
`,
  );
  const parent = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
  const pids = await new Promise<number[]>((resolve, reject) => {
    let out = "";
    parent.stdout!.on("data", (d: Buffer) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out) as number[]);
    });
    parent.once("exit", (code) => reject(new Error(`parent exited (${code}) before printing its workers`)));
  });
  assert.equal(pids.filter(alive).length, 2);
  parent.kill("SIGKILL");
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  assert.equal(pids.filter(alive), [], "workers outlived their parent");
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
