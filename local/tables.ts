// Creates an app's tables in a store: per service one table per declared table (DAAL rows),
// its log and its intents. The deploy template declares the same tables (compiler/deploy).
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { tableNames } from "../runtime/names.js";
import type { IrProgram } from "../compiler/ir.js";

export interface TableSpec {
  name: string;
  hash: string;
  range?: string;
}

/** Every table an app uses, with its key schema. */
export function appTables(ir: IrProgram, prefix: string): TableSpec[] {
  const out: TableSpec[] = [];
  for (const s of ir.services) {
    for (const t of s.tables) out.push({ name: tableNames.data(prefix, ir.app, s.name, t.name), hash: "K", range: "R" });
    out.push({ name: tableNames.log(prefix, ir.app, s.name), hash: "I", range: "S" });
    out.push({ name: tableNames.intent(prefix, ir.app, s.name), hash: "I" });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createTables(client: DynamoDBClient, tables: TableSpec[]): Promise<void> {
  await Promise.all(
    tables.map(async (t) => {
      const keys: { AttributeName: string; KeyType: "HASH" | "RANGE" }[] = [{ AttributeName: t.hash, KeyType: "HASH" }];
      const defs: { AttributeName: string; AttributeType: "S" }[] = [{ AttributeName: t.hash, AttributeType: "S" }];
      if (t.range) {
        keys.push({ AttributeName: t.range, KeyType: "RANGE" as const });
        defs.push({ AttributeName: t.range, AttributeType: "S" as const });
      }
      try {
        await client.send(
          new CreateTableCommand({ TableName: t.name, KeySchema: keys, AttributeDefinitions: defs, BillingMode: "PAY_PER_REQUEST" }),
        );
      } catch (e) {
        if ((e as Error).name !== "ResourceInUseException") throw e; // exists already (state kept on disk)
      }
      for (let i = 0; i < 200; i++) {
        const d = await client.send(new DescribeTableCommand({ TableName: t.name }));
        if (d.Table?.TableStatus === "ACTIVE") return;
        await sleep(10);
      }
      throw new Error(`table ${t.name} did not become active`);
    }),
  );
}
