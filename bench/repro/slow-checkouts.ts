// Reproduction 2 of issue 9: on a loaded machine with the default window, concurrent checkouts
// of one SKU crash without any crashAt (CalleeUnavailable), Invoke requests multiply, and
// identical retries are answered R0008. Target: with defaults, no more than ~1.2× the Invoke
// requests of a long-window run.
//
//   node --import tsx bench/repro/slow-checkouts.ts [--backend dynalite|dynamodb-local]
//     [--window-ms default|T] [--long-window-ms 60000] [--timeout-ms T] [--request-timeout-ms R]
//     [--isolation inline|process] [--clients 20] [--stock 15] [--hogs <cores>] [--retries 5]
//     [--runs both|default|long] [--idle-after-stop-ms 0]
//
// Defaults are the issue's: dynalite, inline, the stack's default window, 20 concurrent
// checkouts of one SKU, one CPU hog per core. The same workload runs twice, on a fresh stack
// each: with --window-ms (default: the stack's own) and with --long-window-ms; the ratio of
// their Invoke requests is printed. The app is bench/repro/apps/checkout.
//
// A checkout makes 7 synchronous calls (catalog, pricing, inventory, wallet -> fraud, loyalty,
// tax) and one spawn (shipping) when it gets a unit; 3 calls when the SKU is sold out.
// Each client invokes shop.checkout (ids co-1..co-20) and retries with the same id and input
// while the answer is `{ crashed: true }` or R0015. Then recover(), and each id is invoked once
// more for its recorded answer. Checked per run: units sold = "ok" answers = orders = the
// checkouts counter = shipments = tax records = fraud checks (one per order); wallets charged
// and loyalty points awarded once per order; every "ok" answer has its order stored and no
// "sold out" answer has; identical retries got the same value; no R0008 answer; no crashed
// answer (nothing is crashed on purpose); every checkout answered (a value, or R0016 when the
// result was collected); recover() finished; no lock left.
// Across runs: Invoke(default window) <= 1.2 × Invoke(long window).
//
// Exit status 1 if any check fails.
import os from "node:os";
import { LocalStack } from "../../local/index.js";
import {
  Answers,
  backendOf,
  finalAnswers,
  Checks,
  client,
  diff,
  Hog,
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
  backend: "dynalite",
  "window-ms": undefined,
  "long-window-ms": "60000",
  "timeout-ms": undefined,
  "request-timeout-ms": undefined,
  isolation: "inline",
  clients: "20",
  stock: "15",
  hogs: String(os.cpus().length),
  retries: "5",
  runs: "both",
  "idle-after-stop-ms": "0",
});
const backend = backendOf(flags.backend);
const isolation = flags.isolation === "process" ? "process" : flags.isolation === "inline" ? "inline" : usage("--isolation inline|process");
const CLIENTS = num(flags, "clients") ?? 20;
const STOCK = num(flags, "stock") ?? 12;
const RETRIES = num(flags, "retries") ?? 5;
const PRICE = 5;
const USERS = 5;
const runs = flags.runs ?? "both";
if (!["both", "default", "long"].includes(runs)) usage("--runs both|default|long");

const checks = new Checks();
const hog = new Hog(num(flags, "hogs") ?? os.cpus().length);
console.log(
  `slow-checkouts: backend ${backend}, isolation ${isolation}, ${CLIENTS} clients, stock ${STOCK}, ${hog.count} hog(s), node ${process.version}`,
);
await new Promise((r) => setTimeout(r, 1000)); // let the hogs get going

interface RunResult {
  label: string;
  timing: string;
  invoke: number;
  invokeEvent: number;
  store: number;
  wallMs: number;
  crashed: number;
  r0008: number;
  r0015: number;
}

async function run(label: string, windowMs: number | undefined): Promise<RunResult> {
  const tStart = Date.now();
  const stack = await LocalStack.start(
    stackOptions({
      app: "bench/repro/apps/checkout",
      backend,
      isolation,
      schedule: true,
      windowMs,
      timeoutMs: num(flags, "timeout-ms"),
      requestTimeoutMs: num(flags, "request-timeout-ms"),
    }),
  );
  try {
    const timing = timingOf(stack);
    console.log(`\nrun "${label}" (stack: ${timing}; start incl. build ${secs(Date.now() - tStart)}, not counted below)`);
    const t0 = Date.now();
    await stack.put("catalog", "items", "sku-1", { price: PRICE });
    await stack.put("inventory", "stock", "sku-1", { left: STOCK });
    const orders = Array.from({ length: CLIENTS }, (_, i) => ({
      id: `co-${i + 1}`,
      input: { order: `o-${i + 1}`, user: `u-${i % USERS}`, sku: "sku-1", qty: 1 },
    }));
    const answers = new Answers();
    const tRun = Date.now();
    await Promise.all(orders.map((o) => client(stack, "shop.checkout", o.input, o.id, answers, { retries: RETRIES })));
    const runMs = Date.now() - tRun;
    const atClients = await stack.requests();
    const tRec = Date.now();
    let recoverError = "";
    await stack.recover().catch((e) => (recoverError = (e as Error).message));
    const recoverMs = Date.now() - tRec;
    const atRecover = await stack.requests();
    const tFinal = Date.now();
    const finals = await finalAnswers(stack, "shop.checkout", orders);
    const wallMs = Date.now() - t0;
    const finalMs = Date.now() - tFinal;
    const all = new Answers();
    all.merge(answers);
    all.merge(finals);
    // A checkout's outcome is the value any of its answers gave (all must agree); one only ever
    // answered R0015 / R0016 has an unknown outcome. The effects are checked against the stored
    // orders, and the known outcomes against the effects.
    const outcome = new Map(orders.map((o) => [o.id, all.outcome(o.id)]));
    const okIds = orders.filter((o) => outcome.get(o.id) === "ok");
    const soldOutIds = orders.filter((o) => outcome.get(o.id) === "sold out");
    const unknown = orders.filter((o) => outcome.get(o.id) === undefined || outcome.get(o.id) === "conflict");
    const left = ((await stack.get("inventory", "stock", "sku-1")) as { left: number } | null)?.left ?? NaN;
    const stored = (await stack.scan("shop", "orders")).map((r) => r.key);
    const storedSet = new Set(stored);
    const counter = ((await stack.get("shop", "counters", "checkouts")) as { n: number } | null)?.n ?? 0;
    const shipments = (await stack.scan("shipping", "shipments")).map((r) => (r.value as { order: string }).order);
    const wallets = (await stack.scan("wallet", "wallets")).map((r) => r.value as { spent: number; orders: string[] });
    const walletOrders = wallets.flatMap((w) => w.orders);
    const spent = wallets.reduce((s, w) => s + w.spent, 0);
    const locks = await locksLeft(stack);
    const taxes = (await stack.scan("tax", "records")).map((r) => r.key);
    const frauds = (await stack.scan("fraud", "checks")).map((r) => r.key);
    const loyalty = (await stack.scan("loyalty", "accounts")).map((r) => r.value as { points: number; orders: string[] });
    const loyaltyOrders = loyalty.flatMap((l) => l.orders);
    const points = loyalty.reduce((s, l) => s + l.points, 0);
    const dupLoyalty = loyaltyOrders.filter((o, i) => loyaltyOrders.indexOf(o) !== i);
    const dupShip = shipments.filter((o, i) => shipments.indexOf(o) !== i);
    const dupWallet = walletOrders.filter((o, i) => walletOrders.indexOf(o) !== i);
    const n = stored.length;
    const sameSet = (xs: string[]) => xs.length === n && xs.every((x) => storedSet.has(x));

    console.log(`  clients' answers: ${answers.line()}; after recover: ${finals.line()}`);
    for (const [k, ex] of [...answers.examples, ...finals.examples]) console.log(`    e.g. ${k}: ${ex}`);
    console.log(
      `  answered ok ${okIds.length}, sold out ${soldOutIds.length}, unknown ${unknown.length}; stock left ${left}; orders ${n}; counter ${counter}; shipments ${shipments.length}; ` +
        `tax ${taxes.length}; fraud ${frauds.length}; wallet orders ${walletOrders.length}, spent ${spent}; loyalty orders ${loyaltyOrders.length}, points ${points}`,
    );
    const sold = STOCK - left;
    const okWithout = okIds.filter((o) => !storedSet.has(o.input.order)).map((o) => o.id);
    const soldOutWith = soldOutIds.filter((o) => storedSet.has(o.input.order)).map((o) => o.id);
    checks.check(
      `${label}: answers agree with the effects`,
      !okWithout.length && !soldOutWith.length && (unknown.length > 0 || okIds.length === n),
      `${okIds.length} answered ok, ${n} orders stored${okWithout.length ? `; ok without an order: ${okWithout.join(" ")}` : ""}${soldOutWith.length ? `; answered "sold out" but the order is stored: ${soldOutWith.length} (${soldOutWith.slice(0, 5).join(" ")}…)` : ""}${unknown.length ? `; ${unknown.length} unknown` : ""}`,
    );
    checks.check(`${label}: identical retries got the same value`, !all.conflicts().length, all.conflicts().join("; ") || "yes");
    checks.check(`${label}: units sold = orders = counter`, sold === n && counter === n, `sold ${sold}, orders ${n}, counter ${counter}`);
    checks.check(
      `${label}: one shipment per order`,
      sameSet(shipments) && !dupShip.length,
      `${shipments.length} shipments for ${n} orders${dupShip.length ? `; duplicated ${dupShip.join(" ")}` : ""}`,
    );
    checks.check(
      `${label}: wallets charged once per order`,
      sameSet(walletOrders) && !dupWallet.length && spent === PRICE * n,
      `${walletOrders.length} charges, spent ${spent} for ${n} orders${dupWallet.length ? `; duplicated ${dupWallet.join(" ")}` : ""}`,
    );
    checks.check(
      `${label}: loyalty awarded once per order`,
      sameSet(loyaltyOrders) && !dupLoyalty.length && points === PRICE * n,
      `${loyaltyOrders.length} awards, ${points} points for ${n} orders${dupLoyalty.length ? `; duplicated ${dupLoyalty.join(" ")}` : ""}`,
    );
    checks.check(
      `${label}: one tax record and one fraud check per order`,
      sameSet(taxes) && sameSet(frauds),
      `tax ${taxes.length}, fraud ${frauds.length} for ${n} orders`,
    );
    checks.check(
      `${label}: R0008 answers to identical retries`,
      answers.counts.R0008 + finals.counts.R0008 === 0,
      `${answers.counts.R0008} from clients, ${finals.counts.R0008} after recover`,
    );
    checks.check(
      `${label}: crashed answers (no crashAt)`,
      answers.counts.crashed + finals.counts.crashed === 0,
      `${answers.counts.crashed} from ${answers.ids.get("crashed")?.size ?? 0} of ${CLIENTS} clients, ${finals.counts.crashed} after recover`,
    );
    checks.check(
      `${label}: every checkout answered after recover (R0016 allowed)`,
      finals.counts.value + finals.counts.R0016 === CLIENTS,
      finals.line(),
    );
    checks.check(`${label}: recover finished`, !recoverError, recoverError || "yes");
    checks.check(`${label}: no lock left`, !locks.length, locks.length ? locks.slice(0, 4).join(", ") : "none");
    console.log(
      `  R0015 answers (retried): ${answers.counts.R0015 + finals.counts.R0015}; R0016 answers: ${answers.counts.R0016 + finals.counts.R0016}`,
    );
    console.log(`  requests, clients' phase: ${requestLine(atClients)}`);
    console.log(`  requests, recover:        ${requestLine(diff(atRecover, atClients))}`);
    console.log(
      `  wall time: clients ${secs(runMs)}, recover ${secs(recoverMs)}, final answers ${secs(finalMs)}, run total ${secs(wallMs)} (seed to final answers); ${hog.load()}`,
    );
    const store = Object.entries(atRecover)
      .filter(([k]) => k !== "Invoke" && k !== "InvokeEvent")
      .reduce((s, [, n]) => s + n, 0);
    return {
      label,
      timing,
      invoke: atRecover.Invoke ?? 0,
      invokeEvent: atRecover.InvokeEvent ?? 0,
      store,
      wallMs,
      crashed: answers.counts.crashed + finals.counts.crashed,
      r0008: answers.counts.R0008 + finals.counts.R0008,
      r0015: answers.counts.R0015 + finals.counts.R0015,
    };
  } finally {
    await stack.stop();
    // Does work of the stopped stack go on in this process (inline executions, retries)? CPU time used while idle.
    const idle = num(flags, "idle-after-stop-ms") ?? 0;
    if (idle) {
      const before = process.cpuUsage();
      await new Promise((r) => setTimeout(r, idle));
      const used = process.cpuUsage(before);
      console.log(`  after stop(): this process used ${((used.user + used.system) / 1e6).toFixed(1)} s CPU in ${secs(idle)} idle`);
    }
  }
}

const results: RunResult[] = [];
if (runs !== "long") results.push(await run(`window ${flags["window-ms"] ?? "default"}`, num(flags, "window-ms")));
if (runs !== "default") results.push(await run(`window ${flags["long-window-ms"]}`, num(flags, "long-window-ms") ?? 60000));

console.log("\nsummary (requests up to the end of recover):");
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(14)} [${r.timing}]: Invoke ${r.invoke}, InvokeEvent ${r.invokeEvent}, store ${r.store}, wall ${secs(r.wallMs)}, crashed ${r.crashed}, R0008 ${r.r0008}, R0015 ${r.r0015}`,
  );
}
if (results.length === 2) {
  const ratio = results[0]!.invoke / Math.max(1, results[1]!.invoke);
  checks.check(
    "Invoke requests, default window / long window",
    ratio <= 1.2,
    `${results[0]!.invoke} / ${results[1]!.invoke} = ${ratio.toFixed(2)}× (target <= 1.2×)`,
  );
}
hog.stop();
console.log(`\nAWS SDK "request exceeded requestTimeout" warnings (suppressed): ${sdkWarnings.requestTimeout}`);
console.log(`\n${checks.failed.length ? `FAILED: ${checks.failed.join("; ")}` : "all invariants hold"}`);
process.exit(checks.failed.length ? 1 : 0);
