// Unit: how a value too large to share a log item is cut into pieces and read back (runtime/log.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { LogReader, PIECE_UNITS, splitPieces } from "../runtime/log.js";
import { toAttr } from "../runtime/codec.js";

test("splitPieces: the pieces join to the text, none splits a surrogate pair, each fits an item", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 400 }), fc.integer({ min: 2, max: 9 }), (text, units) => {
      const parts = splitPieces(text, units);
      assert.is(parts.join(""), text);
      for (const p of parts) {
        assert.ok(p.length > 0 && p.length <= units);
        const last = p.charCodeAt(p.length - 1);
        if (p !== parts.at(-1) && last >= 0xd800 && last <= 0xdbff)
          throw new Error(`a piece ends in a high surrogate: ${JSON.stringify(p)}`);
      }
    }),
  );
  const worst = "😀".repeat(PIECE_UNITS) + "€".repeat(PIECE_UNITS);
  for (const p of splitPieces(worst)) assert.ok(Buffer.byteLength(p) <= 300_000, `${Buffer.byteLength(p)} bytes`);
});

type Item = Record<string, AttributeValue>;
const batch = (sortKey: string, steps: Record<string, unknown>): Item => ({ I: { S: "r" }, S: { S: sortKey }, E: toAttr(steps) });
const head = (instance: string, step: string, nonce: string, count: number): Item => ({
  I: { S: "r" },
  S: { S: `${instance}#${step}` },
  P: { M: { s: { S: step }, n: { S: nonce }, c: { N: String(count) } } },
});
const piece = (instance: string, step: string, nonce: string, i: number, text: string): Item => ({
  I: { S: "r" },
  S: { S: `${instance}#${step}#${nonce}.${i}` },
  X: { S: text },
});

test("LogReader: batches and pieced values per instance; a losing execution's pieces are ignored", () => {
  const value = { data: "€y".repeat(20), n: 1 };
  const text = JSON.stringify(value);
  const reader = new LogReader();
  const items = [
    batch("r#s1", { s1: 1, s2: "two" }),
    batch("r/svc:s3#s0", { s0: true }),
    ...splitPieces(text, 7).map((p, i) => piece("r", "s4", "win", i, p)),
    ...splitPieces('{"data":"other"}', 7).map((p, i) => piece("r", "s4", "lose", i, p)),
    head("r", "s4", "win", splitPieces(text, 7).length),
  ];
  // the store answers in sort-key order; the reader must not depend on it
  for (const item of [...items].reverse()) reader.add(item);
  const steps = reader.steps();
  assert.equal(Object.fromEntries(steps.get("r")!), { s1: 1, s2: "two", s4: value });
  assert.equal(Object.fromEntries(steps.get("r/svc:s3")!), { s0: true });
});

test("LogReader: a head whose piece is missing is an error, never a partial value", () => {
  const reader = new LogReader();
  reader.add(head("r", "s4", "n", 2));
  reader.add(piece("r", "s4", "n", 0, '{"a":'));
  assert.throws(() => reader.steps(), /piece 1 of step s4 is missing/);
});

test.run();
