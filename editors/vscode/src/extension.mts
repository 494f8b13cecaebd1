// The VS Code extension's client: starts `beldi lsp --stdio` (see server-command.ts for which
// `beldi`) for .beldi files and restarts it when its settings change. Highlighting is the
// TextMate grammar's (syntaxes/), brackets and comments language-configuration.json's.
import { accessSync, constants, statSync } from "node:fs";
import { commands, type ExtensionContext, type FileSystemWatcher, type LogOutputChannel, window, workspace } from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { findServerCommand, needsShell, type ServerCommand, serverArgs } from "./server-command.mjs";

const CLIENT_ID = "beldi";
const CLIENT_NAME = "Beldi Language Server";

let client: LanguageClient | undefined;
let output: LogOutputChannel | undefined;
// externs are TypeScript modules the checker reads from disk: their changes matter too
let watcher: FileSystemWatcher | undefined;
// starts and stops one at a time (a settings change and the command may come together)
let queue: Promise<void> = Promise.resolve();

/** An executable file (on Windows: a file; executability is the extension's business there). */
function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== "win32") accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function resolveCommand(): ServerCommand {
  const config = workspace.getConfiguration("beldi");
  return findServerCommand({
    setting: config.get<string>("server.path", ""),
    folders: (workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath),
    envPath: process.env["PATH"] ?? "",
    platform: process.platform,
    exists: isExecutable,
  });
}

async function start(): Promise<void> {
  output ??= window.createOutputChannel(CLIENT_NAME, { log: true });
  const found = resolveCommand();
  if (found.kind === "missing") {
    const message = `Beldi: no \`beldi\` command found to start the language server (tried ${found.tried.join(", ")}). Install beldi in the workspace or set beldi.server.path.`;
    output.error(message);
    void window.showErrorMessage(message, "Open Settings").then((choice) => {
      if (choice === "Open Settings") void commands.executeCommand("workbench.action.openSettings", "beldi.server.path");
    });
    return;
  }
  const extra = workspace.getConfiguration("beldi").get<string[]>("server.args", []);
  const args = serverArgs(extra);
  const folder = found.kind === "workspace" ? found.folder : workspace.workspaceFolders?.[0]?.uri.fsPath;
  output.info(`starting ${found.command} ${args.join(" ")} (${found.kind === "setting" ? "beldi.server.path" : found.kind})`);
  const shell = needsShell(found.command, process.platform);
  const run = {
    // through a shell the path is one word only when quoted (it may have spaces)
    command: shell ? `"${found.command}"` : found.command,
    args,
    options: { cwd: folder, shell },
  };
  // transport left unset: stdio, with `--stdio` already in args (a set transport would append it last)
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "beldi" },
      { scheme: "untitled", language: "beldi" },
    ],
    synchronize: watcher ? { fileEvents: watcher } : {},
    outputChannel: output,
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    output.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage(`Beldi: the language server (${found.command} ${args.join(" ")}) did not start. See the output channel.`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.dispose();
}

/** A failure is logged, and the queue goes on (a rejected one would run nothing more). */
function logged(e: unknown): void {
  output?.error(`Beldi: ${e instanceof Error ? e.message : String(e)}`);
}

function restart(): Promise<void> {
  queue = queue.then(stop).then(start).catch(logged);
  return queue;
}

export async function activate(context: ExtensionContext): Promise<void> {
  watcher = workspace.createFileSystemWatcher("**/*.{beldi,ts}");
  context.subscriptions.push(
    watcher,
    commands.registerCommand("beldi.restartServer", restart),
    commands.registerCommand("beldi.showServerOutput", () => output?.show(true)),
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("beldi.server")) void restart();
    }),
    { dispose: () => void stop() },
  );
  queue = queue.then(start).catch(logged);
  await queue;
}

export async function deactivate(): Promise<void> {
  await stop();
}
