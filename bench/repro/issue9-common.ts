// Shared by the issue-9 reproductions (slow-payments.ts, slow-checkouts.ts): flags, a CPU hog,
// a load sampler, a client that retries as a real one would, and the invariant ledger.
// Only the public local-stack API is used, so the scripts run unchanged on older commits.
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import type { InvokeResult, LocalStack, StartOptions } from "../../local/index.js";

// ---------------------------------------------------------------------------------------------
// Flags: --name value or --name=value; for the timing flags (`*-ms`), `--x default` (or `none`)
// means "leave it to the stack".

export function parseFlags(argv: string[], known: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...known };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) usage(`unexpected argument ${a}`);
    let [name, value] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (!(name in known))
      usage(
        `unknown flag --${name} (known: ${Object.keys(known)
          .map((k) => "--" + k)
          .join(" ")})`,
      );
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) usage(`--${name} needs a value`);
      i++;
    }
    out[name] = name.endsWith("-ms") && (value === "default" || value === "none") ? undefined : value;
  }
  return out;
}

export function usage(msg: string): never {
  console.error(msg);
  process.exit(2);
}

export function num(flags: Record<string, string | undefined>, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) usage(`--${name} must be a number, got ${v}`);
  return n;
}

export function backendOf(v: string | undefined): "dynalite" | "dynamodb-local" {
  if (v === "dynalite" || v === "dynamodb-local") return v;
  return usage(`--backend must be dynalite or dynamodb-local, got ${v}`);
}

/**
 * Stack options. Timing fields are added only when given, so the same script starts a stack on
 * a commit whose StartOptions have no timeoutMs / requestTimeoutMs (they are ignored there).
 */
export function stackOptions(o: {
  app: string;
  backend: "dynalite" | "dynamodb-local";
  isolation: "inline" | "process";
  schedule: boolean;
  windowMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
}): StartOptions {
  const s: Record<string, unknown> = { app: o.app, backend: o.backend, isolation: o.isolation, schedule: o.schedule };
  if (o.windowMs !== undefined) s.windowMs = o.windowMs;
  if (o.timeoutMs !== undefined) s.timeoutMs = o.timeoutMs;
  if (o.requestTimeoutMs !== undefined) s.requestTimeoutMs = o.requestTimeoutMs;
  return s as unknown as StartOptions;
}

/** The timing the stack actually runs with (fields the commit does not have are absent). */
export function timingOf(stack: LocalStack): string {
  const c = stack.runtimeConfig as unknown as Record<string, unknown>;
  const parts = ["windowMs", "timeoutMs", "requestTimeoutMs"].filter((k) => c[k] !== undefined).map((k) => `${k}=${c[k]}`);
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------
// The AWS SDK warns once per store request slower than its own request timeout; under load that
// is hundreds of lines. Count them instead, and print the count with the results.

export const sdkWarnings = { requestTimeout: 0 };
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].includes("exceeded the configured") && args[0].includes("requestTimeout")) {
    sdkWarnings.requestTimeout++;
    return;
  }
  warn(...args);
};

// ---------------------------------------------------------------------------------------------
// Load: one busy-looping child process per core (or --hogs N), and a loadavg sampler.

export class Hog {
  private readonly children: ChildProcess[] = [];
  private samples: number[] = [];
  private timer?: NodeJS.Timeout;

  constructor(n: number) {
    for (let i = 0; i < n; i++) {
      const c = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
      this.children.push(c);
    }
    const stop = () => this.stop();
    process.once("exit", stop);
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        stop();
        process.exit(130);
      });
    }
    this.timer = setInterval(() => this.samples.push(os.loadavg()[0]!), 1000);
    this.timer.unref();
  }

  get count(): number {
    return this.children.length;
  }

  /** 1-minute load average: highest seen and the current one. */
  load(): string {
    const now = os.loadavg()[0]!;
    const max = Math.max(now, ...this.samples);
    return `load(1m) now ${now.toFixed(1)}, max ${max.toFixed(1)} (${os.cpus().length} cores, ${this.children.length} hog(s))`;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const c of this.children.splice(0)) {
      if (c.pid !== undefined && c.exitCode === null) {
        try {
          process.kill(c.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Answers.

export type Kind = "value" | "failed" | "crashed" | "R0008" | "R0015" | "R0016" | "R0018" | "other-error";

export function kindOf(r: InvokeResult): Kind {
  if ("crashed" in r) return "crashed";
  if (r.ok) return "value";
  const code = (r as { error?: { code?: string } }).error?.code;
  if (code === "R0008") return "R0008";
  if (code === "R0015") return "R0015";
  if (code === "R0016") return "R0016";
  if (code === "R0018") return "R0018";
  return code ? "failed" : "other-error";
}

export function brief(r: InvokeResult): string {
  const s = JSON.stringify(r);
  return s.length > 240 ? s.slice(0, 240) + "…" : s;
}

/** Tally of every answer a client saw, with one example of each unexpected kind. */
/** Each operation asked once more with its id, after recover(): its recorded answer. */
export async function finalAnswers(stack: LocalStack, fn: string, ops: { id: string; input: unknown }[]): Promise<Answers> {
  const finals = new Answers();
  for (const o of ops) finals.add(await stack.invoke(fn, o.input, { instanceId: o.id }), `${o.id} after recover`);
  return finals;
}

export class Answers {
  readonly counts: Record<Kind, number> = { value: 0, failed: 0, crashed: 0, R0008: 0, R0015: 0, R0016: 0, R0018: 0, "other-error": 0 };
  /** per instance id, every distinct value answered (an identical retry must get the same one) */
  readonly values = new Map<string, Set<string>>();
  readonly examples = new Map<Kind, string>();
  /** the instance ids that got each kind of answer at least once */
  readonly ids = new Map<Kind, Set<string>>();
  add(r: InvokeResult, who: string): Kind {
    const k = kindOf(r);
    this.counts[k]++;
    const id = who.split(" ")[0]!;
    if (!this.ids.has(k)) this.ids.set(k, new Set());
    this.ids.get(k)!.add(id);
    if (k === "value") {
      if (!this.values.has(id)) this.values.set(id, new Set());
      this.values.get(id)!.add(JSON.stringify((r as { value: unknown }).value));
    }
    if (k !== "value" && !this.examples.has(k)) this.examples.set(k, `${who}: ${brief(r)}`);
    return k;
  }
  /** adds another tally into this one */
  merge(o: Answers): void {
    for (const [k, n] of Object.entries(o.counts)) this.counts[k as Kind] += n;
    for (const [k, ids] of o.ids) {
      if (!this.ids.has(k)) this.ids.set(k, new Set());
      for (const id of ids) this.ids.get(k)!.add(id);
    }
    for (const [k, ex] of o.examples) if (!this.examples.has(k)) this.examples.set(k, ex);
    for (const [id, vs] of o.values) {
      if (!this.values.has(id)) this.values.set(id, new Set());
      for (const v of vs) this.values.get(id)!.add(v);
    }
  }
  /** the value answered for `id`, if any answer was a value and all agreed; "conflict" if they did not */
  outcome(id: string): unknown {
    const vs = this.values.get(id);
    if (!vs?.size) return undefined;
    if (vs.size > 1) return "conflict";
    return JSON.parse([...vs][0]!);
  }
  /** ids answered two different values */
  conflicts(): string[] {
    return [...this.values].filter(([, vs]) => vs.size > 1).map(([id, vs]) => `${id}: ${[...vs].join(" vs ")}`);
  }
  line(): string {
    return Object.entries(this.counts)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}` + (k !== "value" ? ` (${this.ids.get(k as Kind)?.size ?? 0} ids)` : ""))
      .join(", ");
  }
}

/**
 * A client: invokes, and while the answer is "crashed", R0015 or R0018 (retryable: nothing recorded)
 * retries with the same instance id and input, up to `retries` more times. Every answer is tallied.
 */
export async function client(
  stack: LocalStack,
  fnRef: string,
  input: unknown,
  instanceId: string,
  answers: Answers,
  opts: { retries: number; crashAt?: number },
): Promise<{ first: InvokeResult; last: InvokeResult; attempts: number }> {
  let last = await stack.invoke(fnRef, input, { instanceId, crashAt: opts.crashAt });
  let kind = answers.add(last, `${instanceId} attempt 1${opts.crashAt ? ` (crashAt ${opts.crashAt})` : ""}`);
  const first = last;
  let attempts = 1;
  while ((kind === "crashed" || kind === "R0015" || kind === "R0018") && attempts <= opts.retries) {
    await new Promise((r) => setTimeout(r, 100 * attempts));
    last = await stack.invoke(fnRef, input, { instanceId });
    attempts++;
    kind = answers.add(last, `${instanceId} attempt ${attempts}`);
  }
  return { first, last, attempts };
}

// ---------------------------------------------------------------------------------------------
// Invariants.

export class Checks {
  readonly failed: string[] = [];
  check(name: string, ok: boolean, detail: string): void {
    console.log(`  ${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
    if (!ok) this.failed.push(name);
  }
}

export function requestLine(counts: Record<string, number>): string {
  const store = Object.entries(counts)
    .filter(([k]) => k !== "Invoke" && k !== "InvokeEvent")
    .reduce((s, [, n]) => s + n, 0);
  const detail = Object.entries(counts)
    .filter(([k]) => k !== "Invoke" && k !== "InvokeEvent")
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return `Invoke ${counts.Invoke ?? 0}, InvokeEvent ${counts.InvokeEvent ?? 0}, store ${store} (${detail})`;
}

export function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) out[k] = n - (before[k] ?? 0);
  return out;
}

export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Lock attributes left on data rows (a finished transaction leaves none): the tests' own check. */
export { locksLeft } from "../../test/helpers.js";
