// Reproduction (runtime bug): a client retry of an in-flight transfer — a duplicate execution
// of the same instance, which LANGUAGE.md §7 and the README say is always safe — leaves
// transaction locks held after everything finished, and every later transfer on those keys
// aborts. Money is conserved; the locks are never released.
//   node --import tsx bench/repro/txn-duplicate-locks.ts
// Expected: "0/5 trials left locks held". Seen: 5/5, e.g.
//   bank.accounts[a] LW="t5/s1.a1", vault.accounts[b] LW="t5/s1.a1"
// Cause, from the logs: attempt a1 of t5 was decided "restart" by one execution (logging
// `locks: []`, as that execution held none), while the other execution of t5 ran attempt a1's
// body, took both locks under the same txn id, then adopted the logged decision — which lists
// none of its locks, so no one ever releases them.
import { LocalStack } from "../../local/index.js";
import { locksLeft } from "../../test/helpers.js";

let bad = 0;
for (let trial = 0; trial < 5; trial++) {
  const stack = await LocalStack.start({ app: "bench/apps/bank", schedule: false });
  try {
    await stack.put("bank", "accounts", "a", { balance: 1000 });
    await stack.put("vault", "accounts", "b", { balance: 1000 });
    const transfer = (i: number) => stack.invoke("bank.transfer", { from: "a", to: "b", amount: 1 }, { instanceId: `t${i}` });
    // 8 transfers on the same two accounts conflict, so wait-die restarts some of them ...
    const first = Array.from({ length: 8 }, (_, i) => transfer(i));
    await new Promise((r) => setTimeout(r, 30));
    // ... and each is retried by its client while still in flight.
    await Promise.all(Array.from({ length: 8 }, (_, i) => transfer(i)));
    await Promise.all(first);
    await stack.recover();
    const left = await locksLeft(stack);
    console.log(`trial ${trial}: locks left ${JSON.stringify(left)}`);
    if (left.length) bad++;
  } finally {
    await stack.stop();
  }
}
console.log(`${bad}/5 trials left locks held`);
process.exit(bad ? 1 : 0);
