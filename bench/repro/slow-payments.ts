// Reproduction 1 of issue 9: on a loaded machine with a short collection window, concurrent
// transactional payments lose exactly-once (money created, counter and audit over-counted), and
// a crash sweep of one payment gets R0008 for an identical retry.
//
//   node --import tsx bench/repro/slow-payments.ts [--backend dynamodb-local|dynalite]
//     [--window-ms 300|default] [--timeout-ms T] [--request-timeout-ms R]
//     [--isolation inline|process] [--payments 10] [--hogs <cores>] [--retries 5]
//     [--sweep-max 40] [--sweep yes|no] [--sweep-amount 20] [--retry-after-ms 0]
//     [--concurrent yes|no] [--seed 1] [--schedule yes|no]
//
// Defaults are the issue's: DynamoDB Local, inline, window 300 ms, ten payments between four
// accounts holding 200 in total, one CPU hog per core. `--window-ms default` leaves the window
// (and the timeouts) to the stack. The app is bench/repro/apps/teller.
//
// Phase 1: ten clients pay concurrently (ids pay-1..pay-10); a client retries with the same id
// and input while its answer is `{ crashed: true }` or R0015. Then recover(), and each id is
// invoked once more for its recorded answer. A payment's outcome is the value its answers gave
// (all must agree); one only ever answered R0015 / R0016 has an unknown outcome. Checked:
// balances sum to 200, none negative, and equal the start plus the audited payments; the
// payments counter equals the committed payments; exactly one audit event per committed
// payment and none for aborted ones; identical retries got the same value; no R0008 answer;
// no crashed answer (nothing was crashed on purpose); every payment answered after recover (a
// value, or R0016 when the result was already collected); recover() finished; no lock left.
// Phase 2: a crash sweep of one payment (pay-1, 20 from a0 to a1: a second execution would
// also have the funds), on a fresh stack per crash point k = 1, 2, ...: invoke with crashAt k,
// retry at once (same id and input) as a client would while the answer is crashed / R0015,
// recover(), wait --retry-after-ms, ask again; the same checks for that one payment. It ends at the first k whose first attempt answers a value (neither crashed nor R0015).
//
// Exit status 1 if any check fails.
import os from "node:os";
import { LocalStack } from "../../local/index.js";
import { Rng } from "../rng.js";
import {
  Answers,
  backendOf,
  finalAnswers,
  Checks,
  client,
  diff,
  Hog,
  kindOf,
  locksLeft,
  num,
  parseFlags,
  requestLine,
  sdkWarnings,
  secs,
  stackOptions,
  timingOf,
  usage,
} from "./issue9-common.js";

const flags = parseFlags(process.argv.slice(2), {
  backend: "dynamodb-local",
  "window-ms": "300",
  "timeout-ms": undefined,
  "request-timeout-ms": undefined,
  isolation: "inline",
  payments: "10",
  hogs: String(os.cpus().length),
  retries: "5",
  "sweep-max": "40",
  sweep: "yes",
  "sweep-amount": "20",
  "retry-after-ms": "0",
  concurrent: "yes",
  seed: "1",
  schedule: "yes",
});
const backend = backendOf(flags.backend);
const isolation = flags.isolation === "process" ? "process" : flags.isolation === "inline" ? "inline" : usage("--isolation inline|process");
const opts = stackOptions({
  app: "bench/repro/apps/teller",
  backend,
  isolation,
  schedule: flags.schedule !== "no",
  windowMs: num(flags, "window-ms"),
  timeoutMs: num(flags, "timeout-ms"),
  requestTimeoutMs: num(flags, "request-timeout-ms"),
});
const PAYMENTS = num(flags, "payments") ?? 10;
const RETRIES = num(flags, "retries") ?? 5;
const ACCOUNTS = ["a0", "a1", "a2", "a3"];
const START = 50; // 4 × 50 = 200

const checks = new Checks();
const hog = new Hog(num(flags, "hogs") ?? os.cpus().length);
console.log(
  `slow-payments: backend ${backend}, isolation ${isolation}, window ${flags["window-ms"] ?? "(stack default)"}, ${PAYMENTS} payments, ${hog.count} hog(s), node ${process.version}`,
);
await new Promise((r) => setTimeout(r, 1000)); // let the hogs get going

async function seed(stack: LocalStack): Promise<void> {
  for (const a of ACCOUNTS) await stack.put("teller", "accounts", a, { balance: START });
}

interface Effects {
  balances: Record<string, number>;
  sum: number;
  counter: number;
  events: { payment: string }[];
}

async function effects(stack: LocalStack): Promise<Effects> {
  const balances: Record<string, number> = {};
  for (const a of ACCOUNTS) balances[a] = ((await stack.get("teller", "accounts", a)) as { balance: number } | null)?.balance ?? NaN;
  const counter = ((await stack.get("teller", "counters", "payments")) as { n: number } | null)?.n ?? 0;
  const events = (await stack.scan("audit", "events")).map((r) => r.value as { payment: string });
  return { balances, sum: Object.values(balances).reduce((s, b) => s + b, 0), counter, events };
}

// ------------------------------------------------------------------ phase 1: concurrent payments
if (flags.concurrent !== "no") {
  const rng = new Rng(num(flags, "seed") ?? 1);
  const payments = Array.from({ length: PAYMENTS }, (_, i) => {
    const from = rng.pick(ACCOUNTS);
    const to = rng.pick(ACCOUNTS.filter((a) => a !== from));
    return { id: `pay-${i + 1}`, input: { payment: `pay-${i + 1}`, from, to, amount: rng.int(10, 40) } };
  });
  const tStart = Date.now();
  const stack = await LocalStack.start(opts);
  const t0 = Date.now();
  try {
    console.log(
      `\nphase 1: ${PAYMENTS} concurrent payments (stack: ${timingOf(stack)}; start incl. build ${secs(t0 - tStart)}, not counted below)`,
    );
    await seed(stack);
    const answers = new Answers();
    const tRun = Date.now();
    const firsts = await Promise.all(payments.map((p) => client(stack, "teller.pay", p.input, p.id, answers, { retries: RETRIES })));
    const runMs = Date.now() - tRun;
    const atClients = await stack.requests();
    const tRec = Date.now();
    let recoverError = "";
    await stack.recover().catch((e) => (recoverError = (e as Error).message));
    const recoverMs = Date.now() - tRec;
    const atRecover = await stack.requests();
    // The effects as recover() left them, before this harness re-asks every id: with a window
    // shorter than the run, a re-ask after the window may (before issue 9's fix) start the payment anew.
    const eRecover = await effects(stack);
    // The recorded answer of each payment (an identical retry).
    const tFinal = Date.now();
    const finals = await finalAnswers(stack, "teller.pay", payments);
    const finalMs = Date.now() - tFinal;
    const all = new Answers();
    all.merge(answers);
    all.merge(finals);
    // A payment's outcome is the value any of its answers gave (all must agree); a payment only
    // ever answered R0015 / R0016 has an unknown outcome, and the effects are checked without it.
    const outcome = new Map(payments.map((p) => [p.id, all.outcome(p.id)]));
    const committed = payments.filter((p) => outcome.get(p.id) === "committed");
    const unknown = payments.filter((p) => outcome.get(p.id) === undefined);
    const e = await effects(stack);
    const locks = await locksLeft(stack);
    console.log(`  clients' answers: ${answers.line()}; after recover: ${finals.line()}`);
    for (const [k, ex] of [...answers.examples, ...finals.examples]) console.log(`    e.g. ${k}: ${ex}`);
    const noValue = firsts.filter((f) => kindOf(f.last) !== "value").length;
    if (noValue) console.log(`  clients left without a value after ${RETRIES} retries: ${noValue}`);
    console.log(`  outcomes: ${payments.map((p) => `${p.id}=${outcome.get(p.id) ?? "unknown"}`).join(" ")}`);
    console.log(
      `  after recover, before the re-asks: balances ${JSON.stringify(eRecover.balances)} (sum ${eRecover.sum}), counter ${eRecover.counter}, audit events ${eRecover.events.length}`,
    );
    console.log(
      `  after the re-asks:                 balances ${JSON.stringify(e.balances)} (sum ${e.sum}), counter ${e.counter}, audit events ${e.events.length}`,
    );
    const perPayment = new Map<string, number>();
    for (const ev of e.events) perPayment.set(ev.payment, (perPayment.get(ev.payment) ?? 0) + 1);
    const byId = new Map(payments.map((p) => [p.id, p.input]));
    const audited = [...perPayment.keys()];
    const badAudit = [...perPayment]
      .filter(([id, n]) => n !== 1 || outcome.get(id) === "aborted" || !byId.has(id))
      .map(([id, n]) => `${id}×${n}`);
    const missingAudit = committed.map((p) => p.id).filter((id) => !perPayment.has(id));
    // Money moved = the audited payments, each once.
    const expected: Record<string, number> = Object.fromEntries(ACCOUNTS.map((a) => [a, START]));
    for (const ev of e.events as { payment: string; from: string; to: string; amount: number }[]) {
      expected[ev.from] = (expected[ev.from] ?? 0) - ev.amount;
      expected[ev.to] = (expected[ev.to] ?? 0) + ev.amount;
    }
    const wrongEvents = (e.events as { payment: string; from: string; to: string; amount: number }[]).filter((ev) => {
      const p = byId.get(ev.payment);
      return !p || p.from !== ev.from || p.to !== ev.to || p.amount !== ev.amount;
    });
    checks.check(
      "sum of balances",
      e.sum === 200 && Object.values(e.balances).every((b) => b >= 0),
      `${e.sum} (expected 200), min ${Math.min(...Object.values(e.balances))}`,
    );
    checks.check(
      "balances = start + audited payments",
      ACCOUNTS.every((a) => e.balances[a] === expected[a]) && !wrongEvents.length,
      `balances ${JSON.stringify(e.balances)}, expected from the audit log ${JSON.stringify(expected)}${wrongEvents.length ? `; ${wrongEvents.length} events match no payment` : ""}`,
    );
    checks.check(
      "counter vs committed",
      unknown.length
        ? e.counter === audited.length && e.counter >= committed.length && e.counter <= committed.length + unknown.length
        : e.counter === committed.length,
      `counter ${e.counter}, committed ${committed.length}${unknown.length ? ` (+ ${unknown.length} of unknown outcome; ${audited.length} audited)` : ""}`,
    );
    checks.check(
      "audit events vs committed",
      (unknown.length ? true : e.events.length === committed.length) && !badAudit.length && !missingAudit.length,
      `${e.events.length} events for ${committed.length} committed${unknown.length ? ` + ${unknown.length} unknown` : ""}${badAudit.length ? `; unexpected ${badAudit.join(" ")}` : ""}${missingAudit.length ? `; missing ${missingAudit.join(" ")}` : ""}`,
    );
    checks.check("identical retries got the same value", !all.conflicts().length, all.conflicts().join("; ") || "yes");
    checks.check(
      "R0008 answers to identical retries",
      answers.counts.R0008 + finals.counts.R0008 === 0,
      `${answers.counts.R0008} from clients, ${finals.counts.R0008} after recover`,
    );
    checks.check(
      "crashed answers (no crashAt)",
      answers.counts.crashed + finals.counts.crashed === 0,
      `${answers.counts.crashed} from clients, ${finals.counts.crashed} after recover`,
    );
    checks.check(
      "every payment answered after recover (R0016 allowed)",
      finals.counts.value + finals.counts.R0016 === PAYMENTS,
      finals.line(),
    );
    console.log(`  outcome unknown to the client (never a value; R0016 after recover): ${unknown.length}`);
    checks.check("recover finished", !recoverError, recoverError || "yes");
    checks.check("no lock left", !locks.length, locks.length ? locks.slice(0, 4).join(", ") : "none");
    console.log(
      `  R0015 answers (retried): ${answers.counts.R0015 + finals.counts.R0015}; R0016 answers: ${answers.counts.R0016 + finals.counts.R0016}`,
    );
    console.log(`  requests, clients' phase: ${requestLine(atClients)}`);
    console.log(`  requests, recover:        ${requestLine(diff(atRecover, atClients))}`);
    console.log(
      `  wall time: clients ${secs(runMs)}, recover ${secs(recoverMs)}, final answers ${secs(finalMs)}, phase total ${secs(Date.now() - t0)} (seed to checks); ${hog.load()}`,
    );
  } finally {
    await stack.stop();
  }
}

// ------------------------------------------------------------------ phase 2: crash sweep of one payment
if (flags.sweep !== "no") {
  const max = num(flags, "sweep-max") ?? 40;
  const amount = num(flags, "sweep-amount") ?? 20;
  const retryAfterMs = num(flags, "retry-after-ms") ?? 0;
  const input = { payment: "pay-1", from: "a0", to: "a1", amount };
  console.log(
    `\nphase 2: crash sweep of one payment ${JSON.stringify(input)}, id pay-1, crashAt k = 1..${max}, re-ask ${retryAfterMs} ms after recover`,
  );
  const t0 = Date.now();
  const bad: string[] = [];
  const tally = new Answers();
  let points = 0;
  let ended = false;
  let invokes = 0;
  let store = 0;
  const undeterminedPoints: number[] = [];
  for (let k = 1; k <= max; k++) {
    const stack = await LocalStack.start(opts);
    try {
      await seed(stack);
      const answers = new Answers();
      const first = await client(stack, "teller.pay", input, "pay-1", answers, { retries: RETRIES, crashAt: k });
      const crashed = kindOf(first.first) === "crashed";
      // R0015 on the first attempt: it stopped at its deadline, maybe before request k; go on.
      const undetermined = kindOf(first.first) === "R0015" || kindOf(first.first) === "R0018";
      if (undetermined) undeterminedPoints.push(k);
      let recoverError = "";
      await stack.recover().catch((e) => (recoverError = (e as Error).message));
      if (retryAfterMs) await new Promise((r) => setTimeout(r, retryAfterMs));
      const again = await stack.invoke("teller.pay", input, { instanceId: "pay-1" });
      answers.add(again, "pay-1 after recover");
      const e = await effects(stack);
      const locks = await locksLeft(stack);
      const counts = await stack.requests();
      invokes += counts.Invoke ?? 0;
      store += Object.entries(counts)
        .filter(([kk]) => kk !== "Invoke" && kk !== "InvokeEvent")
        .reduce((s, [, n]) => s + n, 0);
      tally.merge(answers);
      const problems: string[] = [];
      const value = "ok" in again && again.ok ? (again as { value: unknown }).value : undefined;
      // R0016 (finished more than a window ago, result no longer kept) is the contract for a retry after the window.
      if (value !== "committed" && kindOf(again) !== "R0016") problems.push(`answer after recover ${JSON.stringify(again).slice(0, 200)}`);
      if (answers.conflicts().length) problems.push(`different values for identical retries: ${answers.conflicts().join("; ")}`);
      if ("ok" in first.last && first.last.ok && JSON.stringify(first.last) !== JSON.stringify(again))
        problems.push(`client got ${JSON.stringify(first.last)}, later ${JSON.stringify(again)}`);
      if (answers.counts.R0008) problems.push(`R0008 ×${answers.counts.R0008}: ${answers.examples.get("R0008")}`);
      const unexpectedCrash = answers.counts.crashed - (crashed ? 1 : 0); // the first attempt crashes on purpose
      if (unexpectedCrash > 0) problems.push(`crashed ×${unexpectedCrash} on retries: ${answers.examples.get("crashed")}`);
      if (e.sum !== 200 || e.balances.a0 !== START - amount || e.balances.a1 !== START + amount)
        problems.push(`balances ${JSON.stringify(e.balances)}`);
      if (e.counter !== 1) problems.push(`counter ${e.counter}`);
      if (e.events.length !== 1 || e.events[0]!.payment !== "pay-1") problems.push(`audit events ${e.events.length}`);
      if (recoverError) problems.push(`recover: ${recoverError}`);
      if (locks.length) problems.push(`locks left ${locks.join(", ")}`);
      if (problems.length) {
        bad.push(`k=${k}: ${problems.join("; ")}`);
        console.log(`  FAIL k=${k}: ${problems.join("; ")}`);
      }
      if (!crashed && !undetermined) {
        ended = true;
        points = k - 1;
        break;
      }
      points = k;
    } finally {
      await stack.stop();
    }
  }
  console.log(
    `  ${points} crash point(s)${ended ? "" : ` (sweep stopped at --sweep-max ${max} still crashing)`}; answers over the sweep: ${tally.line()}`,
  );
  if (undeterminedPoints.length)
    console.log(`  first attempt answered R0015 (crash point maybe not reached) at k = ${undeterminedPoints.join(" ")}`);
  console.log(`  requests over the sweep: Invoke ${invokes}, store ${store}; wall time ${secs(Date.now() - t0)}; ${hog.load()}`);
  for (const [k, ex] of tally.examples) if (k !== "crashed") console.log(`    e.g. ${k}: ${ex}`);
  checks.check(
    "crash sweep: every point exactly once, identical retries answered",
    bad.length === 0,
    bad.length ? `${bad.length} bad point(s): ${bad.map((b) => b.split(":")[0]).join(" ")}` : `${points} points`,
  );
  checks.check("crash sweep finished", ended, ended ? "yes" : "no");
}

hog.stop();
console.log(`\nAWS SDK "request exceeded requestTimeout" warnings (suppressed): ${sdkWarnings.requestTimeout}`);
console.log(`\n${checks.failed.length ? `FAILED: ${checks.failed.join("; ")}` : "all invariants hold"}`);
process.exit(checks.failed.length ? 1 : 0);
