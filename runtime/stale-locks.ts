// Locks nobody will release. An execution of a transaction's owner can take a lock under an
// attempt that another execution of the same instance has already decided (a client retry, or
// the collector re-executing a slow instance), and die before it learns of the decision: that
// lock is on no decision's list. Whoever runs into such a lock asks the holder's owner log
// whether the attempt is over, and removes the lock if so.
//
// An attempt's id names where to ask: `<instance>/<attempt step>@<owner service>`.
import { QueryCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { LogReader } from "./log.js";
import { decisionStepOf, rootOf } from "../contract/ids.js";
import { tableNames } from "../contract/schema.js";
import { Roots } from "./roots.js";
import type { RuntimeConfig } from "./config.js";
import type { Store } from "./store.js";
import type { Decision } from "../contract/envelope.js";

type Item = Record<string, AttributeValue>;

/**
 * Whether the attempt `holder` is over as far as its lock on `service`'s `table[key]` goes: its
 * logged decision does not list that lock (so no one will release it), or its whole call tree
 * has finished (so every decision in it was carried out; a lock under it now is a late one).
 * Ids of no known form count as live.
 */
export async function attemptIsOver(
  store: Store,
  config: Pick<RuntimeConfig, "prefix" | "app">,
  holder: string,
  service: string,
  table: string,
  key: string,
  services: readonly string[],
): Promise<boolean> {
  const at = holder.lastIndexOf("@");
  if (at < 0) return false;
  const owner = holder.slice(at + 1);
  const path = holder.slice(0, at); // <instance>/<attempt step>, either part may hold `/`
  const root = rootOf(path);
  const logs = await instanceLogs(store, tableNames.log(config.prefix, config.app, owner), root);
  for (const [instance, known] of logs) {
    if (!path.startsWith(`${instance}/`)) continue;
    const decision = known.get(decisionStepOf(path.slice(instance.length + 1))) as Decision | undefined;
    if (decision && !decision.locks.some(([s, t, k]) => s === service && t === table && k === key)) return true;
  }
  // The root's intent is registered before its tree leaves anything in the store, and turned into
  // a tombstone (done) only after the tree is collected: done everywhere, or gone, means nothing
  // of the tree runs any more.
  const roots = new Roots(
    store,
    services.map((s) => tableNames.intent(config.prefix, config.app, s)),
    Infinity,
  );
  await roots.resolve([root]);
  return roots.finished(root);
}

/** Every instance's logged steps in one call tree's partition of a log table. */
async function instanceLogs(store: Store, table: string, root: string): Promise<Map<string, Map<string, unknown>>> {
  const reader = new LogReader();
  let start: Item | undefined;
  do {
    const r = await store.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "I = :root",
        ExpressionAttributeValues: { ":root": { S: root } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of r.Items ?? []) reader.add(item);
    start = r.LastEvaluatedKey;
  } while (start);
  return reader.steps();
}
