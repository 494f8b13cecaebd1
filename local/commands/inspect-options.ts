// What `beldi inspect` and `beldi instances` share: where to read (the local state, or an
// endpoint with the app's folder or manifest), the output format, and how failures end.
import { commandArgs } from "./args.js";
import { USAGE, type Io } from "../../compiler/cli.js";
import { UsageError } from "../../compiler/index.js";
import { NoLocalState, openInspector, type OpenInspector, type OpenOptions } from "../inspect/open.js";

export interface InspectArgs {
  positionals: string[];
  json: boolean;
  /** --status, split on commas */
  status?: string[];
  open: OpenOptions;
}

/** Parses the shared options; a usage message and null when they are wrong. */
export function parseInspectArgs(name: string, argv: string[], io: Io, arity: number): InspectArgs | null {
  const parsed = commandArgs(
    argv,
    {
      format: { type: "string" },
      status: { type: "string" },
      endpoint: { type: "string" },
      region: { type: "string" },
      manifest: { type: "string" },
      prefix: { type: "string" },
      locks: { type: "boolean" },
      "window-ms": { type: "string" },
    },
    io,
    USAGE,
  );
  if (!parsed) return null;
  const { values, positionals } = parsed;
  const problem =
    values.format !== undefined && values.format !== "json" && values.format !== "text"
      ? `--format is text or json, not ${values.format}`
      : values["window-ms"] !== undefined && !/^\d+$/.test(values["window-ms"])
        ? `--window-ms must be a whole number of milliseconds, got ${values["window-ms"]}`
        : (values.prefix !== undefined || values["window-ms"] !== undefined || values.locks) && !values.endpoint && !values.region
          ? "--prefix, --window-ms and --locks are for a deployed app's store: give --endpoint or --region too"
          : positionals.length !== arity && !(values.manifest && positionals.length === arity - 1)
            ? `beldi ${name}: expected ${arity === 2 ? "<app> <instanceId>" : "<app>"} (the app may be left out with --manifest)`
            : null;
  if (problem) {
    io.err(`${problem}\n\n${USAGE}`);
    return null;
  }
  const withApp = positionals.length === arity;
  return {
    positionals: withApp ? positionals.slice(1) : positionals,
    json: values.format === "json",
    ...(values.status !== undefined ? { status: values.status.split(",").map((s) => s.trim()) } : {}),
    open: {
      ...(withApp ? { app: positionals[0] } : {}),
      manifest: values.manifest,
      endpoint: values.endpoint,
      region: values.region,
      prefix: values.prefix,
      ...(values["window-ms"] !== undefined ? { windowMs: Number(values["window-ms"]) } : {}),
      ...(values.locks ? { scanLocks: true } : {}),
    },
  };
}

/** Opens the store, runs `act`, closes; maps failures to exit statuses (2 usage, 1 otherwise). */
export async function withInspector(
  name: string,
  argv: string[],
  io: Io,
  open: OpenOptions,
  act: (x: OpenInspector) => Promise<number>,
): Promise<number> {
  let x: OpenInspector | undefined;
  try {
    x = await openInspector(open);
    return await act(x);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    if (e instanceof NoLocalState) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    const aws = (e as { name?: string; $metadata?: unknown }).$metadata !== undefined;
    if (aws) {
      io.err(`error: the store refused a read (${(e as Error).name}: ${(e as Error).message})${x ? ` at ${x.where}` : ""}`);
      return 1;
    }
    io.err(
      `internal error: ${(e as Error)?.message ?? e}\n  while running \`beldi ${name} ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  } finally {
    await x?.close();
  }
}
