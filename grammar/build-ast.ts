// CST -> AST (ast.ts), with spans. The CST may be partial after error recovery: every child
// can be missing, and tokens inserted by recovery have no position. Missing parts become
// placeholders: a missing expression is a `null` literal, a missing type is `any`, a missing
// name is "", a missing block is empty; each sits at a zero-width span where it was expected.
//
// Reported here, because they are about tokens and what recovery or the translation dropped:
// stray tokens, missing or doubled `,`, a forgotten `->`, a `=` for `==` in a header, a block
// standing alone, malformed types, chains cut at MAX_CHAIN; and chained comparisons (see
// applyPrecedence). The checks that need only the AST are passes over it (checks/); `leftOut`
// hands them what the AST has no place for.
//
// Why ~900 lines: one builder walks every CST node kind (split by job in the next step).
import { tokenMatcher, type CstElement, type CstNode, type IToken } from "chevrotain";
import type {
  BinaryOp,
  Block,
  Decl,
  Expr,
  ExternDecl,
  FnDecl,
  Ident,
  Param,
  RecordTypeField,
  ServiceDecl,
  SourceFileAst,
  Stmt,
  TableDecl,
  TypeDecl,
  TypeExpr,
} from "./ast.js";
import type { LeftOut } from "./checks/index.js";
import { diagnostic, SYNTAX, type DiagnosticEntry } from "./diagnostics.js";
import { describeToken, isRealToken } from "./errors.js";
import * as T from "./lexer.js";
import { tokenEnd } from "./lexer.js";
import { parser } from "./parser.js";
import { joinSpans, type LineIndex } from "./position.js";
import type { Diagnostic, Span } from "./span.js";

type Children = Record<string, CstElement[] | undefined>;

/**
 * Longest chain of binary operators, prefix operators, postfix suffixes or `else if`s built
 * into the tree; the rest is dropped (and reported), so the AST's depth stays bounded for
 * the passes that walk it recursively.
 */
export const MAX_CHAIN = 1000;

type Part = IToken | Span | { span: Span } | null | undefined;

const PRECEDENCE: Record<BinaryOp, number> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};

function toks(ch: Children, key: string): IToken[] {
  return (ch[key] ?? []) as IToken[];
}
function tok(ch: Children, key: string, i = 0): IToken | undefined {
  return (ch[key] as IToken[] | undefined)?.[i];
}
function nodes(ch: Children, key: string): CstNode[] {
  return (ch[key] ?? []) as CstNode[];
}
function node(ch: Children, key: string, i = 0): CstNode | undefined {
  return (ch[key] as CstNode[] | undefined)?.[i];
}

/** The first real token of a CST node (iterative: the subtree may be deep). */
function firstToken(n: CstNode): IToken | undefined {
  let best: IToken | undefined;
  const todo: CstNode[] = [n];
  while (todo.length > 0) {
    const cur = todo.pop() as CstNode;
    for (const els of Object.values(cur.children)) {
      for (const el of els ?? []) {
        if ("tokenType" in el) {
          if (isRealToken(el) && (!best || el.startOffset < best.startOffset)) best = el;
        } else todo.push(el);
      }
    }
  }
  return best;
}

const BaseVisitor = parser.getBaseCstVisitorConstructor<undefined, unknown>();

/** Builds the AST of one file. Use `build(cst)` once per instance. */
export class AstBuilder extends BaseVisitor {
  readonly diagnostics: Diagnostic[] = [];
  /** what the AST has no place for; the syntax checks (checks/) still look inside */
  readonly leftOut: LeftOut = { assignTargets: [], typeArgs: [] };
  /** end of the last real token seen: where placeholders go when nothing better is known */
  private lastEnd = 0;

  /** token -> index in the token vector, to find runs of adjacent stray tokens */
  private readonly indexOf = new Map<IToken, number>();

  get tokenIndex(): Map<IToken, number> {
    return this.indexOf;
  }

  constructor(
    private readonly lines: LineIndex,
    /** the token vector the parser read */
    private readonly tokens: IToken[],
  ) {
    super();
    this.validateVisitor();
    tokens.forEach((t, i) => {
      this.indexOf.set(t, i);
    });
  }

  /** The real token starting at an offset, if any (binary search over the token vector). */
  private tokenAt(offset: number): IToken | undefined {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid] as IToken;
      const o = Number.isFinite(t.startOffset) ? t.startOffset : -1;
      if (o === offset && isRealToken(t)) return t;
      if (o < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * Checks the commas of a bracketed list (parsed as any mix of items and commas): one
   * between two items, an optional one after the last, none before the first.
   */
  /** AST nodes built from CST nodes that error recovery cut short */
  private readonly recovered = new WeakSet<object>();

  /** Builds the items of a list, remembering which were cut short by error recovery. */
  private items<R extends object>(ns: CstNode[]): R[] {
    return ns.map((n) => {
      const r = this.visit(n) as R;
      if (n.recoveredNode) this.recovered.add(r);
      return r;
    });
  }

  private checkCommas(items: { span: Span }[], commas: IToken[], one: string, many: string): void {
    type Entry = { off: number; comma: IToken | null; span: Span };
    const seq: Entry[] = [];
    for (const c of commas) if (isRealToken(c)) seq.push({ off: c.startOffset, comma: c, span: this.tokSpan(c) });
    for (const it of items) seq.push({ off: it.span.offset, comma: null, span: it.span });
    seq.sort((a, b) => a.off - b.off || (a.comma ? -1 : 1));
    let prev: "open" | "item" | "comma" = "open";
    let prevRecovered = false;
    const recoveredAt = new Set(items.filter((it) => this.recovered.has(it)).map((it) => it.span.offset));
    for (const e of seq) {
      if (e.comma) {
        if (prev === "open") this.report(SYNTAX.E0001, e.span, `unexpected \`,\` before the first ${one}`, "remove it");
        else if (prev === "comma") this.report(SYNTAX.E0001, e.span, "two `,` in a row", "remove one of them");
        prev = "comma";
      } else {
        if (prev === "item" && !prevRecovered) {
          const t = this.tokenAt(e.span.offset);
          this.report(
            SYNTAX.E0001,
            t ? this.tokSpan(t) : e.span,
            `expected \`,\` between two ${many}, found ${describeToken(t)}`,
            "put a `,` between them (a line break does not separate them)",
          );
        }
        prev = "item";
      }
      prevRecovered = !e.comma && recoveredAt.has(e.off);
    }
  }

  build(cst: CstNode): SourceFileAst {
    return this.visit(cst) as SourceFileAst;
  }

  // ---- spans ------------------------------------------------------------------------------

  private tokSpan(t: IToken): Span {
    const end = tokenEnd(t);
    if (end > this.lastEnd) this.lastEnd = end;
    return this.lines.span(t.startOffset, end);
  }

  private partSpan(p: Part): Span | null {
    if (!p) return null;
    if ("tokenType" in p) return isRealToken(p) ? this.tokSpan(p) : null;
    if ("file" in p) return p;
    return p.span;
  }

  /** The span covering all real parts; zero-width at the last known position if none. */
  private join(...parts: Part[]): Span {
    let acc: Span | null = null;
    for (const p of parts) {
      const s = this.partSpan(p);
      if (s) acc = acc ? joinSpans(acc, s) : s;
    }
    return acc ?? this.lines.span(this.lastEnd, this.lastEnd);
  }

  /** A zero-width span just after the last real part (where something missing was expected). */
  private after(...parts: Part[]): Span {
    for (let i = parts.length - 1; i >= 0; i--) {
      const s = this.partSpan(parts[i]);
      if (s) return this.lines.span(s.endOffset, s.endOffset);
    }
    return this.lines.span(this.lastEnd, this.lastEnd);
  }

  private tooLong(at: IToken, what: string): void {
    this.report(
      SYNTAX.E0011,
      this.join(at),
      `more than ${MAX_CHAIN} ${what} in a row; the rest is skipped`,
      "split it into smaller pieces with `let`s",
    );
  }

  private report(entry: DiagnosticEntry, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(diagnostic(entry, span, message, hint));
  }

  // ---- small pieces -----------------------------------------------------------------------

  /** A name written by the user (a reserved word too: checks/reserved-names.ts reports it). */
  private ident(t: IToken | undefined, ...before: Part[]): Ident {
    const image = t?.image ?? "";
    if (!isRealToken(t)) return { name: image, span: this.after(...before) };
    return { name: t.image, span: this.tokSpan(t) };
  }

  private missingExpr(...before: Part[]): Expr {
    return { kind: "null", span: this.after(...before) };
  }
  private missingType(...before: Part[]): TypeExpr {
    const span = this.after(...before);
    return { kind: "name", name: { name: "any", span }, span };
  }
  private missingBlock(...before: Part[]): Block {
    return { stmts: [], span: this.after(...before) };
  }

  private expr(n: CstNode | undefined, ...before: Part[]): Expr {
    return n ? (this.visit(n) as Expr) : this.missingExpr(...before);
  }
  private typeOf(n: CstNode | undefined, ...before: Part[]): TypeExpr {
    return n ? (this.visit(n) as TypeExpr) : this.missingType(...before);
  }
  private blockOf(n: CstNode | undefined, ...before: Part[]): Block {
    return n ? (this.visit(n) as Block) : this.missingBlock(...before);
  }

  /**
   * Reports runs of stray tokens (adjacent in the token vector) once per run, at the run's
   * first token.
   */
  private reportJunk(junk: IToken[], report: (first: IToken) => void): void {
    let prevIdx = -2;
    for (const t of junk) {
      const idx = this.indexOf.get(t) ?? -10;
      if (idx !== prevIdx + 1) report(t);
      prevIdx = idx;
    }
  }

  // ---- declarations -----------------------------------------------------------------------

  file(ch: Children): SourceFileAst {
    const decls: Decl[] = [];
    for (const n of nodes(ch, "typeDecl")) decls.push(this.visit(n) as TypeDecl);
    for (const n of nodes(ch, "externDecl")) decls.push(this.visit(n) as ExternDecl);
    for (const n of nodes(ch, "serviceDecl")) decls.push(this.visit(n) as ServiceDecl);
    decls.sort((a, b) => a.span.offset - b.span.offset);
    this.reportJunk(toks(ch, "junk"), (t) => {
      let hint: string | undefined;
      if (t.tokenType === T.Fn || t.tokenType === T.Table)
        hint = `a \`${t.image}\` belongs to a service: put it inside \`service name { ... }\``;
      else if (t.tokenType === T.RCurly) hint = "this `}` closes nothing: remove it, or check the braces before it";
      else if (tokenMatcher(t, T.ServiceJunk) && !tokenMatcher(t, T.BlockJunk))
        hint = "statements belong inside a fn's body, which belongs to a service";
      this.report(
        SYNTAX.E0015,
        this.tokSpan(t),
        `expected a declaration (\`type\`, \`extern\` or \`service\`), found ${describeToken(t)}`,
        hint,
      );
    });
    return { path: this.lines.file, decls };
  }

  typeDecl(ch: Children): TypeDecl {
    const kw = tok(ch, "Type");
    const name = this.ident(tok(ch, "name"), kw);
    const type = this.typeOf(node(ch, "typeExpr"), kw, tok(ch, "name"), tok(ch, "Equals"));
    return { kind: "type", name, type, span: this.join(kw, name, tok(ch, "Equals"), type) };
  }

  externDecl(ch: Children): ExternDecl {
    const kw = tok(ch, "Extern");
    const fnKw = tok(ch, "Fn");
    const name = this.ident(tok(ch, "name"), kw, fnKw);
    const params = this.paramList(node(ch, "params"));
    const arrow = tok(ch, "Arrow");
    const result = this.resultType(ch, arrow);
    const fromKw = tok(ch, "From");
    const pathTok = tok(ch, "path");
    const from = isRealToken(pathTok)
      ? { value: typeof pathTok.payload === "string" ? pathTok.payload : "", span: this.tokSpan(pathTok) }
      : { value: "", span: this.after(kw, name, params.span, arrow, result, fromKw) };
    return {
      kind: "extern",
      name,
      params: params.params,
      result,
      from,
      span: this.join(kw, name, params.span, arrow, result, fromKw, isRealToken(pathTok) ? pathTok : null),
    };
  }

  serviceDecl(ch: Children): ServiceDecl {
    const kw = tok(ch, "Service");
    const name = this.ident(tok(ch, "name"), kw);
    const tables = nodes(ch, "tableDecl").map((n) => this.visit(n) as TableDecl);
    const fns = nodes(ch, "fnDecl").map((n) => this.visit(n) as FnDecl);
    this.reportJunk(toks(ch, "junk"), (t) => {
      let hint: string | undefined;
      if (tokenMatcher(t, T.ServiceJunk) && !tokenMatcher(t, T.BlockJunk))
        hint = "statements belong inside a fn's body: `fn name(...) { ... }`";
      this.report(
        SYNTAX.E0015,
        this.tokSpan(t),
        `expected \`table\` or \`fn\` in service \`${name.name}\`, found ${describeToken(t)}`,
        hint ?? "a service holds only `table name: T` and `fn name(...) { ... }` declarations",
      );
    });
    const last = [...tables, ...fns].sort((a, b) => b.span.endOffset - a.span.endOffset)[0];
    return {
      kind: "service",
      name,
      tables,
      fns,
      span: this.join(kw, name, tok(ch, "LCurly"), last, tok(ch, "RCurly")),
    };
  }

  tableDecl(ch: Children): TableDecl {
    const kw = tok(ch, "Table");
    const name = this.ident(tok(ch, "name"), kw);
    const type = this.typeOf(node(ch, "typeExpr"), kw, tok(ch, "name"), tok(ch, "Colon"));
    return { kind: "table", name, type, span: this.join(kw, name, type) };
  }

  fnDecl(ch: Children): FnDecl {
    const kw = tok(ch, "Fn");
    const name = this.ident(tok(ch, "name"), kw);
    const params = this.paramList(node(ch, "params"), kw, name);
    const arrow = tok(ch, "Arrow");
    const result = this.resultType(ch, arrow);
    const body = this.blockOf(node(ch, "block"), kw, name, params.span, arrow, result);
    return { kind: "fn", name, params: params.params, result, body, span: this.join(kw, name, params.span, result, body) };
  }

  /** `-> R`, or `R` with the `->` forgotten (reported) */
  private resultType(ch: Children, arrow: IToken | undefined): TypeExpr | null {
    const n = node(ch, "result");
    if (!arrow && !n) return null;
    const result = this.typeOf(n, arrow);
    if (!n && isRealToken(arrow)) {
      const t = this.tokens[(this.indexOf.get(arrow) ?? -2) + 1];
      this.report(
        SYNTAX.E0001,
        isRealToken(t) ? this.tokSpan(t) : this.after(arrow),
        `expected the result type after \`->\`, found ${describeToken(t)}`,
        "write the result type, or remove `->` if the fn returns nothing",
      );
    }
    if (!arrow) {
      const t = this.tokenAt(result.span.offset);
      this.report(
        SYNTAX.E0001,
        t ? this.tokSpan(t) : result.span,
        `expected \`->\` before the result type, found ${describeToken(t)}`,
        "the result type follows an arrow: `fn name(p: T) -> R { ... }`",
      );
    }
    return result;
  }

  private paramList(n: CstNode | undefined, ...before: Part[]): { params: Param[]; span: Span } {
    if (!n) return { params: [], span: this.after(...before) };
    return this.visit(n) as { params: Param[]; span: Span };
  }

  params(ch: Children): { params: Param[]; span: Span } {
    const params = this.items<Param>(nodes(ch, "param"));
    this.checkCommas(params, toks(ch, "Comma"), "parameter", "parameters");
    return { params, span: this.join(tok(ch, "LParen"), ...params, tok(ch, "RParen")) };
  }

  param(ch: Children): Param {
    const name = this.ident(tok(ch, "name"));
    const type = this.typeOf(node(ch, "typeExpr"), name, tok(ch, "Colon"));
    return { name, type, span: this.join(name, type) };
  }

  // ---- types ------------------------------------------------------------------------------

  typeExpr(ch: Children): TypeExpr {
    let base: TypeExpr;
    const nameTok = tok(ch, "name");
    const rec = node(ch, "recordType");
    if (rec) {
      base = this.visit(rec) as TypeExpr;
    } else if (nameTok) {
      const image = nameTok.image;
      const name: Ident = isRealToken(nameTok)
        ? { name: image, span: this.tokSpan(nameTok) }
        : { name: image || "any", span: this.after() };
      const lt = tok(ch, "Lt");
      const gt = tok(ch, "Gt");
      const args = nodes(ch, "arg").map((n) => this.visit(n) as TypeExpr);
      const generic = name.name === "list" || name.name === "map";
      if (lt) {
        const span = this.join(name, lt, ...args, gt);
        if (!generic) {
          this.report(
            SYNTAX.E0016,
            this.join(lt, ...args, gt),
            `\`${name.name}\` takes no type argument`,
            "only `list<T>` and `map<T>` take a type argument",
          );
          for (const arg of args) this.leftOut.typeArgs.push(arg);
          base = { kind: "name", name, span };
        } else {
          if (args.length > 1) {
            this.report(
              SYNTAX.E0016,
              this.join(...args.slice(1)),
              name.name === "map"
                ? "`map` takes one type argument, the type of its values: its keys are always strings"
                : "`list` takes one type argument, the type of its elements",
              name.name === "map" ? `write \`map<V>\`, e.g. \`map<number>\`` : "write `list<T>`",
            );
            for (const arg of args.slice(1)) this.leftOut.typeArgs.push(arg);
          }
          const elem = args[0] ?? this.missingType(lt);
          base = { kind: name.name === "list" ? "list" : "map", elem, span };
        }
      } else if (generic && isRealToken(nameTok)) {
        this.report(
          SYNTAX.E0016,
          name.span,
          `\`${name.name}\` needs the type of its ${name.name === "list" ? "elements" : "values"}: \`${name.name}<T>\``,
          `write for example \`${name.name}<string>\`, or \`${name.name}<any>\` for unchecked values`,
        );
        base = { kind: name.name === "list" ? "list" : "map", elem: this.missingType(name), span: name.span };
      } else {
        base = { kind: "name", name, span: name.span };
      }
    } else {
      return this.missingType();
    }
    const opts = toks(ch, "opt").filter(isRealToken);
    if (opts.length === 0) return base;
    const marks = opts.reduce((n, t) => n + t.image.length, 0);
    if (marks > 1) {
      this.report(
        SYNTAX.E0014,
        this.join(opts[0], opts[opts.length - 1]),
        "this type is made optional more than once",
        "write a single `?`: `T?` already means `T | null`",
      );
    }
    return { kind: "optional", inner: base, span: this.join(base, opts[opts.length - 1]) };
  }

  recordType(ch: Children): TypeExpr {
    const fields = this.items<RecordTypeField>(nodes(ch, "fieldType"));
    this.checkCommas(fields, toks(ch, "Comma"), "field", "fields");
    return { kind: "record", fields, span: this.join(tok(ch, "LCurly"), ...fields, tok(ch, "RCurly")) };
  }

  fieldType(ch: Children): RecordTypeField {
    const name = this.ident(tok(ch, "name"));
    const opt = tok(ch, "opt");
    if (opt && opt.tokenType === T.QQ && isRealToken(opt)) {
      this.report(SYNTAX.E0014, this.tokSpan(opt), "this field is marked optional twice", "write a single `?`: `g?: U`");
    }
    const type = this.typeOf(node(ch, "typeExpr"), name, opt, tok(ch, "Colon"));
    return { name, optional: opt !== undefined, type, span: this.join(name, type) };
  }

  // ---- statements -------------------------------------------------------------------------

  block(ch: Children): Block {
    const stmts: Stmt[] = [];
    const junk: IToken[] = [];
    for (const n of nodes(ch, "statement")) {
      const j = tok(n.children, "junk");
      if (j) {
        junk.push(j);
        continue;
      }
      const bare = node(n.children, "bareBlock");
      if (bare) {
        // a block standing alone: reported, and its statements kept in place
        const b = this.visit(bare) as Block;
        this.report(
          SYNTAX.E0001,
          this.join(tok(bare.children, "LCurly")),
          "a `{ ... }` block cannot stand on its own",
          "a block follows `if`, `else`, `for`, `while`, `txn`, `parallel` or a fn's signature; a record literal cannot be a statement",
        );
        stmts.push(...b.stmts);
        continue;
      }
      const s = this.visit(n) as Stmt | null;
      if (s) stmts.push(s);
    }
    this.reportJunk(junk, (t) => {
      let hint: string | undefined;
      if (t.tokenType === T.Else) hint = "an `else` must directly follow the `}` of an `if` or `txn` block";
      else if (t.tokenType === T.RParen || t.tokenType === T.RBracket)
        hint = `this \`${t.image}\` closes nothing: remove it, or check the brackets before it`;
      else if (t.tokenType === T.Equals) hint = "only a name can be assigned: `x = e`";
      else if (tokenMatcher(t, T.Reserved)) hint = `\`${t.image}\` is a reserved word: it cannot be used as a name`;
      this.report(SYNTAX.E0001, this.tokSpan(t), `expected a statement, found ${describeToken(t)}`, hint);
    });
    const lc = tok(ch, "LCurly");
    const rc = tok(ch, "RCurly");
    return { stmts, span: this.join(lc, ...stmts, rc) };
  }

  /** one statement; null for a lone `;` */
  statement(ch: Children): Stmt | null {
    for (const key of Object.keys(ch)) {
      const el = ch[key]?.[0];
      if (!el) continue;
      if ("tokenType" in el) {
        const t = el;
        const span = this.join(t);
        if (t.tokenType === T.Break) return { kind: "break", span };
        if (t.tokenType === T.Continue) return { kind: "continue", span };
        if (t.tokenType === T.Abort) return { kind: "abort", span };
        return null; // `;`
      }
      return this.visit(el) as Stmt;
    }
    return null;
  }

  letStmt(ch: Children): Stmt {
    const kw = tok(ch, "kw");
    const name = this.ident(tok(ch, "name"), kw);
    const colon = tok(ch, "Colon");
    const type = colon ? this.typeOf(node(ch, "typeExpr"), colon) : null;
    const eq = tok(ch, "Equals");
    const init = this.expr(node(ch, "expression"), kw, name, type, eq);
    return {
      kind: "let",
      mutable: kw?.tokenType === T.Var,
      name,
      type,
      init,
      span: this.join(kw, name, type, eq, init),
    };
  }

  /** `cond = e` in a header, meant as `cond == e`: reported, and built as `==` */
  private headerCond(ch: Children, header: "if" | "while", ...before: Part[]): Expr {
    const cond = this.expr(node(ch, "cond"), ...before);
    const m = node(ch, "mistakenEq")?.children as Children | undefined;
    const eq = m ? tok(m, "Equals") : undefined;
    if (!m || !eq) return cond;
    const right = this.expr(node(m, "expression"), eq);
    this.report(
      SYNTAX.E0001,
      this.join(eq),
      `expected \`{\` to start the body of the \`${header}\`, found \`=\``,
      "to compare, use `==`; `=` assigns",
    );
    return { kind: "binary", op: "==", left: cond, right, span: this.join(cond, right), mistakenEq: true };
  }

  mistakenEq(): never {
    throw new Error("mistakenEq is built by headerCond");
  }

  ifStmt(ch: Children): Stmt {
    const ifKw = tok(ch, "If");
    const cond = this.headerCond(ch, "if", ifKw);
    const then = this.blockOf(node(ch, "then"), ifKw, cond);
    // the chain `else if ... else if ... else { }`, built from its end (no recursion)
    let links = nodes(ch, "elseIf");
    if (links.length > MAX_CHAIN) {
      const t = tok((links[MAX_CHAIN] as CstNode).children as Children, "Else");
      if (t) this.tooLong(t, "`else if`s");
      links = links.slice(0, MAX_CHAIN);
    }
    const chain = links.map((n) => {
      const c = n.children as Children;
      const kw = tok(c, "If");
      const cnd = this.headerCond(c, "if", tok(c, "Else"), kw);
      const blk = this.blockOf(node(c, "then"), kw, cnd);
      return { kw: kw ?? tok(c, "Else"), cond: cnd, then: blk };
    });
    const elseKw = tok(ch, "Else");
    let elseBlock: Block | null = elseKw ? this.blockOf(node(ch, "else"), elseKw) : null;
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i] as (typeof chain)[number];
      const span = this.join(link.kw, link.cond, link.then, elseBlock);
      const inner: Stmt = { kind: "if", cond: link.cond, then: link.then, else: elseBlock, span };
      elseBlock = { stmts: [inner], span };
    }
    return { kind: "if", cond, then, else: elseBlock, span: this.join(ifKw, cond, then, elseBlock) };
  }

  elseIf(): never {
    throw new Error("elseIf is built by ifStmt");
  }

  forStmt(ch: Children): Stmt {
    const kw = tok(ch, "For");
    const first = this.ident(tok(ch, "first"), kw);
    const second = tok(ch, "Comma") ? this.ident(tok(ch, "second"), tok(ch, "Comma")) : null;
    const inKw = tok(ch, "In");
    const iter = this.expr(node(ch, "iter"), kw, first, second, inKw);
    const body = this.blockOf(node(ch, "block"), iter);
    return {
      kind: "for",
      key: second ? first : null,
      value: second ?? first,
      iter,
      body,
      span: this.join(kw, first, second, inKw, iter, body),
    };
  }

  whileStmt(ch: Children): Stmt {
    const kw = tok(ch, "While");
    const cond = this.headerCond(ch, "while", kw);
    const body = this.blockOf(node(ch, "block"), kw, cond);
    return { kind: "while", cond, body, span: this.join(kw, cond, body) };
  }

  returnStmt(ch: Children): Stmt {
    const kw = tok(ch, "Return");
    const n = node(ch, "expression");
    const value = n ? this.expr(n) : null;
    return { kind: "return", value, span: this.join(kw, value) };
  }

  failStmt(ch: Children): Stmt {
    const kw = tok(ch, "Fail");
    const message = this.expr(node(ch, "expression"), kw);
    return { kind: "fail", message, span: this.join(kw, message) };
  }

  writeStmt(ch: Children): Stmt {
    const kw = tok(ch, "Write");
    const table = this.ident(tok(ch, "table"), kw);
    const key = this.expr(node(ch, "key"), table, tok(ch, "LBracket"));
    const value = this.expr(node(ch, "value"), key, tok(ch, "RBracket"), tok(ch, "Equals"));
    return { kind: "write", table, key, value, span: this.join(kw, table, key, tok(ch, "RBracket"), value) };
  }

  deleteStmt(ch: Children): Stmt {
    const kw = tok(ch, "Delete");
    const table = this.ident(tok(ch, "table"), kw);
    const key = this.expr(node(ch, "key"), table, tok(ch, "LBracket"));
    return { kind: "delete", table, key, span: this.join(kw, table, key, tok(ch, "RBracket")) };
  }

  txnStmt(ch: Children): Stmt {
    const kw = tok(ch, "Txn");
    const body = this.blockOf(node(ch, "body"), kw);
    const elseKw = tok(ch, "Else");
    const elseBlock = elseKw ? this.blockOf(node(ch, "else"), elseKw) : null;
    return { kind: "txn", body, else: elseBlock, span: this.join(kw, body, elseBlock) };
  }

  parallelStmt(ch: Children): Stmt {
    const kw = tok(ch, "Parallel");
    const block = this.blockOf(node(ch, "block"), kw);
    return { kind: "parallel", branches: block.stmts, span: this.join(kw, block) };
  }

  exprStmt(ch: Children): Stmt {
    const target = this.expr(node(ch, "target"));
    const eq = tok(ch, "Equals");
    if (!eq) return { kind: "expr", expr: target, span: target.span };
    const value = this.expr(node(ch, "value"), eq);
    const span = this.join(target, eq, value);
    if (target.kind === "name") {
      return { kind: "assign", target: { name: target.name, span: target.span }, value, span };
    }
    this.leftOut.assignTargets.push(target);
    return { kind: "expr", expr: value, span };
  }

  // ---- expressions ------------------------------------------------------------------------

  expression(ch: Children): Expr {
    const operandNodes = nodes(ch, "operand");
    let ops = toks(ch, "op");
    if (ops.length > MAX_CHAIN) {
      this.tooLong(ops[MAX_CHAIN] as IToken, "binary operators");
      ops = ops.slice(0, MAX_CHAIN);
    }
    if (operandNodes.length === 0) return this.missingExpr(...ops);
    if (ops.length === 0) return this.visit(operandNodes[0] as CstNode) as Expr;
    const operands: Expr[] = [this.visit(operandNodes[0] as CstNode) as Expr];
    for (let i = 0; i < ops.length; i++) {
      const n = operandNodes[i + 1];
      operands.push(n ? (this.visit(n) as Expr) : this.missingExpr(ops[i]));
    }
    return this.applyPrecedence(operands, ops);
  }

  /**
   * Shunting-yard over a flat `e op e op e ...`: left-associative, no chained comparisons.
   * E0007 stays here, not in checks/: its report takes the operator's span, which moves where
   * later placeholders go (`lastEnd`), so reporting it later would move them.
   */
  private applyPrecedence(operands: Expr[], ops: IToken[]): Expr {
    const out: Expr[] = [operands[0] as Expr];
    const opStack: IToken[] = [];
    let chainReported = false;
    const reduce = () => {
      const opTok = opStack.pop() as IToken;
      const right = out.pop() as Expr;
      const left = out.pop() as Expr;
      const op = opTok.image as BinaryOp;
      const level = PRECEDENCE[op];
      if ((level === 4 || level === 5) && left.kind === "binary" && PRECEDENCE[left.op] === level && !chainReported) {
        chainReported = true;
        this.report(
          SYNTAX.E0007,
          this.tokSpan(opTok),
          `comparisons do not chain: \`${left.op}\` followed by \`${op}\``,
          `combine two comparisons with \`&&\`, e.g. \`a ${left.op} b && b ${op} c\`; add parentheses if you really mean to compare the bool`,
        );
      }
      out.push({ kind: "binary", op, left, right, span: this.join(left, right) });
    };
    for (let i = 0; i < ops.length; i++) {
      const opTok = ops[i] as IToken;
      const p = PRECEDENCE[opTok.image as BinaryOp] ?? 0;
      while (opStack.length > 0 && (PRECEDENCE[(opStack[opStack.length - 1] as IToken).image as BinaryOp] ?? 0) >= p) reduce();
      opStack.push(opTok);
      out.push(operands[i + 1] as Expr);
    }
    while (opStack.length > 0) reduce();
    return out[0] as Expr;
  }

  operand(ch: Children): Expr {
    let prefix = toks(ch, "prefix");
    let suffixes = nodes(ch, "suffix");
    if (prefix.length > MAX_CHAIN) {
      this.tooLong(prefix[prefix.length - MAX_CHAIN - 1] as IToken, "prefix operators");
      prefix = prefix.slice(prefix.length - MAX_CHAIN);
    }
    if (suffixes.length > MAX_CHAIN) {
      const t = firstToken(suffixes[MAX_CHAIN] as CstNode);
      if (t) this.tooLong(t, "`.`, `[...]` and `(...)` suffixes");
      suffixes = suffixes.slice(0, MAX_CHAIN);
    }
    let e = this.expr(node(ch, "primary"), prefix[prefix.length - 1]);
    for (const s of suffixes) {
      const c = s.children as Children;
      if (tok(c, "Dot")) {
        const name = this.ident(tok(c, "field"), e, tok(c, "Dot"));
        e = { kind: "field", object: e, name, span: this.join(e, tok(c, "Dot"), name) };
      } else if (tok(c, "LBracket")) {
        const index = this.expr(node(c, "index"), tok(c, "LBracket"));
        e = { kind: "index", object: e, index, span: this.join(e, index, tok(c, "RBracket")) };
      } else {
        const a = this.argList(node(c, "args"), e);
        e = { kind: "call", callee: e, args: a.args, span: this.join(e, a.span) };
      }
    }
    for (let i = prefix.length - 1; i >= 0; i--) {
      const p = prefix[i] as IToken;
      e = { kind: "unary", op: p.tokenType === T.Bang ? "!" : "-", operand: e, span: this.join(p, e) };
    }
    return e;
  }

  suffix(): never {
    throw new Error("suffix is built by operand");
  }

  private argList(n: CstNode | undefined, ...before: Part[]): { args: Expr[]; span: Span } {
    if (!n) return { args: [], span: this.after(...before) };
    return this.visit(n) as { args: Expr[]; span: Span };
  }

  args(ch: Children): { args: Expr[]; span: Span } {
    const args = this.items<Expr>(nodes(ch, "arg"));
    this.checkCommas(args, toks(ch, "Comma"), "argument", "arguments");
    return { args, span: this.join(tok(ch, "LParen"), ...args, tok(ch, "RParen")) };
  }

  primary(ch: Children): Expr {
    const lp = tok(ch, "LParen");
    if (lp) {
      const inner = this.expr(node(ch, "inner"), lp);
      return { kind: "paren", inner, span: this.join(lp, inner, tok(ch, "RParen")) };
    }
    const lb = tok(ch, "LBracket");
    if (lb) {
      const items = this.items<Expr>(nodes(ch, "item"));
      this.checkCommas(items, toks(ch, "Comma"), "list item", "list items");
      return { kind: "list", items, span: this.join(lb, ...items, tok(ch, "RBracket")) };
    }
    const lc = tok(ch, "LCurly");
    if (lc) return this.record(ch, lc);
    for (const key of Object.keys(ch)) {
      const el = ch[key]?.[0];
      if (!el) continue;
      if (!("tokenType" in el)) return this.visit(el) as Expr;
      const t = el;
      const span = this.join(t);
      switch (t.tokenType) {
        case T.NumberLit:
          return { kind: "number", value: typeof t.payload === "number" ? t.payload : Number(t.image) || 0, span };
        case T.StringLit:
          return { kind: "string", value: typeof t.payload === "string" ? t.payload : "", span };
        case T.True:
          return { kind: "bool", value: true, span };
        case T.False:
          return { kind: "bool", value: false, span };
        case T.Null:
          return { kind: "null", span };
        default:
          return { kind: "name", name: t.image, span };
      }
    }
    return this.missingExpr();
  }

  private record(ch: Children, lc: IToken): Expr {
    const fields = this.items<{ name: Ident; value: Expr | null; span: Span }>(nodes(ch, "recordField"));
    this.checkCommas(fields, toks(ch, "Comma"), "field", "fields");
    return { kind: "record", fields, span: this.join(lc, ...fields, tok(ch, "RCurly")) };
  }

  recordField(ch: Children): { name: Ident; value: Expr | null; span: Span } {
    const name = this.ident(tok(ch, "name"));
    const colon = tok(ch, "Colon");
    const value = colon ? this.expr(node(ch, "value"), colon) : null;
    return { name, value, span: this.join(name, colon, value) };
  }

  readExpr(ch: Children): Expr {
    const kw = tok(ch, "Read");
    const table = this.ident(tok(ch, "table"), kw);
    const key = this.expr(node(ch, "key"), table, tok(ch, "LBracket"));
    return { kind: "read", table, key, span: this.join(kw, table, key, tok(ch, "RBracket")) };
  }

  scanExpr(ch: Children): Expr {
    const kw = tok(ch, "Scan");
    const table = this.ident(tok(ch, "table"), kw);
    return { kind: "scan", table, span: this.join(kw, table) };
  }

  invokeExpr(ch: Children): Expr {
    const mode = tok(ch, "mode");
    const service = this.ident(tok(ch, "service"), mode);
    const fn = this.ident(tok(ch, "fn"), service, tok(ch, "Dot"));
    const a = this.argList(node(ch, "args"), fn);
    return {
      kind: "invoke",
      mode: mode?.tokenType === T.Spawn ? "spawn" : "call",
      service,
      fn,
      args: a.args,
      span: this.join(mode, service, fn, a.span),
    };
  }

  updateExpr(ch: Children): Expr {
    const kw = tok(ch, "Update");
    const table = this.ident(tok(ch, "table"), kw);
    const key = this.expr(node(ch, "key"), table, tok(ch, "LBracket"));
    const sets = nodes(ch, "setItem").map((n) => {
      const c = n.children as Children;
      const field = this.ident(tok(c, "field"));
      const eq = tok(c, "Equals");
      const value = this.expr(node(c, "value"), field, eq);
      return { field, value, span: this.join(field, eq, value) };
    });
    const whereKw = tok(ch, "Where");
    const where = whereKw ? this.expr(node(ch, "where"), whereKw) : null;
    const last = sets[sets.length - 1];
    return {
      kind: "update",
      table,
      key,
      sets,
      where,
      span: this.join(kw, table, key, tok(ch, "RBracket"), tok(ch, "Set"), last, whereKw, where),
    };
  }

  setItem(): never {
    throw new Error("setItem is built by updateExpr");
  }
}
