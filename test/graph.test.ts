// `beldi graph`'s pure half (compiler/graph/): the model drawn from the IR (edges, read-only fns,
// transaction scopes), the mermaid and DOT texts against committed snapshots, DOT rendered to SVG
// by Graphviz (wasm), mermaid's structure, and names a format could misread kept as data.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, loadApp } from "../compiler/check-api.js";
import { dotHtml, toDot } from "../compiler/graph/dot.js";
import { mermaidText, toMermaid } from "../compiler/graph/mermaid.js";
import { appGraph, type AppGraph } from "../compiler/graph/model.js";
import { dotToSvg } from "../compiler/graph/svg.js";
import { committedGraph, exampleGraph, generatedGraphs } from "./graph-snapshots.js";
import { examples } from "./update-snapshots.js";

const graphOf = (src: string): AppGraph => {
  const dir = mkdtempSync(path.join(tmpdir(), "beldi-graph-"));
  try {
    writeFileSync(path.join(dir, "app.beldi"), src);
    const app = loadApp(path.relative(process.cwd(), dir));
    const r = check(app.files, { app: "g", appDir: app.appDir });
    if (!r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
    return appGraph(r.ir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const fnName = (r: { service: string; fn: string }) => `${r.service}.${r.fn}`;
const edges = (g: AppGraph) => g.edges.map((e) => `${e.kind} ${fnName(e.from)} -> ${fnName(e.to)}${e.inTxn ? " (txn)" : ""} x${e.sites}`);

test("travel: read-only fns, call and spawn edges, the reservation's transaction scope", () => {
  const g = exampleGraph("travel");
  assert.is(g.app, "travel");
  assert.equal(
    g.services.map((s) => s.name),
    ["geo", "rate", "search", "profile", "recommendation", "user", "hotel", "flight", "order", "frontend"],
  );
  const frontend = g.services.find((s) => s.name === "frontend")!;
  assert.equal(
    frontend.fns.map((f) => [f.name, f.readOnly, f.ownsTxn]),
    [
      ["search", true, false],
      ["recommend", true, false],
      ["login", true, false],
      ["reserve", false, true],
    ],
  );
  assert.ok(edges(g).includes("call frontend.reserve -> hotel.reserve (txn) x1"));
  assert.ok(edges(g).includes("call frontend.reserve -> flight.reserve (txn) x1"));
  assert.ok(edges(g).includes("call frontend.reserve -> user.check x1"), "the login check is before the txn");
  assert.ok(edges(g).includes("spawn frontend.reserve -> order.place x1"));
  assert.equal(g.transactions.length, 1);
  const [t] = g.transactions;
  assert.equal(fnName(t!.owner), "frontend.reserve");
  assert.equal(t!.fns.map(fnName), ["flight.reserve", "hotel.reserve"]);
  assert.equal(
    t!.tables.map((r) => `${r.service}.${r.table}`),
    ["flight.flights", "hotel.hotels"],
  );
  assert.is(t!.file, path.join("examples", "travel", "travel.beldi"));
  const hotel = g.services.find((s) => s.name === "hotel")!;
  assert.equal(hotel.tables, ["hotels"]);
  assert.ok(hotel.fns[0]!.inTxn);
  assert.ok(g.access.some((a) => fnName(a.fn) === "hotel.reserve" && a.table.table === "hotels" && a.reads && a.writes));
});

test("inline calls, txn bodies against else, scopes reached transitively, two blocks in one fn, scans", () => {
  const g = graphOf(`type Row = { n: number }
service a {
  table rows: Row
  fn main(k: string) -> number {
    txn {
      let x = bump(k)
      let ok = call b.add(k)
    } else {
      spawn c.log(k)
    }
    txn {
      let again = call b.add(k)
    }
    let after = call b.add(k)
    let all = scan rows
    return len(all)
  }
  fn bump(k: string) -> number {
    update rows[k] set n = (n ?? 0) + 1
    return 1
  }
}
service b {
  fn add(k: string) -> bool { return call c.put(k) }
}
service c {
  table vals: Row
  fn put(k: string) -> bool {
    write vals[k] = { n: 1 }
    return true
  }
  fn log(k: string) -> bool { return true }
}
`);
  assert.equal(edges(g), [
    "inline a.main -> a.bump (txn) x1",
    "call a.main -> b.add (txn) x2",
    "spawn a.main -> c.log x1",
    "call a.main -> b.add x1",
    "call b.add -> c.put x1",
  ]);
  assert.equal(
    g.transactions.map((t) => [t.line, t.fns.map(fnName), t.tables.map((r) => `${r.service}.${r.table}`)]),
    [
      [5, ["a.bump", "b.add", "c.put"], ["a.rows", "c.vals"]],
      [11, ["b.add", "c.put"], ["c.vals"]],
    ],
  );
  const fns = Object.fromEntries(g.services.flatMap((s) => s.fns.map((f) => [`${s.name}.${f.name}`, f])));
  assert.ok(fns["c.put"]!.inTxn, "reached through b.add inside the txn");
  assert.not.ok(fns["c.log"]!.inTxn, "spawned from else: outside the transaction");
  assert.ok(fns["c.log"]!.readOnly);
  assert.ok(g.access.some((a) => fnName(a.fn) === "a.main" && a.scans && !a.reads && !a.writes));
});

for (const example of examples()) {
  test(`examples/${example}: the mermaid and DOT drawings are the committed snapshot (npm run snapshots:update)`, () => {
    for (const f of generatedGraphs(example)) assert.fixture(f.text, committedGraph(f.name) ?? "(no snapshot)", f.name);
    assert.equal(generatedGraphs(example), generatedGraphs(example), "deterministic");
  });
}

/** Structural checks of a mermaid flowchart: what a mermaid parser would refuse. */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split("\n");
  if (lines[0] !== "---" || lines[2] !== "---" || lines[3] !== "flowchart LR") problems.push("front matter and flowchart header");
  const declared = new Set<string>();
  let depth = 0;
  const label = `"[^"]*"`;
  const patterns: [RegExp, (m: RegExpMatchArray) => void][] = [
    [new RegExp(String.raw`^  subgraph (\w+)\[${label}\]$`), (m) => (declared.add(m[1]!), depth++)],
    [/^ {2}end$/, () => depth--],
    [new RegExp(String.raw`^    (\w+)(\[\(${label}\)\]|\[${label}\])$`), (m) => declared.add(m[1]!)],
    [new RegExp(String.raw`^  (\w+)\{\{${label}\}\}$`), (m) => declared.add(m[1]!)],
    [
      new RegExp(String.raw`^  (\w+) (-->|-\.->|--o|==>|---|-\.-)\|${label}\| (\w+)$`),
      (m) => {
        for (const id of [m[1]!, m[3]!]) if (!declared.has(id)) problems.push(`edge to undeclared ${id}`);
      },
    ],
    [/^ {2}%% /, () => {}],
    [/^ {2}classDef \w+ [\w:#,-]+$/, () => {}],
    [
      /^ {2}class ([\w,]+) \w+$/,
      (m) => {
        for (const id of m[1]!.split(",")) if (!declared.has(id)) problems.push(`class of undeclared ${id}`);
      },
    ],
    [/^ {2}linkStyle [\d,]+ [\w:#]+$/, () => {}],
  ];
  for (const line of lines.slice(4)) {
    const hit = patterns.find(([re]) => re.test(line));
    if (hit) hit[1](line.match(hit[0])!);
    else problems.push(`unexpected line: ${line}`);
    // inside labels only our own markup and entity codes
    for (const l of line.match(/"[^"]*"/g) ?? []) if (/[<>]/.test(l.replace(/<br\/>|<\/?i>/g, ""))) problems.push(`markup in ${l}`);
  }
  if (depth !== 0) problems.push("unbalanced subgraph/end");
  const links = lines.filter((l) => /^ {2}\w+ (-->|-\.->|--o|==>|---|-\.-)\|/.test(l)).length;
  for (const l of lines.filter((x) => x.startsWith("  linkStyle ")))
    for (const n of l.split(" ")[3]!.split(",").map(Number)) if (n >= links) problems.push(`linkStyle ${n} of ${links} links`);
  return problems;
}

test("mermaid: every line is a form mermaid reads, every id declared before use, labels escaped", () => {
  for (const example of examples()) assert.equal(mermaidProblems(toMermaid(exampleGraph(example))), [], example);
  assert.ok(mermaidProblems('---\ntitle: "x"\n---\nflowchart LR\n  a --> b\n').length > 0, "the checker finds problems");
});

test("DOT: every example renders to SVG by Graphviz (wasm) without error", async () => {
  for (const example of examples()) {
    const svg = await dotToSvg(toDot(exampleGraph(example)));
    assert.match(svg, /^<\?xml/);
    assert.match(svg, /<svg /);
    for (const s of exampleGraph(example).services) assert.ok(svg.includes(`>${s.name}</text>`), `${example}: service ${s.name}`);
  }
  try {
    await dotToSvg("digraph { a -> }");
    assert.unreachable("invalid DOT must be refused");
  } catch (e) {
    assert.match((e as Error).message, /Graphviz/);
  }
});

// Names in a real program are identifiers; the drawings are escaped anyway, for any IR.
const ODD = [
  'a"b',
  "<script>x</script>",
  "end",
  "#35;",
  "x]y[z",
  "p|q",
  "back\\slash",
  "semi;colon",
  "a&amp;b",
  "`tick`",
  "line\nbreak",
  "{curly}",
];

const oddGraph = (): AppGraph => ({
  app: 'odd"app<x>',
  services: ODD.map((name, i) => ({
    name,
    tables: [ODD[(i + 1) % ODD.length]!],
    fns: [{ name: ODD[(i + 2) % ODD.length]!, readOnly: i % 2 === 0, ownsTxn: i === 0, inTxn: i === 1 }],
  })),
  edges: ODD.map((_, i) => ({
    kind: (["call", "spawn", "inline"] as const)[i % 3]!,
    from: { service: ODD[i]!, fn: ODD[(i + 2) % ODD.length]! },
    to: { service: ODD[(i + 1) % ODD.length]!, fn: ODD[(i + 3) % ODD.length]! },
    inTxn: i === 0,
    sites: 1 + (i % 2),
  })),
  access: [{ fn: { service: ODD[0]!, fn: ODD[2]! }, table: { service: ODD[0]!, table: ODD[1]! }, reads: true, writes: true, scans: false }],
  transactions: [
    {
      owner: { service: ODD[0]!, fn: ODD[2]! },
      site: "s0",
      file: 'dir "x"/a<b>.beldi',
      line: 3,
      fns: [{ service: ODD[1]!, fn: ODD[3]! }],
      tables: [{ service: ODD[1]!, table: ODD[2]! }],
    },
  ],
});

const decodeMermaid = (s: string) => s.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

test("escaping: odd names stay data in mermaid (entity codes that decode back) and DOT (renders, text intact)", async () => {
  for (const name of ODD) {
    const m = mermaidText(name);
    assert.ok(/^[A-Za-z0-9 _.,:/+\-=!?×()#;]*$/.test(m), m);
    assert.is(decodeMermaid(m), name);
    assert.not.match(dotHtml(name), /[<>"&\n](?!#?\w+;)/);
  }
  const g = oddGraph();
  const mermaid = toMermaid(g);
  assert.equal(mermaidProblems(mermaid), []);
  for (const name of ODD) assert.ok(decodeMermaid(mermaid).includes(name), name);
  const svg = await dotToSvg(toDot(g));
  // Graphviz writes the label text back XML-escaped: the name, not markup
  const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  for (const name of ODD.filter((n) => !n.includes("\n"))) assert.ok(svg.includes(xml(name)), name);
  assert.not.ok(svg.includes("<script>"), "no markup from a name");
});

test.run();
