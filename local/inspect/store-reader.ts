// Reads an app's records from any DynamoDB-API store through the AWS SDK, with the table names
// of contract/schema.ts: intents (by id, or a scan of an intent table), a call tree's log items
// (one Query per service), and the data rows holding log entries, found through GC's sparse
// index (the rows with uncollected entries: never a table scan) and read whole.
import {
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { IrProgram } from "../../compiler/ir.js";
import { GC_INDEX, GC_SHARD, GC_SHARDS, INTENT_ID, LOCK_HOLDER, SHARED_COUNT, tableNames } from "../../contract/schema.js";
import { firstLogItem } from "../../runtime/log.js";
import { intentRecord, rowRecords, type EntryRecord, type HeldLock, type IntentRecord, type Item } from "./records.js";

type Page = { Items?: Item[]; LastEvaluatedKey?: Item };

export class StoreReader {
  private rows?: Promise<{ entries: EntryRecord[]; locks: HeldLock[] }>;
  private locked?: Promise<HeldLock[]>;

  constructor(
    readonly client: DynamoDBClient,
    readonly ir: IrProgram,
    readonly prefix: string,
    /**
     * find every lock held now by scanning the data tables (a lock alone does not put a row in
     * GC's index); without it, only locks on rows that also hold log entries are seen
     */
    readonly scanLocks = true,
  ) {}

  get services(): string[] {
    return this.ir.services.map((s) => s.name);
  }

  private intentTable(service: string): string {
    return tableNames.intent(this.prefix, this.ir.app, service);
  }

  /** The intent of `instance` in every service that has one (a client id may be a root in several). */
  async intents(instance: string): Promise<IntentRecord[]> {
    const out: IntentRecord[] = [];
    for (const service of this.services) {
      const r = await this.client.send(
        new GetItemCommand({ TableName: this.intentTable(service), Key: { [INTENT_ID]: { S: instance } }, ConsistentRead: true }),
      );
      if (r.Item) out.push(intentRecord(service, r.Item));
    }
    return out;
  }

  /** Every intent of every service (`beldi instances`), or those whose ids begin with one of `prefixes`. */
  async allIntents(prefixes?: string[]): Promise<IntentRecord[]> {
    const out: IntentRecord[] = [];
    for (const service of this.services) {
      const filter = prefixes?.length
        ? {
            FilterExpression: prefixes.map((_, i) => `begins_with(#i, :p${i})`).join(" OR "),
            ExpressionAttributeNames: { "#i": INTENT_ID },
            ExpressionAttributeValues: Object.fromEntries(prefixes.map((p, i) => [`:p${i}`, { S: p }])),
          }
        : {};
      for await (const item of this.pages(
        (start) => new ScanCommand({ TableName: this.intentTable(service), ConsistentRead: true, ExclusiveStartKey: start, ...filter }),
      ))
        out.push(intentRecord(service, item));
    }
    return out;
  }

  /** The log items of the call tree rooted at `root` kept by `service` (its instances there), the first batch its intent holds included. */
  async treeLog(service: string, root: string): Promise<Item[]> {
    const out: Item[] = [];
    const intent = await this.client.send(
      new GetItemCommand({ TableName: this.intentTable(service), Key: { [INTENT_ID]: { S: root } }, ConsistentRead: true }),
    );
    const first = intent.Item && firstLogItem(intent.Item);
    if (first) out.push(first);
    const table = tableNames.log(this.prefix, this.ir.app, service);
    for await (const item of this.pages(
      (start) =>
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "I = :root",
          ExpressionAttributeValues: { ":root": { S: root } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
    ))
      out.push(item);
    return out;
  }

  /** Every log entry and lock in the app's data rows that hold uncollected entries (read once per reader). */
  entriesAndLocks(): Promise<{ entries: EntryRecord[]; locks: HeldLock[] }> {
    return (this.rows ??= this.readRows());
  }

  /** Every lock held now (see `scanLocks`), read once per reader. */
  heldLocks(): Promise<HeldLock[]> {
    return (this.locked ??= this.scanLocks ? this.scanLockedRows() : this.entriesAndLocks().then((r) => r.locks));
  }

  private async scanLockedRows(): Promise<HeldLock[]> {
    const locks: HeldLock[] = [];
    for (const s of this.ir.services) {
      for (const t of s.tables) {
        const table = tableNames.data(this.prefix, this.ir.app, s.name, t.name);
        for await (const item of this.pages(
          (start) =>
            new ScanCommand({
              TableName: table,
              ConsistentRead: true,
              FilterExpression: "attribute_exists(#lw) OR #rc > :zero",
              ExpressionAttributeNames: { "#lw": LOCK_HOLDER, "#rc": SHARED_COUNT },
              ExpressionAttributeValues: { ":zero": { N: "0" } },
              ExclusiveStartKey: start,
            }),
        ))
          locks.push(...rowRecords(s.name, t.name, item).locks);
      }
    }
    return locks;
  }

  private async readRows(): Promise<{ entries: EntryRecord[]; locks: HeldLock[] }> {
    const entries: EntryRecord[] = [];
    const locks: HeldLock[] = [];
    for (const s of this.ir.services) {
      for (const t of s.tables) {
        const table = tableNames.data(this.prefix, this.ir.app, s.name, t.name);
        const keys: Item[] = [];
        for (let shard = 0; shard < GC_SHARDS; shard++) {
          for await (const k of this.pages(
            (start) =>
              new QueryCommand({
                TableName: table,
                IndexName: GC_INDEX,
                KeyConditionExpression: "#s = :s",
                ExpressionAttributeNames: { "#s": GC_SHARD },
                ExpressionAttributeValues: { ":s": { N: String(shard) } },
                ExclusiveStartKey: start,
              }),
          ))
            keys.push({ K: k.K!, R: k.R! });
        }
        for (const item of await this.getAll(table, keys)) {
          const r = rowRecords(s.name, t.name, item);
          entries.push(...r.entries);
          locks.push(...r.locks);
        }
      }
    }
    return { entries, locks };
  }

  /** Whole items by key, strongly consistent, 100 per request. */
  private async getAll(table: string, keys: Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> = {
        [table]: { Keys: keys.slice(i, i + 100), ConsistentRead: true },
      };
      for (let attempt = 0; Object.keys(request).length; attempt++) {
        if (attempt > 20) throw new Error(`the store keeps leaving reads of ${table} unprocessed`);
        const r = await this.client.send(new BatchGetItemCommand({ RequestItems: request }));
        out.push(...(r.Responses?.[table] ?? []));
        request = (r.UnprocessedKeys ?? {}) as typeof request;
      }
    }
    return out;
  }

  private async *pages(command: (start: Item | undefined) => ScanCommand | QueryCommand): AsyncGenerator<Item> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const r = (await this.client.send(command(start) as QueryCommand)) as Page;
      yield* r.Items ?? [];
      start = r.LastEvaluatedKey;
    } while (start);
  }
}
