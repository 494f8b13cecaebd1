// The commands that start often and should start fast, precompiled: `npm run build:cli` (and
// `npm ci`, through `prepare`) bundles this entry (check, diff, graph: the front half) and `run`'s
// (local/commands/run.ts: the stack, the AWS SDK) each into one file (local/build-fast-cli.ts),
// and bin/beldi.mjs runs them with plain Node, without the tsx loader, while no source has
// changed since (bin/fast-bundle.mjs).
import { compileCommand } from "../compiler/cli.js";
import { type Io, processIo } from "../compiler/cli-io.js";
import { graphCommand } from "./commands/graph.js";

/** The precompiled commands and the bundle each is in; keep in step with bin/fast-bundle.mjs (test/fast-cli-run.test.ts). */
export const FAST_COMMANDS = { check: "front", diff: "front", graph: "front", run: "run" } as const;

/** check, diff or graph (the front bundle's entry). */
export async function fastMain(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "graph") return graphCommand(rest, io);
  return compileCommand(argv, io);
}
