// An AppGraph as a mermaid flowchart (GitHub renders it in Markdown): a subgraph per service
// with its tables (cylinders) and fns; call -->, spawn -.->, inline call --o, a call inside a
// txn ==>; table access as plain lines; each txn block a hexagon linked to the fns in its scope.
import { accessLabel, edgeLabel, fnTags, nodeIds, txnLabel } from "./ids.js";
import type { AppGraph } from "./model.js";

/**
 * Text for a quoted mermaid label: every character that mermaid or HTML could read as syntax
 * becomes an entity code (`#35;` for `#`), which mermaid turns back into the character.
 */
export function mermaidText(s: string): string {
  return s.replace(/[^A-Za-z0-9 _.,:/+\-=!?×()]/gu, (c) => `#${c.codePointAt(0)};`);
}

const quoted = (s: string) => `"${mermaidText(s)}"`;

export function toMermaid(g: AppGraph): string {
  const id = nodeIds(g);
  const lines: string[] = [
    "---",
    `title: ${JSON.stringify(g.app)}`,
    "---",
    "flowchart LR",
    "  %% --> call, -.-> spawn, --o inline call, ==> call inside a txn; hexagons: txn blocks and their scope",
  ];
  const classes = { readOnly: [] as string[], txn: [] as string[], table: [] as string[], txnBlock: [] as string[] };
  for (const s of g.services) {
    lines.push(`  subgraph ${id.service(s.name)}[${quoted(`service ${s.name}`)}]`);
    for (const t of s.tables) {
      const tid = id.table({ service: s.name, table: t });
      lines.push(`    ${tid}[(${quoted(t)})]`);
      classes.table.push(tid);
    }
    for (const f of s.fns) {
      const fid = id.fn({ service: s.name, fn: f.name });
      const tags = fnTags(f);
      // the name, then its tags on a second line (the <br/> is ours; the text around it is escaped)
      lines.push(`    ${fid}["${mermaidText(f.name)}${tags.length ? `<br/><i>${mermaidText(tags.join(", "))}</i>` : ""}"]`);
      if (f.readOnly) classes.readOnly.push(fid);
      if (f.ownsTxn || f.inTxn) classes.txn.push(fid);
    }
    lines.push("  end");
  }
  const arrow = { call: "-->", spawn: "-.->", inline: "--o" } as const;
  let link = 0;
  const txnLinks: number[] = [];
  for (const e of g.edges) {
    const a = e.inTxn && e.kind !== "spawn" ? "==>" : arrow[e.kind];
    if (e.inTxn) txnLinks.push(link);
    lines.push(`  ${id.fn(e.from)} ${a}|${quoted(edgeLabel(e))}| ${id.fn(e.to)}`);
    link++;
  }
  for (const a of g.access) {
    lines.push(`  ${id.fn(a.fn)} ---|${quoted(accessLabel(a))}| ${id.table(a.table)}`);
    link++;
  }
  g.transactions.forEach((t, i) => {
    const xid = id.txn(i);
    const locks = t.tables.map((r) => `${r.service}.${r.table}`).join(", ");
    lines.push(`  ${xid}{{"${mermaidText(txnLabel(t))}${locks ? `<br/>${mermaidText(`locks ${locks}`)}` : ""}"}}`);
    classes.txnBlock.push(xid);
    lines.push(`  ${id.fn(t.owner)} -.-|${quoted("runs")}| ${xid}`);
    txnLinks.push(link++);
    for (const f of t.fns) {
      lines.push(`  ${xid} -.-|${quoted("in scope")}| ${id.fn(f)}`);
      txnLinks.push(link++);
    }
  });
  lines.push(
    "  classDef readOnly fill:#e8f5e9,stroke:#2e7d32",
    "  classDef txn stroke:#e65100,stroke-width:2px",
    "  classDef table fill:#e3f2fd,stroke:#1565c0",
    "  classDef txnBlock fill:#fff3e0,stroke:#e65100",
  );
  for (const [name, ids] of Object.entries(classes)) if (ids.length) lines.push(`  class ${ids.join(",")} ${name}`);
  if (txnLinks.length) lines.push(`  linkStyle ${txnLinks.join(",")} stroke:#e65100`);
  return `${lines.join("\n")}\n`;
}
