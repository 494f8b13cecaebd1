// The commands that stop at the IR (check, diff, graph) as one entry, for the precompiled CLI:
// `npm run build:cli` bundles it (local/build-fast-cli.ts) and bin/beldi.mjs runs that bundle
// with plain Node, without the tsx loader, while no source has changed since.
import { compileCommand } from "../compiler/cli.js";
import { type Io, processIo } from "../compiler/cli-io.js";
import { graphCommand } from "./commands/graph.js";

export const FAST_COMMANDS = ["check", "diff", "graph"] as const;

export async function fastMain(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "graph") return graphCommand(rest, io);
  return compileCommand(argv, io);
}
