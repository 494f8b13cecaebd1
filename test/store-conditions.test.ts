// Condition expressions the runtime sends (runtime/expr.ts): parentheses only where DynamoDB's
// precedence needs them (NOT, then AND, then OR). Exact texts for the shapes the runtime builds,
// and a property checked by each store itself (dynalite and DynamoDB Local, through the real
// client): a random `where` condition written flat and written with every operand
// parenthesised holds for the same items, and both are accepted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { and, ExprBuilder, group, not, renderCond } from "../runtime/expr.js";
import { toAttr } from "../runtime/codec.js";
import type { Cond } from "../contract/update-spec.js";
import { startDynalite, type RunningStore } from "../local/dynalite.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";
import { BACKENDS } from "./helpers.js";

test("and: atoms and AND chains stay flat; an operand with OR at its top is grouped", () => {
  assert.is(and("a = :x", "b = :y"), "a = :x AND b = :y");
  assert.is(and(and("a = :x", "b = :y"), "c = :z"), "a = :x AND b = :y AND c = :z");
  assert.is(and("attribute_not_exists(a) OR a = :x", "b = :y"), "(attribute_not_exists(a) OR a = :x) AND b = :y");
  assert.is(and("(a = :x AND b = :y)", "c = :z"), "a = :x AND b = :y AND c = :z", "a redundant group is opened");
  assert.is(and("(a = :x) OR (b = :y)", "c = :z"), "((a = :x) OR (b = :y)) AND c = :z", "not the first paren's pair");
  assert.is(and("NOT (a = :x OR b = :y)", "c = :z"), "NOT (a = :x OR b = :y) AND c = :z", "NOT binds tighter than AND");
  assert.is(and(null, "a = :x", undefined), "a = :x");
  assert.is(and(), "");
  // a lock's condition, as daal.ts builds it: three levels of groups before, none now
  const lock = and(and("attribute_not_exists(I)", "attribute_not_exists(L)", "attribute_not_exists(F) OR F < :f"), "V = :v");
  assert.is(lock, "attribute_not_exists(I) AND attribute_not_exists(L) AND (attribute_not_exists(F) OR F < :f) AND V = :v");
});

const field = (f: string) => ({ field: f });
const value = (v: unknown) => ({ value: v });

test("renderCond: AND of ORs grouped, OR of ANDs flat, NOT grouped", () => {
  const b = new ExprBuilder();
  const c: Cond = {
    kind: "or",
    left: {
      kind: "and",
      left: { kind: "cmp", op: ">", left: field("n"), right: value(1) },
      right: {
        kind: "or",
        left: { kind: "exists", field: "t", negated: false },
        right: { kind: "cmp", op: "==", left: field("m"), right: value(2) },
      },
    },
    right: {
      kind: "not",
      operand: { kind: "and", left: { kind: "exists", field: "n", negated: true }, right: { kind: "exists", field: "m", negated: false } },
    },
  };
  assert.is(
    renderCond(b, c, (f) => `v_${f}`),
    "#a0 > :v0 AND (attribute_exists(#a1) OR #a2 = :v1) OR NOT (attribute_not_exists(#a0) AND attribute_exists(#a2))",
  );
});

// ---- the store's own verdict ------------------------------------------------------------------

const FIELDS = ["n", "m", "s"];
const attr = (f: string) => `v_${f}`;

/** Every operand of AND, OR and NOT in parentheses: the reference reading. */
function grouped(b: ExprBuilder, c: Cond): string {
  switch (c.kind) {
    case "and":
    case "or":
      return `${group(grouped(b, c.left))} ${c.kind.toUpperCase()} ${group(grouped(b, c.right))}`;
    case "not":
      return not(grouped(b, c.operand));
    default:
      return renderCond(b, c, attr);
  }
}

const condArb: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({
      kind: fc.constant("cmp" as const),
      op: fc.constantFrom("<", "<=", ">", ">=", "==", "!=" as const),
      left: fc.constantFrom(...FIELDS).map(field),
      right: fc.integer({ min: 0, max: 3 }).map(value),
    }),
    // null only with == and != (the checker allows no ordering of an optional)
    fc.record({
      kind: fc.constant("cmp" as const),
      op: fc.constantFrom("==", "!=" as const),
      left: fc.constantFrom(...FIELDS).map(field),
      right: fc.constant(value(null)),
    }),
    // (as likely true as false on the items below: a wrong grouping shows on more of them)
    { arbitrary: fc.record({ kind: fc.constant("exists" as const), field: fc.constantFrom(...FIELDS), negated: fc.boolean() }), weight: 2 },
    fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: tie("cond"), right: tie("cond") }),
    fc.record({ kind: fc.constant("not" as const), operand: tie("cond") }),
  ),
})).cond;

const itemArb = fc.record(Object.fromEntries(FIELDS.map((f) => [f, fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined })])));

const TABLE = "conditions";

/** A client of `store` with a fresh table to test conditions on. */
async function clientOf(store: RunningStore): Promise<DynamoDBClient> {
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint: store.endpoint,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: "K", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "K", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return client;
}

/** Whether the store finds `render`'s condition true of `item` (a no-op update conditioned on it). */
async function holds(
  client: DynamoDBClient,
  item: Record<string, number | undefined>,
  render: (b: ExprBuilder) => string,
): Promise<boolean> {
  const Item = {
    K: { S: "k" },
    ...Object.fromEntries(Object.entries(item).flatMap(([f, v]) => (v === undefined ? [] : [[attr(f), toAttr(v)]]))),
  };
  await client.send(new PutItemCommand({ TableName: TABLE, Item }));
  const b = new ExprBuilder();
  const cond = render(b);
  const update = `SET T = ${b.v(1)}`;
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { K: { S: "k" } },
        UpdateExpression: update,
        ConditionExpression: cond,
        ...b.params(update, cond),
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === "ConditionalCheckFailedException") return false;
    throw new Error(`${cond}: ${(e as Error).message}`);
  }
}

for (const backend of BACKENDS) {
  test(`property: a condition written flat holds for the same items as written fully parenthesised (${backend})`, async () => {
    const store = backend === "dynalite" ? await startDynalite() : await startDynamoDbLocal();
    const client = await clientOf(store);
    try {
      await fc.assert(
        fc.asyncProperty(condArb, fc.array(itemArb, { minLength: 3, maxLength: 3 }), async (c, items) => {
          for (const item of items) {
            const flat = await holds(client, item, (b) => renderCond(b, c, attr));
            const reference = await holds(client, item, (b) => grouped(b, c));
            assert.is(flat, reference, `${JSON.stringify(c)} on ${JSON.stringify(item)}`);
          }
        }),
        { numRuns: backend === "dynalite" ? 400 : 150 },
      );
    } finally {
      client.destroy();
      await store.close();
    }
  });
}

test.run();
