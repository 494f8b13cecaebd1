// The timing rule every deployment and every local stack must satisfy (checked by the runtime,
// the local stack, `beldi run` and the template generator alike).

/** The three durations the rule relates (ms). */
export interface Timing {
  /** the collection window T */
  windowMs: number;
  /** an execution's timeout */
  timeoutMs: number;
  /** the longest one store or invoke request may take */
  requestTimeoutMs: number;
}

/** A configuration the protocol cannot be safe under (see `checkTiming`). */
export class ConfigError extends Error {
  readonly code = "R0017";
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The most windows the collector waits between re-executions of an instance that does not finish. */
export const MAX_RETRY_WINDOWS = 16;

/**
 * How long after an unfinished instance's last start the collector re-executes it: one window,
 * then twice as long after each re-execution that did not finish it, up to MAX_RETRY_WINDOWS
 * windows. An instance that always reaches its deadline (a loop that needs more time than it
 * has) is then run a few times an hour, not every window for ever; one crash still costs one window.
 */
export function retryAfterMs(windowMs: number, resumes: number): number {
  return windowMs * Math.min(2 ** Math.max(0, Math.floor(resumes)), MAX_RETRY_WINDOWS);
}

/**
 * The collector and GC treat an instance as abandoned once the window T has passed since it
 * started (or was last resumed): that is safe only if no execution, nor a request it sent,
 * can still be running by then. So T must exceed the execution timeout plus the longest a
 * single request may take.
 */
export function checkTiming(c: Timing): void {
  for (const [name, v] of Object.entries({ windowMs: c.windowMs, timeoutMs: c.timeoutMs, requestTimeoutMs: c.requestTimeoutMs })) {
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(`${name} must be a positive number of milliseconds, got ${v}`);
  }
  if (c.windowMs <= c.timeoutMs + c.requestTimeoutMs) {
    throw new ConfigError(
      `the collection window (windowMs ${c.windowMs}) must be longer than the execution timeout (timeoutMs ${c.timeoutMs}) ` +
        `plus the store request timeout (requestTimeoutMs ${c.requestTimeoutMs}): otherwise the collector and GC could act on ` +
        `an instance while one of its executions still runs. Raise windowMs above ${c.timeoutMs + c.requestTimeoutMs} or lower the timeouts.`,
    );
  }
}
