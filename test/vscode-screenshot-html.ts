// An HTML page that pictures a .beldi file in an editor: the text coloured by the extension's
// TextMate grammar's real tokens in Dark+'s colours, language-server diagnostics as squiggles, and
// one hover box (the diagnostics under it, then a hover's Markdown) — what VS Code would show,
// drawn without VS Code. Inputs are LSP shapes, so a real `beldi lsp` answer can be fed in as is.
import type { IGrammar } from "vscode-textmate";
import { EDITOR_COLORS as C, styleOf } from "./dark-plus-theme.js";
import { tokenize } from "./textmate.js";

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
/** An LSP Diagnostic (the fields drawn). severity: 1 error, 2 warning, 3 information, 4 hint. */
export interface LspDiagnostic {
  range: Range;
  severity?: 1 | 2 | 3 | 4;
  code?: string | number;
  source?: string;
  /** LSP 3.18 allows Markdown here too */
  message: string | MarkupContent;
}
export interface MarkupContent {
  kind: "markdown" | "plaintext";
  value: string;
}
/** An LSP Hover with Markdown contents. */
export interface LspHover {
  range?: Range;
  contents: MarkupContent;
}

export interface EditorPicture {
  /** the tab's title and the status bar's language */
  fileName: string;
  text: string;
  diagnostics: LspDiagnostic[];
  /** where the mouse rests: the hover box shows the diagnostics there and `hover` (if any) */
  hoverAt: Position | null;
  hover: LspHover | null;
  /** the line the cursor is on (0-based), highlighted as the current line */
  cursorLine: number;
  /** one line under the window saying what the picture is */
  caption: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const severityColor = (s: LspDiagnostic["severity"]) => (s === 2 ? C.warning : s === 3 || s === 4 ? C.info : C.error);

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
const contains = (r: Range, p: Position) => !before(p, r.start) && before(p, r.end);

/** One line of code as coloured spans; characters inside a diagnostic's range are squiggled. */
function lineHtml(
  tokens: ReturnType<typeof tokenize>,
  line: number,
  lineText: string,
  diagnostics: LspDiagnostic[],
  anchor: Position | null,
): string {
  // cut points: token edges, diagnostic edges, and the hover anchor
  const cuts = new Set<number>([0, lineText.length]);
  const mine = tokens.filter((t) => t.line === line);
  for (const t of mine) cuts.add(t.start).add(t.end);
  const squiggles = diagnostics
    .map((d) => ({
      d,
      from: d.range.start.line < line ? 0 : d.range.start.line === line ? d.range.start.character : Infinity,
      to: d.range.end.line > line ? lineText.length : d.range.end.line === line ? d.range.end.character : -1,
    }))
    .filter((s) => s.from < s.to);
  for (const s of squiggles) cuts.add(Math.min(s.from, lineText.length)).add(Math.min(s.to, lineText.length));
  if (anchor?.line === line) cuts.add(anchor.character);
  const points = [...cuts].filter((c) => c >= 0 && c <= lineText.length).sort((a, b) => a - b);
  let html = "";
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    const token = mine.find((t) => t.start <= from && from < t.end);
    const style = styleOf(token?.scopes ?? []);
    const squiggle = squiggles.find((s) => s.from <= from && from < s.to);
    const css = [`color:${style.color}`];
    if (style.fontStyle.includes("italic")) css.push("font-style:italic");
    if (style.fontStyle.includes("bold")) css.push("font-weight:bold");
    if (squiggle) css.push(`text-decoration:underline wavy ${severityColor(squiggle.d.severity)}`);
    const id = anchor?.line === line && anchor.character === from ? ' id="hover-anchor"' : "";
    html += `<span${id} style="${css.join(";")}">${escapeHtml(lineText.slice(from, to))}</span>`;
  }
  return html;
}

/** Code coloured by the grammar, as in a hover's ```beldi block. */
function codeBlockHtml(grammar: IGrammar, code: string): string {
  const tokens = tokenize(grammar, code);
  return code
    .split(/\r\n|\r|\n/)
    .map((text, line) => lineHtml(tokens, line, text, [], null))
    .join("\n");
}

/** The Markdown a hover may hold: ```beldi blocks, paragraphs, `code`, **bold**, *emphasis*, ---. */
export function markdownHtml(grammar: IGrammar, markdown: string): string {
  const out: string[] = [];
  const blocks = markdown.split(/^```(\w*)\n([\s\S]*?)^```\s*$/m);
  for (let i = 0; i < blocks.length; i += 3) {
    for (const para of blocks[i]!.split(/\n\s*\n/)) {
      const text = para.trim();
      if (!text) continue;
      if (/^(-{3,}|\*{3,})$/.test(text)) {
        out.push("<hr>");
        continue;
      }
      const inline = escapeHtml(text)
        .replace(/`([^`]+)`/g, "<code>$1</code>")
        .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
        .replace(/(^|[^*])\*([^*]+)\*/g, "$1<em>$2</em>")
        .replace(/\n/g, "<br>");
      out.push(`<p>${inline}</p>`);
    }
    if (i + 2 < blocks.length) {
      const lang = blocks[i + 1]!;
      const code = blocks[i + 2]!.replace(/\n$/, "");
      out.push(`<pre class="code">${lang === "beldi" ? codeBlockHtml(grammar, code) : escapeHtml(code)}</pre>`);
    }
  }
  return out.join("");
}

/** The hover box: each diagnostic at the position (message, then source(code) dimmed), then the hover. */
function hoverHtml(grammar: IGrammar, picture: EditorPicture): string {
  const at = picture.hoverAt;
  if (!at) return "";
  const parts: string[] = [];
  for (const d of picture.diagnostics.filter((x) => contains(x.range, at))) {
    const code = d.code === undefined ? "" : `(${escapeHtml(String(d.code))})`;
    const origin = d.source || code ? ` <span class="origin">${escapeHtml(d.source ?? "")}${code}</span>` : "";
    const message =
      typeof d.message === "string" || d.message.kind === "plaintext"
        ? escapeHtml(typeof d.message === "string" ? d.message : d.message.value).replace(/\n/g, "<br>")
        : markdownHtml(grammar, d.message.value);
    parts.push(`<div class="part marker">${message}${origin}</div>`);
  }
  if (picture.hover) {
    const { kind, value } = picture.hover.contents;
    parts.push(`<div class="part">${kind === "markdown" ? markdownHtml(grammar, value) : `<p>${escapeHtml(value)}</p>`}</div>`);
  }
  return parts.length ? `<div id="hover">${parts.join("")}</div>` : "";
}

/** The whole page: a tab, the numbered lines, the hover box, a status bar, the caption. */
export function editorPageHtml(grammar: IGrammar, picture: EditorPicture): string {
  const tokens = tokenize(grammar, picture.text);
  const lines = picture.text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  const errors = picture.diagnostics.filter((d) => (d.severity ?? 1) === 1).length;
  const warnings = picture.diagnostics.filter((d) => d.severity === 2).length;
  const rows = lines
    .map((text, i) => {
      const current = i === picture.cursorLine ? " current" : "";
      return `<div class="row${current}"><span class="ln">${i + 1}</span><span class="code">${lineHtml(tokens, i, text, picture.diagnostics, picture.hoverAt)}</span></div>`;
    })
    .join("");
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
  * { box-sizing: border-box; }
  body { margin: 0; padding: 16px; background: #111; font-family: "DejaVu Sans", sans-serif; }
  #window { width: 980px; background: ${C.background}; border: 1px solid #3c3c3c; border-radius: 6px; overflow: hidden; position: relative; }
  .tabs { background: ${C.tabsBackground}; height: 35px; display: flex; }
  .tab { background: ${C.activeTab}; color: #fff; font-size: 13px; padding: 0 14px; line-height: 35px; border-top: 1px solid ${C.statusBar}; }
  .tab .dot { color: ${C.error}; margin-left: 8px; }
  .editor { padding: 6px 0 10px; font-family: "DejaVu Sans Mono", monospace; font-size: 14px; line-height: 19px; color: ${C.foreground}; white-space: pre; position: relative; }
  .row { height: 19px; border: 1px solid transparent; border-left: 0; border-right: 0; }
  .row.current { border-color: ${C.lineHighlightBorder}; }
  .ln { display: inline-block; width: 64px; padding-right: 26px; text-align: right; color: ${C.lineNumber}; }
  .row.current .ln { color: ${C.activeLineNumber}; }
  .code span { text-decoration-skip-ink: none; text-underline-offset: 3px; }
  #hover { position: absolute; max-width: 560px; background: ${C.hoverBackground}; border: 1px solid ${C.hoverBorder}; border-radius: 3px;
    color: ${C.foreground}; font-family: "DejaVu Sans", sans-serif; font-size: 13px; line-height: 19px; white-space: normal; box-shadow: 0 2px 8px #0000005c; }
  #hover .part { padding: 4px 8px; }
  #hover .part + .part { border-top: 1px solid ${C.hoverBorder}; }
  #hover p { margin: 4px 0; }
  #hover .origin { color: ${C.descriptionForeground}; margin-left: 4px; }
  #hover code { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; background: ${C.codeBackground}; padding: 1px 3px; border-radius: 3px; }
  #hover pre.code { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; white-space: pre; margin: 4px 0; }
  #hover hr { border: 0; border-top: 1px solid ${C.hoverBorder}; margin: 6px -8px; }
  .status { background: ${C.statusBar}; color: #fff; font-size: 12px; height: 22px; line-height: 22px; padding: 0 10px; display: flex; gap: 18px; }
  .status .right { margin-left: auto; display: flex; gap: 18px; }
  .caption { color: #9d9d9d; font-size: 12px; margin-top: 8px; width: 980px; }
</style></head><body>
<div id="window">
  <div class="tabs"><div class="tab">${escapeHtml(picture.fileName)}${errors ? '<span class="dot">●</span>' : ""}</div></div>
  <div class="editor">${rows}${hoverHtml(grammar, picture)}</div>
  <div class="status"><span>⊗ ${errors}  ⚠ ${warnings}</span><span class="right"><span>Ln ${picture.cursorLine + 1}</span><span>UTF-8</span><span>Beldi</span></span></div>
</div>
<div class="caption">${escapeHtml(picture.caption)}</div>
<script>
  // the hover sits above the word under the mouse (below it when there is no room), as VS Code places it
  const anchor = document.getElementById("hover-anchor");
  const hover = document.getElementById("hover");
  if (anchor && hover) {
    const editor = hover.parentElement.getBoundingClientRect();
    const a = anchor.getBoundingClientRect();
    const h = hover.getBoundingClientRect();
    const above = a.top - editor.top - h.height - 2;
    hover.style.left = Math.min(a.left - editor.left, editor.width - h.width - 12) + "px";
    hover.style.top = (above >= 0 ? above : a.bottom - editor.top + 2) + "px";
  }
</script>
</body></html>
`;
}
