// The language's value semantics, used by generated code: structural equality, finite
// arithmetic, null-yielding indexing and the builtins of LANGUAGE.md §4.
import { BeldiFailure, ExternThrew } from "./errors.js";

/**
 * `o[k] = v` as an own data property, whatever `k` is: a plain assignment of `__proto__`
 * would set the object's prototype instead of a key (user names and map keys may be anything).
 */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Whether `s` holds a lone surrogate: not Unicode text, so the store would change it (U+FFFD). */
export const hasLoneSurrogate = (s: string): boolean => /\p{Cs}/u.test(s);

/** Fails the fn (R0004) when an arithmetic result is not finite. */
export function num(n: number): number {
  if (!Number.isFinite(n)) throw BeldiFailure.of("nonFinite", `arithmetic produced ${n}, which is not a finite number`);
  return n;
}

/** Structural equality (`==`); an absent optional field equals null. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => eq(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!eq(ao[k], bo[k])) return false;
  return true;
}

/** `xs[i]`: the element, or null when `i` is not an index of `xs`. */
export function at<T>(xs: readonly T[], i: number): T | null {
  return Number.isInteger(i) && i >= 0 && i < xs.length ? (xs[i] as T) : null;
}

/** `m[k]`: the entry, or null. */
export function get<T>(m: Readonly<Record<string, T>>, k: string): T | null {
  return Object.hasOwn(m, k) ? (m[k] as T) : null;
}

/** A map's entries in ascending key order (`for k, v in m`). */
export function entries<T>(m: Readonly<Record<string, T>>): [string, T][] {
  return Object.keys(m)
    .sort()
    .map((k) => [k, m[k] as T]);
}

// ---- builtins ----------------------------------------------------------------------------

export function len(x: string | readonly unknown[] | Readonly<Record<string, unknown>>): number {
  if (typeof x === "string") return [...x].length;
  if (Array.isArray(x)) return x.length;
  return Object.keys(x).length;
}

export function keys(m: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(m).sort();
}

export function values<T>(m: Readonly<Record<string, T>>): T[] {
  return entries(m).map(([, v]) => v);
}

export function contains(xs: string | readonly unknown[], x: unknown): boolean {
  if (typeof xs === "string") return xs.includes(x as string);
  return xs.some((y) => eq(y, x));
}

export const min = (a: number, b: number): number => Math.min(a, b);
export const max = (a: number, b: number): number => Math.max(a, b);
export const abs = (a: number): number => Math.abs(a);
export const floor = (a: number): number => Math.floor(a);
export const ceil = (a: number): number => Math.ceil(a);
export const round = (a: number): number => Math.round(a);

export function str(x: unknown): string {
  if (typeof x === "string") return x;
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  return json(x);
}

const NUMBER_TEXT = /^\s*-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** `num(s)`: the number a string spells, null when it is not one; overflow fails the fn. */
export function parseNum(s: string): number | null {
  if (!NUMBER_TEXT.test(s)) return null;
  return num(Number(s));
}

export function slice<T extends string | readonly unknown[]>(xs: T, from: number, to: number): T {
  if (typeof xs === "string") return [...xs].slice(from, to).join("") as T;
  return (xs as readonly unknown[]).slice(from, to) as unknown as T;
}

export function range(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i);
  return out;
}

export function sort<T extends number | string>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Canonical JSON: object keys sorted, no whitespace, absent fields left out. */
export function json(x: unknown): string {
  return JSON.stringify(canonical(x));
}

export function canonical(x: unknown): unknown {
  if (x === undefined) return null;
  if (x === null || typeof x !== "object") return x;
  if (Array.isArray(x)) return x.map(canonical);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x).sort()) {
    const v = (x as Record<string, unknown>)[k];
    if (v !== undefined) setOwn(out, k, canonical(v));
  }
  return out;
}

/** An extern fn as generated code calls it: what it throws fails the fn (R0027, errors.ts codeFailure). */
export function extern<A extends unknown[], R>(name: string, f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      throw new ExternThrew(name, e);
    }
  };
}
