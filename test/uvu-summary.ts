// Reads the summary uvu prints at the end of a run (Total / Passed / Skipped), for the runners.

/** `text` without terminal colour codes. */
export const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** The counts of uvu's summary in `output`, or null if it printed none (the suite died). */
export function uvuSummary(output: string): { total: number; passed: number; skipped: number } | null {
  const text = plain(output);
  const total = /Total:\s+(\d+)/.exec(text)?.[1];
  const passed = /Passed:\s+(\d+)/.exec(text)?.[1];
  if (total === undefined || passed === undefined) return null;
  return { total: Number(total), passed: Number(passed), skipped: Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0) };
}
