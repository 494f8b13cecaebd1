// The inspector's two questions, over any store a StoreReader reads: one instance's whole tree
// (`beldi inspect`), and every entry and spawned instance with its status (`beldi instances`).
import { rootOf } from "../../contract/ids.js";
import { assembleTree, intentStatus, intentView, suspensionView, type StatusClock } from "./assemble.js";
import type { InspectReport, InstanceStatus, InstanceSummary, InstanceView } from "./model.js";
import type { IntentRecord } from "./records.js";
import type { Sites } from "./sites.js";
import { derivationOf } from "./step-ids.js";
import type { StoreReader } from "./store-reader.js";
import { belongsTo, treeRecords } from "./tree-records.js";

export interface Inspector {
  reader: StoreReader;
  sites: Sites;
  clock: StatusClock;
}

/** Trees assembled at most (spawned trees count one each): past it, spawned instances are listed without their steps. */
const MAX_TREES = 200;

/** An instance's whole tree: for a root, the tree (one per service it is a root in); for a callee or spawned instance, its own subtree. */
export async function inspectInstance(x: Inspector, id: string): Promise<InspectReport> {
  const app = x.reader.ir.app;
  const root = rootOf(id);
  const intents = await x.reader.intents(root);
  const report: InspectReport = { app, instance: id, found: "tree", trees: [], notes: [] };
  if (!intents.length) return absentRoot(x, id, root, report);

  // Spawned descendants anywhere below (spawns of spawns too): their ids begin with the root's.
  const spawned = await x.reader.allIntents([`${root}!`, `${root}/`]);
  let budget = MAX_TREES;
  const tree = async (intent: IntentRecord): Promise<InstanceView> => {
    if (intent.collectedAt !== undefined || budget-- <= 0) {
      const v = intentView(intent, x.clock);
      if (intent.collectedAt === undefined)
        v.statusNote = `${v.statusNote ? `${v.statusNote}; ` : ""}steps not shown (over ${MAX_TREES} trees)`;
      return v;
    }
    const records = await treeRecords(x.reader, intent.instance, intent.service);
    const children = new Map<string, InstanceView>();
    for (const s of spawned) {
      const d = derivationOf(s.instance);
      if (d.kind !== "spawn" || rootOf(d.parent) !== intent.instance) continue;
      const mine =
        d.parent === intent.instance ? d.service === intent.service : belongsTo(d.parent, intent.instance, intent.service, d.service);
      if (mine) children.set(s.instance, await tree(s));
    }
    return assembleTree({ records, rootIntent: intent, spawned: children, sites: x.sites, clock: x.clock });
  };
  const trees = [];
  for (const intent of intents) trees.push(await tree(intent));
  if (budget < 0) report.notes.push(`more than ${MAX_TREES} spawned trees: the rest are listed without their steps`);
  if (!x.reader.scanLocks && trees.some(hasUndecided))
    report.notes.push(
      "an attempt is undecided: of the locks it holds now, only those on rows with log entries are shown (--locks finds all)",
    );

  if (id === root) {
    report.trees = trees;
    if (trees.every((t) => t.status === "collected")) report.found = "collected";
    return report;
  }
  const found = trees.map((t) => find(t, id)).find((v) => v !== undefined);
  if (found) {
    report.trees = [found];
    return report;
  }
  report.trees = trees;
  if (trees.every((t) => t.status === "collected")) {
    report.found = "collected";
    report.notes.push(`${id}: collected by GC with its tree (root ${root}): its records are gone`);
  } else {
    report.found = "missing";
    report.notes.push(
      `${id}: nothing of it in the store, though its tree (root ${root}) is there: it logged nothing ` +
        "(a read-only callee logs nothing; one that stopped before its first logged step left nothing), or it never ran",
    );
  }
  return report;
}

/** No intent of the root anywhere: GC collected the tree (if anything of it is left), or nothing ran under the id. */
async function absentRoot(x: Inspector, id: string, root: string, report: InspectReport): Promise<InspectReport> {
  for (const service of x.reader.services) {
    if ((await x.reader.treeLog(service, root)).length) {
      report.found = "collected";
      report.notes.push(
        `${id}: collected by GC: the intent of its root ${root} is gone, and the rest of its records go with the next pass`,
      );
      return report;
    }
  }
  report.found = "missing";
  report.notes.push(
    `${id}: no instance in any service of ${report.app}` +
      (id === root ? "" : ` (its root ${root} has no intent)`) +
      ": it never ran here, or GC collected it and its tombstone expired (7 days after)",
  );
  return report;
}

/** Whether a transaction attempt in the tree is undecided (it may hold locks). */
function hasUndecided(v: InstanceView): boolean {
  return v.steps.some(
    (s) =>
      s.txn?.attempts.some((a) => a.decision === null || a.steps.some((t) => (t.callee && hasUndecided(t.callee)) ?? false)) ||
      (s.callee && hasUndecided(s.callee)) ||
      (s.spawned && hasUndecided(s.spawned)),
  );
}

function find(v: InstanceView, id: string): InstanceView | undefined {
  if (v.id === id) return v;
  for (const s of v.steps) {
    const inStep = [s.callee, s.spawned, ...(s.txn?.attempts.flatMap((a) => a.steps.flatMap((t) => [t.callee, t.spawned])) ?? [])];
    for (const child of inStep) {
      const hit = child && find(child, id);
      if (hit) return hit;
    }
  }
  for (const u of v.unplaced ?? []) {
    const hit = find(u, id);
    if (hit) return hit;
  }
  return undefined;
}

/** An intent as one line of `beldi instances`. */
function summaryOf(intent: IntentRecord, clock: StatusClock): InstanceSummary {
  const suspended = suspensionView(intent, clock);
  return {
    id: intent.instance,
    kind: intent.kind,
    service: intent.service,
    fn: intent.fn,
    status: intentStatus(intent, clock).status,
    ...(intent.version ? { version: intent.version } : {}),
    ...(intent.inputPreview !== undefined ? { inputPreview: intent.inputPreview } : {}),
    ...(intent.result && !intent.result.ok ? { error: intent.result.error } : {}),
    ...(intent.startedAt !== undefined ? { startedAt: intent.startedAt } : {}),
    ...(intent.finishedAt !== undefined ? { finishedAt: intent.finishedAt } : {}),
    ...(intent.collectedAt !== undefined ? { collectedAt: intent.collectedAt } : {}),
    ...(suspended ? { suspended } : {}),
  };
}

/** When an instance last ran: its start or resume, or (suspended) when it suspended. */
const lastRan = (s: InstanceSummary) => s.startedAt ?? s.suspended?.since ?? 0;

const oldestFirst = (a: InstanceSummary, b: InstanceSummary) => lastRan(a) - lastRan(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every entry and spawned instance (from the intent tables), oldest first; only those of `statuses` if given. */
export async function listInstances(x: Inspector, statuses?: readonly InstanceStatus[]): Promise<InstanceSummary[]> {
  const all = (await x.reader.allIntents()).map((i) => summaryOf(i, x.clock));
  return all.filter((s) => !statuses || statuses.includes(s.status)).sort(oldestFirst);
}

/** The instances spawned anywhere in the tree of `root` (by it, its callees, and what they spawned), oldest first. */
export async function spawnedUnder(x: Inspector, root: string): Promise<InstanceSummary[]> {
  return (await x.reader.allIntents([`${root}!`, `${root}/`])).map((i) => summaryOf(i, x.clock)).sort(oldestFirst);
}
