import DevServer
import Foundation
import LoopbookBuild
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

/// A formula, a numbered figure and its reference, and a folded step, as Chromium lays them out: in a chapter
/// page and in the print page. A probe script appended to a copy of the page (in the same folder, so its
/// stylesheets, KaTeX fonts and scripts load as the page's own) measures the DOM and writes what it found
/// as JSON into `<pre id="probe">`, which `--dump-dom` returns.
@Suite("Browser: math, figures, folding and the print page",
       .enabled(if: Chromium.isInstalled, "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"),
       .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js")
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/node"), "needs node, libjs-katex and fonts-katex"))
struct AuthoringBrowserTests {
    struct ProbeFailure: Error, CustomStringConvertible { var description: String }

    static let chapter = """
        ---
        title: Accuracy
        ---
        # Accuracy

        The training accuracy is

        $$ \\text{acc}_{train} $$

        ![The feedback loop](loop.svg){#fig-loop}

        As @fig-loop shows, the loop closes.

        ```swift fold
        let folded = 6 * 7
        print("the answer is", folded)
        ```

        """

    /// A two-chapter book (the second refers to the first one's figure), built.
    static let built = Task<URL, any Error> {
        let project = try TemporaryProject()
        try project.folder.write("Content/book.yml", "title: Browser Book\n")
        try project.folder.write("Content/01-accuracy.md", chapter)
        try project.folder.write("Content/02-more.md", "# More\n\nBack to @fig-loop, the loop.\n")
        try project.folder.write("Content/loop.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\"/></svg>")
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        guard result.code == 0 else { throw ProbeFailure(description: "the book did not build: \(result.stderr)") }
        return project.root
    }

    /// Runs `script` at the end of a copy of the site's `page`; returns what it wrote into `<pre id="probe">`.
    static func probe(_ page: String, _ script: String) async throws -> [String: Any] {
        let site = try await built.value.appendingPathComponent("Site")
        let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
        let name = "probe-\(UInt32.random(in: 0...UInt32.max))-\(page)"
        let probe = site.appendingPathComponent(name)
        let wrapped = "<script>(function () { var r = {}; try {\n\(script)\n} catch (e) { r.exception = String(e); }\n"
            + "var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(r); document.body.appendChild(pre); })();</script>\n"
        let probed: String = html.replacingOccurrences(of: "</body>", with: wrapped + "</body>")
        try Data(probed.utf8).write(to: probe)
        defer { try? FileManager.default.removeItem(at: probe) }
        let dom = try await Chromium.run(["--dump-dom", probe.absoluteString]).stdout
        guard let start = dom.range(of: "<pre id=\"probe\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw ProbeFailure(description: "no probe output in the DOM: \(dom.suffix(1500))")
        }
        let json = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func formulaFigureReferenceAndFoldedCodeInAChapterPage() async throws {
        let found = try await Self.probe("01-accuracy.html", """
            var display = document.querySelector('.katex-display');
            r.mathml = !!(display && display.querySelector('math'));
            var msub = display.querySelector('math msub');
            r.mathmlBase = msub && msub.children[0].textContent;
            r.mathmlSubscript = msub && msub.children[1].textContent;
            r.tex = display.querySelector('annotation').textContent;
            var text = display.querySelector('.katex-html .mord.text'), sub = display.querySelector('.katex-html .msupsub');
            // KaTeX ends a subscript's box with a zero-width space (a Safari workaround).
            r.htmlBase = text.textContent; r.htmlSubscript = sub.textContent.replace(/\\u200b/g, '');
            var letter = sub.querySelector('.mathnormal'), a = text.getBoundingClientRect(), s = letter.getBoundingClientRect();
            r.subscriptBelow = (s.top + s.bottom) / 2 > (a.top + a.bottom) / 2 && s.left >= a.right - 1;
            r.subscriptSmaller = parseFloat(getComputedStyle(letter).fontSize) < parseFloat(getComputedStyle(text).fontSize);
            r.emphasis = document.querySelectorAll('main em').length;
            var x = document.querySelector('main a.xref');
            r.xrefText = x.textContent; r.xrefHref = x.getAttribute('href');
            var target = document.getElementById(x.getAttribute('href').slice(1));
            r.targetTag = target && target.tagName;
            r.targetCaption = target && target.querySelector('figcaption').textContent;
            var details = document.querySelector('main details.fold'), code = details.querySelector('pre');
            var output = details.closest('.step').querySelector('.outputs pre');
            r.foldOpen = details.open; r.codeVisible = code.checkVisibility();
            r.summary = details.querySelector('summary').textContent;
            r.output = output.textContent; r.outputVisible = output.checkVisibility();
            details.querySelector('summary').click();
            r.openedAfterClick = details.open; r.codeVisibleAfterClick = code.checkVisibility();
            r.codeText = code.textContent;
            """)
        #expect(found["exception"] == nil, "\(found)")
        #expect(found["mathml"] as? Bool == true, "KaTeX wrote MathML: \(found)")
        #expect(found["mathmlBase"] as? String == "acc" && found["mathmlSubscript"] as? String == "train", "\(found)")
        #expect(found["tex"] as? String == "\\text{acc}_{train}")
        #expect(found["htmlBase"] as? String == "acc" && found["htmlSubscript"] as? String == "train", "\(found)")
        #expect(found["subscriptBelow"] as? Bool == true, "train is laid out as a subscript: \(found)")
        #expect(found["subscriptSmaller"] as? Bool == true, "\(found)")
        #expect(found["emphasis"] as? Int == 0, "_{…} did not become italics: \(found)")
        #expect(found["xrefText"] as? String == "Figure 1.1" && found["xrefHref"] as? String == "#fig-loop", "\(found)")
        #expect(found["targetTag"] as? String == "FIGURE" && found["targetCaption"] as? String == "Figure 1.1: The feedback loop", "\(found)")
        #expect(found["foldOpen"] as? Bool == false && found["codeVisible"] as? Bool == false, "the code starts collapsed: \(found)")
        #expect(found["summary"] as? String == "Show code")
        #expect(found["output"] as? String == "the answer is 42" && found["outputVisible"] as? Bool == true, "its output shows: \(found)")
        #expect(found["openedAfterClick"] as? Bool == true && found["codeVisibleAfterClick"] as? Bool == true, "a click shows it: \(found)")
        #expect((found["codeText"] as? String)?.contains("let folded = 6 * 7") == true, "\(found)")
    }

    @Test func thePrintPageHasTheChaptersInOrderAndItsLinksLandOnIt() async throws {
        let found = try await Self.probe("print.html", """
            r.chapters = Array.prototype.map.call(document.querySelectorAll('article.print-chapter'), function (a) { return a.id; });
            r.contents = Array.prototype.map.call(document.querySelectorAll('.print-contents a'), function (a) { return a.getAttribute('href'); });
            r.titles = Array.prototype.map.call(document.querySelectorAll('article.print-chapter h1'), function (h) { return h.textContent.trim(); });
            var links = document.getElementById('02-more').querySelectorAll('a.xref');
            r.xrefText = links[0].textContent; r.xrefHref = links[0].getAttribute('href');
            var target = document.getElementById(r.xrefHref.slice(1));
            r.targetTag = target && target.tagName; r.targetChapter = target && target.closest('article').id;
            var own = document.getElementById('01-accuracy').querySelector('a.xref').getAttribute('href');
            r.ownHref = own; r.ownLands = !!document.getElementById(own.slice(1));
            r.math = !!document.getElementById('01-accuracy').querySelector('.katex-display math');
            var details = document.querySelector('details.fold');
            r.foldOpen = details.open; r.codeVisible = details.querySelector('pre').checkVisibility();
            r.breakBefore = getComputedStyle(document.getElementById('02-more')).breakBefore;
            """)
        #expect(found["exception"] == nil, "\(found)")
        #expect(found["chapters"] as? [String] == ["01-accuracy", "02-more"], "\(found)")
        #expect(found["contents"] as? [String] == ["#01-accuracy", "#02-more"], "\(found)")
        #expect((found["titles"] as? [String])?.first?.hasPrefix("Accuracy") == true, "\(found)")
        #expect(found["xrefText"] as? String == "Figure 1.1" && found["xrefHref"] as? String == "#01-accuracy--fig-loop", "\(found)")
        #expect(found["targetTag"] as? String == "FIGURE" && found["targetChapter"] as? String == "01-accuracy", "\(found)")
        #expect(found["ownHref"] as? String == "#01-accuracy--fig-loop" && found["ownLands"] as? Bool == true, "\(found)")
        #expect(found["math"] as? Bool == true, "\(found)")
        #expect(found["foldOpen"] as? Bool == false && found["codeVisible"] as? Bool == false, "folded on screen: \(found)")
        #expect(found["breakBefore"] as? String == "page", "\(found)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "needs poppler-utils"))
    func onPaperFoldedCodePrintsOpenAndTheFormulaIsText() async throws {
        let root = try await Self.built.value
        let pdf = root.appendingPathComponent("probe-\(UInt32.random(in: 0...UInt32.max)).pdf")
        defer { try? FileManager.default.removeItem(at: pdf) }
        try PDFPrinter(chromium: URL(fileURLWithPath: Chromium.path)).print(page: root.appendingPathComponent("Site/print.html"), to: pdf)
        let text = try #require(try PdfCommandTests.poppler("pdftotext", [pdf.path, "-"]))
        #expect(text.contains("let folded = 6 * 7"), "the folded code prints open: \(text)")
        #expect(text.contains("the answer is 42"), "\(text)")
        #expect(!text.contains("Show code"), "\(text)")
        #expect(text.contains("Figure 1.1: The feedback loop"), "\(text)")
        #expect(text.contains("acc"), "\(text)")
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
