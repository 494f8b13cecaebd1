// What the bench needs to know about an app: its seed data, its request mix, how to build one
// request of each kind, the cost-model facts the counts cannot show, smoke cases, and a cheap
// correctness check of the state a run leaves behind.
import type { InvokeResult, LocalStack } from "../../local/index.js";
import type { Rng } from "../rng.js";
import type { Json } from "../../contract/json.js";

/** One row to seed: `stack.put(service, table, key, value)`. */
export interface Row {
  service: string;
  table: string;
  key: string;
  value: Record<string, Json>;
}

export interface Request {
  kind: string;
  /** `service.fn` */
  fn: string;
  input: Record<string, Json>;
}

export interface Done {
  req: Request;
  result: InvokeResult;
  ms: number;
}

/**
 * An invocation and what to expect: `check` looks at the value of a successful result (null when
 * it makes sense, else what is wrong); with `fails`, the invocation must fail with a matching
 * message instead. Cases run in order, each after the previous one's spawned work finished.
 */
export interface SmokeCase {
  fn: string;
  input: Record<string, Json>;
  check?: (value: unknown) => string | null;
  fails?: RegExp;
}

export interface Workload {
  name: string;
  /** the app's folder */
  app: string;
  /** request kind -> share of the mix (the shares sum to 1) */
  mix: Readonly<Record<string, number>>;
  /**
   * `update ... where` statements one request of each kind runs in baseline mode (there they
   * are indistinguishable from plain updates in the counts; the Beldi model prices them higher).
   */
  condWrites: Readonly<Record<string, number>>;
  rows(): Row[];
  request(kind: string, rng: Rng): Request;
  smoke(): SmokeCase[];
  /** Problems with the state after `done` ran (and recovery finished); empty when consistent. */
  verify(stack: LocalStack, done: readonly Done[], baseline: boolean): Promise<string[]>;
}

/** The value of a successful result, or undefined. */
export function answerValue(r: InvokeResult): unknown {
  return "value" in r ? r.value : undefined;
}

export function succeeded(r: InvokeResult): boolean {
  return "ok" in r && r.ok;
}

/** Problems when a list has repeated items (an effect applied twice). */
export function duplicates(what: string, xs: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const x of xs) (seen.has(x) ? twice : seen).add(x);
  return twice.size ? [`${what}: ${twice.size} repeated item(s), e.g. ${[...twice][0]}`] : [];
}
