import Foundation
import Testing
@testable import Learning

/// scikit-learn's `train_test_split` indices, made by `make_fixtures.py` (`split.json`).
private struct SplitFixture: Decodable {
    struct Plain: Decodable {
        let n: Int
        let test_size: Double
        let is_count: Bool
        let seed: Int
        let train: [Int]
        let test: [Int]
    }
    struct Stratified: Decodable {
        let name: String
        let y: [Int]
        let test_size: Double
        let seed: Int
        let train: [Int]
        let test: [Int]
    }
    let sklearn: String
    let cases: [Plain]
    let stratified: [Stratified]
}

struct SplitTests {
    private func fixture() throws -> SplitFixture {
        try DataFixtures.json(SplitFixture.self, "split.json")
    }

    @Test func plainSplitsEqualScikitLearn() throws {
        let cases = try fixture().cases
        #expect(cases.count >= 10)
        for c in cases {
            let got = c.is_count
                ? try trainTestSplitIndices(count: c.n, testCount: Int(c.test_size), randomState: c.seed)
                : try trainTestSplitIndices(count: c.n, testSize: c.test_size, randomState: c.seed)
            #expect(got.test == c.test, "n=\(c.n) test_size=\(c.test_size) seed=\(c.seed)")
            #expect(got.train == c.train, "n=\(c.n) test_size=\(c.test_size) seed=\(c.seed)")
        }
    }

    @Test func stratifiedSplitsEqualScikitLearn() throws {
        let cases = try fixture().stratified
        #expect(cases.count >= 20)
        for c in cases {
            let got = try trainTestSplitIndices(stratify: c.y, testSize: c.test_size, randomState: c.seed)
            #expect(got.test == c.test, "\(c.name) test_size=\(c.test_size) seed=\(c.seed)")
            #expect(got.train == c.train, "\(c.name) test_size=\(c.test_size) seed=\(c.seed)")
        }
    }

    @Test func approximateModeMatchesScikitLearnsDocExamples() throws {
        var rng = try NumPyRandom(seed: 0)
        #expect(approximateMode([4, 2], draws: 3, rng: &rng) == [2, 1])
        rng = try NumPyRandom(seed: 0)
        #expect(approximateMode([5, 2], draws: 4, rng: &rng) == [3, 1])
        rng = try NumPyRandom(seed: 0)
        #expect(approximateMode([2, 2, 2, 1], draws: 2, rng: &rng) == [0, 1, 1, 0])
        rng = try NumPyRandom(seed: 42)
        #expect(approximateMode([2, 2, 2, 1], draws: 2, rng: &rng) == [1, 1, 0, 0])
    }

    @Test func tutorialSplitOfTheSampleData() throws {
        // train_test_split(X, y, test_size=0.2, random_state=42) on the tutorial's 100 rows.
        let table = try Table.readCSV(DataFixtures.path("sample_data.csv"))
        let labels = try #require(table.labels)
        let rows = table.rows
        let (xTrain, xTest, yTrain, yTest) = try trainTestSplit(rows, labels, testSize: 0.2, randomState: 42)
        #expect(xTrain.count == 80 && xTest.count == 20 && yTrain.count == 80 && yTest.count == 20)
        let indices = try trainTestSplitIndices(count: 100, testSize: 0.2, randomState: 42)
        #expect(xTest == indices.test.map { rows[$0] })
        #expect(yTrain == indices.train.map { labels[$0] })
        let (train, test) = try trainTestSplit(table, testSize: 0.2, randomState: 42)
        #expect(train.rows == xTrain && test.rows == xTest)
        #expect(train.labels == yTrain && test.labels == yTest)
        #expect(test.columnNames == table.columnNames)
    }

    @Test func tableAndArrayVariantsAgreeWhenStratifiedOrCounted() throws {
        let table = try Table.readCSV(DataFixtures.path("datasets/iris.csv"))
        let y = try #require(table.labels)
        let byTable = try trainTestSplit(table, testSize: 0.3, randomState: 7, stratify: y)
        let byArrays = try trainTestSplit(table.rows, y, testSize: 0.3, randomState: 7, stratify: y)
        #expect(byTable.train.rows == byArrays.xTrain && byTable.test.labels == byArrays.yTest)
        #expect(byTable.test.labelCounts().map(\.count) == [15, 15, 15])
        let counted = try trainTestSplit(table, testCount: 10, randomState: 1)
        #expect(counted.test.rowCount == 10 && counted.train.rowCount == 140)
        let countedArrays = try trainTestSplit(table.rows, y, testCount: 10, randomState: 1)
        #expect(countedArrays.xTest == counted.test.rows)
        let stratifiedCount = try trainTestSplitIndices(stratify: y, testCount: 30, randomState: 3)
        #expect(stratifiedCount.test.count == 30)
        #expect(Set(stratifiedCount.train + stratifiedCount.test) == Set(0..<150))
    }

    @Test func splitsPartitionTheRows() throws {
        for seed in [0, 1, 2] {
            let (train, test) = try trainTestSplitIndices(count: 37, testSize: 0.3, randomState: seed)
            #expect(test.count == 12)  // ceil(0.3 * 37) = ceil(11.1)
            #expect(Set(train).isDisjoint(with: test))
            #expect((train + test).sorted() == Array(0..<37))
        }
    }

    // MARK: Errors

    private func expectInvalid(_ message: String, sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: () throws -> Void) {
        #expect(throws: LearningError.invalidParameter(message), sourceLocation: sourceLocation) { try body() }
    }

    @Test func testSizeOutOfRange() {
        for size in [0.0, 1.0, 1.5, -0.2] {
            expectInvalid("The test size (\(size)) must be a fraction strictly between 0 and 1, or a row count.") {
                _ = try trainTestSplitIndices(count: 10, testSize: size, randomState: 0)
            }
        }
        expectInvalid("The test size (nan) must be a fraction strictly between 0 and 1, or a row count.") {
            _ = try trainTestSplitIndices(count: 10, testSize: .nan, randomState: 0)
        }
        for count in [0, 10, 11] {
            expectInvalid("The test count (\(count)) must be at least 1 and less than the number of samples (10).") {
                _ = try trainTestSplitIndices(count: 10, testCount: count, randomState: 0)
            }
        }
    }

    @Test func tooFewSamples() {
        expectInvalid("With 33 samples and a test size of 0.99, the training set would be empty.") {
            _ = try trainTestSplitIndices(count: 33, testSize: 0.99, randomState: 8)
        }
        expectInvalid("With 1 samples and a test size of 0.5, the training set would be empty.") {
            _ = try trainTestSplitIndices(count: 1, testSize: 0.5, randomState: 8)
        }
        #expect(throws: LearningError.emptyData("There are no samples to split.")) {
            _ = try trainTestSplit([], [], randomState: 0)
        }
    }

    @Test func labelCountMismatch() {
        let x = (0..<100).map { [Double($0)] }
        #expect(throws: LearningError.labelCountMismatch(labels: 99, samples: 100)) {
            _ = try trainTestSplit(x, Array(repeating: 0, count: 99), testSize: 0.2, randomState: 42)
        }
        #expect(LearningError.labelCountMismatch(labels: 99, samples: 100).description
            == "Number of labels (99) does not match number of samples (100).")
        #expect(throws: LearningError.labelCountMismatch(labels: 3, samples: 100)) {
            _ = try trainTestSplit(x, Array(repeating: 0, count: 100), randomState: 42, stratify: [0, 1, 0])
        }
    }

    @Test func stratificationNeedsTwoOfEachClassAndRoomForEveryClass() {
        expectInvalid("Stratified splitting needs at least 2 samples of every class, but class 7 has only 1.") {
            _ = try trainTestSplitIndices(stratify: [0, 0, 1, 1, 7], testSize: 0.4, randomState: 0)
        }
        expectInvalid("Stratified splitting needs at least 2 samples of every class, but classes 5, 7 have only 1.") {
            _ = try trainTestSplitIndices(stratify: [0, 0, 5, 7], testSize: 0.5, randomState: 0)
        }
        expectInvalid("The test set (3 rows) must be at least as large as the number of classes (4).") {
            _ = try trainTestSplitIndices(stratify: [0, 0, 1, 1, 2, 2, 3, 3, 3], testSize: 0.25, randomState: 0)
        }
        expectInvalid("The training set (3 rows) must be at least as large as the number of classes (4).") {
            _ = try trainTestSplitIndices(stratify: [0, 0, 1, 1, 2, 2, 3, 3, 3], testCount: 6, randomState: 0)
        }
    }

    @Test func badSeedIsRejected() {
        #expect(throws: LearningError.self) { _ = try trainTestSplitIndices(count: 10, randomState: -1) }
    }
}
