// Unit: the README's picture of the extension is drawn from real parts — Dark+'s colours picked
// per scope as a theme does, the grammar's tokens, diagnostics squiggled exactly over their range,
// and a hover box holding the diagnostics at the mouse and a hover's Markdown (update-vscode-screenshot.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { styleOf } from "./dark-plus-theme.js";
import { beldiGrammar } from "./textmate.js";
import { editorPageHtml, type EditorPicture, markdownHtml } from "./vscode-screenshot-html.js";

const grammar = await beldiGrammar();

test("Dark+: the innermost matching scope decides, the most specific selector wins", () => {
  const color = (...scopes: string[]) => styleOf(["source.beldi", ...scopes]).color;
  assert.equal(color("keyword.control.flow.beldi"), "#C586C0");
  assert.equal(color("keyword.other.read.beldi"), "#569CD6");
  assert.equal(color("keyword.operator.arithmetic.beldi"), "#D4D4D4");
  assert.equal(color("storage.type.fn.beldi"), "#569CD6");
  assert.equal(color("entity.name.function.beldi"), "#DCDCAA");
  assert.equal(color("support.function.builtin.beldi"), "#DCDCAA");
  assert.equal(color("support.type.primitive.beldi"), "#4EC9B0");
  assert.equal(color("entity.name.type.beldi"), "#4EC9B0");
  assert.equal(color("variable.other.readwrite.beldi"), "#9CDCFE");
  assert.equal(color("constant.numeric.decimal.beldi"), "#B5CEA8");
  assert.equal(color("constant.language.null.beldi"), "#569CD6");
  assert.equal(color("string.quoted.double.beldi"), "#CE9178");
  assert.equal(color("string.quoted.double.beldi", "constant.character.escape.beldi"), "#D7BA7D");
  assert.equal(color("string.quoted.double.beldi", "punctuation.definition.string.begin.beldi"), "#CE9178");
  assert.equal(color("comment.line.double-slash.beldi"), "#6A9955");
  assert.equal(color("invalid.illegal.character.beldi"), "#F44747");
  assert.equal(color("punctuation.separator.comma.beldi"), "#D4D4D4", "no rule: the editor's foreground");
});

const TEXT = 'service s {\n  fn f(x: number) -> number {\n    let c = read t["<k>"]\n    return c.n\n  }\n}\n';
const picture = (over: Partial<EditorPicture>): EditorPicture => ({
  fileName: "s.beldi",
  text: TEXT,
  diagnostics: [],
  hoverAt: null,
  hover: null,
  cursorLine: 0,
  caption: "a rendering",
  ...over,
});
const squiggled = (html: string) => [...html.matchAll(/<span[^>]*underline wavy[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);

test("page: the code coloured by the grammar, escaped, one numbered row per line", () => {
  const html = editorPageHtml(grammar, picture({}));
  assert.match(html, /<span style="color:#569CD6">service<\/span>/);
  assert.match(html, /<span style="color:#DCDCAA">f<\/span>/);
  assert.match(html, /<span style="color:#CE9178">&lt;k&gt;<\/span>/);
  assert.not.match(html, /"<k>"/, "source text is escaped");
  assert.equal(
    [...html.matchAll(/<span class="ln">(\d+)<\/span>/g)].map((m) => Number(m[1])),
    [1, 2, 3, 4, 5, 6],
  );
  assert.equal(squiggled(html), []);
  assert.not.match(html, /id="hover"/);
});

test("page: a diagnostic squiggles exactly its range, across lines too; the hover holds it with source(code)", () => {
  const diagnostic = {
    range: { start: { line: 3, character: 11 }, end: { line: 3, character: 12 } },
    severity: 1 as const,
    code: "E0201",
    source: "beldi",
    message: "`c` may be null here\ncheck for null first",
  };
  const html = editorPageHtml(grammar, picture({ diagnostics: [diagnostic], hoverAt: diagnostic.range.start, cursorLine: 3 }));
  assert.equal(squiggled(html), ["c"]);
  assert.match(html, /underline wavy #F14C4C/);
  assert.match(
    html,
    /<div class="part marker">`c` may be null here<br>check for null first <span class="origin">beldi\(E0201\)<\/span><\/div>/,
  );
  assert.match(html, /<span id="hover-anchor"[^>]*>c<\/span>/);
  assert.match(html, /⊗ 1/);
  // over two lines, a warning
  const wide = { ...diagnostic, severity: 2 as const, range: { start: { line: 2, character: 8 }, end: { line: 3, character: 10 } } };
  const html2 = editorPageHtml(grammar, picture({ diagnostics: [wide] }));
  assert.equal(squiggled(html2).join(""), "c = read t[&quot;&lt;k&gt;&quot;]" + "    return");
  assert.match(html2, /underline wavy #CCA700/);
  // a Markdown message (LSP 3.18)
  const markdown = { ...diagnostic, message: { kind: "markdown" as const, value: "may be **null**" } };
  const html4 = editorPageHtml(grammar, picture({ diagnostics: [markdown], hoverAt: diagnostic.range.start }));
  assert.match(html4, /<div class="part marker"><p>may be <strong>null<\/strong><\/p> <span class="origin">beldi\(E0201\)/);
  // the mouse elsewhere: the diagnostic is not in the hover
  const html3 = editorPageHtml(grammar, picture({ diagnostics: [diagnostic], hoverAt: { line: 0, character: 1 } }));
  assert.not.match(html3, /id="hover"/);
});

test("hover Markdown: beldi code blocks coloured by the grammar, inline code, bold, rules", () => {
  const html = markdownHtml(grammar, "```beldi\nlet c: Counter?\n```\n\nread from **counts**, a `table`\n\n---\n\n<b>");
  assert.match(html, /<pre class="code"><span style="color:#569CD6">let<\/span>/);
  assert.match(html, /<span style="color:#4EC9B0">Counter<\/span>/);
  assert.match(html, /<p>read from <strong>counts<\/strong>, a <code>table<\/code><\/p>/);
  assert.match(html, /<hr>/);
  assert.match(html, /<p>&lt;b&gt;<\/p>/);
  const withHover = editorPageHtml(
    grammar,
    picture({ hoverAt: { line: 3, character: 11 }, hover: { contents: { kind: "markdown", value: "```beldi\nlet c: T?\n```" } } }),
  );
  assert.match(withHover, /<div id="hover"><div class="part"><pre class="code">/);
});

test.run();
