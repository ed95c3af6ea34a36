import BookModel
import Foundation
import LoopbookRuntime
import LoopbookTestSupport
import Markdown
import Testing
@testable import SiteKit

/// Tables in prose wrap their text; output tables keep numbers on one line and wrap only long text.
@Suite struct TableLayoutTests {
    static let proseTable = """
        | the tutorial (Python) | this book (Swift) |
        |---|---|
        | `RandomForestClassifier(n_estimators=100, random_state=42)` | `RandomForestClassifier(nEstimators: 100, randomState: 42)` |
        | a sentence long enough to need two lines on a phone, and probably more than two | short |
        """

    static let outputTable = TableSpec(
        columns: ["update strategy", "before the change", "rounds to recover"], numeric: [false, true, true],
        rows: [["retrain on a recent window of 200 rows", "0.851 (±0.020)", "2"], ["retrain on everything labelled", "0.862", "5"]])

    @Test func proseTablesAreMarkedAsProse() {
        let html = ProseRenderer.preview(Self.proseTable).html
        #expect(html.contains("<div class=\"table-wrap prose-table\">\n<table>"), "\(html)")
        #expect(html.contains("</table>\n</div>"))
    }

    @Test func outputTablesMarkLongTextColumnsForWrapping() {
        let html = Tables.html(Self.outputTable)
        #expect(html.contains("<td class=\"wrap\">retrain on a recent window of 200 rows</td><td class=\"num\">0.851 (±0.020)</td>"), "\(html)")
        #expect(html.contains("<th scope=\"col\">update strategy</th><th class=\"num\" scope=\"col\">before the change</th>"))
        let short = Tables.html(TableSpec(columns: ["class", "n"], numeric: [false, true], rows: [["class 0", "12"]]))
        #expect(short.contains("<td>class 0</td><td class=\"num\">12</td>"), "short text stays on one line: \(short)")
    }

    @Test func theStylesheetWrapsProseAndKeepsNumbersCompact() {
        #expect(Assets.css.contains("table.data td { white-space: nowrap; }"))
        #expect(Assets.css.contains("table.data td.wrap { white-space: normal;"))
        #expect(!Assets.css.contains("text-align: left; white-space: nowrap; }"), "cells in general may wrap")
    }

    /// In headless Chromium: at 1200 and 400 px the prose table fits its column (no sideways scrolling)
    /// and the output table's numbers stay on one line.
    @Test(.enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"),
          arguments: [1200, 400])
    func tablesFitInChromium(width: Int) async throws {
        let page = """
            <!doctype html><html><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(Assets.css)</style></head>
            <body><main class="content"><article>
            \(ProseRenderer.preview(Self.proseTable).html)
            \(Tables.html(Self.outputTable))
            </article></main>
            <pre id="result"></pre>
            <script>
            var wraps = document.querySelectorAll(".table-wrap"), out = [];
            out.push("prose-scrolls=" + (wraps[0].scrollWidth > wraps[0].clientWidth + 1));
            var numbers = document.querySelectorAll("table.data td.num"), tall = 0;
            numbers.forEach(function (td) {
              var range = document.createRange();
              range.selectNodeContents(td);
              if (range.getClientRects().length > 1) tall++;   // one rectangle per line
            });
            out.push("wrapped-numbers=" + tall);
            var row = document.querySelector(".prose-table tr:last-child td");
            out.push("prose-lines=" + Math.round(row.getBoundingClientRect().height / 20));
            document.getElementById("result").textContent = out.join(" ");
            </script></body></html>
            """
        let directory = try TemporaryFolder(prefix: "tables")
        defer { directory.remove() }
        try directory.write("page.html", page)
        let dom = try await Chromium.run(["--dump-dom", "--window-size=\(width),900", directory.url("page.html").absoluteString],
                                         timeout: nil, requireSuccess: false).stdout
        let result = try #require(dom.firstMatch(of: /<pre id="result">([^<]*)<\/pre>/).map { String($0.output.1) })
        #expect(result.contains("prose-scrolls=false"), "at \(width) px: \(result)")
        #expect(result.contains("wrapped-numbers=0"), "at \(width) px: \(result)")
        if width == 400 {
            let lines = try #require(result.firstMatch(of: /prose-lines=(\d+)/).flatMap { Int($0.output.1) })
            #expect(lines >= 2, "the long sentence wraps at 400 px: \(result)")
        }
    }
}
