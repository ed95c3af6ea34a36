import BookModel
import Foundation
import LoopbookRuntime
import Testing
@testable import Notebook

/// What chapter code calls (`show`, `metric`, `publish`, `Chart`), seen through a real chapter run.
@Suite(.serialized) struct RuntimeTests {
    @Test func learningTypesShowAsTablesAndCharts() async throws {
        let code = """
            ```swift
            let table = try Table(columnNames: ["a", "b"], rows: [[5.1, 1.0 / 3], [4.9, 2], [4.7, -0.25]], labelName: "kind", labels: [0, 1, 1])
            show(table, rows: 2, title: "Head")
            let matrix = try confusionMatrix([0, 1, 1, 0], [0, 1, 0, 0])
            show(matrix, classNames: ["no", "yes"])
            show(Chart.heatmap(matrix))
            show(try classificationReport([0, 1, 1, 0], [0, 1, 0, 0]))
            var tree = DecisionTreeClassifier(maxDepth: 2, randomState: 0)
            try tree.fit([[0], [1], [2], [3]], [0, 0, 1, 1])
            show(Chart.tree(tree, depth: 3, featureNames: ["size"]))
            publish("flag", true)
            publish("ratio", 2.0 / 3)
            ```
            """
        let project = try TestProject(["Content/01-a.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded, "\(report.diagnostics.map(\.descriptionWithOutput))")
        let records = try report.chapter("01-a").records(ofStep: 1)
        guard records.count == 7 else { Issue.record("Expected 7 records, got \(records)"); return }
        #expect(records[0] == .table(TableSpec(title: "Head", columns: ["a", "b", "kind"], numeric: [true, true, true],
                                               rows: [["5.1", "0.3333", "0"], ["4.9", "2", "1"]], totalRows: 3)))
        #expect(records[1] == .table(TableSpec(title: "Confusion matrix", columns: ["true \\ predicted", "no", "yes"],
                                               numeric: [false, true, true], rows: [["no", "2", "0"], ["yes", "1", "1"]])))
        #expect(records[2] == .chart(ChartSpec(title: "Confusion matrix", xLabel: "predicted", yLabel: "true",
                                               kind: .heatmap(rowLabels: ["0", "1"], columnLabels: ["0", "1"], values: [[2, 0], [1, 1]]))))
        guard case let .table(classification) = records[3] else { Issue.record("No classification table."); return }
        #expect(classification.columns == ["class", "precision", "recall", "f1-score", "support"])
        #expect(classification.rows.first == ["0", "0.67", "1.00", "0.80", "2"])
        #expect(classification.rows.map { $0[0] } == ["0", "1", "accuracy", "macro avg", "weighted avg"])
        guard case let .chart(treeChart) = records[4], case let .tree(nodes) = treeChart.kind else { Issue.record("No tree chart."); return }
        #expect(nodes.map(\.label) == ["size ≤ 1.5", "class 0", "class 1"])
        #expect(nodes[0].children == [1, 2])
        #expect(nodes[0].detail == "gini 0.500 · n 4")
        #expect(records[5] == .value(key: "flag", text: "true"))
        #expect(records[6] == .value(key: "ratio", text: "0.667"))
    }

    @Test func numbersAreFormattedWithoutLocale() {
        #expect(Format.fixed(0.8154, digits: 3) == "0.815")
        #expect(Format.fixed(-0.0001, digits: 2) == "0.00")
        #expect(Format.fixed(1234567.5, digits: 1) == "1234567.5")
        #expect(Format.fixed(.nan, digits: 2) == "nan")
        #expect(Format.compact(5.1) == "5.1")
        #expect(Format.compact(3.0) == "3")
        #expect(Format.compact(-0.00001) == "0")
    }

    @Test func histogramBinningIsDeterministic() {
        let bins = Chart.binned([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], bins: 5)
        #expect(bins.map(\.count) == [2, 2, 2, 2, 3])
        #expect(bins.first?.lower == 0 && bins.last?.upper == 10)
        #expect(Chart.binned([4, 4], bins: 3) == [HistogramBin(lower: 3.5, upper: 4.5, count: 2)])
        #expect(Chart.binned([.nan], bins: 3).isEmpty)
    }

    @Test func histogramEdgesGiveDiscreteValuesOneBinEach() {
        // Accuracies on 20 rows are multiples of 0.05: with edges halfway between them every value that
        // occurs has its own bin, and a value that does not occur leaves its bin empty.
        let accuracies = [0.35, 0.4, 0.4, 0.45, 0.55, 0.55, 0.55, 0.6]
        let edges = (7...13).map { (Double($0) - 0.5) / 20 }   // 0.325 … 0.625
        let bins = Chart.binned(accuracies, edges: edges)
        #expect(bins.map(\.count) == [1, 2, 1, 0, 3, 1])
        #expect(bins.first?.lower == 0.325 && bins.last?.upper == 0.625)
        // numpy: the last edge belongs to the last bin, values outside and NaN are not counted.
        #expect(Chart.binned([0, 1, 2, 2.5, -1, 3, .nan], edges: [0, 1, 2]).map(\.count) == [1, 2])
        // Whole numbers: one bin per value from the smallest to the largest, centred on it.
        guard case .histogram(let leaves) = Chart.histogram([3, 5, 5, 7]).kind else {
            Issue.record("Chart.histogram of whole numbers did not make a histogram"); return
        }
        #expect(leaves == [HistogramBin(lower: 2.5, upper: 3.5, count: 1), HistogramBin(lower: 3.5, upper: 4.5, count: 0),
                           HistogramBin(lower: 4.5, upper: 5.5, count: 2), HistogramBin(lower: 5.5, upper: 6.5, count: 0),
                           HistogramBin(lower: 6.5, upper: 7.5, count: 1)])
    }

    @Test func forgedRecordsWithoutTheNonceStayText() async throws {
        let code = "```swift\nprint(\"\\u{1E}LOOPBOOK 0000 {\\\"end\\\":{}}\")\nprint(\"after\")\n```\n"
        let project = try TestProject(["Content/01-a.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded)
        #expect(try report.chapter("01-a").text(ofStep: 1) == "\u{1E}LOOPBOOK 0000 {\"end\":{}}\nafter\n")
    }
}
