// Renders docs/errors.md from the diagnostic catalog (syntax + checker) and the runtime error
// codes. A test asserts the committed file equals this output; regenerate it with
// `npx tsx compiler/errors-doc-cli.ts`.
import type { DiagnosticEntry } from "../grammar/diagnostics.js";
import { RUNTIME_ERRORS, type RuntimeErrorEntry } from "../contract/errors.js";
import { COMPAT, type CompatEntry } from "./compat.js";
import { ALL_DIAGNOSTICS } from "./diagnostics.js";
import { compareCodeUnits } from "./order.js";

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}beldi\n${text.replace(/\n+$/, "")}\n${f}`;
}

function compileEntry(e: DiagnosticEntry): string {
  return [
    `### ${e.code}: ${e.title}`,
    "",
    `*${e.severity}*`,
    "",
    e.explain,
    "",
    "Example:",
    "",
    fence(e.example),
    "",
    `**Fix:** ${e.fix}`,
    "",
  ].join("\n");
}

function compatEntry(e: CompatEntry): string {
  return [
    `### ${e.code}: ${e.title}`,
    "",
    e.explain,
    "",
    "Deployed:",
    "",
    fence(e.example.before),
    "",
    "New:",
    "",
    fence(e.example.after),
    "",
    `**Fix:** ${e.fix}`,
    "",
  ].join("\n");
}

function runtimeEntry(e: RuntimeErrorEntry): string {
  return [`### ${e.code}: ${e.title}`, "", e.explain, "", `**Fix:** ${e.fix}`, ""].join("\n");
}

export function renderErrorsDoc(): string {
  const all = Object.values(ALL_DIAGNOSTICS);
  const errors = all.filter((d) => d.severity === "error");
  const warnings = all.filter((d) => d.severity === "warning");
  const runtime = Object.values(RUNTIME_ERRORS as Record<string, RuntimeErrorEntry>).sort((a, b) => compareCodeUnits(a.code, b.code));
  const compat: CompatEntry[] = Object.values(COMPAT);
  const index = (ds: { code: string; title: string }[]) =>
    ds.map((d) => `- [${d.code}](#${d.code.toLowerCase()}-${slug(d.title)}): ${d.title}`).join("\n");
  return [
    "# Errors and warnings",
    "",
    "<!-- Generated from compiler/diagnostics.ts, grammar/diagnostics.ts, contract/errors.ts and compiler/compat.ts",
    "     by `npx tsx compiler/errors-doc-cli.ts`. Do not edit by hand. -->",
    "",
    "Every compile error has a stable code `E` + 4 digits (warnings `W` + 4 digits): `E0001`–`E0099`",
    "are syntax errors, `E0100`–`E0998` the checker's, `E0999` an internal compiler error. A failed",
    "invocation reports a runtime code `R` + 4 digits, an incompatible change between two versions",
    "of an app a code `V` + 4 digits. A code is never reused for another meaning.",
    "",
    "## Index",
    "",
    "Compile errors:",
    "",
    index(errors),
    "",
    "Warnings:",
    "",
    index(warnings),
    "",
    "Runtime errors:",
    "",
    index(runtime),
    "",
    "Version compatibility:",
    "",
    index(compat),
    "",
    "## Compile errors",
    "",
    ...errors.map(compileEntry),
    "## Warnings",
    "",
    ...warnings.map(compileEntry),
    "## Runtime errors",
    "",
    "A failed invocation's result is `{ ok: false, error: { code, message } }`.",
    "",
    ...runtime.map(runtimeEntry),
    "## Version compatibility",
    "",
    "`beldi diff <previous manifest.json> <app>` and `beldi build --previous <manifest.json>` compare a",
    "table's record type in the deployed version with the new one: both versions run against the",
    "same tables during a roll-over, so each must read the other's rows. Adding an optional field is",
    "fine; these are errors.",
    "",
    ...compat.map(compatEntry),
  ].join("\n");
}

/** GitHub's heading anchor for "E0100: duplicate declaration" minus the code part. */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .trim()
    .replace(/ /g, "-");
}
