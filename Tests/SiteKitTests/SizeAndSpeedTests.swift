import BookModel
import Notebook
import Foundation
import LoopbookRuntime
import Testing
@testable import SiteKit

/// A book-sized input (8 chapters like the real course) for the page-size and re-render targets.
/// Prints numbers; asserts only the size limits (which do not depend on the machine).
@Suite struct SizeAndSpeedTests {
    static func bookSizedChapters() -> [ExecutedChapter] {
        (1...8).map { number in
            var blocks: [Block] = []
            var results: [StepResult] = []
            let paragraph = String(repeating: "The forest is retrained on the corrected labels and its accuracy is measured again on the holdout set. ", count: 6)
            for step in 1...10 {
                blocks.append(.prose(markdown: "## Section \(step)\n\n\(paragraph)\n\n\(paragraph)\n", line: step * 20))
                blocks.append(.step(Step(index: step, line: step * 20 + 8, code: """
                    let forest = RandomForestClassifier(nEstimators: 100, randomState: \(step))
                    let model = try forest.fit(train.features, train.labels)
                    let accuracy = accuracyScore(test.labels, model.predict(test.features))
                    print("round \\(round): accuracy \\(accuracy)")
                    """, flags: StepFlags())))
                var outputs: [StepOutput] = [.stdout("round \(step): accuracy 0.9\(step)\n")]
                if step % 3 == 0 {
                    outputs.append(.record(.table(TableSpec(columns: ["sepal length", "sepal width", "petal length", "petal width", "species"],
                        numeric: [true, true, true, true, false],
                        rows: (0..<10).map { ["5.\($0)", "3.\($0)", "1.\($0)", "0.\($0)", "setosa"] }, totalRows: 150))))
                }
                if step == 4 {
                    outputs.append(.record(.chart(ChartSpec(title: "Petals", kind: .scatter((0..<150).map {
                        ScatterPoint(x: Double($0 % 70) / 10, y: Double($0 % 25) / 10, group: ["setosa", "versicolor", "virginica"][$0 % 3], highlighted: $0 % 17 == 0)
                    })))))
                }
                if step == 7 {
                    outputs.append(.record(.chart(ChartSpec(title: "Accuracy", kind: .line((0..<3).map { s in
                        LineSeries(name: "seed \(s)", points: (0..<20).map { Point(x: Double($0), y: 0.8 + Double(($0 * 7 + s) % 13) / 100) })
                    })))))
                    outputs.append(.record(.chart(ChartSpec(title: "Confusion", kind: .heatmap(rowLabels: ["a", "b", "c"], columnLabels: ["a", "b", "c"],
                        values: [[10, 1, 0], [2, 8, 1], [0, 1, 9]])))))
                }
                results.append(StepResult(index: step, outputs: outputs))
            }
            let chapter = Chapter(path: "Content/0\(number)-chapter.md", slug: "0\(number)-chapter", number: number,
                                  title: "Chapter \(number)", summary: "Summary of chapter \(number).", blocks: blocks)
            return ExecutedChapter(chapter: chapter, result: ChapterResult(steps: results), status: .cached)
        }
    }

    @Test func pagesAndSiteStayWithinTheirBudgets() throws {
        let chapters = Self.bookSizedChapters()
        let renderer = SiteRenderer(book: BookInfo(title: "Feedback Loops"))
        let files = try renderer.render(chapters)
        let largestPage = files.paths.filter { $0.hasSuffix(".html") }.map { ($0, files[$0]?.count ?? 0) }.max { $0.1 < $1.1 }
        print("site: \(files.count) files, \(files.totalBytes) bytes; largest page \(largestPage?.0 ?? "-") \(largestPage?.1 ?? 0) bytes")
        for path in files.paths where path.hasSuffix(".html") {
            #expect((files[path]?.count ?? 0) <= 150 * 1024, "\(path) is over 150 KB")
        }
        #expect(files.totalBytes <= 2 * 1024 * 1024)

        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<3 {
            let elapsed = try clock.measure { _ = try renderer.render(chapters) }
            best = min(best, elapsed)
        }
        print("re-rendering 8 cached chapters: best of 3 = \(best) (target ≤ 0.3 s; debug build)")
    }
}
