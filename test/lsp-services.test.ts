// Unit: the language services (compiler/services/) over the examples and small apps: hover,
// definition, references, completion, outline, rename and quick fixes, with a syntax error in
// the middle of a file, and no internal failure on mangled input (fast-check).
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { BUILTIN_NAMES } from "../compiler/check/builtins.js";
import { CHECK } from "../compiler/diagnostics.js";
import * as S from "../compiler/services/index.js";
import { SYNTAX } from "../grammar/index.js";
import type { Span } from "../grammar/span.js";

const example = (name: string) => readFileSync(new URL(`../examples/${name}/${name}.beldi`, import.meta.url), "utf8");
const HELLO = example("hello");
const TRAVEL = example("travel");

const project = (files: Record<string, string>, appDir = "/nowhere") =>
  S.analyzeProject(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { app: "t", appDir },
  );
/** The offset of the `k`-th character of the first `needle` (after `from`) in `text`. */
function at(text: string, needle: string, k = 0, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`no ${needle}`);
  return i + k;
}
const where = (spans: Span[]) => spans.map((s) => `${s.file}:${s.line}:${s.col}`);
const labels = (items: S.CompletionItem[]) => items.map((i) => i.label);

const hello = project({ "hello.beldi": HELLO });

test("hover: a table, a local narrowed by a null check, a stored field, a builtin", () => {
  const table = S.hover(hello, "hello.beldi", at(HELLO, "counts[name] set"))!;
  assert.match(table.markdown, "table counts: Counter");
  assert.match(table.markdown, "Counter = { n: number }");
  assert.match(table.markdown, "service `counter`");
  const c = S.hover(hello, "hello.beldi", at(HELLO, "return c.n", 7))!;
  assert.match(c.markdown, "let c: Counter\n");
  assert.match(c.markdown, "narrowed here from `Counter?`");
  const declared = S.hover(hello, "hello.beldi", at(HELLO, "let c =", 4))!;
  assert.match(declared.markdown, "let c: Counter?");
  assert.not.match(declared.markdown, "narrowed");
  const n = S.hover(hello, "hello.beldi", at(HELLO, "(n ?? 0)", 1))!;
  assert.match(n.markdown, "(field) n: number");
  assert.match(n.markdown, "table `counts`");
  const str = S.hover(hello, "hello.beldi", at(HELLO, "str(visits)"))!;
  assert.match(str.markdown, "str(x: string | number | bool | null) -> string");
});

test("hover: `call s.f` shows the callee's signature and whether it is read-only", () => {
  const bump = S.hover(hello, "hello.beldi", at(HELLO, "counter.bump", 9))!;
  assert.match(bump.markdown, "fn bump(name: string) -> number");
  assert.match(bump.markdown, "**not read-only**");
  const travel = project({ "travel.beldi": TRAVEL });
  const check = S.hover(travel, "travel.beldi", at(TRAVEL, "user.check(username", 5))!;
  assert.match(check.markdown, "fn check(username: string, password: string) -> bool");
  assert.match(check.markdown, "**read-only**");
  const nearest = S.hover(travel, "travel.beldi", at(TRAVEL, "nearest(c.hotels"))!;
  assert.match(
    nearest.markdown,
    'extern fn nearest(ps: list<Place>, lat: number, lon: number, k: number, maxKm: number) -> list<string> from "./geo.ts"',
  );
  const svc = S.hover(travel, "travel.beldi", at(TRAVEL, "call geo.nearby", 5))!;
  assert.match(svc.markdown, "service geo {\n  table cities: City\n  fn nearby(");
});

test("definition and references: tables, fields (stored and read), locals, fns across a call", () => {
  assert.equal(where(S.definition(hello, "hello.beldi", at(HELLO, "read counts", 5))), ["hello.beldi:8:9"]);
  assert.equal(where(S.references(hello, "hello.beldi", at(HELLO, "read counts", 5))).length, 4);
  // `n` is declared in type Counter; `set n = (n ?? 0)` names the stored field twice; `c.n` reads it twice
  assert.equal(where(S.definition(hello, "hello.beldi", at(HELLO, "c.n", 2))), ["hello.beldi:4:18"]);
  assert.equal(where(S.references(hello, "hello.beldi", at(HELLO, "c.n", 2))), [
    "hello.beldi:4:18",
    "hello.beldi:12:29",
    "hello.beldi:12:34",
    "hello.beldi:15:14",
    "hello.beldi:22:14",
  ]);
  assert.equal(where(S.references(hello, "hello.beldi", at(HELLO, "visits = call"), false)), ["hello.beldi:33:59", "hello.beldi:34:37"]);
  assert.equal(where(S.definition(hello, "hello.beldi", at(HELLO, "counter.bump", 10))), ["hello.beldi:11:6"]);
  assert.equal(where(S.definition(hello, "hello.beldi", at(HELLO, "counter.bump", 2))), ["hello.beldi:7:9"]);
  // a parameter: its declaration and both uses in bump
  assert.equal(where(S.references(hello, "hello.beldi", at(HELLO, "bump(name", 5))), [
    "hello.beldi:11:11",
    "hello.beldi:12:19",
    "hello.beldi:13:25",
    "hello.beldi:14:38",
  ]);
  assert.equal(S.definition(hello, "hello.beldi", at(HELLO, "str(visits)")), [], "a builtin has no declaration");
});

test("definition across files: a type and a fn declared in another file of the app", () => {
  const app = project({
    "a.beldi": "type Item = { name: string, qty: number? }\n",
    "b.beldi":
      "service shop {\n  table items: Item\n  fn add(id: string, n: number) -> number {\n    update items[id] set qty = (qty ?? 0) + n\n    let it = read items[id]\n    return it?.qty ?? 0\n  }\n}\n",
  });
  const b = app.texts.get("b.beldi")!;
  assert.equal(where(S.definition(app, "b.beldi", at(b, "Item"))), ["a.beldi:1:6"]);
  assert.equal(where(S.definition(app, "b.beldi", at(b, "set qty", 4))), ["a.beldi:1:29"]);
  assert.equal(where(S.references(app, "a.beldi", 6)), ["a.beldi:1:6", "b.beldi:2:16"]);
});

test("completion: service.fn after call, tables after read, fields after `.`, types, stored fields, keywords", () => {
  const afterCall = HELLO.replace("let visits = call counter.bump(name)", "let visits = call cou");
  const p1 = project({ "hello.beldi": afterCall });
  const items = S.completions(p1, "hello.beldi", at(afterCall, "call cou", 8));
  assert.equal(labels(items), ["counter.bump", "counter.get", "greeter.greet"]);
  assert.equal(items[0]!.detail, "fn bump(name: string) -> number");
  assert.equal([items[0]!.replace.offset, items[0]!.replace.endOffset], [at(afterCall, "call cou", 5), at(afterCall, "call cou", 8)]);
  const svcDot = afterCall.replace("call cou", "call counter.");
  assert.equal(labels(S.completions(project({ "h.beldi": svcDot }), "h.beldi", at(svcDot, "counter.", 8))), ["bump", "get"]);

  const afterRead = HELLO.replace("let c = read counts[name]\n    if c == null { fail", "let c = read \n    if c == null { fail");
  assert.equal(labels(S.completions(project({ "h.beldi": afterRead }), "h.beldi", at(afterRead, "read \n", 5))), ["counts"]);

  const afterDot = HELLO.replace("return c.n", "return c.");
  const fields = S.completions(project({ "h.beldi": afterDot }), "h.beldi", at(afterDot, "return c.", 9));
  assert.equal(labels(fields), ["n"]);
  assert.equal(fields[0]!.detail, "n: number");
  const travel = project({ "travel.beldi": TRAVEL });
  assert.equal(labels(S.completions(travel, "travel.beldi", at(TRAVEL, "c.hotels", 2))), ["hotels"]);
  const deep = TRAVEL.replace("score = h.stars", "score = h.");
  assert.equal(labels(S.completions(project({ "t.beldi": deep }), "t.beldi", at(deep, "score = h.", 10))), [
    "id",
    "lat",
    "lon",
    "stars",
    "price",
  ]);

  const typed = HELLO.replace("fn get(name: string)", "fn get(name: Cou)");
  const types = labels(S.completions(project({ "h.beldi": typed }), "h.beldi", at(typed, "name: Cou", 9)));
  assert.ok(types.includes("Counter") && types.includes("Greeting") && types.includes("string"), types.join(" "));
  assert.not.ok(types.includes("let"));

  const setAt = at(HELLO, "set n = (n", 8);
  const inSet = labels(S.completions(hello, "hello.beldi", setAt));
  assert.equal(inSet[0], "n", "the stored field first");
  assert.ok(inSet.includes("name") && inSet.includes("len") && inSet.includes("if"));

  const body = labels(S.completions(hello, "hello.beldi", at(HELLO, "write greetings")));
  for (const x of ["text", "visits", "name", "greet", "now", "let", "call", "spawn"])
    assert.ok(body.includes(x), `${x} in ${body.join(" ")}`);
  assert.not.ok(body.includes("c"), "a local of another fn is not in scope");
  assert.not.ok(body.includes("bump"), "another service's fn is not an inline call");
  const top = at(HELLO, "\n\nservice greeter", 1);
  assert.equal(labels(S.completions(hello, "hello.beldi", top)), ["type", "extern", "service"]);
  assert.equal(labels(S.completions(hello, "hello.beldi", at(HELLO, "fn greet"))), ["table", "fn"]);
  assert.equal(S.completions(hello, "hello.beldi", at(HELLO, "// Adds one", 6)), [], "nothing in a comment");
});

test("§9: hover and completion know `?.`, `as s` and `else (r)`", () => {
  const src = `type Stock = { qty: number, name?: string }
type Order = { total: number, note?: string }
service shop {
  table stock: Stock
  table orders: Order
  fn reserve(sku: string, qty: number) -> string {
    txn {
      let ok = update stock[sku] as s set qty = s.qty - qty where s.qty >= qty
      if !ok { abort "out of stock" }
    } else (r) {
      return r
    }
    return "ok"
  }
  fn total(k: string) -> number {
    let o = read orders[k]
    return o?.total ?? 0
  }
}
`;
  const p = project({ "v2.beldi": src });
  assert.equal(p.analysis.diagnostics, []);
  // hover
  const r = S.hover(p, "v2.beldi", at(src, "return r", 7))!;
  assert.match(r.markdown, "(abort reason) r: string");
  assert.match(r.markdown, '"conflict"');
  const rDecl = S.hover(p, "v2.beldi", at(src, "else (r)", 6))!;
  assert.match(rDecl.markdown, "(abort reason) r: string");
  const s = S.hover(p, "v2.beldi", at(src, "as s set", 3))!;
  assert.match(s.markdown, "(stored value) s: Stock");
  const sUse = S.hover(p, "v2.beldi", at(src, "s.qty >="))!;
  assert.match(sUse.markdown, "(stored value) s: Stock");
  const stored = S.hover(p, "v2.beldi", at(src, "s.qty >=", 2))!;
  assert.match(stored.markdown, "(field) qty: number");
  assert.match(stored.markdown, "table `stock`");
  const param = S.hover(p, "v2.beldi", at(src, "qty >= qty", 7))!;
  assert.match(param.markdown, "(parameter) qty: number");
  const total = S.hover(p, "v2.beldi", at(src, "o?.total", 3))!;
  assert.match(total.markdown, "(field) total: number");
  // definition and references of the alias and the reason
  assert.equal(where(S.references(p, "v2.beldi", at(src, "s.qty -"), true)), ["v2.beldi:8:37", "v2.beldi:8:49", "v2.beldi:8:67"]);
  assert.equal(where(S.references(p, "v2.beldi", at(src, "return r", 7), true)), ["v2.beldi:10:13", "v2.beldi:11:14"]);
  // completion: fields after `?.` and after the alias's `.`, `as` after an update's key, `r` in else
  const afterQ = src.replace("return o?.total ?? 0", "return o?.");
  const q = S.completions(project({ "v2.beldi": afterQ }), "v2.beldi", at(afterQ, "return o?.", 10));
  assert.equal(labels(q), ["total", "note"]);
  const afterAlias = src.replace("where s.qty >= qty", "where s.");
  const a = S.completions(project({ "v2.beldi": afterAlias }), "v2.beldi", at(afterAlias, "where s.", 8));
  assert.equal(labels(a), ["qty", "name"]);
  assert.match(a[0]!.documentation!, "stored field of table `stock`");
  const afterKey = src.replace("update stock[sku] as s set", "update stock[sku] ");
  assert.equal(labels(S.completions(project({ "v2.beldi": afterKey }), "v2.beldi", at(afterKey, "[sku] ", 6))), ["as", "set"]);
  const inSet = S.completions(p, "v2.beldi", at(src, "s.qty - qty", 0));
  assert.equal(labels(inSet).slice(0, 3), ["s", "qty", "name"], "the stored value's name, then the fields");
  const inElse = S.completions(p, "v2.beldi", at(src, "return r", 0)).filter((i) => i.kind === "local");
  assert.equal(labels(inElse).sort(), ["qty", "r", "sku"]);
  assert.is(inElse.find((i) => i.label === "r")!.detail, "(abort reason) r: string");
  const inBody = S.completions(p, "v2.beldi", at(src, "if !ok", 0)).filter((i) => i.kind === "local");
  assert.not.ok(labels(inBody).includes("r"), "r is the else block's");
});

test("completion: locals in scope follow the block structure", () => {
  const src =
    "service s {\n  fn f(xs: list<number>) -> number {\n    var total = 0\n    for x in xs {\n      let double = x * 2\n      total = total + double\n    }\n    parallel {\n      let a = 1\n      let b = 2\n    }\n    return total + a + b\n  }\n}\n";
  const p = project({ "s.beldi": src });
  const inLoop = S.completions(p, "s.beldi", at(src, "total = total + double", 0)).filter((i) => i.kind === "local");
  assert.equal(labels(inLoop).sort(), ["double", "total", "x", "xs"]);
  assert.equal(inLoop.find((i) => i.label === "x")!.detail, "for x: number");
  const after = labels(S.completions(p, "s.beldi", at(src, "return total", 7)).filter((i) => i.kind === "local")).sort();
  assert.equal(after, ["a", "b", "total", "xs"]);
});

test("outline: types, externs, services with their tables and fns", () => {
  const travel = project({ "travel.beldi": TRAVEL });
  const o = S.outline(travel, "travel.beldi");
  assert.equal(o.filter((s) => s.kind === "type").length, 13);
  assert.equal(
    o.filter((s) => s.kind === "extern").map((s) => s.name),
    ["nearest", "distanceKm"],
  );
  const frontend = o.find((s) => s.name === "frontend")!;
  assert.equal(
    frontend.children.map((c) => c.name),
    ["search", "recommend", "login", "reserve"],
  );
  assert.equal(frontend.children[2]!.detail, "(username: string, password: string) -> bool");
  assert.equal(
    o.find((s) => s.name === "hotel")!.children.map((c) => `${c.kind} ${c.name}`),
    ["table hotels", "fn reserve"],
  );
});

test("rename: a local (a record shorthand keeps its field), a fn across files; refusals", () => {
  const r = S.rename(hello, "hello.beldi", at(HELLO, "visits = call"), "count");
  assert.equal(r.kind, "edits");
  const renamed = S.applyEdits(hello.files, r.kind === "edits" ? r.edits : [])[0]!.text;
  assert.match(renamed, "let count = call counter.bump(name)");
  assert.match(renamed, 'str(count) + "."');
  assert.match(renamed, "write greetings[name] = { text, visits: count }");
  assert.equal(project({ "hello.beldi": renamed }).analysis.diagnostics, []);

  const app = project({
    "a.beldi":
      "service a {\n  fn twice(n: number) -> number { return n * 2 }\n  fn four(n: number) -> number { return twice(twice(n)) }\n}\n",
    "b.beldi": "service b {\n  fn go() -> number { return call a.twice(3) }\n}\n",
  });
  const fn = S.rename(app, "b.beldi", at(app.texts.get("b.beldi")!, "twice"), "double");
  assert.equal(fn.kind === "edits" ? where(fn.edits.map((e) => e.span)).sort() : fn, [
    "a.beldi:2:6",
    "a.beldi:3:41",
    "a.beldi:3:47",
    "b.beldi:2:37",
  ]);

  const refused = (x: S.RenameAnswer) => (x.kind === "refused" ? x.reason : "renamed");
  assert.match(
    refused(S.rename(hello, "hello.beldi", at(HELLO, "visits = call"), "text")),
    "would break the program: `text` is already declared",
  );
  assert.match(refused(S.rename(hello, "hello.beldi", at(HELLO, "visits = call"), "txn")), "reserved word");
  assert.match(refused(S.rename(hello, "hello.beldi", at(HELLO, "visits = call"), "2x")), "is not a name");
  assert.match(refused(S.rename(hello, "hello.beldi", at(HELLO, "read counts", 5), "tallies")), "table is part of the deployed app");
  assert.equal(S.prepareRename(hello, "hello.beldi", at(HELLO, "fn bump", 4)).kind, "name");
  assert.equal(S.prepareRename(hello, "hello.beldi", at(HELLO, "str(")).kind, "refused");
});

test("quick fixes: did you mean (a table, a fn of a service, a field), `=` for `==`, `let` assigned", () => {
  const fixOf = (src: string, code: string) => {
    const p = project({ "h.beldi": src });
    const d = p.analysis.diagnostics.find((x) => x.code === code);
    assert.ok(d, `${code} in ${JSON.stringify(p.analysis.diagnostics)}`);
    const fixes = S.quickFixes(p, d!);
    assert.equal(fixes.length, 1);
    return { title: fixes[0]!.title, text: S.applyEdits(p.files, fixes[0]!.edits)[0]!.text };
  };
  const table = fixOf(HELLO.replace("read counts[name]", "read coutns[name]"), CHECK.unknownTable.code);
  assert.equal(table, { title: "Change `coutns` to `counts`", text: HELLO });
  const fn = fixOf(HELLO.replace("counter.bump(name)", "counter.bmup(name)"), CHECK.unknownServiceFn.code);
  assert.equal(fn.text, HELLO);
  const field = fixOf(HELLO.replace("return c.n", "return c.m"), CHECK.noSuchField.code);
  assert.equal(field.text, HELLO);
  const eq = fixOf(HELLO.replace("if c == null { fail", "if c = null { fail"), SYNTAX.E0001.code);
  assert.equal(eq.text, HELLO);
  const v = "service s {\n  fn f() -> number {\n    let n = 1\n    n = 2\n    return n\n  }\n}\n";
  assert.equal(fixOf(v, CHECK.assignImmutable.code).text, v.replace("let n", "var n"));
});

test("a syntax error in the middle of a file: diagnostics, and every service still works around it", () => {
  const broken = TRAVEL.replace("var out: list<Offer> = []", "var out: list<Offer> = = []");
  const p = project({ "travel.beldi": broken });
  const ds = p.analysis.diagnostics;
  assert.ok(ds.length >= 1 && ds.every((d) => d.code < "E0100"), JSON.stringify(ds));
  assert.equal(ds[0]!.span.line, 46);
  // before and after the error
  assert.match(S.hover(p, "travel.beldi", at(broken, "read cities", 5))!.markdown, "table cities: City");
  assert.match(S.hover(p, "travel.beldi", at(broken, "call hotel.reserve", 11))!.markdown, "fn reserve(id: string) -> bool");
  assert.equal(where(S.definition(p, "travel.beldi", at(broken, "list<Card>", 5))), ["travel.beldi:19:6"]);
  assert.ok(S.references(p, "travel.beldi", at(broken, "type Offer", 5)).length >= 3);
  assert.equal(labels(S.completions(p, "travel.beldi", at(broken, "c.hotels", 2))), ["hotels"]);
  assert.ok(S.outline(p, "travel.beldi").some((s) => s.name === "frontend"));
  // in the broken fn itself
  assert.match(S.hover(p, "travel.beldi", at(broken, "for id in ids", 10))!.markdown, "(parameter) ids: list<string>");
});

test("CRLF line ends: the same lines and columns as LF", () => {
  const crlf = HELLO.replace(/\n/g, "\r\n");
  const p = project({ "hello.beldi": crlf });
  assert.equal(p.analysis.diagnostics, []);
  const h = S.hover(p, "hello.beldi", at(crlf, "counter.bump", 9))!;
  const lf = S.hover(hello, "hello.beldi", at(HELLO, "counter.bump", 9))!;
  assert.equal([h.span.line, h.span.col, h.span.endCol], [lf.span.line, lf.span.col, lf.span.endCol]);
  assert.equal(where(S.references(p, "hello.beldi", at(crlf, "visits = call"))), [
    "hello.beldi:32:9",
    "hello.beldi:33:59",
    "hello.beldi:34:37",
  ]);
});

test("rename: a type, in every place it is written", () => {
  const r = S.rename(hello, "hello.beldi", at(HELLO, "Counter = {"), "Tally");
  assert.equal(r.kind === "edits" ? where(r.edits.map((e) => e.span)) : r, ["hello.beldi:4:6", "hello.beldi:8:17"]);
  const refused = S.rename(hello, "hello.beldi", at(HELLO, "Counter = {"), "Greeting");
  assert.equal(refused.kind, "refused");
});

test("signature help: a fn of the service, `call s.f`, an extern, a builtin; the parameter at the position", () => {
  const sig = (text: string, needle: string, k: number) => S.signatureHelp(project({ "f.beldi": text }), "f.beldi", at(text, needle, k));
  const half = HELLO.replace("call counter.bump(name)", "call counter.bump(");
  assert.equal(sig(half, "bump(", 5), {
    label: "fn bump(name: string) -> number",
    parameters: ["name: string"],
    active: 0,
    documentation: undefined,
  });
  const travel = sig(TRAVEL, "distanceKm(lat, lon, h.lat", 21)!;
  assert.match(travel.label, "extern fn distanceKm(");
  assert.equal(travel.parameters, ["lat1: number", "lon1: number", "lat2: number", "lon2: number"]);
  assert.equal(travel.active, 2);
  const builtin = sig(HELLO, 'str(visits) + "."', 5)!;
  assert.equal([builtin.label, builtin.active], ["str(x: string | number | bool | null) -> string", 0]);
  const rec =
    'type P = { a: number, b: string }\nservice s {\n  fn f(p: P, q: { x: number, y: number }) -> number { return 1 }\n  fn g() -> number { return f({ a: 1, b: "(," }, \n  }\n}\n';
  const inRecord = sig(rec, "return f(", 9 + 15)!;
  assert.equal(inRecord.parameters, ["p: P", "q: { x: number, y: number }"]);
  assert.equal(inRecord.active, 0, "commas inside a record literal and a string do not count");
  assert.equal(sig(rec, '"(," }, \n', 7)!.active, 1);
  assert.equal(sig(HELLO, "let c = read", 4), null, "not in a call");
});

test("builtins: every builtin the checker knows has a signature", () => {
  assert.equal(Object.keys(S.BUILTINS).sort(), [...BUILTIN_NAMES].sort());
});

test("never fails: every service at every kind of position of mangled examples (fast-check)", () => {
  S.takeServiceFailures();
  const sources = [HELLO, TRAVEL, example("movie")];
  fc.assert(
    fc.property(
      fc.nat({ max: sources.length - 1 }),
      fc.nat(),
      fc.nat({ max: 40 }),
      fc.string({
        maxLength: 6,
        unit: fc.constantFrom("{", "}", "(", ")", ".", "=", "\n", "let ", "x", '"', "?", "[", "call ", "update "),
      }),
      fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      (which, cut, len, insert, positions) => {
        const src = sources[which]!;
        const from = cut % (src.length + 1);
        const text = src.slice(0, from) + insert + src.slice(from + len);
        const p = project({ "f.beldi": text });
        for (const q of positions) {
          const o = q % (text.length + 1);
          S.hover(p, "f.beldi", o);
          S.definition(p, "f.beldi", o);
          S.references(p, "f.beldi", o);
          S.completions(p, "f.beldi", o);
          S.prepareRename(p, "f.beldi", o);
        }
        S.rename(p, "f.beldi", positions[0]! % (text.length + 1), "renamed");
        S.outline(p, "f.beldi");
        for (const d of p.analysis.diagnostics) S.quickFixes(p, d);
        const failures = S.takeServiceFailures();
        assert.equal(failures.map(String), []);
      },
    ),
    { numRuns: 40, seed: 15 },
  );
});

test.run();
