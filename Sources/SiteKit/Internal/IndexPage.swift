import BookModel
import Markdown

/// The book's front page: title, subtitle, introduction and the chapter list with summaries.
struct IndexPage {
    let layout: Layout

    func render() -> String {
        let book = layout.book
        var main = "<article class=\"home-body\">\n<header class=\"hero\">\n<h1>\(HTML.escape(book.title))</h1>\n"
        if let subtitle = book.subtitle { main += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let author = book.author { main += "<p class=\"author\">\(HTML.escape(author))</p>\n" }
        main += "</header>\n"
        if let introduction = book.introduction {
            let prose = ProseRenderer(file: "Content/README.md", markdown: introduction, values: [:],
                                      chapterFiles: Dictionary(layout.chapters.map { ($0.slug + ".md", $0.slug) },
                                                               uniquingKeysWith: { first, _ in first }),
                                      assets: [], reservedIDs: Layout.reservedIDs)
            main += prose.render(title: book.title).html
        }
        main += "<h2 class=\"contents-title\">Chapters</h2>\n<ol class=\"contents\">\n"
        for chapter in layout.chapters {
            main += "<li><a href=\"\(HTML.escape(chapter.slug)).html\"><span class=\"num\">\(chapter.number)</span>"
                + "<span class=\"text\"><span class=\"name\">\(HTML.escape(chapter.title))</span>"
            if let summary = chapter.summary { main += "<span class=\"summary\">\(HTML.escape(summary))</span>" }
            main += "</span></a></li>\n"
        }
        main += "</ol>\n</article>\n"
        if let first = layout.chapters.first {
            main += "<nav class=\"pager\" aria-label=\"Start reading\">\n<a class=\"next\" rel=\"next\" href=\"\(HTML.escape(first.slug)).html\"><span class=\"dir\">Start reading →</span><span class=\"name\">\(HTML.escape(first.title))</span></a>\n</nav>\n"
        }
        return layout.page(title: book.title, description: book.subtitle, current: nil, main: main, toc: "")
    }
}
