// CPU time spent while a measured window runs: this process's (process.cpuUsage: the clients,
// the invoke server, the store proxy, dynalite and, inline, the handlers) and its descendant
// processes' (worker processes under `--isolation process`, DynamoDB Local's JVM), read from
// /proc in clock ticks (Linux only; elsewhere that part is left out and said so).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface CpuMs {
  /** user + system ms of this process */
  self: number;
  /** user + system ms of descendant processes (live ones, plus the reaped ones' share); NaN when /proc is unreadable */
  others: number;
}

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  } catch {
    return 10; // the usual 100 Hz
  }
})();

interface Stat {
  ppid: number;
  /** utime + stime, in ticks */
  own: number;
  /** cutime + cstime: reaped children's, in ticks */
  reaped: number;
}

function stat(pid: string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; the fields after it start at field 3.
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // it exited meanwhile
  }
}

/** Ticks of this process's descendants: the live ones', plus those of the ones already reaped. */
function descendantsTicks(): number {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s) stats.set(Number(name), s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = stats.get(process.pid)?.reaped ?? 0;
  const todo = [...(children.get(process.pid) ?? [])];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    const s = stats.get(pid)!;
    ticks += s.own + s.reaped; // and what it reaped of its own children
    todo.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

export function cpuNow(): CpuMs {
  const u = process.cpuUsage();
  let others = NaN;
  try {
    others = descendantsTicks() * TICK_MS;
  } catch {
    // no /proc: only this process's time is known
  }
  return { self: (u.user + u.system) / 1000, others };
}

export function cpuSince(before: CpuMs): CpuMs {
  const now = cpuNow();
  return { self: now.self - before.self, others: now.others - before.others };
}
