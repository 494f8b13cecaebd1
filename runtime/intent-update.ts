// One conditional UpdateItem of an intent item, shared by the intents' life cycle (intent.ts)
// and durable waiting (suspension.ts): placeholders the expressions use only, retried while the
// outcome is unknown, the item as it was when the condition failed.
import { UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { INTENT_ID } from "../contract/schema.js";
import { errorName, StoreAmbiguous, type Store } from "./store.js";

type Item = Record<string, AttributeValue>;

export interface IntentUpdate {
  update: string;
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
  /** applying it twice is harmless: an ambiguous outcome may be retried as idempotent */
  repeatable?: boolean;
  /** answer these attributes when it applied */
  returnValues?: "UPDATED_NEW" | "ALL_NEW";
}

export type IntentUpdateOutcome = { applied: true; attributes?: Item } | { applied: false; old?: Item };

/**
 * Applies `u` to intent `instance` of `table`. An unknown outcome is tried again: if our own
 * attempt applied, the condition may now fail on it, which every caller treats safely (a claim
 * runs carefully; a delivery recognises its sender id).
 */
export async function updateIntent(store: Store, table: string, instance: string, u: IntentUpdate): Promise<IntentUpdateOutcome> {
  // The store refuses placeholders an expression does not use: pass only those it does.
  const text = `${u.update} ${u.condition}`;
  const pick = <V>(m: Record<string, V> = {}) => Object.fromEntries(Object.entries(m).filter(([k]) => new RegExp(`${k}\\b`).test(text)));
  const names = pick(u.names);
  const values = pick(u.values);
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await store.send<{ Attributes?: Item }>(
        new UpdateItemCommand({
          TableName: table,
          Key: { [INTENT_ID]: { S: instance } },
          UpdateExpression: u.update,
          ConditionExpression: u.condition,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          ReturnValuesOnConditionCheckFailure: store.returnsOld ? "ALL_OLD" : undefined,
          ...(u.returnValues ? { ReturnValues: u.returnValues } : {}),
        }),
        { idempotent: u.repeatable ?? false },
      );
      return { applied: true, ...(u.returnValues ? { attributes: r.Attributes ?? {} } : {}) };
    } catch (e) {
      if (e instanceof StoreAmbiguous && attempt < 5) continue;
      if (errorName(e) !== "ConditionalCheckFailedException") throw e;
      const old = (e as { Item?: Item }).Item;
      return old ? { applied: false, old } : { applied: false };
    }
  }
}
