// The bank transfer's cost (issue 16): one Beldi-mode and one baseline stack on the same
// backend, seeded alike, driven with the same transfers at each concurrency, modes alternating
// per round; per mode: p50/p99, store and invoke requests and CPU ms per transfer (this
// process's CPU: handlers run inline, the store too when it is dynalite). Also prints the
// requests of one transfer alone, in order.
//   node --import tsx bench/txn-profile.ts [--transfers 200] [--concurrency 1,4] [--accounts 40]
//     [--rounds 4] [--backend dynalite|dynamodb-local] [--seed 1] [--trace]
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { forEachInFlight } from "../local/in-flight.js";
import { LocalStack, stopAllWorkers } from "../local/index.js";
import { locksLeft } from "../test/helpers.js";
import { Rng } from "./rng.js";
import { add, delta, latency, type Counts } from "./stats.js";

const APP = "bench/apps/bank";
const { values: v } = parseArgs({
  options: {
    transfers: { type: "string", default: "200" },
    concurrency: { type: "string", default: "1,4" },
    accounts: { type: "string", default: "40" },
    rounds: { type: "string", default: "4" },
    backend: { type: "string", default: "dynalite" },
    seed: { type: "string", default: "1" },
    trace: { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const o = {
  transfers: Number(v.transfers),
  concurrencies: v.concurrency!.split(",").map(Number),
  accounts: Number(v.accounts),
  rounds: Number(v.rounds),
  backend: v.backend as "dynalite" | "dynamodb-local",
  seed: Number(v.seed),
};

interface Transfer {
  fn: string;
  input: { from: string; to: string; amount: number };
}
const rng = new Rng(o.seed);
const ids = Array.from({ length: o.accounts }, (_, i) => `a${i}`);
const transfers = (n: number): Transfer[] =>
  Array.from({ length: n }, () => {
    const from = rng.pick(ids);
    let to = rng.pick(ids);
    while (to === from) to = rng.pick(ids);
    return { fn: "bank.transfer", input: { from, to, amount: 1 } };
  });

type Mode = "beldi" | "baseline";
// --only beldi|baseline: drive one mode (for `node --cpu-prof`)
const MODES = (v.only ? [v.only] : ["beldi", "baseline"]) as Mode[];
const stacks = {} as Record<Mode, LocalStack>;
let run = 0;

async function drive(stack: LocalStack, list: Transfer[], concurrency: number): Promise<{ ms: number[]; outcomes: Counts }> {
  const ms: number[] = [];
  const outcomes: Counts = {};
  const tag = `r${run++}-`;
  await forEachInFlight(list.length, concurrency, async (i) => {
    const t = list[i]!;
    const start = performance.now();
    const r = await stack.invoke(t.fn, t.input, { instanceId: `${tag}${i}` });
    ms.push(performance.now() - start);
    const k = "value" in r ? String(r.value) : JSON.stringify(r).slice(0, 80);
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  });
  return { ms, outcomes };
}

console.log(
  `txn-profile: bank.transfer, ${o.transfers} transfers per mode and concurrency (${o.rounds} alternating rounds), ` +
    `${o.accounts} account ids, ${o.backend}, inline; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
try {
  for (const mode of MODES) {
    const s = await LocalStack.start({ app: APP, backend: o.backend, isolation: "inline", schedule: false, baseline: mode === "baseline" });
    stacks[mode] = s;
    for (const svc of ["bank", "vault"]) for (const id of ids) await s.put(svc, "accounts", id, { balance: 1_000_000 });
    await drive(s, transfers(20), 2); // warm-up
    await s.recover();
  }

  // One transfer alone: its requests in order.
  for (const mode of MODES) {
    const s = stacks[mode];
    const seen: string[] = [];
    const before = await s.requests();
    await s.invoke(
      "bank.transfer",
      { from: "a0", to: "a1", amount: 1 },
      { instanceId: `alone-${mode}`, onRequest: (_n, r) => seen.push(r) },
    );
    await s.recover();
    const d = delta(before, await s.requests());
    const total = Object.values(d).reduce((a, b) => a + b, 0);
    console.log(`\n${mode}: one transfer alone: ${total} requests (${fmt(d)})`);
    if (v.trace) for (const [i, r] of seen.entries()) console.log(`  ${i + 1}. ${r}`);
  }

  for (const c of o.concurrencies) {
    const acc = {} as Record<Mode, { ms: number[]; counts: Counts; cpuMs: number; outcomes: Counts; n: number }>;
    for (const m of MODES) acc[m] = { ms: [], counts: {}, cpuMs: 0, outcomes: {}, n: 0 };
    const per = Math.ceil(o.transfers / o.rounds);
    for (let r = 0; r < o.rounds; r++) {
      const list = transfers(per);
      for (const m of r % 2 === 0 ? MODES : [...MODES].reverse()) {
        const s = stacks[m];
        const before = await s.requests();
        const cpu = process.cpuUsage();
        const d = await drive(s, list, c);
        await s.recover(); // the spawned audit records belong to the transfers
        const used = process.cpuUsage(cpu);
        add(acc[m].counts, delta(before, await s.requests()));
        acc[m].cpuMs += (used.user + used.system) / 1000;
        acc[m].ms.push(...d.ms);
        acc[m].n += list.length;
        add(acc[m].outcomes, d.outcomes);
      }
    }
    console.log(`\nconcurrency ${c} (load ${os.loadavg()[0]!.toFixed(2)}):`);
    for (const m of MODES) {
      const a = acc[m];
      const l = latency(a.ms);
      const total = Object.values(a.counts).reduce((x, y) => x + y, 0);
      const per1 = Object.fromEntries(Object.entries(a.counts).map(([k, n]) => [k, Number((n / a.n).toFixed(2))]));
      console.log(
        `  ${m.padEnd(8)} p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, mean ${l.mean.toFixed(1)} ms; ` +
          `CPU ${(a.cpuMs / a.n).toFixed(1)} ms/transfer; requests ${(total / a.n).toFixed(2)}/transfer (${fmt(per1)}); ${fmt(a.outcomes)}`,
      );
    }
    if (MODES.length < 2) continue;
    const b = latency(acc.beldi.ms);
    const base = latency(acc.baseline.ms);
    console.log(
      `  ratio    p50 ${(b.p50 / base.p50).toFixed(2)}×, p99 ${(b.p99 / base.p99).toFixed(2)}×, CPU ${(acc.beldi.cpuMs / acc.baseline.cpuMs).toFixed(2)}×`,
    );
  }
  const left = stacks.beldi ? await locksLeft(stacks.beldi) : [];
  if (left.length) console.log(`LOCKS LEFT: ${left.join(", ")}`);
} finally {
  for (const s of Object.values(stacks)) await s.stop();
  await stopAllWorkers();
}

function fmt(c: Counts): string {
  return Object.entries(c)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}
