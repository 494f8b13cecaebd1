// The store client: one DynamoDB client per service container, with our own retry policy so
// that the protocol knows when a write's outcome is unknown (DESIGN.md §2).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RuntimeConfig } from "./config.js";
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
export class StoreUnavailable extends Error {
  constructor(readonly cause: unknown) {
    super(`store unavailable: ${(cause as Error)?.message ?? cause}`);
    this.name = "StoreUnavailable";
  }
}

export function errorName(e: unknown): string {
  return (e as { name?: string })?.name ?? "";
}

function isAmbiguous(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return (
    ["TimeoutError", "RequestTimeout", "InternalServerError", "ServiceUnavailable", "AbortError"].includes(err?.name ?? "") ||
    ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(err?.code ?? "")
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  constructor(config: RuntimeConfig) {
    this.client = new DynamoDBClient({
      region: config.region,
      endpoint: config.storeEndpoint,
      credentials: config.credentials,
      maxAttempts: 1, // retries are ours (below): the protocol must see ambiguous outcomes
      requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
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
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.client.send(command as never)) as T;
      } catch (e) {
        if (isKilled(e)) throw e;
        const name = errorName(e);
        if (THROTTLES.has(name) || (opts.idempotent && isAmbiguous(e))) {
          if (attempt >= 9) throw new StoreUnavailable(e);
          await sleep(backoff(attempt));
          continue;
        }
        if (isAmbiguous(e)) throw new StoreAmbiguous(e);
        throw e;
      }
    }
  }
}
