#!/usr/bin/env python3
"""Accessibility audit of a built Loopbook site: axe-core on every page, in the light and dark themes, at a
desktop and a phone width; plus Loopbook's own layout checks at phone width.

    .build/a11y-venv/bin/python Tests/Accessibility/audit.py Site [--screenshots DIR] [--json FILE]

axe-core comes from the `axe-playwright-python` package (it bundles axe.min.js); Playwright drives Debian's
Chromium (/usr/bin/chromium) and never downloads a browser. The site is served from 127.0.0.1 on a free port.
Prints one line per violation (rule, impact, page, theme, width, elements) and a summary line
`accessibility audit: P pages, R runs, V violations`; exits 1 when there is any violation, 2 when the audit
could not run.

Loopbook's own checks (reported like axe's, with ids starting `loopbook-`):
  loopbook-page-scrolls-sideways   at a width of 600 px or less, the page is wider than the window
  loopbook-chart-overflows         a chart is wider than the column it stands in
  loopbook-chart-text-too-small    a chart's text is drawn smaller than 9 px (a tree node's details: 7.5 px)
  loopbook-toc-unreachable         a chapter has an in-page contents, but none of its links can be seen or reached
  loopbook-theme-not-applied       the page did not take the theme stored in localStorage 'loopbook-theme'
"""
import argparse
import functools
import http.server
import json
import os
import sys
import tempfile
import threading

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
WIDTHS = [1280, 400]
THEMES = ["light", "dark"]
HEIGHT = {1280: 900, 400: 860}

LAYOUT_CHECKS = r"""
(width) => {
  const found = [];
  const root = document.documentElement;
  function describe(el) {
    if (el.id) return "#" + el.id;
    let s = el.tagName.toLowerCase();
    if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
    return s;
  }
  function visible(el) {
    const r = el.getBoundingClientRect(), st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== "hidden";
  }
  if (width <= 600 && root.scrollWidth > window.innerWidth + 1) {
    const wide = [];
    document.querySelectorAll("body *").forEach(el => {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && visible(el) && wide.length < 5) {
        // Only the outermost: skip elements inside a scrolling box.
        let p = el.parentElement, clipped = false;
        while (p && p !== document.body) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
          p = p.parentElement;
        }
        if (!clipped) wide.push(describe(el) + " (right edge " + Math.round(r.right) + " px)");
      }
    });
    found.push({ id: "loopbook-page-scrolls-sideways", impact: "serious",
      help: "The page is " + root.scrollWidth + " px wide in a " + window.innerWidth + " px window", nodes: wide });
  }
  document.querySelectorAll("figure.chart > svg").forEach(svg => {
    if (!svg.classList.contains("chart-svg")) found.push({ id: "loopbook-chart-unstyled", impact: "serious",
      help: "A chart's svg lacks the class chart-svg (its colours and sizes would not apply): " + svg.getAttribute("class"), nodes: [describe(svg.parentElement)] });
    const r = svg.getBoundingClientRect(), column = svg.closest(".chart") || svg.parentElement;
    const c = column.getBoundingClientRect();
    if (r.width > c.width + 1) found.push({ id: "loopbook-chart-overflows", impact: "serious",
      help: "A chart is " + Math.round(r.width) + " px wide in a " + Math.round(c.width) + " px column", nodes: [describe(column)] });
    const view = svg.viewBox && svg.viewBox.baseVal;
    if (view && view.width > 0 && r.width > 0) {
      const scale = r.width / view.width;
      // Labels, ticks and legends at 9 px or more; a tree node's second line (its details) at 7.5 px or more.
      let smallest = Infinity, detail = Infinity;
      svg.querySelectorAll("text").forEach(t => {
        const size = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (t.classList.contains("node-detail")) detail = Math.min(detail, size); else smallest = Math.min(smallest, size);
      });
      if (smallest < 9 || detail < 7.5) found.push({ id: "loopbook-chart-text-too-small", impact: "moderate",
        help: "A chart's text is drawn at " + Math.min(smallest, detail).toFixed(1) + " px", nodes: [describe(svg.closest("figure") || svg)] });
    }
  });
  const toc = document.querySelector("#toc");
  if (toc && toc.querySelector("a[href^='#']")) {
    const reachable = Array.from(document.querySelectorAll("a[href^='#']")).some(a =>
      !a.closest(".skip-link") && !a.classList.contains("anchor") && !a.closest(".footnotes") &&
      !a.closest(".footnote-ref") && (visible(a) || visible(a.closest("details") || a)));
    if (!reachable) found.push({ id: "loopbook-toc-unreachable", impact: "serious",
      help: "The in-page contents cannot be seen or reached at " + window.innerWidth + " px", nodes: ["#toc"] });
  }
  return found;
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", help="the built site folder (Site/)")
    parser.add_argument("--screenshots", help="save a screenshot of every page, theme and width into this folder")
    parser.add_argument("--full-page", action="store_true", help="screenshots of the whole page, not the window")
    parser.add_argument("--json", help="write the violations as JSON to this file")
    parser.add_argument("--pages", help="only these pages (comma-separated file names)")
    parser.add_argument("--search", default="model", help="a query typed into the search box on the index page, "
                        "so the open results are audited too ('' for none)")
    args = parser.parse_args()

    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        print(f"error: {error}; install axe-playwright-python (make test does, into .build/a11y-venv)", file=sys.stderr)
        return 2
    if not os.access(CHROMIUM, os.X_OK):
        print(f"error: {CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2

    site = os.path.abspath(args.site)
    pages = sorted(name for name in os.listdir(site) if name.endswith(".html"))
    if args.pages:
        pages = [p for p in pages if p in args.pages.split(",")]
    if not pages:
        print(f"error: no pages in {site}", file=sys.stderr)
        return 2
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    axe = Axe()
    violations = []
    runs = 0

    def record(found, page, theme, width, state=""):
        for v in found:
            nodes = v["nodes"]
            targets = [n if isinstance(n, str) else " ".join(str(t) for t in n.get("target", [])) for n in nodes]
            violations.append({"id": v["id"], "impact": v.get("impact"), "help": v["help"], "page": page + state,
                               "theme": theme, "width": width, "nodes": targets,
                               "summary": [n.get("failureSummary", "").replace("\n", " ")
                                           for n in nodes if isinstance(n, dict)][:3]})

    with tempfile.TemporaryDirectory(prefix="loopbook-a11y-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]}, reduced_motion="reduce")
        page = context.new_page()
        page.on("pageerror", lambda error: violations.append({
            "id": "loopbook-script-error", "impact": "critical", "help": str(error), "page": page.url,
            "theme": "", "width": 0, "nodes": [], "summary": []}))
        for theme in THEMES:
            # Every page load takes the theme a reader stored (site.js and the head script read it).
            page.goto(base + pages[0])
            page.evaluate("t => localStorage.setItem('loopbook-theme', t)", theme)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT[width]})
                for name in pages:
                    page.goto(base + name, wait_until="load")
                    runs += 1
                    applied = page.evaluate("document.documentElement.dataset.theme")
                    if applied != theme:
                        record([{"id": "loopbook-theme-not-applied", "impact": "serious",
                                 "help": f"data-theme is {applied!r}", "nodes": []}], name, theme, width)
                    record(axe.run(page).response["violations"], name, theme, width)
                    record(page.evaluate(LAYOUT_CHECKS, width), name, theme, width)
                    if args.screenshots:
                        shot = os.path.join(args.screenshots, f"{name[:-5]}-{theme}-{width}.png")
                        page.screenshot(path=shot, full_page=args.full_page)
                # The search box with its results open.
                if args.search and "index.html" in pages:
                    page.goto(base + "index.html", wait_until="load")
                    page.fill("#search-input", args.search)
                    page.wait_for_selector("#search-results:not([hidden])", timeout=5000)
                    runs += 1
                    record(axe.run(page).response["violations"], "index.html", theme, width, f" (search '{args.search}')")
                    if args.screenshots:
                        page.screenshot(path=os.path.join(args.screenshots, f"search-{theme}-{width}.png"))
        context.close()
    server.shutdown()

    for v in violations:
        print(f"violation: {v['id']} ({v['impact']}) on {v['page']} [{v['theme']}, {v['width']} px]: {v['help']}")
        for target in v["nodes"][:8]:
            print(f"    {target}")
        if len(v["nodes"]) > 8:
            print(f"    … and {len(v['nodes']) - 8} more")
        for line in v["summary"][:1]:
            print(f"    {line[:300]}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(violations, f, indent=1)
    print(f"accessibility audit: {len(pages)} pages, {runs} runs ({', '.join(THEMES)}; "
          f"{', '.join(str(w) + ' px' for w in WIDTHS)}), {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
