// `beldi graph <app> [--format mermaid|dot|svg|json] [--out <file>]`: the app's services, tables,
// fns and their call/spawn edges and transaction scopes, drawn from the IR (compiler/graph/).
// <app> may also be a build's manifest.json (the IR of a deployed version). Loads only the front
// half; Graphviz (wasm) only for svg.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { commandArgs } from "./args.js";
import { type Io, processIo, report, USAGE } from "../../compiler/cli.js";
import { check, loadApp, readManifest, UsageError } from "../../compiler/check-api.js";
import { toDot } from "../../compiler/graph/dot.js";
import { toMermaid } from "../../compiler/graph/mermaid.js";
import { appGraph, type AppGraph } from "../../compiler/graph/model.js";
import type { IrProgram } from "../../compiler/ir.js";

export const GRAPH_FORMATS = ["mermaid", "dot", "svg", "json"] as const;
type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** The format a file's extension asks for, when --format does not say. */
const BY_EXTENSION: Record<string, GraphFormat> = {
  ".mmd": "mermaid",
  ".mermaid": "mermaid",
  ".md": "mermaid",
  ".dot": "dot",
  ".gv": "dot",
  ".svg": "svg",
  ".json": "json",
};

async function draw(g: AppGraph, format: GraphFormat, markdown: boolean): Promise<string> {
  if (format === "dot") return toDot(g);
  if (format === "json") return `${JSON.stringify(g, null, 2)}\n`;
  if (format === "svg") return (await import("../../compiler/graph/svg.js")).toSvg(g);
  // in a Markdown file, a fenced block GitHub renders as the diagram
  return markdown ? `\`\`\`mermaid\n${toMermaid(g)}\`\`\`\n` : toMermaid(g);
}

export async function graphCommand(argv: string[], io: Io = processIo): Promise<number> {
  const parsed = commandArgs(argv, { format: { type: "string" }, out: { type: "string" } }, io, USAGE);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    io.err(USAGE);
    return 2;
  }
  const out = values.out;
  const format = values.format ?? (out && BY_EXTENSION[path.extname(out).toLowerCase()]) ?? "mermaid";
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
    io.err(`--format must be one of ${GRAPH_FORMATS.join(", ")}; got ${JSON.stringify(format)}\n\n${USAGE}`);
    return 2;
  }
  try {
    const source = positionals[0]!;
    let ir: IrProgram;
    if (source.endsWith(".json")) ir = readManifest(source);
    else {
      const app = loadApp(source);
      const r = check(app.files, { app: app.app, appDir: app.appDir });
      if (!r.ok || !r.ir) {
        report(io, r.diagnostics, new Map(app.files.map((f) => [f.path, f.text])), false);
        return 1;
      }
      ir = r.ir;
    }
    const text = await draw(appGraph(ir), format as GraphFormat, out !== undefined && path.extname(out).toLowerCase() === ".md");
    if (out === undefined) io.out(text.replace(/\n$/, ""));
    else {
      writeFileSync(out, text);
      io.err(`${ir.app}: ${format} graph of ${ir.services.length} service(s) written to ${out}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    io.err(`beldi graph: ${(e as Error).message}`);
    return 1;
  }
}
