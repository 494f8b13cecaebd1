// The programmatic API (`beldi/compiler`): check and compile in memory, or build an app folder
// to disk. Stages: grammar.parse -> check.checkProgram (IR) -> emit (TypeScript) -> bundle.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { parse } from "../grammar/index.js";
import type { Diagnostic, SourceText } from "../grammar/span.js";
import type { SourceFileAst } from "../grammar/ast.js";
import { checkProgram } from "./check/index.js";
import type { Program } from "./check/state.js";
import { checkExternModules } from "./externs.js";
import { emitService } from "./emit/index.js";
import { sourceLines, type SourceLines } from "./emit/stmt.js";
import { bundleService } from "./bundle.js";
import { deployTemplate, lambdaRuntime, LAMBDA_RUNTIMES, type LambdaRuntime } from "./deploy.js";
import { diffVersions, type VersionDiff } from "./compat.js";
import { IR_SCHEMA_VERSION, type IrProgram } from "./ir.js";

export type { Diagnostic, SourceText } from "../grammar/span.js";
export type { IrProgram } from "./ir.js";
export { formatDiagnostic, diagnosticsToJson } from "./format-diagnostics.js";
export { ALL_DIAGNOSTICS } from "./diagnostics.js";
export { COMPAT, diffVersions, type FnChange, type TableIncompatibility, type VersionDiff } from "./compat.js";
export { BuildOptionError, DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from "./deploy.js";

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

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface CompileResult extends CheckResult {
  /** per service `<service>/handler.ts`, plus `manifest.json`; empty when there are errors */
  files: GeneratedFile[];
}

const hasErrors = (ds: Diagnostic[]) => ds.some((d) => d.severity === "error");

/** A hash of everything a build depends on: sources and extern modules. */
export function codeVersion(files: SourceText[], extra: string[] = []): string {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) h.update(f.path).update("\0").update(f.text).update("\0");
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
    codeVersion: codeVersion(files),
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

/** Checks and generates the TypeScript of every service and the manifest, in memory. */
export function compile(files: SourceText[], options: CompileOptions = {}): CompileResult {
  const checked = check(files, options);
  if (!checked.ok || !checked.ir) return { ...checked, files: [] };
  const ir = checked.ir;
  const sources: SourceLines = new Map(files.map((f) => [f.path, sourceLines(f.text)]));
  const out: GeneratedFile[] = [];
  for (const s of ir.services) {
    const from = options.outDir ? path.join(options.outDir, s.name) : undefined;
    const e = emitService(ir, s, sources, {
      runtimeModule: options.runtimeModule ?? "beldi/runtime",
      externImport: (m) => importSpecifier(m, from),
    });
    out.push({ path: `${s.name}/handler.ts`, text: e.text });
  }
  out.push({ path: "manifest.json", text: `${JSON.stringify(ir, null, 2)}\n` });
  return { ...checked, files: out };
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
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
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
  if (ir?.schemaVersion !== IR_SCHEMA_VERSION || !Array.isArray(ir.services) || !Array.isArray(ir.types)) {
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

export interface BuildOptions extends CompileOptions {
  /** the Lambda runtime the template names and the bundles are compiled for: nodejs22.x or nodejs24.x (default) */
  lambdaRuntime?: LambdaRuntime;
  /** keep the log and intent tables when the stack goes (Retain, point-in-time recovery); default: deleted with it */
  retainLogs?: boolean;
  /** the Node.js major version the bundles are compiled for, when not the Lambda runtime's (the local stack: the host's) */
  bundleNodeMajor?: number;
  /** the deployed version's manifest.json: a table change the two versions cannot both read is refused (V codes) */
  previous?: IrProgram;
}

export interface BuildResult extends CheckResult {
  /** service -> absolute path of its bundle (index.mjs) */
  bundles: Record<string, string>;
  outDir: string;
}

/**
 * How generated code names an extern's module: relative to the generated file when its folder is
 * known, and with `.js` for `.ts` (TypeScript's NodeNext convention; esbuild resolves it to the .ts).
 */
function importSpecifier(module: string, fromDir: string | undefined): string {
  let spec = fromDir ? path.relative(fromDir, module).split(path.sep).join("/") : module;
  if (fromDir && !spec.startsWith(".")) spec = `./${spec}`;
  return spec.replace(/\.(m|c)?ts$/, (_, k: string | undefined) => `.${k ?? ""}js`);
}

/**
 * Builds an app to `outDir`: per service the generated `handler.ts` and the bundle `index.mjs`,
 * plus `manifest.json` and the deploy template `template.json`. Writes nothing when there are
 * errors; writes atomically (to a sibling folder, then renamed) otherwise. An unknown
 * `lambdaRuntime` is a BuildOptionError, thrown before anything is written.
 */
export async function build(appPath: string, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { lambdaRuntime: asked, retainLogs, bundleNodeMajor, previous, ...compileOptions } = options;
  const runtime = lambdaRuntime(asked); // a BuildOptionError before anything is written
  const nodeMajor = bundleNodeMajor ?? LAMBDA_RUNTIMES[runtime];
  const { app, appDir, files } = loadApp(appPath);
  const out = path.resolve(outDir);
  const compiled = compile(files, { app, appDir, outDir: out, ...compileOptions });
  if (!compiled.ok || !compiled.ir) return { ...compiled, bundles: {}, outDir: out };
  if (previous) {
    // refused before anything is written: the deployed version keeps running against these tables
    const refused = compatibilityDiagnostics(diffVersions(previous, compiled.ir));
    if (refused.length) return { ...compiled, ok: false, diagnostics: [...compiled.diagnostics, ...refused], bundles: {}, outDir: out };
  }
  const tmp = `${out}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  const bundles: Record<string, string> = {};
  try {
    for (const f of compiled.files) {
      const p = path.join(tmp, f.path);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, f.text);
    }
    await Promise.all(
      compiled.ir.services.map(async (s) => {
        const source = compiled.files.find((f) => f.path === `${s.name}/handler.ts`)!.text;
        // Resolved from where the handler is written (tmp/ sits beside out/, so relative paths agree).
        const bundle = await bundleService(source, path.join(tmp, s.name), `${s.name}/handler.ts`, nodeMajor);
        writeFileSync(path.join(tmp, s.name, "index.mjs"), bundle.code);
        writeFileSync(path.join(tmp, s.name, "index.mjs.map"), bundle.map);
        bundles[s.name] = path.join(out, s.name, "index.mjs");
      }),
    );
    writeFileSync(
      path.join(tmp, "template.json"),
      `${JSON.stringify(deployTemplate(compiled.ir, { lambdaRuntime: runtime, retainLogs }), null, 2)}\n`,
    );
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { ...compiled, bundles, outDir: out };
}
