// What a write or update would store, checked against the table's declared type before any
// request: the checker lets `any` values (unchecked JSON) and extern fns' results pass as any
// type, and a wrong value stored would fail every later reader (R0026, nothing written).
import type { UpdateSpec } from "../contract/update-spec.js";
import { resolveType, type FieldDesc, type TypeDesc, type TypeTable } from "../contract/types.js";
import { BeldiFailure } from "./errors.js";
import { mismatch } from "./validate.js";

/** A table's value type, resolved once: its fields by name. */
export class TableType {
  private readonly fields = new Map<string, FieldDesc>();

  constructor(
    readonly type: TypeDesc,
    private readonly types: TypeTable,
  ) {
    const r = resolveType(type, types);
    if (r.kind === "record") for (const f of r.fields) this.fields.set(f.name, f);
  }

  /** The fields declared `f?: T`, which a row may lack (recordOf reads any other absent field as null). */
  mayBeAbsent(): string[] {
    return [...this.fields.values()].filter((f) => f.optional).map((f) => f.name);
  }

  /** `write t[key] = value`: the whole value has the table's type. */
  checkWrite(label: string, key: string, value: unknown): void {
    const why = mismatch(value, this.type, this.types, `${label}[${JSON.stringify(key)}]`);
    if (why) throw wrongType(why);
  }

  /** `update t[key] set ...`: each value set, or appended, has its field's type. */
  checkUpdate(label: string, key: string, spec: UpdateSpec): void {
    for (const s of spec.sets) {
      const f = this.fields.get(s.field);
      if (!f) continue; // the checker admits only declared fields; a build without types checks nothing
      const path = `${label}[${JSON.stringify(key)}].${s.field}`;
      if (s.op === "assign" || s.op === "coalesce") {
        // null removes a `f?: T` field (contract/update-spec.ts)
        if ((s.value === null || s.value === undefined) && f.optional) continue;
        const why = mismatch(s.value, f.type, this.types, path);
        if (why) throw wrongType(why);
      } else if (s.op === "append") {
        const list = resolveType(f.type, this.types);
        const elem = list.kind === "list" ? list.elem : list.kind === "optional" ? listElem(list.inner, this.types) : undefined;
        if (!elem) continue;
        for (const [i, item] of [...(s.start ?? []), ...s.items].entries()) {
          const why = mismatch(item, elem, this.types, `${path} (item ${i})`);
          if (why) throw wrongType(why);
        }
      }
    }
  }
}

function listElem(t: TypeDesc, types: TypeTable): TypeDesc | undefined {
  const r = resolveType(t, types);
  return r.kind === "list" ? r.elem : undefined;
}

function wrongType(why: string): BeldiFailure {
  return BeldiFailure.of(
    "wrongType",
    `${why}: a value of another type than the table declares (through \`any\` or an extern fn); nothing was written`,
  );
}
