import Foundation

/// A receiver operating characteristic curve (scikit-learn's `roc_curve` return value): parallel
/// arrays, one point per threshold, from (0, 0) at threshold +∞ up to (1, 1).
public struct ROCCurve: Sendable, Equatable {
    /// False positive rates: the share of negatives with a score ≥ the threshold, increasing.
    public let fpr: [Double]
    /// True positive rates: the share of positives with a score ≥ the threshold, increasing.
    public let tpr: [Double]
    /// Decreasing score thresholds; the first is +∞ (no row predicted positive).
    public let thresholds: [Double]
}

/// The ROC curve of scores for a binary target (scikit-learn's `roc_curve`).
///
/// `yTrue` is n labels, `yScore` n scores (higher means more likely positive, e.g. the positive
/// column of `predictProba`). `posLabel` is the positive class; without it the labels must be {0, 1},
/// {-1, 1} or one of those values, and 1 is positive, as in scikit-learn. With `dropIntermediate`
/// (scikit-learn's default) thresholds whose point lies on a straight line between its neighbours are
/// dropped. With no negatives (positives) in `yTrue` the fpr (tpr) is NaN, with scikit-learn's
/// `UndefinedMetricWarning`. Throws `LearningError` when the arrays differ in length or are empty, a
/// score is not finite, `yTrue` holds more than two labels (without `posLabel`), or the labels need a
/// `posLabel`.
public func rocCurve(_ yTrue: [Int], _ yScore: [Double], posLabel: Int? = nil,
                     dropIntermediate: Bool = true) throws -> ROCCurve {
    var (fps, tps, thresholds) = try binaryCurve(yTrue, yScore, posLabel: posLabel)
    if dropIntermediate, fps.count > 2 {
        var keep = [0]
        for i in 1..<(fps.count - 1) {
            let secondFps = fps[i + 1] - 2 * fps[i] + fps[i - 1]
            let secondTps = tps[i + 1] - 2 * tps[i] + tps[i - 1]
            if secondFps != 0 || secondTps != 0 { keep.append(i) }
        }
        keep.append(fps.count - 1)
        fps = keep.map { fps[$0] }
        tps = keep.map { tps[$0] }
        thresholds = keep.map { thresholds[$0] }
    }
    fps.insert(0, at: 0)
    tps.insert(0, at: 0)
    thresholds.insert(.infinity, at: 0)
    let fpr: [Double], tpr: [Double]
    if let last = fps.last, last > 0 {
        fpr = fps.map { $0 / last }
    } else {
        warn(LearningWarning(.undefinedMetricWarning,
                             "No negative samples in y_true, false positive value should be meaningless"))
        fpr = [Double](repeating: .nan, count: fps.count)
    }
    if let last = tps.last, last > 0 {
        tpr = tps.map { $0 / last }
    } else {
        warn(LearningWarning(.undefinedMetricWarning,
                             "No positive samples in y_true, true positive value should be meaningless"))
        tpr = [Double](repeating: .nan, count: tps.count)
    }
    return ROCCurve(fpr: fpr, tpr: tpr, thresholds: thresholds)
}

/// The area under a curve by the trapezoidal rule (scikit-learn's `auc`, numpy's `trapezoid`).
///
/// `x` must be monotonic (increasing or decreasing); a decreasing `x` gives the area with its sign
/// flipped to positive, as in scikit-learn. Throws `LearningError` for fewer than 2 points, arrays of
/// different lengths, or an `x` that is neither increasing nor decreasing.
public func auc(_ x: [Double], _ y: [Double]) throws -> Double {
    guard x.count == y.count else {
        throw LearningError.invalidParameter("x and y must have the same length; x has \(x.count) values and y \(y.count).")
    }
    guard x.count >= 2 else {
        throw LearningError.invalidParameter(
            "At least 2 points are needed to compute area under curve, but x has \(x.count).")
    }
    let dx = (1..<x.count).map { x[$0] - x[$0 - 1] }
    var direction = 1.0
    if dx.contains(where: { $0 < 0 }) {
        guard dx.allSatisfy({ $0 <= 0 }) else {
            throw LearningError.invalidParameter("x is neither increasing nor decreasing: \(x).")
        }
        direction = -1
    }
    var areas: [Double] = []
    areas.reserveCapacity(dx.count)
    for i in 0..<dx.count {
        let height: Double = y[i + 1] + y[i]
        areas.append(dx[i] * height / 2.0)
    }
    return direction * Statistics.sum(areas)
}

/// The area under the ROC curve of scores for a binary target (scikit-learn's `roc_auc_score` for
/// binary `y_true`): the probability that a random positive scores above a random negative (ties
/// count half). 0.5 is chance, 1 perfect.
///
/// `yTrue` is n labels of two classes; the larger label is the positive class, as in scikit-learn.
/// `yScore` is n scores for the positive class (e.g. `predictProba(x).map { $0[1] }`). When `yTrue`
/// holds one class the score is undefined: NaN with scikit-learn's `UndefinedMetricWarning`. Throws
/// `LearningError` when the arrays differ in length or are empty, a score is not finite, or `yTrue`
/// holds more than two classes (use `rocAucScore(_:_:multiClass:average:labels:)` with n × k probabilities).
public func rocAucScore(_ yTrue: [Int], _ yScore: [Double]) throws -> Double {
    try checkScores(yTrue, yScore)
    let classes = Array(Set(yTrue)).sorted()
    guard classes.count <= 2 else {
        throw LearningError.invalidParameter(
            "This rocAucScore takes one score per row, for a binary target, but yTrue holds \(classes.count) classes (\(classes)); pass the class probabilities (n rows × k columns, as predictProba gives) with multiClass: .ovr or .ovo.")
    }
    guard classes.count == 2 else {
        warn(LearningWarning(.undefinedMetricWarning,
                             "Only one class is present in y_true. ROC AUC score is not defined in that case."))
        return .nan
    }
    let binary = yTrue.map { $0 == classes[1] ? 1 : 0 }
    let curve = try rocCurve(binary, yScore)
    return try auc(curve.fpr, curve.tpr)
}

/// The mean negative log-likelihood of the true classes (scikit-learn's `log_loss`, natural logarithm):
/// `−mean(log p(true class))`, 0 for certain and right, growing without bound for confident mistakes.
///
/// `yTrue` is n labels; `yProba` is n rows × k class probabilities, columns for `labels` ascending
/// (default: the labels of `yTrue`, ascending — pass `labels: model.classes` when a class may be absent
/// from `yTrue`). A one-column `yProba` (or the `[Double]` overload) is the probability of the larger of
/// two labels. Probabilities are clipped to [ε, 1 − ε] (ε = 2.22e-16) as in scikit-learn;
/// `normalize: false` gives the sum instead of the mean. Rows not summing to 1 (within about 1.5e-8)
/// give scikit-learn's `UserWarning`. Throws `LearningError` when the counts differ or are zero, a
/// probability is outside [0, 1], `yTrue` (or `labels`) has a single label, `yTrue` holds a label not in
/// `labels`, or the number of columns is not the number of classes.
public func logLoss(_ yTrue: [Int], _ yProba: [[Double]], labels: [Int]? = nil, normalize: Bool = true) throws -> Double {
    let (onehot, proba) = try probabilisticTarget(yTrue, yProba, labels: labels)
    let eps = Double.ulpOfOne
    let losses = zip(onehot, proba).map { t, p in
        -Statistics.sum(zip(t, p).map { t, p in t == 0 ? 0 : log(min(max(p, eps), 1 - eps)) })
    }
    return normalize ? mean(losses) : Statistics.sum(losses)
}

/// `logLoss` for a binary target with the probability of the positive (larger) label per row.
public func logLoss(_ yTrue: [Int], _ yProba: [Double], labels: [Int]? = nil, normalize: Bool = true) throws -> Double {
    try logLoss(yTrue, yProba.map { [$0] }, labels: labels, normalize: normalize)
}

/// The Brier score of binary probabilities (scikit-learn's `brier_score_loss` with 1-d `y_proba`):
/// the mean over rows of the squared errors of both classes' probabilities, halved —
/// `mean((t − p)²)` for a 0/1 target t — in [0, 1], 0 best.
///
/// `yTrue` is n labels of at most two classes, `yProba` n probabilities of `posLabel`. Without
/// `posLabel`, 1 is positive when the labels are {0, 1}, {-1, 1} or one of those values, and otherwise
/// the larger label, as in scikit-learn. Throws `LearningError` when the counts differ or are zero, a
/// probability is outside [0, 1], or `yTrue` holds more than two labels.
public func brierScoreLoss(_ yTrue: [Int], _ yProba: [Double], posLabel: Int? = nil) throws -> Double {
    try checkScores(yTrue, yProba)
    let classes = Array(Set(yTrue)).sorted()
    guard classes.count <= 2 else {
        throw LearningError.invalidParameter(
            "The type of the target inferred from yTrue is multiclass (\(classes.count) labels) but should be binary according to the shape of yProba; pass one column per class for a multiclass Brier score.")
    }
    try checkProbabilityRange(yProba)
    let positive = posLabel ?? (standardPositive(classes) ?? classes[classes.count - 1])
    let losses = zip(yTrue, yProba).map { label, p -> Double in
        let t1 = label == positive ? 1.0 : 0.0
        let t0 = 1 - t1
        let p0 = 1 - p
        return (t0 - p0) * (t0 - p0) + (t1 - p) * (t1 - p)
    }
    return mean(losses) * 0.5
}

/// The multiclass Brier score (scikit-learn's `brier_score_loss` with 2-d `y_proba`): the mean over
/// rows of the summed squared errors of the class probabilities, in [0, 2]; halved (to [0, 1]) when
/// there are two columns, as scikit-learn's `scale_by_half="auto"`.
///
/// `yProba` is n rows × k probabilities for `labels` ascending (default: the labels of `yTrue`).
/// Throws as `logLoss`.
public func brierScoreLoss(_ yTrue: [Int], _ yProba: [[Double]], labels: [Int]? = nil) throws -> Double {
    let (onehot, proba) = try probabilisticTarget(yTrue, yProba, labels: labels)
    let losses = zip(onehot, proba).map { t, p in Statistics.sum(zip(t, p).map { ($0 - $1) * ($0 - $1) }) }
    let columns = yProba.first?.count ?? 0
    return columns < 3 ? mean(losses) * 0.5 : mean(losses)
}

/// How `calibrationCurve` cuts [0, 1] into bins (scikit-learn's `strategy`).
public enum CalibrationStrategy: String, Sendable, Hashable {
    /// Bins of equal width.
    case uniform
    /// Bins holding about the same number of rows (edges at the quantiles of `yProb`).
    case quantile
}

/// A reliability diagram's points (scikit-learn's `calibration_curve`): for each non-empty bin of
/// predicted probabilities, the fraction of rows that were positive (`probTrue`) and the mean
/// predicted probability (`probPred`). A calibrated model's points lie on the diagonal.
///
/// `yTrue` is n labels of at most two classes, `yProb` n probabilities of `posLabel` (default as in
/// `rocCurve`). `nBins` (≥ 1) bins, left-closed except the last; empty bins are left out, so each array
/// holds at most `nBins` values. Throws `LearningError` when the counts differ or are zero, a
/// probability is outside [0, 1], `yTrue` holds more than two labels, the labels need a `posLabel`, or
/// `nBins` is below 1.
public func calibrationCurve(_ yTrue: [Int], _ yProb: [Double], posLabel: Int? = nil, nBins: Int = 5,
                             strategy: CalibrationStrategy = .uniform) throws -> (probTrue: [Double], probPred: [Double]) {
    guard nBins >= 1 else { throw LearningError.invalidParameter("nBins (\(nBins)) must be at least 1.") }
    try checkScores(yTrue, yProb)
    let classes = Array(Set(yTrue)).sorted()
    let positive = try resolvePositive(classes, posLabel)
    guard yProb.allSatisfy({ (0...1).contains($0) }) else {
        throw LearningError.invalidParameter("yProb has values outside [0, 1].")
    }
    guard classes.count <= 2 else {
        throw LearningError.invalidParameter("Only binary classification is supported. Provided labels \(classes).")
    }
    let quantiles = linspace(0, 1, nBins + 1)
    let edges: [Double]
    switch strategy {
    case .uniform: edges = quantiles
    case .quantile: edges = percentiles(yProb, quantiles.map { $0 * 100 })
    }
    let inner = Array(edges.dropFirst().dropLast())
    var sums = [Double](repeating: 0, count: nBins), trues = [Double](repeating: 0, count: nBins)
    var totals = [Int](repeating: 0, count: nBins)
    for (label, p) in zip(yTrue, yProb) {
        // numpy's searchsorted(side="left"): the number of inner edges below p.
        var lo = 0, hi = inner.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if inner[mid] < p { lo = mid + 1 } else { hi = mid }
        }
        sums[lo] += p
        trues[lo] += label == positive ? 1 : 0
        totals[lo] += 1
    }
    var probTrue: [Double] = [], probPred: [Double] = []
    for b in 0..<nBins where totals[b] != 0 {
        probTrue.append(trues[b] / Double(totals[b]))
        probPred.append(sums[b] / Double(totals[b]))
    }
    return (probTrue, probPred)
}

// MARK: Helpers

/// numpy's `linspace(start, stop, num)` with `endpoint=True`.
func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
    guard num > 1 else { return num == 1 ? [start] : [] }
    let step = (stop - start) / Double(num - 1)
    var values = (0..<num).map { Double($0) * step + start }
    values[num - 1] = stop
    return values
}

/// numpy's `percentile(values, q)` with the default "linear" method.
func percentiles(_ values: [Double], _ q: [Double]) -> [Double] {
    let sorted = values.sorted()
    let n = sorted.count
    return q.map { percent in
        let fraction = percent / 100
        let virtual = Double(n - 1) * fraction
        let below = min(max(virtual.rounded(.down), 0), Double(n - 1))
        let above = min(below + 1, Double(n - 1))
        let gamma = virtual - below
        let a = sorted[Int(below)], b = sorted[Int(above)]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }
}

/// scikit-learn's `_check_pos_label_consistency` for integer labels: 1 when the labels are {0, 1},
/// {-1, 1}, {0}, {-1} or {1}; otherwise nil.
func standardPositive(_ classes: [Int]) -> Int? {
    [[0, 1], [-1, 1], [0], [-1], [1]].contains(classes) ? 1 : nil
}

func resolvePositive(_ classes: [Int], _ posLabel: Int?) throws -> Int {
    if let posLabel { return posLabel }
    guard let positive = standardPositive(classes) else {
        let listed = classes.map(String.init).joined(separator: ", ")
        throw LearningError.invalidParameter(
            "yTrue takes value in {\(listed)} and posLabel is not specified: either make yTrue take value in {0, 1} or {-1, 1} or pass posLabel explicitly.")
    }
    return positive
}

private func checkScores(_ yTrue: [Int], _ yScore: [Double]) throws {
    guard yTrue.count == yScore.count else {
        throw LearningError.labelCountMismatch(labels: yTrue.count, samples: yScore.count)
    }
    guard !yTrue.isEmpty else { throw LearningError.emptyData("There is nothing to score; yTrue and the scores are empty.") }
    if let i = yScore.firstIndex(where: { !$0.isFinite }) {
        throw LearningError.invalidParameter("Score \(i) is \(yScore[i]); scores must be finite numbers (no NaN or infinity).")
    }
}

private func checkProbabilityRange(_ values: [Double]) throws {
    if let high = values.max(), high > 1 {
        throw LearningError.invalidParameter("yProba contains values greater than 1: \(high).")
    }
    if let low = values.min(), low < 0 {
        throw LearningError.invalidParameter("yProba contains values less than 0: \(low).")
    }
}

/// scikit-learn's `confusion_matrix_at_thresholds` without weights: false and true positive counts at
/// each distinct score, scores descending (stable).
private func binaryCurve(_ yTrue: [Int], _ yScore: [Double], posLabel: Int?) throws
    -> (fps: [Double], tps: [Double], thresholds: [Double]) {
    try checkScores(yTrue, yScore)
    let classes = Array(Set(yTrue)).sorted()
    if posLabel == nil, classes.count > 2 {
        throw LearningError.invalidParameter(
            "yTrue holds \(classes.count) labels (\(classes)); a ROC curve needs a binary target or an explicit posLabel.")
    }
    let positive = try resolvePositive(classes, posLabel)
    let order = yScore.indices.sorted { yScore[$0] != yScore[$1] ? yScore[$0] > yScore[$1] : $0 < $1 }
    var fps: [Double] = [], tps: [Double] = [], thresholds: [Double] = []
    var truePositives = 0.0
    for (position, row) in order.enumerated() {
        truePositives += yTrue[row] == positive ? 1 : 0
        let isLast = position == order.count - 1
        if isLast || yScore[order[position + 1]] != yScore[row] {
            tps.append(truePositives)
            fps.append(1 + Double(position) - truePositives)
            thresholds.append(yScore[row])
        }
    }
    return (fps, tps, thresholds)
}

/// scikit-learn's `_validate_multiclass_probabilistic_prediction`: one-hot targets and probability rows
/// of equal width (a single column p becomes [1 − p, p]).
private func probabilisticTarget(_ yTrue: [Int], _ yProba: [[Double]], labels: [Int]?) throws
    -> (onehot: [[Double]], proba: [[Double]]) {
    guard yTrue.count == yProba.count else {
        throw LearningError.labelCountMismatch(labels: yTrue.count, samples: yProba.count)
    }
    guard !yTrue.isEmpty else { throw LearningError.emptyData("There is nothing to score; yTrue and yProba are empty.") }
    let width = yProba[0].count
    for (i, row) in yProba.enumerated() where row.count != width {
        throw LearningError.raggedRows(row: i, count: row.count, expected: width)
    }
    guard width >= 1 else { throw LearningError.invalidParameter("yProba has no columns; give one probability per class.") }
    let flat = yProba.joined()
    if let high = flat.max(), high > 1 {
        throw LearningError.invalidParameter("yProba contains values greater than 1: \(high).")
    }
    if let low = flat.min(), low < 0 {
        throw LearningError.invalidParameter("yProba contains values lower than 0: \(low).")
    }
    let classes: [Int]
    if let labels {
        classes = Array(Set(labels)).sorted()
        if classes != labels {
            warn(LearningWarning(.userWarning,
                "Labels passed were \(labels). But this function assumes labels are ordered lexicographically. Pass the ordered labels=\(classes) and ensure that the columns of y_prob correspond to this ordering."))
        }
        let undeclared = Set(yTrue).subtracting(classes)
        if !undeclared.isEmpty {
            throw LearningError.invalidParameter(
                "yTrue contains values \(undeclared.sorted()) not belonging to the passed labels \(labels).")
        }
        if classes.count == 1 {
            throw LearningError.invalidParameter("The labels array needs to contain at least two labels, got \(classes).")
        }
    } else {
        classes = Array(Set(yTrue)).sorted()
        if classes.count == 1 {
            throw LearningError.invalidParameter(
                "yTrue contains only one label (\(classes[0])). Please provide the list of all expected class labels explicitly through the labels argument.")
        }
    }
    let proba = width == 1 ? yProba.map { [1 - $0[0], $0[0]] } : yProba
    let sums = proba.map { Statistics.sum($0) }
    if !sums.allSatisfy({ abs($0 - 1) <= 1e-8 + Double.ulpOfOne.squareRoot() }) {
        warn(LearningWarning(.userWarning, "The y_prob values do not sum to one. Make sure to pass probabilities."))
    }
    guard classes.count == proba[0].count else {
        if labels == nil {
            throw LearningError.invalidParameter(
                "yTrue and yProba contain different number of classes: \(classes.count) vs \(proba[0].count). Please provide the true labels explicitly through the labels argument. Classes found in yTrue: \(classes).")
        }
        throw LearningError.invalidParameter(
            "The number of classes in labels is different from that in yProba. Classes found in labels: \(classes).")
    }
    var column: [Int: Int] = [:]
    for (j, label) in classes.enumerated() { column[label] = j }
    let onehot = yTrue.map { label -> [Double] in
        var row = [Double](repeating: 0, count: classes.count)
        row[column[label]!] = 1
        return row
    }
    return (onehot, proba)
}
