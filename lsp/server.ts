// The protocol server: documents, debounced diagnostics for every file of an app, and the
// language services (compiler/services/) answering hover, definition, references, completion,
// document symbols, rename and quick fixes. Positions are converted with the open document's
// text (LSP counts UTF-16 code units, as our offsets do).
import {
  CodeActionKind,
  CompletionItemKind,
  type Connection,
  DidChangeWatchedFilesNotification,
  type InitializeResult,
  type Location,
  ResponseError,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  type DocumentSymbol,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import path from "node:path";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as services from "../compiler/services/index.js";
import type { Span } from "../grammar/span.js";
import { type DiagnosticData, toLspDiagnostic, toRange } from "./convert.js";
import { type App, filePathOf, Workspace } from "./workspace.js";

export interface ServerOptions {
  /** how long after the last keystroke an app is checked again (initializationOptions.debounceMs overrides it) */
  debounceMs?: number;
}

const COMPLETION_KIND: Record<services.CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  local: CompletionItemKind.Variable,
  fn: CompletionItemKind.Function,
  extern: CompletionItemKind.Function,
  builtin: CompletionItemKind.Function,
  service: CompletionItemKind.Module,
  table: CompletionItemKind.Struct,
  type: CompletionItemKind.TypeParameter,
  field: CompletionItemKind.Field,
};

const SYMBOL_KIND: Record<services.OutlineSymbol["kind"], SymbolKind> = {
  type: SymbolKind.TypeParameter,
  extern: SymbolKind.Function,
  service: SymbolKind.Module,
  table: SymbolKind.Struct,
  fn: SymbolKind.Function,
};

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(documents);
  let debounceMs = options.debounceMs ?? 100;
  /** folder → its pending check */
  const timers = new Map<string, NodeJS.Timeout>();
  /** folder → the URIs it last published diagnostics for */
  const published = new Map<string, Set<string>>();

  const uriOf = (app: App) => (file: string) => app.uris.get(file) ?? file;
  const location = (app: App, s: Span): Location => ({ uri: uriOf(app)(s.file), range: toRange(s) });

  function publish(folder: string): void {
    const app = workspace.app(folder);
    const { project } = app;
    const byUri = new Map<string, ReturnType<typeof toLspDiagnostic>[]>();
    for (const uri of app.uris.values()) byUri.set(uri, []);
    for (const d of project.analysis.diagnostics) {
      const uri = uriOf(app)(d.span.file);
      byUri.get(uri)?.push(toLspDiagnostic(d, services.quickFixes(project, d), uriOf(app)));
    }
    const before = published.get(folder) ?? new Set();
    for (const uri of before) if (!byUri.has(uri)) connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of byUri) {
      const version = documents.get(uri)?.version;
      connection.sendDiagnostics({ uri, version, diagnostics });
    }
    published.set(folder, new Set(byUri.keys()));
  }

  function schedule(uri: string): void {
    const folder = workspace.folderOf(uri);
    if (folder) scheduleFolder(folder);
  }

  function scheduleFolder(folder: string): void {
    clearTimeout(timers.get(folder));
    timers.set(
      folder,
      setTimeout(() => {
        timers.delete(folder);
        try {
          publish(folder);
        } catch (e) {
          connection.console.error(`beldi: checking ${folder} failed: ${(e as Error)?.stack ?? e}`);
        }
      }, debounceMs),
    );
  }

  /** The app, file and offset of a request's position, from the document as it is now. */
  function at(uri: string, position: { line: number; character: number }) {
    const doc = documents.get(uri);
    const where = workspace.appOf(uri);
    if (!doc || !where) return null;
    return { ...where, offset: doc.offsetAt(position) };
  }

  let watchFiles = false;
  connection.onInitialize((params): InitializeResult => {
    const asked = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
    if (typeof asked === "number" && asked >= 0) debounceMs = asked;
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ["."] },
        documentSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        signatureHelpProvider: { triggerCharacters: ["(", ","] },
      },
      serverInfo: { name: "beldi", version: "0.1.0" },
    };
  });

  // a .beldi file changed on disk (a checkout, another tool) is checked again without a keystroke
  connection.onInitialized(() => {
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.beldi" }] });
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidSave((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    // the file on disk counts again; an app with no open document is no longer checked
    const folder = workspace.folderOf(e.document.uri);
    if (!folder) return;
    const stillOpen = documents.all().some((d) => d.uri !== e.document.uri && workspace.folderOf(d.uri) === folder);
    if (stillOpen) return schedule(e.document.uri);
    clearTimeout(timers.get(folder));
    timers.delete(folder);
    for (const uri of published.get(folder) ?? []) connection.sendDiagnostics({ uri, diagnostics: [] });
    published.delete(folder);
    workspace.forget(folder);
  });
  connection.onDidChangeWatchedFiles((e) => {
    // every app being checked that has the file
    for (const c of e.changes) {
      const p = filePathOf(c.uri);
      if (!p?.endsWith(".beldi")) continue;
      for (const folder of published.keys()) if (p.startsWith(folder + path.sep)) scheduleFolder(folder);
    }
  });

  connection.onHover(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    const h = a && services.hover(a.app.project, a.file, a.offset);
    return h ? { contents: { kind: "markdown", value: h.markdown }, range: toRange(h.span) } : null;
  });

  connection.onDefinition(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    return a ? services.definition(a.app.project, a.file, a.offset).map((s) => location(a.app, s)) : [];
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const a = at(textDocument.uri, position);
    return a ? services.references(a.app.project, a.file, a.offset, context.includeDeclaration).map((s) => location(a.app, s)) : [];
  });

  connection.onCompletion(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    if (!a) return [];
    return services.completions(a.app.project, a.file, a.offset).map((c) => ({
      label: c.label,
      kind: COMPLETION_KIND[c.kind],
      detail: c.detail,
      documentation: c.documentation ? { kind: "markdown" as const, value: c.documentation } : undefined,
      sortText: c.sortText,
      textEdit: { range: toRange(c.replace), newText: c.label },
    }));
  });

  connection.onSignatureHelp(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    const s = a && services.signatureHelp(a.app.project, a.file, a.offset);
    if (!s) return null;
    return {
      signatures: [
        {
          label: s.label,
          parameters: s.parameters.map((label) => ({ label })),
          documentation: s.documentation ? { kind: "markdown" as const, value: s.documentation } : undefined,
        },
      ],
      activeSignature: 0,
      activeParameter: s.active,
    };
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const where = workspace.appOf(textDocument.uri);
    if (!where) return [];
    const convert = (s: services.OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      kind: SYMBOL_KIND[s.kind],
      detail: s.detail,
      range: toRange(s.span),
      selectionRange: toRange(s.nameSpan),
      children: s.children.map(convert),
    });
    return services.outline(where.app.project, where.file).map(convert);
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const a = at(textDocument.uri, position);
    if (!a) return null;
    const r = services.prepareRename(a.app.project, a.file, a.offset);
    if (r.kind === "refused") throw new ResponseError(0, r.reason);
    return { range: toRange(r.span), placeholder: r.placeholder };
  });

  connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit => {
    const a = at(textDocument.uri, position);
    if (!a) throw new ResponseError(0, "not a .beldi file of an app");
    const r = services.rename(a.app.project, a.file, a.offset, newName);
    if (r.kind === "refused") throw new ResponseError(0, r.reason);
    const changes: Record<string, TextEdit[]> = {};
    for (const e of r.edits) (changes[uriOf(a.app)(e.span.file)] ??= []).push({ range: toRange(e.span), newText: e.newText });
    return { changes };
  });

  connection.onCodeAction(({ textDocument, context }) => {
    const actions = [];
    for (const d of context.diagnostics) {
      const data = d.data as DiagnosticData | undefined;
      if (d.source !== "beldi" || !Array.isArray(data?.fixes)) continue;
      for (const f of data.fixes) {
        const changes: Record<string, TextEdit[]> = {};
        for (const e of f.edits) (changes[e.uri] ??= []).push(e.edit);
        actions.push({
          title: f.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: data.fixes.length === 1,
          edit: { changes },
        });
      }
    }
    void textDocument;
    return actions;
  });

  documents.listen(connection);
  connection.listen();
}
