import Foundation
import LoopbookCommands
import Testing

/// Escape by default, through the whole build: what steps print or publish is text in the built page;
/// raw HTML in prose goes through GFM's tagfilter.
@Suite("Security")
struct SecurityTests {
    @Test func stepOutputAndValuesRenderAsTextAndProseScriptIsFiltered() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let step = #"""
            print("<script>alert('out')</script>")
            print("\"><img src=x onerror=alert('attr')>")
            FileHandle.standardError.write(Data("<script>alert('err')</script>\n".utf8))
            publish("html", "<script>alert('value')</script>\"><img src=x onerror=alert('value')>")
            show([["<script>alert('cell')</script>", "\"><img src=x onerror=alert('cell')>"]],
                 header: ["<b>h</b>", "x"], title: "<script>alert('title')</script>")
            metric("<img src=x onerror=alert('metric')>", 1)
            show(Chart.bar(title: "</title><script>alert('chart')</script>", categories: ["<script>alert('bar')</script>"], values: [1]))
            """#
        try project.edit("02-more.md") { text in
            text.replacingOccurrences(of: "print(squares)", with: "import Foundation\nprint(squares)\n" + step)
                + "\nPublished: {{ html }}\n\nRaw HTML in prose: <script>alert(1)</script> and <b>bold</b>.\n"
        }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let page = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)

        for marker in ["out", "attr", "err", "value", "cell", "title", "metric", "chart", "bar"] {
            #expect(!page.contains("<script>alert('\(marker)')"), "a <script> from \(marker) is live in the page")
            #expect(!page.contains("<img src=x onerror=alert('\(marker)')"), "an <img> from \(marker) is live in the page")
        }
        #expect(page.contains("&lt;script&gt;alert('out')&lt;/script&gt;"), "step output is shown as text")
        #expect(page.contains("&gt;&lt;img src=x onerror=alert('attr')&gt;"), "step output is shown as text")
        #expect(page.contains("&lt;script&gt;alert('value')"), "published values are shown as text")
        #expect(!page.contains("<script>alert(1)"), "a <script> in prose is live in the page")
        #expect(page.contains("&lt;script>alert(1)&lt;/script>"), "GFM's tagfilter disarms <script> in prose")
        #expect(page.contains("<b>bold</b>"), "other raw HTML in prose is the author's choice and kept")
        // The page's own scripts are the only ones: none of them is one of the steps' alerts.
        for script in page.components(separatedBy: "<script").dropFirst() {
            let body = script.components(separatedBy: "</script>").first ?? script
            #expect(!body.contains("alert("), "a script from the chapter: <script\(body.prefix(80))")
        }
    }
}
