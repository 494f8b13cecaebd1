// A sweep's or duplicate run's report as text: a table of crash points, then each difference
// with the expected and the actual value (what `beldi sweep` prints; tests print it on failure).
import type { Comparison } from "./sweep-compare.js";
import type { DuplicateReport, SweepReport } from "./sweep.js";

const show = (v: unknown): string => (v === null ? "absent" : JSON.stringify(v));

function verdict(c: Comparison): [string, string] {
  const result = c.resultEqual ? "same" : "DIFFERS";
  const parts: string[] = [];
  if (c.rows.length) parts.push(`${c.rows.length} row${c.rows.length === 1 ? "" : "s"} DIFFER${c.rows.length === 1 ? "S" : ""}`);
  if (c.locks.length) parts.push(`${c.locks.length} lock${c.locks.length === 1 ? "" : "s"} LEFT`);
  if (c.problem) parts.push("PROBLEM");
  return [result, parts.join(", ") || "same"];
}

function details(title: string, c: Comparison, expected: unknown): string[] {
  if (c.ok) return [];
  const out = [`  ${title}:`];
  if (!c.resultEqual) out.push(`    result: expected ${show(expected)}`, `            got      ${show(c.result)}`);
  for (const r of c.rows)
    out.push(
      `    ${r.table}[${JSON.stringify(r.key)}]: expected ${show(r.expected)}`,
      `${" ".repeat(r.table.length + JSON.stringify(r.key).length + 8)}got      ${show(r.got)}`,
    );
  for (const l of c.locks) out.push(`    lock left: ${l}`);
  if (c.problem) out.push(`    ${c.problem}`);
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`);
}

export function describeSweep(r: SweepReport): string {
  const bad = r.points.filter((p) => !p.ok).length;
  const swept = `${r.points.length} crash point${r.points.length === 1 ? "" : "s"}`;
  const verdictText = r.ok
    ? "every one matches the uncrashed run"
    : bad
      ? `${bad} differ${bad === 1 ? "s" : ""} from the uncrashed run`
      : r.truncated
        ? "each matches, but the sweep was cut short"
        : "the uncrashed run fails the check";
  const head = `${r.fn} ${JSON.stringify(r.input)}: ${swept}, ${verdictText}`;
  const lines = [head, `  uncrashed: ${show(r.reference.result)} after ${r.reference.requests.length} requests`];
  if (r.points.length)
    lines.push(...table([["k", "crashed after", "result", "tables"], ...r.points.map((p) => [String(p.k), p.request, ...verdict(p)])]));
  if (r.reference.problem) lines.push(`  ${r.reference.problem}`);
  if (r.truncated)
    lines.push(`  stopped after ${r.points.length} crash points with the invocation still crashing (raise maxPoints / --max-points)`);
  for (const p of r.points) lines.push(...details(`crash point ${p.k} (after ${p.request})`, p, r.reference.result));
  return lines.join("\n");
}

export function describeDuplicates(r: DuplicateReport): string {
  const lines = [`${r.fn} ${JSON.stringify(r.input)}: duplicate executions ${r.ok ? "match a single run" : "DIFFER from a single run"}`];
  lines.push(...table([["scenario", "result", "tables"], ...r.runs.map((d) => [d.scenario, ...verdict(d)])]));
  if (r.reference.problem) lines.push(`  ${r.reference.problem}`);
  for (const d of r.runs) lines.push(...details(d.scenario, d, r.reference.result));
  return lines.join("\n");
}
