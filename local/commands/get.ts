// `beldi get <app> <service>.<table> <key>`: a row's current value in the kept local state, as JSON.
import { processIo, type Io } from "../../compiler/cli.js";
import { tableCommand } from "./table-command.js";

export async function getCommand(argv: string[], io: Io = processIo): Promise<number> {
  return tableCommand("get", argv, io, 1, async ({ ref, rest }, open) => {
    const key = rest[0]!;
    const stack = await open();
    const value = await stack.get(ref.service, ref.table, key);
    if (value === null) {
      io.err(`${ref.service}.${ref.table}[${JSON.stringify(key)}] is absent`);
      return 1;
    }
    io.out(JSON.stringify(value, null, 2));
    return 0;
  });
}
