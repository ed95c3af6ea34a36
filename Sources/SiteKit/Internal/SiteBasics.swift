import BookModel

/// The site-wide files every page relies on besides the assets: the shared chapter list (`toc.js`), the
/// favicon, the sitemap; and a page's description when its chapter has no summary.
enum SiteBasics {
    static let tocPath = "toc.js"
    static let faviconPath = "favicon.svg"
    static let sitemapPath = "sitemap.xml"
    static let notFoundPath = "404.html"

    /// The default icon: a loop arrow on the accent colour (used when book.yml names no logo).
    static let favicon = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
        + "<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#0a62c9\"/>"
        + "<path d=\"M23.5 12.5A8 8 0 1 0 24 17\" fill=\"none\" stroke=\"#fff\" stroke-width=\"3\" stroke-linecap=\"round\"/>"
        + "<path d=\"M25 7v6h-6\" fill=\"none\" stroke=\"#fff\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
        + "</svg>\n"

    /// `toc.js`: every chapter's slug, number and title once, and the code that fills the sidebar of the page
    /// it runs in (the `<nav id="sidebar">` whose `data-current` names the page's chapter, which is marked
    /// `aria-current="page"` and scrolled into view). A plain script rather than JSON to fetch, so it works
    /// from `file://`; pages load it synchronously right after the sidebar, so the list is there at first paint.
    static func tocScript(_ chapters: [Chapter]) -> String {
        var script = """
            // Loopbook: the chapter list of every page's sidebar, one file for the whole site (each page holds only
            // a link to the contents page, which is what readers without JavaScript get).
            (function () {
            "use strict";
            var chapters = [

            """
        script += chapters.map { "[\(jsString($0.slug)), \($0.number), \(jsString($0.title))]" }.joined(separator: ",\n")
        script += """

            ];
            var nav = document.getElementById("sidebar");
            if (!nav) return;
            var current = nav.getAttribute("data-current"), list = document.createElement("ol"), mark = null;
            list.className = "chapter-list";
            for (var i = 0; i < chapters.length; i++) {
              var c = chapters[i], item = document.createElement("li"), link = document.createElement("a"),
                num = document.createElement("span"), name = document.createElement("span");
              link.setAttribute("href", c[0] + ".html");
              if (c[0] === current) { link.setAttribute("aria-current", "page"); mark = link; }
              num.className = "num"; num.textContent = String(c[1]);
              name.className = "name"; name.textContent = c[2];
              link.appendChild(num); link.appendChild(name); item.appendChild(link); list.appendChild(item);
            }
            var fallback = nav.querySelector(".chapter-list");
            if (fallback) nav.replaceChild(list, fallback); else nav.appendChild(list);
            if (mark && nav.scrollHeight > nav.clientHeight) nav.scrollTop = Math.max(0, mark.offsetTop - nav.clientHeight / 2);
            })();

            """
        return script
    }

    /// `text` as a JavaScript string literal that cannot end a script element (`<` is `\u003c`) and is
    /// valid in every engine (U+2028 and U+2029 escaped).
    static func jsString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<": result += "\\u003c"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `sitemap.xml`: the index and every chapter page at the site's address (no dates: builds are
    /// byte-identical).
    static func sitemap(siteURL: String, chapters: [Chapter]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in [""] + chapters.map({ $0.slug + ".html" }) {
            xml += "<url><loc>\(HTML.escape(siteURL + Layout.urlPath(path)))</loc></url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// The longest a description is (search engines show about this much).
    static let descriptionLength = 160

    /// A description from the chapter's first words: the first section with text, whitespace collapsed,
    /// cut at a word to at most 160 characters (ending in "…" when cut). Nil when the chapter has no text.
    static func excerpt(_ sections: [SearchIndex.Section]) -> String? {
        guard let text = sections.first(where: { !$0.text.isEmpty })?.text else { return nil }
        // One pass over the start of the text, by scalars (no grapheme breaking of the whole text).
        var scalars: [Unicode.Scalar] = [], pendingSpace = false, truncated = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace { scalars.append(" "); pendingSpace = false }
            scalars.append(scalar)
            if scalars.count > descriptionLength { truncated = true; break }
        }
        func string(_ scalars: some Sequence<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(scalars)) }
        guard truncated else { return scalars.isEmpty ? nil : string(scalars) }
        var cut = Array(scalars.prefix(descriptionLength - 1))
        if scalars[descriptionLength - 1] != " ", let space = cut.lastIndex(of: " ") { cut.removeSubrange(space...) }
        while let last = cut.last, ",;:.-–—( ".unicodeScalars.contains(last) { cut.removeLast() }
        return string(cut) + "…"
    }
}
