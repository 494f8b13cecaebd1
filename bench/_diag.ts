import { LocalStack } from "../local/index.js";
import { locksLeft } from "../test/helpers.js";
import { Rng } from "./rng.js";
const stack = await LocalStack.start({ app: "bench/apps/bank", schedule: false });
const ids = ["a0", "a1", "a2", "a3"];
for (const s of ["bank", "vault"]) for (const id of ids) await stack.put(s, "accounts", id, { balance: 100 });
const rng = new Rng(Number(process.argv[2] ?? 3));
const N = Number(process.argv[3] ?? 40), C = Number(process.argv[4] ?? 4);
const info: Record<string, string> = {};
let next = 0; let gate: Promise<void> | undefined;
const recoverNow = () => (gate ??= stack.recover().finally(() => (gate = undefined)));
await Promise.all(Array.from({ length: C }, async () => {
  for (let i = next++; i < N; i = next++) {
    while (gate) await gate;
    const crashAt = rng.next() < 0.2 ? rng.int(1, 16) : undefined;
    const fn = `${rng.pick(["bank", "vault"])}.transfer`;
    const input = { from: rng.pick(ids), to: rng.pick(ids), amount: rng.int(1, 30) };
    let r = await stack.invoke(fn, input, { instanceId: `t${i}`, crashAt });
    let s = `${fn} crashAt=${crashAt} -> ${JSON.stringify(r)}`;
    if ("crashed" in r) { await recoverNow(); r = await stack.invoke(fn, input, { instanceId: `t${i}` }); s += ` then ${JSON.stringify(r)}`; }
    info[`t${i}`] = s;
  }
}));
await stack.recover();
const left = await locksLeft(stack);
console.log(left);
const owners = new Set(left.map((l) => /"(t\d+)\//.exec(l)?.[1]).filter(Boolean) as string[]);
for (const o of owners) {
  console.log(o, info[o]);
  for (const svc of ["bank", "vault"]) for (const it of await stack.rawItems(`${stack.prefix}bank.${svc}-log`)) if (String(it.I) === o || String(it.I).startsWith(o + "/")) console.log("  ", svc, JSON.stringify(it).slice(0, 400));
  for (const svc of ["bank", "vault"]) for (const it of await stack.rawItems(`${stack.prefix}bank.${svc}-shadow`)) if (JSON.stringify(it).includes(o + "/")) console.log("  shadow", svc, JSON.stringify(it).slice(0, 400));
}
await stack.stop();
