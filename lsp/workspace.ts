// The apps the editor has open: an app is the folder of an opened `.beldi` document with every
// `.beldi` file below it (as `beldi check <folder>` reads it); an open document's unsaved text
// overrides the file on disk. Each app's analysis is kept until one of its texts changes.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { appName } from "../compiler/index.js";
import { analyzeProject, type Project } from "../compiler/services/index.js";
import type { SourceText } from "../grammar/span.js";

export interface App {
  folder: string;
  project: Project;
  /** file (relative to the folder, as spans name it) → the URI to publish it under */
  uris: Map<string, string>;
}

/** The `.beldi` files under a folder (sorted, hidden folders and node_modules skipped), absolute. */
function beldiFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".beldi")) found.push(p);
    }
  };
  walk(folder);
  return found;
}

export const filePathOf = (uri: string): string | null => {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : null;
  } catch {
    return null;
  }
};

export class Workspace {
  private readonly cache = new Map<string, { stamp: string; app: App }>();

  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  /** The app folder of a document (its folder), or null for a document that is not a file. */
  folderOf(uri: string): string | null {
    const p = filePathOf(uri);
    return p ? path.dirname(p) : null;
  }

  /** The open documents under a folder, by absolute path. */
  private openUnder(folder: string): Map<string, TextDocument> {
    const out = new Map<string, TextDocument>();
    for (const d of this.documents.all()) {
      const p = filePathOf(d.uri);
      if (p?.endsWith(".beldi") && (p.startsWith(folder + path.sep) || path.dirname(p) === folder)) out.set(p, d);
    }
    return out;
  }

  /** The app of a folder as it is now (the cached analysis when nothing changed). */
  app(folder: string): App {
    const open = this.openUnder(folder);
    const paths = [...new Set([...beldiFiles(folder), ...open.keys()])].sort();
    const files: SourceText[] = [];
    const uris = new Map<string, string>();
    for (const p of paths) {
      const doc = open.get(p);
      let text: string;
      try {
        text = doc ? doc.getText() : readFileSync(p, "utf8");
      } catch {
        continue;
      }
      const rel = path.relative(folder, p).split(path.sep).join("/");
      files.push({ path: rel, text });
      uris.set(rel, doc?.uri ?? pathToFileURL(p).href);
    }
    const stamp = files.map((f) => `${f.path}\0${f.text}`).join("\0\0");
    const hit = this.cache.get(folder);
    if (hit && hit.stamp === stamp) return hit.app;
    const project = analyzeProject(files, { app: appName(path.basename(folder)), appDir: folder });
    const app = { folder, project, uris };
    this.cache.set(folder, { stamp, app });
    return app;
  }

  /** The app a document belongs to and the document's file name in it. */
  appOf(uri: string): { app: App; file: string } | null {
    const folder = this.folderOf(uri);
    const p = filePathOf(uri);
    if (!folder || !p) return null;
    return { app: this.app(folder), file: path.relative(folder, p).split(path.sep).join("/") };
  }

  /** Forgets a folder's analysis (its last document closed). */
  forget(folder: string): void {
    this.cache.delete(folder);
  }
}
