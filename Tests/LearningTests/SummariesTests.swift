import Foundation
import Testing
import Learning

/// Publish-friendly summaries and the everyday helpers (labelled tables, integer means, fractions).
@Suite struct SummariesTests {
    @Test func crossValidationSummarisesAsASentenceAndRows() throws {
        let x: [[Double]] = (0..<12).map { [Double($0)] }
        let y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
        let result = try crossValidate(DummyClassifier(strategy: .mostFrequent), x, y, cv: KFold(nSplits: 3),
                                       returnTrainScore: true)
        // KFold without shuffling: test rows 0–3, 4–7, 8–11. Most frequent of the training rows:
        // fold 1 trains on 2 zeros and 6 ones → predicts 1 (0/4 right); fold 2 on 4 and 4 → 0 (2/4);
        // fold 3 on 6 zeros and 2 ones → 0 (0/4).
        #expect(result.testScore == [0, 0.5, 0])
        #expect(result.meanTestScore == 0.5 / 3)
        #expect(result.stdTestScore == std([0, 0.5, 0]))
        #expect(result.summary() == "0.167 ± 0.236 over 3 folds")
        #expect(result.summaryHeader == ["fold", "train rows", "test rows", "test score", "train score"])
        #expect(result.summaryRows(digits: 2) == [
            ["1", "8", "4", "0.00", "0.75"], ["2", "8", "4", "0.50", "0.50"], ["3", "8", "4", "0.00", "0.75"],
            ["mean", "", "", "0.17", "0.67"], ["std", "", "", "0.24", "0.12"]])
    }

    @Test func pairedComparisonSummarisesAsASentenceAndRows() throws {
        let comparison = try pairedComparison([0.82, 0.85, 0.80, 0.86], [0.80, 0.81, 0.79, 0.82])
        // Differences 0.02, 0.04, 0.01, 0.04: mean 0.0275 (0.027499… in binary, so "0.027"), t = 3.667, df 3.
        #expect(abs(comparison.tStatistic - 3.6666666666666) < 1e-9)
        #expect(comparison.summary() == "a − b = 0.027 (95% CI 0.004 to 0.051; t = 3.67, p = 0.035, 4 pairs)")
        #expect(comparison.summaryRows().map { $0[0] } == ["mean difference (a − b)", "95% confidence interval", "t",
                                                            "degrees of freedom", "p (two-sided)", "pairs"])
        #expect(comparison.summaryRows()[4] == ["p (two-sided)", "0.035"])
        let strong = try pairedComparison([0.9, 0.91, 0.92, 0.93, 0.94], [0.5, 0.5, 0.52, 0.5, 0.51])
        #expect(strong.summaryRows(digits: 3)[4] == ["p (two-sided)", "< 0.001"])
        #expect(strong.summary().hasSuffix("p < 0.001, 5 pairs)"), "\(strong.summary())")
    }

    @Test func aLabelledTableHasLabelsThatAreNotOptional() throws {
        let table = try Table(["a": [1, 2, 3], "b": [4, 5, 6]], labels: [0, 1, 1])
        let data = try Dataset(table)
        #expect(data.y == [0, 1, 1])
        #expect(data.x == [[1, 4], [2, 5], [3, 6]])
        #expect(data.featureNames == ["a", "b"])
        #expect(try table.labelled() == data)
        #expect(try data.table() == table)
        #expect(ToolkitTests.message { _ = try Dataset(table.withoutLabels()) }
            == "The table has no label column, so it cannot become a labelled Dataset; read it with Table.readCSV(path, labelColumn: \"<name>\") or add labels with withLabels(_:).")
        let iris = try Dataset.readCSV(DataFixtures.path("datasets/iris.csv"))
        #expect(iris.count == 150 && iris.featureNames.count == 4)
    }

    @Test func integersAndSharesNeedNoConversions() {
        #expect(mean([1, 2, 4] as [Int]) == 7.0 / 3)
        #expect(std([1, 3] as [Int]) == 1)
        #expect(std([1, 2, 3, 4] as [Int], ddof: 1) == std([1.0, 2, 3, 4], ddof: 1))
        #expect(mean([] as [Int]).isNaN)
        #expect([0, 1, 1, 1].fraction { $0 == 1 } == 0.75)
        #expect(([] as [Int]).fraction { $0 == 1 }.isNaN)
    }
}
