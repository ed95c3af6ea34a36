import BookModel
import Foundation
import Testing
@testable import SiteKit

/// A chapter quotes another chapter's values as {{ <slug>.<key> }}: in prose, titles and summaries, with the
/// page cache re-rendering the page when the quoted value changes.
@Suite struct QuotedValueTests {
    static func book(depth: String = "7", summaryText: String = "Depth {{ 01-sweep.bestDepth }} wins.") -> [ExecutedChapter] {
        let sweep = ChapterDocumentTests.chapter("# Sweep\n\nThe best depth is {{ bestDepth }}.\n", slug: "01-sweep", number: 1,
                                                 title: "Sweep", values: ["bestDepth": depth, "accuracy": "0.93"])
        var summary = ChapterDocumentTests.chapter(
            "# Summary\n\nThe sweep chose depth {{ 01-sweep.bestDepth }} (accuracy {{01-sweep.accuracy}}); "
            + "here {{ local.key }} is this chapter's own.\n",
            slug: "02-summary", number: 2, title: "Summary of depth {{ 01-sweep.bestDepth }}", values: ["local.key": "mine"])
        summary.chapter.summary = summaryText
        return [sweep, summary]
    }

    @Test func aChapterQuotesAnotherChaptersValues() throws {
        let files = try SiteRenderer(book: BookInfo(title: "Course")).render(Self.book())
        let page = try #require(files.text("02-summary.html"))
        #expect(page.contains("The sweep chose depth 7 (accuracy 0.93); here mine is this chapter’s own.")
                || page.contains("The sweep chose depth 7 (accuracy 0.93); here mine is this chapter's own."))
        #expect(page.contains("<title>Summary of depth 7"), "the title quotes it too")
        #expect(files.text("index.html")?.contains("Depth 7 wins.") == true, "and the summary in the contents")
        #expect(files.text("search-index.js")?.contains("The sweep chose depth 7") == true)
    }

    @Test func anUnknownQuoteIsAnErrorAtItsPlaceThatListsWhatTheChapterPublishes() {
        var chapters = Self.book()
        chapters[1].chapter.markdown = "# Summary\n\nSee {{ 01-sweep.bestDeph }} and {{ 09-nothing.x }}.\n"
        #expect(throws: SiteError.self) { try SiteRenderer(book: BookInfo(title: "Course")).render(chapters) }
        do {
            _ = try SiteRenderer(book: BookInfo(title: "Course")).render(chapters)
        } catch {
            let text = "\(error)"
            #expect(text.contains("Content/02-summary.md:3:5: unknown key '01-sweep.bestDeph' in {{ 01-sweep.bestDeph }}: the chapter '01-sweep' publishes no value 'bestDeph'; it publishes: accuracy, bestDepth."), "\(text)")
            #expect(text.contains("Content/02-summary.md:3:33: unknown key '09-nothing.x' in {{ 09-nothing.x }}; this chapter publishes: local.key, and no chapter's slug is '09-nothing'"), "\(text)")
        }
    }

    @Test func aChangedQuotedValueRerendersThePageThatShowsIt() throws {
        let cache = PageCacheTests.Memory()
        let renderer = SiteRenderer(book: BookInfo(title: "Course"))
        _ = try renderer.render(Self.book(), pageCache: cache)
        _ = cache.counts()
        _ = try renderer.render(Self.book(), pageCache: cache)
        #expect(cache.counts() == (2, 2, 0), "unchanged: both pages from the cache")
        let files = try renderer.render(Self.book(depth: "9"), pageCache: cache)
        #expect(cache.counts() == (2, 0, 2), "the sweep's own page and the summary that quotes it")
        #expect(files == (try renderer.render(Self.book(depth: "9"))))
        #expect(files.text("02-summary.html")?.contains("The sweep chose depth 9") == true)
    }
}
