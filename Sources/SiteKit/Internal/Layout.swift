import BookModel

/// The page shell shared by the index and chapter pages: head, top bar, sidebar, main, TOC, script.
struct Layout {
    let book: BookInfo
    let chapters: [Chapter]

    /// Ids the shell itself uses; prose headings never take them.
    static let reservedIDs: Set<String> = [
        "main", "sidebar", "search", "search-input", "search-results", "theme-toggle", "toc", "downloads",
    ]

    /// The inline head script that sets the theme before first paint (no flash of the wrong theme).
    static let themeScript = "<script>try{var t=localStorage.getItem(\"loopbook-theme\");"
        + "document.documentElement.dataset.theme=t===\"dark\"||t===\"light\"?t:"
        + "(matchMedia(\"(prefers-color-scheme: dark)\").matches?\"dark\":\"light\")}catch(e){}</script>"

    static let menuIcon = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\"><path d=\"M4 6h16M4 12h16M4 18h16\"/></svg>"
    static let themeIcon = "<svg viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\"><circle cx=\"12\" cy=\"12\" r=\"8\"/><path class=\"half\" d=\"M12 4a8 8 0 0 1 0 16z\"/></svg>"

    /// A whole page. `current` is the index of the chapter shown (nil for the index page).
    func page(title: String, description: String?, current: Int?, main: String, toc: String) -> String {
        var html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(HTML.escape(title))</title>\n"
        if let description, !description.isEmpty {
            html += "<meta name=\"description\" content=\"\(HTML.escape(description))\">\n"
        }
        html += Self.themeScript + "\n"
        html += "<link rel=\"stylesheet\" href=\"assets/style.css\">\n</head>\n"
        html += "<body class=\"\(current == nil ? "home" : "chapter")\">\n"
        html += "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n"
        html += "<header class=\"topbar\">\n"
        html += "<button class=\"icon-button menu-button\" type=\"button\" aria-controls=\"sidebar\" aria-expanded=\"false\" aria-label=\"Show chapters\">\(Self.menuIcon)</button>\n"
        html += "<a class=\"book-title\" href=\"index.html\">\(HTML.escape(book.title))</a>\n"
        html += "<div class=\"search\" id=\"search\" role=\"search\">"
        html += "<input id=\"search-input\" type=\"search\" placeholder=\"Search\" aria-label=\"Search the book\" autocomplete=\"off\" spellcheck=\"false\">"
        html += "<div id=\"search-results\" class=\"search-results\" hidden></div></div>\n"
        html += "<button class=\"icon-button theme-button\" id=\"theme-toggle\" type=\"button\" aria-label=\"Switch between light and dark theme\">\(Self.themeIcon)</button>\n"
        html += "</header>\n<div class=\"layout\">\n"
        html += sidebar(current: current)
        html += "<main id=\"main\" class=\"content\">\n" + main + "</main>\n"
        html += toc
        html += "</div>\n<script src=\"assets/site.js\"></script>\n</body>\n</html>\n"
        return html
    }

    func sidebar(current: Int?) -> String {
        var html = "<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Chapters\">\n<ol class=\"chapter-list\">\n"
        for (index, chapter) in chapters.enumerated() {
            let mark = index == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(HTML.escape(chapter.slug)).html\"\(mark)><span class=\"num\">\(chapter.number)</span>"
                + "<span class=\"name\">\(HTML.escape(chapter.title))</span></a></li>\n"
        }
        html += "</ol>\n</nav>\n"
        return html
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
