// Transaction soak (not part of `npm test`): many random transfers among a few accounts at high
// concurrency, so transactions conflict, wait, die and restart; optionally some transfers are
// crashed mid-flight, recovered and re-invoked. Reports commits, aborts, restarts and latency,
// and fails unless the invariants hold: money conserved, no negative balance, every transfer
// committed or aborted exactly once (one audit record per commit), no lock left held.
//   node --import tsx bench/soak-txn.ts [--transfers 1000] [--accounts 20] [--concurrency 16]
//     [--backend dynalite|dynamodb-local] [--isolation inline|process] [--crash-rate 0] [--seed 1]
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { LocalStack, stopAllWorkers, type InvokeResult } from "../local/index.js";
import { forEachInFlight } from "../local/in-flight.js";
import type { Decision } from "../contract/envelope.js";
import { decisionStepOf } from "../contract/ids.js";
import { locksLeft } from "../test/helpers.js";
import { Rng } from "./rng.js";
import { latency } from "./stats.js";

const APP = "bench/apps/bank";
const SERVICES = ["bank", "vault"] as const; // each keeps one account per id
const START_BALANCE = 100;
const MAX_AMOUNT = 30; // against 100: some transfers find too little money and abort
const MAX_CRASH_AT = 16; // a transfer makes roughly this many requests

const { values: v } = parseArgs({
  options: {
    transfers: { type: "string", default: "1000" },
    accounts: { type: "string", default: "20" },
    concurrency: { type: "string", default: "16" },
    backend: { type: "string", default: "dynalite" },
    isolation: { type: "string", default: "inline" },
    "crash-rate": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  },
});
const o = {
  transfers: Number(v.transfers),
  accounts: Number(v.accounts),
  concurrency: Number(v.concurrency),
  backend: v.backend as "dynalite" | "dynamodb-local",
  isolation: v.isolation as "inline" | "process",
  crashRate: Number(v["crash-rate"]),
  seed: Number(v.seed),
};
if (
  ![o.transfers, o.accounts, o.concurrency].every((n) => Number.isInteger(n) && n > 0) ||
  !(o.crashRate >= 0 && o.crashRate <= 1) ||
  o.accounts < 2
) {
  console.error("--transfers, --accounts (≥ 2) and --concurrency are positive integers; --crash-rate is a fraction in [0, 1]");
  process.exit(2);
}

interface Transfer {
  fn: string;
  input: { from: string; to: string; amount: number };
  crashAt?: number;
}

// The same transfers for a seed: half of them paid from bank accounts into vault accounts,
// half the other way; ids are shared by both services, so 20 ids are 40 balances.
const rng = new Rng(o.seed);
const ids = Array.from({ length: o.accounts / 2 }, (_, i) => `a${i}`);
if (ids.length * 2 !== o.accounts) throw new Error("--accounts must be even (half in each service)");
const transfers: Transfer[] = Array.from({ length: o.transfers }, () => ({
  fn: `${rng.pick(SERVICES)}.transfer`,
  input: { from: rng.pick(ids), to: rng.pick(ids), amount: rng.int(1, MAX_AMOUNT) },
  crashAt: rng.next() < o.crashRate ? rng.int(1, MAX_CRASH_AT) : undefined,
}));

console.log(
  `soak: ${o.transfers} transfers among ${o.accounts} accounts (${ids.length} ids × ${SERVICES.join("/")}), ` +
    `concurrency ${o.concurrency}, ${o.backend}, ${o.isolation}, crash rate ${o.crashRate}, seed ${o.seed}`,
);
// No scheduled collector: GC would delete the logs the restarts are counted from, and crashed
// transfers are recovered by the soak itself (below).
const stack = await LocalStack.start({ app: APP, backend: o.backend, isolation: o.isolation, schedule: false });
const problems: string[] = [];
try {
  for (const s of SERVICES) for (const id of ids) await stack.put(s, "accounts", id, { balance: START_BALANCE });

  // A crashed transfer holds its locks until it is recovered, so recover at once. recover()
  // runs until no intent is unfinished, which it never reaches while new transfers keep
  // starting: new transfers wait at this gate, and the transfers in flight finish first (else
  // recover() re-executes them too, as duplicates: bench/repro/txn-duplicate-locks.ts).
  const inFlight = new Set<Promise<unknown>>();
  let gate: Promise<void> | undefined;
  const recoverNow = () =>
    (gate ??= (async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await stack.recover();
    })().finally(() => (gate = undefined)));
  const invoke = (t: Transfer, instanceId: string, crashAt?: number) => {
    const p = stack.invoke(t.fn, t.input, { instanceId, crashAt });
    inFlight.add(p);
    return p.finally(() => inFlight.delete(p));
  };

  const results: InvokeResult[] = new Array(transfers.length);
  const ms: number[] = [];
  let crashed = 0;
  const t0 = performance.now();
  await forEachInFlight(transfers.length, o.concurrency, async (i) => {
    while (gate) await gate;
    const t = transfers[i]!;
    const start = performance.now();
    let r = await invoke(t, `t${i}`, t.crashAt);
    // Out of time (R0015, not recorded): a client retries with the same id.
    for (let k = 0; k < 10 && "ok" in r && !r.ok && r.error.code === "R0015"; k++) r = await invoke(t, `t${i}`);
    if ("crashed" in r) {
      crashed++;
      await recoverNow();
      r = await invoke(t, `t${i}`);
    } else {
      ms.push(performance.now() - start);
    }
    results[i] = r;
  });
  const wall = performance.now() - t0;
  await stack.recover(); // the spawned audit records

  const value = (r: InvokeResult) => ("value" in r ? r.value : undefined);
  const commits = results.filter((r) => value(r) === "committed").length;
  const aborts = results.filter((r) => value(r) === "aborted").length;
  const other = results.filter((r) => value(r) !== "committed" && value(r) !== "aborted");
  if (other.length) problems.push(`${other.length} transfer(s) neither committed nor aborted, e.g. ${JSON.stringify(other[0])}`);

  // Transaction decisions, as the owners logged them: each log item's E maps step -> value.
  const decisions: Record<string, number> = {};
  for (const s of SERVICES) {
    for (const item of await stack.rawItems(`${stack.prefix}${stack.app.ir.app}.${s}-log`)) {
      for (const [step, e] of Object.entries((item.E ?? {}) as Record<string, unknown>)) {
        if (!step.endsWith(decisionStepOf(""))) continue; // a decision, not a logged read or call
        const kind = (e as Partial<Decision> | null)?.kind;
        if (typeof kind === "string") decisions[kind] = (decisions[kind] ?? 0) + 1;
      }
    }
  }

  const balances = (await Promise.all(SERVICES.map((s) => stack.scan(s, "accounts"))))
    .flat()
    .map((r) => (r.value as { balance: number }).balance);
  const total = balances.reduce((a, b) => a + b, 0);
  if (total !== o.accounts * START_BALANCE) problems.push(`money not conserved: ${total}, started with ${o.accounts * START_BALANCE}`);
  if (balances.some((b) => b < 0)) problems.push(`negative balance: ${Math.min(...balances)}`);
  const audits = (await stack.scan("audit", "log")).length;
  if (audits !== commits) problems.push(`${audits} audit records for ${commits} commits`);
  problems.push(...(await locksLeft(stack)).map((l) => `lock left: ${l}`));

  const lat = latency(ms);
  console.log(
    `commits ${commits}, aborts ${aborts} (${((aborts / o.transfers) * 100).toFixed(1)}%), restarts ${decisions.restart ?? 0}, crashed and recovered ${crashed}`,
  );
  console.log(
    `decisions logged: ${Object.entries(decisions)
      .map(([d, n]) => `${d} ${n}`)
      .join(", ")}`,
  );
  console.log(
    `latency (transfers not crashed, ${ms.length}): p50 ${lat.p50.toFixed(1)} ms, p90 ${lat.p90.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms; ` +
      `${((o.transfers / wall) * 1000).toFixed(0)} transfers/s over ${(wall / 1000).toFixed(1)} s`,
  );
  console.log(
    `store and invoke requests: ${Object.entries(await stack.requests())
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
} finally {
  await stack.stop();
  await stopAllWorkers();
}
console.log(
  problems.length
    ? `INVARIANTS VIOLATED:\n  ${problems.join("\n  ")}`
    : "invariants hold: money conserved, no negative balance, every transfer committed or aborted once, no lock left",
);
process.exit(problems.length ? 1 : 0);
