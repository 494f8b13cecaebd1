// Diagnostics rendering (text and JSON) and docs/errors.md staying in sync with the catalog.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "../grammar/index.js";
import { checkProgram } from "../compiler/check/index.js";
import { ALL_DIAGNOSTICS, CHECK } from "../compiler/diagnostics.js";
import { renderErrorsDoc } from "../compiler/errors-doc.js";
import { diagnosticsToJson, formatDiagnostic } from "../compiler/format-diagnostics.js";
import { RUNTIME_ERRORS } from "../contract/errors.js";
import type { Diagnostic } from "../grammar/span.js";

const SRC = `type H = { cap: number }
service s {
  fn f(h: H?) -> number {
    return h.cap
  }
}
`;

function diags(src: string, path = "app/f.beldi"): Diagnostic[] {
  const p = parse({ path, text: src });
  assert.equal(p.diagnostics, []);
  return checkProgram([p.file], { app: "app", appDir: "/x/app", codeVersion: "v" }).diagnostics;
}

test("format: exact text of one error", () => {
  const ds = diags(SRC);
  assert.is(ds.length, 1);
  assert.is(
    formatDiagnostic(ds[0]!, SRC),
    [
      "app/f.beldi:4:14: error[E0201]: `h` may be null here, so `.cap` cannot be read",
      "4 |     return h.cap",
      "  |              ^^^",
      "  hint: write `h?.cap` to get null when `h` is null (and `h?.cap ?? d` for a default), or check for null first: `if h == null { ... }`",
    ].join("\n"),
  );
});

test("format: warnings, tabs, spans over several lines, missing source, no hint", () => {
  const span = { file: "a.beldi", line: 2, col: 3, endLine: 3, endCol: 2, offset: 4, endOffset: 10 };
  const d: Diagnostic = { code: "W0001", severity: "warning", message: "m", span };
  assert.is(formatDiagnostic(d, "x\n\tab cd\nz"), ["a.beldi:2:3: warning[W0001]: m", "2 | \tab cd", "  | \t ^^^^"].join("\n"));
  assert.is(formatDiagnostic({ ...d, hint: "h" }, ""), "a.beldi:2:3: warning[W0001]: m\n  hint: h");
  const wide = { ...d, span: { ...span, line: 10, endLine: 10, col: 1, endCol: 1 } };
  const text = "\n".repeat(9) + "abc";
  assert.is(formatDiagnostic(wide, text), ["a.beldi:10:1: warning[W0001]: m", "10 | abc", "   | ^"].join("\n"));
});

test("format: json", () => {
  const ds = diags(SRC);
  const j = diagnosticsToJson(ds);
  assert.equal(j, [
    {
      file: "app/f.beldi",
      line: 4,
      col: 14,
      endLine: 4,
      endCol: 17,
      severity: "error",
      code: "E0201",
      message: "`h` may be null here, so `.cap` cannot be read",
      hint: "write `h?.cap` to get null when `h` is null (and `h?.cap ?? d` for a default), or check for null first: `if h == null { ... }`",
    },
  ]);
  assert.equal(JSON.parse(JSON.stringify(j)), j);
  assert.equal(diagnosticsToJson([{ ...ds[0]!, hint: undefined }])[0]!.hint, null);
});

test("catalog: stable, unique, well-formed codes", () => {
  const entries = Object.values(ALL_DIAGNOSTICS);
  const codes = entries.map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length, "codes are unique");
  for (const [k, e] of Object.entries(ALL_DIAGNOSTICS)) assert.is(k, e.code);
  for (const e of Object.values(CHECK)) {
    assert.match(e.code, e.severity === "error" ? /^E0[1-9]\d\d$/ : /^W\d{4}$/);
    assert.ok(e.title && e.explain && e.example && e.fix, e.code);
  }
  assert.is(ALL_DIAGNOSTICS.E0999!.title, "internal compiler error");
  assert.ok(Object.values(CHECK).length >= 50);
});

test("docs/errors.md is generated from the catalogs and up to date", () => {
  const doc = renderErrorsDoc();
  for (const e of Object.values(ALL_DIAGNOSTICS)) assert.ok(doc.includes(`### ${e.code}: ${e.title}`), e.code);
  for (const e of Object.values(RUNTIME_ERRORS)) assert.ok(doc.includes(`### ${e.code}: ${e.title}`), e.code);
  const file = fileURLToPath(new URL("../docs/errors.md", import.meta.url));
  const onDisk = readFileSync(file, "utf8");
  assert.ok(onDisk === doc, "docs/errors.md is stale: run `npx tsx compiler/errors-doc-cli.ts`");
});

test.run();
