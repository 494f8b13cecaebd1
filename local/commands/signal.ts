// `beldi signal <app> <instanceId> <name> --value '<json>'`: delivers a signal to an instance in
// the kept local state (LANGUAGE.md §9) as a client does (LocalStack.sendSignal: the `{ signal }`
// payload to the instance's service), waits until the execution it woke has suspended again or
// finished (and what was due meanwhile, as `beldi run` does), and says whether it delivered and
// where the instance stands now. Exit 0 delivered, 1 not delivered (it already had a signal of
// that name: the first value stays), 2 bad usage or an unknown instance (R0024).
import { existsSync } from "node:fs";
import { commandArgs } from "./args.js";
import { processIo, type Io } from "../../compiler/cli-io.js";
import { loadApp, UsageError } from "../../compiler/check-api.js";
import { RUNTIME_ERRORS } from "../../contract/errors.js";
import type { Json } from "../../contract/json.js";
import { ConfigError } from "../../contract/timing.js";
import { intentView } from "../inspect/assemble.js";
import type { InstanceView } from "../inspect/model.js";
import { inspectorOf } from "../inspect/of-stack.js";
import { short, time } from "../inspect/render-text.js";
import { keptStateDir, startOnKeptState } from "../kept-state.js";
import { keptVersions } from "../kept-versions.js";
import type { LocalStack } from "../stack.js";

/** The command's lines of `beldi`'s usage text (compiler/cli.ts USAGE holds them too). */
export const SIGNAL_USAGE = `  beldi signal <app> <instanceId> <name> --value '<json>' [--format json]
                                                 deliver a signal to an instance of the kept local state and
                                                 show where it stands after (exit 1 when it already had one
                                                 of that name: the first value stays; 2 for an unknown instance)`;

const usage = `usage:\n${SIGNAL_USAGE}\n\n<app> is a folder of .beldi files, or one file.`;

/** What `--format json` prints. */
export interface SignalReport {
  instanceId: string;
  name: string;
  delivered: boolean;
  /** the instance (one per service whose intents hold the id) after the signal, without steps (`beldi inspect` has them) */
  instances: Omit<InstanceView, "steps">[];
}

export async function signalCommand(argv: string[], io: Io = processIo): Promise<number> {
  const parsed = commandArgs(argv, { value: { type: "string" }, format: { type: "string" } }, io, usage);
  if (!parsed) return 2;
  const { positionals, values } = parsed;
  const bad = (why: string) => {
    io.err(`beldi signal: ${why}\n\n${usage}`);
    return 2;
  };
  if (positionals.length !== 3) return bad("expected <app> <instanceId> <name>");
  if (values.format !== undefined && values.format !== "text" && values.format !== "json")
    return bad(`--format is text or json, not ${values.format}`);
  if (values.value === undefined) return bad("give the signal's value with --value '<json>'");
  const [appPath, instanceId, name] = positionals as [string, string, string];
  let value: Json;
  try {
    value = JSON.parse(values.value) as Json;
  } catch {
    return bad(`--value is not JSON: ${values.value}`);
  }
  let stack: LocalStack | undefined;
  try {
    const app = loadApp(appPath).app;
    if (!existsSync(keptStateDir(appPath))) {
      io.err(
        `error ${RUNTIME_ERRORS.unknownInstance.code}: no local state for app ${app} (run it first with \`beldi run\`): no instance ${instanceId}`,
      );
      return 2;
    }
    // the versions earlier runs kept: the woken instance runs on the one it started on
    stack = await startOnKeptState(appPath, { earlierVersions: keptVersions(process.cwd(), app) });
    const r = await stack.sendSignal(instanceId, name, value);
    if ("crashed" in r) {
      io.err(`signal ${name} to ${instanceId}: the delivery crashed${r.reason ? ` (${r.reason})` : ""}`);
      return 1;
    }
    if (!r.ok) {
      io.err(`error ${r.error.code}: ${r.error.message}`);
      const refused = [
        RUNTIME_ERRORS.unknownInstance.code,
        RUNTIME_ERRORS.badSignal.code,
        RUNTIME_ERRORS.unstorable.code,
        RUNTIME_ERRORS.invalidText.code,
      ];
      return refused.includes(r.error.code) ? 2 : 1;
    }
    const delivered = "value" in r && r.value === true;
    // what is due now (a woken instance's spawns, other wake-ups) finishes, as after `beldi run`
    await stack.recover();
    const report: SignalReport = { instanceId, name, delivered, instances: await instancesAfter(stack, instanceId) };
    io.out(values.format === "json" ? JSON.stringify(report, null, 2) : renderSignal(report));
    io.err(`see its steps with \`beldi inspect ${appPath} ${instanceId}\``);
    return delivered ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err((e as Error).message);
      return 2;
    }
    io.err(
      `internal error: ${(e as Error)?.message ?? e}\n  while running \`beldi signal ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  } finally {
    await stack?.stop();
  }
}

/** The instance's intents (one per service that has the id), as the inspector shows them. */
async function instancesAfter(stack: LocalStack, instanceId: string): Promise<Omit<InstanceView, "steps">[]> {
  const x = inspectorOf(stack);
  x.clock.wokenBy = "the next `beldi run` or `beldi signal` of this app resumes it";
  x.clock.retriedBy = "the next `beldi run` of this app finishes it first";
  try {
    return (await x.reader.intents(instanceId)).map((intent) => {
      const { steps: _, ...view } = intentView(intent, x.clock);
      return view;
    });
  } finally {
    x.close();
  }
}

/** The text form: whether it delivered, then each instance's status, result and signals. */
export function renderSignal(r: SignalReport): string {
  const lines = [
    r.delivered
      ? `signal ${JSON.stringify(r.name)} delivered to ${r.instanceId}`
      : `signal ${JSON.stringify(r.name)} not delivered: ${r.instanceId} already had one of that name (the first value stays)`,
  ];
  for (const v of r.instances) {
    lines.push(`${v.service}.${v.fn} ${v.id}  ${v.status}${v.statusNote ? ` (${v.statusNote})` : ""}`);
    if (v.result)
      lines.push(`  result  ${v.result.ok ? short(v.result.value) : `error ${v.result.error.code}: ${v.result.error.message}`}`);
    if (v.finishedAt !== undefined) lines.push(`  finished ${time(v.finishedAt)}`);
    for (const s of v.signals ?? [])
      lines.push(`  signal  ${JSON.stringify(s.name)} = ${short(s.value)}  ${s.from ? `from ${s.from.instance}` : "from a client"}`);
  }
  return lines.join("\n");
}
