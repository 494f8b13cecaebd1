// The `beldi` command: a table of commands, each module loaded only when its command runs (so
// `check` never loads the local stack). A new command is a file in local/commands/ (or a compile-time
// one in compiler/) and one line here; its usage goes in USAGE (compiler/cli.ts).
import { processIo, type Io } from "../compiler/cli-io.js";
import { onTerminal, progress } from "./progress.js";

/** A command: its arguments after the command's name; returns the exit status (LANGUAGE.md §8). */
export type Command = (argv: string[], io: Io) => Promise<number>;

const compileTime =
  (name: string): (() => Promise<Command>) =>
  async () => {
    const { compileCommand } = await import("../compiler/cli.js");
    return (argv, io) => compileCommand([name, ...argv], io);
  };

/** `build` takes seconds (checking, generating, TypeScript's formatter, esbuild): on a terminal it shows that it is at it. */
const build = async (): Promise<Command> => {
  const command = await compileTime("build")();
  return async (argv, io) => {
    if (!onTerminal(io)) return command(argv, io);
    const app = argv[0] && !argv[0].startsWith("-") ? ` ${argv[0]}` : "";
    const shown = progress(io, `building${app}`);
    return command(argv, shown.io).finally(() => shown.done());
  };
};

export const COMMANDS: Record<string, () => Promise<Command>> = {
  check: compileTime("check"),
  build,
  diff: compileTime("diff"),
  graph: async () => (await import("./commands/graph.js")).graphCommand,
  run: async () => (await import("./commands/run.js")).runCommand,
  dev: async () => (await import("./commands/dev.js")).devCommand,
  versions: async () => (await import("./commands/versions.js")).versionsCommand,
  // the language server: the one import of lsp/ (test/import-graph.ts)
  lsp: async () => (await import("../lsp/command.js")).lspCommand,
  inspect: async () => (await import("./commands/inspect.js")).inspectCommand,
  instances: async () => (await import("./commands/instances.js")).instancesCommand,
  sweep: async () => (await import("./commands/sweep.js")).sweepCommand,
  put: async () => (await import("./commands/put.js")).putCommand,
  get: async () => (await import("./commands/get.js")).getCommand,
  scan: async () => (await import("./commands/scan.js")).scanCommand,
  signal: async () => (await import("./commands/signal.js")).signalCommand,
};

/** A command's own lines of the usage text: its `beldi <name>` line and the indented lines under it. */
export function usageOf(name: string, usage: string): string | undefined {
  const lines = usage.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`  beldi ${name} `) || l === `  beldi ${name}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^ {3,}\S/.test(lines[end]!)) end++;
  return `usage:\n${lines.slice(start, end).join("\n")}\n\n<app> is a folder of .beldi files, or one file.`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : COMMANDS[name];
  if (load && (rest.includes("--help") || rest.includes("-h"))) {
    const { USAGE } = await import("../compiler/cli.js");
    io.out(usageOf(name!, USAGE) ?? USAGE);
    return 0;
  }
  if (load) return (await load())(rest, io);
  const { USAGE } = await import("../compiler/cli.js");
  const asked = name === "help" || name === "--help";
  io.err(name && !asked ? `unknown command: ${name}\n\n${USAGE}` : USAGE);
  return asked ? 0 : 2;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("local/cli.ts")) {
  process.exitCode = await main(process.argv.slice(2));
}
