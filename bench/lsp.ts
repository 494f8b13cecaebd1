// How fast `beldi lsp` re-checks after a keystroke: 50 one-character edits of a ~200-line file
// (examples/social/social.beldi, 192 lines, with its extern module), each alternately breaking
// and restoring a name in the middle of the file. Reports median and p95 of
//   - in process: analyzeProject (parse + check + extern check) plus the quick fixes, as a publish does;
//   - over the protocol: a didChange sent to a spawned `beldi lsp --stdio` (debounce 0) until its
//     publishDiagnostics for that version arrives.
//   node --import tsx bench/lsp.ts [--edits 50]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
} from "vscode-languageserver-protocol";
import { analyzeProject, quickFixes } from "../compiler/services/index.js";

const { values } = parseArgs({ options: { edits: { type: "string", default: "50" } } });
const EDITS = Number(values.edits);
const FILE = "examples/social/social.beldi";
const TEXT = readFileSync(FILE, "utf8");
const lines = TEXT.split("\n").length;
// the edit point: a name in the middle of the file
const middle = TEXT.indexOf("postStorage.store");
if (middle < 0) throw new Error("the edit point moved");
const editAt = middle + "postStorage.".length;

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms (n=${s.length})`;
};
/** The i-th edit's text: odd edits insert an `x` into the name (an error), even ones restore it. */
const textAfter = (i: number) => (i % 2 === 1 ? `${TEXT.slice(0, editAt)}x${TEXT.slice(editAt)}` : TEXT);

// ---- in process
const appDir = path.dirname(path.resolve(FILE));
for (let i = 0; i < 10; i++) analyzeProject([{ path: "social.beldi", text: textAfter(i) }], { app: "social", appDir }); // warm-up
const inProcess: number[] = [];
// CPU time too: on a machine shared with other work, wall time also counts waiting for a core
const inProcessCpu: number[] = [];
for (let i = 1; i <= EDITS; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const p = analyzeProject([{ path: "social.beldi", text: textAfter(i) }], { app: "social", appDir });
  for (const d of p.analysis.diagnostics) quickFixes(p, d);
  const c = process.cpuUsage(c0);
  inProcess.push(performance.now() - t0);
  inProcessCpu.push((c.user + c.system) / 1000);
}

// ---- over the protocol
const child = spawn(process.execPath, ["--import", "tsx", "local/cli.ts", "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const client = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const uri = pathToFileURL(path.resolve(FILE)).href;
let waiting: { version: number; resolve: () => void } | null = null;
client.onNotification(PublishDiagnosticsNotification.type, (p) => {
  if (p.uri === uri && waiting && p.version === waiting.version) waiting.resolve();
});
client.listen();
await client.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  rootUri: null,
  capabilities: {},
  initializationOptions: { debounceMs: 0 },
});
await client.sendNotification(InitializedNotification.type, {});
const published = (version: number) => new Promise<void>((resolve) => (waiting = { version, resolve }));
let ready = published(1);
await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "beldi", version: 1, text: TEXT } });
await ready;
const position = (() => {
  const before = TEXT.slice(0, editAt);
  return { line: before.split("\n").length - 1, character: editAt - (before.lastIndexOf("\n") + 1) };
})();
const overProtocol: number[] = [];
for (let i = 1; i <= EDITS + 10; i++) {
  const version = i + 1;
  const insert = i % 2 === 1;
  const range = { start: position, end: insert ? position : { ...position, character: position.character + 1 } };
  ready = published(version);
  const t0 = performance.now();
  await client.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ range, text: insert ? "x" : "" }],
  });
  await ready;
  if (i > 10) overProtocol.push(performance.now() - t0); // the first 10 warm the server up
}
await client.sendRequest(ShutdownRequest.type);
await client.sendNotification(ExitNotification.type);

console.log(
  `re-check after a one-character edit of ${FILE} (${lines} lines), ${EDITS} edits; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores:`,
);
console.log(`  in process (analyze + quick fixes): ${stats(inProcess)}`);
console.log(`  in process, CPU time: ${stats(inProcessCpu)}`);
console.log(`  over LSP (didChange → publishDiagnostics, debounce 0): ${stats(overProtocol)}`);
