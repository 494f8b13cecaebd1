// `beldi instances <app> [--status s,...]`: every entry and spawned instance, with its status.
import { USAGE, type Io } from "../../compiler/cli.js";
import { listInstances } from "../inspect/inspect.js";
import { ROOT_STATUSES, type InstanceStatus } from "../inspect/model.js";
import { renderInstances } from "../inspect/render-text.js";
import { parseInspectArgs, withInspector } from "./inspect-options.js";

export async function instancesCommand(argv: string[], io: Io): Promise<number> {
  const args = parseInspectArgs("instances", argv, io, 1);
  if (!args) return 2;
  const unknown = args.status?.filter((s) => !ROOT_STATUSES.includes(s as InstanceStatus));
  if (unknown?.length) {
    io.err(`--status takes ${ROOT_STATUSES.join(", ")} (comma-separated), not ${unknown.join(", ")}\n\n${USAGE}`);
    return 2;
  }
  return withInspector("instances", argv, io, args.open, async (x) => {
    const rows = await listInstances(x, args.status as InstanceStatus[] | undefined);
    io.out(args.json ? JSON.stringify(rows, null, 2) : renderInstances(rows));
    return 0;
  });
}
