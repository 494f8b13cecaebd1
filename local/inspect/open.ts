// Where the inspector reads from: the local state `beldi run` keeps (.beldi/state/<app>, dynalite
// on disk, tables without a prefix), or any DynamoDB endpoint (AWS: a region, with the default
// credentials) with the app's IR from its folder or a build's manifest.json.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { check, loadApp, readManifest, UsageError, type IrProgram } from "../../compiler/index.js";
import { startDynalite, type RunningStore } from "../dynalite.js";
import type { Inspector } from "./inspect.js";
import { Sites } from "./sites.js";
import { StoreReader } from "./store-reader.js";

// The SDK warns at every client it creates about Node versions it will drop; our pinned client keeps working.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The collection window of a deployed app (compiler/deploy.ts writes 3 minutes into the template). */
export const DEPLOYED_WINDOW_MS = 180_000;

export interface OpenOptions {
  /** the app's folder or file (its IR and sources); optional with `manifest` */
  app?: string;
  /** a build's manifest.json (the IR); the sources are read from the paths it names, where they exist */
  manifest?: string;
  /** a DynamoDB endpoint; with neither it nor `region`, the app's local state */
  endpoint?: string;
  region?: string;
  /** the deployment's table name prefix (the template's `Prefix`, default "") */
  prefix?: string;
  /** the collection window T of the deployment (default: the template's) */
  windowMs?: number;
  /** a deployed app: find the locks held now by scanning its data tables (the local state always does) */
  scanLocks?: boolean;
}

/** The app has no local state: `beldi run` never ran it in this folder. */
export class NoLocalState extends Error {
  constructor(app: string, dir: string) {
    super(`no local state for app ${app}: ${path.relative(process.cwd(), dir) || dir} does not exist (run it first with \`beldi run\`)`);
    this.name = "NoLocalState";
  }
}

export interface OpenInspector extends Inspector {
  /** in words: what it reads */
  where: string;
  close(): Promise<void>;
}

function programOf(o: OpenOptions): { ir: IrProgram; sources: Map<string, string> } {
  if (o.manifest) {
    const ir = readManifest(o.manifest);
    const sources = new Map<string, string>();
    const texts = o.app ? loadApp(o.app).files : [];
    for (const f of texts) sources.set(f.path, f.text);
    for (const f of ir.files) if (!sources.has(f) && existsSync(f)) sources.set(f, readFileSync(f, "utf8"));
    return { ir, sources };
  }
  if (!o.app) throw new UsageError("name the app (its folder) or its build's --manifest");
  const app = loadApp(o.app);
  const r = check(app.files, { app: app.app, appDir: app.appDir });
  if (!r.ir) throw new UsageError(`${o.app} does not compile (see \`beldi check ${o.app}\`): its steps cannot be named`);
  return { ir: r.ir, sources: new Map(app.files.map((f) => [f.path, f.text])) };
}

export async function openInspector(o: OpenOptions): Promise<OpenInspector> {
  const { ir, sources } = programOf(o);
  const sites = new Sites(ir, sources);
  if (o.endpoint || o.region) {
    const client = new DynamoDBClient({ ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...(o.region ? { region: o.region } : {}) });
    const windowMs = o.windowMs ?? DEPLOYED_WINDOW_MS;
    return {
      reader: new StoreReader(client, ir, o.prefix ?? "", o.scanLocks ?? false),
      sites,
      clock: {
        now: Date.now(),
        windowMs,
        retriedBy: "the intent collector re-executes it on its next pass",
        wokenBy: "the collector's next wake-up pass resumes it",
      },
      where: o.endpoint ?? `DynamoDB in ${o.region}`,
      close: async () => client.destroy(),
    };
  }
  const dir = path.join(process.cwd(), ".beldi", "state", ir.app);
  if (!existsSync(dir)) throw new NoLocalState(ir.app, dir);
  let store: RunningStore;
  try {
    store = await startDynalite(dir);
  } catch (e) {
    throw new Error(`cannot open the local state in ${dir} (is a \`beldi run\` of ${ir.app} using it?): ${(e as Error).message}`);
  }
  const client = new DynamoDBClient({
    endpoint: store.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "beldi", secretAccessKey: "local" },
  });
  return {
    reader: new StoreReader(client, ir, ""),
    sites,
    // Nothing runs between `beldi run`s: an unfinished instance waits for the next one.
    clock: {
      now: Date.now(),
      windowMs: 0,
      retriedBy: `the next \`beldi run\` of ${ir.app} finishes it first`,
      wokenBy: `the next \`beldi run\` or \`beldi signal\` of ${ir.app} resumes it`,
    },
    where: path.relative(process.cwd(), dir),
    close: async () => {
      client.destroy();
      await store.close();
    },
  };
}
