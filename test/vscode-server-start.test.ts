// The VS Code extension starts the language server as it would in VS Code, minus VS Code: the
// command findServerCommand picks (in this repository, beldi.server.path = ./bin/beldi.mjs) with
// serverArgs(), spawned as vscode-languageclient spawns an Executable (cwd the workspace folder,
// no shell, stdio); over that pipe, as the client speaks it, the server initializes with what the
// extension relies on, publishes the diagnostics of a document the editor opens, answers a hover,
// and exits on shutdown/exit.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { findServerCommand, serverArgs } from "../editors/vscode/src/server-command.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const folder = path.join(root, "examples/hello");

interface Published {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number } }; code?: string; source?: string; severity?: number }[];
}

let child: ChildProcess;
let connection: MessageConnection;
const published: Published[] = [];
let onPublish: (() => void) | null = null;

test.before(() => {
  const found = findServerCommand({
    setting: path.relative(folder, path.join(root, "bin/beldi.mjs")),
    folders: [folder],
    envPath: "",
    platform: process.platform,
    exists: existsSync,
  });
  assert.equal(found.kind, "setting");
  if (found.kind !== "setting") return;
  assert.equal(found.command, path.join(root, "bin/beldi.mjs"));
  child = spawn(found.command, serverArgs([]), { cwd: folder, stdio: ["pipe", "pipe", "pipe"] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification("textDocument/publishDiagnostics", (p: Published) => {
    published.push(p);
    onPublish?.();
  });
  connection.listen();
});

test.after(() => {
  connection?.dispose();
  if (child && child.exitCode === null) child.kill();
});

test("initialize: the server answers over the extension's stdio with the features the client uses", async () => {
  const uri = pathToFileURL(folder).href;
  const r = await connection.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: "hello" }],
    capabilities: { textDocument: { hover: { contentFormat: ["markdown", "plaintext"] }, publishDiagnostics: {} } },
  });
  assert.ok(r.capabilities["textDocumentSync"] !== undefined, "document sync");
  assert.ok(r.capabilities["hoverProvider"], "hover");
  await connection.sendNotification("initialized", {});
});

test("an opened document with an error gets its diagnostic, and a hover answers", async () => {
  const file = path.join(folder, "hello.beldi");
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, "utf8").replace('    if c == null { fail "counter " + name + " vanished" }\n', "");
  const got = new Promise<Published>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no diagnostics within 60 s")), 60_000);
    onPublish = () => {
      const p = published.find((x) => x.uri === uri && x.diagnostics.length > 0);
      if (!p) return;
      clearTimeout(timer);
      resolve(p);
    };
  });
  await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "beldi", version: 1, text } });
  const p = await got;
  assert.equal(
    p.diagnostics.map((d) => [d.code, d.source, d.severity, d.range.start.line]),
    [["E0201", "beldi", 1, 13]],
  );
  const hover = await connection.sendRequest<{ contents: { kind: string; value: string } } | null>("textDocument/hover", {
    textDocument: { uri },
    position: p.diagnostics[0]!.range.start,
  });
  assert.ok(hover && hover.contents.kind === "markdown" && hover.contents.value.length > 0, JSON.stringify(hover));
});

test("shutdown and exit: the server process ends with status 0", async () => {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  assert.equal(await exited, 0);
});

test.run();
