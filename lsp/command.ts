// `beldi lsp`: the language server over stdio (`--stdio` is accepted and ignored: editors pass it).
import { createConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import type { Io } from "../compiler/cli-io.js";
import { startServer } from "./server.js";

const USAGE = "usage: beldi lsp [--stdio]   the language server, speaking LSP on stdin/stdout";

export async function lspCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes("--help")) {
    io.err(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--stdio");
  if (unknown.length > 0) {
    io.err(`beldi lsp: unknown argument ${unknown[0]}\n${USAGE}`);
    return 2;
  }
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  // stdout carries the protocol: anything printed by accident would corrupt it
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(" "));
  const closed = new Promise<void>((resolve) => connection.onExit(() => resolve()));
  startServer(connection);
  process.stdin.on("end", () => process.exit(0));
  await closed;
  return 0;
}
