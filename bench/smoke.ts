// Smoke test of the bench's apps (the examples and bank): seed each on a LocalStack, invoke each entry fn (the cases of
// its workload) and check the answers make sense — in Beldi mode and in baseline mode.
//   node --import tsx bench/smoke.ts [--app travel|movie|social|bank|all] [--backend ...] [--isolation ...]
import { parseArgs } from "node:util";
import { LocalStack, stopAllWorkers } from "../local/index.js";
import { seed } from "./seed.js";
import { BENCH_APPS } from "./workloads/index.js";

const { values: opts } = parseArgs({
  options: {
    app: { type: "string", default: "all" },
    backend: { type: "string", default: "dynalite" },
    isolation: { type: "string", default: "inline" },
  },
});
const apps = opts.app === "all" ? Object.keys(BENCH_APPS) : [opts.app!];
let failures = 0;

for (const name of apps) {
  const make = BENCH_APPS[name];
  if (!make) throw new Error(`unknown app ${name} (have ${Object.keys(BENCH_APPS).join(", ")})`);
  for (const baseline of [false, true]) {
    const w = make(1);
    const stack = await LocalStack.start({
      app: w.app,
      backend: opts.backend as "dynalite" | "dynamodb-local",
      isolation: opts.isolation as "inline" | "process",
      schedule: false,
      baseline,
    });
    const mode = baseline ? "baseline" : "beldi";
    try {
      await seed(stack, w.rows());
      for (const [i, c] of w.smoke().entries()) {
        const r = await stack.invoke(c.fn, c.input, { instanceId: `smoke-${i}` });
        await stack.recover(); // the next case may look at what this one spawned
        let problem: string | null;
        if ("crashed" in r) problem = `crashed: ${r.reason ?? ""}`;
        else if (c.fails)
          problem = !r.ok && c.fails.test(r.error.message) ? null : `expected a failure matching ${c.fails}, got ${JSON.stringify(r)}`;
        else
          problem =
            "value" in r ? (c.check?.(r.value) ?? null) : r.ok ? `pending: ${r.instanceId}` : `failed: ${r.error.code} ${r.error.message}`;
        if (problem) failures++;
        console.log(`${problem ? "✗" : "✓"} ${name} (${mode}) ${c.fn} ${JSON.stringify(c.input)}${problem ? `\n    ${problem}` : ""}`);
      }
    } finally {
      await stack.stop();
    }
  }
}
await stopAllWorkers();
console.log(failures ? `${failures} smoke case(s) failed` : "all smoke cases passed");
process.exit(failures ? 1 : 0);
