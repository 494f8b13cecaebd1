// From a step id to the program: which site of which fn (following inline calls), its kind and
// its `.beldi` line, from the IR (manifest.json). Pure.
import type { IrExpr, IrFn, IrProgram, IrSite } from "../../compiler/ir.js";
import type { SourceRef, StepKind } from "./model.js";
import { compareKeys, compareSteps, segmentsOf, suffixRank } from "./step-ids.js";

export interface ResolvedSite {
  site: IrSite;
  /** "service.fn" the site belongs to */
  fn: string;
}

/** A `wait` or `signal` expression: what its site alone does not say (the name, the receiving instance). */
export type WaitingExpr = Extract<IrExpr, { kind: "wait" }> | Extract<IrExpr, { kind: "signal" }>;

/** What a fn's body says beyond its site list: its wait and signal expressions by site, and the names it binds. */
interface FnFacts {
  waiting: Map<string, WaitingExpr>;
  bound: Set<string>;
}

export class Sites {
  private readonly fns = new Map<string, IrFn>();
  private readonly facts = new Map<string, FnFacts>();

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

  /** The `wait` or `signal` expression at site `site` of `fnRef`. */
  waitingExpr(fnRef: string, site: string): WaitingExpr | undefined {
    return this.factsOf(fnRef)?.waiting.get(site);
  }

  /** Whether `name` is a parameter of `fnRef` its body never binds again (a `let`, `var`, loop variable or assignment): its value is the input's. */
  fixedParam(fnRef: string, name: string): boolean {
    const fn = this.fns.get(fnRef);
    return !!fn?.params.some((p) => p.name === name) && !this.factsOf(fnRef)!.bound.has(name);
  }

  private factsOf(fnRef: string): FnFacts | undefined {
    const known = this.facts.get(fnRef);
    if (known) return known;
    const fn = this.fns.get(fnRef);
    if (!fn) return undefined;
    const facts: FnFacts = { waiting: new Map(), bound: new Set() };
    // the IR is plain JSON: every node is an object with a `kind` (iteratively: bodies nest deep)
    const todo: unknown[] = [fn.body];
    while (todo.length) {
      const x = todo.pop();
      if (Array.isArray(x)) {
        todo.push(...x);
        continue;
      }
      if (typeof x !== "object" || x === null) continue;
      const node = x as Record<string, unknown>;
      if ((node.kind === "wait" || node.kind === "signal") && typeof node.site === "string")
        facts.waiting.set(node.site, node as unknown as WaitingExpr);
      const binds =
        node.kind === "let" || node.kind === "assign" || node.kind === "forList"
          ? [node.name]
          : node.kind === "forMap"
            ? [node.key, node.value]
            : node.kind === "txn"
              ? [node.reason]
              : [];
      for (const b of binds) if (typeof b === "string") facts.bound.add(b);
      for (const [k, v] of Object.entries(node)) if (k !== "type" && k !== "span" && typeof v === "object") todo.push(v);
    }
    this.facts.set(fnRef, facts);
    return facts;
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
    case "sleep":
    case "wait":
    case "signal":
      return site.op;
    default:
      return "unknown";
  }
}
