// The front half's API: read an app's sources, parse and check them into the IR, compare two
// versions' IR. Everything `beldi check`, `diff` and `graph` need, and nothing more: no emitter,
// no bundler, no TypeScript (test/fast-check.test.ts keeps it so; compiler/index.ts adds the rest).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "../grammar/index.js";
import type { SourceFileAst } from "../grammar/ast.js";
import type { Diagnostic, SourceText } from "../grammar/span.js";
import { checkProgram } from "./check/index.js";
import type { Program } from "./check/state.js";
import type { VersionDiff } from "./compat.js";
import { checkExternModules, externModuleTexts } from "./externs.js";
import { IR_SCHEMA_VERSION, READABLE_IR_SCHEMA_VERSIONS, type IrProgram } from "./ir.js";
import { compareCodeUnits } from "./order.js";

export interface CompileOptions {
  /** the app's name (default: "app") */
  app?: string;
  /** the folder the sources' paths are relative to, for resolving externs (default: cwd) */
  appDir?: string;
  /** the module generated code imports the runtime from (default: "beldi/runtime") */
  runtimeModule?: string;
  /** where the generated files will be written: extern imports become relative to it (default: absolute paths) */
  outDir?: string;
}

export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** the IR, when there are no errors */
  ir: IrProgram | null;
}

const hasErrors = (ds: Diagnostic[]) => ds.some((d) => d.severity === "error");

/** A hash of everything a build depends on: sources and extern modules. */
export function codeVersion(files: SourceText[], extra: string[] = []): string {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => compareCodeUnits(a.path, b.path))) h.update(f.path).update("\0").update(f.text).update("\0");
  for (const x of extra) h.update(x).update("\0");
  return h.digest("hex").slice(0, 12);
}

/** Parses and checks; reports every diagnostic. Never throws. */
export function check(files: SourceText[], options: CompileOptions = {}): CheckResult {
  const { ok, diagnostics, ir } = analyze(files, options);
  return { ok, diagnostics, ir };
}

/** What `check` finds, with what the language services (compiler/services/) also need. */
export interface Analysis extends CheckResult {
  /** each file's syntax tree, in the order given (partial where a file has syntax errors) */
  asts: SourceFileAst[];
  /** the declarations and what each name means, as the checker resolved them */
  program: Program | null;
  /** the read-only fns ("service.fn"), known even when there are errors */
  readOnly: ReadonlySet<string>;
}

/** `check`, keeping the syntax trees and the checker's side table. Never throws. */
export function analyze(files: SourceText[], options: CompileOptions = {}): Analysis {
  const diagnostics: Diagnostic[] = [];
  const asts = [];
  for (const f of files) {
    const r = parse(f);
    diagnostics.push(...r.diagnostics);
    asts.push(r.file);
  }
  // Syntax errors leave partial trees with placeholders: check the whole program (other files
  // need its names) but report the checker's findings only in files that parsed cleanly, so a
  // typo does not bring a cascade of follow-on errors.
  const broken = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.span.file));
  const r = checkProgram(asts, {
    app: options.app ?? "app",
    appDir: options.appDir ?? process.cwd(),
    codeVersion: codeVersion(files, externModuleTexts(asts, options.appDir ?? process.cwd())),
  });
  diagnostics.push(...r.diagnostics.filter((d) => !broken.has(d.span.file)));
  // extern modules are looked at here, not by the checker (which never touches the disk)
  diagnostics.push(
    ...checkExternModules(
      asts.filter((a) => !broken.has(a.path)),
      options.appDir ?? process.cwd(),
    ),
  );
  const ok = !hasErrors(diagnostics);
  return { ok, diagnostics, ir: ok ? r.ir : null, asts, program: r.program, readOnly: r.readOnly };
}

export interface LoadedApp {
  app: string;
  /** the app's folder */
  folder: string;
  /** the folder the files' paths are relative to (the working directory), for CompileOptions.appDir */
  appDir: string;
  files: SourceText[];
}

/** The .beldi files of an app: a folder (recursively) or a single file, with paths relative to the working directory. */
export function loadApp(appPath: string): LoadedApp {
  const abs = path.resolve(appPath);
  if (!existsSync(abs)) throw new UsageError(`no such file or folder: ${appPath}`);
  const isDir = statSync(abs).isDirectory();
  const folder = isDir ? abs : path.dirname(abs);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".beldi")) found.push(p);
    }
  };
  if (isDir) walk(abs);
  else found.push(abs);
  if (!found.length) throw new UsageError(`no .beldi files in ${appPath}`);
  const app = appName(isDir ? path.basename(abs) : path.basename(abs, ".beldi"));
  const cwd = process.cwd();
  return { app, folder, appDir: cwd, files: found.map((p) => ({ path: path.relative(cwd, p) || p, text: readFileSync(p, "utf8") })) };
}

/** App names become part of table and function names: keep them to a safe alphabet. */
export function appName(raw: string): string {
  const name = raw.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
  return name || "app";
}

/** Reads a build's manifest.json (the IR) as the previous version of an app; a UsageError if it is not one. */
export function readManifest(file: string): IrProgram {
  let ir: Partial<IrProgram>;
  try {
    ir = JSON.parse(readFileSync(file, "utf8")) as Partial<IrProgram>;
  } catch (e) {
    throw new UsageError(`cannot read ${file} as a manifest.json: ${(e as Error).message}`);
  }
  if (!READABLE_IR_SCHEMA_VERSIONS.includes(ir?.schemaVersion ?? -1) || !Array.isArray(ir.services) || !Array.isArray(ir.types)) {
    throw new UsageError(
      `${file} is not a manifest.json of this compiler (schema ${JSON.stringify(ir?.schemaVersion)}, this one writes ${IR_SCHEMA_VERSION}): ` +
        "rebuild the deployed version with this compiler to compare against it",
    );
  }
  return ir as IrProgram;
}

/** The incompatible table changes of a diff as errors at the tables' declarations. */
export function compatibilityDiagnostics(d: VersionDiff): Diagnostic[] {
  return d.incompatible.map((x) => ({
    code: x.code,
    severity: "error",
    message: `${x.message} (since version ${d.from})`,
    span: x.span,
    hint: x.fix,
  }));
}

/** A problem with how the compiler was asked to run (exit status 2), not with the program. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
