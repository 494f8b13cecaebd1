// Crash sweeps and duplicate executions as a library (`beldi/local`) and behind `beldi sweep`:
// run an invocation once uncrashed for reference, then kill it right after each of its requests
// in turn, recover, retry with the same instance id, and compare the result and every table with
// the reference. Every run starts on a fresh stack (its own table prefix) seeded the same way.
import { aligner, loggedChoices, type Choices } from "./sweep-align.js";
import { type Comparison, locksLeft, rowDifferences, same, type Tables, tablesOf } from "./sweep-compare.js";
import { LocalStack, type InvokeResult, type StartOptions } from "./stack.js";
import { checkRow, resolveTable } from "./table-ref.js";

export type { Comparison, RowDifference, Tables } from "./sweep-compare.js";

/** Rows to start every run with: `{ "service.table": { key: value } }`, each checked against its table's type. */
export type SetupRows = Record<string, Record<string, unknown>>;

export interface SweepTarget extends Omit<StartOptions, "schedule" | "prefix" | "dataDir"> {
  /** the invocation: `service.fn` and its input */
  fn: string;
  input: unknown;
  /** what every run starts from: rows, or a function that seeds the stack */
  setup?: SetupRows | ((stack: LocalStack) => Promise<void>);
  /** the instance id every run uses (default "sweep"; each run is on its own stack) */
  instanceId?: string;
}

export interface SweepOptions extends SweepTarget {
  /**
   * your own assertions after each run (after recovery; `result` is what the client got in the
   * end): a throw is reported as that crash point's problem. Runs on the reference run too.
   */
  check?: (stack: LocalStack, result: InvokeResult) => Promise<void>;
  /** give up after this many crash points (default 200): a guard against a run that never ends */
  maxPoints?: number;
  /** told after the reference run (`point` undefined) and after each crash point */
  onProgress?: (progress: { done: number; expected: number; point?: CrashPoint }) => void;
}

/** The uncrashed run everything is compared with. */
export interface Reference {
  result: InvokeResult;
  /** the requests the uncrashed invocation made, in order: its crash points */
  requests: string[];
  tables: Tables;
  /** the user's check threw on the uncrashed run */
  problem?: string;
}

export interface CrashPoint extends Comparison {
  /** killed right after the invocation tree's k-th store or invoke request */
  k: number;
  /** that request: `UpdateItem counter.counts`, `Invoke counter`, ... */
  request: string;
}

export interface SweepReport {
  fn: string;
  input: unknown;
  reference: Reference;
  points: CrashPoint[];
  /** the sweep stopped at maxPoints with the invocation still crashing */
  truncated: boolean;
  /** every crash point matched the reference (and the reference passed the check) */
  ok: boolean;
}

/** Whether an answer says the execution stopped unrecorded (R0015 out of time, R0018 a callee or the store kept failing). */
const stopped = (r: InvokeResult): boolean => "ok" in r && !r.ok && (r.error.code === "R0015" || r.error.code === "R0018");

/** Invokes as a client that retries the same id while the answer is "stopped, not recorded". */
async function answered(stack: LocalStack, t: SweepTarget, id: string, tries = 20): Promise<InvokeResult> {
  let r = await stack.invoke(t.fn, t.input, { instanceId: id });
  for (let i = 1; i < tries && stopped(r); i++) r = await stack.invoke(t.fn, t.input, { instanceId: id });
  return r;
}

/** The sweep cannot start: the uncrashed run itself crashed. */
export class SweepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SweepError";
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A fresh stack for one run, seeded with the setup. */
async function freshStack(t: SweepTarget): Promise<LocalStack> {
  const { fn: _fn, input: _input, setup, instanceId: _id, ...options } = t;
  const stack = await LocalStack.start({ ...options, schedule: false });
  try {
    if (typeof setup === "function") await setup(stack);
    else if (setup) {
      for (const [ref, rows] of Object.entries(setup)) {
        const table = resolveTable(stack.app.ir, ref);
        for (const [key, value] of Object.entries(rows))
          await stack.put(table.service, table.table, key, checkRow(stack.app.ir, table, key, value));
      }
    }
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}

const entryOf = (fn: string) => {
  const [service = "", name = ""] = fn.split(".");
  return { service, fn: name };
};

/** Runs the invocation uncrashed on a fresh stack: its result, requests, tables and choices. */
async function referenceRun(o: SweepOptions): Promise<Reference & { choices: Choices }> {
  const stack = await freshStack(o);
  try {
    const requests: string[] = [];
    const id = o.instanceId ?? "sweep";
    let result = await stack.invoke(o.fn, o.input, { instanceId: id, onRequest: (n, r) => (requests[n - 1] = r) });
    if ("crashed" in result) throw new SweepError(`the uncrashed run of ${o.fn} crashed: ${result.reason ?? "its process died"}`);
    if (stopped(result)) result = await answered(stack, o, id);
    await stack.recover(); // what it spawned
    let problem: string | undefined;
    try {
      await o.check?.(stack, result);
    } catch (e) {
      problem = `the uncrashed run fails the check: ${message(e)}`;
    }
    return { result, requests, tables: await tablesOf(stack), problem, choices: await loggedChoices(stack, entryOf(o.fn)) };
  } finally {
    await stack.stop();
  }
}

/** Compares a finished run's result and tables with the reference's, after aligning its choices. */
async function compare(
  stack: LocalStack,
  o: SweepOptions,
  ref: Reference & { choices: Choices },
  result: InvokeResult,
): Promise<Comparison> {
  const align = aligner(await loggedChoices(stack, entryOf(o.fn)), ref.choices);
  const got = align(result);
  const rows = rowDifferences(ref.tables, align(await tablesOf(stack)));
  const locks = await locksLeft(stack);
  let problem: string | undefined;
  try {
    await o.check?.(stack, result);
  } catch (e) {
    problem = message(e);
  }
  const resultEqual = same(got, ref.result);
  return { result: got, resultEqual, rows, locks, problem, ok: resultEqual && !rows.length && !locks.length && !problem };
}

/** One crash point: undefined when the run finished before its k-th request (the sweep's end). */
async function crashAt(o: SweepOptions, ref: Reference & { choices: Choices }, k: number): Promise<CrashPoint | undefined> {
  const stack = await freshStack(o);
  try {
    const id = o.instanceId ?? "sweep";
    let request = ref.requests[k - 1] ?? "request";
    const first = await stack.invoke(o.fn, o.input, {
      instanceId: id,
      crashAt: k,
      onRequest: (n, r) => {
        if (n === k) request = r;
      },
    });
    if (!("crashed" in first) && !stopped(first)) return undefined;
    const failed = (problem: string): CrashPoint => ({
      k,
      request,
      result: first,
      resultEqual: false,
      rows: [],
      locks: [],
      problem,
      ok: false,
    });
    try {
      await stack.recover();
    } catch (e) {
      return failed(`recovery did not finish: ${message(e)}`);
    }
    const again = await answered(stack, o, id);
    try {
      await stack.recover(); // what the retry spawned
    } catch (e) {
      return failed(`recovery after the retry did not finish: ${message(e)}`);
    }
    return { k, request, ...(await compare(stack, o, ref, again)) };
  } finally {
    await stack.stop();
  }
}

/**
 * The crash sweep: kills the invocation right after each of its store and invoke requests in
 * turn (k = 1, 2, ... until a run finishes without crashing), each time on a fresh stack;
 * recovers, retries with the same instance id, and compares the result and every table with
 * the uncrashed run's. Values of now(), uuid() and random() are matched by the step that
 * logged them. Returns a report as plain data; `describeSweep` prints it.
 */
export async function crashSweep(o: SweepOptions): Promise<SweepReport> {
  const reference = await referenceRun(o);
  const max = o.maxPoints ?? 200;
  o.onProgress?.({ done: 0, expected: reference.requests.length });
  const points: CrashPoint[] = [];
  let truncated = true;
  for (let k = 1; k <= max; k++) {
    const point = await crashAt(o, reference, k);
    if (!point) {
      truncated = false;
      break;
    }
    points.push(point);
    o.onProgress?.({ done: k, expected: Math.max(reference.requests.length, k), point });
  }
  const { choices: _c, ...ref } = reference;
  return { fn: o.fn, input: o.input, reference: ref, points, truncated, ok: !truncated && !ref.problem && points.every((p) => p.ok) };
}

export interface DuplicateOptions extends SweepTarget {
  /** how many executions of the instance run at once (default 2) */
  copies?: number;
  check?: (stack: LocalStack, result: InvokeResult) => Promise<void>;
}

export interface DuplicateRun extends Comparison {
  /** `concurrent`: clients invoke the instance at once; `collector`: the intent collector re-executes it while it runs */
  scenario: "concurrent" | "collector";
  /** every answer a client got (each compared with the reference; `result` is the first that differs, else the first) */
  results: InvokeResult[];
}

export interface DuplicateReport {
  fn: string;
  input: unknown;
  reference: Reference;
  runs: DuplicateRun[];
  ok: boolean;
}

/**
 * Runs the same instance more than once at the same time and compares with a single run: `copies`
 * concurrent client invocations with one id, and an invocation the intent collector re-executes
 * while it is still running. Each on a fresh stack seeded the same way.
 */
export async function duplicateExecution(o: DuplicateOptions): Promise<DuplicateReport> {
  const reference = await referenceRun(o);
  const id = o.instanceId ?? "sweep";
  const scenarios: [DuplicateRun["scenario"], (stack: LocalStack) => Promise<InvokeResult[]>][] = [
    ["concurrent", (stack) => Promise.all(Array.from({ length: Math.max(2, o.copies ?? 2) }, () => answered(stack, o, id)))],
    [
      "collector",
      async (stack) => {
        // Once the original's intent is registered (its first request), the collector takes the
        // live instance for an expired one and runs it again.
        let registered!: () => void;
        const started = new Promise<void>((r) => (registered = r));
        const original = stack.invoke(o.fn, o.input, { instanceId: id, onRequest: () => registered() });
        await Promise.race([started, original]);
        await stack.recover();
        const first = await original;
        return [stopped(first) ? await answered(stack, o, id) : first, await answered(stack, o, id)];
      },
    ],
  ];
  const runs: DuplicateRun[] = [];
  for (const [scenario, run] of scenarios) {
    const stack = await freshStack(o);
    try {
      const results = await run(stack);
      await stack.recover();
      const c = await compare(stack, o, reference, results[0]!);
      const align = aligner(await loggedChoices(stack, entryOf(o.fn)), reference.choices);
      const odd = results.map((r) => align(r)).find((r) => !same(r, reference.result));
      const resultEqual = c.resultEqual && odd === undefined;
      runs.push({ ...c, scenario, results, result: odd ?? c.result, resultEqual, ok: c.ok && resultEqual });
    } finally {
      await stack.stop();
    }
  }
  const { choices: _c, ...ref } = reference;
  return { fn: o.fn, input: o.input, reference: ref, runs, ok: !ref.problem && runs.every((r) => r.ok) };
}
