// Least privilege, measured: each service's role in the deploy template allows exactly the
// requests that service's runtime can make — no more, no fewer. The expected requests are
// derived here from the IR and from the runtime's source, independently of compiler/deploy.ts:
// - its own tables: every DynamoDB operation the runtime sends (read from runtime/*.ts), and
//   Query on their indexes (GC's, the collector's);
// - every service's intents: BatchGetItem (call-tree roots, runtime/roots.ts);
// - the intents of the services it spawns into: PutItem, GetItem (the spawn's registration);
// - the log of a transaction's owner, Query, for each service that holds locks in one of its
//   transactions (a participant with tables: runtime/stale-locks.ts asks the owner's log);
// - the intents of the services that wait, UpdateItem and GetItem, for a service that signals
//   (runtime/suspension.ts delivers into them);
// - lambda:InvokeFunction on its callees, its spawns' services, the lock holders of its own
//   transactions (which it sends their ends: runtime/txn.ts), the waiting services it signals
//   (it wakes their instances) and itself (the collector, which also wakes its own).
// Transactions are found by spans: the call and inline sites that lie inside a `txn` body.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as dynamodb from "@aws-sdk/client-dynamodb";
import { compile, loadApp, type IrProgram } from "../compiler/index.js";
import { deployTemplate } from "../compiler/deploy.js";
import type { IrFn, IrStmt } from "../compiler/ir.js";
import { functionName, tableNames } from "../contract/schema.js";

type Statement = { Effect: string; Action: string | string[]; Resource: { "Fn::Sub": string }[] };
type Resource = { Type: string; Properties: Record<string, any> };

/** The DynamoDB operations the runtime sends anywhere, as IAM actions: each `new XCommand(` of the DynamoDB client. */
function runtimeDynamoActions(): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts"))
        for (const m of readFileSync(p, "utf8").matchAll(/new (\w+)Command\(/g))
          if (`${m[1]}Command` in dynamodb) out.add(`dynamodb:${m[1]}`);
    }
  };
  walk("runtime");
  return [...out].sort();
}
const OWN = runtimeDynamoActions();

/** The `txn` statements of a fn's body, wherever they nest (statements hold no statements inside expressions). */
function txnBodies(stmts: IrStmt[]): IrStmt[][] {
  return stmts.flatMap((s): IrStmt[][] => {
    switch (s.kind) {
      case "txn":
        return [s.body, ...txnBodies(s.else)];
      case "if":
        return [...txnBodies(s.then), ...txnBodies(s.else)];
      case "forList":
      case "forMap":
      case "while":
        return txnBodies(s.body);
      case "parallel":
        return s.branches.flatMap((b) => txnBodies(b.body));
      default:
        return [];
    }
  });
}

/** Per owner service: the other services with tables that run inside its transactions (they hold its locks). */
function lockHolders(ir: IrProgram): Map<string, Set<string>> {
  const fns = new Map<string, { service: string; fn: IrFn; tables: number }>();
  for (const s of ir.services) for (const f of s.fns) fns.set(`${s.name}.${f.name}`, { service: s.name, fn: f, tables: s.tables.length });
  const out = new Map<string, Set<string>>();
  for (const s of ir.services) {
    for (const f of s.fns) {
      for (const body of txnBodies(f.body)) {
        if (!body.length) continue;
        const from = body[0]!.span.offset;
        const to = body[body.length - 1]!.span.endOffset;
        const inside = f.sites.filter((x) => x.span.file === body[0]!.span.file && x.span.offset >= from && x.span.endOffset <= to);
        // what runs inside: the fns called from the body, an inline fn's calls, and everything those call
        const todo = [
          ...inside.filter((x) => x.op === "call").map((x) => x.target!),
          ...inside.filter((x) => x.op === "inline").flatMap((x) => fns.get(`${s.name}.${x.target}`)!.fn.effects.calls),
        ];
        const seen = new Set<string>();
        while (todo.length) {
          const key = todo.pop()!;
          if (seen.has(key)) continue;
          seen.add(key);
          const callee = fns.get(key)!;
          if (callee.service !== s.name && callee.tables > 0)
            (out.get(s.name) ?? out.set(s.name, new Set()).get(s.name)!).add(callee.service);
          todo.push(...callee.fn.effects.calls);
        }
      }
    }
  }
  return out;
}

/** Whether a node of `kind` (a statement or an expression) is anywhere in the service's fns. */
function has(s: IrProgram["services"][number], kind: string): boolean {
  return JSON.stringify(s.fns.map((f) => f.body)).includes(`"kind":"${kind}"`);
}

/** The requests each service can make, as `action resource` (tables and functions by their names with an empty prefix). */
function expected(ir: IrProgram): Map<string, string[]> {
  const holders = lockHolders(ir);
  const out = new Map<string, string[]>();
  for (const s of ir.services) {
    const own = [
      ...s.tables.map((t) => tableNames.data("", ir.app, s.name, t.name)),
      tableNames.log("", ir.app, s.name),
      tableNames.intent("", ir.app, s.name),
    ];
    const fx = s.fns.map((f) => f.effects);
    const spawned = new Set(fx.flatMap((e) => e.spawns.map((c) => c.split(".")[0]!)));
    const called = new Set(fx.flatMap((e) => e.calls.map((c) => c.split(".")[0]!)));
    const owners = [...holders].filter(([, h]) => h.has(s.name)).map(([o]) => o);
    // a signal: into the intents of the services that wait (sleep or wait in a fn), which it wakes
    const signalled = has(s, "signal") ? ir.services.filter((x) => has(x, "sleep") || has(x, "wait")).map((x) => x.name) : [];
    const invoked = new Set([s.name, ...called, ...spawned, ...signalled, ...(holders.get(s.name) ?? [])]);
    out.set(
      s.name,
      [
        ...new Set([
          ...own.flatMap((t) => OWN.map((a) => `${a} ${t}`)),
          ...own.map((t) => `dynamodb:Query ${t}/index/*`),
          ...ir.services.map((x) => `dynamodb:BatchGetItem ${tableNames.intent("", ir.app, x.name)}`),
          ...[...spawned].flatMap((x) => ["PutItem", "GetItem"].map((a) => `dynamodb:${a} ${tableNames.intent("", ir.app, x)}`)),
          ...owners.map((o) => `dynamodb:Query ${tableNames.log("", ir.app, o)}`),
          ...signalled
            .filter((x) => x !== s.name)
            .flatMap((x) => ["UpdateItem", "GetItem"].map((a) => `dynamodb:${a} ${tableNames.intent("", ir.app, x)}`)),
          // unqualified (the current version) and every version's alias (instances pinned to it)
          ...[...invoked].flatMap((x) => ["", ":*"].map((q) => `lambda:InvokeFunction ${functionName("", ir.app, x)}${q}`)),
        ]),
      ].sort(),
    );
  }
  return out;
}

/** What each service's role allows in the template, as `action resource`. */
function granted(template: { Resources: Record<string, Resource> }): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const fn of Object.values(template.Resources).filter((r) => r.Type === "AWS::Lambda::Function")) {
    const name = String(fn.Properties.FunctionName["Fn::Sub"]).replace(/^\$\{Prefix\}/, "");
    const role = template.Resources[fn.Properties.Role["Fn::GetAtt"][0]]!;
    const pairs: string[] = [];
    for (const st of role.Properties.Policies[0].PolicyDocument.Statement as Statement[]) {
      assert.is(st.Effect, "Allow");
      for (const a of [st.Action].flat())
        for (const r of st.Resource) pairs.push(`${a} ${r["Fn::Sub"].replace(/^arn:.*?:(table\/|function:)\$\{Prefix\}/, "")}`);
    }
    out.set(name, pairs.sort());
  }
  return out;
}

function check(ir: IrProgram, label: string): void {
  const want = expected(ir);
  const have = granted(deployTemplate(ir) as { Resources: Record<string, Resource> });
  assert.equal([...have.keys()].sort(), ir.services.map((s) => functionName("", ir.app, s.name)).sort(), label);
  for (const s of ir.services) {
    const got = have.get(functionName("", ir.app, s.name))!;
    assert.equal(new Set(got).size, got.length, `${label} ${s.name}: a permission granted twice`);
    assert.equal(got, want.get(s.name), `${label}: the role of ${s.name}`);
  }
}

const compiled = (appPath: string): IrProgram => {
  const { app, appDir, files } = loadApp(appPath);
  const r = compile(files, { app, appDir });
  assert.ok(r.ok, `${appPath}: ${JSON.stringify(r.diagnostics)}`);
  return r.ir!;
};

test("the runtime's DynamoDB operations are read from its source", () => {
  assert.ok(OWN.includes("dynamodb:Query") && OWN.includes("dynamodb:UpdateItem") && OWN.includes("dynamodb:BatchWriteItem"), String(OWN));
});

test("every example's and fixture's roles allow exactly the requests their services can make", () => {
  // an app is a folder with .beldi files; a folder of folders (the versions of one app) holds apps
  const appsIn = (d: string): string[] =>
    readdirSync(d).some((x) => x.endsWith(".beldi"))
      ? [d]
      : readdirSync(d)
          .map((x) => path.join(d, x))
          .filter((p) => statSync(p).isDirectory())
          .flatMap(appsIn);
  const apps = ["examples", "test/fixtures"].flatMap((d) =>
    readdirSync(d)
      .map((x) => path.join(d, x))
      .filter((p) => statSync(p).isDirectory())
      .flatMap(appsIn),
  );
  let owners = 0;
  for (const appPath of apps) {
    const ir = compiled(appPath);
    owners += lockHolders(ir).size;
    check(ir, appPath);
  }
  assert.ok(owners >= 4, "apps with transactions among them");
});

test("a log is read only by the lock holders of its owner's transactions: through calls and inline calls; from `else` only in a txn there", () => {
  const text = `
type C = { n: number }
service a {
  table t: C
  fn pay(k: string) -> bool {
    txn {
      update t[k] set n = (n ?? 0) + 1
      let ok = call b.relay(k)
      let v = helper(k)
    } else {
      let x = call e.note(k)
    }
    return true
  }
  fn helper(k: string) -> number { return call d.get(k) }
}
service b { fn relay(k: string) -> bool { return call c.store(k) } }
service c {
  table t: C
  fn store(k: string) -> bool {
    write t[k] = { n: 1 }
    return true
  }
}
service d {
  table t: C
  fn get(k: string) -> number {
    let v = read t[k]
    if v == null { return 0 }
    return v.n
  }
}
service e {
  table t: C
  fn note(k: string) -> bool {
    write t[k] = { n: 2 }
    return true
  }
}
service f {
  table t: C
  fn outer(k: string) -> bool { return inner(k) }
  fn inner(k: string) -> bool {
    txn { let x = call e.note(k) }
    return true
  }
}
service h {
  table t: C
  fn retry(k: string) -> bool {
    txn { update t[k] set n = 1 } else {
      txn { let x = call c.store(k) }
    }
    return true
  }
}
`;
  const r = compile([{ path: "chain.beldi", text }], { app: "chain" });
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const ir = r.ir!;
  // c through b (which has no tables, so holds no locks), d through the inline helper, not e
  // (called from a's `else`, outside the transaction); the txn in h's `else` is one of its own
  assert.equal(
    [...lockHolders(ir)].map(([o, h]) => [o, [...h].sort()]),
    [
      ["a", ["c", "d"]],
      ["f", ["e"]],
      ["h", ["c"]],
    ],
  );
  check(ir, "chain");
  const reads = granted(deployTemplate(ir) as { Resources: Record<string, Resource> });
  const logReads = (s: string) =>
    reads.get(`chain-${s}`)!.filter((x) => x.startsWith("dynamodb:Query chain.") && x.endsWith("-log") && !x.includes(`.${s}-`));
  assert.equal(logReads("c"), ["dynamodb:Query chain.a-log", "dynamodb:Query chain.h-log"]);
  assert.equal(logReads("d"), ["dynamodb:Query chain.a-log"]);
  assert.equal(logReads("e"), ["dynamodb:Query chain.f-log"]);
  assert.equal([logReads("a"), logReads("b"), logReads("f"), logReads("h")], [[], [], [], []]);
  // a ends its transactions at c, which it never calls itself
  assert.ok(reads.get("chain-a")!.includes("lambda:InvokeFunction chain-c"));
});

test.run();
