// Renders docs/images/vscode-beldi.png, the README's picture of the VS Code extension. There is no
// VS Code here: the picture is an HTML page (vscode-screenshot-html.ts) — the extension's TextMate
// grammar's real tokens in Dark+'s colours, with real diagnostics — photographed by headless
// chromium. By default the file is examples/hello/hello.beldi with one deliberate error (its null
// check removed) and the diagnostics are `beldi check`'s (compiler check()). With --from-server
// they and the hover are `beldi lsp`'s, asked over stdio as an editor asks; or a language server's
// answers can be given as LSP JSON:
//
//   node --import tsx test/update-vscode-screenshot.ts [--from-server | --diagnostics d.json [--hover h.json]] [--out file.png]
//
// d.json: an array of LSP Diagnostics (or a publishDiagnostics params object with `diagnostics`);
// h.json: an LSP Hover ({ range, contents: { kind: "markdown", value } }); the mouse rests at its range.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.js";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { check } from "../compiler/index.js";
import { beldiGrammar } from "./textmate.js";
import { editorPageHtml, type LspDiagnostic, type LspHover } from "./vscode-screenshot-html.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = "examples/hello/hello.beldi";
/** The deliberate error: without this line, `c.n` reads a field of a value that may be null (E0201). */
const REMOVED_LINE = '    if c == null { fail "counter " + name + " vanished" }\n';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const original = readFileSync(path.join(root, EXAMPLE), "utf8");
if (!original.includes(REMOVED_LINE)) throw new Error(`${EXAMPLE} changed: the line to remove is not in it any more`);
const text = original.replace(REMOVED_LINE, "");

/** `beldi check`'s diagnostics as LSP ones: 0-based positions; the hint on a line of its own. */
function checkDiagnostics(): LspDiagnostic[] {
  const r = check([{ path: EXAMPLE, text }], { appDir: path.join(root, path.dirname(EXAMPLE)) });
  return r.diagnostics.map((d) => ({
    range: {
      start: { line: d.span.line - 1, character: d.span.col - 1 },
      end: { line: d.span.endLine - 1, character: d.span.endCol - 1 },
    },
    severity: d.severity === "error" ? 1 : 2,
    code: d.code,
    source: "beldi",
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  }));
}

/** `beldi lsp --stdio` (bin/beldi.mjs, as the extension starts it): the file's diagnostics, and the hover at the first one. */
async function askServer(): Promise<{ diagnostics: LspDiagnostic[]; hover: LspHover | null }> {
  const child = spawn(process.execPath, [path.join(root, "bin/beldi.mjs"), "lsp", "--stdio"], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(path.join(root, EXAMPLE)).href;
  const published = new Promise<LspDiagnostic[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("beldi lsp published no diagnostics for the file in 60 s")), 60_000);
    connection.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
      if (p.uri !== uri || p.diagnostics.length === 0) return;
      clearTimeout(timer);
      resolve(p.diagnostics);
    });
  });
  connection.listen();
  try {
    const folder = pathToFileURL(path.join(root, path.dirname(EXAMPLE))).href;
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: folder,
      capabilities: {},
      workspaceFolders: [{ uri: folder, name: "hello" }],
    });
    await connection.sendNotification("initialized", {});
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "beldi", version: 1, text } });
    const diagnostics = await published;
    const hover = await connection.sendRequest<LspHover | null>("textDocument/hover", {
      textDocument: { uri },
      position: diagnostics[0]!.range.start,
    });
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    return { diagnostics, hover };
  } finally {
    connection.dispose();
    child.kill();
  }
}

const fromServer = process.argv.includes("--from-server") ? await askServer() : null;
const diagnosticsFile = option("--diagnostics");
const hoverFile = option("--hover");
const loaded = diagnosticsFile ? JSON.parse(readFileSync(diagnosticsFile, "utf8")) : null;
const diagnostics: LspDiagnostic[] =
  fromServer?.diagnostics ?? (loaded ? (Array.isArray(loaded) ? loaded : loaded.diagnostics) : checkDiagnostics());
const hover: LspHover | null = fromServer ? fromServer.hover : hoverFile ? JSON.parse(readFileSync(hoverFile, "utf8")) : null;
const fromLanguageServer = fromServer !== null || diagnosticsFile !== undefined;
if (diagnostics.length === 0) throw new Error("no diagnostics to show: the deliberate error was not reported");
const first = diagnostics[0]!;
const hoverAt = hover?.range?.start ?? first.range.start;

const caption =
  "A rendering, not a VS Code window: " +
  `${EXAMPLE} with its null check removed, coloured by the extension's TextMate grammar (vscode-textmate) in Dark+'s colours; ` +
  `the squiggle and the hover hold ${fromServer ? "`beldi lsp`'s diagnostic" : fromLanguageServer ? "a language server's diagnostic" : "`beldi check`'s diagnostic"}` +
  (hover ? ` and ${fromServer ? "its" : "a language server's"} hover.` : ".");

const html = editorPageHtml(await beldiGrammar(), {
  fileName: path.basename(EXAMPLE),
  text,
  diagnostics,
  hoverAt,
  hover,
  cursorLine: hoverAt.line,
  caption,
});

const out = path.resolve(option("--out") ?? path.join(root, "docs/images/vscode-beldi.png"));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1014, height: 600 }, deviceScaleFactor: 2 });
  await page.setContent(html, { waitUntil: "load" });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, await page.screenshot({ fullPage: true, type: "png" }));
  if (process.argv.includes("--html")) writeFileSync(out.replace(/\.png$/, ".html"), html);
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${diagnostics.length} diagnostic(s)${hover ? " and a hover" : ""}`);
} finally {
  await browser.close();
}
