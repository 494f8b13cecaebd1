// What `beldi inspect` and `beldi instances` report: plain JSON (their `--format json`), built
// from the store's records by assemble.ts and printed by render-text.ts.
import type { Json } from "../../contract/json.js";
import type { LockMode } from "../../contract/envelope.js";

/**
 * Where an instance stands. running: unfinished, within its lease (an execution may be at work);
 * suspended: a `sleep` or `wait` suspended it (no execution runs; the wake-up pass or a signal
 * resumes it, LANGUAGE.md §9); pending-retry: unfinished and its lease is over (the intent
 * collector, or locally the next `beldi run`, re-executes it); done / failed: its result is
 * recorded; collected: GC took its records (a tombstone is left, or nothing); unfinished: a
 * callee with no result in a tree that is not running.
 */
export type InstanceStatus = "running" | "suspended" | "pending-retry" | "done" | "failed" | "collected" | "unfinished";

/** The statuses an entry or spawned instance (one with an intent) can have: what `beldi instances --status` takes. */
export const ROOT_STATUSES: readonly InstanceStatus[] = ["running", "suspended", "pending-retry", "done", "failed", "collected"];

/** What a suspended instance waits for (its intent's SU, ST and WN). */
export interface SuspensionView {
  /** suspended since (ms) */
  since: number;
  /** when it wakes (ms): a sleep's wake-up time or a wait's deadline; absent: only a signal wakes it */
  until?: number;
  /** the signals it waits for, by name (empty: it sleeps) */
  waitingFor: string[];
  /** its wake-up time has come: the next wake-up pass resumes it */
  due?: true;
}

/** A signal delivered to an instance (the first value of each name stays). */
export interface ReceivedSignal {
  name: string;
  value: Json;
  /** the sender: a program's step (`<instance>#<step>`) or a client (`client:<token>`) */
  by: string;
  /** the sending instance and its step, when a program's `signal` sent it */
  from?: { instance: string; step: string };
}

export interface ErrorView {
  code: string;
  message: string;
}

export type ResultView = { ok: true; value: Json } | { ok: false; error: ErrorView };

/** A place in the program. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
  /** the source line, trimmed (null when the source file is not at hand) */
  text: string | null;
}

/** One instance: an entry or spawned instance (it has an intent), or a sync callee. */
export interface InstanceView {
  id: string;
  kind: "entry" | "spawn" | "call";
  /** null when the store does not say (a callee whose id was hashed) */
  service: string | null;
  fn: string | null;
  status: InstanceStatus;
  /** the status in words: what happens next */
  statusNote?: string;
  /** the app version it is pinned to, when its intent records one */
  version?: string;
  /** entry and spawned instances: their input while unfinished; once finished the intent keeps a preview (200 characters) */
  input?: Json;
  inputPreview?: string;
  result?: ResultView;
  /** ms since the epoch: first start or latest resume (the collector's lease; absent while suspended), finish, GC's collection */
  startedAt?: number;
  finishedAt?: number;
  collectedAt?: number;
  /** the caller (sync callee) or spawner, and its step */
  parent?: { instance: string; step: string };
  /** while suspended: until when, and for which signals */
  suspended?: SuspensionView;
  /** the signals delivered to it (entry and spawned instances), by name */
  signals?: ReceivedSignal[];
  /** the logged steps, in execution order */
  steps: StepView[];
  /** instances of this tree whose caller its id cannot tell (ids over 200 characters are hashed) */
  unplaced?: InstanceView[];
}

export type StepKind =
  | "read"
  | "write"
  | "update"
  | "delete"
  | "scan"
  | "call"
  | "spawn"
  | "now"
  | "uuid"
  | "random"
  | "txn"
  | "sleep"
  | "wait"
  | "signal"
  | "unknown";

/** A `wait` step: the signal it takes, its deadline, and how it ended (its value is the step's `value`). */
export interface WaitView {
  /** the signal's name (null when the site is not in this build) */
  name: string | null;
  /** its deadline (ms), logged when the wait has a timeout */
  deadline?: number;
  /** signalled: it took the signal's value; timed-out: it took null; waiting: neither is logged yet */
  outcome: "signalled" | "timed-out" | "waiting";
}

/** A `signal` step: its logged outcome, and what the program says of the name and the instance. */
export interface SignalSentView {
  /** true: this step delivered it; false: the instance already had a signal of that name, or no live instance has the id */
  delivered: boolean;
  /** the signal's name, when the program writes it as a literal */
  name?: string;
  /** the receiving instance id, when the program tells it: a literal, or a parameter of the instance's fn with its input at hand */
  to?: string;
}

/** What a logged write, update or delete did. */
export type OutcomeView = { kind: "applied" } | { kind: "cond"; value: boolean } | { kind: "error"; code: string; message: string };

/** One logged step of an instance. */
export interface StepView {
  /** the step id: static site id extended by the dynamic path (docs/ids.md) */
  step: string;
  kind: StepKind;
  /** the static site id and the fn it belongs to ("service.fn"; an inline-called fn's own) */
  site: string;
  fn: string;
  source: SourceRef | null;
  /** "service.table" */
  table?: string;
  /** the key, where the store records it (writes, updates, deletes) */
  key?: string;
  /** the logged value: a read's value (inside a transaction, the value under its lock), now/uuid/random, a scan's rows */
  value?: Json;
  outcome?: OutcomeView;
  /** the step's log entry was written by a re-execution (a pinned `q_` entry) */
  reExecuted?: boolean;
  /** the log entry sits in an archive row (moved there by roll-over) */
  archived?: boolean;
  /** when the batch holding the logged value was written (ms) */
  loggedAt?: number;
  /** `call`: the callee, with its own steps */
  callee?: InstanceView;
  /** `spawn`: the spawned instance, with its own steps */
  spawned?: InstanceView;
  /** `txn`: its attempts */
  txn?: TxnView;
  /** `sleep`: its wake-up time (ms: the logged value) */
  wakeAt?: number;
  /** `wait`: the signal, its deadline, its outcome */
  wait?: WaitView;
  /** `signal`: delivered or not, and to what */
  signal?: SignalSentView;
}

export interface TxnView {
  /** when the transaction first started (its age, logged): ms */
  startedAt?: number;
  outcome: "committed" | "aborted" | "failed" | "undecided";
  attempts: AttemptView[];
}

/** A lock or buffered write, as a transaction's decision lists it. */
export interface LockView {
  service: string;
  table: string;
  key: string;
  mode: LockMode;
}

export interface WriteView {
  service: string;
  table: string;
  key: string;
  /** null: a delete */
  value: Json;
  /** what the participant's commit did, where its log entry is still in the row */
  applied?: OutcomeView;
}

export interface AttemptView {
  attempt: number;
  /** the attempt id (`<instance>/<attempt step>@<service>`), which lock holders carry */
  id: string;
  decision: DecisionView | null;
  /** the steps the body took in this attempt */
  steps: StepView[];
  /**
   * locks the attempt holds in the store now (an undecided attempt, or a release still to come):
   * every one on the local state, on a deployed app only with --locks (else those on rows with log entries)
   */
  heldNow: LockView[];
}

export interface DecisionView {
  kind: "commit" | "abort" | "restart" | "fail";
  /** why, in words: abort's reason, a restart's lock conflict, a failure's error */
  reason: string;
  error?: ErrorView;
  /** the locks the attempt held when it was decided */
  locks: LockView[];
  /** its buffered writes (a commit applies them) */
  writes: WriteView[];
  loggedAt?: number;
}

/** What `beldi inspect` found for an id. */
export interface InspectReport {
  app: string;
  instance: string;
  /**
   * tree: its records (one tree per service the id is a root in); collected: GC took its tree
   * (a tombstone of the root, or what is left of it, is shown); missing: nothing of it anywhere
   */
  found: "tree" | "collected" | "missing";
  trees: InstanceView[];
  /** in words, when something could not be shown */
  notes: string[];
}

/** One line of `beldi instances`: an entry or spawned instance, from its intent. */
export interface InstanceSummary {
  id: string;
  kind: "entry" | "spawn";
  service: string;
  fn: string;
  status: InstanceStatus;
  version?: string;
  inputPreview?: string;
  error?: ErrorView;
  startedAt?: number;
  finishedAt?: number;
  collectedAt?: number;
  /** while suspended: until when, and for which signals */
  suspended?: SuspensionView;
}
