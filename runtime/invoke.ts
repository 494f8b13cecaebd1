// Invoking other services' Lambdas: synchronously for `call`, as an event for `spawn`.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { RuntimeConfig } from "./config.js";
import type { InvocationEvent, InvocationResult } from "../contract/envelope.js";
import { BeldiFailure } from "./errors.js";
import { functionName, versionAlias } from "../contract/schema.js";
import { currentDeadline, ExecutionStopped, requestBudget, sleepWithin } from "./deadline.js";
import { resourceRefused } from "./refused.js";
import { backoff } from "./store.js";
import { addTraceHeader, isKilled } from "./trace.js";
import { signed } from "./envelope-auth.js";

/** Lambda's payload limits. */
export const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
export const EVENT_PAYLOAD_LIMIT = 256 * 1024;

/** A callee that kept failing without a result (crashes, timeouts): the caller dies and the IC retries its root. */
export class CalleeUnavailable extends ExecutionStopped {
  constructor(target: string, cause: unknown) {
    super(`${target} did not answer: ${(cause as Error)?.message ?? cause}`);
    this.name = "CalleeUnavailable";
  }
}

const decoder = new TextDecoder();

export class Invoker {
  readonly client: LambdaClient;

  constructor(
    private readonly config: RuntimeConfig,
    /** the app version this code is: its calls, spawns and transaction ends go to the same version's functions */
    readonly version?: string,
  ) {
    this.client = new LambdaClient({
      region: config.region,
      endpoint: config.invokeEndpoint,
      credentials: config.credentials,
      maxAttempts: 1, // retried below, and as a careful execution
      // A sync call may take as long as the callee runs: each request is cut to the caller's
      // deadline instead (call, below), connecting included.
      requestHandler: { requestTimeout: config.timeoutMs, connectionTimeout: config.timeoutMs, throwOnRequestTimeout: true },
    });
    addTraceHeader(this.client);
  }

  /** Fails the fn (R0007) when `event` is over the Event payload limit; used before registering an intent. */
  checkEvent(event: InvocationEvent): void {
    this.payload(signed(this.config.envelopeKey, event), EVENT_PAYLOAD_LIMIT);
  }

  private payload(event: InvocationEvent, limit: number): Uint8Array {
    const bytes = new TextEncoder().encode(JSON.stringify(event));
    if (bytes.length > limit) {
      throw BeldiFailure.of("payloadTooLarge", `the input of ${event.fn} is ${bytes.length} bytes, over the limit of ${limit}`);
    }
    return bytes;
  }

  /** The function of `service` at app version `version` (unqualified without one: its newest code). */
  private target(service: string, version: string | undefined): { name: string; qualifier?: string; shown: string } {
    const name = functionName(this.config.prefix, this.config.app, service);
    if (!version) return { name, shown: name };
    const qualifier = versionAlias(version);
    return { name, qualifier, shown: `${name}:${qualifier}` };
  }

  /**
   * Calls `service.fn` as instance `instanceId` and waits for its result, on app version
   * `version` (default: this code's). A failed attempt (the callee crashed, or the answer was
   * lost) is retried as a careful execution: the callee may have run. After a few attempts the
   * caller gives up and dies; the IC finishes its root.
   */
  async call(service: string, event: InvocationEvent, version = this.version): Promise<InvocationResult> {
    const { name, qualifier, shown } = this.target(service, version);
    const attempts = 4;
    const what = `a call of ${service}.${event.fn}`;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      // The callee keeps to its caller's deadline: it cannot usefully outlive the wait for it.
      const deadline = currentDeadline();
      const e = signed(this.config.envelopeKey, {
        ...event,
        beldi: { ...event.beldi, ...(attempt > 0 ? { replay: true } : {}), ...(deadline ? { deadline } : {}) },
      });
      try {
        const budget = requestBudget(this.config.timeoutMs, what);
        const r = await this.client.send(
          new InvokeCommand({
            FunctionName: name,
            Qualifier: qualifier,
            InvocationType: "RequestResponse",
            Payload: this.payload(e, SYNC_PAYLOAD_LIMIT),
          }),
          { abortSignal: AbortSignal.timeout(budget), requestTimeout: budget } as never,
        );
        const text = r.Payload ? decoder.decode(r.Payload) : "null";
        if (r.FunctionError) throw new Error(`${r.FunctionError}: ${text.slice(0, 500)}`);
        return JSON.parse(text) as InvocationResult;
      } catch (err) {
        if (isKilled(err) || err instanceof BeldiFailure || err instanceof ExecutionStopped) throw err;
        const refused = resourceRefused(err, `function ${shown} (${service}.${event.fn})`);
        if (refused) throw refused;
        lastError = err;
        await sleepWithin(backoff(attempt, 50, 2000), what);
      }
    }
    throw new CalleeUnavailable(`${service}.${event.fn}`, lastError);
  }

  /** Sends `event` to `service` at app version `version` (default: this code's) without waiting: its intent is already registered. */
  async send(service: string, event: InvocationEvent, version = this.version): Promise<void> {
    const { name, qualifier, shown } = this.target(service, version);
    const payload = this.payload(signed(this.config.envelopeKey, event), EVENT_PAYLOAD_LIMIT);
    const what = `an event to ${service}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const budget = requestBudget(this.config.requestTimeoutMs, what);
        await this.client.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, InvocationType: "Event", Payload: payload }), {
          abortSignal: AbortSignal.timeout(budget),
          requestTimeout: budget,
        } as never);
        return;
      } catch (err) {
        if (isKilled(err) || err instanceof ExecutionStopped) throw err;
        const refused = resourceRefused(err, `function ${shown} (${service}.${event.fn})`);
        if (refused) throw refused; // no collector would ever start it: say so now
        // A lost event is harmless: the intent collector starts the instance anyway.
        if (attempt >= 2) return;
        await sleepWithin(backoff(attempt, 50, 1000), what);
      }
    }
  }
}
