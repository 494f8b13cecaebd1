// A misdeployed app (a callee's function gone, a table deleted) fails at once with R0022 naming
// the resource, and that failure is the instance's recorded result: neither a client's retry nor
// the intent collector runs it again, and what it did before stays done once.
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tableNames } from "../contract/schema.js";
import { LocalStack } from "../local/index.js";
import { BACKENDS, requestsDuring } from "./helpers.js";

const hello = "examples/hello";

/** The collector's pass over a service's pending intents, as its schedule would send it. */
async function collect(stack: LocalStack, service: string): Promise<unknown> {
  const r = await stack.deliver(service, { beldi: { kind: "collect", olderThanMs: 0 } });
  return "payload" in r ? r.payload : r;
}

for (const backend of BACKENDS) {
  test(`a callee whose function is gone: R0022 at the first Invoke, recorded, never retried (${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, backend, schedule: false });
    try {
      stack.undeploy("counter");
      const t = Date.now();
      const r = await stack.invoke("greeter.greet", { name: "ann" }, { instanceId: "g1" });
      // (a callee that keeps failing otherwise ends, after retries, in a retryable "unavailable" error)
      const error = (r as { error?: { code: string; message: string } }).error;
      assert.is(error?.code, "R0022", JSON.stringify(r));
      assert.match(error!.message, "counter.bump");
      assert.match(error!.message, "ResourceNotFoundException");
      console.log(`    ${backend}: R0022 after ${Date.now() - t} ms`);

      const later = await requestsDuring(stack, async () => {
        assert.equal(await stack.invoke("greeter.greet", { name: "ann" }, { instanceId: "g1" }), r, "the retry gets the recorded failure");
        await stack.recover();
        assert.equal(await collect(stack, "greeter"), { ok: true, value: { restarted: 0 } });
      });
      // the retry's intent lookup (one conditional PutItem that finds the result), the collector's query: nothing ran again
      assert.is(later.PutItem, 1, JSON.stringify(later));
      assert.not.ok(later.UpdateItem || later.Invoke, JSON.stringify(later));
    } finally {
      await stack.stop();
    }
  });

  test(`a table deleted under the app: R0022 naming it, the earlier effect kept once, never retried (${backend})`, async () => {
    const stack = await LocalStack.start({ app: hello, backend, schedule: false });
    const client = new DynamoDBClient({
      region: stack.runtimeConfig.region,
      endpoint: stack.runtimeConfig.storeEndpoint,
      credentials: stack.runtimeConfig.credentials,
    });
    try {
      const greetings = tableNames.data(stack.prefix, "hello", "greeter", "greetings");
      await client.send(new DeleteTableCommand({ TableName: greetings }));
      const r = await stack.invoke("greeter.greet", { name: "bo" }, { instanceId: "g2" });
      const error = (r as { error: { code: string; message: string } }).error;
      assert.is(error?.code, "R0022", JSON.stringify(r));
      assert.match(error.message, greetings);
      assert.match(error.message, "ResourceNotFoundException");
      // the visit was counted before the write failed: it stays counted, once
      assert.equal(await stack.get("counter", "counts", "bo"), { n: 1 });

      const later = await requestsDuring(stack, async () => {
        assert.equal(await stack.invoke("greeter.greet", { name: "bo" }, { instanceId: "g2" }), r);
        await stack.recover();
        assert.equal(await collect(stack, "greeter"), { ok: true, value: { restarted: 0 } });
      });
      assert.is(later.PutItem, 1, JSON.stringify(later));
      assert.not.ok(later.UpdateItem || later.Invoke, JSON.stringify(later));
      assert.equal(await stack.get("counter", "counts", "bo"), { n: 1 }, "the counter was not bumped again");
    } finally {
      client.destroy();
      await stack.stop();
    }
  });
}

// The same in process isolation, killed after each request in turn: recovery ends in the same
// recorded R0022, and the visit counted before the refused write is counted once.
for (const backend of BACKENDS) {
  test(`crash sweep over an invocation that meets a deleted table (process, ${backend})`, async () => {
    let points = 0;
    for (let k = 1; k < 40; k++) {
      const stack = await LocalStack.start({ app: hello, backend, isolation: "process", schedule: false });
      const client = new DynamoDBClient({
        region: stack.runtimeConfig.region,
        endpoint: stack.runtimeConfig.storeEndpoint,
        credentials: stack.runtimeConfig.credentials,
      });
      try {
        await client.send(new DeleteTableCommand({ TableName: tableNames.data(stack.prefix, "hello", "greeter", "greetings") }));
        const first = await stack.invoke("greeter.greet", { name: "cy" }, { instanceId: "g3", crashAt: k });
        const crashed = "crashed" in first;
        if (crashed) await stack.recover();
        const r = await stack.invoke("greeter.greet", { name: "cy" }, { instanceId: "g3" });
        assert.is((r as { error?: { code: string } }).error?.code, "R0022", `crash at ${k}: ${JSON.stringify(r)}`);
        assert.equal(await stack.get("counter", "counts", "cy"), { n: 1 }, `crash at ${k}: the visit counted once`);
        if (!crashed) break;
        points = k;
      } finally {
        client.destroy();
        await stack.stop();
      }
    }
    assert.ok(points >= 4, `swept ${points} crash points`);
    console.log(`    ${backend}: ${points} crash points`);
  });
}

test.run();
