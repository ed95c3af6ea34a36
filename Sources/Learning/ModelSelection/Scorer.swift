/// A named way to score a fitted classifier on rows with true labels, higher being better
/// (scikit-learn's scorers, the `scoring=` strings of `cross_val_score`).
///
/// Losses are negated (`negLogLoss`, `negBrierScore`) so that higher is always better, as scikit-learn's
/// `neg_log_loss` and `neg_brier_score` are. Probability scorers on a binary model use the probability
/// of its larger class (`classes[1]`), as scikit-learn's do.
public struct Scorer: Sendable {
    /// scikit-learn's name for the scorer (e.g. `"accuracy"`, `"roc_auc"`).
    public let name: String
    private let body: @Sendable (any Classifier, [[Double]], [Int]) throws -> Double

    /// A scorer from a function of (fitted model, rows, true labels); higher must be better.
    public init(name: String, _ score: @escaping @Sendable (any Classifier, [[Double]], [Int]) throws -> Double) {
        self.name = name
        self.body = score
    }

    /// The score of fitted `model` on rows `x` (n × d) with true labels `y` (n).
    public func callAsFunction(_ model: any Classifier, _ x: [[Double]], _ y: [Int]) throws -> Double {
        try body(model, x, y)
    }

    /// `"accuracy"`: `accuracyScore(y, model.predict(x))`.
    public static let accuracy = Scorer(name: "accuracy") { model, x, y in try accuracyScore(y, model.predict(x)) }
    /// `"balanced_accuracy"`: `balancedAccuracyScore(y, model.predict(x))`.
    public static let balancedAccuracy = Scorer(name: "balanced_accuracy") { model, x, y in
        try balancedAccuracyScore(y, model.predict(x))
    }
    /// `"roc_auc"`: `rocAucScore` of the larger class's probability; binary models only.
    public static let rocAuc = Scorer(name: "roc_auc") { model, x, y in
        try rocAucScore(y, positiveProbability(model, x, scorer: "roc_auc"))
    }
    /// `"neg_log_loss"`: minus `logLoss` of the probabilities (the larger class's for a binary model).
    public static let negLogLoss = Scorer(name: "neg_log_loss") { model, x, y in
        if model.classes.count == 2 { return -(try logLoss(y, positiveProbability(model, x, scorer: "neg_log_loss"))) }
        return -(try logLoss(y, model.predictProba(x)))
    }
    /// `"neg_brier_score"`: minus `brierScoreLoss` of the larger class's probability; binary models only.
    public static let negBrierScore = Scorer(name: "neg_brier_score") { model, x, y in
        -(try brierScoreLoss(y, positiveProbability(model, x, scorer: "neg_brier_score")))
    }
}

/// The probability of `classes[1]` for a model fitted on two classes (scikit-learn's
/// `_process_predict_proba` for a binary target).
private func positiveProbability(_ model: any Classifier, _ x: [[Double]], scorer: String) throws -> [Double] {
    guard model.classes.count == 2 else {
        throw LearningError.invalidParameter(
            "The \(scorer) scorer needs a model fitted on two classes, but this one was fitted on \(model.classes.count) (\(model.classes)).")
    }
    return try model.predictProba(x).map { $0[1] }
}
