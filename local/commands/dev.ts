// `beldi dev <app>`: the app on a local stack that stays up, re-checked on every save and
// re-deployed when clean (state kept), with the web console on 127.0.0.1. Runs until Ctrl-C.
import { commandArgs } from "./args.js";
import { processIo, type Io } from "../../compiler/cli-io.js";
import { UsageError } from "../../compiler/check-api.js";
import { ConfigError } from "../../contract/timing.js";
import { PortInUse } from "../console/server.js";
import { DEFAULT_PORT, DevSession } from "../dev/session.js";

const USE = "usage: beldi dev <app> [--port <n>] [--fresh] [--isolation process]";

/** `until`: when to stop (default: Ctrl-C or SIGTERM). */
export async function devCommand(argv: string[], io: Io = processIo, until?: Promise<unknown>): Promise<number> {
  const parsed = commandArgs(argv, { port: { type: "string" }, fresh: { type: "boolean" }, isolation: { type: "string" } }, io, USE, "\n");
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || (values.isolation && !["inline", "process"].includes(values.isolation))) {
    io.err(USE);
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) {
    io.err(`--port must be a port number (0 picks a free one), got ${values.port}`);
    return 2;
  }
  let session: DevSession | undefined;
  try {
    session = await DevSession.start({
      app: positionals[0]!,
      port,
      fresh: values.fresh,
      isolation: values.isolation as "inline" | "process" | undefined,
      print: (text) => io.err(text),
      listening: (url) => io.out(`console: ${url}`),
    });
    await (until ?? interrupted());
    io.err("stopping: the state stays in .beldi/ for the next beldi dev or beldi run");
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err(e.message);
      return 2;
    }
    if (e instanceof PortInUse) {
      io.err(e.message);
      return 1;
    }
    io.err(
      `internal error: ${(e as Error)?.stack ?? e}\n  while running \`beldi dev ${argv.join(" ")}\`; this is a bug in beldi: please report it`,
    );
    return 1;
  } finally {
    await session?.stop();
  }
}

/** Resolves at Ctrl-C or a termination request (the store on disk is closed cleanly either way). */
function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(s);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
