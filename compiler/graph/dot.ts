// An AppGraph as Graphviz DOT: a cluster per service with its tables (cylinders) and fns; call
// edges solid, spawn dashed, inline calls with an open dot, calls inside a txn bold orange; table
// access as undirected dotted lines; each txn block a hexagon linked to the fns in its scope.
// Labels are HTML-like labels with every name escaped; ids are positions (ids.ts).
import { accessLabel, edgeLabel, fnTags, nodeIds, txnLabel } from "./ids.js";
import type { AppGraph } from "./model.js";

/** Text inside an HTML-like DOT label: markup characters become entities, so any name is data. */
export function dotHtml(s: string): string {
  return s.replace(/[&<>"'[\]\n\r]/g, (c) => `&#${c.codePointAt(0)};`);
}

const TXN = "#e65100";

export function toDot(g: AppGraph): string {
  const id = nodeIds(g);
  const lines: string[] = [
    "// call: solid, spawn: dashed, inline call: open dot, call inside a txn: bold orange; hexagons: txn blocks and their scope",
    // the graph's id is the SVG's <title>: the app's name, with anything DOT could misread replaced
    `digraph "${g.app.replace(/[^A-Za-z0-9_.-]/g, "_")}" {`,
    `  graph [rankdir=LR, fontname="Helvetica", labelloc=t, fontsize=16, label=<<b>${dotHtml(g.app)}</b>>];`,
    `  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled", fillcolor="#ffffff"];`,
    `  edge [fontname="Helvetica", fontsize=9];`,
  ];
  for (const s of g.services) {
    lines.push(`  subgraph cluster_${id.service(s.name)} {`);
    lines.push(`    label=<service <b>${dotHtml(s.name)}</b>>; style="rounded"; color="#90a4ae";`);
    for (const t of s.tables) {
      lines.push(
        `    ${id.table({ service: s.name, table: t })} [shape=cylinder, style=filled, fillcolor="#e3f2fd", label=<${dotHtml(t)}>];`,
      );
    }
    for (const f of s.fns) {
      const tags = fnTags(f);
      const attrs = [
        `label=<${dotHtml(f.name)}${tags.length ? `<br/><font point-size="9"><i>${dotHtml(tags.join(", "))}</i></font>` : ""}>`,
      ];
      if (f.readOnly) attrs.push(`fillcolor="#e8f5e9"`);
      if (f.ownsTxn || f.inTxn) attrs.push(`color="${TXN}"`, "penwidth=2");
      lines.push(`    ${id.fn({ service: s.name, fn: f.name })} [${attrs.join(", ")}];`);
    }
    lines.push("  }");
  }
  for (const e of g.edges) {
    const attrs = [`label=<${dotHtml(edgeLabel(e))}>`];
    if (e.kind === "spawn") attrs.push("style=dashed");
    if (e.kind === "inline") attrs.push("arrowhead=odot");
    if (e.inTxn) attrs.push(`color="${TXN}"`, `fontcolor="${TXN}"`, "penwidth=2.5");
    lines.push(`  ${id.fn(e.from)} -> ${id.fn(e.to)} [${attrs.join(", ")}];`);
  }
  for (const a of g.access) {
    lines.push(`  ${id.fn(a.fn)} -> ${id.table(a.table)} [label=<${dotHtml(accessLabel(a))}>, dir=none, style=dotted];`);
  }
  g.transactions.forEach((t, i) => {
    const locks = t.tables.map((r) => `${r.service}.${r.table}`).join(", ");
    const label = `${dotHtml(txnLabel(t))}${locks ? `<br/><font point-size="9">${dotHtml(`locks ${locks}`)}</font>` : ""}`;
    lines.push(`  ${id.txn(i)} [shape=hexagon, style=filled, fillcolor="#fff3e0", color="${TXN}", label=<${label}>];`);
    lines.push(`  ${id.fn(t.owner)} -> ${id.txn(i)} [label=<runs>, style=dotted, color="${TXN}", dir=none];`);
    for (const f of t.fns) lines.push(`  ${id.txn(i)} -> ${id.fn(f)} [label=<in scope>, style=dotted, color="${TXN}"];`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
