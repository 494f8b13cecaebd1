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

/** The index the intent collector finds pending intents through: (PS, ST), PS present while pending. */
export const PENDING_INDEX = "pendingidx";
export const PENDING_SHARD = "PS";

/** A string's shard (FNV-1a). */
export function shardOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % GC_SHARDS;
}
