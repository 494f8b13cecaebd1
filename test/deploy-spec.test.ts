// The deploy template against AWS's own resource specification (@aws-cdk/aws-service-spec, see
// cfn-spec.ts): every example app's template, on each Lambda runtime we offer, with and without
// retained logs, names only resource types, properties (nested ones included), attributes and
// IAM actions that exist. The validator is shown to catch a made-up property and action.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import * as dynamodb from "@aws-sdk/client-dynamodb";
import { compile, loadApp, type IrProgram } from "../compiler/index.js";
import { BuildOptionError, deployTemplate, LAMBDA_RUNTIMES, type LambdaRuntime } from "../compiler/deploy.js";
import { tableNames } from "../contract/schema.js";
import { IAM_ACTIONS, validateTemplate } from "./cfn-spec.js";

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Template = { Resources: Record<string, Resource> };

const examples = readdirSync("examples")
  .map((d) => path.join("examples", d))
  .filter((p) => statSync(p).isDirectory());

function ir(appPath: string): IrProgram {
  const { app, appDir, files } = loadApp(appPath);
  const r = compile(files, { app, appDir });
  assert.ok(r.ok, `${appPath}: ${JSON.stringify(r.diagnostics)}`);
  return r.ir!;
}
const irs = new Map(examples.map((p) => [p, ir(p)]));
const template = (p: string, options: Parameters<typeof deployTemplate>[1] = {}) => deployTemplate(irs.get(p)!, options) as Template;
const runtimes = Object.keys(LAMBDA_RUNTIMES) as LambdaRuntime[];

test("every example's template fits the AWS resource specification: types, properties, nested properties, policies, IAM actions", () => {
  assert.ok(examples.length >= 4, `the example apps: ${examples}`);
  const types = new Set<string>();
  for (const p of examples) {
    for (const lambdaRuntime of runtimes) {
      for (const retainLogs of [false, true]) {
        const t = template(p, { lambdaRuntime, retainLogs });
        for (const r of Object.values(t.Resources)) types.add(r.Type);
        assert.equal(validateTemplate(t), [], `${p} on ${lambdaRuntime}, retainLogs ${retainLogs}`);
      }
    }
  }
  // what was validated: every kind of resource the template makes
  assert.equal([...types].sort(), [
    "AWS::DynamoDB::Table",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::Lambda::Alias",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Version",
    "AWS::SecretsManager::Secret",
  ]);
});

test("the validator reports a made-up property and a made-up IAM action, naming the resource", () => {
  const t = template("examples/hello");
  assert.equal(validateTemplate(t), []);
  const [tableId, table] = Object.entries(t.Resources).find(([, r]) => r.Type === "AWS::DynamoDB::Table")!;
  const [roleId, role] = Object.entries(t.Resources).find(([, r]) => r.Type === "AWS::IAM::Role")!;
  table.Properties.Bogus = 1;
  role.Properties.Policies[0].PolicyDocument.Statement[0].Action.push("dynamodb:FlyAway");
  assert.equal(validateTemplate(t), [`${tableId}: Properties.Bogus: no such property`, `${roleId}: unknown IAM action dynamodb:FlyAway`]);
});

test("the validator looks into nested properties: key schema items, indexes, point-in-time recovery, a function's environment", () => {
  const t = template("examples/hello", { retainLogs: true });
  const [tableId, table] = Object.entries(t.Resources).find(([, r]) => r.Type === "AWS::DynamoDB::Table")!;
  const [fnId, fn] = Object.entries(t.Resources).find(([, r]) => r.Type === "AWS::Lambda::Function")!;
  table.Properties.KeySchema[0].Sorted = true;
  table.Properties.GlobalSecondaryIndexes[0].KeySchema[1].KeyKind = "RANGE";
  table.Properties.GlobalSecondaryIndexes[0].Projection.Everything = true;
  table.Properties.PointInTimeRecoverySpecification.RecoveryDays = 35;
  table.DeletionPolicy = "Snapshot"; // not a policy DynamoDB tables take
  fn.Properties.Environment.Vars = {};
  fn.Properties.Timeout = "a minute";
  assert.equal(validateTemplate(t).sort(), [
    `${fnId}: Properties.Environment.Vars: no such property`,
    `${fnId}: Properties.Timeout: expected a number`,
    `${tableId}: DeletionPolicy "Snapshot" is not valid for AWS::DynamoDB::Table`,
    `${tableId}: Properties.GlobalSecondaryIndexes[0].KeySchema[1].KeyKind: no such property`,
    `${tableId}: Properties.GlobalSecondaryIndexes[0].Projection.Everything: no such property`,
    `${tableId}: Properties.KeySchema[0].Sorted: no such property`,
    `${tableId}: Properties.PointInTimeRecoverySpecification.RecoveryDays: no such property`,
  ]);
});

test("the IAM actions checked against are DynamoDB API operations (the SDK's commands), Lambda's and STS's", () => {
  for (const a of IAM_ACTIONS.dynamodb!) assert.type((dynamodb as Record<string, unknown>)[`${a}Command`], "function", a);
  const t = template("examples/travel");
  const role = Object.values(t.Resources).find((r) => r.Type === "AWS::IAM::Role")!;
  role.Properties.Policies[0].PolicyDocument.Statement[0].Action = ["dynamodb:Get*", "lambda:Invoke*", "s3:GetObject"];
  assert.equal(
    validateTemplate(t).map((x) => x.replace(/^\w+: /, "")),
    ["unknown IAM action s3:GetObject"],
    "wildcards that match an action pass; a service not in the list does not",
  );
});

test("data tables are retained, on stack deletion and replacement, with point-in-time recovery; logs and intents only when asked; intent tombstones expire by TTL", () => {
  for (const p of examples) {
    const program = irs.get(p)!;
    const name = (x: Resource) => String(x.Properties.TableName["Fn::Sub"]).replace(/^\$\{Prefix\}/, "");
    const data = new Set(program.services.flatMap((s) => s.tables.map((t) => tableNames.data("", program.app, s.name, t.name))));
    for (const retainLogs of [false, true]) {
      const tables = Object.values(template(p, { retainLogs }).Resources).filter((r) => r.Type === "AWS::DynamoDB::Table");
      assert.is(tables.length, data.size + 2 * program.services.length, p);
      for (const t of tables) {
        const kept = data.has(name(t)) || retainLogs;
        assert.is(t.DeletionPolicy, kept ? "Retain" : "Delete", name(t));
        assert.is(t.UpdateReplacePolicy, kept ? "Retain" : "Delete", name(t));
        assert.equal(t.Properties.PointInTimeRecoverySpecification, kept ? { PointInTimeRecoveryEnabled: true } : undefined, name(t));
        // an intent table's tombstones expire through DynamoDB's TTL on XP (runtime/gc.ts sets it)
        const intents = name(t).endsWith("-intent");
        assert.equal(t.Properties.TimeToLiveSpecification, intents ? { AttributeName: "XP", Enabled: true } : undefined, name(t));
      }
    }
  }
});

test("functions run on the chosen Lambda runtime, nodejs24.x by default; any other runtime is a BuildOptionError", () => {
  const fns = (t: Template) => Object.values(t.Resources).filter((r) => r.Type === "AWS::Lambda::Function");
  for (const f of fns(template("examples/hello"))) assert.is(f.Properties.Runtime, "nodejs24.x");
  for (const lambdaRuntime of runtimes)
    for (const f of fns(template("examples/hello", { lambdaRuntime }))) assert.is(f.Properties.Runtime, lambdaRuntime);
  assert.equal(runtimes, ["nodejs22.x", "nodejs24.x"]);
  for (const bad of ["nodejs18.x", "nodejs26.x", "NODEJS24.X", "python3.13", "", 24, null]) {
    assert.throws(
      () => template("examples/hello", { lambdaRuntime: bad as LambdaRuntime }),
      (e: unknown) =>
        e instanceof BuildOptionError &&
        e.option === "lambdaRuntime" &&
        e.value === bad &&
        /nodejs22\.x, nodejs24\.x/.test(e.message) &&
        e.message.includes(JSON.stringify(bad)),
      String(bad),
    );
  }
});

test("each build publishes a Lambda version per function with an alias v<codeVersion> and the live alias; versions, their aliases and event configs are retained", () => {
  const v1 = ir("test/fixtures/versions/v1/orders");
  const v2 = ir("test/fixtures/versions/v2/orders");
  const t1 = deployTemplate(v1) as Template;
  const t2 = deployTemplate(v2) as Template;
  assert.equal(validateTemplate(t2), []);
  for (const [t, program] of [
    [t1, v1],
    [t2, v2],
  ] as const) {
    const of = (type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
    assert.is(of("AWS::Lambda::Version").length, program.services.length);
    const aliases = of("AWS::Lambda::Alias").map(([, r]) => r);
    const named = aliases.filter((r) => r.Properties.Name === `v${program.codeVersion}`);
    assert.is(named.length, program.services.length, "an alias per function for this version");
    for (const r of named) {
      assert.is(r.DeletionPolicy, "Retain", "kept when a later deploy drops it: instances pinned to it still run there");
      assert.is(r.UpdateReplacePolicy, "Retain");
      const version = t.Resources[r.Properties.FunctionVersion["Fn::GetAtt"][0]]!;
      assert.is(version.Type, "AWS::Lambda::Version");
      assert.is(version.DeletionPolicy, "Retain");
    }
    assert.is(aliases.filter((r) => r.Properties.Name === "live").length, program.services.length);
    const configs = of("AWS::Lambda::EventInvokeConfig").map(([, r]) => r.Properties);
    assert.ok(
      configs.some((c) => c.Qualifier === `v${program.codeVersion}` && c.MaximumRetryAttempts === 0),
      "events to a version are not retried by Lambda either",
    );
  }
  // a new version is a new resource (the old one is retained, not replaced); live is updated in place
  const ids = (t: Template) => new Set(Object.keys(t.Resources).filter((k) => /Version|Alias/.test(k)));
  const both = [...ids(t1)].filter((k) => ids(t2).has(k));
  assert.equal(both.sort(), ["mailLiveAlias", "payLiveAlias", "shopLiveAlias"]);
});

test("with the previous version, each role also allows what that version's instances ask for", () => {
  const v1 = ir("test/fixtures/versions/v1/orders");
  const v2 = ir("test/fixtures/versions/v2/orders");
  const invokes = (t: Template, role: string) =>
    (
      t.Resources[role]!.Properties.Policies[0].PolicyDocument.Statement as {
        Action: string | string[];
        Resource: { "Fn::Sub": string }[];
      }[]
    )
      .filter((st) => [st.Action].flat().includes("lambda:InvokeFunction"))
      .flatMap((st) => st.Resource.map((r) => r["Fn::Sub"].replace(/.*function:\$\{Prefix\}/, "")));
  // v2's shop calls counter, v1's does not: rolling back from v2 to v1 keeps counter callable for v2's instances
  assert.not.ok(invokes(deployTemplate(v1) as Template, "shopRole").includes("orders-counter"));
  const back = deployTemplate(v1, { previous: v2 }) as Template;
  assert.ok(invokes(back, "shopRole").includes("orders-counter"));
  assert.ok(invokes(back, "shopRole").includes("orders-counter:*"));
  assert.equal(validateTemplate(back), []);
});

test.run();
