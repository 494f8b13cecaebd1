// The commands that start often and should start fast (check, diff, graph, run) as one entry, for
// the precompiled CLI: `npm run build:cli` (and `npm ci`, through `prepare`) bundles it
// (local/build-fast-cli.ts) and bin/beldi.mjs runs that bundle with plain Node, without the tsx
// loader, while no source has changed since. Each command's own modules load only when it runs
// (`run`'s stack, the AWS SDK and dynalite never load for `check`).
import { compileCommand } from "../compiler/cli.js";
import { type Io, processIo } from "../compiler/cli-io.js";

/** Keep in step with FAST_COMMANDS in bin/fast-bundle.mjs (test/fast-cli-run.test.ts). */
export const FAST_COMMANDS = ["check", "diff", "graph", "run"] as const;

export async function fastMain(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "graph") return (await import("./commands/graph.js")).graphCommand(rest, io);
  if (name === "run") return (await import("./commands/run.js")).runCommand(rest, io);
  return compileCommand(argv, io);
}
