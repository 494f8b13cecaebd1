// The test tiers. `npm test` (run.ts) runs every suite; `npm run test:quick` (quick.ts) runs the
// first two in one process in seconds. Everything not listed here is the slow tier: suites that
// start a local stack (end to end, crash sweeps, stress).

/** Pure functions of the grammar, compiler and runtime, and the import rules: milliseconds each, no store. */
export const UNIT = [
  "architecture",
  "cli-help",
  "runtime-units",
  "log-pieces",
  "emit-precedence",
  "grammar",
  "grammar-errors",
  "grammar-cst",
  "grammar-lookahead",
  "grammar-checks",
  "check-format",
  "check-good",
  "check-bad",
  "waiting-check",
  "waiting-services",
  "lsp-services",
  "vscode-grammar",
  "vscode-extension",
  "vscode-screenshot",
  "inspect-ids",
  "export-scan",
  "graph",
];

/** The generated handlers of the examples against the committed files in test/snapshots/. */
export const SNAPSHOT = ["emit-snapshots"];
