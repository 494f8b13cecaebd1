// An AppGraph as SVG: its DOT rendered by Graphviz compiled to WebAssembly (@viz-js/viz), so no
// system Graphviz is needed. Loaded only when SVG is asked for (the wasm is a few MB).
import { toDot } from "./dot.js";
import type { AppGraph } from "./model.js";

/** Renders DOT text to SVG; throws with Graphviz's messages when it is not valid DOT. */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const r = viz.render(dot, { format: "svg" });
  if (r.status !== "success") throw new Error(`Graphviz: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.output;
}

export async function toSvg(g: AppGraph): Promise<string> {
  return dotToSvg(toDot(g));
}
