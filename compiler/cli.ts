// The compile-time commands of the `beldi` CLI: `check` and `build`. (`run` needs the local
// stack and lives in local/commands/run.ts; local/cli.ts dispatches them all.)
// Exit status: 0 clean or warnings only, 1 errors, 2 bad usage (LANGUAGE.md §8).
import { parseArgs } from "node:util";
// Only the front half here: `build` loads the emitter, bundler and deploy modules when it runs,
// so `check` and `diff` start fast (test/fast-check.test.ts).
import type { Diagnostic } from "../grammar/span.js";
import { check, compatibilityDiagnostics, loadApp, readManifest, UsageError } from "./check-api.js";
import { diffVersions, type VersionDiff } from "./compat.js";
import { BuildOptionError, LAMBDA_RUNTIMES, lambdaRuntime } from "./deploy.js";
import { type Io, processIo } from "./cli-io.js";
import type { SdkMode } from "./bundle.js";
import { diagnosticsToJson, formatDiagnostic } from "./format-diagnostics.js";

export const USAGE = `usage: beldi <command> [options]

  beldi check <app> [--format json]              report diagnostics (exit 1 on errors)
  beldi build <app> --out <dir> [--format json]  generate handlers, bundles, manifest.json, template.json
            [--lambda-runtime ${Object.keys(LAMBDA_RUNTIMES).join("|")}] [--retain-logs] [--previous <manifest.json>]
            [--sdk bundled|external]
                                                 the functions' runtime (default nodejs24.x); keep the log and
                                                 intent tables when the stack goes (default: deleted with it);
                                                 refuse a table change the deployed version cannot read; the
                                                 AWS SDK bundled in (default: the lockfile's version) or left
                                                 to the Lambda runtime's copy (smaller bundles)
  beldi diff <previous manifest.json> <app> [--format json]
                                                 per fn: are its logged steps unchanged; per table: can both
                                                 versions read it (exit 1 when not)
  beldi graph <app | manifest.json> [--format mermaid|dot|svg|json] [--out <file>]
                                                 services, tables, fns (read-only marked), call/spawn edges and
                                                 transaction scopes; mermaid on stdout by default (--out infers
                                                 the format from .mmd .md .dot .gv .svg .json); svg needs no
                                                 system Graphviz
  beldi run <app> <service.fn> --input '<json>' [--instance <id>] [--fresh] [--isolation process]
            [--timeout-ms <n>] [--request-timeout-ms <n>] [--window-ms <n>] [--crash-at <k>]
                                                 run one invocation on the local stack (state in .beldi/);
                                                 the window must exceed timeout + request timeout; --crash-at
                                                 kills it after its k-th request (the next run finishes it,
                                                 on the version it started on)
  beldi dev <app> [--port <n>] [--fresh] [--isolation process]
                                                 the app on a local stack that stays up (state in .beldi/):
                                                 every save re-checked, and deployed as a new version when
                                                 clean; a web console on 127.0.0.1 (default port 4747, 0: any
                                                 free port): graph, instances, steps, tables, invoke form
  beldi versions <app> [--endpoint <url> --region <r> --prefix <p>] [--format json]
                                                 the app versions in use, each with its unfinished instances
                                                 (local state, or any DynamoDB endpoint: AWS included)
  beldi inspect <app> <instanceId> [--format json]
                                                 an instance's whole call tree from the store: status, input,
                                                 result, each step with its .beldi line and logged value or
                                                 outcome, callees and spawned instances, transactions
  beldi instances <app> [--status running,suspended,pending-retry,done,failed,collected] [--format json]
                                                 every entry and spawned instance with its status
            both read the app's local state; for a deployed app: [--endpoint <url>] [--region <r>]
            [--prefix <p>] [--window-ms <n>], and --manifest <manifest.json> instead of (or with) <app>
  beldi lsp [--stdio]                            the language server for editors (LSP over stdin/stdout)
  beldi sweep <app> <service.fn> --input '<json>' [--setup <rows.json> | --from-state]
            [--isolation process] [--store dynalite|dynamodb-local] [--max-points <n>] [--format json]
                                                 crash the invocation after each of its requests in turn, recover,
                                                 retry; per crash point: do the result and every table match the
                                                 uncrashed run (exit 1 on any difference)
  beldi put <app> <service>.<table> <key> --value '<json>'
                                                 set a row of the kept local state (checked against its type)
  beldi get <app> <service>.<table> <key>        a row's value in the kept local state (exit 1 when absent)
  beldi scan <app> <service>.<table>             every row of a table in the kept local state (JSON Lines)
  beldi signal <app> <instanceId> <name> --value '<json>' [--format json]
                                                 deliver a signal to an instance of the kept local state and
                                                 show where it stands after (exit 1 when it already had one
                                                 of that name: the first value stays; 2 for an unknown instance)

<app> is a folder of .beldi files, or one file.`;

export { type Io, processIo } from "./cli-io.js";

/** Prints diagnostics with their source lines (or as JSON) and the counts. */
export function report(io: Io, diagnostics: Diagnostic[], texts: Map<string, string>, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(diagnosticsToJson(diagnostics), null, 2));
    return;
  }
  for (const d of diagnostics) io.err(formatDiagnostic(d, texts.get(d.span.file) ?? ""));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length) io.err(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
}

/** What changed between two versions, a line per fn and per compatibly changed table. */
function describeDiff(d: VersionDiff): string {
  const lines = [`${d.from} -> ${d.to}`];
  const says: Record<string, string> = {
    unchanged: "unchanged",
    changed: "logged steps changed: its in-flight instances finish on the old version",
    added: "new",
    removed: "removed: its in-flight instances finish on the old version",
  };
  for (const f of d.fns) lines.push(`  fn ${f.service}.${f.fn}: ${says[f.change]}`);
  for (const t of d.compatibleTables)
    lines.push(`  table ${t.service}.${t.table}: optional field(s) added (${t.added.join(", ")}), readable by both`);
  return lines.join("\n");
}

/** Runs `check`, `build` or `diff`; returns the exit status. */
export async function compileCommand(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from its one assignment (parseArgs infers the options)
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        out: { type: "string" },
        "lambda-runtime": { type: "string" },
        "retain-logs": { type: "boolean" },
        previous: { type: "string" },
        sdk: { type: "string" },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const json = values.format === "json";
  const arity = command === "diff" ? 2 : 1;
  if ((values.format && !json && values.format !== "text") || positionals.length !== arity) {
    const why =
      positionals.length !== arity
        ? `beldi ${command}: expected ${command === "diff" ? "<previous manifest.json> <app>" : "<app>"}, got ${positionals.length} argument(s)`
        : `--format must be text or json; got ${JSON.stringify(values.format)}`;
    io.err(`${why}\n\n${USAGE}`);
    return 2;
  }
  try {
    const runtime = lambdaRuntime(values["lambda-runtime"]);
    const previous = command === "diff" ? readManifest(positionals[0]!) : values.previous ? readManifest(values.previous) : undefined;
    const app = loadApp(positionals.at(-1)!);
    const texts = new Map(app.files.map((f) => [f.path, f.text]));
    if (command === "check") {
      const r = check(app.files, { app: app.app, appDir: app.appDir });
      report(io, r.diagnostics, texts, json);
      if (!json && r.ok) io.err(`${app.app}: ${app.files.length} file(s) checked, ${r.ir!.services.length} service(s), no errors`);
      return r.ok ? 0 : 1;
    }
    if (command === "diff") {
      const r = check(app.files, { app: app.app, appDir: app.appDir });
      if (!r.ok || !r.ir) {
        report(io, r.diagnostics, texts, json);
        return 1;
      }
      const d = diffVersions(previous!, r.ir);
      if (json) io.out(JSON.stringify(d, null, 2));
      else {
        io.out(describeDiff(d));
        report(io, compatibilityDiagnostics(d), texts, false);
      }
      return d.incompatible.length ? 1 : 0;
    }
    if (!values.out) {
      io.err(`build needs --out <dir>\n\n${USAGE}`);
      return 2;
    }
    const { build } = await import("./index.js");
    const r = await build(positionals[0]!, values.out, {
      app: app.app,
      appDir: app.appDir,
      lambdaRuntime: runtime,
      retainLogs: values["retain-logs"] === true,
      previous,
      sdk: values.sdk as SdkMode | undefined, // checked by build(), before anything is written
    });
    report(io, r.diagnostics, texts, json);
    if (!r.ok) return 1;
    if (!json) io.err(`${app.app}: built ${Object.keys(r.bundles).length} service(s) into ${values.out}`);
    return 0;
  } catch (e) {
    if (e instanceof BuildOptionError) {
      const flag = `--${e.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      io.err(`${flag} must be one of ${e.allowed.join(", ")}; got ${JSON.stringify(e.value)}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    const detail = process.env.BELDI_DEBUG ? (e as Error)?.stack : (e as Error)?.message;
    io.err(
      `internal error: ${detail ?? e}\n  while running \`beldi ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  }
}
