// The build options of a deploy, as users give them: `beldi build --lambda-runtime` and
// `--retain-logs` (and the compiler API's `lambdaRuntime`/`retainLogs`); a runtime we do not
// offer is bad usage (exit 2, nothing written), and the template written fits the AWS spec.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build, BuildOptionError, type LambdaRuntime } from "../compiler/index.js";
import { validateTemplate } from "./cfn-spec.js";

mkdirSync(".beldi", { recursive: true }); // gitignored: absent in a fresh clone
const tmp = mkdtempSync(path.resolve(".beldi", "deploy-options-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const beldi = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["bin/beldi.mjs", ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

test("beldi build --lambda-runtime nodejs22.x --retain-logs: the template names that runtime and keeps every table", () => {
  const out = path.join(tmp, "n22");
  const r = beldi("build", "examples/hello", "--out", out, "--lambda-runtime", "nodejs22.x", "--retain-logs");
  assert.is(r.code, 0, r.err);
  const template = JSON.parse(readFileSync(path.join(out, "template.json"), "utf8"));
  const resources = Object.values(template.Resources) as Resource[];
  const fns = resources.filter((x) => x.Type === "AWS::Lambda::Function");
  assert.is(fns.length, 2);
  for (const f of fns) assert.is(f.Properties.Runtime, "nodejs22.x");
  const tables = resources.filter((x) => x.Type === "AWS::DynamoDB::Table");
  assert.is(tables.length, 6);
  for (const t of tables) assert.is(t.DeletionPolicy, "Retain", t.Properties.TableName["Fn::Sub"]);
  assert.equal(validateTemplate(template), []);
});

test("beldi build with a Lambda runtime we do not offer: exit 2 naming the choices, nothing written", () => {
  for (const bad of ["nodejs18.x", "python3.13"]) {
    const out = path.join(tmp, `bad-${bad}`);
    const r = beldi("build", "examples/hello", "--out", out, "--lambda-runtime", bad);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, `--lambda-runtime must be one of nodejs22.x, nodejs24.x; got "${bad}"`);
    assert.not.match(r.err, "internal error");
    assert.not.ok(existsSync(out));
  }
});

test("build() with an unknown lambdaRuntime throws a BuildOptionError before writing anything", async () => {
  const out = path.join(tmp, "api-bad");
  let thrown: unknown;
  try {
    await build("examples/hello", out, { lambdaRuntime: "nodejs18.x" as LambdaRuntime });
  } catch (e) {
    thrown = e;
  }
  assert.instance(thrown, BuildOptionError);
  assert.equal([(thrown as BuildOptionError).option, (thrown as BuildOptionError).value], ["lambdaRuntime", "nodejs18.x"]);
  assert.not.ok(existsSync(out));
});

test.run();
