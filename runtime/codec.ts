// JSON values <-> DynamoDB attribute values. Our own because @aws-sdk/util-dynamodb refuses
// doubles above 2^53, which the language's `number` allows.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { BeldiFailure } from "./errors.js";
import { hasLoneSurrogate, setOwn } from "./values.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// DynamoDB's number range: magnitude 1e-130 .. 9.99...e125, 38 significant digits.
const MAX_MAGNITUDE = 9.9999999999999999e125;
const MIN_MAGNITUDE = 1e-130;

export function toAttr(v: unknown): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  switch (typeof v) {
    case "string":
      if (hasLoneSurrogate(v)) throw BeldiFailure.of("invalidText", `the text ${JSON.stringify(v.slice(0, 40))} holds a lone surrogate: it is not Unicode text and the store would change it`);
      return { S: v };
    case "boolean":
      return { BOOL: v };
    case "number":
      return { N: numberText(v) };
    case "object": {
      if (Array.isArray(v)) return { L: v.map(toAttr) };
      const m: Record<string, AttributeValue> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (hasLoneSurrogate(k)) throw BeldiFailure.of("invalidText", `the map key ${JSON.stringify(k.slice(0, 40))} holds a lone surrogate: it is not Unicode text`);
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
