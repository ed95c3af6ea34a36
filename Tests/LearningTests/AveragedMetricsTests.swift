import Foundation
import Testing
@testable import Learning

/// scikit-learn 1.9.1's averaged precision, recall and F-scores (every `average` and `zero_division`)
/// and its multiclass `roc_auc_score`, recorded by `Fixtures/make_averaged_metrics_fixtures.py` into
/// `Fixtures/parity/averaged_metrics.json` (versions inside the file). Values are compared with `==`
/// (NaN with NaN); warnings by their exact text.
enum AveragedFixture {
    struct File: Decodable {
        let versions: [String: String]
        let prf: [PRF]
        let roc: [ROC]
    }
    struct PRF: Decodable, CustomTestStringConvertible {
        let name: String, yTrue: [Int], yPred: [Int], labels: [Int]?, average: String, zeroDivision: String
        let metric: String, value: Double?, warnings: [String]
        var testDescription: String {
            "\(metric) \(name) average \(average) zero_division \(zeroDivision) labels \(labels.map { "\($0)" } ?? "-")"
        }
    }
    struct ROC: Decodable, CustomTestStringConvertible {
        let name: String, y: [Int], proba: [[Double]], labels: [Int]?, multiClass: String, average: String, auc: Double?
        var testDescription: String { "roc_auc \(name) \(multiClass) \(average)" }
    }

    static let file: File = {
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: DataFixtures.url("parity/averaged_metrics.json")))
        } catch {
            fatalError("parity/averaged_metrics.json cannot be read: \(error)")
        }
    }()

    static func zeroDivision(_ text: String) -> ZeroDivision {
        switch text {
        case "warn": .warn
        case "0": .zero
        case "1": .one
        default: .nan
        }
    }

    static func same(_ a: Double, _ b: Double?) -> Bool {
        guard let b else { return a.isNaN }
        return a == b
    }
}

@Suite struct AveragedMetricsTests {
    @Test func fixtureRecordsItsVersions() {
        #expect(AveragedFixture.file.versions["scikit-learn"] == "1.9.1")
        #expect(AveragedFixture.file.prf.count == 600)
    }

    @Test(arguments: AveragedFixture.file.prf)
    func precisionRecallAndFScoresMatchScikitLearn(_ c: AveragedFixture.PRF) throws {
        let average = MetricAverage(rawValue: c.average)!
        let zero = AveragedFixture.zeroDivision(c.zeroDivision)
        let (value, warnings) = try LearningWarnings.collecting { () throws -> Double in
            switch c.metric {
            case "precision": try precisionScore(c.yTrue, c.yPred, labels: c.labels, average: average, zeroDivision: zero)
            case "recall": try recallScore(c.yTrue, c.yPred, labels: c.labels, average: average, zeroDivision: zero)
            case "f1": try f1Score(c.yTrue, c.yPred, labels: c.labels, average: average, zeroDivision: zero)
            case "fbeta2": try fbetaScore(c.yTrue, c.yPred, beta: 2, labels: c.labels, average: average, zeroDivision: zero)
            default: try fbetaScore(c.yTrue, c.yPred, beta: 0.5, labels: c.labels, average: average, zeroDivision: zero)
            }
        }
        #expect(AveragedFixture.same(value, c.value), "got \(value), scikit-learn \(String(describing: c.value))")
        #expect(warnings.map(\.message) == c.warnings)
    }

    @Test(arguments: AveragedFixture.file.roc)
    func multiclassRocAucMatchesScikitLearn(_ c: AveragedFixture.ROC) throws {
        let value = try LearningWarnings.collecting {
            try rocAucScore(c.y, c.proba, multiClass: MultiClass(rawValue: c.multiClass)!,
                            average: MetricAverage(rawValue: c.average)!, labels: c.labels)
        }.result
        #expect(AveragedFixture.same(value, c.auc), "got \(value), scikit-learn \(String(describing: c.auc))")
    }

    @Test func averagedScoresOnAThreeClassExample() throws {
        // Class 2 is never predicted: its precision is 0/0.
        let yTrue = [0, 1, 2, 2, 1, 0, 2, 1], yPred = [0, 1, 1, 1, 1, 0, 0, 1]
        // Per class: precision 2/3, 3/5, 0/0; recall 2/2, 3/3, 0/3.
        #expect(try precisionScore(yTrue, yPred, average: .macro, zeroDivision: .zero) == (2.0 / 3 + 3.0 / 5 + 0) / 3)
        #expect(try precisionScore(yTrue, yPred, average: .macro, zeroDivision: .one) == (2.0 / 3 + 3.0 / 5 + 1) / 3)
        #expect(try precisionScore(yTrue, yPred, average: .macro, zeroDivision: .nan) == (2.0 / 3 + 3.0 / 5) / 2)
        #expect(try precisionScore(yTrue, yPred, average: .micro) == 5.0 / 8)
        #expect(try recallScore(yTrue, yPred, average: .weighted) == 5.0 / 8)  // (1·2 + 1·3 + 0·3) / 8
        let (_, warnings) = try LearningWarnings.collecting { try precisionScore(yTrue, yPred, average: .macro) }
        #expect(warnings.map(\.message) == [
            "Precision is ill-defined and being set to 0.0 in labels with no predicted samples. Use `zero_division` parameter to control this behavior."])
    }

    @Test func errorsAreSentences() {
        #expect(ToolkitTests.message { _ = try rocAucScore([0, 1, 2], [0.2, 0.5, 0.9]) }
            == "This rocAucScore takes one score per row, for a binary target, but yTrue holds 3 classes ([0, 1, 2]); pass the class probabilities (n rows × k columns, as predictProba gives) with multiClass: .ovr or .ovo.")
        #expect(ToolkitTests.message { _ = try f1Score([0, 1, 2], [0, 1, 1]) }
            == "Target is multiclass (3 labels: [0, 1, 2]) but average is .binary; choose .micro, .macro or .weighted.")
        #expect(ToolkitTests.message { _ = try precisionScore([0, 2], [2, 0], posLabel: 1) }
            == "posLabel=1 is not a valid label. It should be one of [0, 2].")
        #expect(ToolkitTests.message { _ = try rocAucScore([0, 1, 2], [[0.5, 0.5, 0.5]] + [[1, 0, 0], [0, 1, 0]], multiClass: .ovr) }
            == "Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes; row 0 sums to 1.5.")
        #expect(ToolkitTests.message { _ = try rocAucScore([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], multiClass: .ovo, average: .micro) }
            == "average must be .macro or .weighted for a multiclass ROC AUC with multiClass .ovo.")
        #expect(ToolkitTests.message { _ = try rocAucScore([0, 1, 2], [[1, 0], [0, 1], [0, 1]], multiClass: .ovr) }
            == "Number of classes in yTrue (3: [0, 1, 2]) not equal to the number of columns in 'yScore' (2).")
    }

    @Test func twoColumnsOfABinaryTargetScoreTheSecond() throws {
        let y = [0, 0, 1, 1], p = [0.1, 0.4, 0.35, 0.8]
        #expect(try rocAucScore(y, p.map { [1 - $0, $0] }, multiClass: .ovr) == rocAucScore(y, p))
        #expect(try rocAucScore(y, p) == 0.75)
    }
}
