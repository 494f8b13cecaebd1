// Value types as plain JSON data. The compiler puts them in the IR and in generated code;
// the runtime uses them to validate invocation payloads. (runtime/ never imports compiler/.)

export type TypeDesc =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bool" }
  | { kind: "null" }
  /** unchecked JSON */
  | { kind: "any" }
  | { kind: "list"; elem: TypeDesc }
  /** string keys */
  | { kind: "map"; elem: TypeDesc }
  | { kind: "record"; fields: FieldDesc[] }
  /** `T?`: T or null */
  | { kind: "optional"; inner: TypeDesc }
  /** a declared type, resolved through the program's type table */
  | { kind: "named"; name: string };

export interface FieldDesc {
  name: string;
  type: TypeDesc;
  /** declared `f?: T`: may be absent */
  optional: boolean;
}

/** The declared types of a program, by name. */
export type TypeTable = Record<string, TypeDesc>;

/** Follows `named` references until a structural type. */
export function resolveType(t: TypeDesc, types: TypeTable): TypeDesc {
  let seen = 0;
  while (t.kind === "named") {
    const next = types[t.name];
    if (!next || ++seen > 64) throw new Error(`unknown type ${t.name}`);
    t = next;
  }
  return t;
}
