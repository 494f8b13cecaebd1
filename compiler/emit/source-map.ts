// The source map (v3) of a generated handler: each line that came from a .beldi statement maps,
// from its first column on, to that statement's file, line and column. It rides inline on the
// handler's last line, where esbuild finds it and composes it into the bundle's own map.
import { Buffer } from "node:buffer";
import { vlq } from "./vlq.js";

/** The .beldi position a generated line came from (1-based line and column, as in a Span). */
export interface LineOrigin {
  file: string;
  line: number;
  col: number;
}

export interface SourceMapV3 {
  version: 3;
  file: string;
  sources: string[];
  names: string[];
  mappings: string;
}

/**
 * The map of a text whose line i came from `origins[i]` (undefined: from no .beldi line).
 * `sourcePath` names a .beldi file as seen from the generated file. No sourcesContent: every
 * handler would carry its app's whole source (output quadratic in services).
 */
export function sourceMap(file: string, origins: readonly (LineOrigin | undefined)[], sourcePath: (file: string) => string): SourceMapV3 {
  const index = new Map<string, number>();
  // every field but the generated column is relative to the previous segment, across lines
  let prev = { source: 0, line: 0, col: 0 };
  const lines = origins.map((o) => {
    // a segment of one field maps a line to no source (else a lookup takes the line before's)
    if (!o) return vlq(0);
    let source = index.get(o.file);
    if (source === undefined) index.set(o.file, (source = index.size));
    const at = { source, line: o.line - 1, col: o.col - 1 };
    const segment = vlq(0) + vlq(at.source - prev.source) + vlq(at.line - prev.line) + vlq(at.col - prev.col);
    prev = at;
    return segment;
  });
  return { version: 3, file, sources: [...index.keys()].map(sourcePath), names: [], mappings: lines.join(";") };
}

/** The comment that carries a map inline, as the last line of the file it maps. */
export function inlineSourceMap(map: SourceMapV3): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}
