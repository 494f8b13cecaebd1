// Garbage collection keeps storage and chains bounded without breaking exactly-once: a hot key
// under sustained writes with passes racing live instances, a crash sweep over a GC pass, and
// instances still inside the window (or unfinished) keeping their logs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocalStack } from "../local/index.js";
import { answered, BACKENDS, ok, stopped } from "./helpers.js";
import { setTimeout as sleep } from "node:timers/promises";

// A short real window for the tests where GC races live instances: T = 4000 > 2500 + 1200.
const short = { windowMs: 4000, timeoutMs: 2500, requestTimeoutMs: 1200 };
// Past the default local window (15 s): GC of a quiescent stack without waiting it out.
const later = { laterByMs: 16_000 };
const itemsOf = (storage: Record<string, number>, service: string) =>
  Object.entries(storage)
    .filter(([t]) => t.includes(`.${service}.`) || t.includes(`.${service}-`))
    .reduce((s, [, n]) => s + n, 0);

for (const backend of BACKENDS) {
  test(`500 exactly-once updates of one hot key (row capacity 8) with GC racing them: each counted once, storage back to a constant (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "examples/hello", backend, rowCapacity: 8, ...short, schedule: false });
    try {
      const n = 500;
      let next = 0;
      let peak = 0;
      let collectedWhileRunning = 0;
      const worker = async () => {
        while (next < n) {
          const i = next++;
          let r = await stack.invoke("counter.bump", { name: "hot" }, { instanceId: `u${i}` });
          // a loaded machine may run past the short timeout: a client retries with the same id
          for (let t = 0; t < 20 && stopped(r); t++) r = await stack.invoke("counter.bump", { name: "hot" }, { instanceId: `u${i}` });
          assert.ok("ok" in r && r.ok, JSON.stringify(r));
        }
      };
      const gcLoop = async () => {
        while (next < n) {
          const g = await stack.gc();
          if (!("crashed" in g) && next < n) collectedWhileRunning += g.intents;
          peak = Math.max(peak, itemsOf(await stack.storage(), "counter"));
          await sleep(50);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker(), gcLoop()]);
      assert.equal(await stack.get("counter", "counts", "hot"), { n }, "every update counted once");
      await stack.recover(); // instances a timeout left unfinished
      await sleep(short.windowMs + 100);
      // A pass keeps to its deadline too: on a loaded machine the backlog takes a few passes.
      let after = Infinity;
      for (let pass = 0; pass < 40 && after > 2; pass++) {
        await stack.gc();
        after = itemsOf(await stack.storage(), "counter");
      }
      assert.ok(after <= 2, `after the window the counter's tables hold ${after} items (tombstones not counted)`);
      // Without GC every update leaves at least its intent and its log batch: 2n items. How many
      // are younger than the window depends on the machine's speed, so the bound is that one.
      assert.ok(collectedWhileRunning > 0, "GC collected finished instances while updates went on");
      assert.ok(peak < 2 * n, `storage stayed below what the updates leave without GC (peak ${peak} items)`);
      // a retry of an old instance after collection finds its tombstone: R0016, nothing runs again
      const retry = await stack.invoke("counter.bump", { name: "hot" }, { instanceId: "u0" });
      assert.equal(("ok" in retry && !retry.ok && retry.error.code) || JSON.stringify(retry), "R0016");
      assert.equal(await stack.get("counter", "counts", "hot"), { n });
      console.log(
        `    ${backend}: peak ${peak} items during the run (${collectedWhileRunning} intents collected meanwhile), ${after} after`,
      );
    } finally {
      await stack.stop();
    }
  });

  test(`an unfinished instance older than the window keeps its log; a finished one inside the window keeps everything (${backend})`, async () => {
    const stack = await LocalStack.start({ app: "test/fixtures/fanout", backend, ...short, schedule: false });
    try {
      // hub.fanout: intent 1, three calls in parallel (each: invoke, update, read/result put), now/uuid/random
      // logged with the write of the stamp; die right after that write
      let crashedAt = 0;
      for (let k = 8; k < 30 && !crashedAt; k++) {
        const r = await stack.invoke("hub.fanout", { k: `x${k}` }, { instanceId: `live-${k}`, crashAt: k });
        if (!("crashed" in r)) break;
        if (await stack.get("hub", "stamps", `x${k}`)) crashedAt = k;
      }
      assert.ok(crashedAt, "found a crash point right after the stamp was written");
      const written = await stack.get("hub", "stamps", `x${crashedAt}`);
      const done = await answered(stack, "hub.fanout", { k: "fresh" }, "finished");
      // let its spawned audit records finish (without recovering the crashed instance: recover() would)
      while (
        (await stack.scan("audit", "entries")).every((r) => r.key !== "fresh") ||
        !((await stack.get("audit", "entries", "fresh")) as { notes?: number })?.notes
      )
        await sleep(20);
      const before = await stack.storage();
      await stack.gc(); // inside the window for "finished"
      assert.equal(await stack.storage(), before, "nothing inside the window is collected");
      await sleep(short.windowMs + 100);
      await stack.gc(); // "finished" is now collectible; the crashed instance is not (unfinished)
      await stack.recover();
      const r = await stack.invoke("hub.fanout", { k: `x${crashedAt}` }, { instanceId: `live-${crashedAt}` });
      assert.equal(r, ok(written), "the recovered instance found its logged now/uuid/random");
      assert.ok((done as { ok: boolean }).ok);
    } finally {
      await stack.stop();
    }
  });

  test(`crash sweep over a GC pass: rerun it and everything collectible goes, no live log is damaged (process, ${backend})`, async () => {
    let points = 0;
    for (let k = 1; k < 400; k++) {
      const stack = await LocalStack.start({ app: "examples/hello", backend, isolation: "process", rowCapacity: 2, schedule: false });
      try {
        for (let i = 0; i < 3; i++) await stack.invoke("greeter.greet", { name: "ann" }, { instanceId: `old-${i}` });
        const live = await stack.invoke("greeter.greet", { name: "ann" }, { instanceId: "live", crashAt: 4 });
        assert.equal(live, { crashed: true });
        const r = await stack.gc({ crashAt: k, ...later });
        const crashed = "crashed" in r;
        if (crashed) await stack.gc(later);
        // every finished tree is gone: only the live instance's intent and logs, and the heads remain
        const s = await stack.storage();
        const intents = Object.entries(s)
          .filter(([t]) => t.endsWith("-intent"))
          .reduce((a, [, n]) => a + n, 0);
        assert.is(intents, 1, `crash at ${k}: only the live intent is left (${JSON.stringify(s)})`);
        await stack.recover();
        assert.equal(await stack.invoke("greeter.greet", { name: "ann" }, { instanceId: "live" }), ok("Hello, ann! Visit number 4."));
        assert.equal(await stack.get("counter", "counts", "ann"), { n: 4 }, `crash at ${k}: each visit counted once`);
        await stack.gc(later);
        const end = await stack.storage();
        assert.ok(
          Object.entries(end).every(([t, n]) => (t.endsWith("-log") || t.endsWith("-intent") ? n === 0 : n <= 1)),
          `crash at ${k}: everything collected at the end: ${JSON.stringify(end)}`,
        );
        if (!crashed) break;
        points = k;
      } finally {
        await stack.stop();
      }
    }
    assert.ok(points >= 10, `swept ${points} crash points of the GC pass`);
    console.log(`    ${backend}: ${points} crash points of a GC pass`);
  });
}

// A client may use one instance id in several services: each starts its own tree with that root.
// GC must wait for every one of them: here the vault's `same` finished long ago while the bank's
// `same` is unfinished, and its callee in the vault logged under the same root (killed after each
// request in turn, GC passes once the vault's tree is past the window, then recovery: every
// effect once).
for (const backend of BACKENDS) {
  test(`one instance id, two services: a finished tree does not make GC collect the live one's logs (process, ${backend})`, async () => {
    let points = 0;
    for (let k = 1; k <= 40; k++) {
      const stack = await LocalStack.start({ app: "test/fixtures/bank", backend, isolation: "process", schedule: false });
      try {
        await stack.put("bank", "accounts", "alice", { balance: 100 });
        await stack.put("vault", "accounts", "bob", { balance: 100 });
        assert.equal(await stack.invoke("vault.transfer", { from: "bob", to: "alice", amount: 1 }, { instanceId: "same" }), {
          ok: true,
          value: "committed",
        });
        await stack.recover();
        const first = await stack.invoke("bank.transfer", { from: "alice", to: "bob", amount: 10 }, { instanceId: "same", crashAt: k });
        if (!("crashed" in first)) break;
        points++;
        // the vault's tree is older than the window now (as far as GC knows)
        await stack.gc(later);
        await stack.gc(later);
        // (no retry by id now: past the window, a finished instance is forgotten and the id is new)
        await stack.recover();
        assert.equal(await stack.get("bank", "accounts", "alice"), { balance: 91 }, `crash at ${k}: withdrawn once`);
        assert.equal(await stack.get("vault", "accounts", "bob"), { balance: 109 }, `crash at ${k}: deposited once`);
      } finally {
        await stack.stop();
      }
    }
    console.log(`    ${backend}: ${points} crash points`);
    assert.ok(points >= 8, `swept ${points}`);
  });
}

test.run();
