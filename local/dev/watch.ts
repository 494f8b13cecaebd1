// Watching an app's folder for saves: fs.watch on each of its folders, the
// files that make a version (.beldi sources and extern .ts modules), a burst of events (an
// editor's write-then-rename, a save-all) folded into one call after a short quiet time.
import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from "node:fs";
import path from "node:path";

export interface Change {
  /** the changed files, relative to the watched folder, in the order first seen */
  files: string[];
  /** when the burst's first event arrived (performance.now()): what "time since the save" counts from */
  firstAt: number;
}

export interface AppWatcher {
  close(): void;
}

/** Files whose change makes a new version: sources and the TypeScript modules externs come from. */
export function isAppFile(name: string): boolean {
  const base = path.basename(name);
  if (base.startsWith(".") || name.split(path.sep).some((p) => p === "node_modules" || p.startsWith("."))) return false;
  return base.endsWith(".beldi") || (base.endsWith(".ts") && !base.endsWith(".d.ts"));
}

export interface WatchOptions {
  /** which changed files count (relative to the folder); default isAppFile */
  accept?: (file: string) => boolean;
  /** quiet time after the last event of a burst (ms) */
  quietMs?: number;
  /** the watch failed (the folder was moved or deleted): no more changes will be seen */
  onError?: (e: Error) => void;
}

/**
 * Calls `onChange` once per burst of changes to the app's files under `folder`, `quietMs` after
 * the last. Each folder is watched on its own (not `recursive`: Node 20's recursive watch on Linux
 * watches files, and loses one an editor replaces by renaming a new file over it); folders made
 * later are watched as they appear.
 */
export function watchApp(folder: string, onChange: (c: Change) => void, o: WatchOptions = {}): AppWatcher {
  const accept = o.accept ?? isAppFile;
  const watchers = new Map<string, FSWatcher>();
  let files: string[] = [];
  let firstAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = (file: string) => {
    if (!timer) firstAt = performance.now();
    if (file !== "" && !files.includes(file)) files.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const c = { files, firstAt };
      files = [];
      timer = undefined;
      onChange(c);
    }, o.quietMs ?? 25);
  };

  const watchDir = (dir: string) => {
    if (closed || watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, (_event, name) => {
        // some platforms do not say which file: treat it as a change to the app
        if (name === null) return changed("");
        const file = path.relative(folder, path.join(dir, name.toString()));
        if (isFolder(path.join(dir, name.toString()))) {
          if (!skipped(name.toString())) watchTree(path.join(dir, name.toString()));
        } else if (accept(file)) changed(file);
      });
    } catch {
      return; // gone already
    }
    w.on("error", (e) => {
      w.close();
      watchers.delete(dir);
      // the app's own folder gone (moved, deleted): no more changes will be seen
      if (dir === folder) o.onError?.(e);
    });
    watchers.set(dir, w);
  };

  const watchTree = (dir: string) => {
    watchDir(dir);
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && !skipped(e.name)) watchTree(path.join(dir, e.name));
  };

  watchTree(folder);
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

const skipped = (name: string) => name.startsWith(".") || name === "node_modules";

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
