import Foundation

/// How a per-class score becomes one number (scikit-learn's `average`).
public enum MetricAverage: String, Sendable, Hashable {
    /// Only the class `posLabel` counts; the target must have at most two labels (scikit-learn's
    /// default for precision, recall and F-scores).
    case binary
    /// Count true positives, predictions and true rows over all classes, then divide once.
    case micro
    /// The unweighted mean of the per-class scores: every class counts the same however rare.
    case macro
    /// The mean of the per-class scores weighted by each class's number of true rows (support).
    case weighted
}

/// Precision `tp / (tp + fp)`: of the rows predicted positive, the share that are (scikit-learn's
/// `precision_score`).
///
/// `yTrue` and `yPred` are n labels each. With `average: .binary` (the default, as scikit-learn's)
/// the score is that of `posLabel` (default 1) and the labels must be at most two; otherwise the
/// per-class scores for `labels` (default: every label of either array, ascending) are combined by
/// `average` (see `MetricAverage`). A zero denominator gives `zeroDivision`'s value; with `.warn` (the
/// default) it gives 0 and scikit-learn's `UndefinedMetricWarning`. With `zeroDivision: .nan` the NaN
/// scores are left out of a macro or weighted average, as scikit-learn's `_nanaverage`. Throws
/// `LearningError` when the arrays differ in length or are empty, `labels` is empty or repeats a label,
/// `average: .binary` meets more than two labels, or `posLabel` is not one of two labels present.
public func precisionScore(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil, posLabel: Int = 1,
                           average: MetricAverage = .binary, zeroDivision: ZeroDivision = .warn) throws -> Double {
    try setWiseScores(yTrue, yPred, labels: labels, posLabel: posLabel, average: average, beta: 1,
                      zeroDivision: zeroDivision, warnFor: "precision").precision
}

/// Recall `tp / (tp + fn)`: of the rows of the class, the share found (scikit-learn's
/// `recall_score`). Parameters, averaging, `zeroDivision` and errors as `precisionScore`.
public func recallScore(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil, posLabel: Int = 1,
                        average: MetricAverage = .binary, zeroDivision: ZeroDivision = .warn) throws -> Double {
    try setWiseScores(yTrue, yPred, labels: labels, posLabel: posLabel, average: average, beta: 1,
                      zeroDivision: zeroDivision, warnFor: "recall").recall
}

/// F1, the harmonic mean of precision and recall, `2·tp / (2·tp + fp + fn)` (scikit-learn's
/// `f1_score`). Parameters, averaging, `zeroDivision` and errors as `precisionScore`; the F-score is
/// ill-defined only when a class has neither true nor predicted rows.
public func f1Score(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil, posLabel: Int = 1,
                    average: MetricAverage = .binary, zeroDivision: ZeroDivision = .warn) throws -> Double {
    try fbetaScore(yTrue, yPred, beta: 1, labels: labels, posLabel: posLabel, average: average, zeroDivision: zeroDivision)
}

/// The F-beta score, `(1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp)`: recall counts β times as much as
/// precision (scikit-learn's `fbeta_score`). `beta` ≥ 0; `beta: 0` is precision and `.infinity`
/// recall. Parameters, averaging, `zeroDivision` and errors as `precisionScore`, and
/// `LearningError.invalidParameter` for a negative or NaN `beta`.
public func fbetaScore(_ yTrue: [Int], _ yPred: [Int], beta: Double, labels: [Int]? = nil, posLabel: Int = 1,
                       average: MetricAverage = .binary, zeroDivision: ZeroDivision = .warn) throws -> Double {
    guard beta >= 0 else { throw LearningError.invalidParameter("beta (\(beta)) must be at least 0.") }
    return try setWiseScores(yTrue, yPred, labels: labels, posLabel: posLabel, average: average, beta: beta,
                             zeroDivision: zeroDivision, warnFor: "f-score").fScore
}

/// scikit-learn's `precision_recall_fscore_support` with an `average`: the averaged precision, recall
/// and F-beta, warning (with `.warn`) only for the metric named by `warnFor`.
private func setWiseScores(_ yTrue: [Int], _ yPred: [Int], labels: [Int]?, posLabel: Int, average: MetricAverage,
                           beta: Double, zeroDivision: ZeroDivision, warnFor: String) throws
    -> (precision: Double, recall: Double, fScore: Double) {
    guard yTrue.count == yPred.count else {
        throw LearningError.labelCountMismatch(labels: yPred.count, samples: yTrue.count)
    }
    guard !yTrue.isEmpty else { throw LearningError.emptyData("There are no labels to score; yTrue and yPred are empty.") }
    let present = Array(Set(yTrue).union(yPred)).sorted()
    var chosen: [Int]
    if average == .binary {
        guard present.count <= 2 else {
            throw LearningError.invalidParameter(
                "Target is multiclass (\(present.count) labels: \(present)) but average is .binary; choose .micro, .macro or .weighted.")
        }
        if !present.contains(posLabel), present.count >= 2 {
            throw LearningError.invalidParameter("posLabel=\(posLabel) is not a valid label. It should be one of \(present).")
        }
        chosen = [posLabel]
    } else {
        chosen = labels ?? present
        guard !chosen.isEmpty else {
            throw LearningError.invalidParameter("labels is empty; give at least one label or leave it out.")
        }
        guard Set(chosen).count == chosen.count else {
            throw LearningError.invalidParameter("labels (\(chosen)) lists a label more than once.")
        }
    }
    var tp: [Double] = [], predicted: [Double] = [], actual: [Double] = []
    for label in chosen {
        tp.append(Double(zip(yTrue, yPred).filter { $0 == label && $1 == label }.count))
        predicted.append(Double(yPred.filter { $0 == label }.count))
        actual.append(Double(yTrue.filter { $0 == label }.count))
    }
    if average == .micro {
        tp = [Statistics.sum(tp)]
        predicted = [Statistics.sum(predicted)]
        actual = [Statistics.sum(actual)]
    }
    func divide(_ numerator: [Double], _ denominator: [Double], metric: String, modifier: String) -> [Double] {
        var undefined = false
        let result = zip(numerator, denominator).map { n, d -> Double in
            if d == 0 { undefined = true; return zeroDivision.value }
            return n / d
        }
        if undefined, zeroDivision == .warn, metric == warnFor {
            let start = metric.prefix(1).uppercased() + metric.dropFirst() + " is"
            let place = result.count == 1 ? "due to" : "in labels with"
            warn(LearningWarning(.undefinedMetricWarning,
                "\(start) ill-defined and being set to 0.0 \(place) no \(modifier) samples. Use `zero_division` parameter to control this behavior."))
        }
        return result
    }
    let precision = divide(tp, predicted, metric: "precision", modifier: "predicted")
    let recall = divide(tp, actual, metric: "recall", modifier: "true")
    let fScore: [Double]
    if beta.isInfinite {
        fScore = recall
    } else if beta == 0 {
        fScore = precision
    } else {
        let beta2 = beta * beta
        fScore = divide(tp.map { (1 + beta2) * $0 }, zip(actual, predicted).map { beta2 * $0 + $1 },
                        metric: "f-score", modifier: "true nor predicted")
    }
    let weights = average == .weighted ? actual : nil
    return (nanAverage(precision, weights: weights), nanAverage(recall, weights: weights), nanAverage(fScore, weights: weights))
}

/// scikit-learn's `_nanaverage`: the (weighted) mean ignoring NaN values; NaN when all are NaN; the
/// plain mean when the remaining weights sum to zero.
func nanAverage(_ values: [Double], weights: [Double]? = nil) -> Double {
    let kept = values.indices.filter { !values[$0].isNaN }
    guard !kept.isEmpty else { return .nan }
    if let weights {
        let w = kept.map { weights[$0] }
        let total = Statistics.sum(w)
        if total != 0 { return Statistics.sum(kept.map { values[$0] * weights[$0] }) / total }
    }
    // numpy's nanmean: NaN counted as 0 in the sum, divided by the number of non-NaN values.
    return Statistics.sum(values.map { $0.isNaN ? 0 : $0 }) / Double(kept.count)
}

/// How `rocAucScore` turns a multiclass problem into binary ones (scikit-learn's `multi_class`).
public enum MultiClass: String, Sendable, Hashable {
    /// One-vs-rest: each class against all others, one AUC per class (Provost & Domingos, 2000).
    case ovr
    /// One-vs-one: each pair of classes on the rows of those two classes, both ways, one AUC per
    /// pair (Hand & Till, 2001); insensitive to class imbalance with `.macro`.
    case ovo
}

/// The multiclass area under the ROC curve (scikit-learn's `roc_auc_score(y_true, y_score,
/// multi_class=..., average=..., labels=...)`).
///
/// `yTrue` is n labels; `yScore` is n rows × k class probabilities (`predictProba`), column j for
/// `labels[j]` (default: the labels of `yTrue`, ascending), each row summing to 1 (numpy's `allclose`).
/// `.ovr` scores each class against the rest: `.macro` is the mean of the k AUCs, `.weighted` weighs
/// each by its number of true rows (a class without rows then counts 0), `.micro` pools every
/// (row, class) cell into one binary problem. `.ovo` scores each pair (a, b) of classes present in
/// `yTrue` on the rows of a or b as the mean of AUC(a vs b) and AUC(b vs a): `.macro` averages the pairs,
/// `.weighted` weighs each pair by the share of rows in it. A class with no rows in `yTrue` gets a NaN
/// AUC with scikit-learn's `UndefinedMetricWarning` (so `.ovr` with `.macro` is NaN).
///
/// For a binary `yTrue` with two columns the second column is scored as the binary `rocAucScore`
/// (scikit-learn asks for that column itself). Throws `LearningError` when the counts differ or are
/// zero, rows differ in width, a score is not finite, the rows do not sum to 1, the number of columns is
/// not the number of classes, `labels` repeats or is not ascending or misses a label of `yTrue`, or
/// `average` is `.binary` (or `.micro` with `.ovo`).
public func rocAucScore(_ yTrue: [Int], _ yScore: [[Double]], multiClass: MultiClass, average: MetricAverage = .macro,
                        labels: [Int]? = nil) throws -> Double {
    guard yTrue.count == yScore.count else {
        throw LearningError.labelCountMismatch(labels: yTrue.count, samples: yScore.count)
    }
    guard !yTrue.isEmpty else { throw LearningError.emptyData("There is nothing to score; yTrue and yScore are empty.") }
    let width = yScore[0].count
    for (i, row) in yScore.enumerated() where row.count != width {
        throw LearningError.raggedRows(row: i, count: row.count, expected: width)
    }
    if let i = yScore.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
        throw LearningError.invalidParameter("Row \(i) of yScore is \(yScore[i]); scores must be finite numbers.")
    }
    let present = Array(Set(yTrue)).sorted()
    if labels == nil, present.count <= 2, width == 2 {
        return try rocAucScore(yTrue, yScore.map { $0[1] })
    }
    guard average != .binary, !(average == .micro && multiClass == .ovo) else {
        throw LearningError.invalidParameter(
            "average must be .macro or .weighted\(multiClass == .ovr ? " (or .micro)" : "") for a multiclass ROC AUC with multiClass .\(multiClass.rawValue).")
    }
    for (i, row) in yScore.enumerated() {
        let total = Statistics.sum(row)
        guard abs(1 - total) <= 1e-8 + 1e-5 * abs(total) else {
            throw LearningError.invalidParameter(
                "Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes; row \(i) sums to \(total).")
        }
    }
    let classes: [Int]
    if let labels {
        guard Set(labels).count == labels.count else { throw LearningError.invalidParameter("Parameter 'labels' must be unique; got \(labels).") }
        guard labels == labels.sorted() else { throw LearningError.invalidParameter("Parameter 'labels' must be ordered; got \(labels).") }
        guard labels.count == width else {
            throw LearningError.invalidParameter(
                "Number of given labels, \(labels.count), not equal to the number of columns in 'yScore', \(width).")
        }
        let missing = Set(yTrue).subtracting(labels)
        guard missing.isEmpty else {
            throw LearningError.invalidParameter("'yTrue' contains labels \(missing.sorted()) not in parameter 'labels' \(labels).")
        }
        classes = labels
    } else {
        guard present.count == width else {
            throw LearningError.invalidParameter(
                "Number of classes in yTrue (\(present.count): \(present)) not equal to the number of columns in 'yScore' (\(width)).")
        }
        classes = present
    }
    func binaryAUC(_ truth: [Int], _ scores: [Double]) throws -> Double {
        guard Set(truth).count == 2 else {
            warn(LearningWarning(.undefinedMetricWarning,
                                 "Only one class is present in y_true. ROC AUC score is not defined in that case."))
            return .nan
        }
        let curve = try rocCurve(truth, scores)
        return try auc(curve.fpr, curve.tpr)
    }
    switch multiClass {
    case .ovr:
        let onehot = classes.map { c in yTrue.map { $0 == c ? 1 : 0 } }
        if average == .micro {
            // label_binarize then ravel, row by row.
            let truth = yTrue.flatMap { y in classes.map { $0 == y ? 1 : 0 } }
            return try binaryAUC(truth, yScore.flatMap { $0 })
        }
        var scores = try classes.indices.map { j in try binaryAUC(onehot[j], yScore.map { $0[j] }) }
        guard average == .weighted else { return mean(scores) }
        let weights = onehot.map { Double($0.reduce(0, +)) }
        for j in scores.indices where weights[j] == 0 { scores[j] = 0 }
        return Statistics.sum(zip(scores, weights).map { $0 * $1 }) / Statistics.sum(weights)
    case .ovo:
        let encoded = present.map { classes.firstIndex(of: $0)! }
        var pairScores: [Double] = [], prevalence: [Double] = []
        for (ai, a) in encoded.enumerated() {
            for b in encoded[(ai + 1)...] {
                let rows = yTrue.indices.filter { yTrue[$0] == classes[a] || yTrue[$0] == classes[b] }
                prevalence.append(Double(rows.count) / Double(yTrue.count))
                let aScore = try binaryAUC(rows.map { yTrue[$0] == classes[a] ? 1 : 0 }, rows.map { yScore[$0][a] })
                let bScore = try binaryAUC(rows.map { yTrue[$0] == classes[b] ? 1 : 0 }, rows.map { yScore[$0][b] })
                pairScores.append((aScore + bScore) / 2)
            }
        }
        guard average == .weighted else { return mean(pairScores) }
        return Statistics.sum(zip(pairScores, prevalence).map { $0 * $1 }) / Statistics.sum(prevalence)
    }
}
