import BookModel
import Foundation
import LoopbookTestSupport
import Testing
@testable import SiteKit

/// `$…$` and `$$…$$` are math, rendered by KaTeX at build time (HTML + MathML), before Markdown can read TeX
/// as emphasis; prices and code keep their dollars; bad TeX is an error at its line and column.
@Suite(.enabled(if: KaTeXInstalled.value, "needs node, libjs-katex and fonts-katex"))
struct MathTests {
    static func page(_ markdown: String) throws -> String {
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(markdown)])
        return try #require(files.text("01-results.html"))
    }

    static func body(_ page: String) -> String {
        guard let start = page.range(of: "<article"), let end = page.range(of: "</article>") else { return page }
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test func inlineAndDisplayMathRenderAsHTMLAndMathML() throws {
        let page = try Self.page("The rate $\\alpha = 0.1$ sets the step.\n\n$$\n\\text{acc}_{train} = \\frac{a}{b}\n$$\n")
        let body = Self.body(page)
        #expect(body.contains("<span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\">"))
        #expect(body.contains("<span class=\"katex-display\">"), "display math")
        #expect(body.contains("<mi>α</mi>"), "inline MathML")
        #expect(body.contains("<annotation encoding=\"application/x-tex\">\\text{acc}_{train} = \\frac{a}{b}</annotation>"))
        #expect(body.contains("<mfrac>"))
        #expect(!body.contains("<em>"), "no emphasis from _{…}")
        #expect(!body.contains("$"), "the dollars are gone")
        #expect(page.contains("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">"))
    }

    @Test func underscoresInMathAreNotEmphasis() throws {
        let body = Self.body(try Self.page("$$ \\text{acc}_{train} $$ and $x_{i} + y_{j}$ here.\n"))
        #expect(!body.contains("<em>"))
        #expect(body.contains("<mtext>acc</mtext><mrow><mi>t</mi><mi>r</mi><mi>a</mi><mi>i</mi><mi>n</mi></mrow>"))
    }

    @Test func pricesAndCodeKeepTheirDollars() throws {
        let page = try Self.page("""
            It costs $5 and $10, or $20,000 in all. Pay $5 then $x$ is math.

            Run `echo $HOME` and `$x$` stays code.

            ```sh
            echo $PATH $x$
            ```

                indented $y$ code

            A \\$ sign and \\$x\\$ are text; so is $ x $ with spaces.

            """)
        let body = Self.body(page)
        #expect(body.components(separatedBy: "class=\"katex\"").count - 1 == 1, "only $x$")
        #expect(body.contains("It costs $5 and $10, or $20,000 in all. Pay $5 then <span class=\"katex\">"))
        #expect(body.contains("<code>echo $HOME</code>"))
        #expect(body.contains("<code>$x$</code>"))
        #expect(body.contains("echo $PATH $x$"))
        #expect(body.contains("indented $y$ code"))
        #expect(body.contains("A $ sign and $x$ are text; so is $ x $ with spaces."))
    }

    @Test func aBookWithoutMathHasNoKaTeXFiles() throws {
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter("Costs $5.\n")])
        #expect(!files.paths.contains { $0.hasPrefix("assets/katex") })
    }

    @Test func aPageWithMathHasItsStylesheetAndFontsOffline() throws {
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter("Say $E = mc^2$.\n")])
        let css = try #require(files.text("assets/katex/katex.min.css"))
        #expect(!css.contains("http:") && !css.contains("https:"), "nothing from the network")
        var fonts = 0
        var rest = Substring(css)
        while let range = rest.range(of: "url(") {
            rest = rest[range.upperBound...]
            let close = try #require(rest.firstIndex(of: ")"))
            let path = "assets/katex/" + rest[..<close]
            #expect(path.hasSuffix(".woff2"))
            #expect(files[path] != nil, "\(path) is in the site")
            fonts += 1
        }
        #expect(fonts >= 15)
    }

    @Test func texErrorIsABuildErrorAtItsLineAndColumn() {
        let problems = ChapterDocumentTests.problems([ChapterDocumentTests.chapter(
            "# Results\n\nThe loss is $\\frac{a}{b}$ and\nthe rate $x + \\alpah$ here.\n")])
        #expect(problems.count == 1)
        let problem = problems.first ?? ""
        #expect(problem.hasPrefix("Content/01-results.md:4:15: the formula $x + \\alpah$ is not valid TeX (KaTeX: Undefined control sequence: \\alpah)"),
                "\(problem)")
        #expect(problem.contains("fix the TeX"))
    }

    @Test func displayErrorOnALaterLinePointsThere() {
        let problems = ChapterDocumentTests.problems([ChapterDocumentTests.chapter(
            "Text.\n\n$$\na = b \\\\\n\\frac{1}{2 = c\n$$\n")])
        #expect(problems.count == 1)
        #expect((problems.first ?? "").hasPrefix("Content/01-results.md:"), "\(problems)")
        #expect((problems.first ?? "").contains("is not valid TeX"), "\(problems)")
    }

    @Test func otherErrorsKeepTheirColumnsAfterMath() {
        // The unknown key stands after a formula on the same line and after a display formula of several lines.
        let problems = ChapterDocumentTests.problems([ChapterDocumentTests.chapter(
            "Say $a_{1}$ then {{ nope }}.\n\n$$\nx\ny\n$$\n\nAnd {{ gone }}.\n")])
        #expect(problems.contains { $0.hasPrefix("Content/01-results.md:1:18: unknown key 'nope'") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("Content/01-results.md:8:5: unknown key 'gone'") }, "\(problems)")
    }

    @Test func stepsAfterMultiLineMathStayInPlace() throws {
        let markdown = "$$\na\\\\\nb\n$$\n\n```swift\nprint(1)\n```\n\nEnd $c$.\n"
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(markdown, outputs: [1: "printed-one"])])
        let body = Self.body(try #require(files.text("01-results.html")))
        #expect(body.contains("printed-one"))
        #expect(body.contains("katex-display"))
    }

    @Test func headingsAndSearchShowTheTeX() throws {
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(
            "# Results\n\n## The rate $\\alpha$\n\nWe set $\\alpha = 0.1$ here.\n")])
        let search = try #require(files.text("search-index.js"))
        #expect(search.contains("We set \\\\alpha = 0.1 here."), "\(search)")
        #expect(!search.contains("katex"))
        let page = try #require(files.text("01-results.html"))
        #expect(page.contains("id=\"the-rate-alpha\""), "heading id from the TeX")
    }

    @Test func aLineStartingWithMathStaysMarkdown() throws {
        // The token at the start of a line must not open a raw HTML block that would swallow the next lines.
        let body = Self.body(try Self.page("$$x^2$$\nwhere *y* is bold.\n\n$a$ and **b**\n"))
        #expect(body.contains("<em>y</em>"))
        #expect(body.contains("<strong>b</strong>"))
        #expect(body.components(separatedBy: "class=\"katex\"").count - 1 == 2)
    }

    @Test func mathInImageAltTextIsItsTeX() throws {
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter("![plot of $x^2$](plot.png) and $y$\n")],
                                                    assets: ["plot.png"])
        let body = Self.body(try #require(files.text("01-results.html")))
        #expect(body.contains("alt=\"plot of $x^2$\""), "\(body)")
        #expect(body.components(separatedBy: "class=\"katex\"").count - 1 == 1)
    }

    @Test func mathInListsQuotesAndTables() throws {
        let body = Self.body(try Self.page("- item $a^2$\n\n> quote $b^2$\n\n| x |\n|---|\n| $c^2$ |\n"))
        #expect(body.components(separatedBy: "class=\"katex\"").count - 1 == 3)
    }

    @Test func outputIsTheSameOnEveryBuild() throws {
        let markdown = "Inline $\\sum_{i=1}^n x_i$ and\n\n$$\\int_0^1 f(x)\\,dx$$\n"
        let first = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(markdown)])
        let second = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(markdown)])
        #expect(first.paths == second.paths)
        for path in first.paths { #expect(first[path] == second[path], "\(path)") }
    }

    @Test func oneRendererCallPerBuildAndACacheBetweenBuilds() throws {
        let folder = try TemporaryFolder(prefix: "math")
        defer { folder.remove() }
        let chapters = (1...3).map { number in
            ChapterDocumentTests.chapter("Chapter $x_\(number)$ and $$y^\(number)$$\n", slug: "0\(number)-c", number: number)
        }
        let calls = Counter()
        let katex = MathRenderer.katex(cacheDirectory: folder.root)
        let counting = MathRenderer(render: { formulas in calls.add(formulas.count); return try katex.render(formulas) },
                                    assets: katex.assets)
        let first = try SiteRenderer(book: ChapterDocumentTests.info, math: counting).render(chapters)
        #expect(calls.values == [6])
        // The cache answers the second build without node: a renderer whose node does not exist still works.
        let cachedOnly = MathRenderer.katex(cacheDirectory: folder.root, node: "/nonexistent/node")
        let second = try SiteRenderer(book: ChapterDocumentTests.info, math: cachedOnly).render(chapters)
        for path in first.paths { #expect(first[path] == second[path], "\(path)") }
        // A changed formula is rendered again (and without node, it cannot be: the error says what to install).
        var changed = chapters
        changed[0] = ChapterDocumentTests.chapter("Chapter $x_9$\n", slug: "01-c", number: 1)
        let problems: [String]
        do {
            _ = try SiteRenderer(book: ChapterDocumentTests.info, math: cachedOnly).render(changed)
            problems = []
        } catch {
            problems = [error.description]
        }
        #expect(problems.count == 1)
        #expect((problems.first ?? "").hasPrefix("Content/01-c.md:1:9: "), "\(problems)")
        #expect((problems.first ?? "").contains("sudo apt-get install nodejs libjs-katex fonts-katex"), "\(problems)")
    }

    @Test(.enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
    func aPageWithMathLaysOutFromFileURLWithoutNetwork() async throws {
        let folder = try TemporaryFolder(prefix: "math")
        defer { folder.remove() }
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(
            "# Results\n\nInline $\\text{acc}_{train}$ and\n\n$$\\frac{TP}{TP + FP}$$\n")])
        for path in files.paths {
            let url = folder.url(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try #require(files[path])).write(to: url)
        }
        // A page beside it that waits for KaTeX's fonts, from file:// with every network request refused.
        try folder.write("probe.html", """
            <!doctype html><html><head><link rel="stylesheet" href="assets/katex/katex.min.css"></head>
            <body><span class="katex">x</span><script>
            Promise.all([document.fonts.load('1em KaTeX_Main'), document.fonts.load('italic 1em KaTeX_Math')])
              .then(r => { document.body.dataset.loaded = r.map(f => f.length).join(',') });
            </script></body></html>
            """)
        let proxy = ["--proxy-server=http://127.0.0.1:9", "--virtual-time-budget=5000", "--dump-dom"]
        let dom = try await Chromium.run(proxy + [folder.url("01-results.html").absoluteString]).stdout
        #expect(dom.contains("class=\"katex-display\""))
        #expect(dom.contains("<mfrac>"))
        let probe = try await Chromium.run(proxy + [folder.url("probe.html").absoluteString]).stdout
        #expect(probe.contains("data-loaded=\"1,1\""), "both fonts load from the site's folder: \(probe)")
    }
}

enum KaTeXInstalled {
    static let value = KaTeX.findNode() != nil
        && FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js")
        && FileManager.default.fileExists(atPath: "/usr/share/fonts/truetype/katex/KaTeX_Main-Regular.woff2")
}

/// A thread-safe list of numbers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func add(_ value: Int) { lock.withLock { list.append(value) } }
    var values: [Int] { lock.withLock { list } }
}

/// The shipped book uses dollars only in code (`$0`), so math leaves its pages exactly as they were.
/// The book writes math on purpose now; what must not happen is prose read as math by accident (a price, a
/// shell variable): every formula in the book is one a reader would call a formula.
@Test func theBooksMathIsMeantAsMath() throws {
    let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Content")
    let chapters = try FileManager.default.contentsOfDirectory(atPath: content.path).filter { $0.hasSuffix(".md") }
    #expect(!chapters.isEmpty)
    var formulas = 0
    for name in chapters {
        let text = try String(contentsOf: content.appendingPathComponent(name), encoding: .utf8)
        for span in MathSpans.scan(text)?.spans ?? [] {
            formulas += 1
            let tex = span.tex.trimmingCharacters(in: .whitespacesAndNewlines)
            // A price or amount ("$5 and $10" would give "5 and "): digits, then words, no TeX at all.
            let looksLikeAmount = tex.first?.isNumber == true && tex.contains(" ")
                && !tex.contains(where: { "\\^_={}+-<>()|".contains($0) })
            #expect(!looksLikeAmount, "\(name): '\(span.tex)' reads as an amount, not a formula")
            #expect(!tex.isEmpty && !tex.hasPrefix("HOME") && !tex.hasPrefix("PATH"), "\(name): '\(span.tex)' is a shell variable")
        }
    }
    #expect(formulas > 20, "the book's chapters 3 to 15 use math; found \(formulas) formulas")
}
