import Foundation
import Testing
@testable import Learning

/// The comparison `learning-bench` times: `crossValScore(RandomForestClassifier(nEstimators: 100,
/// randomState: 0), digits)` against scikit-learn's `cross_val_score(..., cv=5)`, recorded by
/// `Fixtures/make_crossval_fixtures.py` into `Fixtures/parity/crossval_digits.json` (versions inside).
/// The folds and the five scores are the same, compared with `==`.
@Suite struct CrossValBenchParityTests {
    struct File: Decodable {
        let versions: [String: String], dataset: String, nEstimators: Int, randomState: Int, cv: Int
        let testFolds: [[Int]], scores: [Double]
    }

    static func load() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: DataFixtures.url("parity/crossval_digits.json")))
    }

    @Test func foldsAndScoresMatchScikitLearn() throws {
        let file = try Self.load()
        #expect(file.versions["scikit-learn"] == "1.9.1")
        let data = try Toolkit.dataset(file.dataset)
        let folds = try StratifiedKFold(nSplits: file.cv).split(data.y)
        #expect(folds.map(\.test) == file.testFolds)
        let forest = RandomForestClassifier(nEstimators: file.nEstimators, randomState: file.randomState)
        #expect(try crossValScore(forest, data.x, data.y) == file.scores)
    }
}
