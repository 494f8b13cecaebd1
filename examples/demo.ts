// `npm start`: builds every example app, then runs the hello app on the local stack to show what
// exactly-once means — a crash in the middle of a workflow, recovery, and a client's retry,
// with every effect happening once.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "../compiler/index.js";
import { LocalStack, type InvokeResult } from "../local/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const show = (r: unknown) => JSON.stringify(r);

async function buildExamples(): Promise<void> {
  console.log("== building the examples ==");
  for (const name of readdirSync(here).sort()) {
    const dir = path.join(here, name);
    if (!statSync(dir).isDirectory() || !readdirSync(dir).some((f) => f.endsWith(".beldi"))) continue;
    const t = Date.now();
    const r = await build(dir, path.join(root, "dist", name));
    if (!r.ok) {
      console.error(`${name}: does not compile`);
      for (const d of r.diagnostics) console.error(`  ${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`);
      process.exit(1);
    }
    const services = Object.keys(r.bundles);
    console.log(`${name}: ${services.length} service(s) [${services.join(", ")}] -> dist/${name}/ (${Date.now() - t} ms)`);
  }
}

function expect(what: string, ok: boolean): void {
  console.log(`   ${ok ? "✓" : "✗"} ${what}`);
  if (!ok) process.exitCode = 1;
}

async function demo(): Promise<void> {
  console.log("\n== hello, on the local stack (dynalite + our Lambda Invoke API, each function in its own process) ==");
  const stack = await LocalStack.start({ app: path.join(here, "hello"), isolation: "process", schedule: false });
  try {
    const before = await stack.requests();
    const r1 = await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "visit-1" });
    console.log(`1. greeter.greet("ada") as instance visit-1 -> ${show(r1)}`);
    const after = await stack.requests();
    const used = Object.entries(after).map(([k, n]) => `${k} ${n - (before[k] ?? 0)}`);
    console.log(`   store and invoke requests it made: ${used.join(", ")}`);

    const r2 = await stack.invoke("greeter.greet", { name: "ada" }, { instanceId: "visit-1" });
    console.log(`2. the client retries visit-1 (say its connection dropped) -> ${show(r2)}`);
    expect(
      "same answer, and ada was counted once",
      show(r1) === show(r2) && show(await stack.get("counter", "counts", "ada")) === '{"n":1}',
    );

    console.log('3. greeter.greet("bob") as visit-2, and its process is killed right after its 3rd request:');
    console.log("   (1: greeter registers the intent, 2: calls counter.bump, which updates bob's count (3) ...)");
    const crashed: InvokeResult = await stack.invoke("greeter.greet", { name: "bob" }, { instanceId: "visit-2", crashAt: 3 });
    console.log(`   -> ${show(crashed)}`);
    console.log(
      `   bob's count is now ${show(await stack.get("counter", "counts", "bob"))}; his greeting: ${show(await stack.get("greeter", "greetings", "bob"))}`,
    );
    console.log("   A plain retry of this workflow would count bob twice. Beldi's intent collector re-executes it instead:");
    await stack.recover();
    const greeting = await stack.get("greeter", "greetings", "bob");
    const count = await stack.get("counter", "counts", "bob");
    console.log(`   after recovery: bob's count ${show(count)}, his greeting ${show(greeting)}`);
    expect("the update that happened before the crash was not applied again", show(count) === '{"n":1}');
    expect("the rest of the workflow finished", (greeting as { visits?: number } | null)?.visits === 1);
    const r3 = await stack.invoke("greeter.greet", { name: "bob" }, { instanceId: "visit-2" });
    console.log(`4. the client retries visit-2 -> ${show(r3)}`);
    expect(
      "it gets the recovered result and nothing runs twice",
      (r3 as { ok?: boolean }).ok === true && show(await stack.get("counter", "counts", "bob")) === '{"n":1}',
    );

    const bad = await stack.invoke("greeter.greet", { name: 42 }, { instanceId: "visit-3" });
    console.log(`5. a payload of the wrong type is refused before anything runs -> ${show(bad)}`);
  } finally {
    await stack.stop();
  }
  console.log('\nMore: `npm run beldi -- run examples/hello greeter.greet --input \'{"name":"you"}\'`, and README.md.');
}

await buildExamples();
await demo();
