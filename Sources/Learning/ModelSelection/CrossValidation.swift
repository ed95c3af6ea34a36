import Foundation

/// The folds scikit-learn uses for a classifier when `cv` is left out: `StratifiedKFold(nSplits: 5)`.
private func defaultCV(_ cv: (any CrossValidator)?) throws -> any CrossValidator {
    try cv ?? StratifiedKFold(nSplits: 5)
}

private func checkData(_ x: [[Double]], _ y: [Int]) throws {
    guard x.count == y.count else { throw LearningError.labelCountMismatch(labels: y.count, samples: x.count) }
    guard !y.isEmpty else { throw LearningError.emptyData("There are no rows to cross-validate; x and y are empty.") }
}

/// The test score of each fold (scikit-learn's `cross_val_score`): for every fold of `cv`, a copy of
/// the unfitted `model` (scikit-learn's `clone`, same parameters and `randomState`) is fitted on the
/// fold's training rows, in ascending row order, and scored on its test rows.
///
/// `x` is n rows × d features, `y` n labels; the result has one score per fold, in fold order. `cv`
/// defaults to `StratifiedKFold(nSplits: 5)` (scikit-learn's `cv=5` for a classifier); `scoring` to
/// accuracy (the estimator's `score`). Folds run one after another (`n_jobs=None`); a forest still
/// grows its trees in parallel. Unlike scikit-learn (`error_score=nan`), a fit or score that fails
/// throws its error. Throws `LearningError` when `x` and `y` differ in count or are empty, or the rows
/// cannot be split as `cv` asks.
public func crossValScore<Model: Classifier>(_ model: Model, _ x: [[Double]], _ y: [Int],
                                             cv: (any CrossValidator)? = nil, scoring: Scorer = .accuracy) throws -> [Double] {
    try crossValidate(model, x, y, cv: cv, scoring: scoring).testScore
}

/// What `crossValidate` measured, one value per fold, in fold order (scikit-learn's `cross_validate`
/// dictionary).
public struct CrossValidationResult<Model: Classifier>: Sendable {
    /// The score on each fold's test rows (`test_score`).
    public var testScore: [Double]
    /// The score on each fold's training rows, when asked for (`train_score`).
    public var trainScore: [Double]?
    /// Seconds each fit took (`fit_time`); wall-clock time, so it varies from run to run.
    public var fitTime: [Double]
    /// Seconds scoring each test fold took (`score_time`).
    public var scoreTime: [Double]
    /// The fitted model of each fold, when asked for (`estimator`).
    public var estimators: [Model]?
    /// The folds used.
    public var folds: [Fold]
}

/// Fits and scores `model` on every fold of `cv` (scikit-learn's `cross_validate`), recording test
/// scores, fit and score times in seconds, and optionally training scores (`returnTrainScore`) and the
/// fitted models (`returnEstimator`). Each fold fits a fresh copy of `model` on the fold's training
/// rows in ascending order, as scikit-learn does, so the scores equal scikit-learn's for models that
/// match it (trees, forests, dummies). Throws as `crossValScore`.
public func crossValidate<Model: Classifier>(_ model: Model, _ x: [[Double]], _ y: [Int],
                                             cv: (any CrossValidator)? = nil, scoring: Scorer = .accuracy,
                                             returnTrainScore: Bool = false,
                                             returnEstimator: Bool = false) throws -> CrossValidationResult<Model> {
    try checkData(x, y)
    let folds = try defaultCV(cv).split(y)
    var result = CrossValidationResult<Model>(testScore: [], trainScore: returnTrainScore ? [] : nil, fitTime: [],
                                              scoreTime: [], estimators: returnEstimator ? [] : nil, folds: folds)
    let clock = ContinuousClock()
    for fold in folds {
        var fitted = model
        let start = clock.now
        let xTrain = fold.train.map { x[$0] }, yTrain = fold.train.map { y[$0] }
        try fitted.fit(xTrain, yTrain)
        let fitted_at = clock.now
        result.testScore.append(try scoring(fitted, fold.test.map { x[$0] }, fold.test.map { y[$0] }))
        let scored_at = clock.now
        result.fitTime.append(seconds(fitted_at - start))
        result.scoreTime.append(seconds(scored_at - fitted_at))
        if returnTrainScore { result.trainScore?.append(try scoring(fitted, xTrain, yTrain)) }
        if returnEstimator { result.estimators?.append(fitted) }
    }
    return result
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Training and test scores for each value of one parameter (scikit-learn's `validation_curve`):
/// rows are the values in `values` order, columns the folds of `cv` — `values.count × nSplits` each.
///
/// `parameter` is a key path to the setting to vary, e.g. `\DecisionTreeClassifier.parameters.maxDepth`
/// or `\RandomForestClassifier.nEstimators`. For every fold and value, a copy of `model` with the value
/// set is fitted on the fold's training rows and scored on both parts. Throws as `crossValScore`, and
/// `LearningError.invalidParameter` for an empty `values`.
public func validationCurve<Model: Classifier, Value>(_ model: Model, _ x: [[Double]], _ y: [Int],
                                                     parameter: WritableKeyPath<Model, Value>, values: [Value],
                                                     cv: (any CrossValidator)? = nil, scoring: Scorer = .accuracy) throws
    -> (trainScores: [[Double]], testScores: [[Double]]) {
    try checkData(x, y)
    guard !values.isEmpty else { throw LearningError.invalidParameter("values is empty; give at least one parameter value.") }
    let folds = try defaultCV(cv).split(y)
    var train = [[Double]](repeating: [], count: values.count), test = train
    for fold in folds {
        let xTrain = fold.train.map { x[$0] }, yTrain = fold.train.map { y[$0] }
        let xTest = fold.test.map { x[$0] }, yTest = fold.test.map { y[$0] }
        for (i, value) in values.enumerated() {
            var fitted = model
            fitted[keyPath: parameter] = value
            try fitted.fit(xTrain, yTrain)
            test[i].append(try scoring(fitted, xTest, yTest))
            train[i].append(try scoring(fitted, xTrain, yTrain))
        }
    }
    return (train, test)
}

/// How many training rows `learningCurve` fits on (scikit-learn's `train_sizes`).
public enum TrainSizes: Sendable, Hashable {
    /// Fractions in (0, 1] of the largest training fold; each becomes `Int(fraction · nMax)` rows
    /// (truncated, at least 1).
    case fractions([Double])
    /// Row counts in 1...nMax.
    case counts([Int])

    /// scikit-learn's default, `np.linspace(0.1, 1.0, 5)`: 10%, 32.5%, 55%, 77.5% and 100%.
    public static let standard = TrainSizes.fractions(linspace(0.1, 1.0, 5))
}

/// Scores for growing training sets (scikit-learn's `learning_curve`).
public struct LearningCurve: Sendable, Equatable {
    /// The distinct training-set sizes used, ascending.
    public var trainSizes: [Int]
    /// Scores on the rows fitted on: `trainSizes.count × nSplits`.
    public var trainScores: [[Double]]
    /// Scores on each fold's test rows: `trainSizes.count × nSplits`.
    public var testScores: [[Double]]
}

/// Fits `model` on the first k training rows of every fold for each size k and scores it on the rows
/// fitted and on the fold's test rows (scikit-learn's `learning_curve`).
///
/// Sizes are resolved against nMax, the training count of the first fold; duplicates are dropped (with
/// scikit-learn's `RuntimeWarning`) and the sizes sorted. With `shuffle`, each fold's training rows are
/// first permuted by one `NumPyRandom(seed: randomState)` shared across folds
/// (`rng.permutation(train)`), so small sizes do not take the lowest row numbers only. Throws as
/// `crossValScore`, and `LearningError.invalidParameter` for sizes outside (0, 1] (fractions) or
/// 1...nMax (counts), or a `randomState` outside 0...2³²−1.
public func learningCurve<Model: Classifier>(_ model: Model, _ x: [[Double]], _ y: [Int],
                                             trainSizes: TrainSizes = .standard, cv: (any CrossValidator)? = nil,
                                             scoring: Scorer = .accuracy, shuffle: Bool = false,
                                             randomState: Int? = nil) throws -> LearningCurve {
    try checkData(x, y)
    var folds = try defaultCV(cv).split(y)
    let nMax = folds[0].train.count
    var sizes: [Int]
    switch trainSizes {
    case let .fractions(fractions):
        guard let low = fractions.min(), let high = fractions.max() else {
            throw LearningError.invalidParameter("trainSizes is empty; give at least one size.")
        }
        guard low > 0, high <= 1 else {
            throw LearningError.invalidParameter(
                "trainSizes has been interpreted as fractions of the maximum number of training samples and must be within (0, 1], but is within [\(low), \(high)].")
        }
        sizes = fractions.map { min(max(Int($0 * Double(nMax)), 1), nMax) }
    case let .counts(counts):
        guard let low = counts.min(), let high = counts.max() else {
            throw LearningError.invalidParameter("trainSizes is empty; give at least one size.")
        }
        guard low > 0, high <= nMax else {
            throw LearningError.invalidParameter(
                "trainSizes has been interpreted as absolute numbers of training samples and must be within (0, \(nMax)], but is within [\(low), \(high)].")
        }
        sizes = counts
    }
    let requested = sizes.count
    sizes = Array(Set(sizes)).sorted()
    if sizes.count < requested {
        warn(LearningWarning(.runtimeWarning,
            "Removed duplicate entries from 'train_sizes'. Number of ticks will be less than the size of 'train_sizes': \(sizes.count) instead of \(requested)."))
    }
    if shuffle {
        var rng = try NumPyRandom(seed: randomState ?? Int(UInt32.random(in: 0...UInt32.max)))
        for i in folds.indices { rng.shuffle(&folds[i].train) }
    }
    var train = [[Double]](repeating: [], count: sizes.count), test = train
    for fold in folds {
        let xTest = fold.test.map { x[$0] }, yTest = fold.test.map { y[$0] }
        for (i, size) in sizes.enumerated() {
            let rows = fold.train.prefix(size)
            let xTrain = rows.map { x[$0] }, yTrain = rows.map { y[$0] }
            var fitted = model
            try fitted.fit(xTrain, yTrain)
            test[i].append(try scoring(fitted, xTest, yTest))
            train[i].append(try scoring(fitted, xTrain, yTrain))
        }
    }
    return LearningCurve(trainSizes: sizes, trainScores: train, testScores: test)
}
