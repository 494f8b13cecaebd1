// An inspector over a running LocalStack's store (tests, `beldi run`): its tables, its window.
import { existsSync, readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { LocalStack } from "../stack.js";
import type { Inspector } from "./inspect.js";
import { Sites } from "./sites.js";
import { StoreReader } from "./store-reader.js";

export interface StackInspector extends Inspector {
  close(): void;
}

/** Reads through the stack's store front, as its functions do; `now` fixes the clock statuses are judged by. */
export function inspectorOf(stack: LocalStack, now = Date.now()): StackInspector {
  const config = stack.runtimeConfig;
  const client = new DynamoDBClient({ endpoint: config.storeEndpoint, region: config.region, credentials: config.credentials });
  const sources = new Map<string, string>();
  for (const f of stack.app.ir.files) if (existsSync(f)) sources.set(f, readFileSync(f, "utf8"));
  return {
    reader: new StoreReader(client, stack.app.ir, stack.prefix),
    sites: new Sites(stack.app.ir, sources),
    clock: {
      now,
      windowMs: config.windowMs,
      retriedBy: "the intent collector re-executes it on its next pass",
      wokenBy: "the stack's next wake-up pass resumes it",
    },
    close: () => client.destroy(),
  };
}
