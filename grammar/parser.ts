// The `.beldi` grammar as a chevrotain CstParser (parse tree first, typed by cst.ts: after a
// rule changes, `npm run cst:update`; build/ turns it into the AST). Error recovery is on, so one
// run reports many errors. The parser is built once (`parser` below) and reused for every file.
//
// Why one file of ~650 lines: chevrotain builds the grammar from the RULE calls of one parser
// class, so every rule lives here; error recovery (recovery.ts) and the nesting limit
// (nesting.ts) are their own files.
//
// Notes on the shape of the grammar:
// - Binary expressions are parsed flat (`operand (op operand)*`); build/expressions.ts applies the
//   precedence table. Prefix operators, postfix suffixes and `else if` chains are loops, so
//   the parser's recursion grows only with real nesting (brackets and `update`s).
// - `update ...` is a primary expression here; checks/update-placement.ts reports it where it
//   may not stand.
// - A `{` where an operand is expected is a record literal, except right after `if`, `while`
//   or `for ... in` where it opens the body (the condition is missing) unless it clearly is a
//   record (then checks/header-record-literal.ts reports the record in the header).
// - Tokens that can start nothing at the current level (TopJunk/ServiceJunk/BlockJunk) are
//   swallowed by their own alternative, so a stray token costs one diagnostic, not the rest
//   of the block.
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import type { FileCstNode } from "./cst.js";
import type { RawSyntaxError } from "./errors.js";
import * as T from "./lexer.js";
import { lookaheadConfig } from "./lookahead.js";
import { analyseWithRecording, embeddedGrammar, type RecordedGrammar, recordedGrammarOf } from "./recorded-grammar.js";
import { isBinaryOp, RecoveringParser, tokenMatches, type Internals } from "./recovery.js";

/**
 * Rules nested deeper than this are not descended into (this catches nesting without
 * brackets, e.g. `update`s inside `update`s). A bracket level costs 3 or 4 rules; Node's
 * default stack holds about 2000, less during error recovery: this keeps a 2x margin.
 */
export const MAX_RULE_DEPTH = 700;

const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }) {
    const e: RawSyntaxError = { kind: "mismatch", expected: expected.name, rule: ruleName };
    return JSON.stringify(e);
  },
  buildNotAllInputParsedMessage({ ruleName }) {
    const e: RawSyntaxError = { kind: "rest", rule: ruleName };
    return JSON.stringify(e);
  },
  buildNoViableAltMessage({ customUserDescription, ruleName }) {
    const e: RawSyntaxError = { kind: "noalt", rule: ruleName, what: customUserDescription ?? null };
    return JSON.stringify(e);
  },
  buildEarlyExitMessage({ customUserDescription, ruleName }) {
    const e: RawSyntaxError = { kind: "early", rule: ruleName, what: customUserDescription ?? null };
    return JSON.stringify(e);
  },
};

class BeldiParser extends RecoveringParser {
  /** where the depth guard cut the parse */
  tooDeep: IToken[] = [];
  /** the rule depth of a wait's own type (its `??` belongs to the expression), or -1 */
  private waitTypeAt = -1;

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider, ...lookaheadConfig(T.allTokens, 3) });
    // in the precompiled CLI the rules come from the recording embedded in it (recorded-grammar.ts)
    analyseWithRecording(this, T.allTokens, embeddedGrammar, () => this.performSelfAnalysis());
  }

  // ---- declarations -----------------------------------------------------------------------

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.typeDecl) },
        { ALT: () => this.SUBRULE(this.externDecl) },
        { ALT: () => this.SUBRULE(this.serviceDecl) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        { ALT: () => this.CONSUME(T.TopJunk, { LABEL: "junk" }) },
      ]);
    });
  });

  typeDecl = this.RULE("typeDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.typeExpr);
  });

  externDecl = this.RULE("externDecl", () => {
    this.CONSUME(T.Extern);
    this.CONSUME(T.Fn);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.SUBRULE(this.params);
    this.OPTION({
      GATE: () => this.resultAhead(),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(T.Arrow));
        // `-> from "./x.ts"`: the result type is missing
        this.OPTION3({
          GATE: () => !(this.LA(1).tokenType === T.From && this.LA(2).tokenType === T.StringLit),
          DEF: () => this.SUBRULE(this.typeExpr, { LABEL: "result" }),
        });
      },
    });
    this.CONSUME(T.From);
    this.CONSUME(T.StringLit, { LABEL: "path" });
  });

  serviceDecl = this.RULE("serviceDecl", () => {
    this.CONSUME(T.Service);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.tableDecl) },
        { ALT: () => this.SUBRULE(this.fnDecl) },
        { ALT: () => this.CONSUME(T.Semicolon) },
        { ALT: () => this.CONSUME(T.ServiceJunk, { LABEL: "junk" }) },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  tableDecl = this.RULE("tableDecl", () => {
    this.CONSUME(T.Table);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.SUBRULE(this.params);
    this.OPTION({
      GATE: () => this.resultAhead(),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(T.Arrow));
        // `fn f() -> { let ... }`: the result type is missing and `{` opens the body
        this.OPTION3({ GATE: () => !this.bodyAhead(), DEF: () => this.SUBRULE(this.typeExpr, { LABEL: "result" }) });
      },
    });
    this.SUBRULE(this.block);
  });

  // Comma-separated items are parsed as any sequence of items and commas; build/ reports
  // a missing or doubled comma. A forgotten comma then costs one diagnostic instead
  // of derailing the rest of the fn.

  params = this.RULE("params", () => {
    this.CONSUME(T.LParen);
    this.MANY({
      GATE: () => this.nameItemMayStart(),
      DEF: () => {
        this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.SUBRULE(this.param) }]);
      },
    });
    this.CONSUME(T.RParen);
  });

  param = this.RULE("param", () => {
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  // ---- types ------------------------------------------------------------------------------

  typeExpr = this.RULE("typeExpr", () => {
    if (this.tooDeepHere()) return;
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Identifier, { LABEL: "name" });
            this.OPTION(() => {
              this.CONSUME(T.Lt);
              this.SUBRULE(this.typeExpr, { LABEL: "arg" });
              this.MANY(() => {
                this.CONSUME(T.Comma);
                this.SUBRULE2(this.typeExpr, { LABEL: "arg" });
              });
              this.CONSUME(T.Gt);
            });
          },
        },
        { ALT: () => this.CONSUME(T.Null, { LABEL: "name" }) },
        { ALT: () => this.SUBRULE(this.recordType) },
      ],
      ERR_MSG: "a type",
    });
    // a wait's type is followed by an expression's operators: `wait "x" as number ?? 0` is `??`
    this.MANY2({
      GATE: () => !(this.LA(1).tokenType === T.QQ && this.waitTypeAt === (this as unknown as Internals).RULE_STACK.length),
      DEF: () => {
        this.OR2([{ ALT: () => this.CONSUME(T.Question, { LABEL: "opt" }) }, { ALT: () => this.CONSUME(T.QQ, { LABEL: "opt" }) }]);
      },
    });
  });

  recordType = this.RULE("recordType", () => {
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => this.nameItemMayStart(),
      DEF: () => {
        this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.SUBRULE(this.fieldType) }]);
      },
    });
    this.CONSUME(T.RCurly);
  });

  fieldType = this.RULE("fieldType", () => {
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Question, { LABEL: "opt" }) }, { ALT: () => this.CONSUME(T.QQ, { LABEL: "opt" }) }]);
    });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  // ---- statements -------------------------------------------------------------------------

  block = this.RULE("block", () => {
    if (this.tooDeepHere()) return;
    this.CONSUME(T.LCurly);
    // a declaration word that starts a declaration ends the block (its `}` is missing)
    this.MANY({ GATE: () => !this.declAhead(), DEF: () => this.SUBRULE(this.statement) });
    this.CONSUME(T.RCurly);
  });

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.letStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.whileStmt) },
      { ALT: () => this.CONSUME(T.Break) },
      { ALT: () => this.CONSUME(T.Continue) },
      { ALT: () => this.SUBRULE(this.abortStmt) },
      { ALT: () => this.SUBRULE(this.returnStmt) },
      { ALT: () => this.SUBRULE(this.failStmt) },
      { ALT: () => this.SUBRULE(this.writeStmt) },
      { ALT: () => this.SUBRULE(this.deleteStmt) },
      { ALT: () => this.SUBRULE(this.txnStmt) },
      { ALT: () => this.SUBRULE(this.parallelStmt) },
      { ALT: () => this.SUBRULE(this.sleepStmt) },
      // a `{` at the start of a statement is a (misplaced) block, never a record literal:
      // braces keep pairing up, so the rest of the fn parses normally
      { ALT: () => this.SUBRULE2(this.block, { LABEL: "bareBlock" }), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.exprStmt) },
      { ALT: () => this.CONSUME(T.Semicolon) },
      { ALT: () => this.CONSUME(T.BlockJunk, { LABEL: "junk" }) },
      // `type`, `fn`, ... that do not start a declaration (`f(x, type)`): stray words
      { ALT: () => this.CONSUME(T.DeclWord, { LABEL: "junk" }) },
    ]);
  });

  letStmt = this.RULE("letStmt", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Let, { LABEL: "kw" }) }, { ALT: () => this.CONSUME(T.Var, { LABEL: "kw" }) }]);
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  ifStmt = this.RULE("ifStmt", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "cond" });
    this.SUBRULE(this.mistakenEq);
    this.SUBRULE(this.block, { LABEL: "then" });
    this.MANY(() => this.SUBRULE(this.elseIf));
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.block, { LABEL: "else" });
    });
  });

  elseIf = this.RULE("elseIf", () => {
    this.CONSUME(T.Else);
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: "cond" });
    this.SUBRULE(this.mistakenEq);
    this.SUBRULE(this.block, { LABEL: "then" });
  });

  /** `if x = 1 {`: a `=` after a condition (meant `==`); build/statements.ts reports it */
  mistakenEq = this.RULE("mistakenEq", () => {
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  forStmt = this.RULE("forStmt", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.NameLike, { LABEL: "first" });
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.NameLike, { LABEL: "second" });
    });
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: "iter" });
    this.SUBRULE(this.block);
  });

  whileStmt = this.RULE("whileStmt", () => {
    this.CONSUME(T.While);
    this.SUBRULE(this.expression, { LABEL: "cond" });
    this.SUBRULE(this.mistakenEq);
    this.SUBRULE(this.block);
  });

  returnStmt = this.RULE("returnStmt", () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expression));
  });

  /** `abort` or `abort e` (a reason, LANGUAGE.md §9): like `return`, the value is optional */
  abortStmt = this.RULE("abortStmt", () => {
    this.CONSUME(T.Abort);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "reason" }));
  });

  failStmt = this.RULE("failStmt", () => {
    this.CONSUME(T.Fail);
    this.SUBRULE(this.expression);
  });

  writeStmt = this.RULE("writeStmt", () => {
    this.CONSUME(T.Write);
    this.CONSUME(T.NameLike, { LABEL: "table" });
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: "key" });
    this.CONSUME(T.RBracket);
    this.CONSUME(T.Equals);
    this.SUBRULE2(this.expression, { LABEL: "value" });
  });

  deleteStmt = this.RULE("deleteStmt", () => {
    this.CONSUME(T.Delete);
    this.CONSUME(T.NameLike, { LABEL: "table" });
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: "key" });
    this.CONSUME(T.RBracket);
  });

  txnStmt = this.RULE("txnStmt", () => {
    this.CONSUME(T.Txn);
    this.SUBRULE(this.block, { LABEL: "body" });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      // `else (r) { }`: the abort reason's name (LANGUAGE.md §9)
      this.OPTION2(() => {
        this.CONSUME(T.LParen);
        this.CONSUME(T.NameLike, { LABEL: "reason" });
        this.CONSUME(T.RParen);
      });
      this.SUBRULE2(this.block, { LABEL: "else" });
    });
  });

  parallelStmt = this.RULE("parallelStmt", () => {
    this.CONSUME(T.Parallel);
    this.SUBRULE(this.block);
  });

  /** `sleep e` (LANGUAGE.md §9): a durable pause of `e` milliseconds */
  sleepStmt = this.RULE("sleepStmt", () => {
    this.CONSUME(T.Sleep);
    this.SUBRULE(this.expression, { LABEL: "ms" });
  });

  /** an expression statement, or an assignment `target = value` */
  exprStmt = this.RULE("exprStmt", () => {
    this.SUBRULE(this.expression, { LABEL: "target" });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE2(this.expression, { LABEL: "value" });
    });
  });

  // ---- expressions ------------------------------------------------------------------------

  /** `operand (op operand)*`, flat: build/expressions.ts applies precedence and associativity */
  expression = this.RULE("expression", () => {
    if (this.tooDeepHere()) return;
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(T.BinaryOp, { LABEL: "op" });
      this.SUBRULE2(this.operand);
    });
  });

  /**
   * `operand (op operand)*` with arithmetic operators only: a wait's timeout, so that the
   * operators of lower precedence apply to the whole wait (`wait "x" as T timeout 5 * 60 ?? d`
   * is `(wait ... timeout 5 * 60) ?? d`). The same shape as `expression` (build/ builds both alike).
   */
  arithExpr = this.RULE("arithExpr", () => {
    if (this.tooDeepHere()) return;
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Plus, { LABEL: "op" }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: "op" }) },
      ]);
      this.SUBRULE2(this.operand);
    });
  });

  /** prefix operators, a primary, postfix suffixes */
  operand = this.RULE("operand", () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(T.Bang, { LABEL: "prefix" }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: "prefix" }) }]);
    });
    this.SUBRULE(this.primary);
    this.MANY2(() => this.SUBRULE(this.suffix));
  });

  suffix = this.RULE("suffix", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.NameLike, { LABEL: "field" });
        },
      },
      {
        // `a?.f` (LANGUAGE.md §9)
        ALT: () => {
          this.CONSUME(T.QDot);
          this.CONSUME2(T.NameLike, { LABEL: "field" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.expression, { LABEL: "index" });
          this.CONSUME(T.RBracket);
        },
      },
      { ALT: () => this.SUBRULE(this.args) },
    ]);
  });

  args = this.RULE("args", () => {
    this.CONSUME(T.LParen);
    this.MANY({
      GATE: () => this.itemMayStart(),
      DEF: () => {
        this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.SUBRULE(this.expression, { LABEL: "arg" }) }]);
      },
    });
    this.CONSUME(T.RParen);
  });

  /**
   * Parentheses, lists and records are written inline here (not as subrules): each bracket
   * level then costs one rule less of stack.
   */
  primary = this.RULE("primary", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Null) },
        { ALT: () => this.CONSUME(T.Identifier) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression, { LABEL: "inner" });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.MANY({
              GATE: () => this.itemMayStart(),
              DEF: () => {
                this.OR2([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.SUBRULE2(this.expression, { LABEL: "item" }) }]);
              },
            });
            this.CONSUME(T.RBracket);
          },
        },
        { ALT: () => this.SUBRULE(this.readExpr) },
        { ALT: () => this.SUBRULE(this.scanExpr) },
        { ALT: () => this.SUBRULE(this.invokeExpr) },
        { ALT: () => this.SUBRULE(this.updateExpr) },
        { ALT: () => this.SUBRULE(this.waitExpr) },
        { ALT: () => this.SUBRULE(this.signalExpr) },
        {
          GATE: () => this.recordAllowed(),
          ALT: () => {
            this.CONSUME(T.LCurly);
            this.MANY2({
              GATE: () => this.nameItemMayStart(),
              DEF: () => {
                this.OR3([{ ALT: () => this.CONSUME2(T.Comma) }, { ALT: () => this.SUBRULE(this.recordField) }]);
              },
            });
            this.CONSUME(T.RCurly);
          },
        },
      ],
      ERR_MSG: "an expression",
    });
  });

  recordField = this.RULE("recordField", () => {
    this.CONSUME(T.NameLike, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression, { LABEL: "value" });
    });
  });

  readExpr = this.RULE("readExpr", () => {
    this.CONSUME(T.Read);
    this.CONSUME(T.NameLike, { LABEL: "table" });
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: "key" });
    this.CONSUME(T.RBracket);
  });

  scanExpr = this.RULE("scanExpr", () => {
    this.CONSUME(T.Scan);
    this.CONSUME(T.NameLike, { LABEL: "table" });
  });

  invokeExpr = this.RULE("invokeExpr", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Call, { LABEL: "mode" }) }, { ALT: () => this.CONSUME(T.Spawn, { LABEL: "mode" }) }]);
    this.CONSUME(T.NameLike, { LABEL: "service" });
    this.CONSUME(T.Dot);
    this.CONSUME2(T.NameLike, { LABEL: "fn" });
    this.SUBRULE(this.args);
  });

  updateExpr = this.RULE("updateExpr", () => {
    this.CONSUME(T.Update);
    this.CONSUME(T.NameLike, { LABEL: "table" });
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.expression, { LABEL: "key" });
    this.CONSUME(T.RBracket);
    // `as s`: the stored value's name inside `set` and `where` (LANGUAGE.md §9)
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.CONSUME2(T.NameLike, { LABEL: "alias" });
    });
    this.CONSUME(T.Set);
    this.SUBRULE(this.setItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.setItem);
    });
    this.OPTION(() => {
      this.CONSUME(T.Where);
      this.SUBRULE2(this.expression, { LABEL: "where" });
    });
  });

  /**
   * `wait "name" as T [timeout e]` (LANGUAGE.md §9). The name is parsed as an expression so that
   * a name written without quotes is one clear diagnostic (checks/wait-name.ts), not a derailed
   * parse; `timeout` followed by `=` is an assignment on the next line, not the option.
   */
  waitExpr = this.RULE("waitExpr", () => {
    this.CONSUME(T.Wait);
    this.SUBRULE(this.expression, { LABEL: "name" });
    this.CONSUME(T.As);
    const outer = this.waitTypeAt;
    this.waitTypeAt = (this as unknown as Internals).RULE_STACK.length + 1;
    try {
      this.SUBRULE(this.typeExpr);
    } finally {
      this.waitTypeAt = outer;
    }
    this.OPTION({
      GATE: () => this.LA(2).tokenType !== T.Equals,
      DEF: () => {
        this.CONSUME(T.Timeout);
        this.SUBRULE(this.arithExpr, { LABEL: "timeout" });
      },
    });
  });

  /** `signal(id, "name", v)` (LANGUAGE.md §9): the checker counts the arguments */
  signalExpr = this.RULE("signalExpr", () => {
    this.CONSUME(T.Signal);
    this.SUBRULE(this.args);
  });

  setItem = this.RULE("setItem", () => {
    this.CONSUME(T.NameLike, { LABEL: "field" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: "value" });
  });

  // ---- helpers ----------------------------------------------------------------------------

  /** Does a declaration start here (`type N`, `service N`, `fn N`, `table N`, `extern fn`)? */
  protected declAhead(k = 1): boolean {
    const t = this.LA(k).tokenType;
    if (t === T.Extern) return this.LA(k + 1).tokenType === T.Fn;
    if (t === T.Type || t === T.Service || t === T.Fn || t === T.Table) return tokenMatches(this.LA(k + 1).tokenType, T.NameLike);
    return false;
  }

  /**
   * In a parameter list or record, a reserved word is taken as a (misused, reported) name only
   * when a `:`, `?`, `,` or `}` follows it; otherwise (`service x {`, `let y =`) the list was
   * left unclosed and the word starts what comes after it.
   */
  private nameItemMayStart(): boolean {
    if (!tokenMatches(this.LA(1).tokenType, T.Reserved)) return true;
    const next = this.LA(2).tokenType;
    return next === T.Colon || next === T.Question || next === T.QQ || next === T.Comma || next === T.RCurly || next === T.RParen;
  }

  /** After `->` in a fn: is this `{` the body rather than a record type? */
  private bodyAhead(): boolean {
    if (this.LA(1).tokenType !== T.LCurly) return false;
    const t2 = this.LA(2).tokenType;
    const t3 = this.LA(3).tokenType;
    if (tokenMatches(t2, T.NameLike) && (t3 === T.Colon || t3 === T.Question || t3 === T.QQ)) return false;
    if (t2 === T.RCurly && t3 === T.LCurly) return false; // `-> {} { ... }`
    return true;
  }

  /**
   * In an argument list or list literal, a `{` starts a record item only after `(`, `[` or
   * `,`: `f(x {` is a missing `)` before a block, not a missing `,` before a record.
   */
  private itemMayStart(): boolean {
    if (this.LA(1).tokenType !== T.LCurly) return true;
    const prev = this.LA(0).tokenType;
    return prev === T.Comma || prev === T.LParen || prev === T.LBracket;
  }

  /**
   * After a signature's `)`: a result type follows `->`; a type name right there (`fn f()
   * string {`) is taken as a result type with a forgotten `->` (build/declarations.ts reports it).
   */
  private resultAhead(): boolean {
    const t = this.LA(1).tokenType;
    return t === T.Arrow || t === T.Null || (t !== T.From && (t === T.Identifier || (t.CATEGORIES ?? []).includes(T.Identifier)));
  }

  /**
   * Single-token recovery: chevrotain tries inserting the expected token before deleting the
   * found one; deleting first (as ANTLR does) is right more often, e.g. `call call s.f(x)`.
   */
  tryInRuleRecovery(expectedTokType: TokenType, follows: TokenType[]): IToken {
    const self = this as unknown as Internals;
    // a missing name is more likely than an extra token before one (`type = number`)
    const insertFirst = expectedTokType === T.NameLike || expectedTokType === T.Identifier;
    if (insertFirst && this.canRecoverWithSingleTokenInsertion(expectedTokType, follows)) return self.getTokenToInsert(expectedTokType);
    if (self.canRecoverWithSingleTokenDeletion(expectedTokType)) {
      const next = self.SKIP_TOKEN();
      self.consumeToken();
      return next;
    }
    if (this.canTokenTypeBeInsertedInRecovery(expectedTokType) && this.canRecoverWithSingleTokenInsertion(expectedTokType, follows))
      return self.getTokenToInsert(expectedTokType);
    const e = new Error("no single-token recovery");
    e.name = "InRuleRecoveryException"; // what chevrotain checks for
    throw e;
  }

  /**
   * Whether a `{` at an operand position is a record literal. Right after `if`, `while` or a
   * `for`'s `in` it is taken as a record only when what follows its matching `}` continues
   * the header (another `{`, an operator, `.`, `[`); otherwise it is the body and the
   * condition is missing.
   */
  private recordAllowed(): boolean {
    if (this.LA(1).tokenType !== T.LCurly) return true;
    const prev = this.LA(0).tokenType;
    if (prev !== T.If && prev !== T.While && prev !== T.In) return true;
    let depth = 0;
    for (let k = 1; k < 100_000; k++) {
      const t = this.LA(k).tokenType;
      if (t === T.LCurly || t === T.LParen || t === T.LBracket) depth++;
      else if (t === T.RCurly || t === T.RParen || t === T.RBracket) {
        depth--;
        if (depth === 0) {
          const after = this.LA(k + 1).tokenType;
          return after === T.LCurly || after === T.Dot || after === T.LBracket || isBinaryOp(after);
        }
      } else if (t.name === "EOF") return false;
    }
    return false;
  }

  /** The depth guard: past MAX_RULE_DEPTH, a rule records where and consumes nothing. */
  private tooDeepHere(): boolean {
    if ((this as unknown as Internals).RULE_STACK.length < MAX_RULE_DEPTH) return false;
    this.tooDeep.push(this.LA(1));
    return true;
  }

  /** Runs the parser on a token vector. */
  parseTokens(tokens: IToken[]): FileCstNode {
    this.tooDeep = [];
    this.input = tokens;
    // chevrotain signals errors with exceptions; their stack traces (deep here) are never
    // read and were most of the cost of an error
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return this.file() as FileCstNode;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** The one parser instance (building it analyses the grammar, which takes a while). */
export const parser = new BeldiParser();

/** The parser's grammar as recorded (or rebuilt), in JSON: what the precompiled CLI embeds. */
export const recordedGrammar = (): RecordedGrammar => recordedGrammarOf(parser);
