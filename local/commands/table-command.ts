// What `beldi put`, `get` and `scan` share: their arguments, the table they name (checked
// against the app before the kept state is opened) and how their failures end.
import { commandArgs } from "./args.js";
import { USAGE, type Io } from "../../compiler/cli.js";
import { UsageError } from "../../compiler/index.js";
import { ConfigError } from "../../contract/timing.js";
import { BeldiFailure } from "../../runtime/errors.js";
import { buildCached, type BuiltApp } from "../build-cache.js";
import { startOnKeptState } from "../kept-state.js";
import type { LocalStack } from "../stack.js";
import { resolveTable, TableValueError, UnknownTableError, type TableRef } from "../table-ref.js";

/** The parts a table command acts on once its arguments and table are known. */
export interface TableTarget {
  app: BuiltApp;
  ref: TableRef;
  rest: string[];
  value?: string;
}

/**
 * Parses `<app> <service>.<table> [rest...] [--value json]`, resolves the table, opens the kept
 * state and runs `act` on it; maps every failure to its exit status (2 usage, 1 otherwise).
 */
export async function tableCommand(
  name: string,
  argv: string[],
  io: Io,
  arity: number,
  act: (target: TableTarget, open: () => Promise<LocalStack>) => Promise<number>,
): Promise<number> {
  const parsed = commandArgs(argv, name === "put" ? { value: { type: "string" } } : {}, io, USAGE);
  if (!parsed) return 2;
  const { positionals, values } = parsed;
  if (positionals.length !== 2 + arity) {
    io.err(`beldi ${name}: expected ${["<app>", "<service>.<table>", ...(arity ? ["<key>"] : [])].join(" ")}\n\n${USAGE}`);
    return 2;
  }
  const [appPath, tableRef, ...rest] = positionals as [string, string, ...string[]];
  let stack: LocalStack | undefined;
  try {
    const app = await buildCached(appPath);
    const ref = resolveTable(app.ir, tableRef);
    const value = (values as { value?: string }).value;
    return await act({ app, ref, rest, value }, async () => (stack = await startOnKeptState(appPath)));
  } catch (e) {
    if (e instanceof UnknownTableError || e instanceof UsageError || e instanceof ConfigError) {
      io.err((e as Error).message);
      return 2;
    }
    if (e instanceof TableValueError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    // what the runtime refuses of the input (a key over 1024 bytes): its typed error
    if (e instanceof BeldiFailure) {
      io.err(`error (${e.code}): ${e.message}`);
      return 1;
    }
    io.err(
      `internal error: ${(e as Error)?.message ?? e}\n  while running \`beldi ${name} ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  } finally {
    await stack?.stop();
  }
}
