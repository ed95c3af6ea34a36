import BookModel
import Foundation
import Testing
@testable import SiteKit

/// The fixture book's pages compared with golden files in `Fixtures/golden/`.
///
/// Re-record on purpose with `RECORD_SNAPSHOTS=1 swift test --filter GoldenTests`; a missing golden is
/// recorded and the test fails, so a new baseline is always looked at.
@Suite struct GoldenTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")
    static let checkedFiles = ["index.html", "01-welcome.html", "02-data.html", "03-charts.html", "search-index.js"]

    @Test(arguments: checkedFiles) func pageMatchesGolden(_ path: String) throws {
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        let actual = try #require(files.text(path), "the site has no \(path)")
        let golden = Self.goldenDirectory.appendingPathComponent(path)
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
        guard !record, let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("Recorded a new golden file Fixtures/golden/\(path); check it and run the tests again.")
            return
        }
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actualLines.count, expectedLines.count)
            let shown = { (lines: [Substring]) in first < lines.count ? String(lines[first]) : "<end of file>" }
            Issue.record("""
                \(path) differs from its golden file at line \(first + 1):
                  expected: \(shown(expectedLines))
                  actual:   \(shown(actualLines))
                Re-record with RECORD_SNAPSHOTS=1 if the change is intended.
                """)
        }
    }

    @Test func renderingIsByteIdenticalOnRepeat() throws {
        let renderer = SiteRenderer(book: FixtureBook.info)
        let first = try renderer.render(FixtureBook.chapters)
        let second = try renderer.render(FixtureBook.chapters)
        #expect(first == second)
        #expect(first.paths == [
            "01-welcome.html", "02-data.html", "03-charts.html", "404.html", "assets/site.js", "assets/style.css",
            "favicon.svg", "files/02-data/notes/extra file.txt", "files/02-data/sample.csv", "index.html",
            "search-index.js", "toc.js",
        ])
    }

    @Test func everyPageIsWellFormedEnoughForXMLAroundTheBody() throws {
        // Our HTML is not XHTML, but each chart figure and table must balance; spot-check the main element.
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        for path in ["02-data.html", "03-charts.html"] {
            let html = try #require(files.text(path))
            let start = try #require(html.range(of: "<main id=\"main\" class=\"content\">"))
            let end = try #require(html.range(of: "</main>"))
            let main = String(html[start.lowerBound..<end.upperBound])
            _ = try XMLNode.parse(main)
        }
    }

    @Test func navigationAndStructure() throws {
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        let data = try #require(files.text("02-data.html"))
        // The sidebar's list is toc.js, shared by every page; the page names its own chapter for it to mark.
        #expect(data.contains(#"<nav class="sidebar" id="sidebar" aria-label="Chapters" data-current="02-data">"#))
        #expect(files.text("toc.js")?.contains(#"["02-data", 2, "#) == true)
        #expect(data.contains(#"rel="prev" href="01-welcome.html""#))
        #expect(data.contains(#"rel="next" href="03-charts.html""#))
        #expect(data.contains(##"<li class="l2"><a href="#escaping">Escaping</a></li>"##))
        #expect(data.contains(#"<a href="files/02-data/sample.csv" download="">sample.csv</a>"#))
        #expect(data.contains(#"<a href="files/02-data/notes/extra%20file.txt" download="">"#))
        #expect(data.contains(#"<td class="num">5.1</td>"#))
        #expect(data.contains("Showing 3 of 150 rows."))
        #expect(data.contains(#"<p class="error-title">Error <code>Content/02-data.md:27:1</code></p>"#))
        let welcome = try #require(files.text("01-welcome.html"))
        #expect(!welcome.contains("NumPyRandom"), "hidden steps are not shown")
        #expect(welcome.contains(#"<span class="badge norun">not run</span>"#))
        #expect(!welcome.contains(">noise"), "hide-output hides the output")
        #expect(welcome.contains("<script>try{var t=localStorage.getItem(\"loopbook-theme\")"))
        #expect(!welcome.contains("http://") && !welcome.contains("https://"), "pages make no external requests")
        let css = try #require(files.text("assets/style.css"))
        #expect(!css.contains("url("), "no web fonts or external images")
    }

    @Test func searchIndexHasSectionsWithAnchors() throws {
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        struct Index: Decodable { var book: String; var chapters: [SearchIndex.Chapter] }
        let script = try #require(files.text("search-index.js"))
        #expect(script.hasPrefix("window.LOOPBOOK_SEARCH={"))
        let json = try #require(SearchIndex.json(ofScript: script))
        let index = try JSONDecoder().decode(Index.self, from: Data(json.utf8))
        #expect(index.book == FixtureBook.info.title)
        #expect(index.chapters.map(\.slug) == ["01-welcome", "02-data", "03-charts"])
        let welcome = index.chapters[0]
        #expect(welcome.sections.map(\.id) == ["welcome", "setting-up", "training", "a-detail", "what-is-next"])
        #expect(welcome.sections[2].text == "The next step prints the accuracy.")
        #expect(welcome.sections[0].text.contains("accuracy of 0.93 on the holdout set"))
    }

    @Test func duplicateSlugsAndBadArtifactsAreErrors() {
        #expect(throws: SiteError.duplicateSlug("01-welcome", files: ["Content/01-welcome.md", "Content/01-welcome.md"])) {
            try SiteRenderer(book: FixtureBook.info).render([FixtureBook.welcome, FixtureBook.welcome])
        }
        var data = FixtureBook.data
        data.result.artifacts.append(.init(name: "../escape.txt", contents: []))
        #expect(throws: SiteError.invalidArtifactName(file: "Content/02-data.md", name: "../escape.txt")) {
            try SiteRenderer(book: FixtureBook.info).render([data])
        }
    }
}
