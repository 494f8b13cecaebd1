// From a step id to the program: which site of which fn (following inline calls), its kind and
// its `.beldi` line, from the IR (manifest.json). Pure.
import type { IrFn, IrProgram, IrSite } from "../../compiler/ir.js";
import type { SourceRef, StepKind } from "./model.js";
import { compareKeys, compareSteps, segmentsOf, suffixRank } from "./step-ids.js";

export interface ResolvedSite {
  site: IrSite;
  /** "service.fn" the site belongs to */
  fn: string;
}

export class Sites {
  private readonly fns = new Map<string, IrFn>();

  constructor(
    ir: IrProgram,
    /** source path -> text, for the lines steps show */
    private readonly sources: ReadonlyMap<string, string>,
  ) {
    for (const s of ir.services) for (const f of s.fns) this.fns.set(`${s.name}.${f.name}`, f);
  }

  fn(ref: string): IrFn | undefined {
    return this.fns.get(ref);
  }

  /**
   * The site a step of an instance of `fnRef` was taken at: every path segment is a site of the
   * fn the path has reached so far (an inline call's leads into the called fn), the last one the step's own.
   */
  resolve(fnRef: string, step: string): ResolvedSite | undefined {
    const [service] = fnRef.split(".");
    let fn = this.fns.get(fnRef);
    let ref = fnRef;
    const segs = segmentsOf(step);
    for (const [i, seg] of segs.entries()) {
      if (!fn || seg.site === null) return undefined;
      const site = fn.sites.find((s) => s.id === seg.site);
      if (!site) return undefined;
      if (i === segs.length - 1) return { site, fn: ref };
      if (site.op === "inline" && seg.suffix.kind === "none") {
        ref = `${service}.${site.target}`;
        fn = this.fns.get(ref);
      }
    }
    return undefined;
  }

  /**
   * A step's place in execution order, segment by segment: where its site's text ends, inner
   * (later-starting) first on a tie — an argument runs before the call it is in, a statement
   * before the next — then the iteration, branch or attempt. Null when a site is not in the IR.
   */
  executionKey(fnRef: string, step: string): number[][] | null {
    const [service] = fnRef.split(".");
    let fn = this.fns.get(fnRef);
    const key: number[][] = [];
    for (const seg of segmentsOf(step)) {
      const site = seg.site === null ? undefined : fn?.sites.find((s) => s.id === seg.site);
      if (!site) return null;
      key.push([site.span.endOffset, -site.span.offset, ...suffixRank(seg)]);
      if (site.op === "inline" && seg.suffix.kind === "none") fn = this.fns.get(`${service}.${site.target}`);
    }
    return key;
  }

  /** Orders steps of an instance of `fnRef` as its execution takes them (by id alone where the IR does not know a site). */
  comparator(fnRef: string | null): (a: string, b: string) => number {
    const keys = new Map<string, number[][] | null>();
    const keyOf = (step: string) =>
      keys.has(step) ? keys.get(step)! : keys.set(step, fnRef ? this.executionKey(fnRef, step) : null).get(step)!;
    return (a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      return (ka && kb ? compareKeys(ka, kb) : 0) || compareSteps(a, b);
    };
  }

  /** The site's place and source line. */
  source(site: IrSite): SourceRef {
    const { file, line, col } = site.span;
    const text = this.sources.get(file)?.split("\n")[line - 1]?.trim() ?? null;
    return { file, line, col, text };
  }
}

/** The step kind a site's operation logs. */
export function stepKind(site: IrSite | undefined): StepKind {
  switch (site?.op) {
    case "read":
    case "write":
    case "update":
    case "delete":
    case "scan":
    case "call":
    case "spawn":
    case "now":
    case "uuid":
    case "random":
    case "txn":
      return site.op;
    default:
      return "unknown";
  }
}
