import Foundation

/// The mean of the recall of each class (scikit-learn's `balanced_accuracy_score`): accuracy that
/// counts every class equally however rare. A value in [0, 1]; with `adjusted`, rescaled so that chance
/// (1/k for k classes) scores 0 and perfect scores 1.
///
/// `yTrue` and `yPred` are n labels each. A class that occurs only in `yPred` has no recall; it is left
/// out and a `UserWarning` ("y_pred contains classes not in y_true") is given, as in scikit-learn.
/// Throws `LearningError` when the arrays differ in length or are empty.
public func balancedAccuracyScore(_ yTrue: [Int], _ yPred: [Int], adjusted: Bool = false) throws -> Double {
    let matrix = try confusionMatrix(yTrue, yPred)
    var recalls: [Double] = []
    var undefined = false
    for (i, row) in matrix.counts.enumerated() {
        let total = row.reduce(0, +)
        if total == 0 { undefined = true } else { recalls.append(Double(row[i]) / Double(total)) }
    }
    if undefined { warn(LearningWarning(.userWarning, "y_pred contains classes not in y_true")) }
    var score = mean(recalls)
    if adjusted {
        let chance = 1 / Double(recalls.count)
        score -= chance
        score /= 1 - chance
    }
    return score
}

/// How `cohenKappaScore` weighs disagreements (scikit-learn's `weights`).
public enum KappaWeights: String, Sendable, Hashable {
    /// Disagreements cost `|i − j|` (label positions i and j).
    case linear
    /// Disagreements cost `(i − j)²`.
    case quadratic
}

/// Cohen's kappa, the agreement of two labellers beyond chance (scikit-learn's `cohen_kappa_score`):
/// `κ = 1 − Σ w·observed / Σ w·expected`, 1 for perfect agreement, 0 for chance, negative for worse.
///
/// `y1` and `y2` are n labels from the two labellers (the score is symmetric in them). `labels` picks
/// and orders the labels counted (default: every label of either, ascending; the order matters only
/// for `weights`). `weights: nil` counts every disagreement as 1. When kappa is undefined (no label of
/// `y2` among `labels` and `y1`, or one label in common) it is `replaceUndefinedBy` (default NaN) with an
/// `UndefinedMetricWarning`, as in scikit-learn. Throws `LearningError` when the arrays differ in length
/// or are empty, `labels` is invalid or has no label of `y1`, or `replaceUndefinedBy` is outside [−1, 1].
public func cohenKappaScore(_ y1: [Int], _ y2: [Int], labels: [Int]? = nil, weights: KappaWeights? = nil,
                            replaceUndefinedBy: Double = .nan) throws -> Double {
    guard replaceUndefinedBy.isNaN || (-1...1).contains(replaceUndefinedBy) else {
        throw LearningError.invalidParameter("replaceUndefinedBy (\(replaceUndefinedBy)) must be NaN or between -1 and 1.")
    }
    let matrix: ConfusionMatrix
    do {
        matrix = try confusionMatrix(y1, y2, labels: labels)
    } catch let LearningError.invalidParameter(message) where message.hasPrefix("At least one label") {
        throw LearningError.invalidParameter(
            "At least one label in labels must be present in y1 (even though cohenKappaScore is otherwise agnostic to the order of y1 and y2).")
    }
    let k = matrix.labels.count
    let confusion = matrix.counts.map { $0.map(Double.init) }
    let sum0 = (0..<k).map { j in confusion.reduce(0) { $0 + $1[j] } }
    let sum1 = confusion.map { Statistics.sum($0) }
    let total = Statistics.sum(sum0)
    if total == 0 {
        warn(LearningWarning(.undefinedMetricWarning,
            "`y2` contains no labels that are present in both `y1` and `labels`.`cohen_kappa_score` is undefined and set to the value defined by the `replace_undefined_by` param, which is set to \(pythonFloat(replaceUndefinedBy))."))
        return replaceUndefinedBy
    }
    func weight(_ i: Int, _ j: Int) -> Double {
        switch weights {
        case nil: i == j ? 0 : 1
        case .linear: Double(abs(i - j))
        case .quadratic: Double((i - j) * (i - j))
        }
    }
    var weightedObserved: [Double] = [], weightedExpected: [Double] = []
    for i in 0..<k {
        for j in 0..<k {
            weightedObserved.append(weight(i, j) * confusion[i][j])
            weightedExpected.append(weight(i, j) * (sum0[i] * sum1[j] / total))
        }
    }
    let denominator = Statistics.sum(weightedExpected)
    if denominator == 0 {
        warn(LearningWarning(.undefinedMetricWarning,
            "`y1`, `y2` and `labels` have only one label in common. `cohen_kappa_score` is undefined and set to the value defined by the the `replace_undefined_by` param, which is set to \(pythonFloat(replaceUndefinedBy))."))
        return replaceUndefinedBy
    }
    return 1 - Statistics.sum(weightedObserved) / denominator
}

/// A number as Python prints a float (`nan`, `0.0`, `-1.0`), for scikit-learn's messages.
func pythonFloat(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value == value.rounded(), abs(value) < 1e16 { return String(format: "%.1f", value) }
    return "\(value)"
}
