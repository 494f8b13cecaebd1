// Unit: the VS Code extension's manifest (editors/vscode/package.json) names files that exist and
// settings and commands the client uses, and the client finds the `beldi` command that starts the
// language server as documented: beldi.server.path, else the workspace's node_modules/.bin/beldi,
// else `beldi` on the PATH. (Bundling the client: vscode-bundle.test.ts.)
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findServerCommand, needsShell, type ServerCommandInput, serverArgs } from "../editors/vscode/src/server-command.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const ext = path.join(root, "editors/vscode");
const manifest = JSON.parse(readFileSync(path.join(ext, "package.json"), "utf8"));
const client = readFileSync(path.join(ext, "src/extension.mts"), "utf8");

test("manifest: an extension for VS Code 1.91+, its main the bundle build.mts writes, not an npm workspace", () => {
  assert.equal(manifest.engines.vscode, "^1.91.0");
  assert.equal(manifest.main, "./out/extension.js");
  assert.match(readFileSync(path.join(ext, "build.mts"), "utf8"), /"out", "extension\.js"/);
  // its scripts run files that exist (npm run build; vsce runs vscode:prepublish)
  for (const name of ["build", "vscode:prepublish"]) {
    const file = /^node --import tsx (\S+)/.exec(manifest.scripts[name])?.[1];
    assert.ok(file && existsSync(path.join(ext, file)), `${name}: ${manifest.scripts[name]}`);
  }
  assert.ok(existsSync(path.join(ext, "README.md")), "the page vsce packages");
  assert.equal(manifest.dependencies, undefined, "no dependencies of its own: the bundle carries the client");
  const rootManifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  assert.equal(rootManifest.workspaces, undefined, "the root package does not take the extension in as a workspace");
  // the versions the client is built against are the root's dev dependencies
  assert.equal(rootManifest.devDependencies["@types/vscode"], "1.91.0");
  assert.ok(rootManifest.devDependencies["vscode-languageclient"]);
});

test("manifest: the language, its configuration and its grammar", () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, "beldi");
  assert.equal(language.extensions, [".beldi"]);
  assert.ok(existsSync(path.join(ext, language.configuration)), language.configuration);
  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, "beldi");
  const file = path.join(ext, grammar.path);
  assert.ok(existsSync(file), grammar.path);
  assert.equal(JSON.parse(readFileSync(file, "utf8")).scopeName, grammar.scopeName);
  assert.equal(grammar.scopeName, "source.beldi");
});

test("manifest: the settings it declares are the ones the client reads, and so are the commands", () => {
  const declared = Object.keys(manifest.contributes.configuration.properties).sort();
  // `beldi.trace.server` is read by vscode-languageclient itself (`<client id>.trace.server`)
  const read = [...client.matchAll(/\.get<[^>]+>\("([^"]+)"/g)].map((m) => `beldi.${m[1]}`);
  assert.ok(client.includes('const CLIENT_ID = "beldi"'));
  assert.equal([...read, "beldi.trace.server"].sort(), declared);
  const commands = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
  const registered = [...client.matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]).sort();
  assert.equal(registered, commands);
});

// ---- which `beldi` ----------------------------------------------------------------------------

/** A file system of the given executable files. */
function input(over: Partial<ServerCommandInput> & { files?: string[] }): ServerCommandInput {
  const files = new Set(over.files ?? []);
  return { setting: "", folders: ["/w/app"], envPath: "/usr/local/bin:/usr/bin", platform: "linux", exists: (f) => files.has(f), ...over };
}

test("server command: the workspace's node_modules/.bin/beldi comes first, then beldi on the PATH", () => {
  assert.equal(findServerCommand(input({ files: ["/w/app/node_modules/.bin/beldi", "/usr/bin/beldi"] })), {
    kind: "workspace",
    command: "/w/app/node_modules/.bin/beldi",
    folder: "/w/app",
  });
  // the second folder's install when the first has none
  assert.equal(findServerCommand(input({ folders: ["/w/a", "/w/b"], files: ["/w/b/node_modules/.bin/beldi"] })), {
    kind: "workspace",
    command: "/w/b/node_modules/.bin/beldi",
    folder: "/w/b",
  });
  assert.equal(findServerCommand(input({ files: ["/usr/bin/beldi"] })), { kind: "path", command: "/usr/bin/beldi" });
  // the PATH in its order; empty entries skipped
  assert.equal(findServerCommand(input({ envPath: "::/opt/b:/usr/bin", files: ["/usr/bin/beldi", "/opt/b/beldi"] })), {
    kind: "path",
    command: "/opt/b/beldi",
  });
  const missing = findServerCommand(input({}));
  assert.equal(missing, { kind: "missing", tried: ["/w/app/node_modules/.bin/beldi", "beldi on the PATH"] });
  assert.equal(findServerCommand(input({ folders: [] })), { kind: "missing", tried: ["beldi on the PATH"] });
});

test("server command: beldi.server.path wins; a relative path is the first folder's, a bare name the PATH's", () => {
  const files = ["/w/app/node_modules/.bin/beldi"];
  assert.equal(findServerCommand(input({ setting: "/opt/beldi/bin/beldi.mjs", files })), {
    kind: "setting",
    command: "/opt/beldi/bin/beldi.mjs",
  });
  assert.equal(findServerCommand(input({ setting: "  ./bin/beldi.mjs ", files })), { kind: "setting", command: "/w/app/bin/beldi.mjs" });
  assert.equal(findServerCommand(input({ setting: "beldi-dev", files })), { kind: "setting", command: "beldi-dev" });
  assert.equal(findServerCommand(input({ setting: "   ", files })).kind, "workspace", "a blank setting is no setting");
});

test("server command: on Windows, the .cmd shims npm writes, run through a shell", () => {
  const win = input({
    platform: "win32",
    folders: ["C:\\w\\app"],
    envPath: "C:\\tools;C:\\npm",
    files: ["C:\\npm\\beldi.cmd"],
  });
  assert.equal(findServerCommand(win), { kind: "path", command: "C:\\npm\\beldi.cmd" });
  assert.equal(findServerCommand({ ...win, exists: (f) => f === "C:\\w\\app\\node_modules\\.bin\\beldi.cmd" }), {
    kind: "workspace",
    command: "C:\\w\\app\\node_modules\\.bin\\beldi.cmd",
    folder: "C:\\w\\app",
  });
  assert.equal(findServerCommand({ ...win, setting: "tools\\beldi.cmd" }), { kind: "setting", command: "C:\\w\\app\\tools\\beldi.cmd" });
  assert.ok(needsShell("C:\\npm\\beldi.cmd", "win32"));
  assert.not.ok(needsShell("C:\\npm\\beldi.exe", "win32"));
  assert.not.ok(needsShell("/usr/bin/beldi.cmd", "linux"));
});

test("server arguments: lsp --stdio, then the user's", () => {
  assert.equal(serverArgs([]), ["lsp", "--stdio"]);
  assert.equal(serverArgs(["--log", "debug"]), ["lsp", "--stdio", "--log", "debug"]);
});

test.run();
