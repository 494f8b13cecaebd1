// Written types: `T`, `list<T>`, `map<T>`, `{ f: T, g?: U }`, `T?`. A type that is written wrong
// is reported here (it is translated to what it most likely means, dropping the rest): a type
// argument where none is taken, `list`/`map` without one, `??` or `? ?`.
import type { TypeExpr, RecordTypeField, Ident } from "../ast.js";
import type { FieldTypeCstNode, RecordTypeCstNode, TypeExprCstNode } from "../cst.js";
import { SYNTAX } from "../diagnostics.js";
import { isRealToken } from "../errors.js";
import * as T from "../lexer.js";
import { kids, type Part, type Translation } from "./translation.js";

/** A type, or `any` where it is missing. */
export function buildType(t: Translation, n: TypeExprCstNode | undefined, ...before: Part[]): TypeExpr {
  return n ? typeExpr(t, n) : t.missingType(...before);
}

function typeExpr(t: Translation, n: TypeExprCstNode): TypeExpr {
  const c = kids(n);
  let base: TypeExpr;
  const nameTok = c.name?.[0];
  const rec = c.recordType?.[0];
  if (rec) {
    base = recordType(t, rec);
  } else if (nameTok) {
    const image = nameTok.image;
    const name: Ident = isRealToken(nameTok) ? { name: image, span: t.tokSpan(nameTok) } : { name: image || "any", span: t.after() };
    const lt = c.Lt?.[0];
    const gt = c.Gt?.[0];
    const args = (c.arg ?? []).map((a) => typeExpr(t, a));
    const generic = name.name === "list" || name.name === "map";
    if (lt) {
      const span = t.join(name, lt, ...args, gt);
      if (!generic) {
        t.report(
          SYNTAX.E0016,
          t.join(lt, ...args, gt),
          `\`${name.name}\` takes no type argument`,
          "only `list<T>` and `map<T>` take a type argument",
        );
        for (const arg of args) t.leftOut.typeArgs.push(arg);
        base = { kind: "name", name, span };
      } else {
        if (args.length > 1) {
          t.report(
            SYNTAX.E0016,
            t.join(...args.slice(1)),
            name.name === "map"
              ? "`map` takes one type argument, the type of its values: its keys are always strings"
              : "`list` takes one type argument, the type of its elements",
            name.name === "map" ? `write \`map<V>\`, e.g. \`map<number>\`` : "write `list<T>`",
          );
          for (const arg of args.slice(1)) t.leftOut.typeArgs.push(arg);
        }
        const elem = args[0] ?? t.missingType(lt);
        base = { kind: name.name === "list" ? "list" : "map", elem, span };
      }
    } else if (generic && isRealToken(nameTok)) {
      t.report(
        SYNTAX.E0016,
        name.span,
        `\`${name.name}\` needs the type of its ${name.name === "list" ? "elements" : "values"}: \`${name.name}<T>\``,
        `write for example \`${name.name}<string>\`, or \`${name.name}<any>\` for unchecked values`,
      );
      base = { kind: name.name === "list" ? "list" : "map", elem: t.missingType(name), span: name.span };
    } else {
      base = { kind: "name", name, span: name.span };
    }
  } else {
    return t.missingType();
  }
  const opts = (c.opt ?? []).filter(isRealToken);
  if (opts.length === 0) return base;
  const marks = opts.reduce((count, o) => count + o.image.length, 0);
  if (marks > 1) {
    t.report(
      SYNTAX.E0014,
      t.join(opts[0], opts[opts.length - 1]),
      "this type is made optional more than once",
      "write a single `?`: `T?` already means `T | null`",
    );
  }
  return { kind: "optional", inner: base, span: t.join(base, opts[opts.length - 1]) };
}

function recordType(t: Translation, n: RecordTypeCstNode): TypeExpr {
  const c = kids(n);
  const fields = t.items(c.fieldType, (f) => fieldType(t, f));
  t.checkCommas(fields, c.Comma, "field", "fields");
  return { kind: "record", fields, span: t.join(c.LCurly?.[0], ...fields, c.RCurly?.[0]) };
}

function fieldType(t: Translation, n: FieldTypeCstNode): RecordTypeField {
  const c = kids(n);
  const name = t.ident(c.name?.[0]);
  const opt = c.opt?.[0];
  if (opt && opt.tokenType === T.QQ && isRealToken(opt)) {
    t.report(SYNTAX.E0014, t.tokSpan(opt), "this field is marked optional twice", "write a single `?`: `g?: U`");
  }
  const type = buildType(t, c.typeExpr?.[0], name, opt, c.Colon?.[0]);
  return { name, optional: opt !== undefined, type, span: t.join(name, type) };
}
