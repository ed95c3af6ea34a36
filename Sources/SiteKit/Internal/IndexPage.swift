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
        if let repository = book.repository {
            main += "<p class=\"repository\"><a href=\"\(HTML.escape(repository))\">Source repository</a></p>\n"
        }
        main += "</header>\n"
        if let introduction = book.introduction {
            let prose = ProseRenderer(file: "Content/README.md", markdown: introduction, values: [:],
                                      chapterFiles: Dictionary(layout.chapters.map { ($0.slug + ".md", $0.slug) },
                                                               uniquingKeysWith: { first, _ in first }),
                                      assets: [], reservedIDs: Layout.reservedIDs)
            main += prose.render(title: book.title).html
        }
        main += "<h2 class=\"contents-title\" id=\"contents\">Chapters</h2>\n<ol class=\"contents\">\n"
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
        let head = Layout.Head(title: book.title, shortTitle: book.title, description: book.subtitle, path: "", type: "website")
        return layout.page(head, current: nil, main: main, toc: "")
    }
}

/// `404.html`, which static hosts (GitHub Pages, Netlify, Cloudflare Pages, …) serve for a missing page: it
/// says so and leads to the contents. With the site's address known it carries `<base>`, so its links, the
/// stylesheet and the chapter list load at any missing path, however deep.
struct NotFoundPage {
    let layout: Layout

    func render() -> String {
        let title = layout.book.title
        let main = "<article class=\"chapter-body not-found\">\n<h1>Page not found</h1>\n"
            + "<p>There is no page at this address in <cite>\(HTML.escape(title))</cite>. It may have moved, or the link may be mistyped.</p>\n"
            + "<p><a href=\"index.html\">Go to the contents of \(HTML.escape(title))</a></p>\n</article>\n"
        let head = Layout.Head(title: "Page not found · \(title)", shortTitle: "Page not found", description: nil,
                               path: nil, type: nil, notFound: true)
        return layout.page(head, current: nil, main: main, toc: "")
    }
}
