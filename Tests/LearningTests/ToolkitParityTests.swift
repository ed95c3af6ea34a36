import Foundation
import Testing
@testable import Learning

/// scikit-learn's DummyClassifier, splitters, cross-validation and metrics of issue #16, recorded by
/// `Fixtures/make_toolkit_fixtures.py` into `Fixtures/parity/toolkit.json` (versions inside the file).
/// Every value is compared with `==`: the Swift code follows numpy's order of operations.
enum Toolkit {
    struct File: Decodable {
        let versions: [String: String]
        let dummy: [DummyCase]
        let kfold: [KFoldCase]
        let stratified: [StratifiedCase]
        let cross: [CrossCase]
        let curves: Curves
        let metrics: Metrics
        let knn: Cases<KNNCase>
        let paired: [PairedCase]
        let logistic: Cases<LogisticCase>
    }

    /// Cases that share data: each names its entry of `data`.
    struct Cases<Case: Decodable & Sendable>: Decodable, Sendable {
        let data: [String: DataSet]
        let cases: [Case]
    }
    struct DataSet: Decodable { let xTrain: [[Double]], yTrain: [Int], xTest: [[Double]] }

    struct LogisticCase: Decodable, CustomTestStringConvertible {
        let name: String, C: Double, coef: [[Double]], intercept: [Double], defaultCoef: [[Double]]
        let defaultIntercept: [Double], proba: [[Double]], predict: [Int]
        var testDescription: String { "LogisticRegression \(name) C \(C)" }
    }

    struct PairedCase: Decodable {
        let a: [Double], b: [Double], level: Double, t: Double, p: Double, df: Int, low: Double, high: Double
    }

    struct KNNCase: Decodable, CustomTestStringConvertible {
        let name: String, k: Int, weights: String, p: Double, method: String
        let predict: [Int], proba: [[Double]], indices: [[Int]], distances: [[Double]]
        var testDescription: String { "KNN \(name) k \(k) \(weights) p \(p) (\(method))" }
    }

    struct DummyCase: Decodable, CustomTestStringConvertible {
        let name: String, strategy: String, seed: Int, y: [Int], testRows: Int
        let classes: [Int], classPrior: [Double], predict: [Int], proba: [[Double]]
        var testDescription: String { "dummy \(strategy) \(name) seed \(seed)" }
    }

    struct KFoldCase: Decodable, CustomTestStringConvertible {
        let n: Int, k: Int, shuffle: Bool, seed: Int?, test: [[Int]]
        var testDescription: String { "KFold n \(n) k \(k) shuffle \(shuffle) seed \(seed.map(String.init) ?? "-")" }
    }

    struct StratifiedCase: Decodable, CustomTestStringConvertible {
        let name: String, y: [Int], k: Int, shuffle: Bool, seed: Int?, folds: [Int]?, warned: Bool
        var testDescription: String { "StratifiedKFold \(name) k \(k) shuffle \(shuffle) seed \(seed.map(String.init) ?? "-")" }
    }

    struct CV: Decodable { let kind: String, k: Int, shuffle: Bool, seed: Int? }
    struct Params: Decodable {
        let random_state: Int?, max_depth: Int?, min_samples_leaf: Int?, n_estimators: Int?, strategy: String?
    }

    struct CrossCase: Decodable, CustomTestStringConvertible {
        let model: String, dataset: String, params: Params, cv: CV?, scoring: String
        let test: [Double], train: [Double]
        var testDescription: String { "cross_validate \(model) \(dataset) \(scoring) cv \(cv.map { "\($0.kind) \($0.k)" } ?? "5")" }
    }

    struct Curves: Decodable {
        struct Validation: Decodable { let depths: [Int?], train: [[Double]], test: [[Double]] }
        struct Learning: Decodable { let sizes: [Int]?, shuffle: Bool, seed: Int?, ticks: [Int], train: [[Double]], test: [[Double]] }
        let validation: Validation
        let learning: [Learning]
    }

    struct Metrics: Decodable {
        struct Balanced: Decodable { let yTrue: [Int], yPred: [Int], score: Double, adjusted: Double }
        struct Kappa: Decodable { let y1: [Int], y2: [Int], weights: String?, labels: [Int]?, score: Double }
        struct ROC: Decodable {
            let y: [Int], score: [Double], posLabel: Int?, drop: Bool
            let fpr: [Double], tpr: [Double], thresholds: [Double], auc: Double, aucOfCurve: Double
        }
        struct LogLoss: Decodable { let y: [Int], proba: [[Double]], labels: [Int]?, normalize: Bool, loss: Double }
        struct Brier: Decodable { let y: [Int], proba: [Double]?, proba2d: [[Double]]?, labels: [Int]?, score: Double }
        struct Calibration: Decodable { let y: [Int], prob: [Double], bins: Int, strategy: String, probTrue: [Double], probPred: [Double] }
        struct Summary: Decodable { let values: [Double], mean: Double, std: Double, std1: Double? }
        let balanced: [Balanced], kappa: [Kappa], roc: [ROC], logLoss: [LogLoss], brier: [Brier]
        let calibration: [Calibration], summary: [Summary]
    }

    static let file: File = {
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: DataFixtures.url("parity/toolkit.json")))
        } catch {
            fatalError("parity/toolkit.json cannot be read: \(error)")
        }
    }()

    static func dataset(_ name: String) throws -> (x: [[Double]], y: [Int]) {
        let table = try Table.readCSV(DataFixtures.path("datasets/\(name).csv"))
        return (table.rows, table.labels ?? [])
    }

    static func validator(_ cv: CV?) throws -> (any CrossValidator)? {
        guard let cv else { return nil }
        return cv.kind == "kfold" ? try KFold(nSplits: cv.k, shuffle: cv.shuffle, randomState: cv.seed)
            : try StratifiedKFold(nSplits: cv.k, shuffle: cv.shuffle, randomState: cv.seed)
    }

    static func scorer(_ name: String) -> Scorer {
        switch name {
        case "accuracy": .accuracy
        case "balanced_accuracy": .balancedAccuracy
        case "roc_auc": .rocAuc
        case "neg_log_loss": .negLogLoss
        case "neg_brier_score": .negBrierScore
        default: fatalError("unknown scorer \(name)")
        }
    }
}

@Suite struct ToolkitParityTests {
    @Test func fixturesRecordTheirVersions() {
        #expect(Toolkit.file.versions["scikit-learn"] == "1.9.1")
        #expect(Toolkit.file.versions["numpy"] != nil)
    }

    @Test(arguments: Toolkit.file.dummy)
    func dummyClassifierMatchesScikitLearn(_ c: Toolkit.DummyCase) throws {
        var model = DummyClassifier(strategy: DummyClassifier.Strategy(rawValue: c.strategy)!, randomState: c.seed)
        try model.fit(c.y.map { _ in [0.0, 0.0] }, c.y)
        let rows = [[Double]](repeating: [0, 0], count: c.testRows)
        #expect(model.classes == c.classes)
        #expect(model.classPrior == c.classPrior)
        #expect(try model.predict(rows) == c.predict)
        #expect(try model.predictProba(rows) == c.proba)
        // A fresh generator at every call: the same rows again.
        #expect(try model.predict(rows) == c.predict)
    }

    @Test(arguments: Toolkit.file.kfold)
    func kFoldMatchesScikitLearn(_ c: Toolkit.KFoldCase) throws {
        let folds = try KFold(nSplits: c.k, shuffle: c.shuffle, randomState: c.seed).split(count: c.n)
        #expect(folds.map(\.test) == c.test)
        for fold in folds {
            #expect(Set(fold.train).union(fold.test) == Set(0..<c.n))
            #expect(fold.train == fold.train.sorted())
        }
    }

    @Test(arguments: Toolkit.file.stratified)
    func stratifiedKFoldMatchesScikitLearn(_ c: Toolkit.StratifiedCase) throws {
        let cv = try StratifiedKFold(nSplits: c.k, shuffle: c.shuffle, randomState: c.seed)
        guard let expected = c.folds else {
            #expect(throws: LearningError.self) { try cv.testFolds(c.y) }
            return
        }
        let (folds, warnings) = try LearningWarnings.collecting { try cv.testFolds(c.y) }
        #expect(folds == expected)
        #expect(!warnings.isEmpty == c.warned)
        let splits = try LearningWarnings.collecting { try cv.split(c.y) }.result
        #expect(splits.map(\.test) == (0..<c.k).map { f in expected.indices.filter { expected[$0] == f } })
    }

    @Test(arguments: Toolkit.file.cross)
    func crossValidateMatchesScikitLearn(_ c: Toolkit.CrossCase) throws {
        let (x, y) = try Toolkit.dataset(c.dataset)
        let cv = try Toolkit.validator(c.cv)
        let scoring = Toolkit.scorer(c.scoring)
        func check<M: Classifier>(_ model: M) throws {
            let result = try crossValidate(model, x, y, cv: cv, scoring: scoring, returnTrainScore: true)
            #expect(result.testScore == c.test)
            #expect(result.trainScore == c.train)
            #expect(result.fitTime.count == c.test.count && result.fitTime.allSatisfy { $0 >= 0 })
            #expect(try crossValScore(model, x, y, cv: cv, scoring: scoring) == c.test)
        }
        switch c.model {
        case "tree":
            try check(DecisionTreeClassifier(maxDepth: c.params.max_depth, minSamplesLeaf: c.params.min_samples_leaf ?? 1,
                                             randomState: c.params.random_state))
        case "forest":
            try check(RandomForestClassifier(nEstimators: c.params.n_estimators ?? 100, randomState: c.params.random_state))
        default:
            try check(DummyClassifier(strategy: DummyClassifier.Strategy(rawValue: c.params.strategy!)!,
                                      randomState: c.params.random_state))
        }
    }

    @Test func validationCurveMatchesScikitLearn() throws {
        let (x, y) = try Toolkit.dataset("wine")
        let expected = Toolkit.file.curves.validation
        let curve = try validationCurve(DecisionTreeClassifier(randomState: 0), x, y,
                                        parameter: \.parameters.maxDepth, values: expected.depths,
                                        cv: StratifiedKFold(nSplits: 3))
        #expect(curve.trainScores == expected.train)
        #expect(curve.testScores == expected.test)
    }

    @Test func learningCurveMatchesScikitLearn() throws {
        let (x, y) = try Toolkit.dataset("breast_cancer")
        for expected in Toolkit.file.curves.learning {
            let sizes: TrainSizes = expected.sizes.map { .counts($0) } ?? .standard
            let (curve, warnings) = try LearningWarnings.collecting {
                try learningCurve(DecisionTreeClassifier(randomState: 0), x, y, trainSizes: sizes,
                                  shuffle: expected.shuffle, randomState: expected.seed)
            }
            #expect(curve.trainSizes == expected.ticks)
            #expect(curve.trainScores == expected.train)
            #expect(curve.testScores == expected.test)
            #expect(warnings.map(\.category) == (expected.sizes?.count == 4 ? [.runtimeWarning] : []))
        }
    }

    @Test func balancedAccuracyAndKappaMatchScikitLearn() throws {
        for c in Toolkit.file.metrics.balanced {
            let (score, _) = try LearningWarnings.collecting { try balancedAccuracyScore(c.yTrue, c.yPred) }
            #expect(score == c.score)
            let adjusted = try LearningWarnings.collecting { try balancedAccuracyScore(c.yTrue, c.yPred, adjusted: true) }
            #expect(adjusted.result == c.adjusted)
        }
        for c in Toolkit.file.metrics.kappa {
            let weights = c.weights.map { KappaWeights(rawValue: $0)! }
            #expect(try cohenKappaScore(c.y1, c.y2, labels: c.labels, weights: weights) == c.score)
            // Symmetric in the two labellers, up to rounding (the sums run in another order).
            #expect(abs(try cohenKappaScore(c.y2, c.y1, labels: c.labels, weights: weights) - c.score) <= 1e-12)
        }
    }

    @Test func rocCurveAndAucMatchScikitLearn() throws {
        for c in Toolkit.file.metrics.roc {
            let curve = try rocCurve(c.y, c.score, posLabel: c.posLabel, dropIntermediate: c.drop)
            #expect(curve.fpr == c.fpr)
            #expect(curve.tpr == c.tpr)
            #expect(curve.thresholds.first == .infinity)
            #expect(Array(curve.thresholds.dropFirst()) == c.thresholds)
            #expect(try rocAucScore(c.y, c.score) == c.auc)
            #expect(try auc(curve.fpr, curve.tpr) == c.aucOfCurve)
        }
    }

    @Test func logLossAndBrierMatchScikitLearn() throws {
        for c in Toolkit.file.metrics.logLoss {
            #expect(try logLoss(c.y, c.proba, labels: c.labels, normalize: c.normalize) == c.loss)
        }
        for c in Toolkit.file.metrics.brier {
            if let proba = c.proba {
                #expect(try brierScoreLoss(c.y, proba) == c.score)
            } else if let proba = c.proba2d {
                #expect(try brierScoreLoss(c.y, proba, labels: c.labels) == c.score)
            }
        }
    }

    @Test func calibrationCurveMatchesScikitLearn() throws {
        for c in Toolkit.file.metrics.calibration {
            let curve = try calibrationCurve(c.y, c.prob, nBins: c.bins, strategy: CalibrationStrategy(rawValue: c.strategy)!)
            #expect(curve.probTrue == c.probTrue, "\(c.strategy) \(c.bins)")
            #expect(curve.probPred == c.probPred, "\(c.strategy) \(c.bins)")
        }
    }

    @Test func meanAndStdMatchNumPy() {
        for c in Toolkit.file.metrics.summary {
            #expect(mean(c.values) == c.mean)
            #expect(std(c.values) == c.std)
            if let std1 = c.std1 { #expect(std(c.values, ddof: 1) == std1) }
        }
        #expect(mean([]).isNaN)
        #expect(std([1], ddof: 1).isNaN)
    }

    @Test(arguments: Toolkit.file.knn.cases)
    func kNeighborsMatchesScikitLearn(_ c: Toolkit.KNNCase) throws {
        let data = Toolkit.file.knn.data[c.name]!
        let (xTrain, yTrain, xTest) = (data.xTrain, data.yTrain, data.xTest)
        var model = KNeighborsClassifier(nNeighbors: c.k, weights: KNeighborsClassifier.Weights(rawValue: c.weights)!, p: c.p)
        try model.fit(xTrain, yTrain)
        let (distances, indices) = try model.kneighbors(xTest)
        #expect(indices == c.indices)
        #expect(model.classes == Array(Set(yTrain)).sorted())
        #expect(try model.predict(xTest) == c.predict)
        let proba = try model.predictProba(xTest)
        if c.method == "kd_tree" {
            // The same distances, summed feature by feature as scikit-learn's KD-tree sums them.
            #expect(distances == c.distances)
            #expect(proba == c.proba)
        } else {
            // scikit-learn's brute force computes distances as ‖x‖² − 2x·y + ‖y‖², which loses digits to
            // cancellation (breast_cancer's features reach 4,000): 2.5e-12 apart relative, at worst.
            let worst = zip(distances.joined(), c.distances.joined()).map { abs($0 - $1) / max($1, 1) }.max() ?? 0
            #expect(worst <= 1e-10)
            let worstProba = zip(proba.joined(), c.proba.joined()).map { abs($0 - $1) }.max() ?? 0
            #expect(c.weights == "uniform" ? worstProba == 0 : worstProba <= 1e-12)
        }
    }

    @Test func pairedComparisonMatchesScipy() throws {
        func close(_ x: Double, _ y: Double, _ tolerance: Double) -> Bool { abs(x - y) <= tolerance * max(1, abs(y)) }
        for c in Toolkit.file.paired {
            let r = try pairedComparison(c.a, c.b, confidenceLevel: c.level)
            #expect(r.degreesOfFreedom == c.df)
            #expect(close(r.tStatistic, c.t, 1e-13), "t \(r.tStatistic) vs \(c.t)")
            #expect(close(r.pValue, c.p, 1e-10), "p \(r.pValue) vs \(c.p)")
            #expect(close(r.confidenceInterval.low, c.low, 1e-10), "low \(r.confidenceInterval.low) vs \(c.low)")
            #expect(close(r.confidenceInterval.high, c.high, 1e-10), "high \(r.confidenceInterval.high) vs \(c.high)")
        }
    }

    @Test(arguments: Toolkit.file.logistic.cases)
    func logisticRegressionMatchesScikitLearn(_ c: Toolkit.LogisticCase) throws {
        let data = Toolkit.file.logistic.data[c.name]!
        var model = LogisticRegression(C: c.C)
        try model.fit(data.xTrain, data.yTrain)
        func gap(_ a: [[Double]], _ b: [[Double]]) -> Double {
            zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? .infinity
        }
        #expect(model.coef.count == c.coef.count && model.coef[0].count == c.coef[0].count)
        // scikit-learn's tightly converged fit (tol=1e-12; its L-BFGS still stops on ftol, up to 2e-6 short of
        // the optimum Newton's method reaches here).
        #expect(gap(model.coef, c.coef) <= 1e-5, "coef gap \(gap(model.coef, c.coef))")
        #expect(gap([model.intercept], [c.intercept]) <= 1e-5, "intercept gap \(gap([model.intercept], [c.intercept]))")
        #expect(gap(try model.predictProba(data.xTest), c.proba) <= 1e-6)
        // scikit-learn's default fit (tol=1e-4) stops early: up to 0.09 from the optimum on these sets.
        #expect(gap(model.coef, c.defaultCoef) <= 0.1, "default coef gap \(gap(model.coef, c.defaultCoef))")
        #expect(try model.predict(data.xTest) == c.predict)
    }
}
