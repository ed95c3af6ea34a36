import Foundation
import Testing
@testable import Learning

/// Chapter 5 defines its own `mean` of `[Int]` at the top level of its program; the library's `mean` of
/// `[Double]` must not make such calls ambiguous (see `chapterHelpersStillCompile`).
private func mean(_ values: [Int]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }

/// Error cases, warnings and the feedback loop with any classifier (issue #16); the values themselves
/// are checked against scikit-learn in `ToolkitParityTests`.
@Suite struct ToolkitTests {
    static func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return String(describing: error) }
        return nil
    }

    @Test func classifiersShareOneProtocol() throws {
        let data = try Datasets.noisyLinear(samples: 300, labelNoise: 0.1, randomState: 2)
        let models: [any Classifier] = [DecisionTreeClassifier(maxDepth: 3, randomState: 0),
                                        RandomForestClassifier(nEstimators: 5, randomState: 0),
                                        DummyClassifier(strategy: .mostFrequent)]
        for var model in models {
            #expect(model.classes.isEmpty)
            try model.fit(data.x, data.y)
            #expect(model.classes == [0, 1])
            let proba = try model.predictProba(data.x)
            #expect(proba.count == 300 && proba.allSatisfy { $0.count == 2 })
            #expect(try model.score(data.x, data.y) == accuracyScore(data.y, model.predict(data.x)))
        }
    }

    @Test func dummyClassifierErrors() throws {
        var model = DummyClassifier()
        #expect(Self.message { _ = try model.predict([[1]]) }
            == "This DummyClassifier is not fitted yet; call fit(x, y) before predicting.")
        #expect(throws: LearningError.labelCountMismatch(labels: 1, samples: 2)) { try model.fit([[1], [2]], [0]) }
        #expect(throws: LearningError.self) { try model.fit([], []) }
        #expect(throws: LearningError.raggedRows(row: 1, count: 2, expected: 1)) { try model.fit([[1], [2, 3]], [0, 1]) }
        try model.fit([[1], [2], [3]], [5, 5, 6])
        #expect(throws: LearningError.featureCountMismatch(expected: 1, got: 2)) { try model.predict([[1, 2]]) }
        #expect(try model.predictProba([[0]]) == [[2.0 / 3.0, 1.0 / 3.0]])
        #expect(try model.predict([[0], [9]]) == [5, 5])
    }

    @Test func multinomialErrorsAndOneHotRows() throws {
        var rng = try NumPyRandom(seed: 0)
        #expect(throws: LearningError.self) { try rng.multinomial(1, [0.7, 0.7, 0.1]) }
        #expect(throws: LearningError.self) { try rng.binomial(1000, 0.5) }
        #expect(throws: LearningError.self) { try rng.binomial(-1, 0.5) }
        for _ in 0..<50 { #expect(try rng.multinomial(1, [0.2, 0.5, 0.3]).reduce(0, +) == 1) }
        #expect(try rng.multinomial(10, [0.2, 0.5, 0.3]).reduce(0, +) == 10)
    }

    @Test func splitterErrors() throws {
        #expect(Self.message { _ = try KFold(nSplits: 1) }
            == "k-fold cross-validation requires at least one train/test split by setting nSplits=2 or more, got nSplits=1.")
        #expect(Self.message { _ = try KFold(nSplits: 3, randomState: 0) }
            == "Setting a randomState has no effect since shuffle is false; leave randomState nil or set shuffle: true.")
        #expect(throws: LearningError.self) { _ = try StratifiedKFold(nSplits: 3, shuffle: true, randomState: -1) }
        #expect(Self.message { _ = try KFold(nSplits: 5).split(count: 3) }
            == "Cannot have number of splits nSplits=5 greater than the number of samples: n_samples=3.")
        #expect(Self.message { _ = try StratifiedKFold(nSplits: 3).split([0, 0, 1, 1]) }
            == "nSplits=3 cannot be greater than the number of members in each class; the largest class has 2 rows.")
        let (_, warnings) = try LearningWarnings.collecting { try StratifiedKFold(nSplits: 3).split([0, 0, 0, 1, 1]) }
        #expect(warnings == [LearningWarning(.userWarning,
            "The least populated class in y has only 2 members, which is less than n_splits=3.")])
        // Unshuffled KFold: consecutive blocks, the first n % k one row larger.
        #expect(try KFold(nSplits: 3).split(count: 7).map(\.test) == [[0, 1, 2], [3, 4], [5, 6]])
    }

    @Test func crossValidationErrors() throws {
        let data = try Datasets.noisyLinear(samples: 100, labelNoise: 0.1, randomState: 3)
        let tree = DecisionTreeClassifier(maxDepth: 2, randomState: 0)
        #expect(throws: LearningError.labelCountMismatch(labels: 99, samples: 100)) {
            try crossValScore(tree, data.x, Array(data.y.dropLast()))
        }
        #expect(Self.message { _ = try learningCurve(tree, data.x, data.y, trainSizes: .fractions([0, 0.5])) }
            == "trainSizes has been interpreted as fractions of the maximum number of training samples and must be within (0, 1], but is within [0.0, 0.5].")
        #expect(Self.message { _ = try learningCurve(tree, data.x, data.y, trainSizes: .counts([10, 81])) }
            == "trainSizes has been interpreted as absolute numbers of training samples and must be within (0, 80], but is within [10, 81].")
        #expect(throws: LearningError.self) {
            try validationCurve(tree, data.x, data.y, parameter: \.parameters.maxDepth, values: [Int?]())
        }
        // A probability scorer needs a binary model.
        let three = data.y.enumerated().map { $0.offset % 3 }
        #expect(Self.message { _ = try crossValScore(tree, data.x, three, scoring: .rocAuc) }
            == "The roc_auc scorer needs a model fitted on two classes, but this one was fitted on 3 ([0, 1, 2]).")
        let result = try crossValidate(tree, data.x, data.y, cv: KFold(nSplits: 4), returnEstimator: true)
        #expect(result.estimators?.count == 4 && result.folds.count == 4 && result.trainScore == nil)
        #expect(result.estimators?.allSatisfy { $0.tree != nil } == true)
    }

    @Test func rankingMetricErrorsAndWarnings() throws {
        #expect(Self.message { _ = try rocCurve([2, 5, 5], [0.1, 0.2, 0.3]) }
            == "yTrue takes value in {2, 5} and posLabel is not specified: either make yTrue take value in {0, 1} or {-1, 1} or pass posLabel explicitly.")
        #expect(try rocCurve([2, 5, 5], [0.1, 0.2, 0.3], posLabel: 5).tpr == [0, 0.5, 1, 1])
        #expect(throws: LearningError.self) { try rocAucScore([0, 1, 2], [0.1, 0.2, 0.3]) }
        #expect(throws: LearningError.labelCountMismatch(labels: 2, samples: 3)) { try rocAucScore([0, 1], [0.1, 0.2, 0.3]) }
        #expect(throws: LearningError.self) { try rocAucScore([0, 1], [0.1, .nan]) }
        let (single, warnings) = try LearningWarnings.collecting { try rocAucScore([1, 1], [0.1, 0.2]) }
        #expect(single.isNaN)
        #expect(warnings.map(\.message) == ["Only one class is present in y_true. ROC AUC score is not defined in that case."])
        let (curve, noNegatives) = try LearningWarnings.collecting { try rocCurve([1, 1, 1], [0.1, 0.2, 0.3]) }
        #expect(curve.fpr.allSatisfy { $0.isNaN })
        #expect(noNegatives.map(\.category) == [.undefinedMetricWarning])
        #expect(Self.message { _ = try auc([0], [1]) } == "At least 2 points are needed to compute area under curve, but x has 1.")
        #expect(throws: LearningError.self) { try auc([0, 1, 0.5], [0, 1, 1]) }
        #expect(try auc([1, 0], [1, 1]) == 1)
        #expect(try rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75)
    }

    @Test func probabilityMetricErrorsAndWarnings() throws {
        #expect(Self.message { _ = try logLoss([1, 1], [0.5, 0.5]) }
            == "yTrue contains only one label (1). Please provide the list of all expected class labels explicitly through the labels argument.")
        #expect(try logLoss([1, 1], [0.5, 0.5], labels: [0, 1]) == -log(0.5))
        #expect(Self.message { _ = try logLoss([0, 1], [[0.5, 0.7], [0.2, 0.8]]) } == nil) // warns, see below
        #expect(Self.message { _ = try logLoss([0, 1], [[1.5, -0.5], [0.2, 0.8]]) } == "yProba contains values greater than 1: 1.5.")
        #expect(Self.message { _ = try logLoss([0, 1, 2], [[0.5, 0.5], [0.2, 0.8], [0.2, 0.8]]) }
            == "yTrue and yProba contain different number of classes: 3 vs 2. Please provide the true labels explicitly through the labels argument. Classes found in yTrue: [0, 1, 2].")
        #expect(Self.message { _ = try logLoss([0, 3], [0.5, 0.5], labels: [0, 1]) }
            == "yTrue contains values [3] not belonging to the passed labels [0, 1].")
        let (_, sums) = try LearningWarnings.collecting { try logLoss([0, 1], [[0.5, 0.7], [0.2, 0.8]]) }
        #expect(sums.map(\.message) == ["The y_prob values do not sum to one. Make sure to pass probabilities."])
        let (_, order) = try LearningWarnings.collecting { try logLoss([0, 1], [[0.5, 0.5], [0.2, 0.8]], labels: [1, 0]) }
        #expect(order.count == 1 && order[0].message.hasPrefix("Labels passed were [1, 0]."))
        // Perfect probabilities are clipped to ε, as in scikit-learn.
        #expect(try logLoss([0, 1], [0, 1]) == -log(1 - Double.ulpOfOne))

        #expect(throws: LearningError.self) { try brierScoreLoss([0, 1, 2], [0.1, 0.2, 0.3]) }
        #expect(Self.message { _ = try brierScoreLoss([0, 1], [0.1, 1.2]) } == "yProba contains values greater than 1: 1.2.")
        #expect(try brierScoreLoss([0, 1], [0, 1]) == 0)
        #expect(try brierScoreLoss([2, 7], [0.0, 1.0]) == 0) // the larger label is positive
        #expect(try brierScoreLoss([2, 7], [1.0, 0.0], posLabel: 2) == 0)

        #expect(Self.message { _ = try calibrationCurve([0, 1], [0.2, 0.8], nBins: 0) } == "nBins (0) must be at least 1.")
        #expect(Self.message { _ = try calibrationCurve([0, 1], [0.2, 1.8]) } == "yProb has values outside [0, 1].")
        #expect(throws: LearningError.self) { try calibrationCurve([0, 1, 2], [0.2, 0.3, 0.4], posLabel: 1) }
        let perfect = try calibrationCurve([0, 0, 1, 1], [0.0, 0.0, 1.0, 1.0], nBins: 2)
        #expect(perfect.probTrue == [0, 1] && perfect.probPred == [0, 1])
    }

    @Test func agreementMetricErrorsAndWarnings() throws {
        let (balanced, warnings) = try LearningWarnings.collecting { try balancedAccuracyScore([0, 0, 1, 1], [0, 2, 1, 1]) }
        #expect(balanced == 0.75)
        #expect(warnings == [LearningWarning(.userWarning, "y_pred contains classes not in y_true")])
        #expect(try balancedAccuracyScore([0, 1], [1, 0], adjusted: true) == -1)
        #expect(try cohenKappaScore([0, 1, 0, 1], [0, 1, 0, 1]) == 1)
        #expect(Self.message { _ = try cohenKappaScore([0, 1], [0, 1], labels: [5]) }
            == "At least one label in labels must be present in y1 (even though cohenKappaScore is otherwise agnostic to the order of y1 and y2).")
        #expect(throws: LearningError.self) { try cohenKappaScore([0, 1], [0, 1], replaceUndefinedBy: 2) }
        let (undefined, kappaWarnings) = try LearningWarnings.collecting {
            try cohenKappaScore([0, 0], [0, 0], replaceUndefinedBy: 0)
        }
        #expect(undefined == 0)
        #expect(kappaWarnings.count == 1 && kappaWarnings[0].message.contains("which is set to 0.0"))
        #expect(try cohenKappaScore([0, 0], [0, 0]).isNaN)
    }

    @Test func feedbackLoopAcceptsAnyClassifier() throws {
        let scenario = FeedbackLoopTests.scenario
        let data = try scenario(4)
        let tree = try FeedbackLoopOf(model: DecisionTreeClassifier(maxDepth: 4, randomState: 0), update: .retrainOnAll,
                                      query: .leastConfident(budget: 50), randomState: 1)
            .run(initial: data.initial, source: data.source, holdout: data.holdout)
        #expect(tree.rounds.count == 7 && tree.rounds.allSatisfy { $0.treeCount == 1 })
        #expect(tree.model.tree != nil)
        // By hand: the final model is a tree refitted on the run's final training rows.
        var byHand = DecisionTreeClassifier(maxDepth: 4, randomState: 0)
        try byHand.fit(tree.trainingData.x, tree.trainingData.y)
        #expect(byHand == tree.model)

        let baseline = try FeedbackLoopOf(model: DummyClassifier(strategy: .mostFrequent), update: .retrainOnAll, randomState: 1)
            .run(initial: data.initial, source: data.source, holdout: data.holdout)
        let constant = try baseline.model.predict([[0, 0, 0]])[0]
        let share = Double(data.holdout.y.filter { $0 == constant }.count) / 1000
        #expect(baseline.finalHoldoutAccuracy == share)
        #expect(baseline.rounds.allSatisfy { $0.treeCount == 0 })

        #expect(Self.message {
            _ = try FeedbackLoopOf(model: DecisionTreeClassifier(), update: .warmStart(treesPerRound: 2), randomState: 0)
                .run(initial: data.initial, source: data.source, holdout: data.holdout)
        } == "The warmStart update adds trees to a forest, so it needs a RandomForestClassifier; this loop's model is a DecisionTreeClassifier.")

        // compare sets each seed as the model's randomState, for any model with one.
        let runs = try FeedbackLoopOf.compare(updates: [.retrainOnAll], seeds: [3, 5],
                                              model: DecisionTreeClassifier(maxDepth: 3), scenario: scenario)
        #expect(runs.map(\.model.randomState) == [3, 5])
        // The forest loop keeps its old spellings.
        let forestLoop = FeedbackLoop(update: .retrainOnAll, randomState: 0)
        #expect(forestLoop.model.nEstimators == 100 && forestLoop.model.randomState == 42)
        let forestRuns: [FeedbackRun] = try FeedbackLoop.compare(
            updates: [.warmStart(treesPerRound: 2)], seeds: [1], model: RandomForestClassifier(nEstimators: 3),
            scenario: scenario)
        #expect(forestRuns[0].rounds.map(\.treeCount) == [3, 5, 7, 9, 11, 13, 15])
    }

    @Test func kNeighborsErrors() throws {
        var knn = KNeighborsClassifier(nNeighbors: 3)
        #expect(Self.message { _ = try knn.predict([[0, 0]]) }
            == "This KNeighborsClassifier is not fitted yet; call fit(x, y) before predicting.")
        #expect(throws: LearningError.invalidParameter("nNeighbors (0) must be at least 1.")) {
            var zero = KNeighborsClassifier(nNeighbors: 0)
            try zero.fit([[0]], [0])
        }
        #expect(throws: LearningError.nonFiniteValue(row: 1, column: 0, value: .infinity)) {
            try knn.fit([[0], [.infinity]], [0, 1])
        }
        try knn.fit([[0, 0], [1, 0], [0, 1], [5, 5]], [1, 1, 2, 2])
        #expect(throws: LearningError.featureCountMismatch(expected: 2, got: 3)) { try knn.predict([[0, 0, 0]]) }
        #expect(Self.message { _ = try knn.kneighbors([[0, 0]], k: 5) }
            == "Expected nNeighbors <= the number of training rows, but nNeighbors = 5 and the model was fitted on 4 rows.")
        #expect(try knn.predict([[0.1, 0.1]]) == [1])
        #expect(try knn.predictProba([[0.1, 0.1]]) == [[2.0 / 3.0, 1.0 / 3.0]])
        // A tie between classes goes to the smaller label; a row at distance 0 takes the whole vote.
        var two = KNeighborsClassifier(nNeighbors: 2)
        try two.fit([[0], [2]], [7, 3])
        #expect(try two.predict([[1]]) == [3])
        var weighted = KNeighborsClassifier(nNeighbors: 2, weights: .distance)
        try weighted.fit([[0], [2]], [7, 3])
        #expect(try weighted.predictProba([[2]]) == [[1, 0]])
        #expect(try crossValScore(knn, [[0, 0], [1, 0], [0, 1], [5, 5], [5, 6], [6, 5]], [1, 1, 1, 2, 2, 2],
                                  cv: StratifiedKFold(nSplits: 3)).count == 3)
    }

    @Test func queryStrategiesDifferOnThreeClasses() throws {
        // Least confident picks row 2 (max 0.44), margin row 0 (a tie), entropy row 1 (spread out).
        let proba = [[0.49, 0.49, 0.02], [0.46, 0.27, 0.27], [0.44, 0.40, 0.16], [0.9, 0.05, 0.05]]
        #expect(Uncertainty.top(Uncertainty.leastConfident(proba), budget: 1) == [2])
        #expect(Uncertainty.top(Uncertainty.margin(proba), budget: 1) == [0])
        #expect(Uncertainty.top(Uncertainty.entropy(proba), budget: 1) == [1])
        #expect(Uncertainty.top(Uncertainty.entropy(proba), budget: 3) == [0, 1, 2])
        #expect(Uncertainty.entropy([[1, 0, 0]]) == [0])
        // Vote entropy: 3 members; row 0 unanimous, row 1 split 2–1, row 2 split three ways.
        let votes = [[0, 0, 0], [0, 0, 1], [0, 1, 2]]
        let h = Uncertainty.voteEntropy(votes)
        #expect(h[0] == 0)
        #expect(abs(h[1] - -(2.0 / 3 * log(2.0 / 3) + 1.0 / 3 * log(1.0 / 3))) < 1e-15)
        #expect(abs(h[2] - log(3.0)) < 1e-15)
        #expect(Uncertainty.top(h, budget: 1) == [2])

        // In the loop, on iris's three classes: every strategy labels its budget, and they pick differently.
        let table = try Table.readCSV(DataFixtures.path("datasets/iris.csv"))
        let all = Dataset(featureNames: table.columnNames, features: table.rows, labels: table.labels ?? [])
        var rng = try NumPyRandom(seed: 0)
        let order = rng.permutation(all.count)
        let shuffled = try all.rows(order)
        let initial = shuffled.slice(0..<15), pool = shuffled.slice(15..<110), holdout = shuffled.slice(110..<150)
        var firstPicks: [QueryStrategy: [Int]] = [:]
        for query: QueryStrategy in [.leastConfident(budget: 10), .margin(budget: 10), .entropy(budget: 10),
                                     .committee(budget: 10), .mixed(budget: 10, randomFraction: 0.3)] {
            let loop = FeedbackLoop(model: RandomForestClassifier(nEstimators: 15, randomState: 0), update: .retrainOnAll,
                                    query: query, randomState: 2)
            let run = try loop.run(initial: initial, source: .pool(pool, rounds: 3), holdout: holdout)
            #expect(run.rounds.dropFirst().allSatisfy { $0.queried == 10 }, "\(query)")
            #expect(run.trainingData.count == 15 + 30)
            firstPicks[query] = run.trainingData.y.suffix(30) + [run.rounds[1].corrections]
        }
        #expect(Set(firstPicks.values).count > 2)
        #expect(QueryStrategy.mixed(budget: 10, randomFraction: 0.3).description == "least confident 10 with 30% random")
        #expect(Self.message {
            _ = try FeedbackLoopOf(model: DecisionTreeClassifier(), update: .retrainOnAll, query: .committee(budget: 5), randomState: 0)
                .run(initial: initial, source: .pool(pool, rounds: 1), holdout: holdout)
        } == "Query by committee needs the trees of a RandomForestClassifier; this loop's model is a DecisionTreeClassifier.")
        #expect(Self.message {
            _ = try FeedbackLoop(update: .retrainOnAll, query: .mixed(budget: 5, randomFraction: 1.5), randomState: 0)
                .run(initial: initial, source: .pool(pool, rounds: 1), holdout: holdout)
        } == "randomFraction (1.5) must be between 0 and 1.")
    }

    @Test func pairedComparisonErrorsAndEdges() throws {
        #expect(Self.message { _ = try pairedComparison([1, 2], [1]) } == "a and b must pair up, but a has 2 scores and b 1.")
        #expect(Self.message { _ = try pairedComparison([1], [1]) } == "A paired comparison needs at least 2 pairs of scores; got 1.")
        #expect(throws: LearningError.self) { try pairedComparison([1, 2], [1, 2], confidenceLevel: 1) }
        #expect(throws: LearningError.self) { try pairedComparison([1, .nan], [1, 2]) }
        let same = try pairedComparison([0.5, 0.7], [0.4, 0.6])
        #expect(abs(same.meanDifference - 0.1) < 1e-15)
        #expect(abs(same.confidenceInterval.low - same.meanDifference) < 1e-12)
        // scipy.stats.t.ppf(0.975, 1) and t.ppf(0.975, 10).
        #expect(abs(StudentT.quantile(0.975, 1) - 12.706204736174694) < 1e-12)
        #expect(abs(StudentT.quantile(0.975, 10) - 2.228138851986274) < 1e-12)
    }

    @Test func chapterHelpersStillCompile() throws {
        var forest = RandomForestClassifier(nEstimators: 3, maxDepth: 2, randomState: 0)
        try forest.fit([[0], [1], [2], [3]], [0, 0, 1, 1])
        #expect(mean(forest.treeDepths) == Double(forest.treeDepths.reduce(0, +)) / 3)
        #expect(mean([1, 2]) == 1.5)
        #expect(Learning.mean([0.5, 1.5]) == 1)
    }

    @Test func logisticRegressionErrors() throws {
        var model = LogisticRegression()
        #expect(Self.message { _ = try model.predict([[0]]) }
            == "This LogisticRegression is not fitted yet; call fit(x, y) before predicting.")
        #expect(Self.message { try model.fit([[0], [1]], [3, 3]) }
            == "This solver needs samples of at least 2 classes in the data, but the data contains only one class: 3.")
        #expect(throws: LearningError.invalidParameter("C (0.0) must be a positive number.")) {
            var bad = LogisticRegression(C: 0)
            try bad.fit([[0], [1]], [0, 1])
        }
        try model.fit([[0], [1], [2], [3]], [0, 0, 1, 1])
        #expect(model.coef.count == 1 && model.intercept.count == 1)
        #expect(try model.predict([[-1], [4]]) == [0, 1])
        let proba = try model.predictProba([[1.5]])
        #expect(abs(proba[0][0] - 0.5) < 1e-12) // symmetric data: the boundary is at 1.5
        #expect(throws: LearningError.featureCountMismatch(expected: 1, got: 2)) { try model.predict([[0, 1]]) }
    }

    @Test func prequentialEvaluationTestsBeforeTraining() throws {
        let data = try FeedbackLoopTests.scenario(6)
        guard case let .stream(batches) = data.source else { Issue.record("expected a stream"); return }
        let forest = RandomForestClassifier(nEstimators: 10, randomState: 0)
        let result = try prequentialEvaluation(forest, initial: data.initial, stream: batches)
        // It is the feedback loop's "accuracy before" with every row labelled and everything retrained.
        let run = try FeedbackLoop(model: forest, update: .retrainOnAll, query: .all, randomState: 0)
            .run(initial: data.initial, source: data.source, holdout: data.holdout)
        #expect(result.batchAccuracy == run.rounds.dropFirst().map { $0.accuracyBefore! })
        #expect(result.trainingSizes == [100, 250, 400, 550, 700, 850])
        #expect(result.model == run.model)
        let total = zip(result.batchAccuracy, batches).map { $0 * Double($1.count) }.reduce(0, +)
        #expect(abs(result.cumulativeAccuracy.last! - total / 900) < 1e-12)
        let windowed = try prequentialEvaluation(DummyClassifier(strategy: .mostFrequent), initial: data.initial,
                                                 stream: batches, window: 120)
        #expect(windowed.trainingSizes == [100, 120, 120, 120, 120, 120])
        #expect(throws: LearningError.self) { try prequentialEvaluation(forest, initial: data.initial, stream: batches, window: 0) }
    }
}
