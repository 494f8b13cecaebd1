// JSON values <-> DynamoDB attribute values. Our own because @aws-sdk/util-dynamodb refuses
// doubles above 2^53, which the language's `number` allows.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { Json } from "../contract/json.js";
import { BeldiFailure } from "./errors.js";
import { hasLoneSurrogate, setOwn } from "./values.js";

// DynamoDB's number range: magnitude 1e-130 .. 9.99...e125, 38 significant digits.
const MAX_MAGNITUDE = 9.9999999999999999e125;
const MIN_MAGNITUDE = 1e-130;

/**
 * Nesting the runtime allows in a value: the store allows 32 levels per attribute, and a value
 * sits up to 3 levels down in the runtime's own items (a log batch's map of steps, a result).
 */
export const MAX_DEPTH = 24;
/** A written value's size (approxSize) leaves room in its row for log entries and a lock. */
export const MAX_VALUE_BYTES = 350_000;

/** Why the store cannot hold `v` as it is (too deep, an empty map key), or null. */
export function unstorable(v: unknown, depth = 0): string | null {
  if (v === null || typeof v !== "object") return null;
  if (depth >= MAX_DEPTH) return `it is nested more than ${MAX_DEPTH} levels deep`;
  if (Array.isArray(v)) {
    for (const x of v) {
      const why = unstorable(x, depth + 1);
      if (why) return why;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === "") return "it has a map key that is empty (the store refuses empty names)";
    const why = unstorable(x, depth + 1);
    if (why) return why;
  }
  return null;
}

/** Fails the fn (R0021 nesting or empty key, R0006 size) when `value` cannot be stored as `what`. */
export function assertStorable(value: unknown, what: string, maxBytes = MAX_VALUE_BYTES): void {
  const why = unstorable(value);
  if (why) throw BeldiFailure.of("unstorable", `${what} cannot be stored: ${why}`);
  const size = approxSize(value);
  if (size > maxBytes)
    throw BeldiFailure.of(
      "tooLarge",
      `${what} is about ${size} bytes, over the ${maxBytes} a value may take (the store's items hold 400 KB with the value's log entries)`,
    );
}

export function toAttr(v: unknown): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  switch (typeof v) {
    case "string":
      if (hasLoneSurrogate(v))
        throw BeldiFailure.of(
          "invalidText",
          `the text ${JSON.stringify(v.slice(0, 40))} holds a lone surrogate: it is not Unicode text and the store would change it`,
        );
      return { S: v };
    case "boolean":
      return { BOOL: v };
    case "number":
      return { N: numberText(v) };
    case "object": {
      if (Array.isArray(v)) return { L: v.map(toAttr) };
      const m: Record<string, AttributeValue> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === "") throw BeldiFailure.of("unstorable", "a map key is empty: the store refuses empty names");
        if (hasLoneSurrogate(k))
          throw BeldiFailure.of(
            "invalidText",
            `the map key ${JSON.stringify(k.slice(0, 40))} holds a lone surrogate: it is not Unicode text`,
          );
        if (x !== undefined) setOwn(m, k, toAttr(x));
      }
      return { M: m };
    }
    default:
      throw new TypeError(`cannot store a ${typeof v}`);
  }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw BeldiFailure.of("nonFinite", `the number ${n} is not finite`);
  const mag = Math.abs(n);
  if (mag > MAX_MAGNITUDE || (mag !== 0 && mag < MIN_MAGNITUDE)) {
    throw BeldiFailure.of("numberRange", `the number ${n} is outside the store's range`);
  }
  return String(n);
}

export function fromAttr(a: AttributeValue): Json {
  if (a.S !== undefined) return a.S;
  if (a.N !== undefined) return Number(a.N);
  if (a.BOOL !== undefined) return a.BOOL;
  if (a.NULL !== undefined) return null;
  if (a.L !== undefined) return a.L.map(fromAttr);
  if (a.M !== undefined) {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(a.M)) setOwn(o, k, fromAttr(x));
    return o;
  }
  if (a.SS !== undefined) return a.SS;
  if (a.NS !== undefined) return a.NS.map(Number);
  throw new TypeError("unsupported attribute type");
}

/** Approximate stored size of a value in bytes (DynamoDB counts names and values in UTF-8). */
export function approxSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === "boolean") return 1;
  if (typeof v === "number") return 21;
  if (typeof v === "string") return Buffer.byteLength(v) + 1;
  if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + approxSize(x), 0);
  let s = 3;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) s += Buffer.byteLength(k) + 1 + approxSize(x);
  return s;
}
