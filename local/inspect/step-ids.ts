// Reading ids back (docs/ids.md): a derived instance id into its parent, the parent's service
// and the step; a step id into its path segments, in execution order. Pure.

/** What a derived instance id says about where it comes from. */
export type Derivation =
  /** an entry instance: a client's id */
  | { kind: "client" }
  /** `parent/service:step` (a sync callee) or `parent!service:step'` (spawned; the step with `/` written `|`) */
  | { kind: "call" | "spawn"; parent: string; service: string; step: string }
  /** a derivation over 200 characters, hashed: its caller cannot be told */
  | { kind: "hashed" };

/** Reads an id from the right: the step ends at the last `:`, the caller's service runs back to `/` or `!`. */
export function derivationOf(id: string): Derivation {
  if (id.startsWith("!") || /\/~[^/!:]*$/.test(id)) return { kind: "hashed" };
  const colon = id.lastIndexOf(":");
  if (colon < 0) return { kind: "client" };
  const before = id.slice(0, colon);
  const sep = Math.max(before.lastIndexOf("/"), before.lastIndexOf("!"));
  if (sep < 0) return { kind: "client" }; // a client id may hold `:`, never `/` or `!`
  const kind = before[sep] === "!" ? "spawn" : "call";
  const rawStep = id.slice(colon + 1);
  return {
    kind,
    parent: before.slice(0, sep),
    service: before.slice(sep + 1),
    step: kind === "spawn" ? rawStep.replaceAll("|", "/") : rawStep,
  };
}

/** A log entry id's instance (an attempt id's for a transaction's commit) and step: `<instance>#<step>`. */
export function splitEntry(entry: string): { instance: string; step: string } {
  const hash = entry.indexOf("#");
  return { instance: entry.slice(0, hash), step: entry.slice(hash + 1) };
}

/** Attempt ids (`<instance>/<attempt step>@<service>`) hold `@`, which no instance id does. */
export const isAttemptId = (id: string): boolean => id.includes("@");

/** One segment of a step id: a site (`s3`) and what the runtime appended to it. */
export interface Segment {
  /** the static site id, e.g. "s3" (null for a segment that is not a site's: `$r`) */
  site: string | null;
  /** loop iteration `.3`, parallel branch `.b1`, transaction attempt `.a0` (a path segment); or the last segment's suffix */
  suffix:
    | { kind: "none" }
    | { kind: "iteration" | "branch" | "attempt"; index: number }
    | { kind: "age" }
    | { kind: "base" }
    /** `.t`: a wait's deadline */
    | { kind: "deadline" }
    | { kind: "decision"; attempt: number }
    | { kind: "page"; index: number }
    | { kind: "other"; text: string };
  text: string;
}

export function parseSegment(text: string): Segment {
  const m = /^(s\d+)(.*)$/.exec(text);
  if (!m) return { site: null, suffix: { kind: "other", text }, text };
  const [, site, rest] = m as unknown as [string, string, string];
  const suffix = ((): Segment["suffix"] => {
    if (rest === "") return { kind: "none" };
    if (rest === ".age") return { kind: "age" };
    if (rest === ".v") return { kind: "base" };
    if (rest === ".t") return { kind: "deadline" };
    let n = /^\.(\d+)$/.exec(rest);
    if (n) return { kind: "iteration", index: Number(n[1]) };
    n = /^\.b(\d+)$/.exec(rest);
    if (n) return { kind: "branch", index: Number(n[1]) };
    n = /^\.a(\d+)$/.exec(rest);
    if (n) return { kind: "attempt", index: Number(n[1]) };
    n = /^\.a(\d+)\.d$/.exec(rest);
    if (n) return { kind: "decision", attempt: Number(n[1]) };
    n = /^~p(\d+)$/.exec(rest);
    if (n) return { kind: "page", index: Number(n[1]) };
    return { kind: "other", text: rest };
  })();
  return { site, suffix, text };
}

export const segmentsOf = (step: string): Segment[] => step.split("/").map(parseSegment);

/** What a segment's suffix adds to its site's place in execution order. */
export function suffixRank(s: Segment): number[] {
  const x = s.suffix;
  switch (x.kind) {
    case "base":
      return [0]; // a transaction's write reads its base value first
    case "deadline":
      return [0]; // a wait logs its deadline before what it takes
    case "none":
    case "age":
      return [1];
    case "page":
      return [1, x.index];
    case "iteration":
    case "branch":
    case "attempt":
      return [2, x.index];
    case "decision":
      return [2, x.attempt, 1]; // after the attempt's own steps
    case "other":
      return [3];
  }
}

/** Compares two order keys (one number list per segment) lexicographically. */
export function compareKeys(a: number[][], b: number[][]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (let j = 0; j < Math.min(x.length, y.length); j++) if (x[j] !== y[j]) return x[j]! - y[j]!;
    if (x.length !== y.length) return x.length - y.length;
  }
  return a.length - b.length;
}

/** Orders step ids by their ids alone: sites by number (source order), iterations, branches and attempts by index. */
export function compareSteps(a: string, b: string): number {
  const key = (step: string) =>
    segmentsOf(step).map((s) => [s.site === null ? Number.MAX_SAFE_INTEGER : Number(s.site.slice(1)), ...suffixRank(s)]);
  return compareKeys(key(a), key(b)) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Where a step sits in a transaction: the txn's step (path + site), the attempt, and whether it is the age, the decision or a body step. */
export type TxnPlace =
  | { kind: "none" }
  | { kind: "age"; txnStep: string }
  | { kind: "decision"; txnStep: string; attempt: number }
  | { kind: "body"; txnStep: string; attempt: number };

export function txnPlaceOf(step: string): TxnPlace {
  const segs = segmentsOf(step);
  const pathOf = (i: number, site: string) => [...segs.slice(0, i).map((s) => s.text), site].join("/");
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const last = i === segs.length - 1;
    if (s.site === null) continue;
    if (last && s.suffix.kind === "age") return { kind: "age", txnStep: pathOf(i, s.site) };
    if (last && s.suffix.kind === "decision") return { kind: "decision", txnStep: pathOf(i, s.site), attempt: s.suffix.attempt };
    if (!last && s.suffix.kind === "attempt") return { kind: "body", txnStep: pathOf(i, s.site), attempt: s.suffix.index };
  }
  return { kind: "none" };
}
