// The colours of VS Code's default dark theme, Dark+ (its dark_vs.json and dark_plus.json token
// rules, the ones a .beldi file's scopes can meet), and the editor colours around the text. Used
// to render the README's picture of the extension (update-vscode-screenshot.ts) without VS Code.

/** [scope selectors, colour, font style]: a later rule of the same specificity wins, as in a theme file. */
const TOKEN_RULES: [string[], string, string?][] = [
  // dark_vs.json
  [["comment"], "#6A9955"],
  [["constant.language"], "#569CD6"],
  [["constant.numeric", "variable.other.enummember"], "#B5CEA8"],
  [["constant.character"], "#569CD6"],
  [["invalid"], "#F44747"],
  [["storage", "storage.type", "storage.modifier"], "#569CD6"],
  [["string"], "#CE9178"],
  [["keyword"], "#569CD6"],
  [["keyword.control"], "#569CD6"],
  [["keyword.operator"], "#D4D4D4"],
  [["keyword.operator.new", "keyword.operator.expression", "keyword.operator.wordlike"], "#569CD6"],
  [["variable.language"], "#569CD6"],
  [["emphasis"], "", "italic"],
  [["strong"], "", "bold"],
  // dark_plus.json
  [["entity.name.function", "support.function", "entity.name.operator.custom-literal"], "#DCDCAA"],
  [
    ["support.class", "support.type", "entity.name.type", "entity.name.namespace", "entity.other.attribute", "entity.name.class"],
    "#4EC9B0",
  ],
  [["keyword.control", "keyword.other.operator", "entity.name.operator"], "#C586C0"],
  [["variable", "meta.definition.variable.name", "support.variable", "entity.name.variable", "constant.other.placeholder"], "#9CDCFE"],
  [["variable.other.constant", "variable.other.enummember"], "#4FC1FF"],
  [["meta.object-literal.key"], "#9CDCFE"],
  [["constant.character.escape"], "#D7BA7D"],
  [["entity.name.label"], "#C8C8C8"],
];

/** The editor's own colours in Dark+ (workbench colour ids in the comments). */
export const EDITOR_COLORS = {
  background: "#1E1E1E", // editor.background
  foreground: "#D4D4D4", // editor.foreground
  lineNumber: "#858585", // editorLineNumber.foreground
  activeLineNumber: "#C6C6C6", // editorLineNumber.activeForeground
  lineHighlightBorder: "#282828", // editor.lineHighlightBorder
  tabsBackground: "#252526", // editorGroupHeader.tabsBackground
  activeTab: "#1E1E1E", // tab.activeBackground
  inactiveTabForeground: "#FFFFFF80", // tab.inactiveForeground
  statusBar: "#007ACC", // statusBar.background
  hoverBackground: "#252526", // editorHoverWidget.background
  hoverBorder: "#454545", // editorHoverWidget.border
  hoverStatusBar: "#2C2C2D", // editorHoverWidget.statusBarBackground
  error: "#F14C4C", // editorError.foreground
  warning: "#CCA700", // editorWarning.foreground
  info: "#3794FF", // editorInfo.foreground
  descriptionForeground: "#CCCCCCB3", // descriptionForeground (a diagnostic's source and code)
  codeBackground: "#0A0A0A66", // textCodeBlock.background (inline code in a hover)
};

export interface TokenStyle {
  color: string;
  fontStyle: string;
}

/** How far a selector matches a scope: the number of its dot segments, or 0 when it is not a prefix. */
function matchDepth(selector: string, scope: string): number {
  return scope === selector || scope.startsWith(selector + ".") ? selector.split(".").length : 0;
}

/**
 * A token's style: the innermost scope that any rule matches decides, and among the rules matching
 * it the most specific selector (then the later rule) — TextMate's rule for simple selectors.
 */
export function styleOf(scopes: readonly string[]): TokenStyle {
  let color = "";
  let fontStyle = "";
  for (let i = scopes.length - 1; i >= 0 && (!color || !fontStyle); i--) {
    let best: [number, string, string | undefined] | null = null;
    for (const [selectors, c, f] of TOKEN_RULES) {
      const depth = Math.max(...selectors.map((s) => matchDepth(s, scopes[i]!)));
      if (depth > 0 && (!best || depth >= best[0]) && (c || f)) best = [depth, c, f];
    }
    if (!best) continue;
    if (!color && best[1]) color = best[1];
    if (!fontStyle && best[2]) fontStyle = best[2];
  }
  return { color: color || EDITOR_COLORS.foreground, fontStyle };
}
