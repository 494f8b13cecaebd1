// The id schemes: instance ids (client and derived), log entries, transaction attempts (docs/ids.md).
import { createHash } from "node:crypto";

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

/** Whether an id is a spawned instance's own (the root of its tree), not an entry's or a callee's. */
export function isSpawnedId(id: string): boolean {
  return id.includes("!") && rootOf(id) === id;
}

/** The id of one log entry: an instance's step. `#` never occurs in ids or steps. */
export function entryId(instance: string, step: string): string {
  return `${instance}#${step}`;
}

/** The id of attempt `attemptStep` of a transaction owned by `instance` of `service`. */
export function attemptId(instance: string, attemptStep: string, service: string): string {
  return `${instance}/${attemptStep}@${service}`;
}

/** The step under which an attempt's decision is logged. */
export const decisionStepOf = (attemptStep: string) => `${attemptStep}.d`;
