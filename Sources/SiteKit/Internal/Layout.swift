import BookModel

/// The page shell shared by the index, chapter and 404 pages: head, top bar, sidebar, main, TOC, script.
struct Layout {
    let book: BookInfo
    let chapters: [Chapter]

    /// Ids the shell itself uses; prose headings never take them.
    static let reservedIDs: Set<String> = [
        "main", "sidebar", "search", "search-input", "search-results", "theme-toggle", "toc", "downloads", "contents",
    ]

    /// The inline head script that sets the theme before first paint (no flash of the wrong theme).
    static let themeScript = "<script>try{var t=localStorage.getItem(\"loopbook-theme\");"
        + "document.documentElement.dataset.theme=t===\"dark\"||t===\"light\"?t:"
        + "(matchMedia(\"(prefers-color-scheme: dark)\").matches?\"dark\":\"light\")}catch(e){}</script>"

    static let menuIcon = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\"><path d=\"M4 6h16M4 12h16M4 18h16\"/></svg>"
    static let themeIcon = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\"><circle cx=\"12\" cy=\"12\" r=\"8\"/><path class=\"half\" d=\"M12 4a8 8 0 0 1 0 16z\"/></svg>"

    static let printIcon = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\"><path d=\"M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z\"/></svg>"

    /// What a page says about itself in its head: titles, description, address, Open Graph type.
    struct Head {
        /// The `<title>`, e.g. "The data · Feedback Loops".
        var title: String
        /// The page's own title, for `og:title`, e.g. "The data".
        var shortTitle: String
        var description: String?
        /// The page's path in the site ("" for the index), for `og:url`; nil for a page without an address.
        var path: String?
        /// `og:type` ("website", "article"); nil for no Open Graph tags (the 404 page).
        var type: String?
        /// The 404 page: not indexed, and with `<base>` at the site's address when it is known, so its
        /// links and assets work at any missing path.
        var notFound = false
        /// The page shows formulas: it links KaTeX's stylesheet.
        var math = false
        /// The `<body>` class; nil for "home" (no chapter shown) or "chapter".
        var bodyClass: String?
        /// Asks search engines not to index the page (the print page, whose chapters have pages of their own).
        var noIndex = false
    }

    /// A whole page. `current` is the index of the chapter shown (nil for the index and 404 pages).
    func page(_ head: Head, current: Int?, main: String, toc: String) -> String {
        var html = "<!doctype html>\n<html lang=\"\(HTML.escape(book.language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        if head.notFound, let base = book.siteURL { html += "<base href=\"\(HTML.escape(base))\">\n" }
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(HTML.escape(head.title))</title>\n"
        let description = head.description.flatMap { text -> String? in
            let oneLine = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
            return oneLine.isEmpty ? nil : HTML.escape(oneLine)
        }
        if let description { html += "<meta name=\"description\" content=\"\(description)\">\n" }
        if head.notFound || head.noIndex { html += "<meta name=\"robots\" content=\"noindex\">\n" }
        if let type = head.type {
            html += "<meta property=\"og:title\" content=\"\(HTML.escape(head.shortTitle))\">\n"
            if let description { html += "<meta property=\"og:description\" content=\"\(description)\">\n" }
            html += "<meta property=\"og:type\" content=\"\(type)\">\n"
            html += "<meta property=\"og:site_name\" content=\"\(HTML.escape(book.title))\">\n"
            if let site = book.siteURL, let path = head.path {
                html += "<meta property=\"og:url\" content=\"\(HTML.escape(site + Self.urlPath(path)))\">\n"
                if let logo = book.logo {
                    html += "<meta property=\"og:image\" content=\"\(HTML.escape(site + Self.urlPath(logo)))\">\n"
                }
            }
        }
        if let logo = book.logo {
            html += "<link rel=\"icon\" href=\"\(HTML.escape(Self.urlPath(logo)))\">\n"
        } else {
            html += "<link rel=\"icon\" href=\"\(SiteBasics.faviconPath)\" type=\"image/svg+xml\">\n"
        }
        html += Self.themeScript + "\n"
        if head.math { html += "<link rel=\"stylesheet\" href=\"\(MathRenderer.stylesheetPath)\">\n" }
        html += "<link rel=\"stylesheet\" href=\"assets/style.css\">\n</head>\n"
        html += "<body class=\"\(head.bodyClass ?? (current == nil ? "home" : "chapter"))\">\n"
        html += "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n"
        html += "<header class=\"topbar\">\n"
        html += "<button class=\"icon-button menu-button\" type=\"button\" aria-controls=\"sidebar\" aria-expanded=\"false\" aria-label=\"Show chapters\">\(Self.menuIcon)</button>\n"
        html += "<a class=\"book-title\" href=\"index.html\">"
        if let logo = book.logo {
            // Decorative: the link's text is the title. The size attributes keep the bar steady while it loads.
            html += "<img class=\"logo\" src=\"\(HTML.escape(Self.urlPath(logo)))\" alt=\"\" width=\"28\" height=\"28\">"
        }
        html += "\(HTML.escape(book.title))</a>\n"
        html += "<div class=\"search\" id=\"search\" role=\"search\">"
        html += "<input id=\"search-input\" type=\"search\" placeholder=\"Search\" aria-label=\"Search the book\" autocomplete=\"off\" spellcheck=\"false\">"
        html += "<div id=\"search-results\" class=\"search-results\" hidden></div></div>\n"
        if book.print {
            // mdBook's print icon: the whole book on one page (print.html), to print or save as PDF.
            html += "<a class=\"icon-button print-button\" href=\"\(PrintPage.path)\" title=\"Print this book\" aria-label=\"Print this book\">\(Self.printIcon)</a>\n"
        }
        html += "<button class=\"icon-button theme-button\" id=\"theme-toggle\" type=\"button\" aria-label=\"Switch between light and dark theme\">\(Self.themeIcon)</button>\n"
        html += "</header>\n<div class=\"layout\">\n"
        html += sidebar(current: current.map { chapters[$0].slug })
        html += "<main id=\"main\" class=\"content\">\n" + main + "</main>\n"
        html += toc
        html += "</div>\n<script src=\"assets/site.js\"></script>\n</body>\n</html>\n"
        return html
    }

    /// The sidebar: a link to the contents page, which `toc.js` (one file for the whole site) replaces with
    /// the list of chapters, the current one marked. Pages stay the size of their own content, and
    /// without JavaScript the contents page still leads everywhere.
    func sidebar(current: String?) -> String {
        var html = "<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Chapters\""
        if let current { html += " data-current=\"\(HTML.escape(current))\"" }
        html += ">\n<ul class=\"chapter-list\"><li><a href=\"index.html#contents\"><span class=\"name\">All chapters</span></a></li></ul>\n"
        html += "</nav>\n<script src=\"\(SiteBasics.tocPath)\"></script>\n"
        return html
    }

    /// A relative path as a URL path: each segment percent-encoded (RFC 3986 unreserved bytes kept).
    static func urlPath(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// The in-page table of contents for level 2 and 3 headings.
    static func toc(_ headings: [TOCEntry]) -> String {
        let shown = headings.filter { $0.level == 2 || $0.level == 3 }
        guard !shown.isEmpty else { return "" }
        var html = "<aside class=\"toc\" id=\"toc\" aria-label=\"On this page\">\n<p class=\"toc-title\">On this page</p>\n<ul>\n"
        for heading in shown {
            html += "<li class=\"l\(heading.level)\"><a href=\"#\(HTML.escape(heading.id))\">\(HTML.escape(heading.text))</a></li>\n"
        }
        html += "</ul>\n</aside>\n"
        return html
    }
}

/// A heading as listed in the TOC and the search index.
struct TOCEntry: Codable, Sendable, Equatable {
    var level: Int
    var text: String
    var id: String
}
