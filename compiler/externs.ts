// The modules of a program's externs, on disk: `check` reports a module that is missing or
// does not export the extern's name (LINK codes), so `build` never meets them in esbuild.
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ts as Ts } from "ts-morph";
import type { SourceFileAst } from "../grammar/ast.js";
import type { Diagnostic } from "../grammar/span.js";
import { externModulePath } from "./check/resolve.js";
import { diagnostic, LINK } from "./diagnostics.js";
import { scanExports } from "./export-scan.js";
import { compareCodeUnits } from "./order.js";

// TypeScript takes longer to load than the rest of `check` together: only when the scanner is unsure
let typescript: typeof Ts | undefined;
const loadTypeScript = (): typeof Ts => {
  typescript ??= (createRequire(import.meta.url)("ts-morph") as { ts: typeof Ts }).ts;
  return typescript;
};

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The file an import of `module` finds, as esbuild resolves it (TypeScript's `.js` → `.ts` included), or null. */
export function resolveModuleFile(module: string): string | null {
  const tries = [module];
  const js = /\.([mc]?)js$/.exec(module);
  if (js) tries.push(module.replace(/\.[mc]?js$/, `.${js[1]}ts`), ...(js[1] ? [] : [module.replace(/\.js$/, ".tsx")]));
  if (!/\.[mc]?[jt]sx?$/.test(path.basename(module))) {
    const exts = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
    tries.push(...exts.map((e) => module + e), ...exts.map((e) => path.join(module, `index${e}`)));
  }
  return tries.find(isFile) ?? null;
}

/** The value names a module exports, or null when it cannot be told (`export * from ...`). */
export function exportedNames(file: string, text: string): Set<string> | null {
  const scanned = scanExports(file, text);
  if (scanned.kind === "names") return scanned.names;
  if (scanned.kind === "reexportsAll") return null;
  return exportedNamesByTypeScript(file, text);
}

/** `exportedNames` by TypeScript's parser: what the scanner falls back on (and is tested against). */
export function exportedNamesByTypeScript(file: string, text: string): Set<string> | null {
  const ts = loadTypeScript();
  const kind = /\.[mc]?jsx?$/.test(file) ? ts.ScriptKind.JS : /x$/.test(file) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, kind);
  const names = new Set<string>();
  // `export default function f` exports no `f`: an extern imports it by name
  const exported = (n: Ts.Node) => {
    const modifiers = ts.canHaveModifiers(n) ? (ts.getModifiers(n) ?? []) : [];
    return modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && !modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  };
  const bound = (b: Ts.BindingName): void => {
    if (ts.isIdentifier(b)) names.add(b.text);
    else for (const el of b.elements) if (!ts.isOmittedExpression(el)) bound(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue;
      const clause = st.exportClause;
      if (!clause) return null; // `export * from "..."`: what it brings is in another module
      if (ts.isNamespaceExport(clause)) names.add(clause.name.text);
      else for (const el of clause.elements) if (!el.isTypeOnly) names.add(el.name.text);
    } else if (exported(st)) {
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.add(st.name.text);
      else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bound(d.name);
    }
  }
  return names;
}

/**
 * Checks every extern of the (cleanly parsed) files against its module on disk. Never throws:
 * an unreadable module is reported as not found.
 */
/**
 * The extern modules' texts (each with its path), for the app version: an edit of a module
 * changes what re-executions compute, so it must make a new version (the modules they import
 * in turn are not looked into).
 */
export function externModuleTexts(files: SourceFileAst[], appDir: string): string[] {
  const out = new Map<string, string>();
  for (const f of files) {
    for (const d of f.decls) {
      if (d.kind !== "extern" || d.from.value === "") continue;
      const file = resolveModuleFile(externModulePath(appDir, f.path, d.from.value));
      if (!file || out.has(file)) continue;
      try {
        out.set(file, readFileSync(file, "utf8"));
      } catch {
        // reported by checkExternModules
      }
    }
  }
  return [...out].sort(([a], [b]) => compareCodeUnits(a, b)).map(([file, text]) => `${path.relative(appDir, file)}\0${text}`);
}

export function checkExternModules(files: SourceFileAst[], appDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const exportsOf = new Map<string, Set<string> | null>();
  for (const f of files) {
    for (const d of f.decls) {
      if (d.kind !== "extern" || d.from.value === "") continue;
      const module = externModulePath(appDir, f.path, d.from.value);
      const file = resolveModuleFile(module);
      let names = file ? exportsOf.get(file) : undefined;
      if (file && names === undefined) {
        let text: string | undefined;
        try {
          text = readFileSync(file, "utf8");
        } catch {}
        if (text !== undefined) {
          try {
            names = exportedNames(file, text);
          } catch {
            // TypeScript could not be loaded or failed on it: the module is there, its exports
            // cannot be told (as for `export *`); build's bundler still checks the import
            names = null;
          }
          exportsOf.set(file, names);
        }
      }
      if (!file || names === undefined) {
        out.push(
          diagnostic(
            LINK.externNotFound,
            d.from.span,
            `the module of extern \`${d.name.name}\`, ${JSON.stringify(d.from.value)}, ${file ? `cannot be read (${file})` : `does not exist (looked for ${module})`}`,
            `the path is relative to ${path.basename(f.path)}'s folder; fix it, or add the module`,
          ),
        );
      } else if (names && !names.has(d.name.name)) {
        const has = [...names]
          .slice(0, 8)
          .map((n) => `\`${n}\``)
          .join(", ");
        out.push(
          diagnostic(
            LINK.externNotExported,
            d.name.span,
            `${JSON.stringify(d.from.value)} does not export \`${d.name.name}\``,
            `export a function named \`${d.name.name}\` from ${path.basename(file!)}${has ? ` (it exports ${has})` : " (it exports nothing)"}, or rename the extern`,
          ),
        );
      }
    }
  }
  return out;
}
