// Type-checks generated handlers under strict, as a user's tsc would: shared by the tests of
// the compiler's output (compile-output, compile-limits, check-fuzz).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface GeneratedApp {
  /** a folder name for the app's files */
  app: string;
  /** the compiler's output (`<service>/handler.ts`, ...); only `.ts` files are checked */
  files: { path: string; text: string }[];
}

let runs = 0;

/** The TypeScript diagnostics of the apps' handlers, formatted; "" when they type-check. */
export function typecheckGenerated(apps: GeneratedApp[]): string {
  const dir = path.resolve(".beldi", `tsc-${process.pid}-${runs++}`);
  const roots: string[] = [];
  try {
    for (const a of apps) {
      for (const f of a.files.filter((x) => x.path.endsWith(".ts"))) {
        const p = path.join(dir, a.app, f.path);
        mkdirSync(path.dirname(p), { recursive: true });
        writeFileSync(p, f.text);
        roots.push(p);
      }
    }
    const program = ts.createProgram(roots, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: ["node"],
      noUnusedLocals: false,
    });
    const diags = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || roots.includes(path.resolve(d.file.fileName)));
    return ts.formatDiagnostics(diags, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
