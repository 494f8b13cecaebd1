// The app versions `beldi run` keeps beside the local state (`.beldi/versions/<app>/<version>/`,
// each a copy of that version's build): a later run of a changed app serves them too, so
// instances an earlier version left unfinished finish on it, as on AWS; a version is dropped
// once no unfinished instance is pinned to it.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { BuiltApp } from "./build-cache.js";

export function keptRoot(cwd: string, app: string): string {
  return path.join(cwd, ".beldi", "versions", app);
}

/** The kept builds (the stack serves the current version from its fresh build instead of a kept copy). */
export function keptVersions(cwd: string, app: string): string[] {
  const root = keptRoot(cwd, app);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "manifest.json")))
    .map((v) => path.join(root, v));
}

/** Keeps a copy of the version's build (the build cache may be cleared). */
export function keep(cwd: string, built: BuiltApp): void {
  const dir = path.join(keptRoot(cwd, built.ir.app), built.ir.codeVersion);
  if (existsSync(path.join(dir, "manifest.json"))) return;
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(built.dir, dir, { recursive: true });
}

export function drop(cwd: string, app: string, version: string): void {
  rmSync(path.join(keptRoot(cwd, app), version), { recursive: true, force: true });
}
