// The local state `beldi run` keeps between commands: dynalite's data on disk under
// .beldi/state/<app> (relative to the working directory), tables without a prefix.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { loadApp } from "../compiler/index.js";
import { LocalStack, type StartOptions } from "./stack.js";

/** Where an app's kept state lives. */
export function keptStateDir(appPath: string): string {
  return path.join(process.cwd(), ".beldi", "state", loadApp(appPath).app);
}

/** Starts a stack on the app's kept state (created empty if there is none), no collector running. */
export async function startOnKeptState(appPath: string, options: Partial<StartOptions> = {}): Promise<LocalStack> {
  const dataDir = keptStateDir(appPath);
  mkdirSync(dataDir, { recursive: true });
  return LocalStack.start({ isolation: "inline", schedule: false, ...options, app: appPath, dataDir, prefix: "" });
}
