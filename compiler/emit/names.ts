// TypeScript names for the program's names. `$` never occurs in a .beldi identifier, so
// appending it (or using it as a prefix for our own names) can never collide with the user's.

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function " +
    "if import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await async arguments eval undefined NaN Infinity of type"
  ).split(" "),
);

/** Names the generated module itself defines or imports at top level. */
const TOP_LEVEL = new Set([
  "defineService",
  "handler",
  "createHandler",
  "Ctx",
  "Promise",
  "Record",
  "Error",
  "Math",
  "JSON",
  "Object",
  "Array",
  "String",
  "Number",
  "Boolean",
]);

/** A local, parameter or fn name. */
export function local(name: string): string {
  return RESERVED.has(name) || TOP_LEVEL.has(name) ? `${name}$` : name;
}

/** TypeScript's own type names, which a type alias may not take (`type object = ...` is an error). */
const TS_TYPES = new Set("any unknown never object symbol bigint boolean number string undefined void null".split(" "));

/** A declared type's name. */
export function typeName(name: string): string {
  return RESERVED.has(name) || TOP_LEVEL.has(name) || TS_TYPES.has(name) ? `${name}$` : name;
}

/**
 * Object.prototype's members: on a plain object `o.constructor` is there even when the record
 * has no such field, so an optional field or a parameter of such a name is read as an own one.
 * (`__proto__` itself is rejected by the checker: as a key of a literal it sets the prototype.)
 */
export const PROTO_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A property name in an object literal or type. */
export function prop(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}
