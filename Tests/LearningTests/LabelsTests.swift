import Foundation
import Testing
@testable import Learning

/// Labels as they arrive in real systems (noisy, late, paid for, selective) and the stream-based query
/// strategy, through `FeedbackLoopOf` and `QueryStrategy.select`.
@Suite struct LabelsTests {
    /// 100 initial rows, 4 batches of 150 and a 500-row holdout of a learnable binary problem.
    static func binary() throws -> (initial: Dataset, batches: [Dataset], holdout: Dataset) {
        let data = try Datasets.noisyLinear(samples: 1200, labelNoise: 0.1, randomState: 4)
        return (data.slice(0..<100), (0..<4).map { data.slice((100 + 150 * $0)..<(250 + 150 * $0)) }, data.slice(700..<1200))
    }

    /// Iris shuffled by `permutation(150)` from seed 0: 15 initial rows, a pool of 95, a holdout of 40.
    static func iris() throws -> (initial: Dataset, pool: Dataset, holdout: Dataset) {
        let table = try Table.readCSV(DataFixtures.path("datasets/iris.csv"))
        let all = try Dataset(table)
        var rng = try NumPyRandom(seed: 0)
        let shuffled = try all.rows(rng.permutation(all.count))
        return (shuffled.slice(0..<15), shuffled.slice(15..<110), shuffled.slice(110..<150))
    }

    static let tree = DecisionTreeClassifier(maxDepth: 3, randomState: 0)

    @Test func aPerfectLabellerChangesNothing() throws {
        let data = try Self.binary()
        let plain = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, query: .leastConfident(budget: 40), randomState: 1)
            .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        let oracle = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, query: .leastConfident(budget: 40),
                                        labeller: .oracle, randomState: 1)
            .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        #expect(plain.rounds == oracle.rounds)
        #expect(plain.rounds.dropFirst().allSatisfy { $0.labelsArrived == $0.queried && $0.wrongLabels == 0 && $0.labelCost == 0 })
        #expect(Labeller.oracle.description == "perfect labeller")
    }

    @Test func flippedLabelsFollowTheLabellersOwnSeed() throws {
        let data = try Self.iris()
        let labeller = Labeller(noise: .flip(probability: 0.3), randomState: 9)
        let run = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, query: .random(budget: 20), labeller: labeller,
                                     randomState: 1)
            .run(initial: data.initial, source: .pool(data.pool, rounds: 4), holdout: data.holdout)
        // The same rows are queried as without noise: the loop's own stream is untouched.
        let clean = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, query: .random(budget: 20), randomState: 1)
            .run(initial: data.initial, source: .pool(data.pool, rounds: 4), holdout: data.holdout)
        #expect(run.rounds.map(\.queried) == [0, 20, 20, 20, 20])
        #expect(run.trainingData.x == clean.trainingData.x)
        // Replay the labeller: one uniform per label, one randint among the two other classes per flip.
        var rng = try NumPyRandom(seed: 9)
        var expected = clean.trainingData.y.suffix(80).map { truth -> Int in
            guard rng.randomSample() < 0.3 else { return truth }
            return [0, 1, 2].filter { $0 != truth }[rng.randint(0, 2)]
        }
        #expect(Array(run.trainingData.y.suffix(80)) == expected)
        let flipped = zip(expected, clean.trainingData.y.suffix(80)).filter { $0 != $1 }.count
        #expect(run.rounds.map(\.wrongLabels).reduce(0, +) == flipped)
        #expect(flipped > 10 && flipped < 40)
        // Probability 1 with two classes flips every label.
        let binary = try Self.binary()
        let always = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll,
                                        labeller: Labeller(noise: .flip(probability: 1), randomState: 0), randomState: 1)
            .run(initial: binary.initial, source: .stream(binary.batches), holdout: binary.holdout)
        #expect(always.rounds.dropFirst().allSatisfy { $0.wrongLabels == 150 })
        expected = binary.batches.flatMap(\.labels).map { 1 - $0 }
        #expect(Array(always.trainingData.y.suffix(600)) == expected)
        #expect(labeller.description == "30% flipped")
    }

    @Test func aConfusionMatrixMapsEachTrueClass() throws {
        let data = try Self.iris()
        // Class 0 is always given as 1, class 1 as 2, class 2 is right.
        let matrix: [[Double]] = [[0, 1, 0], [0, 0, 1], [0, 0, 1]]
        let labeller = Labeller(noise: .confusion(classes: [0, 1, 2], matrix: matrix), randomState: 3)
        let run = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, labeller: labeller, randomState: 1)
            .run(initial: data.initial, source: .pool(data.pool, rounds: 1), holdout: data.holdout)
        #expect(Array(run.trainingData.y.suffix(95)) == data.pool.labels.map { [1, 2, 2][$0] })
        #expect(run.rounds[1].wrongLabels == data.pool.labels.filter { $0 != 2 }.count)
        #expect(ToolkitTests.message {
            _ = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll,
                                   labeller: Labeller(noise: .confusion(classes: [0, 1], matrix: [[0.5, 0.4], [0, 1]]), randomState: 0),
                                   randomState: 1)
                .run(initial: data.initial, source: .pool(data.pool, rounds: 1), holdout: data.holdout)
        } == "Row 0 of the confusion matrix (true class 0) is [0.5, 0.4]; its probabilities must be at least 0 and sum to 1.")
    }

    @Test func compareRunsEveryStrategyWithTheSameLabeller() throws {
        let labeller = Labeller(noise: .flip(probability: 1), randomState: 0)
        let runs = try FeedbackLoopOf.compare(updates: [.retrainOnAll], seeds: [1, 2], model: Self.tree, labeller: labeller) { _ in
            let data = try Self.binary()
            return (data.initial, .stream(data.batches), data.holdout)
        }
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0.rounds.dropFirst().allSatisfy { $0.wrongLabels == 150 } })
    }

    @Test func lateLabelsArriveDelayRoundsLater() throws {
        let data = try Self.binary()
        let run = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll,
                                     labeller: Labeller(delay: 2, costPerLabel: 0, randomState: 0), randomState: 1)
            .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        #expect(run.rounds.map(\.queried) == [0, 150, 150, 150, 150])
        #expect(run.rounds.map(\.labelsArrived) == [0, 0, 0, 150, 150])
        #expect(run.rounds.map(\.labelledRows) == [0, 0, 0, 150, 300])
        // Rounds 1 and 2 learn nothing new; round 3 learns from batch 1, round 4 from batches 1 and 2.
        #expect(run.rounds.map(\.trainingSize) == [100, 100, 100, 250, 400])
        #expect(run.trainingData.y == data.initial.labels + data.batches[0].labels + data.batches[1].labels)
        #expect(run.rounds[1].holdoutAccuracy == run.rounds[0].holdoutAccuracy)
        #expect(Labeller(noise: .flip(probability: 0.1), delay: 2, budget: 120, randomState: 0).description
            == "10% flipped, 2 rounds late, budget 120")
    }

    @Test func paidLabelsStopAtTheBudget() throws {
        let data = try Self.iris()
        let labeller = Labeller(costPerLabel: 2, budget: 45, randomState: 0)
        let run = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, query: .random(budget: 10), labeller: labeller,
                                     randomState: 1)
            .run(initial: data.initial, source: .pool(data.pool, rounds: 4), holdout: data.holdout)
        #expect(run.rounds.map(\.queried) == [0, 10, 10, 2, 0])
        #expect(run.rounds.map(\.labelCost) == [0, 20, 40, 44, 44])
        #expect(run.rounds.map(\.trainingSize) == [15, 25, 35, 37, 37])
        #expect(ToolkitTests.message {
            _ = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, labeller: Labeller(budget: -1, randomState: 0), randomState: 1)
                .run(initial: data.initial, source: .pool(data.pool, rounds: 1), holdout: data.holdout)
        } == "The label budget (-1.0) must not be negative.")
    }

    @Test func selectiveLabelsSeeOnlyAcceptedRowsUnlessExploring() throws {
        let data = try Self.binary()
        var first = Self.tree
        try first.fit(data.initial.x, data.initial.y)
        let predicted = try first.predict(data.batches[0].x)
        let accepted = predicted.filter { $0 == 1 }.count
        let falsePositives = zip(predicted, data.batches[0].y).filter { $0 == 1 && $1 == 0 }.count

        let hidden = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll,
                                        selectiveLabels: SelectiveLabels(accepted: 1, randomState: 5), randomState: 1)
            .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        // Only accepted rows get an outcome, so only false positives can be found as corrections.
        #expect(hidden.rounds[1].queried == accepted)
        #expect(hidden.rounds[1].corrections == falsePositives)
        #expect(accepted > 0 && accepted < 150)

        // Exploring: each rejected row is accepted anyway when its uniform draw is below 0.25.
        let explore = SelectiveLabels(accepted: 1, exploration: 0.25, randomState: 5)
        let explored = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll, selectiveLabels: explore, randomState: 1)
            .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        var rng = try NumPyRandom(seed: 5)
        let exploredRows = predicted.indices.filter { predicted[$0] != 1 && rng.randomSample() < 0.25 }
        #expect(explored.rounds[1].queried == accepted + exploredRows.count)
        let missed = exploredRows.filter { data.batches[0].y[$0] == 1 }.count
        #expect(explored.rounds[1].corrections == falsePositives + missed)
        #expect(missed > 0)
        #expect(explore.description == "labels only when 1 is predicted, 25% explored")
        #expect(ToolkitTests.message {
            _ = try FeedbackLoopOf(model: Self.tree, update: .retrainOnAll,
                                   selectiveLabels: SelectiveLabels(accepted: 1, exploration: 2, randomState: 0), randomState: 1)
                .run(initial: data.initial, source: .stream(data.batches), holdout: data.holdout)
        } == "exploration (2.0) must be between 0 and 1.")
    }

    /// Three classes, five rows: each strategy with a budget of 1 picks a different row.
    static let proba: [[Double]] = [
        [0.60, 0.30, 0.10],  // first to pass a 0.35 uncertainty threshold
        [0.49, 0.49, 0.02],  // a near tie: smallest margin
        [0.46, 0.27, 0.27],  // most spread out: highest entropy
        [0.44, 0.40, 0.16],  // lowest top probability: least confident
        [0.90, 0.05, 0.05],  // sure, but the committee splits three ways
    ]
    static let votes = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 2]]

    @Test func queryStrategiesDifferOnThreeClasses() throws {
        var rng = try NumPyRandom(seed: 0)
        func pick(_ query: QueryStrategy) throws -> [Int] { try query.select(Self.proba, votes: Self.votes, using: &rng) }
        #expect(try pick(.leastConfident(budget: 1)) == [3])
        #expect(try pick(.margin(budget: 1)) == [1])
        #expect(try pick(.entropy(budget: 1)) == [2])
        #expect(try pick(.committee(budget: 1)) == [4])
        #expect(try pick(.selectiveSampling(threshold: 0.35, budget: 1)) == [0])
        #expect(try pick(.selectiveSampling(threshold: 0.35, budget: 2)) == [0, 1])
        // Fewer than the budget when few rows pass: only row 3 has 1 − max p ≥ 0.55.
        #expect(try pick(.selectiveSampling(threshold: 0.55, budget: 5)) == [3])
        #expect(try pick(.all) == [0, 1, 2, 3, 4])
        // Random and mixed draw a permutation from the generator; replay it.
        var replay = try NumPyRandom(seed: 7)
        let randomExpected = Array(replay.permutation(5).prefix(2)).sorted()
        let mixedRest = [0, 1, 2, 4]  // after the least confident row 3
        let mixedExpected = ([3] + [mixedRest[replay.permutation(4)[0]]]).sorted()
        rng = try NumPyRandom(seed: 7)
        #expect(try pick(.random(budget: 2)) == randomExpected)
        #expect(try pick(.mixed(budget: 2, randomFraction: 0.5)) == mixedExpected)
        #expect(mixedExpected.contains(3) && mixedExpected.count == 2)
        #expect(ToolkitTests.message { _ = try pick(.selectiveSampling(threshold: 1.5, budget: 2)) }
            == "The uncertainty threshold (1.5) must be between 0 and 1.")
        #expect(ToolkitTests.message { _ = try QueryStrategy.committee(budget: 1).select(Self.proba, using: &rng) }
            == "Query by committee needs the committee's votes; pass votes: (one array of labels per member).")
        #expect(QueryStrategy.selectiveSampling(threshold: 0.4, budget: 10).description
            == "stream sampling above 0.4 uncertainty, up to 10")
    }

    @Test func streamSamplingInTheLoopLabelsOnlyUncertainRows() throws {
        let data = try Self.iris()
        var first = RandomForestClassifier(nEstimators: 10, randomState: 0)
        try first.fit(data.initial.x, data.initial.y)
        let expected = Uncertainty.selectiveSampling(try first.predictProba(data.pool.x), threshold: 0.3, budget: 8)
        let run = try FeedbackLoopOf(model: RandomForestClassifier(nEstimators: 10, randomState: 0), update: .retrainOnAll,
                                     query: .selectiveSampling(threshold: 0.3, budget: 8), randomState: 1)
            .run(initial: data.initial, source: .pool(data.pool, rounds: 2), holdout: data.holdout)
        #expect(run.rounds[1].queried == expected.count)
        #expect(Array(run.trainingData.x[15..<(15 + expected.count)]) == expected.map { data.pool.x[$0] })
        #expect(expected.count >= 1 && expected.count <= 8)
    }
}
