// `beldi versions <app>`: the app versions in use — each with the unfinished instances pinned to
// it — on the kept local state, or on any DynamoDB endpoint (AWS included) holding the app's
// intent tables. A version with no unfinished instance (other than the current one) may go: on
// AWS, its aliases `v<version>` and published Lambda versions can then be deleted.
import { DynamoDBClient, ScanCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { commandArgs } from "./args.js";
import { processIo, type Io } from "../../compiler/cli-io.js";
import { check, loadApp, UsageError } from "../../compiler/check-api.js";
import { INTENT_FN, INTENT_ID, INTENT_VERSION, PENDING_SHARD, tableNames } from "../../contract/schema.js";
import { keptVersions } from "../kept-versions.js";
import { LocalStack, type VersionInUse } from "../stack.js";

const USE = "usage: beldi versions <app> [--endpoint <url> --region <region> --prefix <prefix>] [--format json]";

export async function versionsCommand(argv: string[], io: Io = processIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    { endpoint: { type: "string" }, region: { type: "string" }, prefix: { type: "string" }, format: { type: "string" } },
    io,
    USE,
    "\n",
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || (values.format && !["json", "text"].includes(values.format))) {
    io.err(USE);
    return 2;
  }
  try {
    const loaded = loadApp(positionals[0]!);
    const versions = values.endpoint ? await fromStore(loaded, values) : await fromLocalState(positionals[0]!, loaded.app);
    if (values.format === "json") io.out(JSON.stringify(versions, null, 2));
    else io.out(describe(versions));
    return 0;
  } catch (e) {
    io.err(e instanceof UsageError ? e.message : `error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

function describe(versions: VersionInUse[]): string {
  const lines: string[] = [];
  for (const v of versions) {
    const n = v.unfinished.length;
    const state = v.current ? "current" : n ? "in use" : "unused: may be deleted";
    lines.push(`${v.version}  ${state}, ${n} unfinished instance${n === 1 ? "" : "s"}`);
    for (const u of v.unfinished) lines.push(`  ${u.service}.${u.fn} ${u.instance}`);
  }
  return lines.join("\n");
}

/** The kept local state of `beldi run`: the versions it keeps, served by a stack that runs nothing. */
async function fromLocalState(appPath: string, app: string): Promise<VersionInUse[]> {
  const cwd = process.cwd();
  const dataDir = path.join(cwd, ".beldi", "state", app);
  mkdirSync(dataDir, { recursive: true });
  const stack = await LocalStack.start({
    app: appPath,
    dataDir,
    prefix: "",
    schedule: false,
    earlierVersions: keptVersions(cwd, app),
  });
  try {
    return await stack.versions();
  } finally {
    await stack.stop();
  }
}

/** Any DynamoDB endpoint: every unfinished intent of the app's services, by the version it is pinned to. */
async function fromStore(
  loaded: ReturnType<typeof loadApp>,
  o: { endpoint?: string; region?: string; prefix?: string },
): Promise<VersionInUse[]> {
  const r = check(loaded.files, { app: loaded.app, appDir: loaded.appDir });
  if (!r.ir) throw new UsageError(`${loaded.app} does not compile: run \`beldi check\` on it`);
  const current = r.ir.codeVersion;
  const client = new DynamoDBClient({ endpoint: o.endpoint, region: o.region ?? process.env.AWS_REGION ?? "us-east-1" });
  const byVersion = new Map<string, VersionInUse>([[current, { version: current, current: true, unfinished: [] }]]);
  try {
    for (const s of r.ir.services) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableNames.intent(o.prefix ?? "", loaded.app, s.name),
            ConsistentRead: true,
            FilterExpression: "attribute_exists(#p)",
            ExpressionAttributeNames: { "#p": PENDING_SHARD },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const version = item[INTENT_VERSION]?.S ?? "(before versions)";
          let v = byVersion.get(version);
          if (!v) byVersion.set(version, (v = { version, current: false, unfinished: [] }));
          v.unfinished.push({ service: s.name, fn: item[INTENT_FN]?.S ?? "?", instance: item[INTENT_ID]?.S ?? "?" });
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
  } finally {
    client.destroy();
  }
  return [...byVersion.values()];
}
