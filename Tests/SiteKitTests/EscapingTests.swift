import BookModel
import Notebook
import LoopbookRuntime
import Testing
@testable import SiteKit

/// Everything from chapters is text unless it is our own markup or cmark's tag-filtered output.
@Suite struct EscapingTests {
    func page(outputs: [StepOutput], failure: StepFailure? = nil, title: String = "T") throws -> String {
        let chapter = Chapter(path: "Content/01-x.md", slug: "01-x", number: 1, title: title,
                              blocks: [.step(Step(index: 1, line: 3, code: "print(\"<b>\")\n", flags: StepFlags()))])
        let executed = ExecutedChapter(chapter: chapter, result: ChapterResult(steps: [StepResult(index: 1, outputs: outputs, failure: failure)]),
                                       status: .cached)
        return try #require(try SiteRenderer(book: BookInfo(title: "B")).render([executed]).text("01-x.html"))
    }

    @Test func stdoutAndStderrAreText() throws {
        let html = try page(outputs: [.stdout("<script>alert(1)</script>\n"), .stderr("\"><img src=x onerror=alert(1)>")])
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<script>alert"))
    }

    @Test func recordsAndFailuresAreText() throws {
        let table = TableSpec(title: "<i>t</i>", columns: ["<th>"], rows: [["<td onclick=x>"]])
        let html = try page(outputs: [
            .record(.table(table)),
            .record(.metric(MetricSpec(name: "<m>", text: "<v>", detail: "<d>"))),
            .record(.chart(ChartSpec(title: "</title><script>", kind: .bar(categories: ["<c>"], series: [BarSeries(name: "<s>", values: [1])])))),
        ], failure: StepFailure(file: "Content/01-x.md", line: 4, message: "<error>"), title: "<Title>")
        for raw in ["<i>t</i>", "<th>", "<td onclick", "<m>", "<v>", "<d>", "</title><script>", "<c>", "<s>", "<error>", "<Title>"] {
            #expect(!html.contains(raw), "\(raw) appears unescaped")
        }
        #expect(html.contains("&lt;td onclick=x&gt;"))
    }

    @Test func rawHTMLInProseIsTagFiltered() throws {
        let files = try SiteRenderer(book: FixtureBook.info).render([FixtureBook.welcome])
        let html = try #require(files.text("01-welcome.html"))
        #expect(html.contains("&lt;script>alert"))
        #expect(html.contains("<b>bold</b>"))
    }

    @Test func codeIsEscaped() throws {
        let html = try page(outputs: [])
        #expect(html.contains(#"print(<span class="s">"&lt;b&gt;"</span>)"#))
    }
}
