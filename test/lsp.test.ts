// `beldi lsp` as an editor uses it: spawned with `--stdio`, driven by vscode-jsonrpc's client over
// the child's stdin/stdout. Opens, edits and closes documents of the examples and of a two-file
// app, and checks diagnostics (as you type, for files not open, cleared on close), hover,
// definition, references, completion, document symbols, rename and quick fixes — also with a
// syntax error in the middle of a file, and with non-ASCII text before a name (UTF-16 columns).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type Position,
  PrepareRenameRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RenameRequest,
  ShutdownRequest,
  SignatureHelpRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol";

mkdirSync(".beldi", { recursive: true });
const tmp = mkdtempSync(path.resolve(".beldi", "lsp-"));
const uriOf = (p: string) => pathToFileURL(path.resolve(p)).href;
const HELLO_PATH = "examples/hello/hello.beldi";
const HELLO = readFileSync(HELLO_PATH, "utf8");
const TRAVEL_PATH = "examples/travel/travel.beldi";
const TRAVEL = readFileSync(TRAVEL_PATH, "utf8");

const child = spawn(process.execPath, ["--import", "tsx", "local/cli.ts", "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => {
  stderr += String(d);
});
const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
const client = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));

/** Every diagnostics notification, by URI: the latest, and waiters for the next that satisfies a test. */
const latest = new Map<string, Diagnostic[]>();
let waiters: { uri: string; ok: (ds: Diagnostic[]) => boolean; resolve: (ds: Diagnostic[]) => void }[] = [];
client.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
  latest.set(uri, diagnostics);
  const done = waiters.filter((w) => w.uri === uri && w.ok(diagnostics));
  waiters = waiters.filter((w) => !done.includes(w));
  for (const w of done) w.resolve(diagnostics);
});
client.listen();

/** The next diagnostics of `uri` that satisfy `ok` (the latest ones if they already do and `fresh` is false). */
function diagnostics(uri: string, ok: (ds: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no diagnostics for ${uri} where ${what}; last: ${JSON.stringify(latest.get(uri))}\n${stderr}`)),
      60_000,
    );
    waiters.push({
      uri,
      ok,
      resolve: (ds) => {
        clearTimeout(timer);
        resolve(ds);
      },
    });
  });
}

const versions = new Map<string, number>();
function open(uri: string, text: string) {
  versions.set(uri, 1);
  return client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "beldi", version: 1, text } });
}
/** Replaces `from` (its first occurrence in `text`, the document's current text) with `to`, as an incremental edit. */
function edit(uri: string, text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `no ${from}`);
  const version = (versions.get(uri) ?? 1) + 1;
  versions.set(uri, version);
  void client.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: pos(text, at), end: pos(text, at + from.length) }, text: to }],
  });
  return text.slice(0, at) + to + text.slice(at + from.length);
}
/** The LSP position (0-based line, UTF-16 character) of an offset. */
function pos(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
/** The position of the `k`-th character of `needle` in `text`. */
function at(text: string, needle: string, k = 0): Position {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `no ${needle}`);
  return pos(text, i + k);
}
const doc = (uri: string, position: Position) => ({ textDocument: { uri }, position });
const lines = (locs: Location[]) => locs.map((l) => `${path.basename(l.uri)}:${l.range.start.line + 1}:${l.range.start.character + 1}`);
/** A diagnostic's message (plain text here; the protocol also allows Markdown). */
const message = (d: Diagnostic) => (typeof d.message === "string" ? d.message : d.message.value);
const hoverText = (h: Hover | null) => (h && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "");

test.after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  if (child.exitCode === null) child.kill();
});

test("initialize: the server says what it offers", async () => {
  const r = await client.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf("."),
    capabilities: {},
    initializationOptions: { debounceMs: 10 },
  });
  const c = r.capabilities;
  assert.ok(c.hoverProvider && c.definitionProvider && c.referencesProvider && c.documentSymbolProvider);
  assert.equal(c.completionProvider?.triggerCharacters, ["."]);
  assert.equal(c.renameProvider, { prepareProvider: true });
  await client.sendNotification(InitializedNotification.type, {});
});

const hello = uriOf(HELLO_PATH);
let helloText = HELLO;

test("open: a clean example has no diagnostics; hover, definition, references, signature help, symbols", async () => {
  const clean = diagnostics(hello, (ds) => ds.length === 0, "none");
  await open(hello, HELLO);
  await clean;
  const bump = await client.sendRequest(HoverRequest.type, doc(hello, at(HELLO, "counter.bump", 9)));
  assert.match(hoverText(bump), "fn bump(name: string) -> number");
  assert.match(hoverText(bump), "not read-only");
  assert.equal(bump!.range, { start: at(HELLO, "bump(name)"), end: at(HELLO, "bump(name)", 4) });
  const c = await client.sendRequest(HoverRequest.type, doc(hello, at(HELLO, "return c.n", 7)));
  assert.match(hoverText(c), "let c: Counter");
  const def = (await client.sendRequest(DefinitionRequest.type, doc(hello, at(HELLO, "read counts", 6)))) as Location[];
  assert.equal(lines(def), ["hello.beldi:8:9"]);
  assert.equal(def[0]!.uri, hello);
  const refs = await client.sendRequest(ReferencesRequest.type, {
    ...doc(hello, at(HELLO, "visits = call")),
    context: { includeDeclaration: true },
  });
  assert.equal(lines(refs ?? []), ["hello.beldi:32:9", "hello.beldi:33:59", "hello.beldi:34:37"]);
  const sig = await client.sendRequest(SignatureHelpRequest.type, doc(hello, at(HELLO, "bump(name)", 5)));
  assert.equal(sig?.signatures[0]?.label, "fn bump(name: string) -> number");
  assert.equal([sig?.activeParameter, sig?.signatures[0]?.parameters?.[0]?.label], [0, "name: string"]);
  const symbols = (await client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: hello } })) as DocumentSymbol[];
  assert.equal(
    symbols.map((s) => s.name),
    ["Counter", "Greeting", "counter", "greeter"],
  );
  assert.equal(
    symbols[2]!.children!.map((s) => `${s.name}${s.detail}`),
    ["countsCounter", "bump(name: string) -> number", "get(name: string) -> number"],
  );
});

test("edit: diagnostics as you type, completion of `service.fn` and fields, back to clean", async () => {
  const broken = diagnostics(hello, (ds) => ds.length > 0, "a syntax error");
  helloText = edit(hello, helloText, "call counter.bump(name)", "call ");
  const ds = await broken;
  assert.ok(ds.every((d) => d.source === "beldi" && typeof d.code === "string"));
  const items = (await client.sendRequest(CompletionRequest.type, doc(hello, at(helloText, "call ", 5)))) as CompletionItem[];
  assert.equal(
    items.map((i) => i.label),
    ["counter.bump", "counter.get", "greeter.greet"],
  );
  assert.equal(items[0]!.detail, "fn bump(name: string) -> number");
  const clean = diagnostics(hello, (x) => x.length === 0, "clean again");
  helloText = edit(hello, helloText, "call ", "call counter.bump(name)");
  await clean;
  helloText = edit(hello, helloText, "return c.n", "return c.");
  const fields = (await client.sendRequest(CompletionRequest.type, doc(hello, at(helloText, "return c.", 9)))) as CompletionItem[];
  assert.equal(
    fields.map((i) => `${i.label} ${i.detail}`),
    ["n n: number"],
  );
  const tables = (await client.sendRequest(CompletionRequest.type, doc(hello, at(helloText, "read counts", 5)))) as CompletionItem[];
  assert.equal(
    tables.map((i) => i.label),
    ["counts"],
  );
  helloText = edit(hello, helloText, "return c.", "return c.n");
});

test("quick fix: a misspelled table gets `did you mean` as a code action", async () => {
  const typo = diagnostics(hello, (ds) => ds.some((d) => /unknown table `coutns`/.test(message(d))), "the typo is reported");
  helloText = edit(hello, helloText, "read counts[name]", "read coutns[name]");
  const d = (await typo).find((x) => /coutns/.test(message(x)))!;
  assert.match(message(d), "hint: did you mean `counts`?");
  assert.equal(d.range, { start: at(helloText, "coutns"), end: at(helloText, "coutns", 6) });
  const actions = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: hello },
    range: d.range,
    context: { diagnostics: [d] },
  });
  assert.equal(actions?.length, 1);
  const action = actions![0]! as { title: string; edit: WorkspaceEdit };
  assert.equal(action.title, "Change `coutns` to `counts`");
  assert.equal(action.edit.changes![hello], [{ range: d.range, newText: "counts" }]);
  const clean = diagnostics(hello, (ds) => ds.length === 0, "fixed");
  helloText = edit(hello, helloText, "read coutns[name]", "read counts[name]");
  await clean;
});

test("rename: a local, with its record shorthand; a refused rename is an error", async () => {
  const prepared = await client.sendRequest(PrepareRenameRequest.type, doc(hello, at(helloText, "visits = call", 2)));
  assert.equal(prepared, {
    range: { start: at(helloText, "visits = call"), end: at(helloText, "visits = call", 6) },
    placeholder: "visits",
  });
  const r = await client.sendRequest(RenameRequest.type, { ...doc(hello, at(helloText, "visits = call")), newName: "count" });
  const edits = r!.changes![hello]!;
  assert.equal(
    edits.map((e) => e.newText),
    ["count", "count", "visits: count"],
  );
  let failed = "";
  await client.sendRequest(RenameRequest.type, { ...doc(hello, at(helloText, "visits = call")), newName: "text" }).catch((e: Error) => {
    failed = e.message;
  });
  assert.match(failed, "already declared");
});

test("a syntax error in the middle of a file: reported, and hover, definition and completion work around it", async () => {
  const travel = uriOf(TRAVEL_PATH);
  const text = TRAVEL.replace("var out: list<Offer> = []", "var out: list<Offer> = = []");
  const reported = diagnostics(travel, (ds) => ds.length > 0, "the syntax error");
  await open(travel, text);
  const ds = await reported;
  assert.equal(ds[0]!.range.start.line, 45);
  assert.match(String(ds[0]!.code), /^E00/);
  const hover = await client.sendRequest(HoverRequest.type, doc(travel, at(text, "call hotel.reserve", 11)));
  assert.match(hoverText(hover), "fn reserve(id: string) -> bool");
  const readOnly = await client.sendRequest(HoverRequest.type, doc(travel, at(text, "call user.check", 10)));
  assert.match(hoverText(readOnly), "**read-only**");
  const def = (await client.sendRequest(DefinitionRequest.type, doc(travel, at(text, "list<Card>", 5)))) as Location[];
  assert.equal(lines(def), ["travel.beldi:19:6"]);
  const fields = (await client.sendRequest(CompletionRequest.type, doc(travel, at(text, "c.hotels", 2)))) as CompletionItem[];
  assert.equal(
    fields.map((i) => i.label),
    ["hotels"],
  );
  await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: travel } });
  await diagnostics(travel, (x) => x.length === 0, "cleared on close");
});

test("an app of two files: unsaved edits of one are checked against the other, which is not open; UTF-16 columns", async () => {
  const dir = path.join(tmp, "shop");
  mkdirSync(dir);
  const A = "type Item = { name: string, qty: number }\n";
  const B =
    'service shop {\n  table items: Item\n  fn label(id: string) -> string {\n    let tag = "héllo 😀 " + id\n    return tag\n  }\n}\n';
  writeFileSync(path.join(dir, "a.beldi"), A);
  writeFileSync(path.join(dir, "b.beldi"), B);
  const a = uriOf(path.join(dir, "a.beldi"));
  const b = uriOf(path.join(dir, "b.beldi"));
  const clean = diagnostics(b, (ds) => ds.length === 0, "b is clean");
  await open(a, A);
  await clean;
  const broken = diagnostics(b, (ds) => ds.some((d) => /unknown type `Item`/.test(message(d))), "b misses Item");
  edit(a, A, "type Item", "type Items");
  const d = (await broken).find((x) => /Item/.test(message(x)))!;
  assert.match(message(d), "did you mean `Items`?");
  assert.equal(d.range.start, { line: 1, character: 15 });
  // b, opened: a position after non-ASCII text counts UTF-16 code units
  await open(b, B);
  const id = await client.sendRequest(HoverRequest.type, doc(b, at(B, '" + id', 4)));
  assert.match(hoverText(id), "(parameter) id: string");
  assert.equal(id!.range!.start, { line: 3, character: B.split("\n")[3]!.indexOf('" + id') + 4 });
  await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: a } });
  // a's unsaved edit is gone: b is checked against a as saved
  await diagnostics(b, (ds) => ds.length === 0, "b clean against a on disk");
  // a file made on disk (not open) is checked when the editor says it changed
  const c = uriOf(path.join(dir, "c.beldi"));
  writeFileSync(path.join(dir, "c.beldi"), "service more {\n  table extra: Itme\n}\n");
  const made = diagnostics(c, (ds) => ds.some((d) => /unknown type `Itme`/.test(message(d))), "c is checked");
  await client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c, type: FileChangeType.Created }] });
  assert.match(message((await made)[0]!), "did you mean `Item`?");
});

test("shutdown and exit: the server ends with status 0", async () => {
  await client.sendRequest(ShutdownRequest.type);
  await client.sendNotification(ExitNotification.type);
  assert.is(await exited, 0, stderr);
});

test.run();
