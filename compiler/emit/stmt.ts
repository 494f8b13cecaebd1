// IR statements -> TypeScript statement text, each under a comment naming the .beldi line it
// came from.
import type { Span } from "../../grammar/span.js";
import type { IrStmt } from "../ir.js";
import { expr, exprText, type Scope } from "./expr.js";
import { call, member, prefix } from "./js-tree.js";
import { local } from "./names.js";
import { printJs, printJsStatement } from "./print-js.js";
import { commentText, js } from "./text.js";
import { tsType } from "./types.js";
import type { Writer } from "./writer.js";

/** Source lines by file path, for the comments that trace code back to its .beldi line. */
export type SourceLines = Map<string, string[]>;

/** The lines written from now on came from `span`: a comment names its line (and the source map maps them there). */
export function source(w: Writer, sources: SourceLines, span: Span): void {
  w.from(span);
  w.comment(origin(sources, span));
}

/** The comment naming a statement's .beldi line, with that line's text (escaped: it stays one comment line). */
export function origin(sources: SourceLines, span: Span): string {
  const text = sources.get(span.file)?.[span.line - 1]?.trim() ?? "";
  const short = text.length > 90 ? `${text.slice(0, 87)}...` : text;
  return commentText(`// ${baseName(span.file)}:${span.line}${short ? `  ${short}` : ""}`);
}

/** A source's lines, split where the grammar's LineIndex splits them (so `span.line` indexes them). */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Whether a body ends in a statement that leaves it (so nothing may follow). */
function endsInJump(body: IrStmt[]): boolean {
  const last = body[body.length - 1];
  return !!last && (last.kind === "return" || last.kind === "fail" || last.kind === "abort");
}

/** Whether a txn body returns from the fn somewhere (not counting nested fns: there are none). */
function containsReturn(body: IrStmt[]): boolean {
  return body.some((st) => {
    switch (st.kind) {
      case "return":
        return true;
      case "if":
        return containsReturn(st.then) || containsReturn(st.else);
      case "forList":
      case "forMap":
      case "while":
        return containsReturn(st.body);
      default:
        return false;
    }
  });
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const q = js;

export function stmts(w: Writer, s: Scope, sources: SourceLines, body: IrStmt[]): void {
  for (const st of body) stmt(w, s, sources, st);
}

function stmt(w: Writer, s: Scope, src: SourceLines, st: IrStmt): void {
  source(w, src, st.span);
  // a nested body's statements map to their own lines; the lines after it (`} else {`) to this one
  const nested = (scope: Scope, body: IrStmt[]) => {
    stmts(w, scope, src, body);
    w.from(st.span);
  };
  switch (st.kind) {
    case "let":
      w.line(`${st.mutable ? "let" : "const"} ${local(st.name)}: ${tsType(st.type)} = ${exprText(s, st.init)};`);
      return;
    case "assign":
      w.line(`${local(st.name)} = ${exprText(s, st.value)};`);
      return;
    case "if":
      w.line(`if (${exprText(s, st.cond)}) {`);
      w.indent(() => nested(s, st.then));
      if (st.else.length) {
        w.line("} else {");
        w.indent(() => nested(s, st.else));
      }
      w.line("}");
      return;
    case "forList": {
      const i = `i$${++s.fresh.n}`;
      const inner = { ...s, ctx: `$${s.fresh.n}` };
      w.block(`for (const [${i}, ${local(st.name)}] of ${printJs(call(member(expr(s, st.iter), "entries"), []))}) {`, () => {
        w.line(`const ${inner.ctx} = ${s.ctx}.iter(${q(st.site)}, ${i});`);
        nested(inner, st.body);
      });
      return;
    }
    case "forMap": {
      const i = `i$${++s.fresh.n}`;
      const inner = { ...s, ctx: `$${s.fresh.n}` };
      w.block(`for (const [${i}, [${local(st.key)}, ${local(st.value)}]] of $v.entries(${exprText(s, st.iter)}).entries()) {`, () => {
        w.line(`const ${inner.ctx} = ${s.ctx}.iter(${q(st.site)}, ${i});`);
        nested(inner, st.body);
      });
      return;
    }
    case "while": {
      const i = `i$${++s.fresh.n}`;
      const inner = { ...s, ctx: `$${s.fresh.n}` };
      // The condition may hold logged operations: it belongs to the iteration's step path.
      w.block(`for (let ${i} = 0; ; ${i}++) {`, () => {
        w.line(`const ${inner.ctx} = ${s.ctx}.iter(${q(st.site)}, ${i});`);
        w.line(`if (${printJs(prefix("!", expr(inner, st.cond)))}) break;`);
        nested(inner, st.body);
      });
      return;
    }
    case "break":
      w.line("break;");
      return;
    case "continue":
      w.line("continue;");
      return;
    case "return": {
      const value = st.value ? exprText(s, st.value) : "null";
      // Inside a txn body (a function of its own) the value travels out through the commit.
      w.line(s.inTxn ? `return { value: ${value} };` : `return ${value};`);
      return;
    }
    case "fail":
      w.line(`return ${s.ctx}.fail(${exprText(s, st.message)});`);
      return;
    case "write":
      w.line(`await ${s.ctx}.write(${q(st.site)}, ${q(st.table)}, ${exprText(s, st.key)}, ${exprText(s, st.value)});`);
      return;
    case "delete":
      w.line(`await ${s.ctx}.delete(${q(st.site)}, ${q(st.table)}, ${exprText(s, st.key)});`);
      return;
    case "expr":
      w.line(`${printJsStatement(expr(s, st.expr))};`);
      return;
    case "sleep":
      w.line(`await ${s.ctx}.sleep(${q(st.site)}, ${exprText(s, st.ms)});`);
      return;
    case "parallel": {
      // Each branch is an async function on its own Ctx, declared before the call (not an
      // arrow inside it: that nests the code several levels deeper per `parallel`); its `let`
      // comes back by name.
      const results = st.branches.map(() => `b$${++s.fresh.n}`);
      const fns = st.branches.map((b) => {
        const n = ++s.fresh.n;
        const inner = { ...s, ctx: `$${n}` };
        w.block(`async function p$${n}(${inner.ctx}: Ctx) {`, () => {
          nested(inner, b.body);
          w.line(`return { ${b.exports.map((x) => local(x.name)).join(", ")} };`);
        });
        return `p$${n}`;
      });
      w.line(`const [${results.join(", ")}] = await ${s.ctx}.parallel(${q(st.site)}, [${fns.join(", ")}]);`);
      st.branches.forEach((b, i) => {
        if (b.exports.length) w.line(`const { ${b.exports.map((x) => local(x.name)).join(", ")} } = ${results[i]};`);
      });
      return;
    }
    case "txn": {
      const n = ++s.fresh.n;
      const inner: Scope = { ...s, ctx: `$${n}`, inTxn: true };
      const vars = st.restore.map(local);
      if (vars.length) w.line(`const saved$${n} = { ${vars.join(", ")} };`);
      const restore = vars.length ? `() => { ({ ${vars.join(", ")} } = saved$${n}); }` : "() => {}";
      w.line(`const t$${n} = await ${s.ctx}.txn(${q(st.site)}, async (${inner.ctx}) => {`);
      w.indent(() => {
        nested(inner, st.body);
        if (!endsInJump(st.body)) w.line("return undefined;");
      });
      w.line(`}, ${restore});`);
      const returns = containsReturn(st.body);
      // `else (r)`: the abort reason, which the outcome carries once it is not committed
      const elseBody = () => {
        if (st.reason !== undefined) w.line(`const ${local(st.reason)}: string = t$${n}.reason;`);
        nested(s, st.else);
      };
      if (!returns && st.else.length) {
        w.line(`if (!t$${n}.committed) {`);
        w.indent(elseBody);
        w.line("}");
      } else if (returns) {
        w.line(`if (t$${n}.committed) {`);
        w.indent(() => {
          if (returns) w.line(`if (t$${n}.result) return ${s.inTxn ? `{ value: t$${n}.result.value }` : `t$${n}.result.value`};`);
        });
        if (st.else.length) {
          w.line("} else {");
          w.indent(elseBody);
        }
        w.line("}");
      }
      return;
    }
    case "abort":
      w.line(`return ${s.ctx}.abort(${st.reason ? exprText(s, st.reason) : ""});`);
      return;
  }
}
