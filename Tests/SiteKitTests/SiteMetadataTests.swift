import BookModel
import Foundation
import Testing
@testable import SiteKit

/// What every site is expected to have: a 404 page, a favicon, descriptions and Open Graph tags, the book's
/// language, and, when book.yml names them, a logo, "Edit this page" links and a sitemap.
@Suite struct SiteMetadataTests {
    static func chapter(_ slug: String, _ number: Int, title: String, summary: String? = nil,
                        markdown: String) -> ExecutedChapter {
        let chapter = Chapter(path: "Content/\(slug).md", slug: slug, number: number, title: title, summary: summary,
                              markdown: markdown, steps: [])
        return ExecutedChapter(chapter: chapter, result: ChapterResult(steps: []), status: .cached)
    }

    static let chapters = [
        chapter("01-start", 1, title: "Start here", summary: "Why feedback loops \"matter\".",
                markdown: "# Start here\n\nThe first chapter.\n"),
        chapter("02-no-summary", 2, title: "No summary",
                markdown: "# No summary\n\nA model is trained, makes mistakes, gets corrected and retrains; this chapter "
                    + "follows one round of that loop from the first prediction to the retrained forest, and then measures "
                    + "what changed.\n\n## More\n\nText.\n"),
    ]

    static let full = BookInfo(title: "Loops & Models", subtitle: "A course on feedback loops.", language: "de-CH",
                               logo: "images/logo one.svg", repository: "https://example.org/me/book",
                               editURL: "https://example.org/me/book/edit/main/Content/{path}",
                               siteURL: "https://example.org/book/")

    static func head(_ html: String) -> String {
        String(html[..<(html.range(of: "</head>")?.lowerBound ?? html.endIndex)])
    }

    // MARK: Without any of the optional keys

    @Test func aPlainBookHasEnglishFaviconDescriptionsAndOpenGraph() throws {
        let files = try SiteRenderer(book: BookInfo(title: "Loops", subtitle: "Small book.")).render(Self.chapters)
        let page = try #require(files.text("01-start.html"))
        #expect(page.hasPrefix("<!doctype html>\n<html lang=\"en\">\n"))
        #expect(Self.head(page).contains("""
            <title>Start here · Loops</title>
            <meta name="description" content="Why feedback loops &quot;matter&quot;.">
            <meta property="og:title" content="Start here">
            <meta property="og:description" content="Why feedback loops &quot;matter&quot;.">
            <meta property="og:type" content="article">
            <meta property="og:site_name" content="Loops">
            <link rel="icon" href="favicon.svg" type="image/svg+xml">
            """))
        #expect(!page.contains("og:url"), "no base URL, no og:url")
        #expect(!page.contains("Edit this page"))
        let index = try #require(files.text("index.html"))
        #expect(Self.head(index).contains("""
            <title>Loops</title>
            <meta name="description" content="Small book.">
            <meta property="og:title" content="Loops">
            <meta property="og:description" content="Small book.">
            <meta property="og:type" content="website">
            """))
        let icon = try #require(files.text("favicon.svg"))
        #expect(icon.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(icon.utf8.count < 600, "a small icon: \(icon.utf8.count) bytes")
        #expect(files["sitemap.xml"] == nil, "no base URL, no sitemap")
        #expect(LinkChecker.problems(in: files).isEmpty, "\(LinkChecker.problems(in: files))")
    }

    @Test func aChapterWithoutSummaryIsDescribedByItsFirstWords() throws {
        let files = try SiteRenderer(book: BookInfo(title: "Loops")).render(Self.chapters)
        let page = try #require(files.text("02-no-summary.html"))
        // At most 160 characters, cut at a word.
        let expected = "A model is trained, makes mistakes, gets corrected and retrains; this chapter follows one round of "
            + "that loop from the first prediction to the retrained forest…"
        #expect(Self.head(page).contains("<meta name=\"description\" content=\"\(expected)\">"))
        #expect(Self.head(page).contains("<meta property=\"og:description\" content=\"\(expected)\">"))
        #expect(expected.count <= 160)
    }

    @Test func the404PageLinksHomeAndIsNotIndexed() throws {
        let files = try SiteRenderer(book: BookInfo(title: "Loops")).render(Self.chapters)
        let page = try #require(files.text("404.html"))
        #expect(page.contains("<title>Page not found · Loops</title>"))
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(page.contains("<h1>Page not found</h1>"))
        #expect(page.contains("<a href=\"index.html\">Go to the contents of Loops</a>"))
        #expect(page.contains("<script src=\"toc.js\"></script>"), "the chapter list and search work there too")
        #expect(!page.contains("<base "), "without a base URL, links are relative to the site's top folder")
    }

    // MARK: With every key

    @Test func languageOpenGraphURLAndLogo() throws {
        var files = try SiteRenderer(book: Self.full).render(Self.chapters)
        let page = try #require(files.text("01-start.html"))
        #expect(page.hasPrefix("<!doctype html>\n<html lang=\"de-CH\">\n"))
        #expect(Self.head(page).contains("""
            <meta property="og:site_name" content="Loops &amp; Models">
            <meta property="og:url" content="https://example.org/book/01-start.html">
            <meta property="og:image" content="https://example.org/book/images/logo%20one.svg">
            <link rel="icon" href="images/logo%20one.svg">
            """))
        #expect(page.contains("<a class=\"book-title\" href=\"index.html\"><img class=\"logo\" src=\"images/logo%20one.svg\" alt=\"\" width=\"28\" height=\"28\">Loops &amp; Models</a>"))
        #expect(files["favicon.svg"] == nil, "the logo is the icon")
        #expect(files.contentFiles.contains("images/logo one.svg"), "the logo is published")
        let index = try #require(files.text("index.html"))
        #expect(index.contains("<meta property=\"og:url\" content=\"https://example.org/book/\">"))
        #expect(index.contains("<p class=\"repository\"><a href=\"https://example.org/me/book\">Source repository</a></p>"))
        files["images/logo one.svg"] = Array("<svg/>".utf8)
        #expect(LinkChecker.problems(in: files).isEmpty, "\(LinkChecker.problems(in: files))")
    }

    @Test func everyChapterHasAnEditLink() throws {
        let files = try SiteRenderer(book: Self.full).render(Self.chapters)
        let page = try #require(files.text("02-no-summary.html"))
        #expect(page.contains("<p class=\"edit-page\"><a href=\"https://example.org/me/book/edit/main/Content/02-no-summary.md\">Edit this page</a></p>\n</article>"))
        #expect(!(files.text("index.html") ?? "").contains("Edit this page"))
    }

    @Test func sitemapListsEveryPageAtTheBaseURL() throws {
        let files = try SiteRenderer(book: Self.full).render(Self.chapters)
        #expect(files.text("sitemap.xml") == """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>https://example.org/book/</loc></url>
            <url><loc>https://example.org/book/01-start.html</loc></url>
            <url><loc>https://example.org/book/02-no-summary.html</loc></url>
            </urlset>

            """)
        let notFound = try #require(files.text("404.html"))
        #expect(notFound.contains("<base href=\"https://example.org/book/\">"), "assets load from any missing path")
        #expect(!notFound.contains("og:url"))
    }
}
