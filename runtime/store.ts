// The store client: one DynamoDB client per service container, with our own retry policy so
// that the protocol knows when a write's outcome is unknown (DESIGN.md §2).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RuntimeConfig } from "./config.js";
import { ExecutionStopped, requestBudget, sleepWithin } from "./deadline.js";
import { resourceRefused } from "./refused.js";
import { addTraceHeader, isKilled } from "./trace.js";

const THROTTLES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "TooManyRequestsException",
]);

/** A write whose outcome is unknown: it may or may not have been applied. */
export class StoreAmbiguous extends Error {
  constructor(readonly cause: unknown) {
    super(`store request outcome unknown: ${(cause as Error)?.message ?? cause}`);
    this.name = "StoreAmbiguous";
  }
}

/** The store kept refusing (throttles, outages) past our retry budget; the instance should die and be retried by the IC. */
export class StoreUnavailable extends ExecutionStopped {
  constructor(readonly cause: unknown) {
    super(`store unavailable: ${(cause as Error)?.message ?? cause}`);
    this.name = "StoreUnavailable";
  }
}

/** The store's name for an error, also when it came back as a typed R0022 (resourceRefused). */
export function errorName(e: unknown): string {
  return (e as { awsName?: string; name?: string })?.awsName ?? (e as { name?: string })?.name ?? "";
}

/** The table(s) a request names, for an error message. */
function tablesOf(command: { input: unknown }): string {
  const input = command.input as { TableName?: string; RequestItems?: Record<string, unknown> };
  return input.TableName ?? Object.keys(input.RequestItems ?? {}).join(", ");
}

function isAmbiguous(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // an answer the client could not read (a cut or garbled body: the SDK's JSON.parse throws):
  // never the fn's own error (R0027, errors.ts codeFailure), whatever its class
  if (e instanceof SyntaxError || e instanceof TypeError) return true;
  return (
    ["TimeoutError", "RequestTimeout", "InternalServerError", "ServiceUnavailable", "AbortError"].includes(err?.name ?? "") ||
    ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(err?.code ?? "")
  );
}

export function backoff(attempt: number, baseMs = 10, capMs = 1000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export interface SendOptions {
  /** safe to repeat whatever happened (reads, and writes that are conditional and checked) */
  idempotent: boolean;
}

export class Store {
  readonly client: DynamoDBClient;
  readonly returnsOld: boolean;
  private readonly requestTimeoutMs: number;

  constructor(
    config: Pick<RuntimeConfig, "region" | "storeEndpoint" | "credentials" | "returnsOldOnConditionFailure"> & {
      requestTimeoutMs?: number;
    },
  ) {
    this.requestTimeoutMs = config.requestTimeoutMs ?? 10_000;
    this.client = new DynamoDBClient({
      region: config.region,
      endpoint: config.storeEndpoint,
      credentials: config.credentials,
      maxAttempts: 1, // retries are ours (below): the protocol must see ambiguous outcomes
      // Each request also gets an abort signal cut to the execution's deadline (send, below);
      // without throwOnRequestTimeout this handler's timeout would only log a warning.
      requestHandler: { requestTimeout: this.requestTimeoutMs, connectionTimeout: this.requestTimeoutMs, throwOnRequestTimeout: true },
    });
    addTraceHeader(this.client);
    this.returnsOld = config.returnsOldOnConditionFailure;
  }

  /**
   * Sends a command. Throttles are retried with back-off (the request was not applied). An
   * ambiguous failure (timeout, 5xx, reset) is retried when `idempotent`, else reported as
   * StoreAmbiguous for the caller to resolve.
   */
  async send<T>(command: { input: unknown }, opts: SendOptions = { idempotent: true }): Promise<T> {
    const what = `a store request (${command.constructor.name})`;
    for (let attempt = 0; ; attempt++) {
      try {
        // A request that cannot finish before the deadline is not started; one that runs into
        // it is abandoned, and its outcome is ambiguous like any timeout.
        const budget = requestBudget(this.requestTimeoutMs, what);
        return (await this.client.send(
          command as never,
          { abortSignal: AbortSignal.timeout(budget), requestTimeout: budget } as never,
        )) as T;
      } catch (e) {
        if (isKilled(e) || e instanceof ExecutionStopped) throw e;
        const name = errorName(e);
        if (THROTTLES.has(name) || (opts.idempotent && isAmbiguous(e))) {
          if (attempt >= 9) throw new StoreUnavailable(e);
          await sleepWithin(backoff(attempt), what);
          continue;
        }
        if (isAmbiguous(e)) throw new StoreAmbiguous(e);
        // missing table, no permission, invalid request: retrying cannot help
        throw resourceRefused(e, `table ${tablesOf(command)}`) ?? e;
      }
    }
  }
}
