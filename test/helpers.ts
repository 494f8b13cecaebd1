// Shared by the runtime tests: crash sweeps and small assertions about stacks.
import { LocalStack, type InvokeResult, type StartOptions } from "../local/index.js";

export interface SweepCase {
  /** stack options (app, isolation, backend, ...) */
  stack: StartOptions;
  /** seeds the stack's tables before the invocation */
  seed?: (stack: LocalStack) => Promise<void>;
  /** the invocation under test, as `service.fn` and its input */
  fn: string;
  input: unknown;
  /** checks every effect after recovery; `result` is the recovered invocation's result */
  check: (stack: LocalStack, result: InvokeResult) => Promise<void>;
  /** stop after this many crash points (a guard against runaway sweeps) */
  maxPoints?: number;
}

/**
 * Kills the invocation right after each of its requests in turn (k = 1, 2, ... until a run
 * finishes without crashing), each time on a fresh stack: recovers, invokes again with the
 * same instance id, and checks the result and every effect. Returns the number of crash points.
 */
export async function crashSweep(c: SweepCase): Promise<number> {
  for (let k = 1; k <= (c.maxPoints ?? 200); k++) {
    const stack = await LocalStack.start({ schedule: false, ...c.stack });
    try {
      await c.seed?.(stack);
      const first = await stack.invoke(c.fn, c.input, { instanceId: `sweep-${k}`, crashAt: k });
      // A run that stopped without a recorded answer (R0015 out of time, R0018 a callee or the
      // store kept failing) stopped as a crash does: recover it too.
      const crashed = "crashed" in first || stopped(first);
      if (crashed) await stack.recover();
      const again = await answered(stack, c.fn, c.input, `sweep-${k}`);
      if (!crashed && JSON.stringify(again) !== JSON.stringify(first)) {
        throw new Error(`crash point ${k}: retry returned ${JSON.stringify(again)}, first run ${JSON.stringify(first)}`);
      }
      try {
        await c.check(stack, again);
      } catch (e) {
        (e as Error).message = `after a crash at request ${k}: ${(e as Error).message}`;
        throw e;
      }
      if (!crashed) return k - 1;
    } finally {
      await stack.stop();
    }
  }
  throw new Error(`the invocation still crashed at request ${c.maxPoints ?? 200}`);
}

export const ok = (value: unknown) => ({ ok: true, value });

/** Whether an answer says the execution stopped unrecorded (retry the same id for the real answer). */
export const stopped = (r: InvokeResult): boolean => "ok" in r && !r.ok && (r.error.code === "R0015" || r.error.code === "R0018");

/**
 * Invokes as a client that retries with the same instance id while the answer is "stopped,
 * not recorded" (a loaded machine may run past a short timeout): the first real answer.
 */
export async function answered(stack: LocalStack, fn: string, input: unknown, instanceId: string, tries = 20): Promise<InvokeResult> {
  let r = await stack.invoke(fn, input, { instanceId });
  for (let i = 1; i < tries && stopped(r); i++) r = await stack.invoke(fn, input, { instanceId });
  return r;
}

/**
 * The stores every protocol test runs on: dynalite (embedded) and AWS's DynamoDB Local (Java;
 * `.ci/run` installs it). `BELDI_TEST_BACKENDS=dynalite` narrows a local run; CI runs both.
 */
export const BACKENDS: ("dynalite" | "dynamodb-local")[] = (process.env.BELDI_TEST_BACKENDS ?? "dynalite,dynamodb-local")
  .split(",")
  .map((b) => b.trim())
  .filter((b): b is "dynalite" | "dynamodb-local" => b === "dynalite" || b === "dynamodb-local");

/** A lock attribute on a data row: `LW` (the exclusive holder), `r_<holder>` (a shared one) or `RC` > 0. */
export interface LockLeft {
  service: string;
  table: string;
  key: string;
  attr: string;
  value: unknown;
}

/** Lock attributes left on any data row of the stack's tables: none after quiescence. */
export async function lockAttributes(stack: import("../local/index.js").LocalStack): Promise<LockLeft[]> {
  const left: LockLeft[] = [];
  for (const s of stack.app.ir.services) {
    for (const t of s.tables) {
      const name = `${stack.prefix}${stack.app.ir.app}.${s.name}.${t.name}`;
      for (const row of await stack.rawItems(name)) {
        for (const [attr, value] of Object.entries(row)) {
          if (attr === "LW" || attr.startsWith("r_") || (attr === "RC" && value !== 0))
            left.push({ service: s.name, table: t.name, key: String(row.K), attr, value });
        }
      }
    }
  }
  return left;
}

/** lockAttributes as lines: `service.table[key] ATTR=value`. */
export async function locksLeft(stack: import("../local/index.js").LocalStack): Promise<string[]> {
  return (await lockAttributes(stack)).map((l) => `${l.service}.${l.table}[${l.key}] ${l.attr}=${JSON.stringify(l.value)}`);
}

/**
 * A raw request to the stack's Lambda Invoke API, as any HTTP client could send it: `name` goes
 * into the path as given (encoded by the caller, or not, on purpose), `type` is the
 * X-Amz-Invocation-Type header, `query` is appended (`?Qualifier=...`).
 */
export function rawInvoke(
  stack: LocalStack,
  name: string,
  opts: { method?: string; body?: string; type?: string; query?: string } = {},
): Promise<Response> {
  const { method = "POST", body, type, query = "" } = opts;
  return fetch(`${stack.runtimeConfig.invokeEndpoint}/2015-03-31/functions/${name}/invocations${query}`, {
    method,
    headers: type === undefined ? {} : { "x-amz-invocation-type": type },
    ...(body === undefined ? {} : { body }),
  });
}

/** The store and invoke requests the stack's functions made while `work` ran, by kind (kinds it did not use left out). */
export async function requestsDuring(stack: LocalStack, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await stack.requests();
  await work();
  const after = await stack.requests();
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
      .filter(([, n]) => n),
  );
}
