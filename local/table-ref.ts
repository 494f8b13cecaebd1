// A table named from outside the app (`beldi put|get|scan`, a sweep's setup rows): finding it
// in the IR, and checking a value against its record type before it reaches the store.
import type { IrProgram, IrTable } from "../compiler/ir.js";
import type { Json } from "../contract/json.js";
import type { TypeDesc, TypeTable } from "../contract/types.js";
import { toAttr, unstorable } from "../runtime/codec.js";
import { checkKey } from "../runtime/daal.js";
import { BeldiFailure } from "../runtime/errors.js";
import { mismatch } from "../runtime/validate.js";

/** A `<service>.<table>` that names nothing in the app: the message lists what exists. */
export class UnknownTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownTableError";
  }
}

/** A value that is not of the table's record type: the message names the field and the type it needs. */
export class TableValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TableValueError";
  }
}

export interface TableRef {
  service: string;
  table: string;
  decl: IrTable;
}

/** Every `service.table` of the app, in declaration order. */
export function tablesOf(ir: IrProgram): string[] {
  return ir.services.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}`));
}

/** Resolves `service.table`; throws UnknownTableError listing the app's tables. */
export function resolveTable(ir: IrProgram, ref: string): TableRef {
  const all = tablesOf(ir);
  const listed = all.length ? `its tables: ${all.join(", ")}` : "it has no tables";
  const dot = ref.indexOf(".");
  if (dot <= 0 || dot === ref.length - 1)
    throw new UnknownTableError(`name a table as <service>.<table>, got ${JSON.stringify(ref)} (${listed})`);
  const [service, table] = [ref.slice(0, dot), ref.slice(dot + 1)];
  const s = ir.services.find((x) => x.name === service);
  if (!s)
    throw new UnknownTableError(
      `app ${ir.app} has no service ${service} (services: ${ir.services.map((x) => x.name).join(", ")}; ${listed})`,
    );
  const decl = s.tables.find((t) => t.name === table);
  if (!decl) throw new UnknownTableError(`service ${service} has no table ${table} (${listed})`);
  return { service, table, decl };
}

export function typeTable(ir: IrProgram): TypeTable {
  return Object.fromEntries(ir.types.map((t) => [t.name, t.type]));
}

/** A type as a program writes it (`{ text: string, visits: number }`), named types by name. */
export function showType(t: TypeDesc): string {
  switch (t.kind) {
    case "list":
    case "map":
      return `${t.kind}<${showType(t.elem)}>`;
    case "optional":
      return `${showType(t.inner)}?`;
    case "record":
      return `{ ${t.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${showType(f.type)}`).join(", ")} }`;
    case "named":
      return t.name;
    default:
      return t.kind;
  }
}

/** Checks `value` against the table's record type; returns it as the record to store, or throws TableValueError. */
export function checkRow(ir: IrProgram, ref: TableRef, key: string, value: unknown): Record<string, Json> {
  if (key === "") throw new TableValueError(`${ref.service}.${ref.table}: a key is a non-empty string`);
  const why = mismatch(value, ref.decl.valueType, typeTable(ir), `${ref.service}.${ref.table}[${JSON.stringify(key)}]`);
  if (why) {
    const named = ref.decl.valueType.kind === "named" ? typeTable(ir)[ref.decl.valueType.name] : undefined;
    const type = named ? `${showType(ref.decl.valueType)} = ${showType(named)}` : showType(ref.decl.valueType);
    throw new TableValueError(`${why} (the table's type: ${type})`);
  }
  const refused = unstorable(value);
  if (refused) throw new TableValueError(`${ref.service}.${ref.table}[${JSON.stringify(key)}] cannot be stored: ${refused}`);
  // what the runtime refuses to write (a key over 1024 bytes, a number out of the store's range)
  // is refused here too, with its code: a row no fn could read or write is no seed
  try {
    checkKey(`${ref.service}.${ref.table}`, key);
    toAttr(value);
  } catch (e) {
    if (!(e instanceof BeldiFailure)) throw e;
    throw new TableValueError(
      `${ref.service}.${ref.table}[${JSON.stringify(key.slice(0, 60))}${key.length > 60 ? "…" : ""}] cannot be stored (${e.code}): ${e.message}`,
    );
  }
  return value as Record<string, Json>;
}
