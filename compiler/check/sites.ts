// Static step ids: every logged site of a fn gets "s1", "s2", ... in source order (by the
// position where the site starts), so the same source always gives the same ids.
import type { Span } from "../../grammar/span.js";
import type { IrSite, IrSiteOp } from "../ir.js";

interface Pending {
  op: IrSiteOp;
  span: Span;
  table?: string;
  target?: string;
  node: { site: string };
  seq: number;
}

export class SiteAllocator {
  private pending: Pending[] = [];

  /** Registers a site; its id is written into `node.site` by `finish`. */
  add(op: IrSiteOp, span: Span, node: { site: string }, extra: { table?: string; target?: string } = {}): void {
    const p: Pending = { op, span, node, seq: this.pending.length };
    if (extra.table !== undefined) p.table = extra.table;
    if (extra.target !== undefined) p.target = extra.target;
    this.pending.push(p);
  }

  /** Assigns ids in source order and returns the fn's site list. */
  finish(): IrSite[] {
    const sorted = [...this.pending].sort((a, b) => a.span.offset - b.span.offset || a.seq - b.seq);
    return sorted.map((p, i) => {
      const id = `s${i + 1}`;
      p.node.site = id;
      const site: IrSite = { id, op: p.op, span: p.span };
      if (p.table !== undefined) site.table = p.table;
      if (p.target !== undefined) site.target = p.target;
      return site;
    });
  }
}
