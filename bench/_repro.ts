// Duplicate executions of in-flight transactions leave locks held.
import { LocalStack } from "../local/index.js";
import { locksLeft } from "../test/helpers.js";
let bad = 0;
for (let trial = 0; trial < 5; trial++) {
  const stack = await LocalStack.start({ app: "test/fixtures/bank", schedule: false });
  await stack.put("bank", "accounts", "a", { balance: 1000 });
  await stack.put("vault", "accounts", "b", { balance: 1000 });
  // 8 transfers on the same two accounts: they conflict, so wait-die restarts some of them.
  const runs = Array.from({ length: 8 }, (_, i) => stack.invoke("bank.transfer", { from: "a", to: "b", amount: 1 }, { instanceId: `t${i}` }));
  await new Promise((r) => setTimeout(r, 30));
  await stack.recover(); // re-executes every unfinished intent, i.e. the in-flight transfers: duplicates
  const results = await Promise.all(runs);
  await stack.recover();
  const left = await locksLeft(stack);
  const a = (await stack.get("bank", "accounts", "a")) as { balance: number };
  const b = (await stack.get("vault", "accounts", "b")) as { balance: number };
  console.log(`trial ${trial}: ${results.map((r) => ("ok" in r && r.ok ? r.value : JSON.stringify(r))).join(",")} sum=${a.balance + b.balance} locks left: ${JSON.stringify(left)}`);
  if (left.length) bad++;
  await stack.stop();
}
console.log(`${bad}/5 trials left locks held`);
