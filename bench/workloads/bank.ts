// The bank app's workload (bench/apps/bank, the app of the transaction soak): transfers between
// accounts kept by two services, each a `txn` whose deposit is a call to the other service, and
// a committed one spawns an audit record. More accounts than the soak (100 ids a side, not 10),
// so a run at a few clients measures what a transaction costs, not how often they conflict.
import type { Rng } from "../rng.js";
import { answerValue, succeeded, type Request, type Row, type SmokeCase, type Workload } from "./workload.js";

const SERVICES = ["bank", "vault"] as const;
const IDS = 100;
const START_BALANCE = 100;
const MAX_AMOUNT = 30; // against 100: some transfers find too little money and abort

type Service = (typeof SERVICES)[number];
const other = (s: Service): Service => (s === "bank" ? "vault" : "bank");

export function bank(_seed: number): Workload {
  const ids = Array.from({ length: IDS }, (_, i) => `a${i}`);
  return {
    name: "bank",
    app: "bench/apps/bank",
    mix: { transfer: 1 },
    condWrites: {},

    rows() {
      const rows: Row[] = [];
      for (const service of SERVICES)
        for (const key of ids) rows.push({ service, table: "accounts", key, value: { balance: START_BALANCE } });
      return rows;
    },

    request(kind: string, r: Rng): Request {
      if (kind !== "transfer") throw new Error(`bank has no request kind ${kind}`);
      const payer = r.pick(SERVICES);
      return { kind, fn: `${payer}.transfer`, input: { from: r.pick(ids), to: r.pick(ids), amount: r.int(1, MAX_AMOUNT) } };
    },

    smoke(): SmokeCase[] {
      const is = (want: unknown) => (v: unknown) => (v === want ? null : `expected ${JSON.stringify(want)}, got ${JSON.stringify(v)}`);
      return [
        { fn: "bank.transfer", input: { from: "a0", to: "a1", amount: 10 }, check: is("committed") },
        { fn: "vault.transfer", input: { from: "a1", to: "a0", amount: 25 }, check: is("committed") },
        { fn: "bank.transfer", input: { from: "a0", to: "a1", amount: 10 * START_BALANCE }, check: is("aborted") },
        { fn: "vault.deposit", input: { to: "a2", amount: 5 }, check: is(true) },
        { fn: "bank.deposit", input: { to: "nobody", amount: 5 }, check: is(false) },
        {
          fn: "audit.record",
          input: { from: "a0", to: "a1", amount: 1 },
          check: (v) => (typeof v === "string" && v.length > 0 ? null : `expected a record id, got ${JSON.stringify(v)}`),
        },
      ];
    },

    async verify(stack, done, baseline) {
      const problems: string[] = [];
      // Every balance is its start plus what committed transfers moved (updates are atomic adds,
      // so this holds in baseline mode too); aborted transfers moved nothing.
      const want = new Map<string, number>();
      const move = (s: Service, id: string, by: number) => want.set(`${s}/${id}`, (want.get(`${s}/${id}`) ?? START_BALANCE) + by);
      let commits = 0;
      for (const d of done) {
        if (d.req.kind !== "transfer") continue;
        const v = answerValue(d.result);
        if (v === "aborted") continue;
        if (v !== "committed") continue; // counted as failed below
        commits++;
        const payer = d.req.fn.split(".")[0] as Service;
        const { from, to, amount } = d.req.input as { from: string; to: string; amount: number };
        move(payer, from, -amount);
        move(other(payer), to, amount);
      }
      let total = 0;
      for (const s of SERVICES) {
        for (const row of await stack.scan(s, "accounts")) {
          const balance = (row.value as { balance: number }).balance;
          total += balance;
          const expected = want.get(`${s}/${row.key}`) ?? START_BALANCE;
          if (balance !== expected) problems.push(`${s} ${row.key}: balance ${balance}, committed transfers make it ${expected}`);
          // Without isolation two withdrawals can both pass the check: only Beldi mode must hold this.
          if (!baseline && balance < 0) problems.push(`${s} ${row.key}: negative balance ${balance}`);
        }
      }
      if (total !== SERVICES.length * IDS * START_BALANCE) problems.push(`money not conserved: ${total}`);
      const audits = (await stack.scan("audit", "log")).length;
      if (audits !== commits) problems.push(`${audits} audit records for ${commits} committed transfers`);
      const failed = done.filter(
        (d) => !succeeded(d.result) || (d.req.kind === "transfer" && typeof answerValue(d.result) !== "string"),
      ).length;
      if (failed) problems.push(`${failed} request(s) failed`);
      return problems;
    },
  };
}
