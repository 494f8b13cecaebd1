// Every execution has a deadline (its function timeout, or its caller's deadline if that comes
// first) and keeps to it: no store or invoke request starts unless it can be cut off by the
// deadline, and an execution past it stops as a crash would (the collector finishes the
// instance). The protocol's window T exceeds timeout + request timeout, so once T has passed
// no execution of an instance, nor a request it sent, can still act (DESIGN.md §2).
import { AsyncLocalStorage } from "node:async_hooks";

/** An execution stops, as if it crashed: it must not issue anything more. */
export class ExecutionStopped extends Error {}

/** The execution reached its deadline. */
export class DeadlineExceeded extends ExecutionStopped {
  constructor(what: string) {
    super(`deadline reached before ${what}`);
    this.name = "DeadlineExceeded";
  }
}

/** The store refused a write because GC already collected this execution's call tree: it is a straggler. */
export class Fenced extends ExecutionStopped {
  constructor(what: string) {
    super(`a straggler was fenced off: ${what}`);
    this.name = "Fenced";
  }
}

/** A request is not started with less than this left: it could not finish. */
export const MIN_REQUEST_MS = 5;

const scope = new AsyncLocalStorage<number>();

/** Runs `f` as an execution that must be over by `deadline` (ms since the epoch). */
export function withDeadline<T>(deadline: number, f: () => Promise<T>): Promise<T> {
  return scope.run(deadline, f);
}

/** The current execution's deadline (undefined outside an execution, e.g. the local stack's own requests). */
export function currentDeadline(): number | undefined {
  return scope.getStore();
}

/**
 * Stops the execution when its deadline has passed (between a loop's iterations, before an inline
 * call): code that never awaits a request keeps Node from running the deadline's timers, so a
 * loop without an end would hold the process (the local stack's own) for ever.
 */
export function checkDeadline(what: string): void {
  const d = scope.getStore();
  if (d !== undefined && Date.now() >= d) throw new DeadlineExceeded(what);
}

/**
 * How long the next request may take: `capMs`, cut to what is left before the deadline.
 * Throws DeadlineExceeded when too little is left to start it.
 */
export function requestBudget(capMs: number, what: string): number {
  const d = scope.getStore();
  if (d === undefined) return capMs;
  const left = d - Date.now();
  if (left < MIN_REQUEST_MS) throw new DeadlineExceeded(what);
  return Math.min(capMs, left);
}

/** Sleeps `ms`, but never past the deadline (then throws). */
export async function sleepWithin(ms: number, what: string): Promise<void> {
  const d = scope.getStore();
  if (d !== undefined && Date.now() + ms > d) throw new DeadlineExceeded(what);
  await new Promise((r) => setTimeout(r, ms));
}
