import Foundation
import Testing
@testable import Learning

/// A case of `Fixtures/metrics.json`, computed by scikit-learn (see `make_model_fixtures.py`).
struct MetricsCase: Decodable, CustomTestStringConvertible {
    let name: String
    let yTrue: [Int]
    let yPred: [Int]
    let labels: [Int]?
    let targetNames: [String]?
    let digits: Int
    let accuracy: Double
    let confusion: [[Int]]
    let precision: [Double]
    let recall: [Double]
    let f1: [Double]
    let support: [Int]
    let report: String

    var testDescription: String { name }

    static func all() throws -> [MetricsCase] {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        struct File: Decodable { let cases: [MetricsCase] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: base.appendingPathComponent("metrics.json"))).cases
    }
}

@Suite struct MetricsTests {
    @Test func handComputed() throws {
        let yTrue = [0, 0, 0, 1, 1, 2]
        let yPred = [0, 1, 0, 1, 2, 2]
        #expect(try accuracyScore(yTrue, yPred) == 4.0 / 6.0)
        let matrix = try confusionMatrix(yTrue, yPred)
        #expect(matrix.labels == [0, 1, 2])
        #expect(matrix.counts == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(matrix.count(true: 0, predicted: 1) == 1)
        #expect(matrix.total == 6)
        #expect(matrix.description == "  0 1 2\n0 2 1 0\n1 0 1 1\n2 0 0 1\n")
        let scores = try precisionRecallFScoreSupport(yTrue, yPred)
        #expect(scores.precision == [1.0, 0.5, 0.5])
        #expect(scores.recall == [2.0 / 3.0, 0.5, 1.0])
        #expect(scores.support == [3, 2, 1])
        #expect(abs(scores.f1[0] - 0.8) < 1e-12)
        // Labels fix the order and drop pairs outside them.
        #expect(try confusionMatrix(yTrue, yPred, labels: [2, 0]).counts == [[1, 0], [0, 2]])
    }

    @Test(arguments: try MetricsCase.all())
    func matchesScikitLearn(_ c: MetricsCase) throws {
        #expect(try accuracyScore(c.yTrue, c.yPred) == c.accuracy)
        #expect(try confusionMatrix(c.yTrue, c.yPred, labels: c.labels).counts == c.confusion)
        let scores = try precisionRecallFScoreSupport(c.yTrue, c.yPred, labels: c.labels)
        for (ours, theirs) in [(scores.precision, c.precision), (scores.recall, c.recall), (scores.f1, c.f1)] {
            #expect(ours.count == theirs.count)
            for (a, b) in zip(ours, theirs) { #expect(abs(a - b) < 1e-12) }
        }
        #expect(scores.support == c.support)
        let report = try classificationReport(c.yTrue, c.yPred, labels: c.labels, targetNames: c.targetNames, digits: c.digits)
        #expect(report.description == c.report)
    }

    @Test func reportFields() throws {
        let report = try classificationReport([0, 0, 1, 1], [0, 1, 1, 1], targetNames: ["no", "yes"])
        #expect(report.rows.map(\.name) == ["no", "yes"])
        #expect(report.accuracy == 0.75)
        #expect(report.macroAverage.support == 4)
        #expect(abs(report.weightedAverage.precision - (1.0 * 2 + 2.0 / 3.0 * 2) / 4) < 1e-12)
        #expect(throws: LearningError.self) { try classificationReport([0, 1], [0, 1], targetNames: ["one"]) }
    }

    @Test func errors() {
        #expect(throws: LearningError.labelCountMismatch(labels: 2, samples: 3)) { try accuracyScore([0, 1, 1], [0, 1]) }
        #expect(throws: LearningError.emptyData("There are no labels to score; yTrue and yPred are empty.")) {
            try accuracyScore([], [])
        }
        #expect(throws: LearningError.self) { try confusionMatrix([0], [0], labels: []) }
        #expect(throws: LearningError.self) { try confusionMatrix([0], [0], labels: [0, 0]) }
    }
}
