// One fn: parameters, body, the missing-return rule, and its step sites.
import type { Span } from "../../grammar/span.js";
import { CHECK } from "../diagnostics.js";
import type { IrFn } from "../ir.js";
import type { FnCtx, FnInfo, Program, Reporter, ServiceInfo } from "./state.js";
import { newFacts, type FnFacts } from "./effects.js";
import { declare } from "./scope.js";
import { SiteAllocator } from "./sites.js";
import { checkExpr } from "./expr.js";
import { checkBlock } from "./stmt.js";
import { resolve, show, toDesc } from "./types.js";

export interface CheckedFn {
  ir: IrFn;
  facts: FnFacts;
}

/** The position of a block's closing brace. */
function closingBrace(span: Span): Span {
  return {
    file: span.file,
    line: span.endLine,
    col: Math.max(1, span.endCol - 1),
    endLine: span.endLine,
    endCol: Math.max(2, span.endCol),
    offset: Math.max(0, span.endOffset - 1),
    endOffset: span.endOffset,
  };
}

export function checkFn(prog: Program, diags: Reporter, svc: ServiceInfo, fn: FnInfo): CheckedFn {
  const ctx: FnCtx = {
    prog,
    diags,
    service: svc,
    fn,
    scopes: [new Map()],
    frames: [],
    facts: new Set(),
    sites: new SiteAllocator(),
    info: newFacts(fn.key),
    parallel: [],
    expr: checkExpr,
  };
  for (const p of fn.params) declare(ctx, p.name, p.span, "param", p.type);
  const body = checkBlock(ctx, fn.decl.body.stmts);
  const rk = resolve(fn.result, prog.types).kind;
  if (body.completes && !["null", "optional", "any", "error"].includes(rk))
    diags.report(
      CHECK.missingReturn,
      closingBrace(fn.decl.body.span),
      `fn \`${fn.name}\` returns \`${show(fn.result)}\`, but the end of its body can be reached without \`return\``,
      "add a `return` (or `fail`) at the end, or on every path",
    );
  const sites = ctx.sites.finish();
  const ir: IrFn = {
    name: fn.name,
    params: fn.params.map((p) => ({ name: p.name, type: toDesc(p.type), span: p.span })),
    result: toDesc(fn.result),
    body: body.ir,
    sites,
    effects: { writes: false, calls: [], spawns: [], txn: false, scans: false },
    readOnly: false,
    span: fn.decl.span,
  };
  return { ir, facts: ctx.info };
}
