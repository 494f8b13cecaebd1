// Sovereignty: a fn may only touch its own service's tables. Resolves a table name for a table
// operation, and explains which fn of the owner to `call` when the table is another service's.
import type { Ident } from "../../grammar/ast.js";
import { CHECK } from "../diagnostics.js";
import type { FnCtx, TableInfo, TableOp } from "./state.js";
import { didYouMean } from "./suggest.js";

const VERB: Record<TableOp, string> = {
  read: "reads",
  write: "writes",
  update: "updates",
  delete: "deletes",
  scan: "scans",
};

/**
 * The table the operation names, or null when none is known (reported). A table of another
 * service is reported but returned, so the operation is still type-checked.
 */
export function resolveTable(ctx: FnCtx, table: Ident, op: TableOp): TableInfo | null {
  const name = table.name;
  const own = ctx.service.tables.get(name);
  if (own) {
    ctx.prog.uses.push({ kind: "table", span: table.span, table: own });
    return own;
  }
  const owners = (ctx.prog.tableOwners.get(name) ?? []).filter((s) => s !== ctx.service.name);
  if (owners.length > 0) {
    const owner = owners[0]!;
    const uses = ctx.prog.tableUses.get(`${owner}.${name}`) ?? [];
    const same = uses.find((u) => u.op === op);
    const any = same ?? uses.find((u) => u.op === "read" && op === "scan") ?? uses[0];
    const verb = VERB[op].replace(/s$/, "");
    const also = owners.length > 1 ? ` (services ${owners.map((o) => `\`${o}\``).join(", ")} each have one)` : "";
    const hint = any
      ? `\`call ${owner}.${any.fn}(...)\` instead: it ${VERB[any.op]} \`${name}\``
      : `add a fn to service \`${owner}\` that ${VERB[op]} \`${name}\`, and \`call\` it`;
    ctx.diags.report(
      CHECK.foreignTable,
      table.span,
      `table \`${name}\` belongs to service \`${owner}\`${also}: fn \`${ctx.fn.key}\` may not ${verb} it directly`,
      hint,
    );
    const foreign = ctx.prog.services.get(owner)?.tables.get(name) ?? null;
    if (foreign) ctx.prog.uses.push({ kind: "table", span: table.span, table: foreign });
    return foreign;
  }
  const candidates = [...ctx.service.tables.keys()];
  ctx.diags.report(
    CHECK.unknownTable,
    table.span,
    `unknown table \`${name}\``,
    didYouMean(name, candidates) ??
      (candidates.length === 0
        ? `service \`${ctx.service.name}\` has no tables: declare one with \`table ${name}: Type\``
        : `the tables of service \`${ctx.service.name}\` are ${candidates.map((c) => `\`${c}\``).join(", ")}`),
  );
  return null;
}
