// A command's options, parsed the one way every command does: positionals allowed; an unknown
// or malformed option is bad usage, said with the command's usage text.
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Io } from "../../compiler/cli-io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The parsed arguments, or null after telling `io` why they are bad usage (the command exits 2). */
export function commandArgs<const T extends Options>(argv: string[], options: T, io: Io, usage: string, separator = "\n\n") {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    io.err(`${(e as Error).message}${separator}${usage}`);
    return null;
  }
}
