// The beldi dev console: one page, a view per hash route, drawn from the JSON API of
// local/console/server.ts. Every value shown is user data (names, keys, values, messages): it is
// only ever set as text (textContent, attributes), never parsed as HTML.
const POLL_MS = 1000;

// ---- small helpers ---------------------------------------------------------------------------

/** An element with attributes (`class`, `href`, `data-*`, `on:click` handlers) and children (strings become text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on:")) el.addEventListener(k.slice(3), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Replaces an element's children (arrays flattened, as `h` takes them). */
function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

function append(el, children) {
  for (const c of children.flat(Number.POSITIVE_INFINITY)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

async function api(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(`/api/${path}`, init);
  const data = await r.json().catch(() => ({ error: `${r.status} ${r.statusText}` }));
  if (!r.ok) throw new Error(data.error ?? `${r.status} ${r.statusText}`);
  return data;
}

const json = (v) => JSON.stringify(v);
const time = (ms) => (ms === undefined || ms === null ? "" : new Date(ms).toLocaleTimeString());
const dateTime = (ms) => (ms === undefined || ms === null ? "" : new Date(ms).toISOString().replace("T", " ").replace("Z", ""));
const statusBadge = (s) => h("span", { class: `status s-${s}` }, s);
const instanceLink = (id) => h("a", { href: `#/instances/${encodeURIComponent(id)}`, class: "mono" }, id);
const errorBox = (e) => h("p", { class: "error" }, e instanceof Error ? e.message : String(e));
const finished = (status) => ["done", "failed", "collected"].includes(status);

/** What a suspended instance waits for: `sleeping until <time>`, `waiting for "paid" [until <deadline>]`, `(due)`. */
function suspensionText(s) {
  const names = s.waitingFor.map((n) => json(n)).join(" or ");
  const until = s.until !== undefined ? ` until ${dateTime(s.until)}` : "";
  return `${names ? `waiting for ${names}${until}` : `sleeping${until}`}${s.due ? " (due)" : ""}`;
}

/** A value as JSON, folded when long. */
function value(v) {
  const text = json(v);
  if (text === undefined) return "";
  if (text.length <= 120) return h("code", { class: "value" }, text);
  return h(
    "details",
    { class: "value" },
    h("summary", {}, h("code", {}, `${text.slice(0, 100)}…`)),
    h("pre", {}, JSON.stringify(v, null, 2)),
  );
}

// ---- routing and polling ---------------------------------------------------------------------

const views = {};
let current = { name: "", refresh: undefined };

function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [name, ...rest] = hash.split("/");
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : undefined;
  const view = views[name || "overview"] ?? views.overview;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === (name || "overview"));
  const root = document.getElementById("view");
  fill(root);
  current = { name, refresh: undefined };
  const mine = current;
  // a view's refresh runs on every poll while it is the one shown
  Promise.resolve(view(root, arg, (refresh) => (mine.refresh = refresh))).catch((e) => root.append(errorBox(e)));
}

async function poll() {
  try {
    const status = await api("status");
    drawHeader(status);
    await current.refresh?.(status);
  } catch (e) {
    const badge = document.getElementById("state");
    badge.className = "badge bad";
    badge.textContent = `not reachable: ${e.message}`;
  }
  setTimeout(poll, POLL_MS);
}

function drawHeader(s) {
  document.getElementById("app-name").textContent = s.app;
  const badge = document.getElementById("state");
  let text;
  let kind;
  if (s.check && !s.check.ok) {
    text = `${s.check.errors} error${s.check.errors === 1 ? "" : "s"}${s.version ? ` · serving ${s.version}` : " · nothing deployed"}`;
    kind = "bad";
  } else if (s.deploy?.kind === "refused") {
    text = `deploy refused${s.version ? ` · serving ${s.version}` : ""}`;
    kind = "bad";
  } else if (s.phase === "serving") {
    text = `serving ${s.version}`;
    kind = "good";
  } else {
    text = "waiting for a clean version";
    kind = "";
  }
  badge.className = `badge ${kind}`;
  badge.textContent = text;
  badge.title = s.stateDir;
}

// ---- overview: status, graph, dev log --------------------------------------------------------

views.overview = async (root, _arg, onPoll) => {
  const status = h("section", { id: "status" });
  const graph = h("section", { id: "graph" }, h("h2", {}, "Graph"));
  const log = h("pre", { id: "log", class: "log" });
  root.append(h("h1", {}, "Overview"), status, graph, h("section", {}, h("h2", {}, "Terminal"), log));
  let graphOf = null;
  const draw = async (s) => {
    const rows = [
      ["app", `${s.app} (${s.appPath})`],
      ["state", s.stateDir],
      ["serving", s.version ?? "nothing yet: the sources have errors"],
    ];
    if (s.check)
      rows.push([
        "last check",
        `${time(s.check.at)}: ${s.check.ok ? "no errors" : `${s.check.errors} error(s)`}, ${s.check.warnings} warning(s), ${Math.round(s.check.checkMs)} ms`,
      ]);
    if (s.deploy) rows.push(["last deploy", deployText(s.deploy)]);
    const versions = s.phase === "serving" ? await api("versions").catch(() => []) : [];
    fill(
      status,
      h("h2", {}, "Status"),
      h(
        "dl",
        {},
        rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
      ),
      s.check && !s.check.ok ? h("pre", { class: "diagnostics" }, s.check.diagnostics.join("\n\n")) : null,
      s.deploy?.kind === "refused" ? h("pre", { class: "diagnostics" }, s.deploy.message) : null,
      versions.length
        ? h(
            "table",
            { class: "grid" },
            h("tr", {}, h("th", {}, "version"), h("th", {}, ""), h("th", {}, "unfinished instances pinned to it")),
            versions.map((v) =>
              h(
                "tr",
                {},
                h("td", { class: "mono" }, v.version),
                h("td", {}, v.current ? "current" : "earlier"),
                h("td", {}, v.unfinished.length ? v.unfinished.map((u) => [instanceLink(u.instance), " "]) : "none"),
              ),
            ),
          )
        : null,
    );
    if (s.version && s.version !== graphOf) {
      graphOf = s.version;
      // an <img>: the SVG is drawn as a picture, nothing in it runs
      const img = h("img", { src: `/api/graph.svg?v=${encodeURIComponent(s.version)}`, alt: `graph of ${s.app}` });
      img.addEventListener("error", () => img.replaceWith(h("p", { class: "muted" }, "no graph available")));
      fill(graph, h("h2", {}, "Graph"), img);
    }
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = s.log.map((l) => `${l.text}`).join("\n");
    if (atBottom) log.scrollTop = log.scrollHeight;
  };
  await draw(await api("status"));
  onPoll(draw);
};

function deployText(d) {
  if (d.kind === "deployed")
    return `${time(d.at)}: version ${d.version}${d.from ? ` (was ${d.from})` : ""}, built in ${(d.buildMs / 1000).toFixed(1)} s`;
  if (d.kind === "unchanged") return `${time(d.at)}: version ${d.version} unchanged`;
  return `${time(d.at)}: refused${d.serving ? `, still serving ${d.serving}` : ""}`;
}

// ---- instances: the live list ------------------------------------------------------------------

views.instances = async (root, id, onPoll) => {
  if (id !== undefined) return instanceView(root, id, onPoll);
  const filter = h("input", { type: "search", placeholder: "filter: fn, id, status", "aria-label": "filter" });
  const body = h("tbody", {});
  const count = h("span", { class: "muted" });
  root.append(
    h("h1", {}, "Instances ", count),
    h("p", { class: "muted" }, "Entry and spawned instances, newest first; updated every second."),
    filter,
    h(
      "table",
      { class: "grid", id: "instances" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["status", "instance", "fn", "kind", "started", "finished", "version", "error"].map((c) => h("th", {}, c)),
        ),
      ),
      body,
    ),
  );
  let last = [];
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = last.filter((i) => !q || `${i.service}.${i.fn} ${i.id} ${i.status}`.toLowerCase().includes(q));
    count.textContent = `(${shown.length}${shown.length === last.length ? "" : ` of ${last.length}`})`;
    fill(
      body,
      ...shown.map((i) =>
        h(
          "tr",
          { "data-instance": i.id },
          h("td", {}, statusBadge(i.status), i.suspended ? h("span", { class: "muted wait-note" }, suspensionText(i.suspended)) : null),
          h("td", {}, instanceLink(i.id)),
          h("td", { class: "mono" }, `${i.service}.${i.fn}`),
          h("td", {}, i.kind),
          h("td", {}, dateTime(i.startedAt)),
          h("td", {}, dateTime(i.finishedAt)),
          h("td", { class: "mono" }, i.version ?? ""),
          h("td", { class: "error-text" }, i.error ? `${i.error.code}: ${i.error.message}` : ""),
        ),
      ),
    );
  };
  filter.addEventListener("input", draw);
  const refresh = async () => {
    last = (await api("instances")).reverse();
    draw();
  };
  await refresh();
  onPoll(refresh);
};

// ---- one instance: its tree (what `beldi inspect` shows) ---------------------------------------

async function instanceView(root, id, onPoll) {
  const body = h("div", {});
  const signal = signalForm(id);
  root.append(
    h("p", {}, h("a", { href: "#/instances" }, "← instances")),
    h("h1", {}, "Instance ", h("code", {}, id)),
    body,
    signal.section,
  );
  const refresh = async () => {
    const report = await api(`instances/${encodeURIComponent(id)}`);
    // an entry or spawned instance that has not finished takes signals (drawn once: polling keeps what is typed)
    signal.show(report.trees.find((t) => t.id === id && t.kind !== "call" && !finished(t.status)));
    fill(
      body,
      report.notes.length
        ? h(
            "ul",
            { class: "notes" },
            report.notes.map((n) => h("li", {}, n)),
          )
        : null,
      report.trees.map((t) => instanceBlock(t)),
    );
    return report;
  };
  signal.sent = refresh;
  const first = await refresh();
  // a finished tree does not change (GC is off under beldi dev): stop asking
  const settled = (r) => r.trees.every((t) => finished(t.status) && !hasUnfinished(t));
  if (!settled(first))
    onPoll(async () => {
      if (settled(await refresh())) current.refresh = undefined;
    });
}

/** A form that delivers a signal to the instance (as `beldi signal` does); shown while it can take one. */
function signalForm(id) {
  const name = h("input", { id: "signal-name", name: "name", placeholder: "name", autocomplete: "off" });
  const val = h("input", { id: "signal-value", name: "value", placeholder: "JSON", autocomplete: "off" });
  const button = h("button", { type: "submit", id: "signal-button" }, "Send signal");
  const said = h("div", { id: "signal-answer" });
  const form = h(
    "form",
    { id: "signal-form" },
    h("label", {}, "signal name ", name),
    h("label", {}, "value ", val),
    h("p", { class: "muted" }, "The first value of a name stays: a second send of it is not delivered."),
    button,
    said,
  );
  const section = h("section", { id: "signal", hidden: true }, h("h2", {}, "Send a signal"), form);
  const me = {
    section,
    sent: undefined,
    show(tree) {
      section.hidden = !tree;
      // what it waits for, unless something is typed already
      const waiting = tree?.suspended?.waitingFor ?? [];
      if (!name.value && waiting.length) name.value = waiting[0];
    },
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let v;
    try {
      v = JSON.parse(val.value);
    } catch {
      fill(said, errorBox(new Error(`the value is not JSON: ${val.value}`)));
      return;
    }
    button.disabled = true;
    fill(said, h("p", { class: "muted" }, `signalling ${name.value}…`));
    try {
      const r = await api("signal", { instanceId: id, name: name.value, value: v });
      const res = r.result;
      fill(
        said,
        h(
          "p",
          { id: "signal-result" },
          "crashed" in res
            ? h("span", { class: "error-text" }, `the delivery crashed${res.reason ? `: ${res.reason}` : ""}`)
            : !res.ok
              ? h("span", { class: "error-text" }, `${res.error.code}: ${res.error.message}`)
              : res.value
                ? h("span", { class: "ok-text" }, `delivered ${json(r.name)} (${r.ms} ms)`)
                : h("span", {}, `not delivered: it already had a signal ${json(r.name)} (the first value stays)`),
        ),
      );
      await me.sent?.();
    } catch (err) {
      fill(said, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return me;
}

function hasUnfinished(v) {
  return v.steps.some(
    (s) =>
      (s.spawned && (!["done", "failed", "collected"].includes(s.spawned.status) || hasUnfinished(s.spawned))) ||
      (s.callee && hasUnfinished(s.callee)),
  );
}

function instanceBlock(v) {
  const facts = [
    ["status", v.statusNote ? [statusBadge(v.status), " ", v.statusNote] : statusBadge(v.status)],
    v.version ? ["version", h("code", {}, v.version)] : null,
    v.parent ? ["from", [instanceLink(v.parent.instance), ` at step ${v.parent.step}`]] : null,
    v.startedAt ? ["started", dateTime(v.startedAt)] : null,
    v.finishedAt ? ["finished", dateTime(v.finishedAt)] : null,
    v.input !== undefined ? ["input", value(v.input)] : v.inputPreview !== undefined ? ["input", h("code", {}, v.inputPreview)] : null,
    v.result
      ? [
          "result",
          v.result.ok ? value(v.result.value) : h("span", { class: "error-text" }, `${v.result.error.code}: ${v.result.error.message}`),
        ]
      : null,
    // what it waits for is in its status note
    v.suspended ? ["suspended", h("span", { class: "suspension" }, `since ${dateTime(v.suspended.since)}`)] : null,
    v.signals?.length
      ? [
          "signals",
          h(
            "ul",
            { class: "signals" },
            v.signals.map((s) =>
              h(
                "li",
                { "data-signal": s.name },
                h("code", {}, json(s.name)),
                " = ",
                value(s.value),
                s.from ? [" from ", instanceLink(s.from.instance), ` step ${s.from.step}`] : " from a client",
              ),
            ),
          ),
        ]
      : null,
  ].filter(Boolean);
  return h(
    "section",
    { class: `instance kind-${v.kind}`, "data-instance": v.id },
    h(
      "h3",
      {},
      h("span", { class: "mono" }, `${v.service ?? "?"}.${v.fn ?? "?"}`),
      " ",
      h("code", { class: "muted" }, v.id),
      " ",
      h("span", { class: "tag" }, v.kind),
    ),
    h(
      "dl",
      {},
      facts.map(([k, x]) => [h("dt", {}, k), h("dd", {}, x)]),
    ),
    v.steps.length ? stepsTable(v.steps) : h("p", { class: "muted" }, "no logged steps"),
    v.unplaced?.length ? [h("h4", {}, "instances of this tree whose caller could not be told"), v.unplaced.map(instanceBlock)] : null,
  );
}

function stepsTable(steps) {
  return h(
    "table",
    { class: "steps" },
    h(
      "tr",
      {},
      ["step", "kind", "where", "code", "table[key]", "value / outcome"].map((c) => h("th", {}, c)),
    ),
    steps.map((s) => stepRows(s)),
  );
}

function stepRows(s) {
  const where = s.source ? `${s.source.file}:${s.source.line}` : "";
  const target = s.table ? `${s.table}${s.key !== undefined ? `[${json(s.key)}]` : ""}` : "";
  const flags = [s.reExecuted ? "re-executed" : null, s.archived ? "archived" : null].filter(Boolean).join(", ");
  const row = h(
    "tr",
    { class: `step step-${s.kind}`, "data-step": s.step },
    h("td", { class: "mono" }, s.step),
    h("td", {}, h("span", { class: `kind k-${s.kind}` }, s.kind)),
    h("td", { class: "mono where" }, where),
    h("td", {}, s.source?.text ? h("code", {}, s.source.text) : ""),
    h("td", { class: "mono" }, target),
    h(
      "td",
      {},
      waitingCell(s) ?? (s.value !== undefined ? value(s.value) : ""),
      s.outcome ? outcome(s.outcome) : "",
      flags ? h("span", { class: "muted" }, ` (${flags})`) : "",
    ),
  );
  const nested = s.callee ?? s.spawned;
  const inner = nested ? instanceBlock(nested) : s.txn ? txnBlock(s.txn) : null;
  return inner ? [row, h("tr", { class: "nested" }, h("td", {}), h("td", { colspan: 5 }, inner))] : row;
}

/** What a sleep, wait or signal step logged, in words (null for other steps). */
function waitingCell(s) {
  if (s.kind === "sleep" && s.wakeAt !== undefined) return h("span", { class: "waiting" }, `until ${dateTime(s.wakeAt)}`);
  if (s.wait) {
    const name = s.wait.name !== null ? `${json(s.wait.name)} ` : "";
    const deadline = s.wait.deadline !== undefined ? ` (deadline ${dateTime(s.wait.deadline)})` : " (no timeout)";
    if (s.wait.outcome === "signalled") return h("span", { class: "waiting" }, `took ${name}`, value(s.value), deadline);
    if (s.wait.outcome === "timed-out") return h("span", { class: "waiting" }, `timed out${deadline}: null`);
    return h("span", { class: "waiting" }, `waiting for ${name}${deadline}`);
  }
  if (s.signal) {
    return h(
      "span",
      { class: `waiting ${s.signal.delivered ? "ok-text" : ""}` },
      s.signal.delivered ? "delivered" : "not delivered",
      s.signal.name !== undefined ? ` ${json(s.signal.name)}` : "",
      s.signal.to !== undefined ? [" to ", instanceLink(s.signal.to)] : "",
      s.signal.delivered ? "" : " (it already had one of that name, or no live instance has that id)",
    );
  }
  return null;
}

function outcome(o) {
  if (o.kind === "applied") return h("span", { class: "ok-text" }, "applied");
  if (o.kind === "cond") return h("span", {}, `where ${o.value ? "held: applied" : "did not hold: not applied"}`);
  return h("span", { class: "error-text" }, `${o.code}: ${o.message}`);
}

function txnBlock(t) {
  return h(
    "div",
    { class: "txn" },
    h("p", {}, `transaction ${t.outcome}`, t.startedAt ? `, started ${dateTime(t.startedAt)}` : ""),
    t.attempts.map((a) =>
      h(
        "div",
        { class: "attempt" },
        h("h4", {}, `attempt ${a.attempt}: `, a.decision ? `${a.decision.kind} — ${a.decision.reason}` : "undecided"),
        a.decision?.locks.length
          ? h("p", {}, "locks: ", a.decision.locks.map((l) => `${l.service}.${l.table}[${json(l.key)}] ${l.mode}`).join(", "))
          : null,
        a.decision?.writes.length
          ? h(
              "ul",
              {},
              a.decision.writes.map((w) =>
                h("li", {}, `${w.service}.${w.table}[${json(w.key)}] = `, value(w.value), w.applied ? [" ", outcome(w.applied)] : ""),
              ),
            )
          : null,
        a.heldNow.length
          ? h("p", {}, "holds now: ", a.heldNow.map((l) => `${l.service}.${l.table}[${json(l.key)}] ${l.mode}`).join(", "))
          : null,
        a.steps.length ? stepsTable(a.steps) : null,
      ),
    ),
  );
}

// ---- invoke: a form per fn --------------------------------------------------------------------

views.invoke = async (root, chosen) => {
  const app = await api("app");
  const fns = app.services.flatMap((s) => s.fns.map((f) => ({ ...f, ref: `${s.name}.${f.name}` })));
  const select = h(
    "select",
    { id: "fn", name: "fn" },
    app.services.map((s) =>
      h(
        "optgroup",
        { label: s.name },
        s.fns.map((f) => h("option", { value: `${s.name}.${f.name}` }, `${s.name}.${f.name}`)),
      ),
    ),
  );
  if (chosen && fns.some((f) => f.ref === chosen)) select.value = chosen;
  const params = h("div", { id: "params" });
  const instance = h("input", { id: "instance-id", name: "instance", placeholder: "a fresh UUID", autocomplete: "off" });
  const answer = h("div", { id: "answer" });
  const button = h("button", { type: "submit", id: "invoke-button" }, "Invoke");
  const form = h(
    "form",
    { id: "invoke-form" },
    h("label", {}, "fn ", select),
    params,
    h("label", {}, "instance id ", instance),
    h("p", { class: "muted" }, "A retry with the same instance id returns the recorded answer: the fn runs once."),
    button,
  );
  root.append(h("h1", {}, "Invoke"), form, answer);
  const drawParams = () => {
    const f = fns.find((x) => x.ref === select.value);
    fill(
      params,
      h(
        "p",
        { class: "muted signature" },
        `${f.ref}(${f.params.map((p) => `${p.name}: ${p.type}`).join(", ")}) -> ${f.result}${f.readOnly ? "  (read-only)" : ""}`,
      ),
      f.params.map((p) =>
        h(
          "label",
          {},
          `${p.name}: ${p.type} `,
          h("input", {
            name: p.name,
            "data-param": p.name,
            "data-input": p.input,
            "data-optional": p.optional ? "1" : null,
            placeholder: p.input === "text" ? "text" : "JSON",
            autocomplete: "off",
          }),
        ),
      ),
    );
  };
  select.addEventListener("change", drawParams);
  drawParams();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = {};
    try {
      for (const el of params.querySelectorAll("input[data-param]")) {
        const raw = el.value;
        if (raw === "" && el.dataset.optional) input[el.dataset.param] = null;
        else if (el.dataset.input === "text") input[el.dataset.param] = raw;
        else {
          try {
            input[el.dataset.param] = JSON.parse(raw);
          } catch {
            throw new Error(`${el.dataset.param}: not JSON: ${raw}`);
          }
        }
      }
    } catch (err) {
      fill(answer, errorBox(err));
      return;
    }
    const body = { fn: select.value, input };
    if (instance.value.trim()) body.instanceId = instance.value.trim();
    button.disabled = true;
    fill(answer, h("p", { class: "muted" }, `invoking ${select.value}…`));
    try {
      const r = await api("invoke", body);
      const res = r.result;
      fill(
        answer,
        h("h2", {}, "Answer"),
        h(
          "dl",
          { class: "invoke-result" },
          h("dt", {}, "instance"),
          h(
            "dd",
            {},
            instanceLink(r.instanceId),
            " ",
            h("a", { href: `#/instances/${encodeURIComponent(r.instanceId)}` }, "see its steps →"),
          ),
          h("dt", {}, "answer"),
          h(
            "dd",
            { id: "result" },
            "crashed" in res
              ? h("span", { class: "error-text" }, `crashed${res.reason ? `: ${res.reason}` : ""}: it finishes once its lease is over`)
              : res.ok && res.pending
                ? h(
                    "span",
                    { class: "pending-text" },
                    "pending: the instance is suspended (sleeping, or waiting for a signal); invoking the same instance id again answers its result once it has finished",
                  )
                : res.ok
                  ? value(res.value)
                  : h("span", { class: "error-text" }, `${res.error.code}: ${res.error.message}`),
          ),
          h("dt", {}, "took"),
          h("dd", {}, `${r.ms} ms`),
        ),
      );
    } catch (err) {
      fill(answer, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
};

// ---- tables: every table, and one table's rows ------------------------------------------------

views.tables = async (root, ref, onPoll) => {
  const tables = await api("tables");
  if (ref === undefined) {
    root.append(
      h("h1", {}, "Tables"),
      h(
        "table",
        { class: "grid", id: "tables" },
        h("tr", {}, h("th", {}, "table"), h("th", {}, "type")),
        tables.map((t) =>
          h(
            "tr",
            {},
            h(
              "td",
              {},
              h("a", { href: `#/tables/${encodeURIComponent(`${t.service}.${t.table}`)}`, class: "mono" }, `${t.service}.${t.table}`),
            ),
            h("td", { class: "mono" }, t.type),
          ),
        ),
      ),
    );
    return;
  }
  const t = tables.find((x) => `${x.service}.${x.table}` === ref);
  if (!t) throw new Error(`no table ${ref}`);
  const body = h("tbody", {});
  const count = h("span", { class: "muted" });
  const key = h("input", { name: "key", placeholder: "key", autocomplete: "off" });
  const val = h("textarea", { name: "value", rows: 2, placeholder: `{ ${t.fields.map((f) => `"${f}": …`).join(", ")} }` });
  const said = h("span", { id: "put-answer" });
  const form = h(
    "form",
    { id: "put-form" },
    h("label", {}, "key ", key),
    h("label", {}, "value ", val),
    h("button", { type: "submit" }, "Set row"),
    said,
  );
  root.append(
    h("p", {}, h("a", { href: "#/tables" }, "← tables")),
    h("h1", {}, h("span", { class: "mono" }, ref), " ", count),
    h("p", { class: "mono muted" }, t.type),
    h(
      "table",
      { class: "grid", id: "rows" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "key"),
          t.fields.map((f) => h("th", {}, f)),
        ),
      ),
      body,
    ),
    h("h2", {}, "Set a row"),
    h("p", { class: "muted" }, "Checked against the table's type, then written as beldi put writes it (fns read it at once)."),
    form,
  );
  const refresh = async () => {
    const rows = await api(`tables/${encodeURIComponent(ref)}`);
    count.textContent = `(${rows.length} row${rows.length === 1 ? "" : "s"})`;
    fill(
      body,
      ...rows.map((r) =>
        h(
          "tr",
          { "data-key": r.key },
          h("td", { class: "mono" }, r.key),
          t.fields.map((f) => h("td", {}, value(r.value?.[f]))),
        ),
      ),
    );
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      let v;
      try {
        v = JSON.parse(val.value);
      } catch {
        throw new Error("the value is not JSON");
      }
      await api(`tables/${encodeURIComponent(ref)}`, { key: key.value, value: v });
      said.className = "ok-text";
      said.textContent = ` set ${key.value}`;
      await refresh();
    } catch (err) {
      said.className = "error-text";
      said.textContent = ` ${err.message}`;
    }
  });
  await refresh();
  onPoll(refresh);
};

window.addEventListener("hashchange", route);
route();
poll();
