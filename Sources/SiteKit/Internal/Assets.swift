import BookModel
/// The site's stylesheet and script, shipped inside the binary (no web fonts, no external requests).
enum Assets {
    static let css = #"""
/* Loopbook: system fonts, light and dark themes from CSS variables, charts styled by class. */
:root {
  color-scheme: light;
  --bg: #ffffff; --bg-soft: #f6f7f9; --bg-raised: #ffffff; --fg: #1d2125; --fg-muted: #5b6570;
  --border: #dde2e8; --accent: #0a62c9; --accent-soft: #e8f1fc; --mark: #fff1a8;
  --code-bg: #f6f8fa; --code-fg: #1f2328; --k: #b3186d; --t: #6639ba; --s: #1a7f37; --n: #0550ae;
  --c: #6e7781; --a: #953800;
  --out-bg: #fbfbfc; --err-fg: #a4161a; --err-bg: #fff4f4; --err-border: #f0b8b8;
  --note: #0969da; --tip: #1a7f37; --important: #8250df; --warning: #9a6700; --caution: #cf222e;
  --series-1: #2563b8; --series-2: #e07a1f; --series-3: #2f8a4e; --series-4: #c9383a;
  --series-5: #7553c4; --series-6: #8c5a2b; --series-7: #d14d99; --series-8: #5d6b79;
  --heat: #2563b8; --grid: #e6e9ee; --axis: #9aa4ae; --marker: #4a5561;
  --font: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
:root[data-theme="dark"] {
  color-scheme: dark;
  --bg: #15181c; --bg-soft: #1b1f24; --bg-raised: #20252b; --fg: #e3e7eb; --fg-muted: #9aa5b1;
  --border: #2f363e; --accent: #6cb0ff; --accent-soft: #1c2b3d; --mark: #6b5800;
  --code-bg: #1c2127; --code-fg: #dfe4ea; --k: #ff7ab2; --t: #c9a6ff; --s: #7ee08f; --n: #79c0ff;
  --c: #8b949e; --a: #ffa657;
  --out-bg: #181c21; --err-fg: #ff9a9a; --err-bg: #2a1719; --err-border: #6b2a2e;
  --note: #4493f8; --tip: #3fb950; --important: #ab7df8; --warning: #d29922; --caution: #f85149;
  --series-1: #6aa8ff; --series-2: #ffab5e; --series-3: #6fd08c; --series-4: #ff7b7b;
  --series-5: #b99aff; --series-6: #d7a574; --series-7: #ff8fcf; --series-8: #a3b1bf;
  --heat: #4d94ff; --grid: #2a3037; --axis: #59636d; --marker: #b4bec8;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; scroll-padding-top: 4.5rem; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.65 var(--font); }
a { color: var(--accent); text-underline-offset: 0.18em; }
a:hover { text-decoration-thickness: 2px; }
.skip-link { position: absolute; left: -999px; top: 0.5rem; background: var(--bg-raised); padding: 0.5rem 1rem; z-index: 30; }
.skip-link:focus { left: 0.5rem; }

/* Top bar */
.topbar { position: sticky; top: 0; z-index: 20; display: flex; align-items: center; gap: 0.75rem;
  height: 3.5rem; padding: 0 1rem; background: var(--bg); border-bottom: 1px solid var(--border); }
.book-title { font-weight: 650; color: var(--fg); text-decoration: none; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; min-width: 0; }
.icon-button { display: inline-grid; place-items: center; width: 2.25rem; height: 2.25rem; padding: 0; flex: none;
  border: 1px solid transparent; border-radius: 8px; background: none; color: var(--fg-muted); cursor: pointer; }
.icon-button:hover { background: var(--bg-soft); color: var(--fg); border-color: var(--border); }
.icon-button svg { stroke: currentColor; stroke-width: 2; fill: none; stroke-linecap: round; }
.icon-button .half { fill: currentColor; stroke: none; }
.menu-button { display: none; }
.search { position: relative; margin-left: auto; width: min(22rem, 40vw); }
.search input { width: 100%; height: 2.25rem; padding: 0 0.75rem; font: inherit; font-size: 0.9rem; color: var(--fg);
  background: var(--bg-soft); border: 1px solid var(--border); border-radius: 8px; }
.search input:focus { outline: 2px solid var(--accent); outline-offset: -1px; background: var(--bg); }
.search-results { position: absolute; right: 0; top: 2.75rem; width: min(30rem, 92vw); max-height: 70vh; overflow: auto;
  background: var(--bg-raised); border: 1px solid var(--border); border-radius: 10px;
  box-shadow: 0 12px 32px rgba(0, 0, 0, 0.18); padding: 0.35rem; }
.search-results a { display: block; padding: 0.5rem 0.65rem; border-radius: 7px; color: var(--fg); text-decoration: none; }
.search-results a:hover, .search-results a:focus { background: var(--accent-soft); outline: none; }
.search-results .where { display: block; font-weight: 600; font-size: 0.9rem; }
.search-results .snippet { display: block; font-size: 0.82rem; color: var(--fg-muted); line-height: 1.45; }
.search-results mark { background: var(--mark); color: inherit; border-radius: 2px; }
.search-results .empty { padding: 0.6rem 0.7rem; color: var(--fg-muted); font-size: 0.9rem; }

/* Layout */
.layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr) 14rem; align-items: start; }
.sidebar { position: sticky; top: 3.5rem; height: calc(100vh - 3.5rem); overflow-y: auto; padding: 1.25rem 0.75rem 2rem;
  border-right: 1px solid var(--border); background: var(--bg-soft); font-size: 0.92rem; }
.chapter-list { list-style: none; margin: 0; padding: 0; }
.chapter-list a { display: flex; gap: 0.6rem; padding: 0.4rem 0.6rem; border-radius: 7px; color: var(--fg); text-decoration: none; line-height: 1.4; }
.chapter-list a:hover { background: var(--bg-raised); }
.chapter-list a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.chapter-list .num, .contents .num { flex: none; min-width: 1.4rem; color: var(--fg-muted); font-variant-numeric: tabular-nums; text-align: right; }
.chapter-list a[aria-current="page"] .num { color: var(--accent); }
.content { min-width: 0; padding: 2rem 2.5rem 4rem; }
.content > article, .content > .pager { max-width: 46rem; margin-left: auto; margin-right: auto; }
.toc { position: sticky; top: 3.5rem; max-height: calc(100vh - 3.5rem); overflow-y: auto; padding: 2.25rem 1rem 2rem 0; font-size: 0.85rem; }
.toc-title { margin: 0 0 0.5rem; font-weight: 650; font-size: 0.75rem; letter-spacing: 0.06em; text-transform: uppercase; color: var(--fg-muted); }
.toc ul { list-style: none; margin: 0; padding: 0; border-left: 1px solid var(--border); }
.toc a { display: block; padding: 0.2rem 0 0.2rem 0.8rem; margin-left: -1px; border-left: 2px solid transparent; color: var(--fg-muted); text-decoration: none; line-height: 1.4; }
.toc .l3 a { padding-left: 1.6rem; }
.toc a:hover { color: var(--fg); }
.toc a.active { color: var(--accent); border-left-color: var(--accent); }

/* Prose */
h1, h2, h3, h4 { position: relative; line-height: 1.25; letter-spacing: -0.01em; }
h1 { font-size: 2.1rem; margin: 0.2rem 0 1.2rem; font-weight: 700; }
h2 { font-size: 1.5rem; margin: 2.4rem 0 0.8rem; padding-top: 0.4rem; font-weight: 650; }
h3 { font-size: 1.2rem; margin: 1.8rem 0 0.6rem; font-weight: 650; }
.anchor { position: absolute; left: -1.2em; width: 1.2em; text-decoration: none; color: var(--fg-muted); opacity: 0; }
.anchor::before { content: "#"; }
h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor, .anchor:focus-visible { opacity: 1; }
.anchor:focus:not(:focus-visible) { outline: none; }
.eyebrow { margin: 0; font-size: 0.8rem; font-weight: 650; letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); }
p, ul, ol, blockquote, table { margin: 0 0 1.1rem; }
li + li { margin-top: 0.25rem; }
blockquote { margin-left: 0; padding: 0.1rem 1rem; border-left: 3px solid var(--border); color: var(--fg-muted); }
hr { border: 0; border-top: 1px solid var(--border); margin: 2rem 0; }
img { max-width: 100%; }
code { font-family: var(--mono); font-size: 0.86em; }
:not(pre) > code { padding: 0.12em 0.35em; border-radius: 5px; background: var(--code-bg); border: 1px solid var(--border); }

/* Code blocks */
.code-block { margin: 0 0 1.1rem; border: 1px solid var(--border); border-radius: 10px; background: var(--code-bg); overflow: hidden; }
.code-head { display: flex; align-items: center; gap: 0.5rem; padding: 0.2rem 0.35rem 0.2rem 0.9rem; font-size: 0.75rem;
  color: var(--fg-muted); border-bottom: 1px solid var(--border); }
.code-head .lang { font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; }
.badge { padding: 0.05rem 0.5rem; border-radius: 999px; border: 1px solid var(--border); background: var(--bg); font-size: 0.72rem; }
.badge.expect { color: var(--warning); border-color: currentColor; }
.copy { margin-left: auto; padding: 0.2rem 0.6rem; font: inherit; color: var(--fg-muted); background: none;
  border: 1px solid transparent; border-radius: 6px; cursor: pointer; }
.copy:hover, .copy:focus-visible { color: var(--fg); border-color: var(--border); background: var(--bg); }
pre { margin: 0; overflow-x: auto; font-family: var(--mono); font-size: 0.84rem; line-height: 1.55; tab-size: 4; }
pre.code { padding: 0.85rem 1rem; color: var(--code-fg); }
pre code { font-size: inherit; }
.code .k { color: var(--k); font-weight: 600; }
.code .t { color: var(--t); }
.code .s { color: var(--s); }
.code .n { color: var(--n); }
.code .c { color: var(--c); font-style: italic; }
.code .a { color: var(--a); }
.step { margin: 1.4rem 0; }
.step > .code-block { margin-bottom: 0; }
.outputs { margin: 0.5rem 0 0; display: grid; gap: 0.6rem; }
.outputs > * { margin: 0; }
.output { padding: 0.65rem 1rem; border: 1px solid var(--border); border-left: 3px solid var(--axis); border-radius: 8px;
  background: var(--out-bg); white-space: pre; }
.output.stderr { border-left-color: var(--warning); color: var(--fg); background: var(--bg-soft); }
.output.stderr::before { content: "stderr"; display: block; font: 600 0.7rem var(--font); letter-spacing: 0.06em;
  text-transform: uppercase; color: var(--warning); margin-bottom: 0.2rem; }
.output-note, .table-note { font-size: 0.85rem; color: var(--fg-muted); }
.table-note { margin-top: -0.4rem; }
.error-box { border: 1px solid var(--err-border); border-left: 4px solid var(--caution); border-radius: 8px; background: var(--err-bg);
  padding: 0.6rem 1rem; color: var(--err-fg); }
.error-box.expected { border-color: color-mix(in srgb, var(--warning) 40%, var(--bg)); border-left-color: var(--warning);
  background: color-mix(in srgb, var(--warning) 7%, var(--bg)); color: var(--warning); }
.step > .error-box { margin-top: 0.5rem; }
.error-title { margin: 0 0 0.3rem; font-weight: 650; font-size: 0.9rem; }
.error-box pre { white-space: pre-wrap; color: var(--fg); }
.download a { font-weight: 600; }
.download a::before, .downloads a::before { content: "↓ "; }
.size, .missing { color: var(--fg-muted); font-size: 0.9em; }
.downloads { margin: 2rem 0; padding: 0.8rem 1rem; border: 1px solid var(--border); border-radius: 10px; }
.downloads-title { margin: 0 0 0.3rem; font-weight: 650; }
.downloads ul { margin: 0; padding-left: 1.1rem; }

/* Figures and diagrams written in the chapters */
figure { margin: 1.5rem 0; }
figure > svg, figure > img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.diagram figcaption, figure > figcaption { margin-top: 0.5rem; font-size: 0.9rem; color: var(--fg-muted); text-align: center; }

/* Tables */
.table-wrap { overflow-x: auto; margin: 0 0 1.1rem; }
.outputs .table-wrap { margin: 0; }
table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; color: var(--fg); }
th, td { padding: 0.35rem 0.75rem; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
th { font-weight: 650; border-bottom: 2px solid var(--border); background: var(--bg-soft); vertical-align: bottom; }
td.num, th.num { text-align: right; }
/* Output tables stay compact: cells keep to one line, except text columns marked for wrapping. */
table.data td { white-space: nowrap; }
table.data td.wrap { white-space: normal; min-width: 12rem; }
/* Tables written in prose wrap their text; long code breaks rather than pushing the page sideways. */
.prose-table td, .prose-table th { min-width: 6rem; }
.prose-table td code { overflow-wrap: break-word; }
tbody tr:hover { background: var(--bg-soft); }

/* Metrics */
.metrics { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.75rem; }
.metric { margin: 0; min-width: 9rem; padding: 0.7rem 1rem; border: 1px solid var(--border); border-radius: 10px; background: var(--bg-soft); }
.metric figcaption { margin: 0; text-align: left; font-size: 0.78rem; color: var(--fg-muted); font-weight: 600; letter-spacing: 0.03em; }
.metric-value { margin: 0.1rem 0 0; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.metric-detail { margin: 0.2rem 0 0; font-size: 0.8rem; color: var(--fg-muted); }

/* Callouts */
.callout { --tone: var(--note); margin: 0 0 1.1rem; padding: 0.6rem 1rem; border-left: 4px solid var(--tone); border-radius: 8px;
  background: color-mix(in srgb, var(--tone) 8%, var(--bg)); }
.callout > :last-child { margin-bottom: 0; }
.callout-title { margin: 0 0 0.25rem; font-weight: 700; color: var(--tone); font-size: 0.92rem; }
.callout.tip { --tone: var(--tip); }
.callout.important { --tone: var(--important); }
.callout.warning { --tone: var(--warning); }
.callout.caution { --tone: var(--caution); }

/* Charts */
.chart { margin: 0; padding: 0.8rem 1rem 0.6rem; border: 1px solid var(--border); border-radius: 10px; background: var(--bg-raised); }
.chart figcaption { margin: 0 0 0.4rem; font-weight: 650; font-size: 0.95rem; color: var(--fg); text-align: left; }
.chart-svg { display: block; max-width: 100%; height: auto; margin: 0 auto; font-family: var(--font); }
.chart-svg text { fill: var(--fg-muted); font-size: 12px; }
.chart-svg .legend { fill: var(--fg); }
.chart-svg .label { fill: var(--fg); font-weight: 600; }
.chart-svg .grid { stroke: var(--grid); }
.chart-svg .axis { stroke: var(--axis); }
.chart-svg .s1 { --c: var(--series-1); } .chart-svg .s2 { --c: var(--series-2); }
.chart-svg .s3 { --c: var(--series-3); } .chart-svg .s4 { --c: var(--series-4); }
.chart-svg .s5 { --c: var(--series-5); } .chart-svg .s6 { --c: var(--series-6); }
.chart-svg .s7 { --c: var(--series-7); } .chart-svg .s8 { --c: var(--series-8); }
.chart-svg .line { fill: none; stroke: var(--c); stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
.chart-svg .band { fill: var(--c); opacity: 0.16; }
.chart-svg .bar, .chart-svg .swatch, .chart-svg .dot { fill: var(--c); }
.chart-svg .dot { stroke: var(--bg-raised); stroke-width: 0.8; }
.chart-svg .dot.hl { stroke: var(--fg); stroke-width: 2; }
.chart-svg circle.dot.hl:not([class*=" s"]) { fill: none; }
.chart-svg .bar:hover, .chart-svg .dot:hover { opacity: 0.8; }
.chart-svg .marker { stroke: var(--marker); stroke-width: 1.5; stroke-dasharray: 5 4; }
.chart-svg .marker-label { fill: var(--marker); font-weight: 600; }
.chart-svg .cell { fill: var(--heat); }
.chart-svg .count { fill: var(--fg); font-weight: 600; font-variant-numeric: tabular-nums; }
.chart-svg .count.on { fill: #fff; }
.chart-svg .edge { fill: none; stroke: var(--axis); stroke-width: 1.5; }
.chart-svg .edge.cut { stroke-dasharray: 3 3; }
.chart-svg .node { fill: var(--bg-soft); stroke: var(--axis); }
.chart-svg .node.leaf { fill: var(--accent-soft); stroke: var(--accent); }
.chart-svg .node-label { fill: var(--fg); font-weight: 600; text-anchor: middle; }
.chart-svg .node-detail { font-size: 10px; text-anchor: middle; }
.chart-data { margin-top: 0.4rem; font-size: 0.88rem; }
.chart-data summary { cursor: pointer; color: var(--fg-muted); }
.chart-data .table-wrap { margin: 0.5rem 0 0.2rem; max-height: 22rem; overflow: auto; }

/* Pager */
.pager { display: flex; gap: 1rem; margin-top: 3rem; padding-top: 1.5rem; border-top: 1px solid var(--border); }
.pager a { flex: 1 1 0; max-width: calc(50% - 0.5rem); display: flex; flex-direction: column; padding: 0.75rem 1rem; border: 1px solid var(--border);
  border-radius: 10px; text-decoration: none; color: var(--fg); }
.pager a:hover { border-color: var(--accent); }
.pager .next { text-align: right; margin-left: auto; }
.pager .dir { font-size: 0.8rem; color: var(--fg-muted); }
.pager .name { font-weight: 600; color: var(--accent); }

/* Index page */
.home .layout { grid-template-columns: 17rem minmax(0, 1fr); }
.hero { margin: 1.5rem 0 2rem; }
.hero h1 { font-size: 2.6rem; margin-bottom: 0.5rem; }
.subtitle { font-size: 1.25rem; color: var(--fg-muted); margin: 0; }
.author { margin: 0.75rem 0 0; font-size: 0.95rem; color: var(--fg-muted); }
.contents-title { margin-top: 2rem; }
.contents { list-style: none; padding: 0; display: grid; gap: 0.6rem; }
.contents li + li { margin-top: 0; }
.contents a { display: flex; gap: 0.9rem; padding: 0.9rem 1.1rem; border: 1px solid var(--border); border-radius: 12px;
  color: var(--fg); text-decoration: none; }
.contents a:hover { border-color: var(--accent); background: var(--bg-soft); }
.contents .num { font-size: 1.2rem; font-weight: 700; color: var(--accent); min-width: 1.6rem; }
.contents .text { display: flex; flex-direction: column; }
.contents .name { font-weight: 650; font-size: 1.08rem; }
.contents .summary { color: var(--fg-muted); font-size: 0.95rem; }

/* Narrower screens */
@media (max-width: 1180px) {
  .layout, .home .layout { grid-template-columns: 15.5rem minmax(0, 1fr); }
  .toc { display: none; }
}
@media (max-width: 860px) {
  body { font-size: 16.5px; }
  .layout, .home .layout { display: block; }
  .menu-button { display: inline-grid; }
  .sidebar { position: fixed; z-index: 15; top: 3.5rem; left: 0; width: min(20rem, 86vw); height: calc(100vh - 3.5rem);
    transform: translateX(-105%); transition: transform 0.2s ease; box-shadow: 0 10px 30px rgba(0, 0, 0, 0.2); visibility: hidden; }
  .nav-open .sidebar { transform: none; visibility: visible; }
  .nav-open .layout::before { content: ""; position: fixed; inset: 3.5rem 0 0; background: rgba(0, 0, 0, 0.35); z-index: 14; }
  .content { padding: 1.25rem 1rem 3rem; }
  h1 { font-size: 1.75rem; }
  .hero h1 { font-size: 2rem; }
  .search { width: auto; flex: 1 1 auto; min-width: 6rem; }
  .anchor { display: none; }
  .pager { flex-direction: column; }
  .pager a { max-width: none; }
  .pager .next { margin-left: 0; }
}
@media (max-width: 600px) {
  .prose-table td code { overflow-wrap: anywhere; }
  .chart { padding: 0.6rem 0.5rem 0.5rem; overflow-x: auto; }
  .chart-svg[width="600"] { min-width: 500px; }
}
@media (prefers-reduced-motion: reduce) { .sidebar { transition: none; } }

/* Print: the article only, black on white */
@media print {
  :root { --bg: #fff; --bg-soft: #fff; --bg-raised: #fff; --fg: #000; --code-bg: #f6f6f6; }
  .topbar, .sidebar, .toc, .pager, .copy, .skip-link, .anchor { display: none !important; }
  .layout, .home .layout { display: block; }
  .content { padding: 0; }
  .content > article { max-width: none; }
  body { font-size: 11pt; }
  pre, .output { white-space: pre-wrap; }
  .step, .chart, .metric, table { break-inside: avoid; }
  a { color: inherit; }
  .chart-data { display: none; }
}
"""#

    static let javascript = #"""
// Loopbook: theme toggle, chapter menu, keyboard navigation, copy buttons, TOC highlight, search (also ?q=word).
(function () {
  "use strict";
  var d = document, root = d.documentElement;

  function stored() { try { return localStorage.getItem("loopbook-theme"); } catch (e) { return null; } }
  function setTheme(theme, remember) {
    root.dataset.theme = theme;
    if (remember) { try { localStorage.setItem("loopbook-theme", theme); } catch (e) {} }
  }
  var toggle = d.getElementById("theme-toggle");
  if (toggle) toggle.addEventListener("click", function () { setTheme(root.dataset.theme === "dark" ? "light" : "dark", true); });
  var media = window.matchMedia ? matchMedia("(prefers-color-scheme: dark)") : null;
  if (media && media.addEventListener) media.addEventListener("change", function (e) { if (!stored()) setTheme(e.matches ? "dark" : "light", false); });

  var menu = d.querySelector(".menu-button");
  function setMenu(open) { d.body.classList.toggle("nav-open", open); if (menu) menu.setAttribute("aria-expanded", String(open)); }
  if (menu) menu.addEventListener("click", function () { setMenu(!d.body.classList.contains("nav-open")); });
  d.addEventListener("click", function (e) {
    if (d.body.classList.contains("nav-open") && !e.target.closest(".sidebar") && !e.target.closest(".menu-button")) setMenu(false);
  });

  var input = d.getElementById("search-input"), box = d.getElementById("search-results");
  d.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { setMenu(false); hideResults(); return; }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/" && input) { e.preventDefault(); input.focus(); return; }
    if (e.shiftKey) return;
    var link = e.key === "ArrowLeft" ? d.querySelector("a[rel=prev]") : e.key === "ArrowRight" ? d.querySelector("a[rel=next]") : null;
    if (link) { e.preventDefault(); location.href = link.href; }
  });

  d.querySelectorAll(".copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = button.closest(".code-block").querySelector("code").textContent;
      function done() { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
      function fallback() {
        var area = d.createElement("textarea");
        area.value = code; area.style.position = "fixed"; area.style.opacity = "0";
        d.body.appendChild(area); area.select();
        try { d.execCommand("copy"); done(); } catch (e) {}
        area.remove();
      }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code).then(done, fallback); else fallback();
    });
  });

  var tocLinks = d.querySelectorAll(".toc a");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var a = byId[entry.target.dataset.anchor];
        if (!a) return;
        tocLinks.forEach(function (l) { l.classList.remove("active"); });
        a.classList.add("active");
      });
    }, { rootMargin: "-56px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) {
      var anchor = d.getElementById(id);
      var heading = anchor && anchor.parentElement;
      if (heading) { heading.dataset.anchor = id; observer.observe(heading); }
    });
  }

  // Search: search-index.json over http(s); search-index.js (sets LOOPBOOK_SEARCH) from file:// or if fetch fails.
  if (!input || !box) return;
  var index = null, waiting = [];
  function load(ready) {
    if (index) return ready();
    waiting.push(ready);
    if (waiting.length > 1) return;
    function loaded(data) { index = data || { chapters: [] }; waiting.splice(0).forEach(function (f) { f(); }); }
    function viaScript() {
      if (window.LOOPBOOK_SEARCH) return loaded(window.LOOPBOOK_SEARCH);
      var s = d.createElement("script");
      s.src = "search-index.js";
      s.onload = function () { loaded(window.LOOPBOOK_SEARCH); };
      s.onerror = function () { loaded(null); };
      d.head.appendChild(s);
    }
    if (location.protocol === "file:" || !window.fetch) return viaScript();
    fetch("search-index.json").then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }).then(loaded, viaScript);
  }
  function hideResults() { box.hidden = true; }
  function snippet(text, words) {
    var lower = text.toLowerCase(), at = -1, word = "";
    words.forEach(function (w) { var i = lower.indexOf(w); if (i >= 0 && (at < 0 || i < at)) { at = i; word = w; } });
    var span = d.createElement("span");
    span.className = "snippet";
    if (at < 0) { span.textContent = text.slice(0, 110) + (text.length > 110 ? "…" : ""); return span; }
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + word.length + 70);
    span.appendChild(d.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = d.createElement("mark");
    mark.textContent = text.slice(at, at + word.length);
    span.appendChild(mark);
    span.appendChild(d.createTextNode(text.slice(at + word.length, end) + (end < text.length ? "…" : "")));
    return span;
  }
  function run() {
    var query = input.value.trim().toLowerCase();
    if (!query) return hideResults();
    var words = query.split(/\s+/), results = [];
    index.chapters.forEach(function (chapter) {
      chapter.sections.forEach(function (section, order) {
        var heading = section.heading.toLowerCase(), text = section.text.toLowerCase(), score = 0;
        for (var i = 0; i < words.length; i++) {
          if (heading.indexOf(words[i]) >= 0) score += 3;
          else if (text.indexOf(words[i]) >= 0) score += 1;
          else return;
        }
        results.push({ chapter: chapter, section: section, score: score, order: results.length });
      });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    box.textContent = "";
    results.slice(0, 10).forEach(function (r) {
      var a = d.createElement("a");
      a.href = r.chapter.slug + ".html" + (r.section.id ? "#" + r.section.id : "");
      var where = d.createElement("span");
      where.className = "where";
      where.textContent = r.chapter.number + ". " + r.chapter.title + (r.section.id && r.section.heading !== r.chapter.title ? " › " + r.section.heading : "");
      a.appendChild(where);
      a.appendChild(snippet(r.section.text, words));
      box.appendChild(a);
    });
    if (!results.length) {
      var empty = d.createElement("div");
      empty.className = "empty";
      empty.textContent = "No results for “" + input.value.trim() + "”";
      box.appendChild(empty);
    }
    box.hidden = false;
  }
  input.addEventListener("input", function () { load(run); });
  input.addEventListener("focus", function () { load(function () { if (input.value.trim()) run(); }); });
  input.addEventListener("keydown", function (e) {
    var first = box.querySelector("a");
    if (e.key === "Enter" && first) { location.href = first.href; }
    else if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  box.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(box.querySelectorAll("a")), i = links.indexOf(d.activeElement);
    if (e.key === "ArrowDown" && i >= 0 && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
  });
  d.addEventListener("click", function (e) { if (!e.target.closest(".search")) hideResults(); });

  // A search in the address: page.html?q=word or page.html#search=word fills the box and shows results.
  function queryInURL() {
    var q = null;
    try { q = new URLSearchParams(location.search).get("q"); } catch (e) {}
    if (!q && location.hash.indexOf("#search=") === 0) {
      try { q = decodeURIComponent(location.hash.slice(8).replace(/\+/g, " ")); } catch (e) {}
    }
    return q && q.trim() ? q : null;
  }
  function searchFromURL() {
    var q = queryInURL();
    if (!q) return;
    input.value = q;
    load(run);
  }
  searchFromURL();
  window.addEventListener("hashchange", searchFromURL);
})();
"""#
}
