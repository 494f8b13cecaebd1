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

// Instance ids (docs/ids.md gives the grammar). A client chooses an entry instance's id from
// ENTRY_ID's alphabet; the runtime derives the rest from the caller's id, the caller's service
// and the step: `parent/service:step` for a sync callee, `parent!service:step'` for a spawned
// one (step' = the step with `/` written `|`). A client id never holds `/` or `!`, a service
// name never holds `:`, and a step never holds `:`, `!` or `|`: so a derived id is never a client id, two derivations never collide (read one
// from the right: the step ends at the last `:`, the service runs back to `/` or `!`), and the
// instance that owns a whole call tree (its root: an entry or spawned instance) is found from
// any member's id. The same client id used in two services derives two distinct trees.
export const ENTRY_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_ID = 200;

function compress(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 27);
}

/** The id of the sync callee that instance `parent` of `service` calls at `step`. */
export function callId(parent: string, service: string, step: string): string {
  const id = `${parent}/${service}:${step}`;
  if (id.length <= MAX_ID) return id;
  // A hash of the whole derivation, under the same root (no `:`: no plain derivation equals it).
  return `${rootOf(parent)}/~${compress(id)}`;
}

/** The id of the instance that instance `parent` of `service` spawns at `step`: the root of its own tree. */
export function spawnId(parent: string, service: string, step: string): string {
  const id = `${parent}!${service}:${step.replaceAll("/", "|")}`;
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
