// `beldi dev` as a library: a local stack on the app's kept state that stays up, the app's files
// watched (each save re-checked at once with the front half only, and deployed as a new version
// when clean), unfinished instances finished once their lease is over, suspended ones resumed
// once their wake-up time has come, and the web console
// (local/console/) serving all of it on 127.0.0.1.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { check, loadApp, UsageError, type LoadedApp } from "../../compiler/check-api.js";
import { formatDiagnostic } from "../../compiler/format-diagnostics.js";
import type { IrProgram } from "../../compiler/ir.js";
import type { CheckStatus, ConsoleBackend, DeployStatus, DevStatus, LogLine, ServedProgram } from "../console/backend.js";
import { ConsoleData } from "../console/data.js";
import { startConsole, type ConsoleServer } from "../console/server.js";
import { drop, keep, keptRoot, keptVersions } from "../kept-versions.js";
import { LocalStack } from "../stack.js";
import { appGraphSvg } from "./graph.js";
import { isAppFile, watchApp, type AppWatcher, type Change } from "./watch.js";

export interface DevOptions {
  /** the app's folder of .beldi files, or one file */
  app: string;
  /** the console's port on 127.0.0.1 (default 4747; 0: any free port) */
  port?: number;
  /** the folder whose .beldi/ holds the kept state and versions (default: the working directory, as `beldi run`) */
  root?: string;
  /** start from empty state (drops the kept state and versions) */
  fresh?: boolean;
  isolation?: "inline" | "process";
  /** quiet time that ends a burst of saves (ms, default 25) */
  quietMs?: number;
  /** the collection window T (ms): an unfinished instance's lease (default the stack's, 15 s) */
  windowMs?: number;
  /** how often unfinished instances whose lease is over are looked for (ms, default 2000) */
  finishEveryMs?: number;
  /** prints one line (or a block) for people: diagnostics, deploys, retired versions */
  print: (text: string) => void;
  /** told the console's address as soon as it listens (before the stack has started) */
  listening?: (url: string) => void;
}

export const DEFAULT_PORT = 4747;
const LOG_LINES = 200;

const clockTime = (at: number) => new Date(at).toTimeString().slice(0, 8);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export class DevSession implements ConsoleBackend {
  private stackNow?: LocalStack;
  private console?: ConsoleServer;
  private watcher?: AppWatcher;
  private finisher?: NodeJS.Timeout;
  private readonly data = new ConsoleData(this);
  private readonly programs = new Map<string, ServedProgram>();
  private readonly logLines: LogLine[] = [];
  private lastCheck: CheckStatus | null = null;
  private lastDeploy: DeployStatus | null = null;
  /** the re-check and deploy passes run one at a time; saves during one make one more */
  private pass: Promise<void> = Promise.resolve();
  private queued?: Change;
  private stopped = false;
  private finishing = false;
  readonly root: string;
  readonly app: string;
  readonly stateDir: string;

  private constructor(private readonly o: DevOptions) {
    this.root = path.resolve(o.root ?? process.cwd());
    this.app = loadApp(o.app).app; // a UsageError for a missing folder or one without .beldi files
    this.stateDir = path.join(this.root, ".beldi", "state", this.app);
  }

  /** Starts the console and the first check (and the stack, if the app checks clean); then watches. */
  static async start(o: DevOptions): Promise<DevSession> {
    const s = new DevSession(o);
    try {
      await s.boot();
    } catch (e) {
      await s.stop();
      throw e;
    }
    return s;
  }

  private async boot(): Promise<void> {
    if (this.o.fresh) {
      rmSync(this.stateDir, { recursive: true, force: true });
      rmSync(keptRoot(this.root, this.app), { recursive: true, force: true });
    }
    mkdirSync(this.stateDir, { recursive: true });
    this.console = await startConsole({
      data: this.data,
      graph: async () => (this.stackNow ? appGraphSvg(this.stackNow.app.ir) : null),
      status: () => this.status(),
      port: this.o.port ?? DEFAULT_PORT,
    });
    this.o.listening?.(this.console.url);
    const shown = path.relative(process.cwd(), this.stateDir);
    this.say(`beldi dev: ${this.o.app}, state in ${shown.startsWith("..") ? this.stateDir : shown} (kept between runs)`);
    // watching first: a save while the stack starts is checked right after
    const abs = path.resolve(this.o.app);
    const single = existsSync(abs) && !isFolder(abs);
    const folder = single ? path.dirname(abs) : abs;
    this.watcher = watchApp(folder, (c) => this.changed(c), {
      quietMs: this.o.quietMs,
      // a one-file app is that file (and the modules its externs name)
      accept: single ? (f) => f === path.basename(abs) || (isAppFile(f) && f.endsWith(".ts")) : isAppFile,
      onError: (e) => this.say(`stopped watching ${this.o.app}: ${e.message}`),
    });
    this.pass = this.recheck(undefined);
    await this.pass;
    this.say(`watching ${this.o.app} for changes (Ctrl-C stops)`);
    this.finisher = setInterval(() => void this.finishUnfinished(), this.o.finishEveryMs ?? 2000);
    this.finisher.unref();
  }

  /** The console's address. */
  get url(): string {
    return this.console!.url;
  }

  status(): DevStatus {
    return {
      app: this.app,
      appPath: this.o.app,
      stateDir: this.stateDir,
      phase: this.stackNow ? "serving" : "waiting",
      version: this.stackNow?.app.ir.codeVersion ?? null,
      check: this.lastCheck,
      deploy: this.lastDeploy,
      log: this.logLines,
    };
  }

  stack(): LocalStack | undefined {
    return this.stackNow;
  }

  program(version: string): ServedProgram | undefined {
    return this.programs.get(version);
  }

  /** Resolves once every save seen so far has been checked (and deployed, when clean). */
  async settled(): Promise<void> {
    let p: Promise<void>;
    do {
      p = this.pass;
      await p;
    } while (p !== this.pass);
  }

  private say(text: string): void {
    const at = Date.now();
    for (const line of text.split("\n")) this.logLines.push({ at, text: line });
    this.logLines.splice(0, Math.max(0, this.logLines.length - LOG_LINES));
    this.o.print(text);
  }

  /** A burst of saves: one more pass after the running one (bursts during it fold into one). */
  private changed(c: Change): void {
    if (this.stopped) return;
    if (this.queued) {
      this.queued.files.push(...c.files.filter((f) => !this.queued!.files.includes(f)));
      return;
    }
    this.queued = c;
    this.pass = this.pass.then(() => {
      const next = this.queued;
      this.queued = undefined;
      return next && !this.stopped
        ? this.recheck(next).catch((e) => this.say(`internal error while checking and deploying: ${(e as Error).stack ?? e}`))
        : undefined;
    });
  }

  /** Checks the sources (front half only: no emitter, no bundler), prints what it found, and deploys a clean version. */
  private async recheck(change: Change | undefined): Promise<void> {
    const t0 = performance.now();
    if (change) this.say(`[${clockTime(Date.now())}] ${change.files.join(", ") || "the app"} changed`);
    let app: LoadedApp;
    try {
      app = loadApp(this.o.app);
    } catch (e) {
      this.say(
        `${(e as Error).message}: nothing to check${this.stackNow ? `; still serving version ${this.stackNow.app.ir.codeVersion}` : ""}`,
      );
      return;
    }
    const r = check(app.files, { app: app.app, appDir: app.appDir });
    const texts = new Map(app.files.map((f) => [f.path, f.text]));
    const checkMs = performance.now() - t0;
    const errors = r.diagnostics.filter((d) => d.severity === "error").length;
    const shown = r.diagnostics.map((d) => formatDiagnostic(d, texts.get(d.span.file) ?? ""));
    this.lastCheck = { at: Date.now(), ok: r.ok, errors, warnings: r.diagnostics.length - errors, diagnostics: shown, checkMs };
    // from the save (the burst's first event, so the quiet time counts) to these lines on the terminal
    const since = change ? `, ${Math.round(performance.now() - change.firstAt)} ms after the save` : "";
    const counts = `${plural(errors, "error")}, ${plural(r.diagnostics.length - errors, "warning")}`;
    const took = `checked in ${Math.round(checkMs)} ms${since}`;
    for (const d of shown) this.say(d);
    if (!r.ok) {
      const serving = this.stackNow
        ? `still serving version ${this.stackNow.app.ir.codeVersion}`
        : "nothing deployed until it checks clean";
      this.say(`${app.app}: ${counts} (${took}): ${serving}`);
      return;
    }
    this.say(`${app.app}: ${r.diagnostics.length ? counts : "no errors"} (${took}): ${this.stackNow ? "deploying" : "starting the stack"}`);
    await this.deploy(app, texts);
  }

  /** Builds and serves the checked version: starts the stack the first time, else deploys beside the old version. */
  private async deploy(app: LoadedApp, texts: Map<string, string>): Promise<void> {
    const t0 = performance.now();
    const from = this.stackNow?.app.ir.codeVersion ?? null;
    try {
      if (!this.stackNow) {
        const earlier = keptVersions(this.root, app.app);
        for (const dir of earlier) this.remember(readManifestAt(dir), new Map());
        this.stackNow = await LocalStack.start({
          app: this.o.app,
          dataDir: this.stateDir,
          prefix: "",
          isolation: this.o.isolation ?? "inline",
          // GC stays off (an instance's steps stay to be inspected); unfinished instances are finished below
          schedule: false,
          earlierVersions: earlier,
          ...(this.o.windowMs === undefined ? {} : { windowMs: this.o.windowMs }),
        });
      } else {
        await this.stackNow.deploy(this.o.app);
      }
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const serving = from ? `still serving version ${from}` : "nothing deployed";
      this.lastDeploy = { kind: "refused", at: Date.now(), message: e.message, serving: from };
      this.say(`deploy refused: ${e.message}\n${serving}`);
      return;
    }
    const stack = this.stackNow;
    const version = stack.app.ir.codeVersion;
    this.remember(stack.app.ir, texts);
    keep(this.root, stack.app);
    const buildMs = performance.now() - t0;
    if (version === from) {
      this.lastDeploy = { kind: "unchanged", at: Date.now(), version };
      this.say(`version ${version} unchanged: still serving it`);
      return;
    }
    this.lastDeploy = { kind: "deployed", at: Date.now(), version, from, buildMs };
    this.say(`version ${version} ${from ? `deployed (was ${from})` : "serving"} in ${seconds(buildMs)}: new instances run it`);
    if (!from) await stack.recover(); // what an earlier session left unfinished, each on its own version
    await this.retire();
  }

  private remember(ir: IrProgram, sources: ReadonlyMap<string, string>): void {
    this.programs.set(ir.codeVersion, { ir, sources });
  }

  /** Earlier versions nothing is pinned to any more stop being served (and kept). */
  private async retire(): Promise<void> {
    const stack = this.stackNow;
    if (!stack) return;
    for (const v of await stack.retire()) {
      drop(this.root, this.app, v);
      this.say(`version ${v} retired: no unfinished instance is pinned to it any more`);
    }
    for (const v of await stack.versions()) {
      if (!v.current) this.say(`version ${v.version} still served: ${plural(v.unfinished.length, "unfinished instance")} pinned to it`);
    }
  }

  /**
   * Unfinished instances whose lease is over (a crash, a timeout) are re-executed, as the intent
   * collector would; only when none is within its lease, so no live execution is duplicated.
   */
  private async finishUnfinished(): Promise<void> {
    const stack = this.stackNow;
    if (!stack || this.finishing || this.stopped) return;
    this.finishing = true;
    try {
      const all = await this.data.instances();
      // suspended instances whose wake-up time has come (LANGUAGE.md §9): resumed as the stack's
      // wake-up pass would (its schedule is off here); a wake-up never duplicates a live execution
      if (all.some((i) => i.suspended?.due)) {
        const woken = await stack.wake();
        if (typeof woken === "number" && woken)
          this.say(`[${clockTime(Date.now())}] resumed ${plural(woken, "suspended instance")} whose wake-up time has come`);
      }
      const stale = all.filter((i) => i.status === "pending-retry");
      if (!stale.length || all.some((i) => i.status === "running")) return;
      this.say(`[${clockTime(Date.now())}] finishing ${plural(stale.length, "unfinished instance")} whose lease is over`);
      await stack.recover();
      await this.retire();
    } catch (e) {
      this.say(`finishing unfinished instances failed: ${(e as Error).message}`);
    } finally {
      this.finishing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.finisher) clearInterval(this.finisher);
    // a build in progress finishes first: the stack is not pulled from under it
    await this.pass.catch(() => {});
    await this.console?.close();
    this.data.close();
    await this.stackNow?.stop();
    this.stackNow = undefined;
  }
}

const isFolder = (p: string) => statSync(p).isDirectory();

function readManifestAt(dir: string): IrProgram {
  return JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as IrProgram;
}
