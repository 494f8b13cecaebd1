// Builds the model (model.ts) of a call tree from its records: each instance with its status,
// input, result and steps in execution order; callees nested at their call steps, spawned
// instances (trees of their own) at their spawn steps, transactions with their attempts.
import { attemptId, callId } from "../../contract/ids.js";
import type { Decision } from "../../contract/envelope.js";
import type { Json } from "../../contract/json.js";
import { retryAfterMs } from "../../contract/timing.js";
import { CLAIM_STEP, RESULT_STEP } from "../../runtime/log.js";
import type {
  AttemptView,
  DecisionView,
  InstanceStatus,
  InstanceView,
  LockView,
  ResultView,
  StepView,
  SuspensionView,
  TxnView,
  WriteView,
} from "./model.js";
import type { IntentRecord } from "./records.js";
import { stepKind, type Sites } from "./sites.js";
import { derivationOf, segmentsOf, txnPlaceOf } from "./step-ids.js";
import type { InstanceRecords, TreeRecords } from "./tree-records.js";

/** How many attempts a transaction makes before it gives up (runtime/beldi-ctx.ts MAX_TXN_ATTEMPTS). */
const MAX_TXN_ATTEMPTS = 10;

export interface StatusClock {
  now: number;
  /** the collection window T: an unfinished instance not started or resumed for T is re-executed */
  windowMs: number;
  /** what re-executes an unfinished instance whose lease is over, in words */
  retriedBy: string;
  /** what resumes a suspended instance whose wake-up time has come, in words (default: the wake-up pass) */
  wokenBy?: string;
}

/** A root's status from its intent. */
export function intentStatus(intent: IntentRecord, clock: StatusClock): { status: InstanceStatus; note?: string } {
  if (intent.collectedAt !== undefined) return { status: "collected", note: "collected by GC: its steps, input and result are gone" };
  if (intent.done) return { status: intent.result?.ok === false ? "failed" : "done" };
  const suspended = suspensionView(intent, clock);
  if (suspended) return { status: "suspended", note: suspensionNote(suspended, clock) };
  const leaseEnds = (intent.startedAt ?? 0) + retryAfterMs(clock.windowMs, intent.resumes);
  // a spawned instance's first execution claims it in its log, not its intent (CL: older builds, or none)
  const started = intent.kind === "spawn" && !intent.claimed ? "spawned" : "started";
  const again = intent.resumes ? ` (re-executed ${intent.resumes} time${intent.resumes === 1 ? "" : "s"} so far)` : "";
  if (clock.now < leaseEnds)
    return { status: "running", note: `${started}${again}; re-executed if not finished by ${new Date(leaseEnds).toISOString()}` };
  return { status: "pending-retry", note: `${started}${again}, unfinished: ${clock.retriedBy}` };
}

/** A suspended intent's wake-up time and the signals it waits for; undefined when it is not suspended. */
export function suspensionView(intent: IntentRecord, clock: StatusClock): SuspensionView | undefined {
  if (intent.suspendedAt === undefined || intent.done || intent.collectedAt !== undefined) return undefined;
  return {
    since: intent.suspendedAt,
    ...(intent.wakeAt !== undefined ? { until: intent.wakeAt } : {}),
    waitingFor: intent.waitingFor ?? [],
    ...(intent.wakeAt !== undefined && intent.wakeAt <= clock.now ? { due: true as const } : {}),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** In words: `sleeping until <time>`, `waiting for "paid" [until <deadline>]`, and whether it is due. */
export function suspensionNote(s: SuspensionView, clock: StatusClock): string {
  const names = s.waitingFor.map((n) => JSON.stringify(n)).join(" or ");
  const until = s.until !== undefined ? ` until ${iso(s.until)}` : "";
  const what = names ? `waiting for ${names}${until}` : until ? `sleeping${until}` : "suspended";
  return s.due ? `${what}: due, ${clock.wokenBy ?? "the next wake-up pass resumes it"}` : what;
}

/** The instance view of an intent alone (what `instances` and a collected root show). */
export function intentView(intent: IntentRecord, clock: StatusClock): InstanceView {
  const { status, note } = intentStatus(intent, clock);
  const d = derivationOf(intent.instance);
  return {
    id: intent.instance,
    kind: intent.kind,
    service: intent.service,
    fn: intent.fn,
    status,
    ...(note ? { statusNote: note } : {}),
    ...(intent.version ? { version: intent.version } : {}),
    ...(intent.input !== undefined ? { input: intent.input } : { inputPreview: intent.inputPreview }),
    ...(intent.result ? { result: intent.result } : {}),
    ...(intent.startedAt !== undefined ? { startedAt: intent.startedAt } : {}),
    ...(intent.finishedAt !== undefined ? { finishedAt: intent.finishedAt } : {}),
    ...(intent.collectedAt !== undefined ? { collectedAt: intent.collectedAt } : {}),
    ...(d.kind === "spawn" ? { parent: { instance: d.parent, step: d.step } } : {}),
    ...(status === "suspended" ? { suspended: suspensionView(intent, clock)! } : {}),
    ...(intent.signals.length ? { signals: intent.signals } : {}),
    steps: [],
  };
}

/** A callee's recorded result (`$r`) as the model shows it: its transaction info left out. */
function resultOf(logged: Json | undefined): ResultView | undefined {
  if (logged === undefined || logged === null || typeof logged !== "object" || Array.isArray(logged)) return undefined;
  const r = logged as { ok?: boolean; value?: Json; error?: { code: string; message: string } };
  return r.ok ? { ok: true, value: r.value ?? null } : { ok: false, error: r.error ?? { code: "?", message: "?" } };
}

const lockViews = (locks: Decision["locks"]): LockView[] => locks.map(([service, table, key, mode]) => ({ service, table, key, mode }));

export interface TreeInputs {
  records: TreeRecords;
  rootIntent: IntentRecord;
  /** spawned instances of this tree, already assembled as their own trees, by id */
  spawned: Map<string, InstanceView>;
  sites: Sites;
  clock: StatusClock;
}

/** The view of a whole call tree, root first. */
export function assembleTree(t: TreeInputs): InstanceView {
  const { records } = t;
  const root = intentView(t.rootIntent, t.clock);
  const nodes = new Map<string, InstanceView>([[root.id, root]]);
  const unplaced: InstanceView[] = [];

  // Every instance with records, and every caller on the way to the root (one may have logged nothing yet).
  const node = (id: string): InstanceView | undefined => {
    const known = nodes.get(id);
    if (known) return known;
    const d = derivationOf(id);
    const rec = records.instances.get(id);
    const view: InstanceView = { id, kind: "call", service: rec?.service ?? null, fn: null, status: "unfinished", steps: [] };
    nodes.set(id, view);
    if (d.kind === "call") {
      view.parent = { instance: d.parent, step: d.step };
      const parent = node(d.parent);
      const target = parent?.fn && parent.service ? t.sites.resolve(`${parent.service}.${parent.fn}`, d.step)?.site.target : undefined;
      if (target) [view.service, view.fn] = target.split(".") as [string, string];
    } else unplaced.push(view);
    return view;
  };
  for (const id of records.instances.keys()) node(id);

  for (const view of nodes.values()) {
    const rec = records.instances.get(view.id);
    if (view !== root) finishCallee(view, rec, root);
    view.steps = stepsOf(view, rec, nodes, t);
  }
  if (unplaced.length) root.unplaced = unplaced;
  return root;
}

/** A callee's status and times, from its recorded result (or its root's state). */
function finishCallee(view: InstanceView, rec: InstanceRecords | undefined, root: InstanceView): void {
  const result = resultOf(rec?.values.get(RESULT_STEP));
  if (result) {
    view.result = result;
    view.status = result.ok ? "done" : "failed";
    const at = rec?.loggedAt.get(RESULT_STEP);
    if (at !== undefined) view.finishedAt = at;
  } else if (root.status === "done") {
    // a failed callee fails its root (the language catches no failure): it finished ok
    view.status = "done";
    view.statusNote = "its result is not logged: it left nothing unlogged, so any execution of it computes the same one";
  } else if (root.status === "running" || root.status === "pending-retry") {
    view.status = root.status;
    view.statusNote = `no result yet: its root ${root.id} is ${root.status}`;
  } else view.statusNote = "no result recorded";
}

/** The steps of one instance, in execution order, transactions grouped by attempt. */
function stepsOf(view: InstanceView, rec: InstanceRecords | undefined, nodes: Map<string, InstanceView>, t: TreeInputs): StepView[] {
  const fnRef = view.service && view.fn ? `${view.service}.${view.fn}` : null;
  const order = t.sites.comparator(fnRef);
  const atoms = new Map<string, StepView>();
  const targets = new Map<string, string>();
  const atom = (step: string): StepView => {
    let a = atoms.get(step);
    if (!a) {
      const resolved = fnRef ? t.sites.resolve(fnRef, step) : undefined;
      const last = segmentsOf(step).at(-1)!;
      a = {
        step,
        kind: stepKind(resolved?.site),
        site: last.site ?? last.text,
        fn: resolved?.fn ?? fnRef ?? "?",
        source: resolved ? t.sites.source(resolved.site) : null,
        ...(resolved?.site.table && view.service ? { table: `${view.service}.${resolved.site.table}` } : {}),
      };
      atoms.set(step, a);
      if (resolved?.site.target) targets.set(step, resolved.site.target);
    }
    return a;
  };
  const deadlines = new Map<string, number>();
  const txns = new Map<string, { age?: number; decisions: Map<number, { d: Decision; at?: number }>; attempts: Set<number> }>();
  const txn = (step: string) => txns.get(step) ?? txns.set(step, { decisions: new Map(), attempts: new Set() }).get(step)!;

  for (const [step, value] of rec?.values ?? []) {
    if (step === RESULT_STEP || step === CLAIM_STEP) continue;
    const place = txnPlaceOf(step);
    if (place.kind === "age") {
      txn(place.txnStep).age = typeof value === "number" ? value : undefined;
      continue;
    }
    if (place.kind === "decision") {
      txn(place.txnStep).decisions.set(place.attempt, { d: value as unknown as Decision, at: rec?.loggedAt.get(step) });
      continue;
    }
    const last = segmentsOf(step).at(-1)!;
    if (last.suffix.kind === "page") continue; // a scan's pages: gathered at its step
    if (last.suffix.kind === "deadline") {
      // a wait's deadline: shown at the wait's step, which has no value until it takes one
      if (typeof value === "number") deadlines.set(atom(step.slice(0, -2)).step, value);
      continue;
    }
    const a = atom(last.suffix.kind === "base" ? step.slice(0, -2) : step);
    a.value = a.kind === "scan" && typeof value === "number" ? scanRows(rec!, step, value) : value;
    const at = rec?.loggedAt.get(step);
    if (at !== undefined) a.loggedAt = at;
    if (a.kind === "call" && view.service) a.callee = readOnlyCallee(view, step, targets.get(step), value);
  }
  for (const e of rec?.entries ?? []) {
    const a = atom(e.step);
    a.table = `${e.service}.${e.table}`;
    a.key = e.key;
    a.outcome = e.outcome;
    if (e.pinned) a.reExecuted = true;
    if (e.archived) a.archived = true;
  }
  for (const a of atoms.values()) waitingDetails(a, view, fnRef, deadlines.get(a.step), t.sites);
  for (const child of nodes.values()) {
    if (child.parent?.instance === view.id && child.kind === "call") atom(child.parent.step).callee = child;
  }
  for (const s of t.spawned.values()) {
    if (s.parent?.instance === view.id) atom(s.parent.step).spawned = s;
  }
  // Attempts known only from the locks they hold (undecided, nothing logged yet).
  if (view.service) {
    for (const attempt of [...t.records.locks.keys(), ...t.records.commits.keys()]) {
      const step = attemptStepOf(attempt, view.id, view.service);
      const place = step === null ? null : txnPlaceOf(`${step}/`);
      if (place?.kind === "body") txn(place.txnStep).attempts.add(place.attempt);
    }
  }

  const top: StepView[] = [];
  const bodies = new Map<string, StepView[]>();
  for (const a of atoms.values()) {
    const place = txnPlaceOf(a.step);
    if (place.kind !== "body") {
      top.push(a);
      continue;
    }
    txn(place.txnStep).attempts.add(place.attempt);
    const k = `${place.txnStep}#${place.attempt}`;
    (bodies.get(k) ?? bodies.set(k, []).get(k)!).push(a);
  }
  for (const [txnStep, x] of txns) {
    const a = atom(txnStep);
    top.push(a);
    const numbers = [...new Set([...x.attempts, ...x.decisions.keys()])].sort((p, q) => p - q);
    const attempts: AttemptView[] = numbers.map((n) => {
      const id = attemptId(view.id, `${txnStep}.a${n}`, view.service ?? "?");
      const decided = x.decisions.get(n);
      return {
        attempt: n,
        id,
        decision: decided ? decisionView(decided.d, n, x.decisions, t.records.commits.get(id) ?? [], decided.at) : null,
        steps: (bodies.get(`${txnStep}#${n}`) ?? []).sort((p, q) => order(p.step, q.step)),
        heldNow: (t.records.locks.get(id) ?? []).map(({ service, table, key, mode }) => ({ service, table, key, mode })),
      };
    });
    const last = attempts.at(-1)?.decision?.kind;
    const view_: TxnView = {
      ...(x.age !== undefined ? { startedAt: x.age } : {}),
      outcome: last === "commit" ? "committed" : last === "abort" ? "aborted" : last === "fail" ? "failed" : "undecided",
      attempts,
    };
    a.txn = view_;
  }
  return top.sort((p, q) => order(p.step, q.step));
}

/**
 * What a sleep, wait or signal step logged, in the model's terms: a sleep's wake-up time; a wait's
 * signal name (from the program), deadline and outcome; a signal's outcome, name and receiving
 * instance where the program tells them (a literal, or a parameter of the instance's own fn).
 */
function waitingDetails(a: StepView, view: InstanceView, fnRef: string | null, deadline: number | undefined, sites: Sites): void {
  if (a.kind === "sleep") {
    if (typeof a.value === "number") a.wakeAt = a.value;
    return;
  }
  if (a.kind !== "wait" && a.kind !== "signal") return;
  const expr = sites.waitingExpr(a.fn, a.site);
  if (a.kind === "wait") {
    a.wait = {
      name: expr?.kind === "wait" ? expr.name : null,
      ...(deadline !== undefined ? { deadline } : {}),
      outcome: !("value" in a) ? "waiting" : a.value === null ? "timed-out" : "signalled",
    };
    return;
  }
  if (typeof a.value !== "boolean") return;
  const name = expr?.kind === "signal" && expr.name.kind === "lit" && typeof expr.name.value === "string" ? expr.name.value : undefined;
  let to: string | undefined;
  if (expr?.kind === "signal") {
    const target = expr.instance;
    if (target.kind === "lit" && typeof target.value === "string") to = target.value;
    else if (target.kind === "local" && a.fn === fnRef && sites.fixedParam(a.fn, target.name)) {
      const given = inputOf(view)?.[target.name];
      if (typeof given === "string") to = given;
    }
  }
  a.signal = { delivered: a.value, ...(name !== undefined ? { name } : {}), ...(to !== undefined ? { to } : {}) };
}

/** An entry or spawned instance's input by parameter: the input while unfinished, else its preview when it is whole JSON. */
function inputOf(view: InstanceView): Record<string, Json> | undefined {
  let input = view.input;
  if (input === undefined && view.inputPreview !== undefined) {
    try {
      input = JSON.parse(view.inputPreview) as Json;
    } catch {
      return undefined; // cut short
    }
  }
  return input !== null && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, Json>) : undefined;
}

/** `<instance>/<attempt step>@<service>` of this instance: its attempt step, else null. */
function attemptStepOf(attempt: string, instance: string, service: string): string | null {
  if (!attempt.startsWith(`${instance}/`) || !attempt.endsWith(`@${service}`)) return null;
  const step = attempt.slice(instance.length + 1, attempt.length - service.length - 1);
  return step.includes(":") || step.includes("!") ? null : step; // a callee's attempt, not this instance's
}

/** A scan's rows, from the pages logged under its step. */
function scanRows(rec: InstanceRecords, step: string, pages: number): Json {
  const rows: Json[] = [];
  for (let i = 0; i < pages; i++) {
    const page = rec.values.get(`${step}~p${i}`);
    if (Array.isArray(page)) rows.push(...page);
  }
  return rows;
}

/** A read-only callee: it ran without logging; its caller logged its result like a read. */
function readOnlyCallee(caller: InstanceView, step: string, target: string | undefined, logged: Json): InstanceView {
  const result = resultOf(logged);
  const [service, fn] = target ? (target.split(".") as [string, string]) : [null, null];
  return {
    id: callId(caller.id, caller.service!, step),
    kind: "call",
    service,
    fn,
    status: result?.ok === false ? "failed" : "done",
    statusNote: "read-only: it ran without logging; its caller logged its result",
    ...(result ? { result } : {}),
    parent: { instance: caller.id, step },
    steps: [],
  };
}

function decisionView(
  d: Decision,
  attempt: number,
  all: Map<number, { d: Decision }>,
  commits: { service: string; table: string; key: string; outcome: WriteView["applied"] }[],
  at: number | undefined,
): DecisionView {
  const reason = (() => {
    const given = (d as { reason?: unknown }).reason;
    switch (d.kind) {
      case "commit":
        return "committed";
      case "restart":
        return "lock conflict (wait-die): restarted";
      case "fail":
        return `failed: ${d.error.code} ${d.error.message}`;
      case "abort": {
        if (typeof given === "string") return given === "" ? "abort" : `abort: ${given}`;
        const allRestarted = [...Array(attempt).keys()].every((i) => all.get(i)?.d.kind === "restart");
        return attempt + 1 >= MAX_TXN_ATTEMPTS && allRestarted
          ? `conflict: gave up after ${MAX_TXN_ATTEMPTS} attempts`
          : "abort in the body";
      }
    }
  })();
  const writes: WriteView[] = d.writes.map(([service, table, key, value]) => {
    const applied = commits.find((c) => c.service === service && c.table === table && c.key === key)?.outcome;
    return { service, table, key, value, ...(applied ? { applied } : {}) };
  });
  return {
    kind: d.kind,
    reason,
    ...(d.kind === "fail" ? { error: d.error } : {}),
    locks: lockViews(d.locks),
    writes,
    ...(at !== undefined ? { loggedAt: at } : {}),
  };
}
