// Source text and data copied into generated code. Nothing taken from a program (its lines,
// file names, the app's name, string values) may end a comment or a literal early: JavaScript
// ends a line at \r, \n, U+2028 and U+2029, so those (and every other control or invisible
// formatting character, for whoever reads the code) are written as escapes.

import { PROTO_NAMES } from "./names.js";

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");

/** Text for a `//` comment: one line whatever it holds, control characters shown as `\u{...}`. */
export function commentText(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u{${hex(c)}}`);
}

/** A JavaScript literal of JSON data (strings, numbers, arrays, objects) on one line. */
export function js(value: unknown): string {
  // JSON.stringify escapes the C0 controls already; these are legal raw in JSON and in
  // ES2019 string literals, but not in a reader's editor
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${hex(c)}`);
}

/**
 * A JSON value laid out as the TypeScript formatter lays out an object literal on one line
 * (`{ "kind": "list", "elem": { "kind": "number" } }`), so data needs no formatting pass.
 */
export function jsInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsInline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${jsInline(v)}`).join(", ")} }` : "{}";
  }
  return js(value);
}

/**
 * A key of a data object. One named like an Object.prototype member is computed and typed
 * `string`: TypeScript would take its type from that member (`constructor: Function`) instead of
 * the record's index signature, and lose the literal types of the value.
 */
export function key(k: string): string {
  return PROTO_NAMES.has(k) ? `[${js(k)} as string]` : js(k);
}
