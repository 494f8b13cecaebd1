// `LocalStack`: the whole system on loopback — a store (dynalite, shared per process, each stack
// with its own table prefix), our Lambda Invoke API server, the app's bundled handlers run
// inline or in child processes, and the intent collector on a schedule. A public, stable API
// (DESIGN.md §4): outside test suites use it.
import { DynamoDBClient, ScanCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { randomBytes, randomUUID } from "node:crypto";
import type { RuntimeConfig } from "../runtime/config.js";
import { checkTiming } from "../contract/timing.js";
import { RUNTIME_ERRORS } from "../contract/errors.js";
import { signed } from "../runtime/envelope-auth.js";
import { Daal } from "../runtime/daal.js";
import { recordOf, type DataTable } from "../runtime/rows.js";
import { fromAttr, toAttr } from "../runtime/codec.js";
import type { ClientResult } from "../contract/envelope.js";
import { Intents, type Intent } from "../runtime/intent.js";
import { Suspensions } from "../runtime/suspension.js";
import { functionName, tableNames, TOMBSTONE } from "../contract/schema.js";
import { Store } from "../runtime/store.js";
import type { GcStats } from "../runtime/gc.js";
import { buildCached, cacheRoot, type BuiltApp } from "./build-cache.js";
import { builtFrom, Deployments, type Deployment } from "./deployments.js";
import { compatibilityDiagnostics, UsageError } from "../compiler/check-api.js";
import { diffVersions } from "../compiler/compat.js";
import { formatDiagnostic } from "../compiler/format-diagnostics.js";
import { sharedDynalite, startDynalite, type RunningStore } from "./dynalite.js";
import { sharedDynamoDbLocal } from "./dynamodb-local.js";
import type { ExecResult, WorkerCounts } from "./executor.js";
import type { Slowness } from "./slowness.js";
import { InlineExecutor } from "./inline-executor.js";
import { startInvokeServer } from "./invoke-server.js";
import { ProcessExecutor } from "./process-executor.js";
import { startStoreProxy } from "./store-proxy.js";
import { appTables, createTables } from "./tables.js";
import { RequestCounts, Traces } from "./traces.js";
import { forEachInFlight } from "./in-flight.js";
import { TableType } from "../runtime/value-types.js";
import { typeTable } from "./table-ref.js";
import type { Json } from "../contract/json.js";
import { EXISTS, HEAD, headKey, VERSION, valueAttr } from "../contract/schema.js";

export interface StartOptions {
  /** a folder of .beldi files (or one file) */
  app: string;
  /** the store: embedded dynalite (default), AWS's DynamoDB Local (needs Java 17), or any DynamoDB-API endpoint */
  backend?: "dynalite" | "dynamodb-local" | { endpoint: string; returnsOld?: boolean };
  /** run each invocation in this process (default) or in a child process per invocation */
  isolation?: "inline" | "process";
  /**
   * the collection window T in ms: the intent collector re-executes intents not started or
   * resumed for this long, and GC collects trees finished this long ago. Must exceed
   * timeoutMs + requestTimeoutMs (default 15000)
   */
  windowMs?: number;
  /** each execution's deadline from its start, as a Lambda function's timeout (default 10000, or 0.6 of a smaller windowMs) */
  timeoutMs?: number;
  /** the longest one store request may take (default 3000, or 0.3 of a smaller windowMs) */
  requestTimeoutMs?: number;
  /** log entries per DAAL row (default 1000) */
  rowCapacity?: number;
  /** run the intent collector on a schedule while the stack is up (default true) */
  schedule?: boolean;
  /** dynalite only: keep the store's data in this folder, so it survives restarts */
  dataDir?: string;
  /** prepended to table and function names (default: a fresh one per stack) */
  prefix?: string;
  /** run the app without exactly-once (plain store and invoke calls), to measure its cost */
  baseline?: boolean;
  /** tests: the store front delays a seeded fraction of its answers (the requests take effect; answers come late) */
  slowness?: Slowness;
  /**
   * build folders of earlier versions of the app (manifest.json and bundles) that instances in
   * the store may be pinned to: the stack serves them beside `app`, which is the current version
   */
  earlierVersions?: string[];
}

/** An app version the stack serves, and its unfinished instances (which are pinned to it). */
export interface VersionInUse {
  version: string;
  current: boolean;
  unfinished: { service: string; fn: string; instance: string }[];
}

export interface InvokeOptions {
  /** the instance id (default: a fresh UUID) */
  instanceId?: string;
  /** kill the invocation tree right after its k-th store or invoke request */
  crashAt?: number;
  /**
   * tests: hold the tree's k-th store request at the store front, before it reaches the store,
   * until `resume()` — a request delayed in the network, which its sender has long given up on
   */
  pauseAt?: number;
  /**
   * told the number and name of each store or invoke request the tree issues, as it issues it
   * (`UpdateItem counter.counts`, `Query counter-log`, `Invoke counter`): what a crash point is
   */
  onRequest?: (n: number, request: string) => void;
}

export type InvokeResult = ClientResult | { crashed: true; reason?: string };

export interface SignalOptions extends Omit<InvokeOptions, "instanceId"> {
  /** the service whose instance it is (default: the service whose intents hold the id) */
  service?: string;
}

export interface TableRow {
  key: string;
  value: Json;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CREDENTIALS = { accessKeyId: "beldi", secretAccessKey: "local" };
const REGION = "us-east-1";
const RECOVER_BOUND_MS = 60_000;
const RECOVER_CONCURRENCY = 8;
/** How often the stack wakes suspended instances that are due: a wake-up is late by at most about this. */
export const WAKE_TICK_MS = 250;

/** Local defaults: a laptop under load still finishes a normal invocation well inside them. */
export const LOCAL_TIMEOUT_MS = 10_000;
export const LOCAL_REQUEST_TIMEOUT_MS = 3_000;
export const LOCAL_WINDOW_MS = 15_000;

/**
 * The stack's timing: explicit values are taken as given (and refused if the window does not
 * exceed timeout + request timeout); a window given alone scales the timeouts down with it.
 */
export function localTiming(o: Pick<StartOptions, "windowMs" | "timeoutMs" | "requestTimeoutMs">): {
  windowMs: number;
  timeoutMs: number;
  requestTimeoutMs: number;
} {
  const windowMs = o.windowMs ?? LOCAL_WINDOW_MS;
  const scaled = (share: number, cap: number) => (o.windowMs === undefined ? cap : Math.min(cap, Math.floor(windowMs * share)));
  const timing = {
    windowMs,
    timeoutMs: o.timeoutMs ?? scaled(0.6, LOCAL_TIMEOUT_MS),
    requestTimeoutMs: o.requestTimeoutMs ?? scaled(0.3, LOCAL_REQUEST_TIMEOUT_MS),
  };
  checkTiming(timing);
  return timing;
}

export class LocalStack {
  private readonly traces = new Traces();
  private readonly counts = new RequestCounts();
  private readonly events = new Set<Promise<ExecResult>>();
  private readonly closers: (() => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private gcTimer?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private waking = false;
  private readonly deployments = new Deployments();
  private lambda!: LambdaClient;
  private direct!: Store;
  private daal!: Daal;
  private config!: RuntimeConfig;
  /** services whose function undeploy removed (every version's) */
  private readonly removed = new Set<string>();
  /** function name -> service, for every service any installed version has (the Invoke API's lookup) */
  private readonly functionServices = new Map<string, string>();
  private tablesClient!: DynamoDBClient;
  /** store requests held back (InvokeOptions.pauseAt) and who waits for one */
  private readonly held: (() => void)[] = [];
  private readonly onHeld: (() => void)[] = [];
  /** tests: lose Event invokes for which this returns true */
  dropEvent?: (service: string, event: unknown) => boolean;

  private constructor(
    private readonly first: BuiltApp,
    readonly options: StartOptions,
  ) {}

  /** The current version of the app: what new instances run. */
  get app(): BuiltApp {
    return this.deployments.all().length ? this.deployments.current.app : this.first;
  }

  /** Builds the app (cached) and starts a stack for it. */
  static async start(options: StartOptions): Promise<LocalStack> {
    localTiming(options); // refuse an unsafe window before building anything
    const built = await buildCached(options.app);
    const stack = new LocalStack(built, options);
    try {
      await stack.boot();
    } catch (e) {
      await stack.stop();
      throw e;
    }
    return stack;
  }

  private async boot(): Promise<void> {
    const o = this.options;
    const { ir } = this.app;
    let store: RunningStore;
    if (o.backend === undefined || o.backend === "dynalite") {
      if (o.dataDir) {
        store = await startDynalite(o.dataDir);
        this.closers.push(() => store.close());
      } else {
        store = await sharedDynalite();
      }
    } else if (o.backend === "dynamodb-local") {
      if (o.dataDir) throw new Error("dataDir is for dynalite; DynamoDB Local runs in memory here");
      store = await sharedDynamoDbLocal();
    } else {
      store = { endpoint: o.backend.endpoint, returnsOld: o.backend.returnsOld ?? true, close: async () => {} };
    }
    const prefix = o.prefix ?? `t${randomBytes(4).toString("hex")}-`;
    const base = {
      app: ir.app,
      prefix,
      region: REGION,
      credentials: CREDENTIALS,
      rowCapacity: o.rowCapacity ?? 1000,
      ...localTiming(o),
      returnsOldOnConditionFailure: store.returnsOld,
      baseline: o.baseline ?? false,
      // The stack plays the platform and the app's functions: one envelope key per stack.
      envelopeKey: randomBytes(32).toString("base64url"),
    };
    const kill = (trace: string) => {
      for (const d of this.deployments.all()) d.executor.kill(trace);
      this.traces.kill(trace);
    };
    const proxy = await startStoreProxy(store.endpoint, {
      traces: this.traces,
      counts: this.counts,
      kill,
      slowness: o.slowness,
      hold: (trace, n) => (this.traces.isPausePoint(trace, n) ? this.hold() : undefined),
    });
    this.closers.push(() => proxy.close());

    // The invoke server needs the executors and their config needs the server's endpoint.
    const server = await startInvokeServer({
      resolve: (name, qualifier) => {
        const service = this.serviceOfFunction(name);
        const d = service === undefined ? undefined : this.deployments.resolve(service, qualifier);
        return d && service !== undefined ? { service, version: d.version, invoke: (e, t) => d.executor.invoke(service, e, t) } : undefined;
      },
      traces: this.traces,
      counts: this.counts,
      kill,
      dropEvent: (s, e) => this.dropEvent?.(s, e) ?? false,
      onEvent: (run) => {
        this.events.add(run);
        forget(this.events, run);
      },
    });
    this.closers.push(() => server.close());
    this.config = { ...base, storeEndpoint: proxy.endpoint, invokeEndpoint: server.endpoint };
    this.closers.push(async () => {
      for (const d of this.deployments.all()) await d.executor.close();
    });

    const client = new DynamoDBClient({ region: REGION, endpoint: store.endpoint, credentials: CREDENTIALS });
    this.closers.push(async () => client.destroy());
    this.tablesClient = client;
    // Earlier versions first (oldest first), then the current one.
    for (const dir of o.earlierVersions ?? []) await this.install(builtFrom(dir));
    await this.install(this.first);
    // The harness's own requests (seeding, reading, recover's lookups) are not an execution's: generous timeout.
    this.direct = new Store({ ...base, storeEndpoint: store.endpoint, requestTimeoutMs: 30_000 });
    this.closers.push(async () => this.direct.client.destroy());
    this.daal = new Daal(this.direct, base.rowCapacity);
    this.lambda = new LambdaClient({ region: REGION, endpoint: server.endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
    this.closers.push(async () => this.lambda.destroy());

    if (o.schedule ?? true) {
      const every = Math.max(250, Math.floor(this.config.windowMs / 2));
      this.timer = setInterval(() => void this.collectOnce(this.config.windowMs).catch(() => {}), every);
      this.timer.unref();
      // GC after each window: what finished more than a window ago.
      this.gcTimer = setInterval(() => void this.gc().catch(() => {}), Math.max(1000, this.config.windowMs));
      this.gcTimer.unref();
      // Suspended instances wake within a tick of their time (on AWS: the collector's schedule).
      this.wakeTimer = setInterval(() => {
        if (this.waking) return;
        this.waking = true;
        void this.wakeDue()
          .catch(() => {})
          .finally(() => {
            this.waking = false;
          });
      }, WAKE_TICK_MS);
      this.wakeTimer.unref();
    }
  }

  /** Starts serving a built version (its executor, its tables) and makes it current. */
  private async install(built: BuiltApp): Promise<Deployment> {
    if (built.ir.app !== this.first.ir.app)
      throw new UsageError(`${built.dir} is a build of app ${built.ir.app}, not ${this.first.ir.app}`);
    const kept = this.deployments.get(built.ir.codeVersion);
    if (kept && kept.app.dir === built.dir) {
      this.deployments.add(kept);
      return kept;
    }
    // the same version built again (a kept copy, or another toolchain): serve the new build
    if (kept) await this.deployments.remove(kept.version)?.executor.close();
    const execOptions = { bundles: built.bundles, config: this.config };
    const executor =
      (this.options.isolation ?? "inline") === "process"
        ? new ProcessExecutor(execOptions, cacheRoot())
        : await InlineExecutor.create(execOptions, this.traces);
    // new tables (and new services' intent and log tables) appear; existing ones are kept
    await createTables(this.tablesClient, appTables(built.ir, this.config.prefix));
    const d = { version: built.ir.codeVersion, app: built, executor };
    for (const s of built.ir.services) this.functionServices.set(functionName(this.config.prefix, built.ir.app, s.name), s.name);
    this.deployments.add(d);
    return d;
  }

  /**
   * Deploys a new version of the app onto the running stack, as a redeploy on AWS does: new
   * instances (and unqualified invocations) run it; unfinished instances of earlier versions
   * finish on theirs, which the stack keeps serving (`versions()`, `retire()`). A table change
   * the current version could not read is refused (the V codes of `beldi diff`). Returns the
   * new version.
   */
  async deploy(app: string): Promise<string> {
    const built = await buildCached(app);
    const from = this.app;
    const refused = compatibilityDiagnostics(diffVersions(from.ir, built.ir));
    if (refused.length) {
      const shown = refused.map((d) => formatDiagnostic(d, "")).join("\n");
      throw new UsageError(`version ${built.ir.codeVersion} of ${app} cannot run beside ${from.ir.codeVersion}:\n${shown}`);
    }
    return (await this.install(built)).version;
  }

  /** The versions the stack serves, newest last, each with the unfinished instances pinned to it. */
  async versions(): Promise<VersionInUse[]> {
    const current = this.deployments.current.version;
    const out = new Map<string, VersionInUse>(
      this.deployments.all().map((d) => [d.version, { version: d.version, current: d.version === current, unfinished: [] }]),
    );
    for (const { service, intent } of await this.pendingIntents()) {
      const v = intent.version ?? current;
      let entry = out.get(v);
      if (!entry) out.set(v, (entry = { version: v, current: false, unfinished: [] }));
      entry.unfinished.push({ service, fn: intent.fn, instance: intent.instance });
    }
    return [...out.values()];
  }

  /** Stops serving earlier versions no unfinished instance is pinned to; returns them. */
  async retire(): Promise<string[]> {
    const gone: string[] = [];
    for (const v of await this.versions()) {
      if (v.current || v.unfinished.length) continue;
      const d = this.deployments.remove(v.version);
      if (!d) continue;
      await d.executor.close();
      gone.push(v.version);
    }
    return gone;
  }

  /** The service a function name of this stack names. */
  private serviceOfFunction(name: string): string | undefined {
    // (a retired version's service may linger here: resolving it against the versions served says no)
    const service = this.functionServices.get(name);
    return service === undefined || this.removed.has(service) ? undefined : service;
  }

  /**
   * Removes a service's function from the Invoke API, as a deploy that dropped it would (its
   * tables stay): invoking it now answers ResourceNotFoundException, to clients and callers alike.
   */
  undeploy(service: string): void {
    this.service(service);
    this.removed.add(service);
  }

  /** The names the stack gave this app's tables and functions. */
  get prefix(): string {
    return this.config.prefix;
  }

  private service(name: string) {
    const s = this.app.ir.services.find((x) => x.name === name);
    if (!s) throw new Error(`app ${this.app.ir.app} has no service ${name} (it has ${this.app.ir.services.map((x) => x.name).join(", ")})`);
    return s;
  }

  private table(service: string, table: string): DataTable {
    const t = this.service(service).tables.find((x) => x.name === table);
    if (!t) throw new Error(`service ${service} has no table ${table}`);
    return {
      name: tableNames.data(this.config.prefix, this.app.ir.app, service, table),
      label: table,
      fields: t.fields,
      mayBeAbsent: new TableType(t.valueType, typeTable(this.app.ir)).mayBeAbsent(),
    };
  }

  /** Invokes `service.fn` as a client would, through the Lambda Invoke API. */
  async invoke(fnRef: string, input: unknown, opts: InvokeOptions = {}): Promise<InvokeResult> {
    const [service, fn] = fnRef.split(".");
    if (!service || !fn) throw new Error(`name a fn as service.fn, got ${JSON.stringify(fnRef)}`);
    this.service(service);
    return this.send(service, fnRef, { fn, instanceId: opts.instanceId ?? randomUUID(), input }, opts);
  }

  /**
   * Delivers signal `name` with `value` to an instance (LANGUAGE.md §9), as a client does: the
   * `{ signal: … }` payload to the instance's service. True if this delivered it, false if the
   * instance already had a signal of that name; an instance this app never ran is an error (R0024).
   */
  async signal(instanceId: string, name: string, value: Json, opts: SignalOptions = {}): Promise<boolean> {
    const r = await this.sendSignal(instanceId, name, value, opts);
    if ("crashed" in r) throw new Error(`signal ${name} to ${instanceId}: the delivery crashed${r.reason ? ` (${r.reason})` : ""}`);
    if (!r.ok) throw new Error(`signal ${name} to ${instanceId}: ${r.error.code} ${r.error.message}`);
    return "value" in r && r.value === true;
  }

  /**
   * `signal`, answering as `invoke` does (crash injection with `crashAt`, a typed error as a
   * result). It answers once the execution the signal woke has suspended again or finished:
   * that execution's requests count in the trace, so `crashAt` reaches the resume path too.
   */
  async sendSignal(instanceId: string, name: string, value: Json, opts: SignalOptions = {}): Promise<InvokeResult> {
    const service = opts.service ?? (await this.serviceOf(instanceId));
    if (!service) {
      return {
        ok: false,
        error: { code: RUNTIME_ERRORS.unknownInstance.code, message: `no service of ${this.app.ir.app} has an instance ${instanceId}` },
      };
    }
    this.service(service);
    return this.send(service, `signal ${name} to ${instanceId}`, { signal: { instanceId, name, value } }, opts, true);
  }

  /** The service whose intents hold `instanceId` (the first, by name, if several do). */
  private async serviceOf(instanceId: string): Promise<string | undefined> {
    for (const service of this.deployments.services()) {
      const intents = new Intents(this.direct, tableNames.intent(this.config.prefix, this.app.ir.app, service));
      if (await intents.get(instanceId)) return service;
    }
    return undefined;
  }

  /** Sends a client's payload to a service's function through the Invoke API, under a fresh trace. */
  private async send(
    service: string,
    what: string,
    body: Record<string, unknown>,
    opts: InvokeOptions,
    settle = false,
  ): Promise<InvokeResult> {
    const own = `${this.config.prefix}${this.app.ir.app}.`; // table names are told without it
    const onRequest = opts.onRequest;
    const named = onRequest && ((n: number, name: string) => onRequest(n, name.replace(` ${own}`, " ")));
    const trace = this.traces.begin(opts.crashAt, opts.pauseAt, named);
    try {
      // A client's envelope, with the stack's trace (signed: a client could not add it).
      const payload = this.signed({ ...body, beldi: { trace } });
      const command = new InvokeCommand({
        FunctionName: functionName(this.config.prefix, this.app.ir.app, service),
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      });
      // A throttle (no free worker) is retried, as the AWS SDK's default retry strategy does.
      const call = (async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await this.lambda.send(command);
          } catch (e) {
            if ((e as Error).name !== "TooManyRequestsException" || attempt >= 8) throw e;
            await new Promise((r) => setTimeout(r, Math.random() * Math.min(2000, 100 * 2 ** attempt)));
          }
        }
      })();
      const killed = this.traces.killed(trace).then(() => "killed" as const);
      const r = await Promise.race([call, killed]);
      call.catch(() => {});
      if (r === "killed" || this.traces.isDead(trace)) return { crashed: true };
      const text = r.Payload ? new TextDecoder().decode(r.Payload) : "null";
      if (r.FunctionError) {
        const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
        // Slow is not crashed: a timeout is a typed, retryable answer, as the runtime gives it.
        if (e.errorType === "Sandbox.Timedout")
          return { ok: false, error: { code: RUNTIME_ERRORS.deadline.code, message: `${what}: ${e.errorMessage}` } };
        return { crashed: true, reason: `${e.errorType}: ${e.errorMessage}` };
      }
      const answer = JSON.parse(text) as ClientResult;
      if (settle) {
        // what it set off (a signal's wake-up) runs under the same trace: its requests are crash points too
        await Promise.race([Promise.allSettled([...this.events]), killed]);
        if (this.traces.isDead(trace)) return { crashed: true };
      }
      return answer;
    } finally {
      this.traces.end(trace);
    }
  }

  /**
   * Hands an event straight to a service's handler, as the platform delivers one (tests: a late
   * spawn event, a collector's re-send, a duplicate delivery). Returns the handler's answer.
   */
  async deliver(service: string, event: unknown): Promise<ExecResult> {
    this.service(service);
    const e = event as { beldi?: object };
    const d = this.deployments.newestWith(service)!;
    return d.executor.invoke(service, typeof e === "object" && e !== null && e.beldi ? this.signed(e) : event, undefined);
  }

  /** Re-executes unfinished work until every intent is done; throws naming the stuck ones after a bound. */
  async recover(): Promise<void> {
    // Long enough for several executions, each up to the timeout, on a loaded machine.
    const bound = Math.max(RECOVER_BOUND_MS, 10 * this.config.timeoutMs);
    const deadline = Date.now() + bound;
    for (let round = 0; ; round++) {
      await Promise.allSettled([...this.events]);
      // suspended instances whose time has come are unfinished work too (later ones are not)
      if ((await this.wakeDue()) > 0) await Promise.allSettled([...this.events]);
      const pending = await this.pendingIntents();
      if (!pending.length) return;
      if (Date.now() > deadline) {
        const names = pending.map((p) => `${p.service}.${p.intent.fn} ${p.intent.instance}`).join(", ");
        throw new Error(`recover: ${pending.length} intent(s) still unfinished after ${bound} ms: ${names}`);
      }
      // A few at a time: re-executing everything at once on a loaded machine only makes each
      // execution slower, until all of them run out of time together.
      await forEachInFlight(pending.length, RECOVER_CONCURRENCY, async (i) => {
        const { service, intent } = pending[i]!;
        const event = this.signed({ fn: intent.fn, instanceId: intent.instance, input: intent.input, beldi: { kind: "recover" } });
        // on the version it started on, as the collector re-sends it
        const d = intent.version ? this.deployments.get(intent.version) : this.deployments.newestWith(service);
        if (!d) {
          throw new Error(
            `recover: instance ${intent.instance} (${service}.${intent.fn}) is pinned to app version ${intent.version}, ` +
              `which this stack does not serve (it has ${this.deployments
                .all()
                .map((x) => x.version)
                .join(", ")}): ` +
              "start it with that version's build in earlierVersions",
          );
        }
        await d.executor.invoke(service, event, undefined);
      });
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * round)));
    }
  }

  private async pendingIntents(): Promise<{ service: string; intent: Intent }[]> {
    const out: { service: string; intent: Intent }[] = [];
    for (const service of this.deployments.services()) {
      const intents = new Intents(this.direct, tableNames.intent(this.config.prefix, this.app.ir.app, service));
      for (const intent of await intents.unfinished()) out.push({ service, intent });
    }
    return out;
  }

  /**
   * One wake-up pass (LANGUAGE.md §9) through the handlers, as the collector makes it on AWS:
   * each service whose fns may suspend resumes its suspended instances that are due, by a
   * `recover` event each (the stack's schedule makes the same pass itself every WAKE_TICK_MS). With `crashAt`, the pass and the executions it resumes die right after the
   * k-th request among them. Answers how many it resumed.
   */
  async wake(opts: { crashAt?: number } = {}): Promise<number | { crashed: true }> {
    const trace = this.traces.begin(opts.crashAt);
    let woken = 0;
    try {
      for (const service of this.suspendingServices()) {
        const d = this.deployments.newestWith(service)!;
        const r = await d.executor.invoke(service, this.signed({ beldi: { kind: "wake", trace } }), trace);
        if ("killed" in r || this.traces.isDead(trace)) return { crashed: true };
        if (!r.ok) throw new Error(`the wake-up pass of ${service} failed: ${r.errorType}: ${r.errorMessage}`);
        woken += (r.payload as { value: { woken: number } }).value.woken;
      }
      // the executions it resumed run under the same trace: their requests are crash points too
      if (woken && opts.crashAt !== undefined) {
        await Promise.race([Promise.allSettled([...this.events]), this.traces.killed(trace)]);
        if (this.traces.isDead(trace)) return { crashed: true };
      }
      return woken;
    } finally {
      this.traces.end(trace);
    }
  }

  /**
   * The schedule's wake-up pass, run by the stack itself as `recover()` re-sends intents: each
   * due instance is taken back (runtime/suspension.ts `wake`, the same conditional update the
   * handlers' pass makes) and sent its `recover` event. Not through a handler: the pass would
   * wait for a worker behind the very executions it resumed.
   */
  private async wakeDue(): Promise<number> {
    let woken = 0;
    for (const service of this.suspendingServices()) {
      const suspensions = new Suspensions(
        this.direct,
        new Intents(this.direct, tableNames.intent(this.config.prefix, this.app.ir.app, service)),
      );
      const now = Date.now();
      const due = await suspensions.due(now);
      await forEachInFlight(due.length, 8, async (i) => {
        const w = await suspensions.wake(due[i]!, now);
        if (!w) return;
        const d = w.version ? this.deployments.get(w.version) : this.deployments.newestWith(service);
        if (!d) return; // pinned to a version this stack does not serve: live again, recover() says so
        const event = this.signed({ fn: w.fn, instanceId: w.instance, input: w.input, beldi: { kind: "recover" as const } });
        const run = d.executor.invoke(service, event, undefined);
        this.events.add(run);
        forget(this.events, run);
        woken++;
      });
    }
    return woken;
  }

  /** The services (of any version served) with a fn that may suspend: the others have nothing to wake. */
  private suspendingServices(): string[] {
    const out = new Set<string>();
    for (const d of this.deployments.all())
      for (const svc of d.app.ir.services) if (svc.fns.some((f) => f.effects.suspends)) out.add(svc.name);
    return [...out].sort();
  }

  /**
   * One garbage-collection pass over every service (DESIGN.md §2 "GC"): collects what trees
   * finished more than `windowMs` ago left behind. With `crashAt`, the pass dies right after
   * its k-th request (a crash sweep over GC); run it again to finish. With `laterByMs`, the
   * pass runs as if that much more time had passed (tests: no waiting out the window; the
   * fences it leaves still carry the real clock, so live executions are not refused).
   */
  async gc(opts: { crashAt?: number; laterByMs?: number } = {}): Promise<GcStats | { crashed: true }> {
    const trace = this.traces.begin(opts.crashAt);
    const total: GcStats = { rows: 0, entries: 0, archives: 0, logs: 0, intents: 0, tombstones: 0, deferred: 0 };
    try {
      for (const service of this.deployments.services()) {
        const d = this.deployments.newestWith(service)!;
        const r = await d.executor.invoke(service, this.signed({ beldi: { kind: "gc", trace, laterByMs: opts.laterByMs } }), trace);
        if ("killed" in r || this.traces.isDead(trace)) return { crashed: true };
        if (!r.ok) throw new Error(`GC of ${service} failed: ${r.errorType}: ${r.errorMessage}`);
        const stats = (r.payload as { value: GcStats }).value;
        for (const k of Object.keys(total) as (keyof GcStats)[]) total[k] += stats[k];
      }
      return total;
    } finally {
      this.traces.end(trace);
    }
  }

  /**
   * The number of items in each of the stack's underlying tables; in intent tables, not
   * counting the tombstones GC leaves of collected instances (kept for a retention period).
   */
  async storage(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of appTables(this.app.ir, this.config.prefix)) {
      let n = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const r = await this.direct.send<{ Count?: number; LastEvaluatedKey?: Record<string, AttributeValue> }>(
          new ScanCommand({
            TableName: t.name,
            Select: "COUNT",
            ConsistentRead: true,
            ExclusiveStartKey: start,
            ...(t.name.endsWith("-intent")
              ? { FilterExpression: "attribute_not_exists(#tb)", ExpressionAttributeNames: { "#tb": TOMBSTONE } }
              : {}),
          }),
        );
        n += r.Count ?? 0;
        start = r.LastEvaluatedKey;
      } while (start);
      out[t.name] = n;
    }
    return out;
  }

  /** One scheduled intent-collector pass: each service re-sends its intents older than the window. */
  private async collectOnce(windowMs: number): Promise<void> {
    for (const service of this.deployments.services()) {
      const d = this.deployments.newestWith(service)!;
      await d.executor.invoke(service, this.signed({ beldi: { kind: "collect", olderThanMs: windowMs } }), undefined);
    }
  }

  /** Seeds a table: sets the key's value (keeps the row's bookkeeping). */
  async put(service: string, table: string, key: string, value: Record<string, Json>): Promise<void> {
    const t = this.table(service, table);
    const names: Record<string, string> = { "#x": EXISTS, "#ver": VERSION };
    const values: Record<string, AttributeValue> = { ":t": { BOOL: true }, ":0": { N: "0" }, ":1": { N: "1" } };
    const set = ["#x = :t", "#ver = if_not_exists(#ver, :0) + :1"];
    const remove: string[] = [];
    t.fields.forEach((f, i) => {
      names[`#f${i}`] = valueAttr(f);
      const v = value[f];
      if (v === undefined || v === null) remove.push(`#f${i}`);
      else {
        values[`:f${i}`] = toAttr(v);
        set.push(`#f${i} = :f${i}`);
      }
    });
    const unknown = Object.keys(value).filter((k) => !t.fields.includes(k));
    if (unknown.length) throw new Error(`table ${service}.${table} has no field ${unknown.join(", ")}`);
    await this.direct.send(
      new UpdateItemCommand({
        TableName: t.name,
        Key: headKey(key),
        UpdateExpression: `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The key's current value, or null. */
  async get(service: string, table: string, key: string): Promise<Json> {
    return this.daal.read(this.table(service, table), key);
  }

  /** Every key with a value, ascending by key. */
  async scan(service: string, table: string): Promise<TableRow[]> {
    const t = this.table(service, table);
    const rows: TableRow[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const r = await this.direct.send<{ Items?: Record<string, AttributeValue>[]; LastEvaluatedKey?: Record<string, AttributeValue> }>(
        new ScanCommand({
          TableName: t.name,
          FilterExpression: "R = :h AND attribute_exists(#x)",
          ExpressionAttributeNames: { "#x": EXISTS },
          ExpressionAttributeValues: { ":h": { S: HEAD } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) rows.push({ key: item.K!.S!, value: recordOf(t, item) });
      start = r.LastEvaluatedKey;
    } while (start);
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Store and invoke requests made by the app's functions so far, by kind. */
  async requests(): Promise<Record<string, number>> {
    return this.counts.snapshot();
  }

  /** The raw items of one of the stack's tables (for tests that look at the layout). */
  async rawItems(tableName: string): Promise<Record<string, Json>[]> {
    const out: Record<string, Json>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const r = await this.direct.send<{ Items?: Record<string, AttributeValue>[]; LastEvaluatedKey?: Record<string, AttributeValue> }>(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of r.Items ?? []) out.push(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromAttr(v)])));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** An internal envelope, signed as the app's functions sign theirs (runtime/envelope-auth.ts). */
  private signed<E extends { beldi?: object }>(event: E): E {
    return signed(this.config.envelopeKey, event);
  }

  /** Holds one store request until `resume()`. */
  private hold(): Promise<void> {
    return new Promise<void>((release) => {
      this.held.push(release);
      for (const f of this.onHeld.splice(0)) f();
    });
  }

  /** Resolves once a store request is being held (InvokeOptions.pauseAt). */
  paused(): Promise<void> {
    if (this.held.length) return Promise.resolve();
    return new Promise((r) => this.onHeld.push(r));
  }

  /** Lets every held store request go on to the store. */
  resume(): void {
    for (const release of this.held.splice(0)) release();
  }

  /** The stack's worker processes (process isolation; zeros inline). */
  workers(): WorkerCounts {
    const all = this.deployments.all().map((d) => d.executor.workers?.() ?? { live: 0, busy: 0, peak: 0 });
    return all.reduce((a, b) => ({ live: a.live + b.live, busy: a.busy + b.busy, peak: a.peak + b.peak }), { live: 0, busy: 0, peak: 0 });
  }

  /** The stack's configuration as the functions see it. */
  get runtimeConfig(): RuntimeConfig {
    return this.config;
  }

  async stop(): Promise<void> {
    this.resume();
    if (this.timer) clearInterval(this.timer);
    if (this.gcTimer) clearInterval(this.gcTimer);
    if (this.wakeTimer) clearInterval(this.wakeTimer);
    // (the bound's timer is cleared: a pending one would keep a finished command alive for 2 s)
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.events]), new Promise((r) => (bound = setTimeout(r, 2000)))]);
    clearTimeout(bound);
    for (const close of this.closers.splice(0).reverse()) await close().catch(() => {});
  }
}

/** Drops a finished event invocation from the set stop() waits for; a rejection is no crash of the stack. */
function forget(events: Set<Promise<ExecResult>>, run: Promise<ExecResult>): void {
  const drop = () => void events.delete(run);
  run.then(drop, drop);
}
