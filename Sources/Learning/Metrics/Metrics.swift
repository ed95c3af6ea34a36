import Foundation

/// The fraction of predictions equal to the true labels (scikit-learn's `accuracy_score`).
///
/// Throws when the two arrays differ in length or are empty.
public func accuracyScore(_ yTrue: [Int], _ yPred: [Int]) throws -> Double {
    try checkPair(yTrue, yPred)
    var correct = 0
    for (t, p) in zip(yTrue, yPred) where t == p { correct += 1 }
    return Double(correct) / Double(yTrue.count)
}

/// Counts of (true label, predicted label) pairs; rows are true classes, columns predicted classes.
public struct ConfusionMatrix: Sendable, Equatable, CustomStringConvertible {
    /// The labels of the rows and columns, in order.
    public let labels: [Int]
    /// `counts[i][j]` samples have true label `labels[i]` and predicted label `labels[j]`.
    public let counts: [[Int]]

    /// The count for one true and one predicted label (0 for labels not in the matrix).
    public func count(true trueLabel: Int, predicted: Int) -> Int {
        guard let i = labels.firstIndex(of: trueLabel), let j = labels.firstIndex(of: predicted) else { return 0 }
        return counts[i][j]
    }

    /// The number of samples counted.
    public var total: Int { counts.joined().reduce(0, +) }

    /// The matrix as aligned text, a header row of predicted labels and one row per true label.
    public var description: String {
        let cells = [[""] + labels.map(String.init)] + zip(labels, counts).map { [String($0)] + $1.map(String.init) }
        let width = cells.joined().map(\.count).max() ?? 1
        return cells.map { row in row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " ") }
            .joined(separator: "\n") + "\n"
    }
}

/// The confusion matrix of predictions (scikit-learn's `confusion_matrix`): a k × k matrix of counts
/// for k labels.
///
/// `labels` fixes the rows and columns and their order; pairs with a label outside it are not counted.
/// By default the labels are every label in either array, ascending. Throws
/// `LearningError.invalidParameter` when `labels` is empty, repeats a label, or holds no label of
/// `yTrue` (scikit-learn's "At least one label specified must be in y_true"); a label absent from
/// `yTrue` is fine as long as one is present, as in scikit-learn.
public func confusionMatrix(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil) throws -> ConfusionMatrix {
    try checkPair(yTrue, yPred)
    let labels = try resolveLabels(yTrue, yPred, labels)
    if !Set(labels).contains(where: Set(yTrue).contains) {
        throw LearningError.invalidParameter(
            "At least one label specified must be in y_true: none of labels \(labels) occurs in yTrue.")
    }
    var index: [Int: Int] = [:]
    for (i, label) in labels.enumerated() { index[label] = i }
    var counts = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
    for (t, p) in zip(yTrue, yPred) {
        if let i = index[t], let j = index[p] { counts[i][j] += 1 }
    }
    return ConfusionMatrix(labels: labels, counts: counts)
}

/// What a precision, recall or F1 with a zero denominator becomes (scikit-learn's `zero_division`).
public enum ZeroDivision: Sendable, Equatable, Hashable {
    /// 0, and a warning (`UndefinedMetricWarning`) names the ill-defined score: scikit-learn's default.
    case warn
    /// 0, silently (`zero_division=0`).
    case zero
    /// 1, silently (`zero_division=1`).
    case one
    /// NaN, silently (`zero_division=np.nan`).
    case nan

    var value: Double {
        switch self {
        case .warn, .zero: 0
        case .one: 1
        case .nan: .nan
        }
    }
}

/// Per-class precision, recall, F1 and support (scikit-learn's `precision_recall_fscore_support` with
/// `average=None`). A ratio with a zero denominator is set by `zeroDivision` (see `ZeroDivision`).
public struct ClassScores: Sendable, Equatable {
    /// The classes, in order.
    public let labels: [Int]
    /// `tp / (tp + fp)`: of the samples predicted as the class, the fraction that are.
    public let precision: [Double]
    /// `tp / (tp + fn)`: of the samples of the class, the fraction found.
    public let recall: [Double]
    /// The harmonic mean of precision and recall, `2·p·r / (p + r)`.
    public let f1: [Double]
    /// The number of true samples of each class.
    public let support: [Int]
    /// The warnings computing the scores gave (with `zeroDivision: .warn`), in scikit-learn's words.
    public var warnings: [LearningWarning] = []
}

/// Per-class precision, recall, F1 and support for the given labels (default: every label seen,
/// ascending), as scikit-learn's `precision_recall_fscore_support(average=None, zero_division=...)`:
/// precision `tp / predicted`, recall `tp / true`, F1 `2·tp / (true + predicted)`, each k values for k
/// labels. A zero denominator gives `zeroDivision`'s value; with `.warn` (the default, as in
/// scikit-learn) it gives 0 and a warning per ill-defined score, sent to `LearningWarnings.handler` (or
/// standard error) and kept in `warnings`. Throws as `confusionMatrix(_:_:labels:)`.
public func precisionRecallFScoreSupport(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil,
                                         zeroDivision: ZeroDivision = .warn) throws -> ClassScores {
    let matrix = try confusionMatrix(yTrue, yPred, labels: labels)
    let k = matrix.labels.count
    var precision: [Double] = [], recall: [Double] = [], f1: [Double] = [], support: [Int] = []
    var undefined = (precision: false, recall: false, f1: false)
    for i in 0..<k {
        let tp = matrix.counts[i][i]
        // Predictions of class i among every prediction, not just those of listed true labels.
        let predicted = yPred.filter { $0 == matrix.labels[i] }.count
        let actual = yTrue.filter { $0 == matrix.labels[i] }.count
        if predicted == 0 { undefined.precision = true }
        if actual == 0 { undefined.recall = true }
        if predicted + actual == 0 { undefined.f1 = true }
        precision.append(predicted > 0 ? Double(tp) / Double(predicted) : zeroDivision.value)
        recall.append(actual > 0 ? Double(tp) / Double(actual) : zeroDivision.value)
        f1.append(predicted + actual > 0 ? 2.0 * Double(tp) / Double(actual + predicted) : zeroDivision.value)
        support.append(actual)
    }
    var scores = ClassScores(labels: matrix.labels, precision: precision, recall: recall, f1: f1, support: support)
    if zeroDivision == .warn {
        // sklearn.metrics._classification._warn_prf with average=None.
        func message(_ start: String, _ modifier: String) -> String {
            let place = k == 1 ? "due to" : "in labels with"
            return "\(start) ill-defined and being set to 0.0 \(place) no \(modifier) samples. "
                + "Use `zero_division` parameter to control this behavior."
        }
        if undefined.precision { scores.warnings.append(.init(.undefinedMetricWarning, message("Precision is", "predicted"))) }
        if undefined.recall { scores.warnings.append(.init(.undefinedMetricWarning, message("Recall is", "true"))) }
        if undefined.f1 { scores.warnings.append(.init(.undefinedMetricWarning, message("F-score is", "true nor predicted"))) }
        scores.warnings.forEach(warn)
    }
    return scores
}

/// scikit-learn's `classification_report`: per-class scores, accuracy, and macro and weighted averages.
public struct ClassificationReport: Sendable, Equatable, CustomStringConvertible {
    /// One line of the report.
    public struct Row: Sendable, Equatable {
        public let name: String
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    /// One row per class, in label order.
    public let rows: [Row]
    /// The fraction of correct predictions, or `nil` when some label of the data was left out of
    /// `labels` (scikit-learn then prints a "micro avg" row instead; see `microAverage`).
    public let accuracy: Double?
    /// Micro-averaged scores, present when `accuracy` is not.
    public let microAverage: Row?
    /// The unweighted mean of the per-class scores.
    public let macroAverage: Row
    /// The mean of the per-class scores weighted by support.
    public let weightedAverage: Row
    /// Digits after the decimal point in `description`.
    public let digits: Int

    /// The report laid out as scikit-learn prints it.
    public var description: String {
        let width = max(rows.map(\.name.count).max() ?? 0, "weighted avg".count, digits)
        func pad(_ text: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - text.count)) + text }
        func number(_ value: Double) -> String { pad(formatFixed(value, digits), 9) }
        func line(_ row: Row) -> String {
            pad(row.name, width) + " " + " " + number(row.precision) + " " + number(row.recall) + " "
                + number(row.f1) + " " + pad(String(row.support), 9) + "\n"
        }
        var text = pad("", width) + " " + ["precision", "recall", "f1-score", "support"].map { " " + pad($0, 9) }.joined()
        text += "\n\n"
        for row in rows { text += line(row) }
        text += "\n"
        if let accuracy {
            text += pad("accuracy", width) + " " + " " + pad("", 9) + " " + pad("", 9) + " " + number(accuracy) + " "
                + pad(String(macroAverage.support), 9) + "\n"
        } else if let microAverage {
            text += line(microAverage)
        }
        text += line(macroAverage)
        text += line(weightedAverage)
        return text
    }
}

/// A text report of per-class precision, recall and F1 with averages (scikit-learn's `classification_report`).
///
/// `targetNames` names the classes in label order (default: the labels as text); `labels` restricts and
/// orders the classes (default: every label in either array); `zeroDivision` sets ill-defined scores and
/// warns as in `precisionRecallFScoreSupport`. Throws for a `targetNames` count other than the number of
/// classes, `digits` outside 0...15, and as `confusionMatrix(_:_:labels:)`.
public func classificationReport(_ yTrue: [Int], _ yPred: [Int], labels: [Int]? = nil, targetNames: [String]? = nil,
                                 digits: Int = 2, zeroDivision: ZeroDivision = .warn) throws -> ClassificationReport {
    guard digits >= 0, digits <= 15 else {
        throw LearningError.invalidParameter("digits (\(digits)) must be between 0 and 15.")
    }
    let scores = try precisionRecallFScoreSupport(yTrue, yPred, labels: labels, zeroDivision: zeroDivision)
    let k = scores.labels.count
    if let targetNames, targetNames.count != k {
        throw LearningError.invalidParameter(
            "targetNames has \(targetNames.count) names, but there are \(k) classes (\(scores.labels)).")
    }
    let names = targetNames ?? scores.labels.map(String.init)
    let rows = (0..<k).map { i in
        ClassificationReport.Row(name: names[i], precision: scores.precision[i], recall: scores.recall[i],
                                 f1: scores.f1[i], support: scores.support[i])
    }
    let total = scores.support.reduce(0, +)
    func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(k, 1)) }
    func weighted(_ values: [Double]) -> Double {
        total > 0 ? zip(values, scores.support).map { $0 * Double($1) }.reduce(0, +) / Double(total) : 0
    }
    let macro = ClassificationReport.Row(name: "macro avg", precision: mean(scores.precision), recall: mean(scores.recall),
                                         f1: mean(scores.f1), support: total)
    let weightedRow = ClassificationReport.Row(name: "weighted avg", precision: weighted(scores.precision),
                                               recall: weighted(scores.recall), f1: weighted(scores.f1), support: total)
    let seen = Set(yTrue).union(yPred)
    let coversAll = seen.isSubset(of: Set(scores.labels))
    var accuracy: Double?
    var micro: ClassificationReport.Row?
    if coversAll {
        accuracy = try accuracyScore(yTrue, yPred)
    } else {
        let listed = Set(scores.labels)
        let tp = zip(yTrue, yPred).filter { $0 == $1 && listed.contains($0) }.count
        let predicted = yPred.filter { listed.contains($0) }.count
        let p = predicted > 0 ? Double(tp) / Double(predicted) : 0
        let r = total > 0 ? Double(tp) / Double(total) : 0
        micro = ClassificationReport.Row(name: "micro avg", precision: p, recall: r,
                                         f1: p + r > 0 ? 2 * p * r / (p + r) : 0, support: total)
    }
    return ClassificationReport(rows: rows, accuracy: accuracy, microAverage: micro, macroAverage: macro,
                                weightedAverage: weightedRow, digits: digits)
}

private func checkPair(_ yTrue: [Int], _ yPred: [Int]) throws {
    guard yTrue.count == yPred.count else {
        throw LearningError.labelCountMismatch(labels: yPred.count, samples: yTrue.count)
    }
    guard !yTrue.isEmpty else {
        throw LearningError.emptyData("There are no labels to score; yTrue and yPred are empty.")
    }
}

private func resolveLabels(_ yTrue: [Int], _ yPred: [Int], _ labels: [Int]?) throws -> [Int] {
    guard let labels else { return Array(Set(yTrue).union(yPred)).sorted() }
    guard !labels.isEmpty else {
        throw LearningError.invalidParameter("labels is empty; give at least one label or leave it out.")
    }
    guard Set(labels).count == labels.count else {
        throw LearningError.invalidParameter("labels (\(labels)) lists a label more than once.")
    }
    return labels
}
