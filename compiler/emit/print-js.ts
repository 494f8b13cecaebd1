// Writes a JsExpr tree as TypeScript text with parentheses only where JavaScript's precedence,
// associativity or grammar needs them (generated code is read by people). A pure function.
import type { JsBinaryOp, JsExpr } from "./js-tree.js";

/** JavaScript's operator precedence levels (higher binds tighter), as MDN numbers them. */
export const PREC = {
  /** spread, and the assignment-level expressions an argument, element or property value may be */
  assign: 2,
  /** `??` shares the level of `||` but may not be mixed with `||` or `&&` without parentheses */
  or: 3,
  and: 4,
  equality: 8,
  relational: 9,
  additive: 11,
  multiplicative: 12,
  exponent: 13,
  prefix: 14,
  /** member access, calls, TypeScript's `x!` */
  member: 17,
  primary: 18,
} as const;

interface BinaryInfo {
  prec: number;
  /** which operand an equal-precedence child may stand on without parentheses */
  assoc: "left" | "right";
}

export const BINARY: Readonly<Record<JsBinaryOp, BinaryInfo>> = {
  "??": { prec: PREC.or, assoc: "left" },
  "||": { prec: PREC.or, assoc: "left" },
  "&&": { prec: PREC.and, assoc: "left" },
  "===": { prec: PREC.equality, assoc: "left" },
  "!==": { prec: PREC.equality, assoc: "left" },
  "==": { prec: PREC.equality, assoc: "left" },
  "!=": { prec: PREC.equality, assoc: "left" },
  "<": { prec: PREC.relational, assoc: "left" },
  "<=": { prec: PREC.relational, assoc: "left" },
  ">": { prec: PREC.relational, assoc: "left" },
  ">=": { prec: PREC.relational, assoc: "left" },
  "+": { prec: PREC.additive, assoc: "left" },
  "-": { prec: PREC.additive, assoc: "left" },
  "*": { prec: PREC.multiplicative, assoc: "left" },
  "/": { prec: PREC.multiplicative, assoc: "left" },
  "%": { prec: PREC.multiplicative, assoc: "left" },
  "**": { prec: PREC.exponent, assoc: "right" },
};

/** "needed": only where the meaning or the grammar requires them; "all": around every compound operand (a reference for tests). */
export type ParenStyle = "needed" | "all";

/** Where a child stands in its parent: an operand binds, a delimited slot (argument, element, value) does not. */
type Slot = "left" | "right" | "operand" | "delimited";

/** The expression's text, for any place that delimits it (an argument, `x = ...;`, `if (...)`). */
export function printJs(e: JsExpr, style: ParenStyle = "needed"): string {
  switch (e.kind) {
    case "id":
      return e.name;
    case "literal":
      return e.text;
    case "number":
      return isNegative(e) ? `-${String(-e.value)}` : String(e.value);
    case "binary":
      return `${child(e, e.left, "left", style)} ${e.op} ${child(e, e.right, "right", style)}`;
    case "prefix":
      return `${e.op === "await" ? "await " : e.op}${child(e, e.operand, "operand", style)}`;
    case "nonNull":
      return `${child(e, e.operand, "operand", style)}!`;
    case "member":
      return `${child(e, e.object, "operand", style)}${e.optional ? "?." : "."}${e.name}`;
    case "call": {
      const typeArgs = e.typeArgs === undefined ? "" : `<${e.typeArgs}>`;
      return `${child(e, e.callee, "operand", style)}${typeArgs}(${e.args.map((a) => child(e, a, "delimited", style)).join(", ")})`;
    }
    case "array":
      return `[${e.items.map((x) => child(e, x, "delimited", style)).join(", ")}]`;
    case "object":
      if (!e.props.length) return "{}";
      return `{ ${e.props.map((p) => (p.value.kind === "id" && p.value.name === p.key ? p.key : `${p.key}: ${child(e, p.value, "delimited", style)}`)).join(", ")} }`;
    case "spread":
      return `...${child(e, e.operand, "delimited", style)}`;
  }
}

/** The expression as an expression statement (without the `;`): one starting with `{` would be read as a block. */
export function printJsStatement(e: JsExpr, style: ParenStyle = "needed"): string {
  const text = printJs(e, style);
  return text.startsWith("{") ? `(${text})` : text;
}

/** The precedence of the operator at the expression's top. */
export function precedence(e: JsExpr): number {
  switch (e.kind) {
    case "id":
    case "literal":
    case "array":
    case "object":
      return PREC.primary;
    case "number":
      return isNegative(e) ? PREC.prefix : PREC.primary;
    case "binary":
      return BINARY[e.op].prec;
    case "prefix":
      return PREC.prefix;
    case "nonNull":
    case "member":
    case "call":
      return PREC.member;
    case "spread":
      return PREC.assign;
  }
}

function child(parent: JsExpr, e: JsExpr, slot: Slot, style: ParenStyle): string {
  const text = printJs(e, style);
  return needsParens(parent, e, slot, style) ? `(${text})` : text;
}

function needsParens(parent: JsExpr, e: JsExpr, slot: Slot, style: ParenStyle): boolean {
  if (style === "all") return slot !== "delimited" && !isAtom(e);
  const prec = precedence(e);
  if (slot === "delimited") return prec < PREC.assign;
  switch (parent.kind) {
    case "binary": {
      const { prec: at, assoc } = BINARY[parent.op];
      if (prec < at) return true;
      if (e.kind === "binary") {
        // `a - (b - c)`, `(a ** b) ** c`: an equal-precedence child on the side the operator does not group
        if (prec === at && slot !== assoc) return true;
        // `(a ?? b) || c`: `??` mixed with `||`/`&&` is a syntax error without them
        if (mixesNullish(parent.op, e.op)) return true;
        // `(a ?? null) ?? b`: TypeScript reports an inner `??` whose right side is always or
        // never nullish (TS2871, TS2881), unless it stands in parentheses
        if (parent.op === "??" && e.op === "??" && !maybeNullish(e.right)) return true;
      }
      // `(-a) ** b`: a prefix operator before `**` is a syntax error
      return parent.op === "**" && slot === "left" && prec === PREC.prefix;
    }
    case "prefix":
      // `-(-a)`: not `--a`, a decrement
      return prec < PREC.prefix || (parent.op === "-" && startsWithMinus(e));
    case "member":
      // `(1).x`: in `1.x` the dot would be the number's
      return prec < PREC.member || e.kind === "number";
    case "nonNull":
    case "call":
      return prec < PREC.member;
    default:
      return false;
  }
}

const isNegative = (e: { value: number }) => e.value < 0 || Object.is(e.value, -0);
const isAtom = (e: JsExpr) => e.kind === "id" || e.kind === "literal" || (e.kind === "number" && !isNegative(e));
const startsWithMinus = (e: JsExpr) => (e.kind === "prefix" && e.op === "-") || (e.kind === "number" && isNegative(e));
const LOGICAL = new Set<JsBinaryOp>(["||", "&&"]);
const mixesNullish = (a: JsBinaryOp, b: JsBinaryOp) => (a === "??" && LOGICAL.has(b)) || (b === "??" && LOGICAL.has(a));

/** Whether TypeScript deems the expression possibly nullish from its syntax alone (its getSyntacticNullishnessSemantics). */
function maybeNullish(e: JsExpr): boolean {
  switch (e.kind) {
    case "id":
      return e.name !== "undefined";
    case "nonNull":
      return maybeNullish(e.operand);
    case "prefix":
      return e.op === "await";
    case "member":
    case "call":
      return true;
    case "binary":
      return e.op === "??" || LOGICAL.has(e.op);
    default:
      return false;
  }
}
