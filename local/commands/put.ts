// `beldi put <app> <service>.<table> <key> --value '<json>'`: sets a row of the kept local state,
// checked against the table's record type first, through the layout the app's fns read.
import { processIo, USAGE, type Io } from "../../compiler/cli.js";
import type { Json } from "../../contract/json.js";
import { checkRow } from "../table-ref.js";
import { tableCommand } from "./table-command.js";

export async function putCommand(argv: string[], io: Io = processIo): Promise<number> {
  return tableCommand("put", argv, io, 1, async ({ app, ref, rest, value }, open) => {
    const key = rest[0]!;
    if (value === undefined) {
      io.err(`beldi put: give the row's value with --value '<json>'\n\n${USAGE}`);
      return 2;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      io.err(`--value is not JSON: ${value}`);
      return 2;
    }
    const row: Record<string, Json> = checkRow(app.ir, ref, key, parsed);
    const stack = await open();
    await stack.put(ref.service, ref.table, key, row);
    io.err(`${ref.service}.${ref.table}[${JSON.stringify(key)}] set`);
    return 0;
  });
}
