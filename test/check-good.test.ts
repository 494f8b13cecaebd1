// Good programs: the travel example of LANGUAGE.md §1 and a program using every construct
// check clean, and their IR has the expected shape.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "../grammar/index.js";
import type { Expr, SourceFileAst } from "../grammar/ast.js";
import { checkProgram } from "../compiler/check/index.js";
import { CHECK } from "../compiler/diagnostics.js";
import type { IrExpr, IrFn, IrProgram, IrSetValue, IrStmt } from "../compiler/ir.js";
import { TRAVEL } from "./travel-spec.js";

const OPTS = { app: "t", appDir: "/app", codeVersion: "v1" };

function parseAll(files: Record<string, string>): SourceFileAst[] {
  return Object.entries(files).map(([path, text]) => {
    const p = parse({ path, text });
    assert.equal(p.diagnostics, [], `${path} must parse cleanly`);
    return p.file;
  });
}

function checkClean(files: Record<string, string>): IrProgram {
  const r = checkProgram(parseAll(files), OPTS);
  assert.equal(
    r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col} ${d.message}`),
    [],
  );
  assert.ok(r.ir);
  return r.ir!;
}

function fn(ir: IrProgram, key: string): IrFn {
  const [s, f] = key.split(".");
  const out = ir.services.find((x) => x.name === s)?.fns.find((x) => x.name === f);
  assert.ok(out, `no fn ${key}`);
  return out!;
}

/** Every IR expression and statement under a fn body, depth first. */
function nodes(stmts: IrStmt[]): (IrStmt | IrExpr)[] {
  const out: (IrStmt | IrExpr)[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      x.forEach(visit);
      return;
    }
    if (x && typeof x === "object") {
      if ("kind" in x && "span" in x) out.push(x as IrStmt | IrExpr);
      for (const [k, v] of Object.entries(x)) if (k !== "span" && k !== "type" && k !== "elemType") visit(v);
    }
  };
  visit(stmts);
  return out;
}

test("travel: checks clean, IR shape", () => {
  const ir = checkClean({ "travel.beldi": TRAVEL });
  assert.is(ir.schemaVersion, 5);
  assert.is(ir.app, "t");
  assert.is(ir.codeVersion, "v1");
  assert.equal(ir.files, ["travel.beldi"]);
  assert.equal(
    ir.types.map((t) => t.name),
    ["Hotel", "Flight", "Order"],
  );
  assert.equal(
    ir.services.map((s) => s.name),
    ["hotel", "flight", "order", "frontend"],
  );
  const hotels = ir.services[0]!.tables[0]!;
  assert.equal(
    { name: hotels.name, valueType: hotels.valueType, fields: hotels.fields },
    {
      name: "hotels",
      valueType: { kind: "named", name: "Hotel" },
      fields: ["name", "cap", "price"],
    },
  );

  // hotel.reserve: read then update; narrowing gives a nonNull in `h.cap`
  const hr = fn(ir, "hotel.reserve");
  assert.equal(
    hr.sites.map((s) => [s.id, s.op, s.table]),
    [
      ["s1", "read", "hotels"],
      ["s2", "update", "hotels"],
    ],
  );
  assert.equal(hr.effects, { writes: true, calls: [], spawns: [], txn: false, scans: false });
  const nn = nodes(hr.body).filter((n) => n.kind === "nonNull") as Extract<IrExpr, { kind: "nonNull" }>[];
  assert.is(nn.length, 1);
  assert.equal(nn[0]!.type, { kind: "named", name: "Hotel" });
  assert.equal(nn[0]!.expr.kind === "local" && nn[0]!.expr.name, "h");
  assert.equal(nn[0]!.expr.type, { kind: "optional", inner: { kind: "named", name: "Hotel" } });
  const upd = nodes(hr.body).find((n) => n.kind === "update") as Extract<IrExpr, { kind: "update" }>;
  assert.is(upd.upsert, false);
  assert.is(upd.where, null);
  assert.equal(upd.type, { kind: "null" });
  assert.equal(
    upd.sets.map((s) => [s.field, s.value.kind]),
    [["cap", "add"]],
  );
  const add = upd.sets[0]!.value as Extract<(typeof upd.sets)[0]["value"], { kind: "add" }>;
  assert.is(add.sign, -1);
  assert.is(add.start, null);
  assert.equal(add.delta.kind === "lit" && add.delta.value, 1);

  // flight.reserve: a conditional update used as a value
  const fr = fn(ir, "flight.reserve");
  assert.equal(
    fr.sites.map((s) => [s.id, s.op]),
    [["s1", "update"]],
  );
  const fu = nodes(fr.body).find((n) => n.kind === "update") as Extract<IrExpr, { kind: "update" }>;
  assert.equal(fu.type, { kind: "bool" });
  assert.equal(fu.where && { ...fu.where, right: undefined }, {
    kind: "cmp",
    op: ">",
    left: { kind: "field", name: "cap" },
    right: undefined,
  });

  // order.place: uuid, write (upserting a record literal typed as Order), now, in source order
  const op = fn(ir, "order.place");
  assert.equal(
    op.sites.map((s) => [s.id, s.op]),
    [
      ["s1", "uuid"],
      ["s2", "write"],
      ["s3", "now"],
    ],
  );
  const w = op.body[1] as Extract<IrStmt, { kind: "write" }>;
  assert.is(w.site, "s2");
  assert.equal(w.value.type, { kind: "named", name: "Order" });
  assert.equal(w.value.kind === "record" && w.value.fields.map((f) => f.name), ["user", "hotel", "flight", "at"]);
  const nd = nodes(op.body).filter((n) => n.kind === "nondet") as Extract<IrExpr, { kind: "nondet" }>[];
  assert.equal(
    nd.map((n) => [n.name, n.site]),
    [
      ["uuid", "s1"],
      ["now", "s3"],
    ],
  );

  // frontend.reserve: txn with calls, spawn after it
  const f = fn(ir, "frontend.reserve");
  assert.equal(
    f.sites.map((s) => [s.id, s.op, s.target ?? null]),
    [
      ["s1", "txn", null],
      ["s2", "call", "hotel.reserve"],
      ["s3", "call", "flight.reserve"],
      ["s4", "spawn", "order.place"],
    ],
  );
  assert.equal(f.effects, { writes: false, calls: ["hotel.reserve", "flight.reserve"], spawns: ["order.place"], txn: true, scans: false });
  const txn = f.body[0] as Extract<IrStmt, { kind: "txn" }>;
  assert.is(txn.kind, "txn");
  assert.equal(txn.restore, []);
  assert.is(txn.else.length, 1);
  const call = nodes(txn.body).find((n) => n.kind === "call") as Extract<IrExpr, { kind: "call" }>;
  assert.equal([call.service, call.fn, call.site, call.args.length], ["hotel", "reserve", "s2", 1]);

  // JSON-serializable
  assert.equal(JSON.parse(JSON.stringify(ir)), ir);
});

test("travel: ids are stable, checking is deterministic", () => {
  const a = checkClean({ "travel.beldi": TRAVEL });
  const b = checkClean({ "travel.beldi": TRAVEL });
  assert.equal(a, b);
});

// How long checking takes is measured by bench/compile.ts (compile() warm includes the check), not here.

const EVERYTHING = `
type Point = { x: number, y: number }
type Item = { name: string, qty: number, tags: list<string>, note?: string, seen?: number }
type Counter = { n: number }
type Maybe = Point?

extern fn nearest(ps: list<Point>, k: number) -> list<string> from "./geo.ts"

service shop {
  table items: Item
  table counters: Counter

  fn bump(k: string) -> number {
    update counters[k] set n = (n ?? 0) + 1
    let c = read counters[k]
    if c == null { fail "vanished: " + k }
    return c.n
  }

  fn helper(k: string) {
    delete items[k]
  }

  fn stock(k: string, q: number, tag: string) -> bool {
    let fresh = update items[k] set name = k, qty = q, tags = [tag] where !exists(name)
    if fresh { return true }
    update items[k] set qty = qty - q, tags = tags + [tag], note = note ?? "restocked", seen = (seen ?? 0) + 1
    update items[k] set tags = (tags ?? []) + ["x", "y"], qty = 1 + qty
    let ok = update items[k] set qty = 0 where qty >= q && (contains(tags, tag) || len(tags) < 3) && exists(note) && 0 < qty && name != k && qty == qty && q > 1
    return ok
  }

  fn summary(m: map<number>, xs: list<number>, raw: any) -> string {
    var total = 0
    for k, v in m {
      if v < 0 { continue }
      total = total + v
    }
    for x in xs {
      if x > 100 { break }
      total = total + abs(x) + floor(x) + ceil(x) + round(x) + min(x, 1) + max(x, 2) - x * 2 / 3 % 4
    }
    var i = 0
    while i < len(xs) {
      i = i + 1
    }
    let parsed = num("12") ?? 0
    let names = sort(keys(m))
    let vals = values(m)
    let part = slice(xs, 0, 2)
    let sub = slice("hello", 1, 3)
    let r = range(3)
    let has = contains(names, "a") && contains("abc", "b")
    let j = json({ a: 1, b: [1, 2] })
    let first = xs[0] ?? -1
    let mv = m["a"] ?? 0
    let anyField = raw.field
    let anyIdx = raw[0]
    let rec: map<string> = { a: "x" }
    let e: map<number> = {}
    let empty: list<string> = []
    let both = xs + [1, 2] + []
    let neg = -total
    let cmp = "a" < "b" && 1 <= 2 && 2 >= 1 && 3 > 2 && [1] == [1] && !(1 != 1) && null == null
    let t = now() + random()
    let id = uuid()
    if has || cmp {
      return str(total) + " " + str(parsed) + j + sub + id + str(t) + str(len(names)) + str(len(vals)) + str(len(part))
        + str(len(r)) + str(first) + str(mv) + str(neg) + str(len(rec)) + str(len(e)) + str(len(empty)) + json(anyField)
        + json(anyIdx) + str(len(both))
    } else if total > 3 {
      return "big"
    } else {
      return "small"
    }
  }

  fn near(ps: list<Point>, p: Maybe) -> list<string> {
    if p == null { return [] }
    return nearest(ps + [p], 2)
  }

  fn clear(k: string) {
    helper(k)
  }

  fn all() -> number {
    let rows = scan items
    var n = 0
    for row in rows { n = n + row.value.qty }
    return n
  }

  fn note(k: string) -> string {
    let it = read items[k]
    if it == null { return "none" }
    let nt = it.note
    if nt != null && len(nt) > 0 { return nt }
    return it.note ?? ""
  }

  fn shadow(min: number, len: string, set: number, where: number, from: number, exists: number) -> number {
    let max = 2
    return min + max + set + where + from + exists
  }

  fn forever() -> number {
    var n = 0
    while true {
      n = n + 1
      if n > 10 { return n }
    }
  }
}

service front {
  fn go(k: string, b: bool) -> number {
    var spent = 0
    var last: string? = null
    parallel {
      let a = call shop.bump(k)
      let s = call shop.note(k)
      if b { call shop.clear(k) }
      for i in range(2) { call shop.bump(k) }
    }
    txn {
      spent = spent + a
      last = s
      if !call shop.stock(k, 1, "t") { abort }
    } else {
      spent = -1
    }
    let id = spawn shop.all()
    if last != null { spent = spent + len(last) }
    return spent
  }

  fn opt(x: number?, y: number?) -> number {
    if x == null || y == null { return 0 }
    return x + y
  }

  fn loopNarrow(xs: list<number?>) -> number {
    var t = 0
    for x in xs {
      if x == null { continue }
      t = t + x
    }
    return t
  }

  fn nothing() {
    return
  }
}
`;

test("every construct: checks clean", () => {
  const ir = checkClean({
    "app.beldi": EVERYTHING,
    "sub/more.beldi": `extern fn twice(x: number) -> number from "../lib/twice.ts"\nservice other {\n  table items: { id: string }\n  fn t(x: number) -> number { return twice(x) }\n}\n`,
  });
  assert.equal(JSON.parse(JSON.stringify(ir)), ir);
  assert.equal(ir.files, ["app.beldi", "sub/more.beldi"]);
  assert.equal(
    ir.externs.map((x) => [x.name, x.module]),
    [
      ["nearest", "/app/geo.ts"],
      ["twice", "/app/lib/twice.ts"],
    ],
  );
  // two services may each have a table `items`
  assert.equal(
    ir.services.filter((s) => s.tables.some((t) => t.name === "items")).map((s) => s.name),
    ["shop", "other"],
  );

  const stock = fn(ir, "shop.stock");
  const ups = nodes(stock.body).filter((n) => n.kind === "update") as Extract<IrExpr, { kind: "update" }>[];
  assert.equal(
    ups.map((u) => u.upsert),
    [true, false, false, false],
  );
  assert.equal(
    ups.map((u) => u.site),
    ["s1", "s2", "s3", "s4"],
  );
  assert.equal(ups[0]!.where, { kind: "exists", field: "name", negated: true });
  assert.equal(
    ups[1]!.sets.map((s) => [s.field, s.value.kind]),
    [
      ["qty", "add"],
      ["tags", "append"],
      ["note", "coalesce"],
      ["seen", "add"],
    ],
  );
  const seen = ups[1]!.sets[3]!.value as { kind: "add"; start: IrExpr | null };
  assert.equal(seen.start && seen.start.kind === "lit" && seen.start.value, 0);
  const tags = ups[2]!.sets[0]!.value as { kind: "append"; start: IrExpr | null; items: IrExpr };
  assert.equal(
    [tags.start?.type, tags.items.type],
    [
      { kind: "list", elem: { kind: "string" } },
      { kind: "list", elem: { kind: "string" } },
    ],
  );
  assert.equal(ups[2]!.sets[1]!.value.kind, "add");
  const kinds: string[] = [];
  const walk = (c: any): void => {
    kinds.push(c.kind === "cmp" ? `cmp:${c.left.kind}${c.right.kind}` : c.kind);
    if (c.left && c.kind !== "cmp") walk(c.left);
    if (c.right && c.kind !== "cmp") walk(c.right);
    if (c.operand) walk(c.operand);
  };
  walk(ups[3]!.where);
  assert.equal(kinds, [
    "and",
    "and",
    "and",
    "and",
    "and",
    "and",
    "cmp:fieldvalue",
    "or",
    "contains",
    "len",
    "exists",
    "cmp:valuefield",
    "cmp:fieldvalue",
    "cmp:fieldfield",
    "local",
  ]);

  const summary = fn(ir, "shop.summary");
  assert.equal(
    summary.sites.map((s) => s.op),
    ["loop", "loop", "loop", "now", "random", "uuid"],
  );
  const forMap = summary.body.find((s) => s.kind === "forMap") as Extract<IrStmt, { kind: "forMap" }>;
  assert.equal([forMap.key, forMap.value, forMap.elemType, forMap.site], ["k", "v", { kind: "number" }, "s1"]);
  const anyField = nodes(summary.body).find((n) => n.kind === "field") as Extract<IrExpr, { kind: "field" }>;
  assert.equal([anyField.name, anyField.type], ["field", { kind: "any" }]);

  // effects through inline calls, not through call
  assert.equal(fn(ir, "shop.clear").effects, { writes: true, calls: [], spawns: [], txn: false, scans: false });
  assert.equal(
    fn(ir, "shop.clear").sites.map((s) => [s.op, s.target]),
    [["inline", "helper"]],
  );
  assert.equal(fn(ir, "shop.all").effects.scans, true);
  const go = fn(ir, "front.go");
  assert.equal(go.effects, {
    writes: false,
    calls: ["shop.bump", "shop.note", "shop.clear", "shop.stock"],
    spawns: ["shop.all"],
    txn: true,
    scans: false,
  });
  assert.equal(
    go.sites.map((s) => `${s.id}:${s.op}`),
    ["s1:parallel", "s2:call", "s3:call", "s4:call", "s5:loop", "s6:call", "s7:txn", "s8:call", "s9:spawn"],
  );
  const par = go.body.find((s) => s.kind === "parallel") as Extract<IrStmt, { kind: "parallel" }>;
  assert.equal(
    par.branches.map((b) => b.exports),
    [[{ name: "a", type: { kind: "number" } }], [{ name: "s", type: { kind: "string" } }], [], []],
  );
  const txn = go.body.find((s) => s.kind === "txn") as Extract<IrStmt, { kind: "txn" }>;
  assert.equal(txn.restore, ["spent", "last"]);
  // `len(last)` after `if last != null`
  const nn = nodes(go.body).filter((n) => n.kind === "nonNull") as Extract<IrExpr, { kind: "nonNull" }>[];
  assert.equal(
    nn.map((n) => [n.expr.kind === "local" && n.expr.name, n.type]),
    [["last", { kind: "string" }]],
  );
  const opt = fn(ir, "front.opt");
  assert.equal(nodes(opt.body).filter((n) => n.kind === "nonNull").length, 2);
  assert.equal(nodes(fn(ir, "front.loopNarrow").body).filter((n) => n.kind === "nonNull").length, 1);
  assert.equal(nodes(fn(ir, "shop.near").body).filter((n) => n.kind === "nonNull").length, 1);
});

test("a record whose fields all hold T compares with a map<T> (LANGUAGE §2: such a record literal is also a map)", () => {
  checkClean({
    "m.beldi": `service s {
  fn f(m: map<number>, r: { a: number, b: number }) -> bool {
    return m == { a: 1, b: 2 } && { a: 1 } != m && r == m && m != r
  }
}`,
  });
});

test("narrowing: every form of LANGUAGE §2 checks clean and yields nonNull", () => {
  const ir = checkClean({
    "n.beldi": `type H = { cap: number }
service s {
  table hs: H
  fn a(h: H?) -> number { if !(h == null) { return h.cap } return 0 }
  fn b(h: H?) -> number { if null != h { return h.cap } return 0 }
  fn c(h: H?) -> number { if h == null { return 0 } return h.cap }
  fn d(h: H?) -> bool { return h != null && h.cap > 0 }
  fn e(h: H?) -> bool { return h == null || h.cap > 0 }
  fn f(h: H?, g: H?) -> number { if h == null || g == null { fail "missing" } return h.cap + g.cap }
  fn g(k: string) -> number {
    var h = read hs[k]
    while h != null {
      let c = h.cap
      h = null
      if c > 0 { return c }
    }
    return 0
  }
  fn i(xs: list<H?>) -> number {
    var t = 0
    for x in xs {
      if x == null { continue }
      t = t + x.cap
    }
    return t
  }
  fn j(h: H?) -> number {
    if h != null { return h.cap } else { return 0 }
  }
  fn k(h: H?, b: bool) -> number {
    txn {
      if h == null { abort }
      if b { return h.cap }
    }
    return 0
  }
  fn l(h: H?) -> number {
    if !(h != null && h.cap > 1) { return 0 }
    return h.cap
  }
}
`,
  });
  const count = (name: string) => nodes(fn(ir, `s.${name}`).body).filter((n) => n.kind === "nonNull").length;
  assert.equal(["a", "b", "c", "d", "e", "f", "g", "i", "j", "k", "l"].map(count), [1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 2]);
});

test("warnings do not stop the IR", () => {
  const r = checkProgram(parseAll({ "w.beldi": "service s {\n  fn f() -> number {\n    return 1\n    let x = 2\n  }\n}\n" }), OPTS);
  assert.equal(
    r.diagnostics.map((d) => d.code),
    ["W0001"],
  );
  assert.ok(r.ir);
});

test("catalog: every checker example triggers its own code", () => {
  for (const entry of Object.values(CHECK)) {
    if (entry.code === "E0999" || entry.code === "E0998") continue;
    const p = parse({ path: "example.beldi", text: entry.example });
    let files = [p.file];
    if (entry.code === "E0216") {
      // the parser already rejects 1e999 (a syntax error): build the AST the checker guards against
      files = parseAll({ "example.beldi": "service s {\n  fn f() -> number {\n    return 1\n  }\n}" });
      const ret = files[0]!.decls[0]!.kind === "service" ? files[0]!.decls[0]!.fns[0]!.body.stmts[0]! : null;
      if (ret?.kind === "return") (ret.value as Extract<Expr, { kind: "number" }>).value = Infinity;
    } else {
      assert.equal(p.diagnostics, [], `${entry.code}'s example must parse`);
    }
    const r = checkProgram(files, OPTS);
    assert.ok(
      r.diagnostics.some((d) => d.code === entry.code),
      `${entry.code} example gives ${r.diagnostics.map((d) => d.code).join(", ") || "nothing"}`,
    );
  }
});

test("internal errors become one E0999 naming the fn, never a throw", () => {
  const files = parseAll({ "x.beldi": "service s {\n  fn ok() { }\n  fn broken() {\n    let a = 1\n  }\n}" });
  const svc = files[0]!.decls[0]!;
  if (svc.kind === "service") (svc.fns[1]!.body.stmts[0] as { kind: string }).kind = "bogus";
  const r = checkProgram(files, OPTS);
  assert.is(r.ir, null);
  assert.equal(
    r.diagnostics.map((d) => d.code),
    ["E0999"],
  );
  assert.match(r.diagnostics[0]!.message, /compiler/);
  assert.match(r.diagnostics[0]!.message, /s\.broken/);
  // garbage in, still no throw
  const g = checkProgram([{ path: "g.beldi", decls: [null as never] }], OPTS);
  assert.equal(
    g.diagnostics.map((d) => d.code),
    ["E0999"],
  );
});

test("LANGUAGE.md §9: abort reasons, ?. and update aliases check clean; their IR", () => {
  const ir = checkClean({
    "v2.beldi": `type Stock = { qty: number, name?: string }
type Order = { total: number, note?: string }
service shop {
  table stock: Stock
  table orders: Order
  fn reserve(sku: string, qty: number) -> string {
    txn {
      let ok = update stock[sku] as s set qty = s.qty - qty where s.qty >= qty && exists(s.name)
      if !ok { abort "out of stock: " + sku }
      if qty > 10 { abort }
    } else (r) {
      return r
    }
    return "ok"
  }
  fn bare(sku: string, q: number) -> bool {
    return update stock[sku] set qty = qty - q where qty >= q && exists(name)
  }
  fn quiet() {
    txn { abort "x" } else { }
  }
  fn total(k: string) -> number {
    return (read orders[k])?.total ?? 0
  }
  fn note(o: Order?) -> string? {
    return o?.note
  }
  fn as(as: string) -> string {
    let set = as
    return set
  }
}`,
  });
  const reserve = fn(ir, "shop.reserve");
  const txn = reserve.body.find((s) => s.kind === "txn") as Extract<IrStmt, { kind: "txn" }>;
  assert.is(txn.reason, "r");
  const aborts = nodes(txn.body).filter((n): n is Extract<IrStmt, { kind: "abort" }> => n.kind === "abort");
  assert.is(aborts.length, 2);
  assert.is(aborts[0]!.reason?.kind, "binary");
  assert.is(aborts[0]!.reason?.type.kind, "string");
  assert.ok(!("reason" in aborts[1]!), 'a bare abort has no reason in the IR (the runtime gives "")');
  const quiet = fn(ir, "shop.quiet").body[0] as Extract<IrStmt, { kind: "txn" }>;
  assert.ok(!("reason" in quiet), "an else without (r) names none");
  // `as s`: the same store operation as the bare-name form, `qty` staying the parameter
  // (the bare form's local is `q`: `qty` there would be the stored field)
  const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "span" ? undefined : k === "name" && v === "q" ? "qty" : v)));
  const upd = (f: IrFn) => nodes(f.body).find((n) => n.kind === "update") as Extract<IrExpr, { kind: "update" }>;
  const aliased = upd(reserve);
  const plain = upd(fn(ir, "shop.bare"));
  assert.equal(strip(aliased.where), strip(plain.where));
  assert.equal(strip(aliased.sets), strip(plain.sets));
  assert.is(aliased.upsert, plain.upsert);
  const delta = (aliased.sets[0]!.value as Extract<IrSetValue, { kind: "add" }>).delta;
  assert.equal([delta.kind, (delta as { name?: string }).name], ["local", "qty"]);
  // `a?.f`: nullSafe, typed as the field made optional
  const total = nodes(fn(ir, "shop.total").body).find((n) => n.kind === "field") as Extract<IrExpr, { kind: "field" }>;
  assert.equal([total.nullSafe, total.optional, total.type], [true, false, { kind: "optional", inner: { kind: "number" } }]);
  const note = nodes(fn(ir, "shop.note").body).find((n) => n.kind === "field") as Extract<IrExpr, { kind: "field" }>;
  assert.equal([note.nullSafe, note.optional, note.type], [true, true, { kind: "optional", inner: { kind: "string" } }]);
  // fields of v4 are absent where unused: an older program's IR differs from schema 3's only in the version
  const travel = checkClean({ "travel.beldi": TRAVEL });
  assert.not.match(JSON.stringify(travel.services), /"nullSafe"|"reason"/);
});

test("messages: E0501's hint points at `as`; E0201's at `?.`", () => {
  const diag = (src: string) => checkProgram(parseAll({ "h.beldi": src }), OPTS).diagnostics;
  const shadow = diag(`type S = { qty: number }
service s {
  table stock: S
  fn reserve(sku: string, qty: number) -> bool {
    return update stock[sku] set qty = qty - 1 where qty >= 1
  }
}`);
  assert.is(shadow[0]!.code, "E0501");
  assert.match(shadow[0]!.hint!, /as v set/);
  assert.match(shadow[0]!.hint!, /`v\.qty`/);
  const opt = diag(`type O = { total: number }
service s {
  table os: O
  fn f(k: string) -> number {
    let o = read os[k]
    return o.total
  }
}`);
  assert.is(opt[0]!.code, "E0201");
  assert.match(opt[0]!.hint!, /`o\?\.total`/);
  const bare = diag(`type S = { qty: number }
service s {
  table stock: S
  fn f(k: string) { update stock[k] as v set qty = qty + 1 }
}`);
  assert.equal(
    bare.map((d) => d.code),
    ["E0107"],
  );
  assert.match(bare[0]!.hint!, /`v\.qty`/);
});

test("messages: hints and paths", () => {
  const diag = (src: string) => checkProgram(parseAll({ "h.beldi": src }), OPTS).diagnostics;
  // sovereignty names the owner and a fn of it doing the same kind of operation
  const sov = diag(`type C = { n: number }
service a {
  table cs: C
  fn get(k: string) -> C? { return read cs[k] }
  fn put(k: string) { write cs[k] = { n: 1 } }
}
service b {
  fn f(k: string) { write cs[k] = { n: 2 } }
  fn g(k: string) { update cs[k] set n = 1 }
}`);
  assert.equal(
    sov.map((d) => d.code),
    ["E0400", "E0400"],
  );
  assert.match(sov[0]!.message, /belongs to service `a`/);
  assert.match(sov[0]!.hint!, /call a\.put\(\.\.\.\)/);
  assert.match(sov[1]!.hint!, /call a\.(put|get)/);
  // unknown name suggests a close spelling
  const un = diag(`service s {\n  fn f(count: number) -> number { return cuont }\n}`);
  assert.match(un[0]!.hint!, /did you mean `count`\?/);
  // the transitive txn rule names the whole path and where the operation is
  const tx = diag(`service audit {
  fn log() { spawn audit.log() }
}
service hotel {
  fn note() { call audit.log() }
  fn reserve() { note() }
}
service front {
  fn go() {
    txn { call hotel.reserve() }
  }
}`);
  assert.equal(
    tx.map((d) => d.code),
    ["E0601"],
  );
  assert.is(tx[0]!.message, "`txn` reaches `spawn` through call hotel.reserve → inline note → call audit.log (h.beldi:2:14)");
  assert.equal([tx[0]!.span.line, tx[0]!.span.col], [10, 11]);
  // string + number suggests str()
  const sn = diag(`service s {\n  fn f(n: number) -> string { return "n=" + n }\n}`);
  assert.match(sn[0]!.hint!, /str\(n\)/);
  // a field of an optional without a check suggests a null check or ??
  const op = diag(`type H = { cap: number }\nservice s {\n  fn f(h: H?) -> number { return h.cap }\n}`);
  assert.match(op[0]!.hint!, /null/);
  assert.match(op[0]!.hint!, /\?\?/);
  // set values the store cannot apply say so and suggest reading first or a txn
  const na = diag(`type C = { n: number }\nservice s {\n  table cs: C\n  fn f(k: string) { update cs[k] set n = n * 2 }\n}`);
  assert.match(na[0]!.message, /atomically/);
  assert.match(na[0]!.hint!, /read/);
  assert.match(na[0]!.hint!, /txn/);
});

test.run();
