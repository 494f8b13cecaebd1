// Unit: the language services on durable waiting (LANGUAGE.md §9, issue 14): completion offers
// `sleep`, `wait` and `signal` among the keywords, `as` after a wait's name, the types after its
// `as`, `timeout` after its type; signature help for `signal(...)`; hover on a fn that only
// signals says it is not read-only.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as S from "../compiler/services/index.js";

const project = (text: string) => S.analyzeProject([{ path: "w.beldi", text }], { app: "t", appDir: "/nowhere" });
function at(text: string, needle: string, k = needle.length): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  return i + k;
}
const labels = (text: string, needle: string, k?: number) =>
  S.completions(project(text), "w.beldi", at(text, needle, k)).map((i) => i.label);

const APP = `type Pay = { amount: number }
service s {
  fn f(id: string) -> bool {
    let p = wait "paid" as Pay timeout 1000
    return signal(id, "go", 1)
  }
  fn h(id: string) -> bool { return signal(id, "go", 2) }
  fn g(id: string) -> bool { return call s.h(id) }
}`;

test("completion: sleep, wait and signal are offered where a statement or expression starts", () => {
  const text = APP.replace("    return signal", "    \n    return signal");
  const got = labels(text, "1000\n    ");
  for (const k of ["sleep", "wait", "signal"]) assert.ok(got.includes(k), k);
});

test("completion: `as` after a wait's name, the types after `as`, `timeout` after the type", () => {
  const base = (line: string) => APP.replace('let p = wait "paid" as Pay timeout 1000', line);
  assert.equal(labels(base('let p = wait "paid" '), 'wait "paid" '), ["as"]);
  const types = labels(base('let p = wait "paid" as '), 'wait "paid" as ');
  assert.ok(types.includes("Pay") && types.includes("number") && types.includes("list"), types.join(" "));
  assert.equal(labels(base('let p = wait "paid" as Pay '), "as Pay "), ["timeout"]);
  assert.equal(labels(base('let p = wait "paid" as list<Pay>? '), "as list<Pay>? "), ["timeout"]);
  assert.not.ok(labels(APP, "timeout 1000", 8).includes("timeout"));
});

test("signature help: signal(instanceId, name, value) with the active argument", () => {
  const sig = S.signatureHelp(project(APP), "w.beldi", at(APP, 'signal(id, "go"', 11))!;
  assert.is(sig.label, "signal(instanceId: string, name: string, value: any) -> bool");
  assert.equal(sig.parameters, ["instanceId: string", "name: string", "value: any"]);
  assert.is(sig.active, 1);
  assert.match(sig.documentation ?? "", "exactly once");
});

test("the app checks clean; hover: a fn that only signals is not read-only, and says what counts", () => {
  assert.equal(project(APP).analysis.diagnostics, []);
  const h = S.hover(project(APP), "w.beldi", at(APP, "s.h(id)", 2))!;
  assert.match(h.markdown, "**not read-only**");
  assert.match(h.markdown, "signals, sleeps, waits");
});

test.run();
