// The `beldi dev` web console in a real browser (Debian's chromium through playwright-core): a dev
// session on examples/travel with its state in a temp folder and a free port; rows set through the
// table page's form, frontend.reserve invoked through the invoke form, the instance found in the
// live list and its steps (file:line, kinds, the callee, the transaction, the spawned order) on its
// page; the tables show the reservation; user strings are shown as text, never as HTML; the API
// refuses other hosts and non-JSON posts; on examples/orders (a session of its own), a pending
// answer, a suspended instance in the list and on its page, and a signal sent from there. A
// screenshot of each page goes to test-output/console/.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DevSession } from "../local/dev/session.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const shots = path.join(root, "test-output", "console");
const WAIT = { timeout: 90_000 };

let session: DevSession;
let browser: Browser;
let page: Page;
let state: string;
const printed: string[] = [];

test.before(async () => {
  state = mkdtempSync(path.join(tmpdir(), "beldi-console-"));
  mkdirSync(shots, { recursive: true });
  session = await DevSession.start({ app: "examples/travel", port: 0, root: state, print: (t) => printed.push(t) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(WAIT.timeout);
});

test.after(async () => {
  await browser?.close();
  await session?.stop();
  rmSync(state, { recursive: true, force: true });
});

const shot = async (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

test("the overview shows the version served, the check and the terminal's lines", async () => {
  await page.goto(session.url);
  const version = session.status().version!;
  assert.ok(version, printed.join("\n"));
  await page.locator("#state", { hasText: `serving ${version}` }).waitFor();
  assert.equal(await page.locator("#app-name").textContent(), "travel");
  await page.locator("#status dd", { hasText: "no errors" }).waitFor();
  await page.locator("#log", { hasText: `version ${version} serving` }).waitFor();
  await page.locator("#status td", { hasText: version }).waitFor(); // the versions table
  // the graph, drawn by Graphviz from the served version's IR
  await page.locator("#graph img").waitFor();
  await page.waitForFunction(() => (document.querySelector("#graph img") as HTMLImageElement | null)?.naturalWidth, null, WAIT);
  const svg = await (await fetch(new URL("api/graph.svg", session.url))).text();
  for (const name of ["frontend", "hotel", "flight", "order"]) assert.ok(svg.includes(name), `the graph names ${name}`);
  await shot("overview");
});

/** Sets a row through the table page's form and waits for it in the rows. */
async function setRow(ref: string, key: string, value: unknown) {
  await page.goto(`${session.url}#/tables/${encodeURIComponent(ref)}`);
  await page.locator("#put-form input[name=key]").fill(key);
  await page.locator("#put-form textarea[name=value]").fill(JSON.stringify(value));
  await page.locator("#put-form button").click();
  await page.locator("#put-answer", { hasText: `set ${key}` }).waitFor();
  await rowShown(key);
}

/** Waits for a row of the table page by its key (compared as data: a key may be any text). */
async function rowShown(key: string) {
  await page.waitForFunction(
    (k) => [...document.querySelectorAll<HTMLElement>("#rows tr[data-key]")].some((e) => e.dataset.key === k),
    key,
  );
}

test("tables: rows set through the form, checked against the table's type", async () => {
  await page.goto(`${session.url}#/tables`);
  for (const ref of ["user.users", "hotel.hotels", "flight.flights", "order.orders"])
    await page.locator("#tables a", { hasText: ref }).first().waitFor();
  await setRow("user.users", "ada", { password: "pw" });
  await setRow("flight.flights", "f1", { cap: 1 });
  await setRow("hotel.hotels", "h1", { name: "Grand", cap: 2, price: 100 });
  // a value of the wrong type is refused, with the field and the type it needs
  await page.locator("#put-form input[name=key]").fill("h2");
  await page.locator("#put-form textarea[name=value]").fill(JSON.stringify({ name: "Bad", cap: "two", price: 1 }));
  await page.locator("#put-form button").click();
  const refused = await page.locator("#put-answer.error-text").textContent();
  assert.match(refused ?? "", /cap/);
  assert.equal(await page.locator('#rows tr[data-key="h2"]').count(), 0);
});

let instanceId = "";

test("invoke: frontend.reserve through the form answers true", async () => {
  await page.goto(`${session.url}#/invoke`);
  await page.locator("#fn").selectOption("frontend.reserve");
  await page
    .locator(".signature", { hasText: "frontend.reserve(user: string, password: string, hotel: string, flight: string) -> bool" })
    .waitFor();
  await page.locator("input[data-param=user]").fill("ada");
  await page.locator("input[data-param=password]").fill("pw");
  await page.locator("input[data-param=hotel]").fill("h1");
  await page.locator("input[data-param=flight]").fill("f1");
  await page.locator("#instance-id").fill("trip-1");
  await page.locator("#invoke-button").click();
  await page.locator("#result", { hasText: "true" }).waitFor();
  instanceId = "trip-1";
  await shot("invoke");
});

test("instances: the live list shows the instance and the order it spawned", async () => {
  await page.goto(`${session.url}#/instances`);
  const row = page.locator(`#instances tr[data-instance="${instanceId}"]`);
  await row.locator(".status", { hasText: "done" }).waitFor();
  assert.match((await row.textContent()) ?? "", /frontend\.reserve/);
  // the spawned order.place, found by the list's polling once it has run
  await page.locator("#instances tr", { hasText: "order.place" }).locator(".status", { hasText: "done" }).waitFor();
  await shot("instances");
});

test("an instance's page: its steps with file:line and kinds, the callee, the transaction, the spawned order", async () => {
  await page.goto(`${session.url}#/instances`);
  await page.locator(`#instances tr[data-instance="${instanceId}"] a`).click();
  await page.locator("h1 code", { hasText: instanceId }).waitFor();
  assert.ok(page.url().endsWith(`#/instances/${instanceId}`), page.url());
  const steps = page.locator("section.instance").first().locator("table.steps").first();
  await steps.waitFor();
  const file = "examples/travel/travel.beldi";
  const rowOf = (step: string) => page.locator(`tr[data-step="${step}"]`).first();
  assert.equal(await rowOf("s1").locator(".where").textContent(), `${file}:171`);
  assert.equal(await rowOf("s1").locator(".kind").textContent(), "call");
  assert.equal(await rowOf("s2").locator(".where").textContent(), `${file}:172`);
  assert.equal(await rowOf("s2").locator(".kind").textContent(), "txn");
  assert.equal(await rowOf("s5").locator(".kind").textContent(), "spawn");
  await page.locator(".txn", { hasText: "transaction committed" }).waitFor();
  await page.locator("section.instance h3", { hasText: "hotel.reserve" }).waitFor();
  // the spawned order's own steps: a uuid, then the write
  const order = page.locator("section.kind-spawn").first();
  await order.locator("h3", { hasText: "order.place" }).waitFor();
  await order.locator(".kind", { hasText: "write" }).waitFor();
  assert.match((await order.locator(".where").last().textContent()) ?? "", new RegExp(`^${file}:\\d+$`));
  await shot("instance");
});

test("the reservation is in the tables: the seat taken", async () => {
  await page.goto(`${session.url}#/tables/flight.flights`);
  await page.locator('#rows tr[data-key="f1"] td').nth(1).filter({ hasText: /^0$/ }).waitFor();
  await page.goto(`${session.url}#/tables/order.orders`);
  await page.locator("#rows tbody tr").first().waitFor();
  assert.match((await page.locator("#rows tbody tr").first().textContent()) ?? "", /ada/);
  await shot("table");
});

test("user strings are shown as text, never run as HTML", async () => {
  // no double quotes: the instance page shows the input as JSON, which would escape them
  const evil = "<img src=x id=pwned onerror=document.title='pwned'>";
  await setRow("user.users", evil, { password: `<b id=bold>pw</b>` });
  assert.equal(await page.locator("#pwned").count(), 0);
  assert.equal(await page.locator("#bold").count(), 0);
  await page.locator("#rows td", { hasText: evil }).waitFor();
  await page.goto(`${session.url}#/invoke`);
  await page.locator("#fn").selectOption("frontend.login");
  await page.locator("input[data-param=username]").fill(evil);
  await page.locator("input[data-param=password]").fill("x");
  await page.locator("#instance-id").fill("login-1");
  await page.locator("#invoke-button").click();
  const answer = page.locator("#result");
  await answer.waitFor();
  assert.equal(await answer.textContent(), "false");
  // the input as the instance's page shows it: the text itself
  await page.goto(`${session.url}#/instances/login-1`);
  await page.locator("section.instance dd", { hasText: evil }).first().waitFor();
  assert.equal(await page.locator("#pwned").count(), 0);
  // an error message quoting what was typed: text too
  await page.goto(`${session.url}#/invoke`);
  await page.locator("#fn").selectOption("frontend.login");
  await page.locator("#instance-id").fill("<b id=bold2>x");
  await page.locator("#invoke-button").click();
  await page.locator("#result", { hasText: 'R0011: instance id "<b id=bold2>x" is not valid' }).waitFor();
  assert.equal(await page.locator("#bold2").count(), 0);
  assert.not.equal(await page.title(), "pwned");
});

/** A raw request, with the Host header as given (fetch would not let a test set it). */
function raw(method: string, pathName: string, headers: Record<string, string>, body = ""): Promise<number> {
  const url = new URL(pathName, session.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: url.port, path: url.pathname, method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("the API answers only this origin: other hosts, other sites and non-JSON posts are refused", async () => {
  const port = new URL(session.url).port;
  const invoke = JSON.stringify({ fn: "frontend.login", input: { username: "a", password: "b" } });
  assert.equal(await raw("GET", "/api/status", { Host: `127.0.0.1:${port}` }), 200);
  assert.equal(await raw("GET", "/api/status", { Host: "attacker.example" }), 421);
  assert.equal(await raw("POST", "/api/invoke", { Host: `127.0.0.1:${port}`, "Content-Type": "text/plain" }, invoke), 415);
  assert.equal(
    await raw(
      "POST",
      "/api/invoke",
      { Host: `127.0.0.1:${port}`, "Content-Type": "application/json", Origin: "http://attacker.example" },
      invoke,
    ),
    403,
  );
  assert.equal(await raw("POST", "/api/invoke", { Host: `127.0.0.1:${port}`, "Content-Type": "application/json" }, "{"), 400);
});

test("durable waiting (examples/orders): a pending answer, a suspended instance in the list and on its page, a signal sent from it", async () => {
  const ordersState = mkdtempSync(path.join(tmpdir(), "beldi-console-orders-"));
  const orders = await DevSession.start({ app: "examples/orders", port: 0, root: ordersState, print: (t) => printed.push(t) });
  try {
    await orders.stack()!.put("inventory", "stock", "widget", { qty: 5 });
    await page.goto(`${orders.url}#/invoke`);
    await page.locator("#fn").selectOption("orders.place");
    await page.locator("input[data-param=id]").fill("o-1");
    await page.locator("input[data-param=sku]").fill("widget");
    await page.locator("input[data-param=qty]").fill("1");
    await page.locator("input[data-param=payWithinMs]").fill("600000");
    await page.locator("#instance-id").fill("o-1");
    await page.locator("#invoke-button").click();
    await page.locator("#result .pending-text", { hasText: "pending: the instance is suspended" }).waitFor();
    await shot("invoke-pending");
    // the list: suspended, and what it waits for; the reminder it spawned sleeps
    await page.goto(`${orders.url}#/instances`);
    const row = page.locator('#instances tr[data-instance="o-1"]');
    await row.locator(".status", { hasText: "suspended" }).waitFor();
    assert.match((await row.locator(".wait-note").textContent()) ?? "", /^waiting for "paid" until \d{4}-/);
    const remind = page.locator("#instances tr", { hasText: "orders.remind" });
    await remind.locator(".wait-note", { hasText: "sleeping until" }).waitFor();
    await shot("instances-suspended");
    // its page: the wait step waiting, the signal form filled with the name it waits for
    await page.locator('#instances tr[data-instance="o-1"] a').click();
    const facts = page.locator("section.instance").first().locator("dl").first();
    await facts.locator("dd", { hasText: 'waiting for "paid" until' }).waitFor();
    await facts.locator(".suspension", { hasText: "since" }).waitFor();
    const wait = page.locator("section.instance").first().locator("tr.step-wait").first();
    assert.equal(await wait.locator(".kind").textContent(), "wait");
    await wait.locator(".waiting", { hasText: 'waiting for "paid" (deadline' }).waitFor();
    await page.locator("section.kind-spawn tr.step-sleep .waiting", { hasText: "until" }).waitFor();
    assert.equal(await page.locator("#signal-name").inputValue(), "paid");
    await shot("instance-suspended");
    await page.locator("#signal-value").fill('{"ref": "r-1", "amount": 10}');
    await page.locator("#signal-button").click();
    // attached, not visible: once the woken order is done the page hides the whole signal form,
    // which can happen before a visibility check looks (seen in a full run)
    await page.locator("#signal-result", { hasText: 'delivered "paid"' }).waitFor({ state: "attached" });
    // the woken order finished: done, the value its wait took, the signal it received; no form any more
    await page.locator("section.instance h3 + dl .status", { hasText: "done" }).first().waitFor();
    await wait.locator(".waiting", { hasText: "took" }).waitFor();
    await page.locator('section.instance li[data-signal="paid"]', { hasText: "from a client" }).waitFor();
    await page.locator("#signal").waitFor({ state: "hidden" });
    await shot("instance-signalled");
  } finally {
    await orders.stop();
    rmSync(ordersState, { recursive: true, force: true });
  }
});

test.run();
