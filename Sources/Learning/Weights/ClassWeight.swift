/// How a classifier weights each class, scikit-learn's `class_weight=` (`sklearn/utils/class_weight.py`).
///
/// A class weight multiplies the sample weight of every row of that class, so a class weighted 2 counts as
/// if each of its rows appeared twice (in impurities, leaf values and `minWeightFractionLeaf`), while
/// `minSamplesLeaf` and `minSamplesSplit` still count rows.
public enum ClassWeight: Sendable, Equatable, Hashable, Codable {
    /// A weight per label (scikit-learn's dict); labels not listed weigh 1. Every key must be a label of
    /// the training data unless every label is listed (scikit-learn's rule).
    case weights([Int: Double])
    /// `n_samples / (n_classes · count(class))`: every class gets the same total weight.
    case balanced
    /// Forests only: `balanced` computed on each tree's bootstrap sample (scikit-learn's
    /// `"balanced_subsample"`); without bootstrap it is `balanced`.
    case balancedSubsample
}

/// The weight of each class in `classes`, scikit-learn's `compute_class_weight(class_weight, classes=,
/// y=, sample_weight=)`: `balanced` gives `Σw / (k · Σ_{y=c} w)` (`k` the number of distinct labels in
/// `y`, `w` the sample weights, 1 each by default: `n / (k · bincount(y))`), a dictionary gives its value
/// for listed classes and 1 for the others.
///
/// - Parameters:
///   - classWeight: `.weights` or `.balanced` (`.balancedSubsample` is a forest's setting and throws).
///   - classes: the classes to weigh, each present in `y` for `.balanced`.
///   - y: n labels.
///   - sampleWeight: n row weights for `.balanced`, or `nil` for 1 each.
/// - Returns: one weight per entry of `classes`.
/// - Throws: `LearningError.invalidParameter` for a class of `classes` missing from `y` (balanced), a
///   dictionary key that is no class while some class is unlisted, or a negative or non-finite weight.
public func computeClassWeight(_ classWeight: ClassWeight, classes: [Int], y: [Int],
                               sampleWeight: [Double]? = nil) throws -> [Double] {
    switch classWeight {
    case .balanced:
        // recip_freq = sum(weighted_class_counts) / (n_classes · weighted_class_counts), the counts
        // `np.bincount(y_ind, weights=sample_weight)` (row order), the sum numpy's over the sorted labels.
        let labels = Array(Set(y)).sorted()
        var position: [Int: Int] = [:]
        for (j, label) in labels.enumerated() { position[label] = j }
        var weighted = [Double](repeating: 0, count: labels.count)
        for (i, label) in y.enumerated() { weighted[position[label]!] += sampleWeight?[i] ?? 1 }
        let total = numpySum(weighted), k = Double(labels.count)
        return try classes.map { c in
            guard let j = position[c] else {
                throw LearningError.invalidParameter(
                    "The class \(c) has no rows in y, so a balanced weight cannot be computed for it.")
            }
            return total / (k * weighted[j])
        }
    case let .weights(table):
        for (label, weight) in table.sorted(by: { $0.key < $1.key }) where !(weight.isFinite && weight >= 0) {
            throw LearningError.invalidParameter(
                "The class weight of \(label) is \(weight); class weights must be finite and not negative.")
        }
        let unweighted = classes.filter { table[$0] == nil }
        if !unweighted.isEmpty && classes.count - unweighted.count != table.count {
            throw LearningError.invalidParameter(
                "The classes, \(unweighted), are not in class_weight, which lists labels the data does not hold (\(table.keys.sorted().filter { !classes.contains($0) })); give a weight for every label or only for labels in y.")
        }
        return classes.map { table[$0] ?? 1 }
    case .balancedSubsample:
        throw LearningError.invalidParameter(
            "classWeight .balancedSubsample applies to a forest's bootstrap samples; use .balanced for a single tree.")
    }
}

/// The weight of each row from its class, scikit-learn's `compute_sample_weight(class_weight, y,
/// indices=)`.
///
/// Without `indices`, row `i` gets the weight of class `y[i]` from `computeClassWeight(classWeight,
/// classes: sorted distinct y, y: y)`. With `indices` (a bootstrap sample, repeats allowed), `.balanced`
/// is computed on `y[indices]`, and rows whose class does not occur in the sample get 0.
///
/// - Returns: n weights for n labels.
/// - Throws: as `computeClassWeight`; `LearningError.invalidParameter` for `indices` with a setting other
///   than `.balanced`, as scikit-learn.
public func computeSampleWeight(_ classWeight: ClassWeight, y: [Int], indices: [Int]? = nil) throws -> [Double] {
    let classesFull = Array(Set(y)).sorted()
    var weightOf: [Int: Double] = [:]
    if let indices {
        guard classWeight == .balanced else {
            throw LearningError.invalidParameter(
                "The only valid class weight for subsampling is .balanced, not \(classWeight).")
        }
        let subsample = indices.map { y[$0] }
        let classesSubsample = Array(Set(subsample)).sorted()
        let weights = try computeClassWeight(.balanced, classes: classesSubsample, y: subsample)
        for (c, w) in zip(classesSubsample, weights) { weightOf[c] = w }
        // Classes missing from the sample weigh 0.
        for c in classesFull where weightOf[c] == nil { weightOf[c] = 0 }
    } else {
        let weights = try computeClassWeight(classWeight, classes: classesFull, y: y)
        for (c, w) in zip(classesFull, weights) { weightOf[c] = w }
    }
    return y.map { weightOf[$0] ?? 1 }
}

/// Checks `sampleWeight` as scikit-learn's `_check_sample_weight` does for a tree: one finite weight per
/// row and not all zero. Negative weights are allowed, as in scikit-learn's trees.
func validateSampleWeight(_ sampleWeight: [Double], sampleCount: Int) throws {
    guard sampleWeight.count == sampleCount else {
        throw LearningError.invalidParameter(
            "sampleWeight has \(sampleWeight.count) values but there are \(sampleCount) rows; give one weight per row.")
    }
    if let i = sampleWeight.firstIndex(where: { !$0.isFinite }) {
        throw LearningError.invalidParameter(
            "sampleWeight[\(i)] is \(sampleWeight[i]); sample weights must be finite numbers.")
    }
    guard sampleWeight.contains(where: { $0 != 0 }) else {
        throw LearningError.invalidParameter("Sample weights must contain at least one non-zero number.")
    }
}
