import DevServer
import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// Headless Chromium against the served fixture book. CI installs Debian's chromium (see .ci/run).
@Suite("Browser", .enabled(if: Chromium.isInstalled,
                             "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"))
struct BrowserTests {
    @Test func chapterShowsNavigationCodeTableAndChart() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let dom = try await serving(project.site) { port in
            try await Chromium.run(["--dump-dom", "http://127.0.0.1:\(port)/01-basics.html"]).stdout
        }
        #expect(dom.contains("class=\"sidebar\""), "navigation sidebar")
        #expect(dom.contains("href=\"02-more.html\""), "a link to the next chapter")
        #expect(dom.contains("rel=\"next\""), "next-page link")
        #expect(dom.range(of: #"<span class="[a-z]+">let</span>"#, options: .regularExpression) != nil, "highlighted code")
        #expect(dom.contains("<table"), "a table")
        #expect(dom.contains("Pelicans by shore"))
        #expect(dom.range(of: #"<svg[^>]*class="chart-svg[ "]"#, options: .regularExpression) != nil, "an SVG chart")
        #expect(dom.contains("The flock has 23 pelicans."))
        #expect(dom.contains("id=\"loopbook-live-reload\""), "the dev server's script is in the page")
        #expect(!dom.contains("<div id=\"loopbook-error-overlay\""), "no build error is shown")
    }

    @Test(arguments: ["?q=pelicans", "#search=pelicans"])
    func searchFromTheAddressShowsResults(_ suffix: String) async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        // site.js reads ?q=word (or #search=word), fills the search box and shows the results on load.
        // Served without the live-reload script: its open event stream keeps the network busy, and
        // --virtual-time-budget (time for the index to load) would never end.
        let dom = try await serving(project.site, liveReload: false) { port in
            try await Chromium.run(["--virtual-time-budget=5000", "--dump-dom",
                                    "http://127.0.0.1:\(port)/02-more.html\(suffix)"]).stdout
        }
        #expect(dom.contains("id=\"search-input\""), "the page has a search box")
        let results = try #require(Self.resultsList(dom), "no search results box in the page")
        #expect(!Self.openingTag(results).contains(" hidden"), "the results are shown: \(results)")
        let links = Self.links(results)
        #expect(links.contains { $0.hasPrefix("01-basics.html") }, "a result in chapter 1: \(results)")
        #expect(!links.contains { $0.hasPrefix("02-more.html") }, "the word is only in chapter 1: \(results)")
        #expect(results.contains("<mark>pelicans</mark>") || results.contains("<mark>Pelicans</mark>"), "the word is marked: \(results)")
    }

    @Test func noQueryNoResults() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let dom = try await serving(project.site, liveReload: false) { port in
            try await Chromium.run(["--virtual-time-budget=5000", "--dump-dom",
                                    "http://127.0.0.1:\(port)/02-more.html"]).stdout
        }
        let results = try #require(Self.resultsList(dom), "no search results box in the page")
        #expect(Self.openingTag(results).contains(" hidden"), "without ?q= the results stay hidden: \(results)")
        #expect(Self.links(results).isEmpty, "\(results)")
    }

    /// The `<div id="search-results" …>…</div>` element of a dumped DOM (results hold no nested divs
    /// except the "no results" note, which has no links).
    static func resultsList(_ dom: String) -> String? {
        guard let start = dom.range(of: "<div id=\"search-results\""),
              let end = dom.range(of: "</div>", range: start.upperBound..<dom.endIndex) else { return nil }
        return String(dom[start.lowerBound..<end.upperBound])
    }

    /// The opening tag of `element`, without its `>`.
    static func openingTag(_ element: String) -> String {
        String(element.prefix { $0 != ">" })
    }

    /// The `href`s of the links in `html`, in order.
    static func links(_ html: String) -> [String] {
        let regex = /<a href="([^"]*)"/
        return html.matches(of: regex).map { String($0.output.1) }
    }

    @Test func screenshotIsAPNG() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let shot = project.root.appendingPathComponent("shots/chapter.png")
        try FileManager.default.createDirectory(at: shot.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try await serving(project.site) { port in
            try await Chromium.run(["--screenshot=\(shot.path)", "--window-size=1200,900",
                                    "http://127.0.0.1:\(port)/01-basics.html"])
        }
        let data = try Data(contentsOf: shot)
        #expect(data.count > 10_000, "a 1200×900 page screenshot is more than a few bytes: \(data.count)")
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

/// Serves `site` on a free port for the duration of `body`.
func serving<T: Sendable>(_ site: URL, liveReload: Bool = true, _ body: (UInt16) async throws -> T) async throws -> T {
    let server = DevServer(root: site, port: 0, injectLiveReload: liveReload)
    let port = try await server.start()
    do {
        let result = try await body(port)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
