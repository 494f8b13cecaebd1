// `beldi inspect <app> <instanceId>`: an instance's whole call tree as the store recorded it.
import type { Io } from "../../compiler/cli-io.js";
import { inspectInstance } from "../inspect/inspect.js";
import { renderInspect } from "../inspect/render-text.js";
import { parseInspectArgs, withInspector } from "./inspect-options.js";

export async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const args = parseInspectArgs("inspect", argv, io, 2);
  if (!args) return 2;
  const [instance] = args.positionals as [string];
  if (instance === "") {
    // the store refuses an empty key: say what is wrong instead of passing its error on
    io.err("beldi inspect: the instance id is empty");
    return 2;
  }
  return withInspector("inspect", argv, io, args.open, async (x) => {
    const report = await inspectInstance(x, instance);
    io.out(args.json ? JSON.stringify(report, null, 2) : renderInspect(report));
    return report.found === "missing" ? 1 : 0;
  });
}
