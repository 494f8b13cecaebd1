// Gathers what the store holds of one call tree (a root and its sync callees): each instance's
// logged values and when they were logged, its data-row log entries, and its transactions'
// commit entries and held locks. Spawned instances are trees of their own.
import { callId, rootOf } from "../../contract/ids.js";
import type { Json } from "../../contract/json.js";
import { LogReader, RESULT_STEP } from "../../runtime/log.js";
import type { LoggedCall } from "../../runtime/beldi-ctx.js";
import { logItemSteps, type EntryRecord, type HeldLock, type Item } from "./records.js";
import { derivationOf, isAttemptId } from "./step-ids.js";
import type { StoreReader } from "./store-reader.js";

export interface InstanceRecords {
  service: string;
  values: Map<string, Json>;
  /** step -> when the log item holding it was written */
  loggedAt: Map<string, number>;
  entries: EntryRecord[];
}

export interface TreeRecords {
  root: string;
  rootService: string;
  /** every instance of the tree with something in the store, the root included */
  instances: Map<string, InstanceRecords>;
  /** attempt id -> its commit's log entries in participants' rows */
  commits: Map<string, EntryRecord[]>;
  /** attempt id -> locks it holds now */
  locks: Map<string, HeldLock[]>;
}

/**
 * Whether an instance of the tree rooted at `root` belongs to the root in `rootService`: the
 * same client id may be the root of one tree per service, told apart by the first caller's
 * service in each derived id.
 */
export function belongsTo(instance: string, root: string, rootService: string, ownService: string): boolean {
  if (instance === root) return ownService === rootService;
  let id = instance;
  for (;;) {
    const d = derivationOf(id);
    if (d.kind === "hashed") return true; // cannot tell: shown with every tree of the id
    if (d.kind !== "call" && d.kind !== "spawn") return false;
    if (d.parent === root) return d.service === rootService;
    id = d.parent;
  }
}

export async function treeRecords(reader: StoreReader, root: string, rootService: string): Promise<TreeRecords> {
  const instances = new Map<string, InstanceRecords>();
  const of = (instance: string, service: string) =>
    instances.get(instance) ?? instances.set(instance, { service, values: new Map(), loggedAt: new Map(), entries: [] }).get(instance)!;
  for (const service of reader.services) {
    const items: Item[] = await reader.treeLog(service, root);
    const values = new LogReader();
    for (const item of items) {
      values.add(item);
      const { instance, steps, at } = logItemSteps(item);
      if (!belongsTo(instance, root, rootService, service)) continue;
      const rec = of(instance, service);
      if (at !== undefined) for (const step of steps) rec.loggedAt.set(step, at);
    }
    for (const [instance, steps] of values.steps()) {
      if (!belongsTo(instance, root, rootService, service)) continue;
      const rec = of(instance, service);
      for (const [step, v] of steps) rec.values.set(step, v);
    }
  }
  for (const [instance, rec] of [...instances]) unfoldTxnCalls(instance, rec, of);
  const commits = new Map<string, EntryRecord[]>();
  const locks = new Map<string, HeldLock[]>();
  const rows = await reader.entriesAndLocks();
  for (const e of rows.entries) {
    if (rootOf(e.instance) !== root) continue;
    if (isAttemptId(e.instance)) {
      const list = commits.get(e.instance) ?? commits.set(e.instance, []).get(e.instance)!;
      list.push(e);
    } else if (belongsTo(e.instance, root, rootService, e.service)) of(e.instance, e.service).entries.push(e);
  }
  for (const l of await reader.heldLocks()) {
    if (rootOf(l.attempt) !== root) continue;
    const list = locks.get(l.attempt) ?? locks.set(l.attempt, []).get(l.attempt)!;
    list.push(l);
  }
  return { root, rootService, instances, commits, locks };
}

/**
 * A call in a transaction whose callee logged nothing (its values were repeatable under the
 * attempt's locks): its caller logged the result with those values. The callee's records from them.
 */
function unfoldTxnCalls(instance: string, rec: InstanceRecords, of: (instance: string, service: string) => InstanceRecords): void {
  for (const [step, v] of rec.values) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !("values" in v || "txn" in v) || typeof v.ok !== "boolean") continue;
    const call = v as unknown as LoggedCall;
    const callee = of(callId(instance, rec.service, step), ""); // (its service: the call site's target)
    if (callee.values.has(RESULT_STEP)) continue; // it logged its own
    const at = rec.loggedAt.get(step);
    for (const [s, x] of Object.entries(call.values ?? {})) {
      callee.values.set(s, x);
      if (at !== undefined) callee.loggedAt.set(s, at);
    }
    callee.values.set(RESULT_STEP, (call.ok ? { ok: true, value: call.value } : { ok: false, error: call.error }) as Json);
    if (at !== undefined) callee.loggedAt.set(RESULT_STEP, at);
    unfoldTxnCalls(callId(instance, rec.service, step), callee, of);
  }
}
