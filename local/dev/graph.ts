// The app's graph for the console, as SVG: compiler/graph's drawing of the IR (Graphviz as wasm,
// loaded on first use), drawn once per version.
import { appGraph } from "../../compiler/graph/model.js";
import type { IrProgram } from "../../compiler/ir.js";

const drawn = new Map<string, Promise<string>>();

export function appGraphSvg(ir: IrProgram): Promise<string> {
  const key = `${ir.app}@${ir.codeVersion}`;
  let svg = drawn.get(key);
  if (!svg) {
    svg = import("../../compiler/graph/svg.js").then(({ toSvg }) => toSvg(appGraph(ir)));
    drawn.set(key, svg);
    svg.catch(() => drawn.delete(key));
  }
  return svg;
}
