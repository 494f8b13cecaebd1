// `beldi run`: one invocation on the local stack, with state kept under .beldi/state/<app>.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { commandArgs } from "./args.js";
import { processIo, USAGE, type Io } from "../../compiler/cli.js";
import { loadApp, UsageError } from "../../compiler/check-api.js";
import { ConfigError } from "../../contract/timing.js";
import { ENTRY_ID } from "../../contract/ids.js";
import { LocalStack } from "../stack.js";
import { buildCached } from "../build-cache.js";
import type { IrProgram } from "../../compiler/ir.js";
import { drop, keep, keptRoot, keptVersions } from "../kept-versions.js";
import { spawnedUnder } from "../inspect/inspect.js";
import { inspectorOf } from "../inspect/of-stack.js";

/** `beldi run <app> <service.fn> --input '<json>' [--instance id] [--fresh] [--isolation process] [--crash-at k]` */
export async function runCommand(argv: string[], io: Io = processIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      input: { type: "string" },
      instance: { type: "string" },
      fresh: { type: "boolean" },
      isolation: { type: "string" },
      "crash-at": { type: "string" },
      "window-ms": { type: "string" },
      "timeout-ms": { type: "string" },
      "request-timeout-ms": { type: "string" },
    },
    io,
    USAGE,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const why =
    positionals.length !== 2
      ? `beldi run: expected <app> <service.fn>, got ${positionals.length} argument(s)`
      : values.isolation && !["inline", "process"].includes(values.isolation)
        ? `--isolation must be inline or process; got ${JSON.stringify(values.isolation)}`
        : values.instance !== undefined && !ENTRY_ID.test(values.instance)
          ? `--instance ${JSON.stringify(values.instance)} is not an instance id: use 1 to 128 of A-Z a-z 0-9 _ . : -`
          : undefined;
  if (why) {
    io.err(`${why}\n\n${USAGE}`);
    return 2;
  }
  const [appPath, fnRef] = positionals as [string, string];
  const timing: { windowMs?: number; timeoutMs?: number; requestTimeoutMs?: number } = {};
  for (const [flag, key] of [
    ["window-ms", "windowMs"],
    ["timeout-ms", "timeoutMs"],
    ["request-timeout-ms", "requestTimeoutMs"],
  ] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    if (!/^\d+$/.test(v)) {
      io.err(`--${flag} must be a whole number of milliseconds, got ${v}`);
      return 2;
    }
    timing[key] = Number(v);
  }
  const crashAt = values["crash-at"];
  if (crashAt !== undefined && !/^[1-9]\d*$/.test(crashAt)) {
    io.err(`--crash-at must be a request number (1, 2, ...), got ${crashAt}`);
    return 2;
  }
  let input: unknown = {};
  try {
    if (values.input !== undefined) input = JSON.parse(values.input);
  } catch {
    io.err(`--input is not JSON: ${values.input}`);
    return 2;
  }
  let stack: LocalStack | undefined;
  try {
    const { app } = loadApp(appPath);
    // The fn and its input are checked against the (cached) build before any store starts.
    const refused = fnRefused((await buildCached(appPath, io)).ir, fnRef, values.input !== undefined);
    if (refused) {
      io.err(refused);
      return 2;
    }
    const cwd = process.cwd();
    // State survives between runs: the store lives on disk under .beldi/state/<app>.
    const dataDir = path.join(cwd, ".beldi", "state", app);
    if (values.fresh) {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(keptRoot(cwd, app), { recursive: true, force: true });
    }
    mkdirSync(dataDir, { recursive: true });
    stack = await LocalStack.start({
      app: appPath,
      dataDir,
      prefix: "",
      isolation: (values.isolation as "inline" | "process" | undefined) ?? "inline",
      schedule: false,
      // earlier versions with instances still pinned to them, kept by earlier runs
      earlierVersions: keptVersions(cwd, app),
      ...timing,
    });
    keep(cwd, stack.app);
    // Finish whatever an earlier run left unfinished (each on its own version) before starting new work.
    await stack.recover();
    const instanceId = values.instance ?? randomUUID();
    const r = await stack.invoke(fnRef, input, { instanceId, ...(crashAt ? { crashAt: Number(crashAt) } : {}) });
    if ("crashed" in r) {
      io.out(JSON.stringify(r, null, 2));
      io.err(
        `crashed after request ${crashAt}: instance ${instanceId} is unfinished; the next \`beldi run\` of this app finishes it ` +
          "first (on this version), and what it did before the crash stays done once",
      );
      return 1;
    }
    await stack.recover(); // work it spawned
    io.out(JSON.stringify(r, null, 2));
    const counts = await stack.requests();
    io.err(
      `requests: ${
        Object.entries(counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ") || "none"
      }`,
    );
    // What it spawned ran after its answer: say how that went (a failure there is no failure of the run).
    const x = inspectorOf(stack);
    try {
      for (const s of await spawnedUnder(x, instanceId)) {
        const how = s.error ? `${s.status}: ${s.error.code} ${s.error.message}` : s.status;
        io.err(`spawned ${s.service}.${s.fn} ${s.id}: ${how}`);
      }
    } finally {
      x.close();
    }
    io.err(`instance ${instanceId} (see \`beldi inspect ${appPath} ${instanceId}\`)`);
    for (const v of await stack.retire()) {
      drop(cwd, app, v);
      io.err(`version ${v} retired: no unfinished instance is pinned to it any more`);
    }
    for (const v of await stack.versions()) {
      if (!v.current) io.err(`version ${v.version} kept: ${v.unfinished.length} unfinished instance(s) pinned to it`);
    }
    return "ok" in r && r.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`error ${e.code}: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError || /has no service|service\.fn/.test((e as Error).message)) {
      io.err((e as Error).message);
      return 2;
    }
    io.err(
      `internal error: ${(e as Error)?.message ?? e}\n  while running \`beldi run ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  } finally {
    await stack?.stop();
  }
}

/** Why `service.fn` cannot be run as asked (no such service or fn, or parameters without --input), or undefined. */
export function fnRefused(ir: IrProgram, fnRef: string, hasInput: boolean): string | undefined {
  const [service, fn, ...more] = fnRef.split(".");
  const fns = ir.services.flatMap((s) => s.fns.map((f) => `${s.name}.${f.name}`));
  if (!service || !fn || more.length) return `name a fn as service.fn, got ${JSON.stringify(fnRef)}; the app has ${fns.join(", ")}`;
  const s = ir.services.find((x) => x.name === service);
  if (!s) return `app ${ir.app} has no service ${service}; it has ${ir.services.map((x) => x.name).join(", ")}`;
  const f = s.fns.find((x) => x.name === fn);
  if (!f) return `service ${service} has no fn ${fn}; it has ${s.fns.map((x) => x.name).join(", ")}`;
  if (!hasInput && f.params.length) {
    return `${fnRef} takes ${f.params.map((p) => p.name).join(", ")}: pass them as --input '{${f.params.map((p) => `"${p.name}": ...`).join(", ")}}'`;
  }
  return undefined;
}
