// `beldi sweep <app> <service.fn> --input '<json>'`: the crash sweep as a command. Every run
// starts from the same rows (--setup <rows.json>, or --from-state: the kept state's current
// rows), on a fresh stack; the kept state itself is never changed.
import { readFileSync } from "node:fs";
import { commandArgs } from "./args.js";
import { processIo, USAGE, type Io } from "../../compiler/cli.js";
import { UsageError } from "../../compiler/index.js";
import { ConfigError } from "../../contract/timing.js";
import { buildCached } from "../build-cache.js";
import { startOnKeptState } from "../kept-state.js";
import { crashSweep, SweepError, type SetupRows, type SweepReport } from "../sweep.js";
import { describeSweep } from "../sweep-report.js";
import { checkRow, resolveTable, TableValueError, UnknownTableError } from "../table-ref.js";

const BAR = 24;

/** Progress on stderr: one line rewritten in place on a terminal, a line per crash point otherwise. */
function progressTo(io: Io): (p: { done: number; expected: number; point?: SweepReport["points"][number] }) => void {
  const tty = io === processIo && process.stderr.isTTY;
  return ({ done, expected, point }) => {
    const what = point ? `crashed after ${point.request}: ${point.ok ? "matches" : "DIFFERS"}` : `uncrashed run: ${expected} requests`;
    if (!tty) return io.err(point ? `crash point ${done}/${expected}: ${what}` : what);
    const filled = Math.round((BAR * Math.min(done, expected)) / Math.max(1, expected));
    process.stderr.write(`\r\x1b[K[${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${done}/${expected} ${what}`);
  };
}

/** Reads setup rows: `{ "service.table": { "key": value } }`. */
function readSetup(file: string): SetupRows {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--setup ${file}: ${(e as Error).message}`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(rows) || !Object.values(rows).every(isObject))
    throw new UsageError(`--setup ${file}: expected { "<service>.<table>": { "<key>": <value>, ... }, ... }`);
  return rows as SetupRows;
}

/** The kept state's current rows, as setup rows. */
async function keptRows(appPath: string): Promise<SetupRows> {
  const stack = await startOnKeptState(appPath);
  try {
    const rows: SetupRows = {};
    for (const s of stack.app.ir.services)
      for (const t of s.tables) {
        const found = await stack.scan(s.name, t.name);
        if (found.length) rows[`${s.name}.${t.name}`] = Object.fromEntries(found.map((r) => [r.key, r.value]));
      }
    return rows;
  } finally {
    await stack.stop();
  }
}

export async function sweepCommand(argv: string[], io: Io = processIo): Promise<number> {
  const parsed = commandArgs(
    argv,
    {
      input: { type: "string" },
      setup: { type: "string" },
      "from-state": { type: "boolean" },
      isolation: { type: "string" },
      store: { type: "string" },
      "max-points": { type: "string" },
      format: { type: "string" },
    },
    io,
    USAGE,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const bad = (why: string) => {
    io.err(`beldi sweep: ${why}\n\n${USAGE}`);
    return 2;
  };
  if (positionals.length !== 2) return bad("expected <app> <service.fn>");
  if (values.isolation && !["inline", "process"].includes(values.isolation)) return bad("--isolation is inline or process");
  if (values.store && !["dynalite", "dynamodb-local"].includes(values.store)) return bad("--store is dynalite or dynamodb-local");
  if (values.format && !["text", "json"].includes(values.format)) return bad("--format is text or json");
  if (values["max-points"] !== undefined && !/^[1-9]\d*$/.test(values["max-points"])) return bad("--max-points is a positive whole number");
  if (values.setup && values["from-state"]) return bad("give --setup or --from-state, not both");
  const [appPath, fnRef] = positionals as [string, string];
  let input: unknown = {};
  try {
    if (values.input !== undefined) input = JSON.parse(values.input);
  } catch {
    return bad(`--input is not JSON: ${values.input}`);
  }
  try {
    const { ir } = await buildCached(appPath);
    const [service, fn] = fnRef.split(".");
    if (!ir.services.find((s) => s.name === service)?.fns.some((f) => f.name === fn)) {
      const fns = ir.services.flatMap((s) => s.fns.map((f) => `${s.name}.${f.name}`));
      return bad(`app ${ir.app} has no fn ${fnRef} (its fns: ${fns.join(", ")})`);
    }
    const setup = values.setup ? readSetup(values.setup) : values["from-state"] ? await keptRows(appPath) : undefined;
    // Every row is checked before the first stack starts.
    for (const [ref, rows] of Object.entries(setup ?? {})) {
      const table = resolveTable(ir, ref);
      for (const [key, value] of Object.entries(rows)) checkRow(ir, table, key, value);
    }
    const progress = progressTo(io);
    if (io === processIo && process.stderr.isTTY) process.stderr.write(`running ${fnRef} uncrashed first...`);
    const report = await crashSweep({
      app: appPath,
      fn: fnRef,
      input,
      setup,
      isolation: (values.isolation as "inline" | "process" | undefined) ?? "inline",
      backend: (values.store as "dynalite" | "dynamodb-local" | undefined) ?? "dynalite",
      maxPoints: values["max-points"] ? Number(values["max-points"]) : undefined,
      onProgress: progress,
    });
    if (io === processIo && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    if (values.format === "json") io.out(JSON.stringify(report, null, 2));
    else io.out(describeSweep(report));
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UnknownTableError || e instanceof UsageError || e instanceof ConfigError) {
      io.err(e instanceof ConfigError ? `error ${e.code}: ${e.message}` : e.message);
      return 2;
    }
    if (e instanceof TableValueError || e instanceof SweepError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    io.err(
      `internal error: ${(e as Error)?.message ?? e}\n  while running \`beldi sweep ${argv.join(" ")}\`; this is a bug in beldi: please report it with that input`,
    );
    return 1;
  }
}
