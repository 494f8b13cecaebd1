// The checker: AST -> IR. Resolves declarations, checks every fn (types, names, scopes,
// narrowing, statements, updates, transactions, parallel, sovereignty), allocates step sites,
// closes effects, and builds the IR when there is no error. Never throws.
import type { SourceFileAst } from "../../grammar/ast.js";
import type { Diagnostic, Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import { IR_SCHEMA_VERSION, type IrFn, type IrProgram, type IrService } from "../ir.js";
import { Reporter, type Program } from "./state.js";
import { closeEffects, readOnlyFns, type FnFacts } from "./effects.js";
import { checkFn } from "./fn.js";
import { checkJsNames } from "./js-names.js";
import { resolveProgram } from "./resolve.js";
import { checkTxnReach } from "./txn-rules.js";
import { checkSuspendReach } from "./suspend-rules.js";
import { markReadsForUpdate } from "./for-update.js";
import { toDesc } from "./types.js";

export interface CheckOptions {
  /** the app's name (its folder's name) */
  app: string;
  /** the app folder: extern paths resolve against it and the .beldi file's directory */
  appDir: string;
  /** a hash of the sources */
  codeVersion: string;
}

export interface CheckResult {
  /** null when there is any error (warnings allowed) */
  ir: IrProgram | null;
  diagnostics: Diagnostic[];
  /** the declarations and what each name checked means (null only after an internal error): for the language services */
  program: Program | null;
  /** the fns ("service.fn") that are read-only (IrFn.readOnly), known even when there are errors */
  readOnly: ReadonlySet<string>;
}

export function checkProgram(files: SourceFileAst[], options: CheckOptions): CheckResult {
  const diags = new Reporter();
  let current = "the declarations";
  let currentSpan: Span | null = null;
  let program: Program | null = null;
  let readOnly: ReadonlySet<string> = new Set();
  try {
    checkJsNames(files, diags);
    const { prog, fns } = resolveProgram(files, diags, options.appDir);
    program = prog;
    const irFns = new Map<string, IrFn>();
    const facts = new Map<string, FnFacts>();
    for (const { info, svc } of fns) {
      current = `fn \`${info.key}\``;
      currentSpan = info.decl.name.span;
      const r = checkFn(prog, diags, svc, info);
      if (svc.fns.get(info.name) === info && prog.services.get(svc.name) === svc) {
        irFns.set(info.key, r.ir);
        facts.set(info.key, r.facts);
      }
    }
    current = "the transaction rules";
    currentSpan = null;
    checkTxnReach(facts, diags);
    current = "the placement of sleep and wait";
    checkSuspendReach(facts, diags);
    current = "the effects";
    const signalling = new Set<string>();
    const effects = closeEffects(facts, signalling);
    readOnly = readOnlyFns(effects, signalling);
    for (const [key, fn] of irFns) {
      fn.effects = effects.get(key)!;
      fn.readOnly = readOnly.has(key);
      markReadsForUpdate(fn);
    }

    const diagnostics = sortDiagnostics(diags.list, files);
    if (diags.errorCount > 0) return { ir: null, diagnostics, program, readOnly };

    current = "the IR";
    const services: IrService[] = [...prog.services.values()].map((svc) => ({
      name: svc.name,
      tables: [...svc.tables.values()].map((t) => ({
        name: t.name,
        valueType: toDesc(t.valueType),
        fields: (t.fields ?? []).map((f) => f.name),
        span: t.decl.span,
      })),
      fns: [...svc.fns.values()].map((f) => irFns.get(f.key)!),
      span: svc.decl.span,
    }));
    const ir: IrProgram = {
      schemaVersion: IR_SCHEMA_VERSION,
      app: options.app,
      codeVersion: options.codeVersion,
      files: files.map((f) => f.path),
      types: [...prog.typeInfos.entries()].map(([name, t]) => ({ name, type: toDesc(t.type), span: t.decl.span })),
      externs: [...prog.externs.values()].map((x) => ({
        name: x.name,
        params: x.params.map((p) => ({ name: p.name, type: toDesc(p.type), span: p.span })),
        result: toDesc(x.result),
        module: x.module,
        span: x.decl.span,
      })),
      services,
    };
    return { ir, diagnostics, program, readOnly };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    diags.report(
      CHECK.internal,
      currentSpan ?? firstSpan(files),
      `internal compiler error while checking ${current}: this is a bug in the compiler, not in your program (${why})`,
      "please report it with this program; rewriting the named declaration may avoid it meanwhile",
    );
    return { ir: null, diagnostics: sortDiagnostics(diags.list, files), program, readOnly };
  }
}

function firstSpan(files: SourceFileAst[]): Span {
  const file = files[0]?.path ?? "<app>";
  return { file, line: 1, col: 1, endLine: 1, endCol: 2, offset: 0, endOffset: 1 };
}

/** By file (in the order given), then position; stable for equal positions. */
function sortDiagnostics(ds: Diagnostic[], files: SourceFileAst[]): Diagnostic[] {
  const order = new Map(files.map((f, i) => [f.path, i]));
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (order.get(a.d.span.file) ?? 1e9) - (order.get(b.d.span.file) ?? 1e9) || a.d.span.offset - b.d.span.offset || a.i - b.i)
    .map((x) => x.d);
}
