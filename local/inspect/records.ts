// The runtime's items as the inspector reads them: an intent item (runtime/intent.ts writes it),
// a data row's log entries and locks (runtime/daal.ts, runtime/locks.ts), the steps a log item
// holds and when it was written (runtime/log.ts). Pure: items in, plain values out.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Json } from "../../contract/json.js";
import {
  GC_TIME,
  HEAD,
  INTENT_CLAIMED,
  INTENT_DONE,
  INTENT_FINISHED,
  INTENT_FN,
  INTENT_ID,
  INTENT_INPUT,
  INTENT_KIND,
  INTENT_PREVIEW,
  INTENT_RESULT,
  INTENT_RESUMES,
  INTENT_SIGNALS,
  INTENT_STARTED,
  INTENT_SUSPENDED,
  INTENT_VERSION,
  INTENT_WAITING,
  LOCK_HOLDER,
  LOG_PREFIX,
  PINNED_PREFIX,
  SHARED_PREFIX,
  NEVER_MS,
  TOMBSTONE,
} from "../../contract/schema.js";
import type { LockMode } from "../../contract/envelope.js";
import type { OutcomeView, ReceivedSignal, ResultView } from "./model.js";
import { splitEntry } from "./step-ids.js";

export type Item = Record<string, AttributeValue>;

/** An intent item, decoded. */
export interface IntentRecord {
  instance: string;
  /** the service whose intent table holds it */
  service: string;
  fn: string;
  kind: "entry" | "spawn";
  done: boolean;
  result?: ResultView;
  input?: Json;
  inputPreview?: string;
  startedAt?: number;
  finishedAt?: number;
  /** a spawned instance's event was handled */
  claimed: boolean;
  /** GC's tombstone: collected at (ms) */
  collectedAt?: number;
  version?: string;
  /** suspended by `sleep` or `wait` since (ms); then ST is its wake-up time, not a start */
  suspendedAt?: number;
  /** while suspended: when it wakes (ms; absent: only a signal wakes it) */
  wakeAt?: number;
  /** while suspended: the signals it waits for */
  waitingFor?: string[];
  /** the signals delivered to it, by name */
  signals: ReceivedSignal[];
  /** re-executions since it started or last suspended (the collector waits longer after each) */
  resumes: number;
}

const num = (a: AttributeValue | undefined): number | undefined => (a?.N !== undefined ? Number(a.N) : undefined);

function parseJson(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** An intent's SG map (name -> { v: JSON text, by: sender }), in name order. */
function signalsOf(a: AttributeValue | undefined): ReceivedSignal[] {
  const out: ReceivedSignal[] = [];
  for (const [name, sig] of Object.entries(a?.M ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const by = sig.M?.by?.S ?? "?";
    const value = parseJson(sig.M?.v?.S) ?? null;
    const sender = by.startsWith("client:") || !by.includes("#") ? undefined : splitEntry(by);
    out.push({ name, value, by, ...(sender ? { from: { instance: sender.instance, step: sender.step } } : {}) });
  }
  return out;
}

export function intentRecord(service: string, item: Item): IntentRecord {
  const raw = parseJson(item[INTENT_RESULT]?.S) as { ok?: boolean; value?: Json; error?: { code: string; message: string } } | undefined;
  const result: ResultView | undefined =
    raw === undefined
      ? undefined
      : raw.ok
        ? { ok: true, value: raw.value ?? null }
        : { ok: false, error: raw.error ?? { code: "?", message: "?" } };
  return {
    instance: item[INTENT_ID]!.S!,
    service,
    fn: item[INTENT_FN]?.S ?? "?",
    kind: item[INTENT_KIND]?.S === "spawn" ? "spawn" : "entry",
    done: item[INTENT_DONE]?.BOOL === true,
    result,
    input: parseJson(item[INTENT_INPUT]?.S),
    inputPreview: item[INTENT_PREVIEW]?.S,
    // while suspended, ST holds its wake-up time (suspensionOf), not a start
    startedAt: item[INTENT_SUSPENDED] ? undefined : num(item[INTENT_STARTED]),
    finishedAt: num(item[INTENT_FINISHED]),
    claimed: item[INTENT_CLAIMED] !== undefined,
    collectedAt: num(item[TOMBSTONE]),
    version: item[INTENT_VERSION]?.S,
    resumes: num(item[INTENT_RESUMES]) ?? 0,
    ...suspensionOf(item),
    signals: signalsOf(item[INTENT_SIGNALS]),
  };
}

function suspensionOf(item: Item): Pick<IntentRecord, "suspendedAt" | "wakeAt" | "waitingFor"> {
  const since = num(item[INTENT_SUSPENDED]);
  if (since === undefined) return {};
  const wake = num(item[INTENT_STARTED]);
  return {
    suspendedAt: since,
    ...(wake !== undefined && wake < NEVER_MS ? { wakeAt: wake } : {}),
    waitingFor: [...(item[INTENT_WAITING]?.SS ?? [])].sort(),
  };
}

/** A step's log entry in a data row: what the write did. */
export interface EntryRecord {
  /** the instance, or for a transaction's commit the attempt id */
  instance: string;
  step: string;
  /** the service and declared table whose row holds it */
  service: string;
  table: string;
  key: string;
  outcome: OutcomeView;
  /** a `q_` entry: written by a re-execution */
  pinned: boolean;
  /** in an archive row */
  archived: boolean;
}

/** An entry's outcome attribute (runtime/daal.ts: NULL applied, BOOL a `where`'s value, S "code message"). */
function outcomeOf(a: AttributeValue): OutcomeView {
  if (a.BOOL !== undefined) return { kind: "cond", value: a.BOOL };
  if (a.S !== undefined) {
    const space = a.S.indexOf(" ");
    return { kind: "error", code: a.S.slice(0, space), message: a.S.slice(space + 1) };
  }
  return { kind: "applied" };
}

/** A lock a transaction attempt holds on a row. */
export interface HeldLock {
  attempt: string;
  service: string;
  table: string;
  key: string;
  mode: LockMode;
}

/** The log entries and locks in one data row. */
export function rowRecords(service: string, table: string, item: Item): { entries: EntryRecord[]; locks: HeldLock[] } {
  const key = item.K?.S ?? "";
  const archived = item.R?.S !== HEAD;
  const entries: EntryRecord[] = [];
  const locks: HeldLock[] = [];
  for (const [name, v] of Object.entries(item)) {
    const pinned = name.startsWith(PINNED_PREFIX);
    if (pinned || name.startsWith(LOG_PREFIX)) {
      const { instance, step } = splitEntry(name.slice(LOG_PREFIX.length));
      entries.push({ instance, step, service, table, key, outcome: outcomeOf(v), pinned, archived });
    } else if (name.startsWith(SHARED_PREFIX)) {
      locks.push({ attempt: name.slice(SHARED_PREFIX.length), service, table, key, mode: "r" });
    }
  }
  const holder = item[LOCK_HOLDER]?.S;
  if (holder) locks.push({ attempt: holder, service, table, key, mode: "w" });
  return { entries, locks };
}

/** The instance a log item belongs to, the steps it holds, and when it was written (the layout is runtime/log.ts's). */
export function logItemSteps(item: Item): { instance: string; steps: string[]; at?: number } {
  const sortKey = item.S?.S ?? "";
  const instance = sortKey.slice(0, sortKey.indexOf("#"));
  const at = num(item[GC_TIME]);
  if (item.E?.M) return { instance, steps: Object.keys(item.E.M), at };
  if (item.P?.M?.s?.S !== undefined) return { instance, steps: [item.P.M.s.S], at };
  return { instance, steps: [], at }; // a piece of a pieced value: its head names the step
}
