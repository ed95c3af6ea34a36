import BookModel
import Foundation
import Testing
@testable import SiteKit

/// A site grows with the book, not with its square: the chapter list is one shared script (`toc.js`), each
/// page carries only a link to the contents (usable without JavaScript) and marks itself for the script.
@Suite struct SiteScaleTests {
    /// A chapter shaped like the a22 case's generate.py (~0.6 KB of prose, no code).
    static func chapter(_ number: Int, title: String? = nil) -> ExecutedChapter {
        let slug = String(format: "%04d-chapter-%d", number, number)
        let markdown = "# Chapter \(number)\n\nSome prose for chapter \(number). "
            + String(repeating: "Lorem ipsum dolor sit amet. ", count: 20) + "\n\n## Section A\n\nMore text.\n"
        let chapter = Chapter(path: "Content/\(slug).md", slug: slug, number: number, title: title ?? "Chapter \(number)",
                              markdown: markdown, steps: [])
        return ExecutedChapter(chapter: chapter, result: ChapterResult(steps: []), status: .cached)
    }

    static func book(_ count: Int) -> [ExecutedChapter] { (1...count).map { chapter($0) } }

    static func render(_ chapters: [ExecutedChapter], book: BookInfo = BookInfo(title: "Scale")) throws -> SiteFiles {
        try SiteRenderer(book: book).render(chapters)
    }

    /// Links to chapter pages (`NNNN-….html`) in a page.
    static func chapterLinks(_ html: String) -> [String] {
        LinkChecker.attributeValues("href", in: html).filter { $0.first?.isNumber == true && $0.hasSuffix(".html") }
    }

    @Test func aChapterPageLinksOnlyToItsNeighboursAndTheContents() throws {
        let files = try Self.render(Self.book(300))
        let page = try #require(files.text("0150-chapter-150.html"))
        // The pager's previous and next, nothing else: the list of 300 chapters is not in the page.
        #expect(Self.chapterLinks(page) == ["0149-chapter-149.html", "0151-chapter-151.html"])
        #expect(!page.contains("Chapter 7<"), "no other chapter's title is in the page")
        // Without JavaScript the sidebar still leads to every chapter: through the contents page.
        #expect(page.contains("""
            <nav class="sidebar" id="sidebar" aria-label="Chapters" data-current="0150-chapter-150">
            <ul class="chapter-list"><li><a href="index.html#contents"><span class="name">All chapters</span></a></li></ul>
            </nav>
            <script src="toc.js"></script>
            """))
        // The contents page keeps the full list, and its heading is the anchor the sidebar links to.
        let index = try #require(files.text("index.html"))
        #expect(Self.chapterLinks(index).count == 300 + 1, "every chapter once, plus 'Start reading'")
        #expect(index.contains("<h2 class=\"contents-title\" id=\"contents\">Chapters</h2>"))
        #expect(index.contains("<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Chapters\">\n"), "no current chapter on the index")
        #expect(LinkChecker.problems(in: files).isEmpty, "\(LinkChecker.problems(in: files).prefix(3))")
    }

    @Test func theChapterListIsOneScriptWithEveryChapterInOrder() throws {
        let files = try Self.render(Self.book(3))
        let script = try #require(files.text("toc.js"))
        #expect(script.contains("""
            var chapters = [
            ["0001-chapter-1", 1, "Chapter 1"],
            ["0002-chapter-2", 2, "Chapter 2"],
            ["0003-chapter-3", 3, "Chapter 3"]
            ];
            """))
        // It fills the sidebar of the page it runs in and marks the page's own chapter.
        #expect(script.contains("getAttribute(\"data-current\")"))
        #expect(script.contains("setAttribute(\"aria-current\", \"page\")"))
        #expect(!script.contains("fetch("), "a plain script, so it works from file://")
    }

    @Test func titlesInTheScriptAreJavaScriptStringsThatCannotEndTheScript() throws {
        var chapters = Self.book(2)
        chapters[0].chapter.title = "Quotes \" and \\ and </script><b>x</b>\u{2028}end"
        let script = try #require(try Self.render(chapters).text("toc.js"))
        #expect(script.contains(#"["0001-chapter-1", 1, "Quotes \" and \\ and \u003c/script>\u003cb>x\u003c/b>\u2028end"],"#))
        #expect(!script.contains("</script"))
    }

    @Test func siteSizeGrowsLinearlyWithTheChapterCount() throws {
        let small = try Self.render(Self.book(250))
        let large = try Self.render(Self.book(1000))
        let prose = { (count: Int) in Self.book(count).reduce(0) { $0 + $1.chapter.markdown.utf8.count } }
        func pagesBytes(_ files: SiteFiles) -> Int {
            files.paths.filter { $0.hasSuffix(".html") && $0 != "index.html" }.reduce(0) { $0 + (files[$1]?.count ?? 0) }
        }
        // Four times the chapters, four times the chapter pages (the old sidebar made it sixteen).
        let growth = Double(pagesBytes(large)) / Double(pagesBytes(small))
        #expect(growth > 3.9 && growth < 4.1, "chapter pages grew \(growth)×")
        // A chapter page is its prose plus a fixed shell, whatever the size of the book.
        let page = try #require(large["0500-chapter-500.html"]?.count)
        let ownProse = Self.chapter(500).chapter.markdown.utf8.count
        #expect(page < ownProse + 4_000, "a 0.6 KB chapter's page is \(page) bytes")
        let total = Double(large.totalBytes) / Double(prose(1000))
        print("1,000 chapters of ~0.6 KB: site \(large.totalBytes) bytes = \(String(format: "%.2f", total))× the prose"
              + " (pages \(pagesBytes(large)), toc.js \(large["toc.js"]?.count ?? 0),"
              + " search index \((large["search-index.js"]?.count ?? 0)))")
        #expect((large["toc.js"]?.count ?? 0) < 1000 * 60, "toc.js is one short line per chapter")
    }

    @Test(arguments: ["", "  ", "a", " a  b\tc\n\r\nd ", "\u{0B}x\u{0C}y", "Zürich  café\u{00A0}x", "a\r\n\u{2003}b"])
    func searchTextCollapsesWhitespaceAsBefore(_ text: String) {
        #expect(ProseRenderer.collapsingWhitespace(text) == text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}
