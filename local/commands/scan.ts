// `beldi scan <app> <service>.<table>`: every current row of a table in the kept local state,
// ascending by key, one JSON object `{ "key", "value" }` per line (JSON Lines).
import { processIo, type Io } from "../../compiler/cli.js";
import { tableCommand } from "./table-command.js";

export async function scanCommand(argv: string[], io: Io = processIo): Promise<number> {
  return tableCommand("scan", argv, io, 0, async ({ ref }, open) => {
    const stack = await open();
    const rows = await stack.scan(ref.service, ref.table);
    for (const row of rows) io.out(JSON.stringify(row));
    io.err(`${ref.service}.${ref.table}: ${rows.length} row${rows.length === 1 ? "" : "s"}`);
    return 0;
  });
}
