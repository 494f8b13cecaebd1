// The text form of the model: an instance's tree, indented, one step per line with its `.beldi`
// line and what the store recorded under it; and the table of `beldi instances`. Pure.
import type { Json } from "../../contract/json.js";
import type {
  AttemptView,
  InspectReport,
  InstanceSummary,
  InstanceView,
  LockView,
  OutcomeView,
  ReceivedSignal,
  ResultView,
  StepView,
  SuspensionView,
  WriteView,
} from "./model.js";

/** Values longer than this are cut in the text form (`--format json` has them whole). */
const VALUE_CHARS = 160;

export function time(ms: number | undefined): string {
  return ms === undefined ? "?" : new Date(ms).toISOString();
}

export function short(v: Json | undefined): string {
  const text = JSON.stringify(v) ?? "undefined";
  return text.length <= VALUE_CHARS ? text : `${text.slice(0, VALUE_CHARS - 1)}…`;
}

const resultText = (r: ResultView): string => (r.ok ? short(r.value) : `error ${r.error.code}: ${r.error.message}`);

const outcomeText = (o: OutcomeView): string =>
  o.kind === "applied"
    ? "applied"
    : o.kind === "cond"
      ? `where ${o.value ? "held: applied" : "false: not applied"}`
      : `error ${o.code}: ${o.message}`;

/** `sleeping until <time>`, `waiting for "paid" [until <deadline>]`, and `(due)` once its time has come. */
export function suspensionText(s: SuspensionView): string {
  const names = s.waitingFor.map((n) => JSON.stringify(n)).join(" or ");
  const until = s.until !== undefined ? ` until ${time(s.until)}` : "";
  return `${names ? `waiting for ${names}${until}` : `sleeping${until}`}${s.due ? " (due)" : ""}`;
}

const receivedText = (s: ReceivedSignal): string =>
  `${JSON.stringify(s.name)} = ${short(s.value)}  ${s.from ? `from ${s.from.instance} step ${s.from.step}` : "from a client"}`;

/** What a sleep, wait or signal step logged, in words (null for other steps). */
function waitingText(s: StepView): string | null {
  if (s.kind === "sleep" && s.wakeAt !== undefined) return `until ${time(s.wakeAt)}`;
  if (s.wait) {
    const deadline = s.wait.deadline !== undefined ? `deadline ${time(s.wait.deadline)}` : "no timeout";
    const name = s.wait.name !== null ? `${JSON.stringify(s.wait.name)} ` : "";
    if (s.wait.outcome === "signalled") return `took signal ${name}${short(s.value)}  (${deadline})`;
    if (s.wait.outcome === "timed-out") return `timed out waiting for ${name}(${deadline})`;
    return `waiting for ${name}(${deadline})`;
  }
  if (s.signal) {
    const what = [
      s.signal.name !== undefined ? `signal ${JSON.stringify(s.signal.name)}` : "",
      s.signal.to !== undefined ? `to ${s.signal.to}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    return `${s.signal.delivered ? "delivered" : "not delivered"}${what ? ` ${what}` : ""}${s.signal.delivered ? "" : " (it already had one of that name, or no live instance has that id)"}`;
  }
  return null;
}

const lockText = (l: LockView): string => `${l.service}.${l.table}[${JSON.stringify(l.key)}] ${l.mode === "w" ? "exclusive" : "shared"}`;

const writeText = (w: WriteView): string =>
  `${w.service}.${w.table}[${JSON.stringify(w.key)}] = ${w.value === null ? "(delete)" : short(w.value)}${w.applied ? `  (${outcomeText(w.applied)})` : ""}`;

class Lines {
  readonly out: string[] = [];
  line(depth: number, text: string): void {
    this.out.push(`${"  ".repeat(depth)}${text}`);
  }
}

export function renderInspect(report: InspectReport): string {
  const w = new Lines();
  for (const note of report.notes) w.line(0, note);
  for (const [i, tree] of report.trees.entries()) {
    if (i > 0 || report.notes.length) w.line(0, "");
    instance(w, 0, tree);
  }
  return w.out.join("\n");
}

function instance(w: Lines, depth: number, v: InstanceView): void {
  const name = v.service && v.fn ? `${v.service}.${v.fn}` : "(fn unknown)";
  w.line(depth, `${name} ${v.id}  [${v.kind}]  ${v.status}${v.statusNote ? ` (${v.statusNote})` : ""}`);
  const d = depth + 1;
  if (v.version) w.line(d, `version   ${v.version}`);
  const times = [
    v.startedAt !== undefined ? `started ${time(v.startedAt)}` : "",
    v.finishedAt !== undefined ? `finished ${time(v.finishedAt)}` : "",
    v.collectedAt !== undefined ? `collected ${time(v.collectedAt)}` : "",
  ].filter(Boolean);
  if (times.length) w.line(d, times.join("  "));
  if (v.input !== undefined) w.line(d, `input     ${short(v.input)}`);
  else if (v.inputPreview !== undefined) w.line(d, `input     ${v.inputPreview}`);
  if (v.result) w.line(d, `result    ${resultText(v.result)}`);
  if (v.suspended) w.line(d, `suspended since ${time(v.suspended.since)}`); // what it waits for: in its status note
  for (const sig of v.signals ?? []) w.line(d, `signal    ${receivedText(sig)}`);
  if (v.steps.length) {
    w.line(d, "steps");
    for (const s of v.steps) step(w, d + 1, s, v);
  } else if (v.status !== "collected" && !v.statusNote?.startsWith("read-only")) w.line(d, "steps     (none logged)");
  for (const u of v.unplaced ?? []) {
    w.line(d, "instance of this tree whose caller its (hashed) id cannot tell:");
    instance(w, d + 1, u);
  }
}

function step(w: Lines, depth: number, s: StepView, owner: InstanceView): void {
  const where = s.source ? `${s.source.file}:${s.source.line}` : `(site ${s.site} not in this build of ${s.fn})`;
  const inline = s.source && s.fn !== `${owner.service}.${owner.fn}` ? `  (inline ${s.fn})` : "";
  const target = s.table ? ` ${s.table}${s.key !== undefined ? `[${JSON.stringify(s.key)}]` : ""}` : "";
  w.line(depth, `${s.step}  ${s.kind}${target}  ${where}${inline}${s.source?.text ? `  ${s.source.text}` : ""}`);
  const d = depth + 2;
  const waiting = waitingText(s);
  if (waiting !== null) w.line(d, `${waiting}${s.loggedAt !== undefined ? `  (logged ${time(s.loggedAt)})` : ""}`);
  else if (s.value !== undefined && s.kind !== "call") {
    const label = s.kind === "write" || s.kind === "update" || s.kind === "delete" ? "value under lock" : "value";
    w.line(d, `${label} ${short(s.value)}${s.loggedAt !== undefined ? `  (logged ${time(s.loggedAt)})` : ""}`);
  }
  if (s.outcome) {
    const how = [s.reExecuted ? "by a re-execution" : "", s.archived ? "entry archived" : ""].filter(Boolean).join(", ");
    w.line(d, `outcome ${outcomeText(s.outcome)}${how ? ` (${how})` : ""}`);
  }
  if (s.callee) {
    w.line(d, "callee:");
    instance(w, d + 1, s.callee);
  }
  if (s.spawned) {
    w.line(d, "spawned:");
    instance(w, d + 1, s.spawned);
  }
  if (s.txn) {
    w.line(d, `transaction ${s.txn.outcome}${s.txn.startedAt !== undefined ? `, started ${time(s.txn.startedAt)}` : ""}`);
    for (const a of s.txn.attempts) attempt(w, d + 1, a, owner);
  }
}

function attempt(w: Lines, depth: number, a: AttemptView, owner: InstanceView): void {
  const dec = a.decision;
  w.line(
    depth,
    `attempt ${a.attempt}: ${dec ? `${dec.kind} — ${dec.reason}` : "undecided"}${dec?.loggedAt !== undefined ? `  (decided ${time(dec.loggedAt)})` : ""}`,
  );
  const d = depth + 2;
  if (dec?.locks.length) w.line(d, `locks held: ${dec.locks.map(lockText).join(", ")}`);
  for (const x of dec?.writes ?? []) w.line(d, `${dec?.kind === "commit" ? "writes" : "buffered (dropped)"} ${writeText(x)}`);
  if (a.heldNow.length) w.line(d, `locks held now: ${a.heldNow.map(lockText).join(", ")}`);
  for (const s of a.steps) step(w, d, s, owner);
}

export function renderInstances(rows: InstanceSummary[]): string {
  if (!rows.length) return "no instances";
  const table = rows.map((r) => [
    r.status,
    r.id,
    `${r.service}.${r.fn}`,
    r.kind,
    r.startedAt === undefined && r.suspended ? "" : time(r.startedAt),
    r.finishedAt !== undefined ? time(r.finishedAt) : r.collectedAt !== undefined ? `collected ${time(r.collectedAt)}` : "",
    r.version ?? "",
    r.error ? `${r.error.code}: ${r.error.message}` : r.suspended ? suspensionText(r.suspended) : "",
  ]);
  // NOTE: a failure's error, or what a suspended instance waits for
  const head = ["STATUS", "INSTANCE", "FN", "KIND", "STARTED", "FINISHED", "VERSION", "NOTE"];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  return [head, ...table]
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
