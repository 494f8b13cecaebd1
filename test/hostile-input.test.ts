// Hostile and unlucky input at the runtime's boundary (issue 10): JavaScript's special names as
// data are plain keys, text the store would change (lone surrogates) is refused with a typed
// error before anything is written. Both stores: what they accept differs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { mismatch } from "../runtime/validate.js";
import { canonical, json } from "../runtime/values.js";
import { fromAttr, toAttr } from "../runtime/codec.js";
import { BACKENDS, ok } from "./helpers.js";

const code = (r: unknown) => (r as { error?: { code: string } }).error?.code;

test("unit: an absent optional field named like an Object.prototype member is absent", () => {
  const t = {
    kind: "record" as const,
    fields: [
      { name: "constructor", type: { kind: "string" as const }, optional: true },
      { name: "toString", type: { kind: "number" as const }, optional: true },
    ],
  };
  assert.is(mismatch({}, t, {}, "b"), null);
  assert.match(mismatch({ constructor: 5 }, t, {}, "b") ?? "", /b\.constructor must be a string/);
  const req = { kind: "record" as const, fields: [{ name: "hasOwnProperty", type: { kind: "string" as const }, optional: false }] };
  assert.match(mismatch({}, req, {}, "b") ?? "", /b\.hasOwnProperty is missing/);
});

test("unit: `__proto__` as a key survives canonical JSON and the store codec", () => {
  const m = JSON.parse('{"__proto__": 1, "a": 2}') as Record<string, unknown>;
  assert.is(json(m), '{"__proto__":1,"a":2}');
  assert.equal(Object.keys(canonical(m) as object), ["__proto__", "a"]);
  const back = fromAttr(toAttr(m)) as Record<string, unknown>;
  assert.equal(Object.keys(back), ["__proto__", "a"]);
  assert.is(Object.getPrototypeOf(back), Object.prototype, "the prototype was not replaced");
  const nested = JSON.parse('{"__proto__": {"polluted": true}}');
  assert.equal(Object.keys(fromAttr(toAttr(nested)) as object), ["__proto__"]);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test("unit: lone surrogates are refused by validation and by the codec; pairs are fine", () => {
  assert.match(mismatch("a\uD800", { kind: "string" }, {}, "k") ?? "", /lone surrogate/);
  assert.match(mismatch({ "\uDC00": 1 }, { kind: "map", elem: { kind: "number" } }, {}, "m") ?? "", /lone surrogate/);
  assert.is(mismatch("😀", { kind: "string" }, {}, "k"), null);
  assert.throws(() => toAttr("x\uDBFF"), /lone surrogate/);
  assert.equal(fromAttr(toAttr("😀")), "😀");
});

for (const backend of BACKENDS) {
  test(`map keys __proto__, constructor, toString are plain keys, stored and read back (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "test/fixtures/jsnames", backend, schedule: false });
    try {
      // `__proto__` on dynalite too: its validation copied maps with `o[k] = v` and dropped the
      // key; patches/dynalite+4.0.0.patch defines it instead, as DynamoDB Local and AWS keep it.
      const text = '{"__proto__": 1, "constructor": 2, "toString": 4, "hasOwnProperty": 8}';
      const m = JSON.parse(text);
      const n = Object.keys(m).length;
      assert.equal(await stack.invoke("vault.keep", { k: "p", m }, { instanceId: "keep-1" }), ok(n));
      assert.equal(await stack.invoke("vault.keep", { k: "p", m }, { instanceId: "keep-1" }), ok(n), "the retry matches (same input hash)");
      assert.equal(
        await stack.invoke("vault.total", { k: "p" }),
        ok(Object.values(m as Record<string, number>).reduce((a, b) => a + b, 0)),
      );
      assert.is(json(await stack.get("vault", "maps", "p")), json({ m: JSON.parse(text) }));
      // an optional field absent, a value named like a prototype member
      assert.equal(await stack.invoke("vault.bag", { k: "b", b: { tag: "constructor" } }), ok("constructor"));
      assert.equal(await stack.invoke("vault.opt", {}), ok(true), "an absent parameter named constructor is absent");
      assert.equal(await stack.invoke("vault.opt", { constructor: "x" }), ok(false));
    } finally {
      await stack.stop();
    }
  });

  test(`keys and values with lone surrogates: R0002 at the boundary, nothing written; two such keys never share a row (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "test/fixtures/jsnames", backend, schedule: false });
    try {
      for (const k of ["\uD800", "\uDBFF", "\uDC00", "a\uD800b"]) {
        const r = await stack.invoke("vault.put", { k, v: "x" });
        assert.is(code(r), "R0002", JSON.stringify(r));
      }
      assert.is(code(await stack.invoke("vault.put", { k: "ok", v: "\uD800" })), "R0002");
      assert.is(code(await stack.invoke("vault.keep", { k: "ok", m: { "\uDC00": 1 } })), "R0002");
      assert.equal(await stack.scan("vault", "bags"), []);
      assert.equal(await stack.scan("vault", "maps"), []);
      assert.equal(await stack.invoke("vault.put", { k: "😀", v: "😀" }), ok(1));
      assert.equal(await stack.get("vault", "bags", "😀"), { tag: "😀" });
    } finally {
      await stack.stop();
    }
  });
}

test.run();
