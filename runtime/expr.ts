// Builds DynamoDB expressions (names and values as placeholders) for DAAL operations.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { toAttr } from "./codec.js";
import type { Cond, Operand } from "../contract/update-spec.js";

export class ExprBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private nameIds = new Map<string, string>();
  private valueCount = 0;

  /** A placeholder for an attribute name. */
  n(attr: string): string {
    let id = this.nameIds.get(attr);
    if (!id) {
      id = `#a${this.nameIds.size}`;
      this.nameIds.set(attr, id);
      this.names[id] = attr;
    }
    return id;
  }

  /** A placeholder for a value (a JSON value, or an attribute value when `raw`). */
  v(value: unknown, raw = false): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = raw ? (value as AttributeValue) : toAttr(value);
    return id;
  }

  /**
   * The parameters to spread into a command. With `texts` (the expressions sent), only the
   * placeholders they use: DynamoDB rejects unused ones. Empty maps are left out (also rejected).
   */
  params(...texts: string[]): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    const used = texts.join(" ");
    const keep = <T>(m: Record<string, T>) =>
      texts.length ? Object.fromEntries(Object.entries(m).filter(([id]) => usesPlaceholder(used, id))) : m;
    const names = keep(this.names);
    const values = keep(this.values);
    const out: ReturnType<ExprBuilder["params"]> = {};
    if (Object.keys(names).length) out.ExpressionAttributeNames = names;
    if (Object.keys(values).length) out.ExpressionAttributeValues = values;
    return out;
  }
}

/** Whether `text` mentions placeholder `id` (and not just a longer one it prefixes: #a1 vs #a12). */
function usesPlaceholder(text: string, id: string): boolean {
  let i = text.indexOf(id);
  while (i >= 0) {
    const next = text.charCodeAt(i + id.length);
    if (!(next >= 48 && next <= 57)) return true;
    i = text.indexOf(id, i + 1);
  }
  return false;
}

/** Whether `e` is one parenthesized group (DynamoDB rejects redundant parentheses like `((a))`). */
function isGroup(e: string): boolean {
  if (!e.startsWith("(") || !e.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")" && --depth === 0 && i < e.length - 1) return false;
  }
  return true;
}

/** Whether `e` has an OR outside every parenthesis. (Placeholders hold no parentheses or spaces.) */
function hasTopLevelOr(e: string): boolean {
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === "(") depth++;
    else if (e[i] === ")") depth--;
    else if (depth === 0 && e.startsWith(" OR ", i)) return true;
  }
  return false;
}

/** Parenthesizes a condition unless it already is one group. */
export const group = (e: string): string => (isGroup(e) ? e : `(${e})`);

/**
 * A condition as one operand of AND: parenthesized only when it has an OR at its top (NOT binds
 * tighter than AND, AND tighter than OR). Parentheses cost more than bytes: dynalite's
 * expression parser backtracks at every group and took 7-10 ms for a lock's condition nested
 * three deep, against well under 1 ms written flat (the local stack's CPU is the store's too).
 */
const conjunct = (e: string): string => {
  if (hasTopLevelOr(e)) return group(e);
  // a group with no OR at its top is redundant here: `(a AND b) AND c` is `a AND b AND c`
  return isGroup(e) && !hasTopLevelOr(e.slice(1, -1)) ? e.slice(1, -1) : e;
};

export const and = (...parts: (string | null | undefined)[]): string => {
  const ps = parts.filter((p): p is string => !!p);
  return ps.length === 1 ? ps[0]! : ps.map(conjunct).join(" AND ");
};

export const not = (p: string): string => `NOT ${group(p)}`;

const OPS: Record<string, string> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>" };

/** Renders a (folded, non-constant) `where` condition; `attr` maps a field to its attribute name. */
export function renderCond(b: ExprBuilder, c: Cond, attr: (field: string) => string): string {
  const operand = (o: Operand) => ("field" in o ? b.n(attr(o.field)) : b.v(o.value));
  const isNull = (o: Operand) => "value" in o && (o.value === null || o.value === undefined);
  switch (c.kind) {
    case "cmp": {
      // A stored field compared with null: absent (we store null fields as absent) or NULL.
      if (isNull(c.left) || isNull(c.right)) {
        const f = isNull(c.left) ? c.right : c.left;
        if (!("field" in f)) throw new Error("comparisons of two values must be folded before rendering");
        const name = b.n(attr(f.field));
        const nullish = `attribute_not_exists(${name}) OR attribute_type(${name}, ${b.v("NULL")})`;
        if (c.op === "==") return nullish;
        if (c.op === "!=") return not(nullish);
      }
      return `${operand(c.left)} ${OPS[c.op]} ${operand(c.right)}`;
    }
    case "exists":
      return `${c.negated ? "attribute_not_exists" : "attribute_exists"}(${b.n(attr(c.field))})`;
    case "contains":
      return `contains(${b.n(attr(c.field))}, ${b.v(c.value)})`;
    case "len":
      return `size(${b.n(attr(c.field))}) ${OPS[c.op]} ${b.v(c.value)}`;
    case "and":
      return and(renderCond(b, c.left, attr), renderCond(b, c.right, attr));
    case "or":
      // OR binds loosest: its operands need no parentheses
      return `${renderCond(b, c.left, attr)} OR ${renderCond(b, c.right, attr)}`;
    case "not":
      return not(renderCond(b, c.operand, attr));
    case "const":
      throw new Error("constant conditions must be folded before rendering");
  }
}

/** `attr = n`, where an absent counter counts as 0 (versions and generations start absent). */
export function counterIs(b: ExprBuilder, attr: string, n: number): string {
  return n === 0 ? `attribute_not_exists(${b.n(attr)}) OR ${b.n(attr)} = ${b.v(0)}` : `${b.n(attr)} = ${b.v(n)}`;
}
