import Foundation

/// Short summaries of results, as a sentence for prose or rows for a table, so a chapter can
/// `publish` or `show` them without formatting numbers by hand (LoopbookRuntime's `show` and
/// `publish` overloads use these).
extension CrossValidationResult {
    /// The mean test score over the folds (numpy's `scores.mean()`).
    public var meanTestScore: Double { mean(testScore) }

    /// The standard deviation of the test scores over the folds, numpy's `scores.std()` (ddof 0, as in
    /// scikit-learn's user guide: "%0.2f accuracy with a standard deviation of %0.2f").
    public var stdTestScore: Double { std(testScore) }

    /// E.g. "0.953 ± 0.021 over 5 folds" (`digits` decimals; the ± is `stdTestScore`).
    public func summary(digits: Int = 3) -> String {
        "\(fixed(meanTestScore, digits)) ± \(fixed(stdTestScore, digits)) over \(testScore.count) folds"
    }

    /// One row per fold — fold number (from 1), training rows, test rows, test score and, when
    /// recorded, training score — then a "mean" and a "std" row; the header is `summaryHeader`.
    public func summaryRows(digits: Int = 3) -> [[String]] {
        var rows = folds.indices.map { i -> [String] in
            [String(i + 1), String(folds[i].train.count), String(folds[i].test.count), fixed(testScore[i], digits)]
                + (trainScore.map { [fixed($0[i], digits)] } ?? [])
        }
        rows.append(["mean", "", "", fixed(meanTestScore, digits)] + (trainScore.map { [fixed(mean($0), digits)] } ?? []))
        rows.append(["std", "", "", fixed(stdTestScore, digits)] + (trainScore.map { [fixed(std($0), digits)] } ?? []))
        return rows
    }

    /// The column names of `summaryRows`.
    public var summaryHeader: [String] {
        ["fold", "train rows", "test rows", "test score"] + (trainScore == nil ? [] : ["train score"])
    }
}

extension PairedComparison {
    /// E.g. "a − b = 0.021 (95% CI 0.010 to 0.032; t = 4.27, p = 0.008, 9 pairs)", numbers with
    /// `digits` decimals (t with 2, p with `digits`, or "p < 0.001" below 10^−digits).
    public func summary(digits: Int = 3) -> String {
        "a − b = \(fixed(meanDifference, digits)) (\(levelText) CI \(fixed(confidenceInterval.low, digits)) to "
            + "\(fixed(confidenceInterval.high, digits)); t = \(fixed(tStatistic, 2)), p \(pRelation(digits)), \(count) pairs)"
    }

    /// Rows of (quantity, value): mean difference, confidence interval, t, degrees of freedom, p, pairs.
    public func summaryRows(digits: Int = 3) -> [[String]] {
        [["mean difference (a − b)", fixed(meanDifference, digits)],
         ["\(levelText) confidence interval", "\(fixed(confidenceInterval.low, digits)) to \(fixed(confidenceInterval.high, digits))"],
         ["t", fixed(tStatistic, 2)],
         ["degrees of freedom", String(degreesOfFreedom)],
         ["p (two-sided)", pText(digits)],
         ["pairs", String(count)]]
    }

    private var levelText: String {
        let percent = confidenceLevel * 100
        return (percent == percent.rounded() ? String(Int(percent)) : String(percent)) + "%"
    }

    /// "= 0.035", or "< 0.001" below 10^−digits: the p part of the sentence.
    private func pRelation(_ digits: Int) -> String {
        let text = pText(digits)
        return text.hasPrefix("<") ? text : "= " + text
    }

    private func pText(_ digits: Int) -> String {
        let floor = pow(10, -Double(digits))
        return pValue < floor ? "< \(fixed(floor, digits))" : fixed(pValue, digits)
    }
}

/// `value` with `digits` decimals, "nan" for NaN and without a minus sign on zero.
private func fixed(_ value: Double, _ digits: Int) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    let text = String(format: "%.\(max(0, digits))f", value)
    return Double(text) == 0 && text.hasPrefix("-") ? String(text.dropFirst()) : text
}
