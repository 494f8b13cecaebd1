// Creates an app's tables (compiler/tables.ts says which) in a store and waits until they and
// their indexes are active.
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTableInput, type TableSpec } from "../compiler/tables.js";
import { setTimeout as sleep } from "node:timers/promises";

export { appTables } from "../compiler/tables.js";

export async function createTables(client: DynamoDBClient, tables: TableSpec[]): Promise<void> {
  await Promise.all(
    tables.map(async (t) => {
      try {
        await client.send(new CreateTableCommand(createTableInput(t)));
      } catch (e) {
        if ((e as Error).name !== "ResourceInUseException") throw e; // exists already (state kept on disk)
      }
      for (let i = 0; i < 500; i++) {
        const d = await client.send(new DescribeTableCommand({ TableName: t.name }));
        const indexesActive = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE");
        if (d.Table?.TableStatus === "ACTIVE" && indexesActive) return;
        await sleep(10);
      }
      throw new Error(`table ${t.name} did not become active`);
    }),
  );
}
