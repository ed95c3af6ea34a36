import Foundation
import Testing
@testable import Learning

@Suite struct ForestTests {
    private func forestDump(_ forest: RandomForestClassifier) -> String {
        forest.estimators.map { $0.dump() }.joined(separator: "---\n")
    }

    @Test(arguments: Criterion.allCases)
    func irisAboveNinety(_ criterion: Criterion) throws {
        let (train, test) = ModelFixtures.split(try ModelFixtures.dataset("iris"), seed: 3)
        var forest = RandomForestClassifier(nEstimators: 30, criterion: criterion, randomState: 0)
        try forest.fit(train.x, train.y)
        let score = try accuracyScore(test.y, forest.predict(test.x))
        #expect(score > 0.9, "Failed with criterion \(criterion) and score = \(score)")
        #expect(forest.classes == [0, 1, 2])
        #expect(forest.estimators.count == 30)
    }

    @Test func sameSeedSameForestAndParallelEqualsSerial() throws {
        let data = try Datasets.noisyLinear(samples: 600, labelNoise: 0.1, randomState: 3)
        var serial = RandomForestClassifier(nEstimators: 12, randomState: 7, nJobs: 1)
        var parallel = RandomForestClassifier(nEstimators: 12, randomState: 7, nJobs: 4)
        var allCores = RandomForestClassifier(nEstimators: 12, randomState: 7)
        try serial.fit(data.x, data.y)
        try parallel.fit(data.x, data.y)
        try allCores.fit(data.x, data.y)
        #expect(serial.estimators == parallel.estimators)
        #expect(serial.estimators == allCores.estimators)
        #expect(forestDump(serial) == forestDump(parallel))
        #expect(try serial.predictProba(data.x) == parallel.predictProba(data.x))

        var other = RandomForestClassifier(nEstimators: 12, randomState: 8, nJobs: 1)
        try other.fit(data.x, data.y)
        #expect(forestDump(other) != forestDump(serial))
    }

    @Test func treeSeedsAreDrawnLikeScikitLearn() throws {
        let data = try Datasets.noisyLinear(samples: 50, randomState: 1)
        var forest = RandomForestClassifier(nEstimators: 3, randomState: 42)
        try forest.fit(data.x, data.y)
        // numpy: RandomState(42).randint(np.iinfo(np.int32).max, size=3)
        #expect(forest.treeSeeds == [1_608_637_542, 1_273_642_419, 1_935_803_228])
        // The first tree's bootstrap is RandomState(seed).randint(0, 50, 50) counted per row.
        var rng = NumPyRandom(seed: forest.treeSeeds[0])
        let counts = RandomForestClassifier.bootstrapCounts(sampleCount: 50, using: &rng)
        #expect(forest.estimators[0].nodes[0].weightedSampleCount == 50)
        #expect(forest.estimators[0].nodes[0].sampleCount == counts.filter { $0 > 0 }.count)
    }

    @Test func warmStartAddsTreesAndKeepsOldOnes() throws {
        let data = try Datasets.noisyLinear(samples: 400, randomState: 2)
        var forest = RandomForestClassifier(nEstimators: 5, warmStart: true, randomState: 11)
        try forest.fit(data.x, data.y)
        let first = forest.estimators
        forest.nEstimators = 9
        try forest.fit(data.x, data.y)
        #expect(forest.estimators.count == 9)
        #expect(Array(forest.estimators.prefix(5)) == first)
        // Growing 5 then 9 trees equals growing 9 at once.
        var direct = RandomForestClassifier(nEstimators: 9, randomState: 11)
        try direct.fit(data.x, data.y)
        #expect(direct.estimators == forest.estimators)
        // Refitting without more trees changes nothing, even on other data, and warns as scikit-learn
        // does; fewer trees is an error.
        let before = forest
        let other = try Datasets.noisyLinear(samples: 300, randomState: 3)
        let (_, warnings) = try LearningWarnings.collecting { try forest.fit(other.x, other.y) }
        #expect(forest.estimators == before.estimators)
        #expect(forest.trainingSampleCount == 400)
        #expect(warnings == [LearningWarning(.userWarning,
            "Warm-start fitting without increasing n_estimators does not fit new trees.")])
        #expect(forest.fitWarnings == warnings)
        forest.nEstimators = 3
        #expect(throws: LearningError.self) { try forest.fit(data.x, data.y) }
        // Without warm start a refit replaces every tree.
        var cold = RandomForestClassifier(nEstimators: 5, randomState: 11)
        try cold.fit(data.x, data.y)
        cold.nEstimators = 9
        try cold.fit(data.x, data.y)
        #expect(cold.estimators == direct.estimators)
    }

    @Test func oobScoreIsSensible() throws {
        let data = try Datasets.noisyLinear(samples: 1000, labelNoise: 0.1, randomState: 4)
        let train = data.slice(0..<700), test = data.slice(700..<1000)
        var forest = RandomForestClassifier(nEstimators: 50, oobScore: true, randomState: 0)
        try forest.fit(train.x, train.y)
        let oob = try #require(forest.oobScore)
        let testScore = try accuracyScore(test.y, forest.predict(test.x))
        #expect(oob > 0.75 && oob < 0.95, "OOB score \(oob)")
        #expect(abs(oob - testScore) < 0.06, "OOB \(oob) vs test \(testScore)")
        // Training accuracy is near perfect, which is why OOB is the honest estimate.
        #expect(try accuracyScore(train.y, forest.predict(train.x)) > oob)

        var noOOB = RandomForestClassifier(nEstimators: 5, randomState: 0)
        try noOOB.fit(train.x, train.y)
        #expect(noOOB.oobScore == nil)
        var invalid = RandomForestClassifier(nEstimators: 5, bootstrap: false, oobScore: true, randomState: 0)
        #expect(throws: LearningError.self) { try invalid.fit(train.x, train.y) }
    }

    @Test func predictIsArgmaxOfMeanProbabilities() throws {
        let data = try Datasets.noisyLinear(samples: 300, labelNoise: 0.2, randomState: 6)
        var forest = RandomForestClassifier(nEstimators: 7, maxDepth: 3, randomState: 1)
        try forest.fit(data.x, data.y)
        let probabilities = try forest.predictProba(data.x)
        var manual: [[Double]] = []
        for row in data.x {
            var sum = [0.0, 0.0]
            for tree in forest.estimators {
                let p = try tree.predictProba([row])[0]
                sum[0] += p[0]
                sum[1] += p[1]
            }
            manual.append([sum[0] / 7, sum[1] / 7])
        }
        for (a, b) in zip(probabilities, manual) { #expect(abs(a[0] - b[0]) < 1e-12 && abs(a[1] - b[1]) < 1e-12) }
        #expect(try forest.predict(data.x) == probabilities.map { $0[1] > $0[0] ? 1 : 0 })
        #expect(probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-12 })
    }

    @Test func statisticsAndImportances() throws {
        let data = try Datasets.classification(samples: 800, features: 6, informative: 2, labelNoise: 0, randomState: 5)
        var forest = RandomForestClassifier(nEstimators: 20, randomState: 0)
        try forest.fit(data.x, data.y)
        #expect(forest.treeDepths.count == 20)
        #expect(forest.treeLeafCounts.allSatisfy { $0 >= 2 })
        #expect(zip(forest.treeLeafCounts, forest.treeNodeCounts).allSatisfy { $1 == 2 * $0 - 1 })
        let importances = forest.featureImportances
        #expect(abs(importances.reduce(0, +) - 1) < 1e-9)
        // The two informative features carry most of the importance.
        #expect(importances[0] + importances[1] > 0.6, "importances \(importances)")
    }

    @Test func singleClassAndBootstrapOff() throws {
        var forest = RandomForestClassifier(nEstimators: 3, randomState: 0)
        try forest.fit([[1], [2], [3]], [4, 4, 4])
        #expect(try forest.predict([[0], [10]]) == [4, 4])
        var plain = RandomForestClassifier(nEstimators: 3, maxFeatures: .all, bootstrap: false, randomState: 0)
        try plain.fit([[1], [2], [3], [4]], [0, 0, 1, 1])
        #expect(try plain.predict([[1.2], [3.7]]) == [0, 1])
        #expect(plain.estimators.allSatisfy { $0.nodes[0].weightedSampleCount == 4 })
    }

    @Test func errors() throws {
        var forest = RandomForestClassifier(nEstimators: 0, randomState: 0)
        #expect(throws: LearningError.invalidParameter("nEstimators (0) must be at least 1.")) {
            try forest.fit([[1], [2]], [0, 1])
        }
        forest = RandomForestClassifier(nEstimators: 2, randomState: 0)
        #expect(throws: LearningError.notFitted(
            "This RandomForestClassifier is not fitted yet; call fit(x, y) before predicting.")) {
            try forest.predict([[1]])
        }
        forest.nJobs = 0
        #expect(throws: LearningError.self) { try forest.fit([[1], [2]], [0, 1]) }
        forest.nJobs = 1
        #expect(throws: LearningError.labelCountMismatch(labels: 99, samples: 100)) {
            try forest.fit(Array(repeating: [1.0], count: 100), Array(repeating: 0, count: 99))
        }
        try forest.fit([[1], [2]], [0, 1])
        #expect(throws: LearningError.featureCountMismatch(expected: 1, got: 2)) { try forest.predict([[1, 2]]) }
        #expect(throws: LearningError.self) { try forest.predict([[Double.infinity]]) }
        var badSeed = RandomForestClassifier(nEstimators: 2, randomState: 1 << 33)
        #expect(throws: LearningError.invalidParameter(
            "The random seed (8589934592) must be between 0 and 4294967295, as numpy requires.")) {
            try badSeed.fit([[1], [2]], [0, 1])
        }
    }
}

/// The batched prediction walk (`DecisionTree.addProbabilities`, 16 rows in lockstep, one block per
/// worker) against the one-row walk (`leafIndex(for:)`), to the bit.
@Suite struct BatchPredictionTests {
    /// Summed leaf probabilities, one row at a time, trees in order.
    private func rowByRowSums(_ forest: RandomForestClassifier, _ x: [[Double]]) -> [[Double]] {
        let k = forest.classes.count
        return x.map { row in
            var sums = [Double](repeating: 0, count: k)
            for tree in forest.estimators {
                let leaf = tree.leafIndex(for: row)
                for c in 0..<k { sums[c] += tree.nodeProbabilities[leaf * k + c] }
            }
            return sums.map { $0 / Double(forest.estimators.count) }
        }
    }

    @Test(arguments: [1, 15, 16, 17, 600, 1_203])
    func batchEqualsRowByRow(rowCount: Int) throws {
        let data = try Datasets.classification(samples: 1_500, features: 7, randomState: 4)
        // Three classes: the binary label, plus one where the first feature is positive.
        let y = zip(data.x, data.y).map { row, label in label + (row[0] > 0 ? 1 : 0) }
        var forest = RandomForestClassifier(nEstimators: 9, randomState: 2, nJobs: 1)
        try forest.fit(Array(data.x.prefix(800)), Array(y.prefix(800)))
        #expect(forest.classes == [0, 1, 2])
        let rows = Array(data.x.suffix(rowCount))
        let expected = rowByRowSums(forest, rows)
        #expect(try forest.predictProba(rows) == expected)
        forest.nJobs = 3
        #expect(try forest.predictProba(rows) == expected)
        forest.nJobs = nil
        #expect(try forest.predictProba(rows) == expected)
    }

    @Test func rowsAreCheckedInOrder() throws {
        let rows = [[1.0, 2.0], [-.infinity, 1.0], [1.0]]
        #expect(throws: LearningError.nonFiniteValue(row: 1, column: 0, value: -.infinity)) {
            _ = try PredictionRows(rows, expectedFeatures: 2)
        }
        #expect(throws: LearningError.featureCountMismatch(expected: 2, got: 1)) {
            _ = try PredictionRows([[1.0, 2.0], [1.0], [.nan, 1.0]], expectedFeatures: 2)
        }
        #expect(throws: LearningError.nonFiniteValue(row: 0, column: 1, value: 1e39)) {
            _ = try PredictionRows([[1.0, 1e39]], expectedFeatures: 2)
        }
        let block = try PredictionRows([[1.5, -2.0], [0.1, 3.0]], expectedFeatures: 2)
        #expect(block.values == [1.5, -2.0, Float(0.1), 3.0])
    }
}
