// The export scanner (compiler/export-scan.ts) that lets `check` find an extern's module exports
// without loading TypeScript: each form it follows, what it refuses to guess, and agreement with
// TypeScript's parser on every module of this repository it answers for.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { scanExports } from "../compiler/export-scan.js";
import { exportedNames, exportedNamesByTypeScript } from "../compiler/externs.js";

const scan = (text: string, file = "m.ts") => {
  const r = scanExports(file, text);
  return r.kind === "names" ? [...r.names].sort() : r.kind;
};

test("declarations: functions, classes, enums, variables", () => {
  assert.equal(
    scan(`export function a() {}
export async function b() {}
export function* c() {}
export class D {}
export abstract class E {}
export enum F { x }
export const enum G { y }
export const h = 1;
export let i
export var j = (x: number, y: number) => x + y`),
    ["D", "E", "F", "G", "a", "b", "c", "h", "i", "j"],
  );
});

test("export clauses, renames, re-exports; types and defaults are no named value", () => {
  assert.equal(scan(`const a = 1, b = 2; export { a, b as c, type T, type U as V }`), ["a", "c"]);
  assert.equal(scan(`export { x, y as z } from "./other.js"; export * as ns from "./n.js"`), ["ns", "x", "z"]);
  assert.equal(
    scan(`export type T = { a: number, b: string }
export interface I { f(a: number, b: number): void }
export type { Q } from "./q.js"
export default function named() {}
export namespace N { export const inner = 1 }`),
    [],
  );
  assert.is(scan(`export * from "./all.js"`), "reexportsAll");
});

test("destructuring and typed declarations", () => {
  assert.equal(scan(`export const { handler, createHandler: make, rest = 2, ...others } = defineService({ a: 1, b: 2 });`), [
    "handler",
    "make",
    "others",
    "rest",
  ]);
  assert.equal(scan(`export const [first, , third] = [1, 2, 3]`), ["first", "third"]);
  assert.equal(scan(`export const m: Map<string, Record<string, number>> = new Map()`), ["m"]);
  assert.equal(scan(`export const f: (a: number, b: number) => number = (a, b) => a + b`), ["f"]);
});

test("what hides an `export` is skipped: strings, templates, comments, regular expressions, nesting, properties", () => {
  assert.equal(
    scan(`// export function no1() {}
/* export const no2 = 1 */
const s = "export const no3 = 1", t = \`export \${ { a: "export const no4" }.a } \${\`nested \${1}\`}\`;
const r = /export const no5 = "/g;
const half = (a + b) / 2 / 3, q = x[0] / 2;
if (ok) /export const no6/.test(s);
namespace Inner { export const no7 = 1 }
obj.export; obj?.export;
export function yes() { return /}/ }`),
    ["yes"],
  );
});

test("it says when it is unsure instead of guessing", () => {
  for (const text of [
    "export const a = 1, b = 2",
    "export const { a: { b } } = o",
    "export declare function d(): void",
    "const \\u0061 = 1; export { a }",
    'export { "a-b" as c }',
    "export const s = 'unterminated",
    "export const x = (1",
  ])
    assert.is(scan(text), "unsure", text);
  assert.is(scan("export const a = <div>'</div>", "m.tsx"), "unsure");
});

test("exportedNames answers what the scanner cannot, through TypeScript", () => {
  assert.equal([...exportedNames("m.ts", "export const a = 1, b = 2")!].sort(), ["a", "b"]);
  assert.equal([...exportedNames("m.ts", "export const { a: { b }, c } = o")!].sort(), ["b", "c"]);
  assert.is(exportedNames("m.ts", 'export * from "./x.js"'), null);
  assert.equal([...exportedNamesByTypeScript("m.ts", "export default function f() {}; export function g() {}")!], ["g"]);
});

// every module of the repository's own code: where the scanner answers, TypeScript agrees
test("agrees with TypeScript on the repository's modules", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && e.name !== "node_modules" && e.name !== "dist") walk(p);
      } else if (/\.(m?[jt]s)$/.test(e.name) && !e.name.endsWith(".d.ts")) files.push(p);
    }
  };
  for (const dir of ["contract", "grammar", "compiler", "runtime", "local", "examples", "bench", "test"]) walk(dir);
  let answered = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const s = scanExports(f, text);
    if (s.kind === "unsure") continue;
    answered++;
    const ts = exportedNamesByTypeScript(f, text);
    assert.equal(s.kind === "names" ? [...s.names].sort() : null, ts && [...ts].sort(), f);
  }
  assert.ok(answered > 0.95 * files.length, `answered ${answered} of ${files.length}`);
});

test.run();
