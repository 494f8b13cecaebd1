// Declarations: the file, `type`, `extern fn`, `service` with its tables and fns, parameter lists.
// Reported here: runs of stray tokens between declarations or in a service, and a result type
// whose `->` is forgotten or which is missing after one (recovery's view of the tokens).
import type { IToken } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import type { Decl, ExternDecl, FnDecl, Param, ServiceDecl, SourceFileAst, TableDecl, TypeDecl, TypeExpr } from "../ast.js";
import type {
  ExternDeclCstNode,
  FileCstNode,
  FnDeclCstNode,
  ParamCstNode,
  ParamsCstNode,
  ServiceDeclCstNode,
  TableDeclCstNode,
  TypeDeclCstNode,
  TypeExprCstNode,
} from "../cst.js";
import { SYNTAX } from "../diagnostics.js";
import { describeToken, isRealToken } from "../errors.js";
import * as T from "../lexer.js";
import type { Span } from "../span.js";
import { buildBlock } from "./statements.js";
import { kids, type Part, type Translation } from "./translation.js";
import { buildType } from "./types.js";

export function buildFile(t: Translation, n: FileCstNode): SourceFileAst {
  const c = kids(n);
  const decls: Decl[] = [];
  for (const d of c.typeDecl ?? []) decls.push(typeDecl(t, d));
  for (const d of c.externDecl ?? []) decls.push(externDecl(t, d));
  for (const d of c.serviceDecl ?? []) decls.push(serviceDecl(t, d));
  decls.sort((a, b) => a.span.offset - b.span.offset);
  t.reportJunk(c.junk ?? [], (j) => {
    let hint: string | undefined;
    if (j.tokenType === T.Fn || j.tokenType === T.Table)
      hint = `a \`${j.image}\` belongs to a service: put it inside \`service name { ... }\``;
    else if (j.tokenType === T.RCurly) hint = "this `}` closes nothing: remove it, or check the braces before it";
    else if (tokenMatcher(j, T.ServiceJunk) && !tokenMatcher(j, T.BlockJunk))
      hint = "statements belong inside a fn's body, which belongs to a service";
    t.report(SYNTAX.E0015, t.tokSpan(j), `expected a declaration (\`type\`, \`extern\` or \`service\`), found ${describeToken(j)}`, hint);
  });
  return { path: t.lines.file, decls };
}

function typeDecl(t: Translation, n: TypeDeclCstNode): TypeDecl {
  const c = kids(n);
  const kw = c.Type?.[0];
  const name = t.ident(c.name?.[0], kw);
  const type = buildType(t, c.typeExpr?.[0], kw, c.name?.[0], c.Equals?.[0]);
  return { kind: "type", name, type, span: t.join(kw, name, c.Equals?.[0], type) };
}

function externDecl(t: Translation, n: ExternDeclCstNode): ExternDecl {
  const c = kids(n);
  const kw = c.Extern?.[0];
  const name = t.ident(c.name?.[0], kw, c.Fn?.[0]);
  const params = paramList(t, c.params?.[0]);
  const arrow = c.Arrow?.[0];
  const result = resultType(t, c.result?.[0], arrow);
  const fromKw = c.From?.[0];
  const pathTok = c.path?.[0];
  const from = isRealToken(pathTok)
    ? { value: typeof pathTok.payload === "string" ? pathTok.payload : "", span: t.tokSpan(pathTok) }
    : { value: "", span: t.after(kw, name, params.span, arrow, result, fromKw) };
  return {
    kind: "extern",
    name,
    params: params.params,
    result,
    from,
    span: t.join(kw, name, params.span, arrow, result, fromKw, isRealToken(pathTok) ? pathTok : null),
  };
}

function serviceDecl(t: Translation, n: ServiceDeclCstNode): ServiceDecl {
  const c = kids(n);
  const kw = c.Service?.[0];
  const name = t.ident(c.name?.[0], kw);
  const tables = (c.tableDecl ?? []).map((d) => tableDecl(t, d));
  const fns = (c.fnDecl ?? []).map((d) => fnDecl(t, d));
  t.reportJunk(c.junk ?? [], (j) => {
    let hint: string | undefined;
    if (tokenMatcher(j, T.ServiceJunk) && !tokenMatcher(j, T.BlockJunk))
      hint = "statements belong inside a fn's body: `fn name(...) { ... }`";
    t.report(
      SYNTAX.E0015,
      t.tokSpan(j),
      `expected \`table\` or \`fn\` in service \`${name.name}\`, found ${describeToken(j)}`,
      hint ?? "a service holds only `table name: T` and `fn name(...) { ... }` declarations",
    );
  });
  const last = [...tables, ...fns].sort((a, b) => b.span.endOffset - a.span.endOffset)[0];
  return { kind: "service", name, tables, fns, span: t.join(kw, name, c.LCurly?.[0], last, c.RCurly?.[0]) };
}

function tableDecl(t: Translation, n: TableDeclCstNode): TableDecl {
  const c = kids(n);
  const kw = c.Table?.[0];
  const name = t.ident(c.name?.[0], kw);
  const type = buildType(t, c.typeExpr?.[0], kw, c.name?.[0], c.Colon?.[0]);
  return { kind: "table", name, type, span: t.join(kw, name, type) };
}

function fnDecl(t: Translation, n: FnDeclCstNode): FnDecl {
  const c = kids(n);
  const kw = c.Fn?.[0];
  const name = t.ident(c.name?.[0], kw);
  const params = paramList(t, c.params?.[0], kw, name);
  const arrow = c.Arrow?.[0];
  const result = resultType(t, c.result?.[0], arrow);
  const body = buildBlock(t, c.block?.[0], kw, name, params.span, arrow, result);
  return { kind: "fn", name, params: params.params, result, body, span: t.join(kw, name, params.span, result, body) };
}

/** `-> R`, or `R` with the `->` forgotten (reported), or `->` with `R` missing (reported) */
function resultType(t: Translation, n: TypeExprCstNode | undefined, arrow: IToken | undefined): TypeExpr | null {
  if (!arrow && !n) return null;
  const result = buildType(t, n, arrow);
  if (!n && isRealToken(arrow)) {
    const next = t.tokenAfter(arrow);
    t.report(
      SYNTAX.E0001,
      isRealToken(next) ? t.tokSpan(next) : t.after(arrow),
      `expected the result type after \`->\`, found ${describeToken(next)}`,
      "write the result type, or remove `->` if the fn returns nothing",
    );
  }
  if (!arrow) {
    const at = t.tokenAt(result.span.offset);
    t.report(
      SYNTAX.E0001,
      at ? t.tokSpan(at) : result.span,
      `expected \`->\` before the result type, found ${describeToken(at)}`,
      "the result type follows an arrow: `fn name(p: T) -> R { ... }`",
    );
  }
  return result;
}

/** `(p: T, ...)`: the parameters, or none (at a zero-width span) where the list is missing */
function paramList(t: Translation, n: ParamsCstNode | undefined, ...before: Part[]): { params: Param[]; span: Span } {
  if (!n) return { params: [], span: t.after(...before) };
  const c = kids(n);
  const params = t.items(c.param, (p) => param(t, p));
  t.checkCommas(params, c.Comma, "parameter", "parameters");
  return { params, span: t.join(c.LParen?.[0], ...params, c.RParen?.[0]) };
}

function param(t: Translation, n: ParamCstNode): Param {
  const c = kids(n);
  const name = t.ident(c.name?.[0]);
  const type = buildType(t, c.typeExpr?.[0], name, c.Colon?.[0]);
  return { name, type, span: t.join(name, type) };
}
