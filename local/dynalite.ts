// The embedded store: dynalite (DynamoDB's API over LevelDB), in memory or on disk.
import type http from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error dynalite ships no types
import dynalite from "dynalite";

export interface RunningStore {
  endpoint: string;
  /** whether the store returns the old item on a failed condition (dynalite: no) */
  returnsOld: boolean;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startDynalite(dir?: string): Promise<RunningStore> {
  const server: http.Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dir ? { path: dir } : {}) });
  const endpoint = await listen(server);
  server.unref(); // a shared store must not keep a finished test run alive
  return {
    endpoint,
    returnsOld: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: Promise<RunningStore> | undefined;

/** One in-memory dynalite per process, shared by every stack (each with its own table prefix). */
export function sharedDynalite(): Promise<RunningStore> {
  return (shared ??= startDynalite());
}
