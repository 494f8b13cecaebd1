// `defineService`: turns the generated fns of one service into a Lambda handler that runs each
// instance exactly once (DESIGN.md §2): intents for entry and spawned instances, careful
// re-execution, restart from the log when a duplicate logged first, results recorded once.
import { randomUUID } from "node:crypto";
import { approxSize, unstorable } from "./codec.js";
import { configFromEnv, type RuntimeConfig } from "./config.js";
import { checkTiming, retryAfterMs } from "../contract/timing.js";
import { decodeEvent, failure, isObject, type DecodedEvent, type Invocation } from "./decode-event.js";
import { DeadlineExceeded, ExecutionStopped, Fenced, withDeadline } from "./deadline.js";
import { BaselineCtx } from "./baseline.js";
import { BeldiCtx, type Execution } from "./beldi-ctx.js";
import type { Ctx } from "../contract/ctx.js";
import type { ClientResult, InvocationResult, PendingResult } from "../contract/envelope.js";
import { Suspend } from "./suspension.js";
import { checkSignal, deliverTo, wakeAndSend } from "./signal-delivery.js";
import { BeldiFailure, codeFailure } from "./errors.js";
import { EntryRegistration, InstanceLog, RESULT_STEP, RestartExecution } from "./log.js";
import { RegistrationFound, type Registration } from "./intent.js";
import { ENTRY_ID, isSpawnedId } from "../contract/ids.js";
import { ServiceRuntime } from "./service-runtime.js";
import { gcPass, noGcStats } from "./gc.js";
import { TxnDie } from "./locks.js";
import { applyTxnEnd, OrphanLocks, TxnState } from "./txn.js";
import { currentTrace } from "./trace.js";
import type { TypeDesc, TypeTable } from "../contract/types.js";
import { mismatch } from "./validate.js";
import type { Json } from "../contract/json.js";
import { setOwn } from "./values.js";

/** A table: its fields, and its value type (writes are checked against it, and its `f?: T` fields stay absent when read; absent: a build before it) */
export interface TableSpec {
  fields: string[];
  type?: TypeDesc;
}

export interface FnSpec {
  params: { name: string; type: TypeDesc }[];
  result: TypeDesc;
  // biome-ignore lint/suspicious/noExplicitAny: each generated fn destructures its own parameter types from it
  run(ctx: Ctx, input: Record<string, any>): Promise<unknown>;
}

export interface ServiceSpec {
  app: string;
  service: string;
  /** every service of the app (GC looks up call-tree roots in all their intent tables) */
  services: string[];
  types: TypeTable;
  tables: Record<string, TableSpec>;
  /** "service.fn" of every fn of the app with no effect anywhere it reaches (IrFn.readOnly) */
  readOnly?: string[];
  /** the app version this code is (IrProgram.codeVersion): every instance runs, to its end, on the version it started on */
  version?: string;
  /** a fn of this service may sleep or wait: the collector wakes its suspended instances too */
  suspends?: boolean;
  /** the services whose instances may wait (emitted where a fn signals): where a signal looks for its instance */
  waiting?: string[];
  fns: Record<string, FnSpec>;
}

/** What Lambda passes a handler besides the event (the part we use). */
export interface LambdaContext {
  getRemainingTimeInMillis?(): number;
}

export type Handler = (event: unknown, context?: LambdaContext) => Promise<ClientResult>;

/** On Lambda, the deadline leaves this much of the function's time to return a result. */
const LAMBDA_MARGIN_MS = 1_000;

/** A result must fit one log item and an intent. */
const MAX_RESULT_BYTES = 350_000;
const MAX_RESTARTS = 20;
const MAX_INTENT_INPUT_BYTES = 350_000;
/** The largest input whose intent also takes the first log batch along (log.ts): the rest stays free for signals and the result. */
const MAX_INPUT_WITH_FIRST_LOG = 64_000;
/** how many due instances one wake-up pass resumes at once */
const WAKE_CONCURRENCY = 8;

export function defineService(spec: ServiceSpec): { handler: Handler; createHandler: (config: RuntimeConfig) => Handler } {
  const createHandler = (config: RuntimeConfig): Handler => {
    checkTiming(config); // a window too short for the timeouts would let the collector and GC act on live executions
    const rt = new ServiceRuntime(config, spec.service, spec.tables, spec.readOnly, spec.services, spec.version, spec.types, spec.waiting);
    return (event, context) => handleWithin(spec, rt, event, context);
  };
  let fromEnv: Handler | undefined;
  const handler: Handler = (event, context) => (fromEnv ??= createHandler(configFromEnv()))(event, context);
  return { handler, createHandler };
}

/**
 * Runs one invocation under its deadline: the function timeout (on Lambda, what the function
 * has left), or a caller's deadline that comes first. Past it the execution stops as a crash:
 * a client is told so with a typed, retryable error; a caller's call, an event or the
 * collector's re-send just fails, and the collector finishes the instance.
 */
async function handleWithin(spec: ServiceSpec, rt: ServiceRuntime, raw: unknown, context?: LambdaContext): Promise<ClientResult> {
  const start = Date.now();
  let deadline = start + rt.config.timeoutMs;
  const left = context?.getRemainingTimeInMillis?.();
  if (typeof left === "number" && Number.isFinite(left)) deadline = Math.min(deadline, start + left - LAMBDA_MARGIN_MS);
  const event = decodeEvent(raw, rt.config.envelopeKey);
  if (event.kind === "refused") return event.result;
  const client = event.kind === "invoke" && event.invocation.kind === "entry";
  // A sync callee (or a participant told to commit) keeps to its caller's deadline; a forged
  // deadline can only make an execution stop sooner.
  const callerDeadline = event.kind === "invoke" ? event.invocation.deadline : event.kind === "txnEnd" ? event.deadline : undefined;
  if (!client && callerDeadline !== undefined) deadline = Math.min(deadline, callerDeadline);
  try {
    return await withDeadline(deadline, () => handle(spec, rt, event));
  } catch (e) {
    // a deterministic failure outside the fn's own steps (R0022: its intent or log table refused): the answer
    if (e instanceof BeldiFailure) return { ok: false, error: e.info() };
    if (!(e instanceof ExecutionStopped) || !client) throw e;
    const what = `${rt.service}.${event.invocation.fn}`;
    if (e instanceof Fenced) return failure("collected", `${e.message}; the invocation finished and was collected`);
    if (!(e instanceof DeadlineExceeded)) {
      return failure("unavailable", `${what} stopped: ${e.message}; what it did stays done once: retry with the same instance id`);
    }
    return failure(
      "deadline",
      `${what} did not finish within its timeout of ${rt.config.timeoutMs} ms (${e.message}); ` +
        `what it did stays done once: retry with the same instance id to finish it and get the result`,
    );
  }
}

async function handle(spec: ServiceSpec, rt: ServiceRuntime, event: Exclude<DecodedEvent, { kind: "refused" }>): Promise<ClientResult> {
  switch (event.kind) {
    case "collect":
      return collect(rt, event.olderThanMs, spec.suspends === true);
    case "wake":
      return { ok: true, value: { woken: await currentTrace.run(event.trace, () => wakeDue(rt)) } };
    case "signal":
      return currentTrace.run(event.trace, () => signalFromClient(rt, event.instanceId, event.name, event.value));
    case "gc": {
      const stats = noGcStats();
      try {
        // `laterByMs` (local stack tests): collect as if that much more time had passed.
        await currentTrace.run(event.trace, () => gcPass(rt, spec.services, Date.now() + event.laterByMs, stats));
      } catch (e) {
        // Out of time: every step of a pass is idempotent, the next pass goes on from here.
        if (!(e instanceof ExecutionStopped)) throw e;
      }
      return { ok: true, value: stats as unknown as Json };
    }
    case "txnEnd":
      // A transaction's owner tells this participant to commit or abort: idempotent.
      await currentTrace.run(event.trace, () => applyTxnEnd(rt, event.end, event.replay));
      return { ok: true, value: null };
    case "invoke": {
      const inv = event.invocation;
      const checked = checkInvocation(spec, inv);
      if ("ok" in checked) return checked;
      // (traced too: a crash sweep of the baseline is the negative control of the real one)
      if (rt.config.baseline) return currentTrace.run(inv.trace, () => runBaseline(rt, checked.fn, checked.fnName, checked.input));
      return currentTrace.run(inv.trace, () => run(rt, { ...checked, inv }));
    }
  }
}

/** An invocation whose fn exists and whose id and input fit it. */
interface Instance {
  fn: FnSpec;
  fnName: string;
  instance: string;
  input: Record<string, unknown>;
  inv: Invocation;
}

/** Looks up the fn and checks the instance id and the input against it (a typed refusal otherwise). */
function checkInvocation(spec: ServiceSpec, inv: Invocation): Omit<Instance, "inv"> | InvocationResult {
  const fn = Object.hasOwn(spec.fns, inv.fn) ? spec.fns[inv.fn] : undefined;
  if (!fn) return failure("unknownFn", `service ${spec.service} has no fn ${inv.fn}; it has ${Object.keys(spec.fns).join(", ")}`);
  const internal = inv.kind !== "entry";
  const id = inv.instanceId ?? (internal ? undefined : randomUUID());
  if (typeof id !== "string" || (internal ? id.length === 0 || id.includes("#") : !ENTRY_ID.test(id))) {
    return failure("badInstanceId", `instance id ${JSON.stringify(id)} is not valid: use 1 to 128 of A-Z a-z 0-9 _ . : -`);
  }
  const sent = inv.input === undefined && fn.params.length === 0 ? {} : inv.input;
  if (!isObject(sent)) return failure("badPayload", `the input of ${spec.service}.${inv.fn} must be an object of its parameters`);
  const input: Record<string, unknown> = { ...sent };
  for (const p of fn.params) {
    // own properties only: an absent parameter named `constructor` is absent, not Object.prototype's
    const m = mismatch(Object.hasOwn(sent, p.name) ? sent[p.name] : undefined, p.type, spec.types, p.name);
    if (m) return failure("badPayload", `${spec.service}.${inv.fn}: ${m}`);
    // left out, and it may be (`T?`, `null`, `any`): it is null, as the fn's null checks expect
    if (!Object.hasOwn(sent, p.name)) setOwn(input, p.name, null);
  }
  const unknown = Object.keys(input).find((k) => !fn.params.some((p) => p.name === k));
  if (unknown !== undefined) return failure("badPayload", `${spec.service}.${inv.fn} has no parameter ${unknown}`);
  if (inv.kind !== "call" && approxSize(input) > MAX_INTENT_INPUT_BYTES) {
    // An instance with an intent keeps its input there, for the collector: one item.
    return failure("payloadTooLarge", `the input of ${spec.service}.${inv.fn} is over ${MAX_INTENT_INPUT_BYTES} bytes`);
  }
  return { fn, fnName: inv.fn, instance: id, input };
}

/** The answer to a client whose id names another invocation, or one already collected. */
function refusal(
  rt: ServiceRuntime,
  instance: string,
  r: { kind: "mismatch"; fn: string; input: string } | { kind: "collected" },
): InvocationResult {
  if (r.kind === "collected") {
    return failure(
      "collected",
      `instance id ${instance} finished this invocation more than a collection window ago; its result is no longer kept (nothing ran again)`,
    );
  }
  return failure("instanceReused", `instance id ${instance} was used for another invocation: ${rt.service}.${r.fn} with input ${r.input}`);
}

/** A fn's value as its result, or a typed error when it is too large to record. */
function valueResult(rt: ServiceRuntime, fnName: string, value: unknown): InvocationResult {
  const result: InvocationResult = { ok: true, value: toJson(value) };
  const why = unstorable(result.value);
  if (why) return failure("unstorable", `the result of ${rt.service}.${fnName} cannot be recorded: ${why}`);
  if (approxSize(result.value) <= MAX_RESULT_BYTES) return result;
  return failure("payloadTooLarge", `the result of ${rt.service}.${fnName} is over ${MAX_RESULT_BYTES} bytes`);
}

/**
 * A read-only fn: run once with nothing logged (a re-execution is as good as the first); an
 * entry instance's result is recorded in one request, so a retry gets the first answer.
 */
async function runReadOnly(rt: ServiceRuntime, it: Instance): Promise<ClientResult> {
  const { fn, fnName, instance, input, inv } = it;
  const log = new InstanceLog(rt.store, rt.logTable, instance);
  const x: Execution = { rt, fn: fnName, instance, careful: false, log, trace: inv.trace, orphans: new OrphanLocks(), readOnly: true };
  let result: InvocationResult;
  try {
    result = valueResult(rt, fnName, await fn.run(new BeldiCtx(x, "", log.buffer()), input));
  } catch (thrown) {
    const e = codeFailure(thrown, `${rt.service}.${fnName}`) ?? thrown;
    if (!(e instanceof BeldiFailure)) throw e;
    result = { ok: false, error: e.info() };
  }
  if (inv.kind === "call") return result;
  const rec = await rt.intents.recordFinished(instance, fnName, input, result);
  if (rec.kind === "mismatch" || rec.kind === "collected") return refusal(rt, instance, rec);
  if (rec.kind === "done") return rec.result;
  // An unfinished registration of this invocation (made by a build where the fn had effects): finish it that way.
  if (rec.kind === "running") return runInstance(rt, it);
  return result;
}

/** Runs an instance: a read-only fn outside a transaction has nothing to make exactly-once. */
function run(rt: ServiceRuntime, it: Instance): Promise<ClientResult> {
  const { kind, txn } = it.inv;
  if ((kind === "entry" || kind === "call") && !txn && rt.isReadOnly(rt.service, it.fnName)) return runReadOnly(rt, it);
  return runInstance(rt, it);
}

async function runInstance(rt: ServiceRuntime, it: Instance): Promise<ClientResult> {
  const { fn, fnName, instance, input, inv } = it;
  const kind = inv.kind;
  let careful = inv.replay;
  // the execution epoch this execution runs in: only the current one may suspend the instance
  let epoch = 0;
  // a spawn event runs unclaimed until its first log put: losing that put sends it to the intent
  let claimOnConflict = false;
  // an entry's registration, made at the execution's first durable request (log.ts)
  let registration: EntryRegistration | undefined;
  switch (kind) {
    case "entry":
      // Registered at the fn's first durable request, with its first log batch when that is a
      // log put (one put for both). A taken id unwinds the execution (RegistrationFound).
      registration = new EntryRegistration(async (firstLog) => {
        const carried = approxSize(input) <= MAX_INPUT_WITH_FIRST_LOG ? firstLog : undefined;
        const reg = await rt.intents.registerEntry(instance, fnName, input, carried);
        if (reg.kind !== "new") throw new RegistrationFound(instance, reg);
        return carried !== undefined;
      });
      break;
    case "spawn":
      // No request: the first execution to log claims the instance (log.ts, CLAIM_STEP); one
      // that loses the claim asks the intent (below) whether it is running, done or collected.
      claimOnConflict = true;
      break;
    case "recover": {
      // A re-send: the instance may be running, done, or done and collected.
      const r = await rt.intents.resume(instance);
      if (r.kind === "done") return r.result;
      if (r.kind === "gone") return collectedOrUnknown(instance);
      careful ||= r.kind === "again";
      epoch = r.epoch;
      break;
    }
    case "call":
      break;
  }
  const hasIntent = kind !== "call";
  const orphans = new OrphanLocks();
  for (let restarts = 0; restarts <= MAX_RESTARTS; restarts++) {
    // an entry instance's registration may hold its first log batch
    const firstLog = hasIntent && !isSpawnedId(instance) ? (id: string) => rt.intents.firstLog(id) : undefined;
    const log = new InstanceLog(rt.store, rt.logTable, instance, firstLog);
    if (hasIntent && isSpawnedId(instance)) log.requireClaim();
    if (registration) log.registerLazily(registration);
    if (careful) {
      await log.load();
      const logged = log.get(RESULT_STEP);
      if (logged !== undefined) {
        let result = logged as unknown as InvocationResult;
        // Locks an abandoned execution took in the caller's transaction go back with the result, for its decision.
        const lost = inv.txn ? orphans.take(inv.txn.id) : [];
        if (lost.length && result.txn) result = { ...result, txn: { ...result.txn, locks: [...result.txn.locks, ...lost] } };
        return hasIntent ? rt.intents.finish(instance, result) : result;
      }
    }
    const x: Execution = { rt, fn: fnName, instance, careful, log, trace: inv.trace, orphans, readOnly: false };
    const buffer = log.buffer();
    // A call inside a transaction runs in it: it reports back what it locked and wrote.
    const tx = inv.txn ? TxnState.from(inv.txn, false) : undefined;
    for (const [service, table, key, mode] of tx ? orphans.take(tx.id) : []) tx!.lock(service, table, key, mode);
    // Another execution logged first: start over, carefully, from the log; a spawn event that
    // lost its claim asks the intent first (its result, or nothing to run: returned).
    const restartAfterConflict = async (): Promise<InvocationResult | undefined> => {
      if (tx) orphans.add(tx.info());
      careful = true;
      if (!claimOnConflict) return undefined;
      claimOnConflict = false;
      const r = await claimLost(rt, instance);
      if (r.kind !== "again") return r.result;
      epoch = r.epoch;
      return undefined;
    };
    // The registration found the id taken, before anything durable: start as that case says.
    const afterFound = async (found: RegistrationFound): Promise<ClientResult | undefined> => {
      registration = undefined;
      const next = await registered(rt, it, found.registration);
      if ("result" in next) return next.result;
      careful = true;
      epoch = next.epoch;
      return undefined;
    };
    let result: InvocationResult | undefined;
    let suspend: Suspend | undefined;
    try {
      result = valueResult(rt, fnName, await fn.run(new BeldiCtx(x, "", buffer, tx), input));
    } catch (thrown) {
      const e = codeFailure(thrown, `${rt.service}.${fnName}`) ?? thrown;
      if (e instanceof RegistrationFound) {
        const stop = await afterFound(e);
        if (stop) return stop;
        continue;
      }
      if (e instanceof RestartExecution) {
        const stop = await restartAfterConflict();
        if (stop) return stop;
        continue;
      }
      if (e instanceof Suspend && hasIntent) suspend = e;
      else if (e instanceof Suspend) {
        // the checker keeps `sleep` and `wait` off every `call` path: a build before that rule
        result = failure("fail", `${rt.service}.${fnName} may suspend, so it cannot be reached by \`call\` (only invoked or spawned)`);
      } else if (e instanceof TxnDie && tx) {
        result = { ok: false, error: { code: "R0014", message: e.message }, restart: true };
      } else if (e instanceof BeldiFailure) {
        result = { ok: false, error: e.info() };
      } else throw e; // not deterministic (a crash, the deadline, a fence): die, and let the IC retry
    }
    // Nothing is recorded before the registration is settled. A fn that made no durable request
    // is registered finished, in one put (its pending values fed only its result).
    try {
      if (log.unregistered && result && !suspend) {
        const rec = await rt.intents.recordFinished(instance, fnName, input, result);
        if (rec.kind !== "new") throw new RegistrationFound(instance, rec);
        return result;
      }
      if (!suspend) await log.registered(); // a suspending one registers with its flush below
    } catch (e) {
      if (!(e instanceof RegistrationFound)) throw e;
      const stop = await afterFound(e);
      if (stop) return stop;
      continue;
    }
    if (tx && result) result.txn = tx.info();
    // A call whose caller logs its result, with values all read under the attempt's locks: any
    // execution until the decision computes this same result, and after it the caller's log has it.
    if (kind === "call" && inv.callerLogs && tx && result && !result.restart && buffer.onlyRepeatable()) {
      return buffer.pending.size ? { ...result, unlogged: Object.fromEntries(buffer.pending) } : result;
    }
    // An instance with an intent records its result there, first recorded wins (Intents.finish):
    // the values still pending fed only that result, so they need not be logged (an execution
    // that computes another result from fresher values answers with the recorded one).
    if (hasIntent && result) return rt.intents.finish(instance, result);
    // A sync callee with nothing unlogged made its result from its input, its logged values and
    // its effects' recorded outcomes alone: every execution makes the same one, so it logs none
    // (a put fewer per call; the caller's re-execution runs it again, carefully, for it).
    if (kind === "call" && result && !suspend && buffer.pending.size === 0) return result;
    try {
      // A sync callee's result goes to its log, where its caller's re-execution finds it. A
      // suspending instance makes what it read (a sleep's wake-up time, a wait's deadline) durable.
      await buffer.flush(result ? { [RESULT_STEP]: result as unknown as Json } : undefined);
    } catch (e) {
      if (e instanceof RegistrationFound) {
        const stop = await afterFound(e);
        if (stop) return stop;
        continue;
      }
      if (e instanceof RestartExecution) {
        const stop = await restartAfterConflict();
        if (stop) return stop;
        continue;
      }
      throw e;
    }
    if (suspend || !result) {
      const s = await rt.suspensionsOf(rt.service).suspend(instance, epoch, suspend?.wakeAt ?? null, suspend?.waitingFor ?? []);
      if (s === "signalled") {
        // a signal it waits for came while it looked: run again, the wait takes it
        careful = true;
        continue;
      }
      return pending(instance);
    }
    return result;
  }
  throw new Error(`instance ${instance} restarted more than ${MAX_RESTARTS} times`);
}

/**
 * What an entry execution does when its registration found the id taken: answer (a refusal,
 * the recorded result, the pinned version's answer, "pending" while suspended), or run again,
 * carefully, under a renewed lease in `epoch`.
 */
async function registered(
  rt: ServiceRuntime,
  it: Instance,
  reg: Exclude<Registration, { kind: "new" }>,
): Promise<{ result: ClientResult } | { epoch: number }> {
  if (reg.kind === "mismatch" || reg.kind === "collected") return { result: refusal(rt, it.instance, reg) };
  if (reg.kind === "done") return { result: reg.result };
  // A retry of an instance another app version started: it finishes there, on its own code.
  if (reg.version && rt.version && reg.version !== rt.version) return { result: await runPinned(rt, it, reg.version) };
  // suspended, and not due: nothing to run yet (the wake-up or a signal resumes it)
  if (reg.wakeAt !== undefined && reg.wakeAt > Date.now()) return { result: pending(it.instance) };
  // A client's retry re-executes it now: renew the collector's lease, so the collector does not
  // start yet another execution beside this one within the window.
  const r = await rt.intents.resume(it.instance);
  if (r.kind === "done") return { result: r.result };
  if (r.kind === "gone") return { result: refusal(rt, it.instance, { kind: "collected" }) };
  return { epoch: r.epoch };
}

function collectedOrUnknown(instance: string): InvocationResult {
  return failure("collected", `instance ${instance} is finished and collected (or was never registered): nothing ran`);
}

/**
 * A spawn event whose execution lost the claim (another execution of the instance logged
 * first, or it is finished): runs on carefully under a renewed lease, or answers what the
 * intent says — its result, or nothing ran (collected; a late event after GC).
 */
type ClaimLost = { kind: "again"; epoch: number } | { kind: "stop"; result: InvocationResult };

async function claimLost(rt: ServiceRuntime, instance: string): Promise<ClaimLost> {
  const r = await rt.intents.resume(instance);
  if (r.kind === "again") return r;
  return { kind: "stop", result: r.kind === "done" ? r.result : collectedOrUnknown(instance) };
}

/** The answer while an instance is suspended: ask again with the same id for its result. */
function pending(instanceId: string): PendingResult {
  return { ok: true, pending: true, instanceId };
}

/**
 * Forwards a client's invocation to the app version its instance is pinned to (on AWS, the
 * function's alias for that version; locally, the version the stack still keeps) and answers
 * with that version's result. A forwarded invocation is never forwarded again.
 */
async function runPinned(rt: ServiceRuntime, it: Instance, version: string): Promise<ClientResult> {
  const what = `instance ${it.instance} of ${rt.service}.${it.fnName}`;
  if (it.inv.pinned) {
    return failure("unavailable", `${what} is pinned to app version ${version}, but version ${rt.version} was sent it as that version`);
  }
  try {
    const beldi = { pinned: true, ...(it.inv.trace ? { trace: it.inv.trace } : {}) };
    // the pinned version's answer to the client, a pending one included
    return (await rt.invoker.call(rt.service, { fn: it.fnName, instanceId: it.instance, input: it.input, beldi }, version)) as ClientResult;
  } catch (e) {
    // the old version's function is gone: say which version the instance needs
    if (e instanceof BeldiFailure && e.code === "R0022")
      throw BeldiFailure.of("resourceRefused", `${what} started on app version ${version}, which is no longer deployed: ${e.message}`);
    throw e;
  }
}

/** The baseline: runs the fn once with plain store and invoke calls (bench/ only). */
async function runBaseline(rt: ServiceRuntime, fn: FnSpec, fnName: string, input: Record<string, unknown>): Promise<InvocationResult> {
  try {
    return { ok: true, value: toJson(await fn.run(new BaselineCtx(rt), input)) };
  } catch (thrown) {
    const e = codeFailure(thrown, `${rt.service}.${fnName}`) ?? thrown;
    if (e instanceof BeldiFailure) return { ok: false, error: e.info() };
    throw e;
  }
}

function toJson(v: unknown): Json {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json);
}

/**
 * The intent collector: re-executes unfinished intents older than the window, and wakes the
 * suspended instances that are due (on AWS its schedule is the wake-ups' granularity).
 */
async function collect(rt: ServiceRuntime, olderThanMs: number | undefined, suspends: boolean): Promise<InvocationResult> {
  const olderThan = olderThanMs ?? rt.config.windowMs;
  const now = Date.now();
  // each re-execution that did not finish it makes the next wait longer (an instance that always overruns its deadline)
  const pending = (await rt.intents.pending(now - olderThan)).filter((i) => i.startedAt <= now - retryAfterMs(olderThan, i.resumes));
  for (const intent of pending) {
    await rt.invoker.send(
      rt.service,
      {
        fn: intent.fn,
        instanceId: intent.instance,
        input: intent.input,
        beldi: { kind: "recover" },
      },
      intent.version,
    ); // on the version it started on
  }
  return { ok: true, value: suspends ? { restarted: pending.length, woken: await wakeDue(rt) } : { restarted: pending.length } };
}

/** Resumes this service's suspended instances whose wake-up time has come; how many it resumed. */
async function wakeDue(rt: ServiceRuntime): Promise<number> {
  const now = Date.now();
  const due = await rt.suspensionsOf(rt.service).due(now);
  let woken = 0;
  let next = 0;
  // a few at a time: many instances due at once are not resumed one round trip after another
  const worker = async () => {
    for (let i = next++; i < due.length; i = next++) if (await wakeAndSend(rt, rt.service, due[i]!, now)) woken++;
  };
  await Promise.all(Array.from({ length: Math.min(WAKE_CONCURRENCY, due.length) }, worker));
  return woken;
}

/** A client's `{ signal: { instanceId, name, value } }`: whether it delivered (a typed error for an unknown instance). */
async function signalFromClient(rt: ServiceRuntime, instanceId: string, name: string, value: unknown): Promise<ClientResult> {
  try {
    checkSignal(name, value);
  } catch (e) {
    if (e instanceof BeldiFailure) return { ok: false, error: e.info() };
    throw e;
  }
  // a client's send has no identity to recognise a retry by: a second send answers false
  const d = await deliverTo(rt, rt.service, instanceId, name, value, `client:${randomUUID()}`);
  if (d.kind === "unknown") {
    const why = d.collected ? "finished and was collected" : "is not an instance of this service";
    return failure("unknownInstance", `${instanceId} ${why}: signal ${name} was not delivered`);
  }
  return { ok: true, value: d.kind === "delivered" };
}
