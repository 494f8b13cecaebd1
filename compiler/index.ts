// The programmatic API (`beldi/compiler`): check and compile in memory, or build an app folder
// to disk. Stages: grammar.parse -> check.checkProgram (IR) -> emit (TypeScript) -> bundle. The
// front half (check, loadApp, ...) lives in check-api.ts and is re-exported here.
import { mkdirSync, rmSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { SourceText } from "../grammar/span.js";
import { check, compatibilityDiagnostics, loadApp, type CheckResult, type CompileOptions } from "./check-api.js";
import { emitService } from "./emit/index.js";
import { sourceLines, type SourceLines } from "./emit/stmt.js";
import { bundleServices, sdkMode, type SdkMode } from "./bundle.js";
import { deployTemplate, lambdaRuntime, LAMBDA_RUNTIMES, type LambdaRuntime } from "./deploy.js";
import { diffVersions } from "./compat.js";
import type { IrProgram } from "./ir.js";

export type { Diagnostic, SourceText } from "../grammar/span.js";
export type { IrProgram } from "./ir.js";
export { formatDiagnostic, diagnosticsToJson } from "./format-diagnostics.js";
export { ALL_DIAGNOSTICS } from "./diagnostics.js";
export { COMPAT, diffVersions, type FnChange, type TableIncompatibility, type VersionDiff } from "./compat.js";
export { SDK_MODES, type SdkMode } from "./bundle.js";
export { BuildOptionError, DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from "./deploy.js";
// the front half (no emitter, bundler or TypeScript), for the commands that stop at the IR
export {
  analyze,
  appName,
  check,
  codeVersion,
  compatibilityDiagnostics,
  loadApp,
  readManifest,
  UsageError,
  type Analysis,
  type CheckResult,
  type CompileOptions,
  type LoadedApp,
} from "./check-api.js";

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface CompileResult extends CheckResult {
  /** per service `<service>/handler.ts`, plus `manifest.json`; empty when there are errors */
  files: GeneratedFile[];
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

export interface BuildOptions extends CompileOptions {
  /** the Lambda runtime the template names and the bundles are compiled for: nodejs22.x or nodejs24.x (default) */
  lambdaRuntime?: LambdaRuntime;
  /** keep the log and intent tables when the stack goes (Retain, point-in-time recovery); default: deleted with it */
  retainLogs?: boolean;
  /** the Node.js major version the bundles are compiled for, when not the Lambda runtime's (the local stack: the host's) */
  bundleNodeMajor?: number;
  /**
   * where the bundles' AWS SDK comes from: "bundled" (default; the lockfile's versions) or
   * "external" (`@aws-sdk/*` imported from the Lambda runtime's copy: smaller bundles, the
   * runtime's SDK version)
   */
  sdk?: SdkMode;
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
 * Builds an app to `outDir`: per service the generated `handler.ts` and the bundle `index.mjs`
 * (minified, self-contained, its source map `index.mjs.map` beside it; all bundled in one esbuild
 * run), plus `manifest.json` and the deploy template `template.json`. Writes nothing when there are
 * errors; writes atomically (to a sibling folder, then renamed) otherwise. An unknown
 * `lambdaRuntime` or `sdk` is a BuildOptionError, thrown before anything is written.
 */
export async function build(appPath: string, outDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { lambdaRuntime: asked, retainLogs, bundleNodeMajor, previous, sdk: askedSdk, ...compileOptions } = options;
  const runtime = lambdaRuntime(asked); // a BuildOptionError before anything is written
  const sdk = sdkMode(askedSdk);
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
    // Every service in one esbuild run (tmp/ sits beside out/, so the maps' relative paths agree).
    await bundleServices(
      tmp,
      compiled.ir.services.map((s) => s.name),
      compiled.files.map((f) => f.text),
      { nodeMajor, sdk },
    );
    for (const s of compiled.ir.services) bundles[s.name] = path.join(out, s.name, "index.mjs");
    writeFileSync(
      path.join(tmp, "template.json"),
      `${JSON.stringify(deployTemplate(compiled.ir, { lambdaRuntime: runtime, retainLogs, previous }), null, 2)}\n`,
    );
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { ...compiled, bundles, outDir: out };
}
