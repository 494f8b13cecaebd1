// The physical schema: table and function names, the indexes, and the attribute names of the
// runtime's items. Anything that reads or writes an item names its attributes from here.

/** Table and function names. Service and table names are identifiers, so `.` and `-` separate unambiguously. */
export const tableNames = {
  data: (prefix: string, app: string, service: string, table: string) => `${prefix}${app}.${service}.${table}`,
  log: (prefix: string, app: string, service: string) => `${prefix}${app}.${service}-log`,
  intent: (prefix: string, app: string, service: string) => `${prefix}${app}.${service}-intent`,
  shadow: (prefix: string, app: string, service: string) => `${prefix}${app}.${service}-shadow`,
};

export function functionName(prefix: string, app: string, service: string): string {
  return `${prefix}${app}-${service}`;
}

// The index GC finds its work through, instead of scanning whole tables: every item that will
// need collecting carries `GS` (a shard, so no index partition gets hot) and `GT` (since when
// it holds something collectible: a row's oldest uncollected log entry, a log item's write
// time, a finished intent's finish time). `GT` is absent on items with nothing to collect, so
// the index stays small (a sparse GSI named GC_INDEX on (GS, GT)).
export const GC_INDEX = "gcidx";
export const GC_SHARD = "GS";
export const GC_TIME = "GT";
export const GC_SHARDS = 4;

/** The index shard of a collected intent's tombstone (apart from live work: GC_SHARDS..2*GC_SHARDS-1). */
export const tombstoneShard = (shard: number): number => GC_SHARDS + (shard % GC_SHARDS);

/**
 * The index the intent collector finds pending intents through: (PS, ST), PS present while
 * pending. A suspended instance (`sleep`, `wait`) is in the suspended shards
 * (GC_SHARDS..2*GC_SHARDS-1) with ST its wake-up time, so the collector leaves it alone and the
 * wake-up pass finds the ones that are due (runtime/suspension.ts).
 */
export const PENDING_INDEX = "pendingidx";
export const PENDING_SHARD = "PS";
export const suspendedShard = (shard: number): number => GC_SHARDS + (shard % GC_SHARDS);
/** The wake-up time of an instance waiting for a signal without a timeout: never, by the clock. */
export const NEVER_MS = 8.64e15;

/** A string's shard (FNV-1a). */
export function shardOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % GC_SHARDS;
}

// A data table's rows (runtime/daal.ts explains the layout): hash key K = the user's key, range
// key R = HEAD for the newest row or an archive name.
/** The head row's range key. */
export const HEAD = "H";

/** The primary key of `key`'s head row. */
export const headKey = (key: string) => ({ K: { S: key }, R: { S: HEAD } });
/** a value's field `f` is attribute `v_f` */
export const VALUE_PREFIX = "v_";
/** a log entry `l_<instance#step>` (moves to archives), a pinned one `q_<instance#step>` (stays) */
export const LOG_PREFIX = "l_";
export const PINNED_PREFIX = "q_";
/** present iff the key has a value */
export const EXISTS = "X";
/** number of `l_` entries in the head */
export const COUNT = "C";
/** generation: how many times the head's entries moved to an archive */
export const GENERATION = "G";
/** version: bumped by every change of the head, so a roll-over can replace it safely */
export const VERSION = "V";
/** archived at (ms), on archive rows */
export const ARCHIVED_AT = "AT";
/** the fence: when GC last took log entries of this key away (ms); writes of older deadlines are refused */
export const FENCE = "FW";

export const valueAttr = (field: string): string => VALUE_PREFIX + field;

/** the transaction holding the key exclusively (attempt id), and its age */
export const LOCK_HOLDER = "LW";
export const LOCK_AGE = "LA";
/** shared holders `r_<attempt id>`, counted in RC */
export const SHARED_PREFIX = "r_";
export const SHARED_COUNT = "RC";

// An intent's attributes (runtime/intent.ts says what each holds and when).
export const INTENT_ID = "I";
export const INTENT_FN = "F";
/** the input as JSON text ("IN" is a reserved word of the expression language: use a placeholder) */
export const INTENT_INPUT = "IN";
export const INTENT_PREVIEW = "IP";
export const INTENT_HASH = "H";
export const INTENT_KIND = "KD";
/** start, renewed by each execution that resumes it: the collector's lease */
export const INTENT_STARTED = "ST";
export const INTENT_FINISHED = "FT";
export const INTENT_DONE = "D";
export const INTENT_RESULT = "RS";
export const INTENT_CLAIMED = "CL";
/** the app version the instance is pinned to: every execution of it runs that version's code */
export const INTENT_VERSION = "VR";
/** suspended since (ms): present while the instance is suspended by `sleep` or `wait` */
export const INTENT_SUSPENDED = "SU";
/** what it waits for while suspended: the signal names (a string set) */
export const INTENT_WAITING = "WN";
/** the execution epoch: +1 on every resumption; only an execution of the current epoch may suspend it */
export const INTENT_EPOCH = "EP";
/** re-executions since it started or last suspended (+1 on every resumption): the collector waits longer after each (contract/timing.ts retryAfterMs) */
export const INTENT_RESUMES = "RX";
/** the signals delivered to the instance: a map, name -> { v: value as JSON text, by: sender } */
export const INTENT_SIGNALS = "SG";
/** an entry instance's first log batch, put with its registration (a map, step -> value; runtime/log.ts) */
export const INTENT_FIRST_LOG = "LE";
/** the registration's nonce: tells an earlier attempt of the same put from another execution's */
export const INTENT_NONCE = "RN";
/** collected at (ms): the tombstone GC leaves, and its expiry (s, the store's TTL attribute on AWS) */
export const TOMBSTONE = "TB";
export const TOMBSTONE_EXPIRES = "XP";

/**
 * The Lambda qualifier of an app version: an alias per version (`v<codeVersion>`), which the
 * runtime invokes so that an instance's re-executions, callees and spawns run the code it started on.
 */
export function versionAlias(version: string): string {
  return `v${version}`;
}
