// Externs of the social app: pure helpers, bundled into the services that call them.

/** The distinct `@name` mentions of a post, in order of first appearance. */
export function mentions(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/@([A-Za-z0-9_]+)/g)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** Positions `start` to `stop` (exclusive) of a timeline counted from its newest (last) end. */
export function newest(ids: string[], start: number, stop: number): string[] {
  const from = Math.max(0, ids.length - stop);
  const to = Math.max(0, ids.length - start);
  return ids.slice(from, to).reverse();
}
