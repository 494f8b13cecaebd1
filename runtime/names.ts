// Names of the store tables and Lambda functions of an app, and the instance/step id scheme.
import { createHash } from "node:crypto";

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

// Instance ids. A client chooses an entry instance's id from ENTRY_ID's alphabet; the runtime
// derives the rest: `parent/step` for a sync callee, `parent!step` for a spawned one. `/`, `!`
// and `~` never occur in a client's id, so no two derivations collide, and the instance that
// owns a whole call tree (its root: an entry or spawned instance) is found from any member's id.
export const ENTRY_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_ID = 200;

function compress(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 27);
}

/** The id of the sync callee called at `step` by instance `parent`. */
export function callId(parent: string, step: string): string {
  const id = `${parent}/${step}`;
  if (id.length <= MAX_ID) return id;
  return `${rootOf(parent)}/~${compress(id)}`;
}

/** The id of the instance spawned at `step` by instance `parent`: the root of its own tree. */
export function spawnId(parent: string, step: string): string {
  const id = `${parent}!${step}`;
  return id.length <= MAX_ID ? id : `!${compress(id)}`;
}

/** The root (entry or spawned instance) whose call tree an instance belongs to. */
export function rootOf(id: string): string {
  const bang = id.lastIndexOf("!");
  const slash = id.indexOf("/", bang + 1);
  return slash < 0 ? id : id.slice(0, slash);
}

/** The id of one log entry: an instance's step. `#` never occurs in ids or steps. */
export function entryId(instance: string, step: string): string {
  return `${instance}#${step}`;
}
