// Where a service's handler finds its store, its callees and its tables. On AWS it comes from
// environment variables the deploy template sets; the local stack passes its own endpoints.

export interface RuntimeConfig {
  /** the app's name */
  app: string;
  /** prepended to every table and function name (the local stack gives each stack its own) */
  prefix: string;
  region: string;
  /** DynamoDB endpoint; undefined = the region's AWS endpoint */
  storeEndpoint?: string;
  /** Lambda endpoint; undefined = the region's AWS endpoint */
  invokeEndpoint?: string;
  /** log entries per DAAL row before old entries move to an archive row */
  rowCapacity: number;
  /** the collection window T in ms (IC and GC); must exceed timeoutMs + requestTimeoutMs */
  windowMs: number;
  /**
   * Each execution's deadline, from its start (on Lambda also bounded by the function's own
   * remaining time). Past it the execution issues nothing more and stops as if it crashed.
   */
  timeoutMs: number;
  /** the longest one store request may take before it is abandoned as ambiguous */
  requestTimeoutMs: number;
  /** fixed credentials for local endpoints; undefined = the default AWS provider chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * Whether the store returns the item with a failed condition check
   * (`ReturnValuesOnConditionCheckFailure`). When false the runtime reads the item instead.
   */
  returnsOldOnConditionFailure: boolean;
  /** run without exactly-once (plain store and invoke calls), to measure what it costs (bench/) */
  baseline?: boolean;
  /**
   * The key internal envelopes are signed with (envelope-auth.ts): shared by the app's
   * functions, never by clients. The deploy template generates one per stack (a secret).
   */
  envelopeKey: string;
}

export const DEFAULT_ROW_CAPACITY = 1000;
export const DEFAULT_WINDOW_MS = 15 * 60_000 + 60_000;
/** Lambda's longest timeout: what an execution may take when the config says nothing. */
export const DEFAULT_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Reads the configuration the deploy template (or the local stack's worker) puts in the environment. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`environment variable ${name} is not set`);
    return v;
  };
  const accessKeyId = env.BELDI_ACCESS_KEY_ID;
  return {
    app: need("BELDI_APP"),
    prefix: env.BELDI_PREFIX ?? "",
    region: env.AWS_REGION ?? env.BELDI_REGION ?? "us-east-1",
    storeEndpoint: env.BELDI_STORE_ENDPOINT || undefined,
    invokeEndpoint: env.BELDI_INVOKE_ENDPOINT || undefined,
    rowCapacity: Number(env.BELDI_ROW_CAPACITY ?? DEFAULT_ROW_CAPACITY),
    windowMs: Number(env.BELDI_WINDOW_MS ?? DEFAULT_WINDOW_MS),
    timeoutMs: Number(env.BELDI_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS),
    requestTimeoutMs: Number(env.BELDI_REQUEST_TIMEOUT_MS ?? DEFAULT_REQUEST_TIMEOUT_MS),
    credentials: accessKeyId ? { accessKeyId, secretAccessKey: env.BELDI_SECRET_ACCESS_KEY ?? "x" } : undefined,
    returnsOldOnConditionFailure: (env.BELDI_RETURNS_OLD ?? "true") === "true",
    baseline: env.BELDI_BASELINE === "true",
    envelopeKey: need("BELDI_ENVELOPE_KEY"),
  };
}

/** The environment variables that make `configFromEnv` return `c`. */
export function configToEnv(c: RuntimeConfig): Record<string, string> {
  const env: Record<string, string> = {
    BELDI_APP: c.app,
    BELDI_PREFIX: c.prefix,
    BELDI_REGION: c.region,
    BELDI_ROW_CAPACITY: String(c.rowCapacity),
    BELDI_WINDOW_MS: String(c.windowMs),
    BELDI_TIMEOUT_MS: String(c.timeoutMs),
    BELDI_REQUEST_TIMEOUT_MS: String(c.requestTimeoutMs),
    BELDI_RETURNS_OLD: String(c.returnsOldOnConditionFailure),
    BELDI_ENVELOPE_KEY: c.envelopeKey,
  };
  if (c.storeEndpoint) env.BELDI_STORE_ENDPOINT = c.storeEndpoint;
  if (c.invokeEndpoint) env.BELDI_INVOKE_ENDPOINT = c.invokeEndpoint;
  if (c.baseline) env.BELDI_BASELINE = "true";
  if (c.credentials) {
    env.BELDI_ACCESS_KEY_ID = c.credentials.accessKeyId;
    env.BELDI_SECRET_ACCESS_KEY = c.credentials.secretAccessKey;
  }
  return env;
}
