// `beldi dev` as a child process, for the tests and the bench: started in a folder (its state goes
// to that folder's .beldi/), its terminal read as it comes, its console's API called over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/beldi.mjs", import.meta.url));

export class DevProcess {
  readonly child: ChildProcess;
  /** what it printed on stderr (diagnostics, deploys) and stdout (the console's address) */
  err = "";
  out = "";
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [BIN, "dev", ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d: Buffer) => {
      this.out += d;
      this.wake();
    });
    this.child.stderr!.on("data", (d: Buffer) => {
      this.err += d;
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => (this.wake(), resolve(code))));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until stderr (or stdout), from `from` on, matches; returns the match, where it ends and when it was seen. */
  async waitFor(
    re: RegExp,
    from = 0,
    timeoutMs = 180_000,
    stream: "err" | "out" = "err",
  ): Promise<{ match: RegExpExecArray; end: number; at: number }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const text = stream === "err" ? this.err : this.out;
      const m = re.exec(text.slice(from));
      if (m) return { match: m, end: from + m.index + m[0].length, at: performance.now() };
      if (this.child.exitCode !== null) throw new Error(`beldi dev exited (${this.child.exitCode}) before printing ${re}:\n${this.err}`);
      if (Date.now() > until) throw new Error(`beldi dev did not print ${re} in ${timeoutMs} ms:\n${this.err.slice(from)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** The console's address, once it listens. */
  async url(): Promise<string> {
    return (await this.waitFor(/console: (http:\/\/127\.0\.0\.1:\d+\/)/, 0, 60_000, "out")).match[1]!;
  }

  /** A GET or (with a body) POST to the console's JSON API. */
  async api(pathName: string, body?: unknown): Promise<any> {
    const r = await fetch(new URL(path.posix.join("api", pathName), await this.url()), {
      ...(body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    });
    const data = await r.json();
    if (!r.ok) throw new Error(`${pathName}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  }

  /** Ctrl-C; resolves with the exit status. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGINT");
    return this.exited;
  }
}
