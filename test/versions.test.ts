// Redeploys never break work in flight (issue 12): an instance runs, from its first step to its
// end, on the app version it started on — its re-executions, its callees, what it spawns and a
// client's retry of it — while new instances run the new version, against the same tables.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileCommand, type Io } from "../compiler/cli.js";
import { check, loadApp } from "../compiler/check-api.js";
import { runCommand } from "../local/commands/run.js";
import { versionsCommand } from "../local/commands/versions.js";
import { LocalStack, type InvokeResult } from "../local/index.js";
import { Deployments, type Deployment } from "../local/deployments.js";
import { functionOf } from "../local/invoke-server.js";
import { answered, BACKENDS, ok, stopped } from "./helpers.js";

const V1 = "test/fixtures/versions/v1/orders";
const V2 = "test/fixtures/versions/v2/orders";
const RETYPED = "test/fixtures/versions/v2-retyped/orders";
const input = (id: string) => ({ id, item: "book", qty: 2 });

async function entries(stack: LocalStack, service: string, table: string, id: string): Promise<string[]> {
  const v = (await stack.get(service, table, "all")) as { entries?: string[] } | null;
  return (v?.entries ?? []).filter((e) => e.split(":")[0]!.split(" ").includes(id));
}

/** Every effect of instance `id` is version 1's, exactly once; version 2's code never touched it. */
async function assertRanOnV1(stack: LocalStack, id: string, result: InvokeResult): Promise<void> {
  assert.equal(result, ok(`v1 ${id} paid 20`), "the result");
  assert.equal(await stack.get("shop", "orders", id), { item: "book", qty: 2 }, "v1 writes no note");
  assert.equal(await entries(stack, "pay", "ledger", id), [`${id}:20`], "charged once, by v1's pay.charge");
  assert.equal(await entries(stack, "mail", "outbox", id), [`${id}:placed book`], "mailed once, by v1's mail.send");
}

/** A new instance runs version 2, with its reordered steps, its added call and its new field. */
async function assertNewRunsV2(stack: LocalStack, id: string, n: number): Promise<void> {
  const r = await answered(stack, "shop.place", input(id), id);
  await stack.recover(); // its spawned mail
  assert.equal(r, ok(`v2 ${id} paid 20`));
  assert.equal(await stack.get("shop", "orders", id), { item: "book", qty: 2, note: `order ${n}` });
  assert.equal(await entries(stack, "pay", "ledger", id), [`v2 ${id}:20`]);
  assert.equal(await entries(stack, "mail", "outbox", id), [`v2 ${id}:placed book (v2)`]);
}

test("the Invoke API's qualifiers: name:alias, ARNs and ?Qualifier= name a version; none, $LATEST and live the current one", () => {
  assert.equal(functionOf("orders-shop", ""), { name: "orders-shop" });
  assert.equal(functionOf("orders-shop%3Avabc", ""), { name: "orders-shop", qualifier: "vabc" });
  assert.equal(functionOf("orders-shop", "Qualifier=vabc"), { name: "orders-shop", qualifier: "vabc" });
  assert.equal(functionOf("arn:aws:lambda:us-east-1:123456789012:function:orders-shop:vabc", ""), {
    name: "orders-shop",
    qualifier: "vabc",
  });
  // not valid percent-encoding: no name (the invoke API answers 400; it once threw, ending the stack)
  assert.is(functionOf("%E0%A4%A", ""), null);
  assert.is(functionOf("orders-shop%", ""), null);
  const d = (version: string, services: string[]): Deployment =>
    ({ version, app: { ir: { services: services.map((name) => ({ name })) } }, executor: {} }) as unknown as Deployment;
  const ds = new Deployments();
  ds.add(d("aaa", ["shop", "mail"]));
  ds.add(d("bbb", ["shop", "counter"]));
  assert.is(ds.resolve("shop", undefined)?.version, "bbb");
  assert.is(ds.resolve("shop", "$LATEST")?.version, "bbb");
  assert.is(ds.resolve("shop", "live")?.version, "bbb");
  assert.is(ds.resolve("shop", "vaaa")?.version, "aaa");
  assert.is(ds.resolve("mail", undefined), undefined, "the current version has no mail");
  assert.is(ds.resolve("mail", "vaaa")?.version, "aaa", "but the kept one does");
  assert.is(ds.resolve("shop", "vzzz"), undefined, "a version never deployed");
  assert.equal(ds.services().sort(), ["counter", "mail", "shop"]);
  assert.is(ds.newestWith("mail")?.version, "aaa");
  ds.add(d("aaa", ["shop", "mail"]));
  assert.is(ds.current.version, "aaa", "deploying a kept version again makes it current");
});

test("an app version covers its extern modules: editing one alone makes a new version", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-extern-version-"));
  cpSync("test/fixtures/fanout", dir, { recursive: true });
  const version = () => {
    const { app, appDir, files } = loadApp(dir);
    const r = check(files, { app, appDir });
    assert.ok(r.ir, JSON.stringify(r.diagnostics));
    return r.ir!.codeVersion;
  };
  const before = version();
  assert.is(version(), before, "the same sources, the same version");
  appendFileSync(path.join(dir, "math.ts"), "\n// an edit\n");
  assert.is.not(version(), before);
});

for (const backend of BACKENDS) {
  test(`crash sweep across a redeploy: v1 crashed at every request, v2 deployed, v1 finishes on v1 exactly once; new instances run v2 (process isolation, ${backend})`, async () => {
    let points = 0;
    for (let k = 1; k <= 80; k++) {
      const stack = await LocalStack.start({ app: V1, backend, isolation: "process", schedule: false });
      try {
        const v1 = stack.app.ir.codeVersion;
        const id = `o${k}`;
        const first = await stack.invoke("shop.place", input(id), { instanceId: id, crashAt: k });
        const crashed = "crashed" in first || stopped(first);
        const v2 = await stack.deploy(V2);
        assert.is.not(v2, v1);
        if (crashed) {
          const kept = (await stack.versions()).find((v) => v.version === v1);
          assert.ok(kept && !kept.current && kept.unfinished.length > 0, `v1 has unfinished instances: ${JSON.stringify(kept)}`);
          assert.ok(
            kept.unfinished.every((u) => u.instance.startsWith(id)),
            "what is unfinished is the crashed instance or what it spawned",
          );
        }
        // Who finishes it, by turns: the client's retry (v2's function forwards it to v1); the
        // collector, run by v2's code (it re-sends to v1's alias); the stack's recover().
        let result: InvokeResult;
        try {
          if (k % 3 === 0) {
            result = await answered(stack, "shop.place", input(id), id);
            await stack.recover();
          } else {
            if (k % 3 === 1)
              for (const s of ["shop", "pay", "mail"]) await stack.deliver(s, { beldi: { kind: "collect", olderThanMs: 0 } });
            await stack.recover();
            result = await answered(stack, "shop.place", input(id), id);
          }
          await assertRanOnV1(stack, id, result);
          assert.equal(await stack.retire(), [v1], "v1 is retired once no unfinished instance is pinned to it");
          await assertNewRunsV2(stack, `n${k}`, 1);
        } catch (e) {
          (e as Error).message = `after a crash at request ${k}: ${(e as Error).message}`;
          throw e;
        }
        if (!crashed) {
          points = k - 1;
          break;
        }
      } finally {
        await stack.stop();
      }
    }
    console.log(`    ${backend}: ${points} crash points across the redeploy`);
    // intent, write, call (and the callee's update), spawn intent, spawn event, finish
    assert.ok(points >= 6, `the workflow makes requests enough to sweep (${points})`);
  });
}

test("a v2 that retypes a field is refused by LocalStack.deploy, beldi diff and build --previous; v1 keeps running", async () => {
  const stack = await LocalStack.start({ app: V1, schedule: false });
  try {
    const v1 = stack.app.ir.codeVersion;
    const refused = await stack.deploy(RETYPED).then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(refused, "deploy refused");
    assert.match(refused!.message, "V0002");
    assert.match(refused!.message, "shop.orders.qty was number, is string");
    assert.is(stack.app.ir.codeVersion, v1, "the stack still runs v1");
    assert.equal(await stack.invoke("shop.place", input("a"), { instanceId: "a" }), ok("v1 a paid 20"));
  } finally {
    await stack.stop();
  }
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-versions-"));
  const lines: string[] = [];
  const io: Io = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
  assert.is(await compileCommand(["build", V1, "--out", path.join(dir, "v1")], io), 0);
  const manifest = path.join(dir, "v1", "manifest.json");
  assert.is(await compileCommand(["diff", manifest, RETYPED], io), 1);
  assert.is(await compileCommand(["build", RETYPED, "--out", path.join(dir, "v2"), "--previous", manifest], io), 1);
  assert.match(lines.join("\n"), "error[V0002]");
  assert.is(await compileCommand(["diff", manifest, V2], io), 0, "the compatible v2 passes");
  assert.is(JSON.parse(readFileSync(manifest, "utf8")).app, "orders");
});

test("beldi run on a changed app with kept state: an instance v1 left unfinished finishes on v1, then v1 is retired; beldi versions lists what is in use", async () => {
  const cwd = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-run-versions-"));
  const [v1, v2] = [path.resolve(V1), path.resolve(V2)];
  const lines = { out: [] as string[], err: [] as string[] };
  const io: Io = { out: (t) => lines.out.push(t), err: (t) => lines.err.push(t) };
  const json = () => JSON.parse(lines.out.splice(0).join("\n"));
  process.chdir(dir);
  try {
    const args = (id: string) => ["shop.place", "--input", JSON.stringify(input(id)), "--instance", id];
    assert.is(await runCommand([v1, ...args("a"), "--crash-at", "3"], io), 1);
    assert.equal(json(), { crashed: true });
    assert.is(await versionsCommand([v1, "--format", "json"], io), 0);
    const before = json() as { version: string; current: boolean; unfinished: { instance: string }[] }[];
    assert.equal(
      before.map((v) => [v.current, v.unfinished.map((u) => u.instance)]),
      [[true, ["a"]]],
    );
    const first = before[0]!.version;

    assert.is(await runCommand([v2, ...args("b")], io), 0);
    assert.equal(json(), ok("v2 b paid 20"), "a new instance runs v2");
    assert.match(lines.err.join("\n"), `version ${first} retired`);
    assert.is(await runCommand([v2, ...args("a")], io), 0);
    assert.equal(json(), ok("v1 a paid 20"), "the crashed instance finished on v1 (before b ran), exactly once");
    assert.is(await versionsCommand([v2, "--format", "json"], io), 0);
    const after = json() as { version: string; current: boolean; unfinished: unknown[] }[];
    assert.equal(after.length, 1, "only v2 is left");
    assert.ok(after[0]!.current && after[0]!.unfinished.length === 0);
  } finally {
    process.chdir(cwd);
  }
});

test.run();
