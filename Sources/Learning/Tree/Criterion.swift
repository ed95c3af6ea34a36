import Foundation

/// How a classification tree measures the impurity of a node, as scikit-learn's `criterion=`.
///
/// With `p_k` the (weighted) fraction of class `k` among the node's samples:
/// - `gini`: `G = 1 − Σ_k p_k²`, the chance that two samples drawn with replacement disagree;
/// - `entropy`: `H = −Σ_k p_k · log₂ p_k`, in bits, with `log₂ x` computed as scikit-learn computes it,
///   `ln(x) / ln(2.0)` (`sklearn/tree/_utils.pyx`), so the values agree to the last bit.
///
/// As in scikit-learn (`sklearn/tree/_criterion.pyx`), split positions are ranked by the proxy
/// `−w_r · I(r) − w_l · I(l)` (weighted sample counts `w`), and the chosen split's impurity decrease is
/// `N_t / N · (I(t) − N_r / N_t · I(r) − N_l / N_t · I(l))`.
public enum Criterion: String, CaseIterable, Sendable, Codable {
    case gini
    case entropy

    /// The impurity of a node with the given (weighted) class counts.
    public func impurity(_ counts: [Double]) -> Double {
        counts.withUnsafeBufferPointer { impurity($0, total: $0.reduce(0, +)) }
    }

    func impurity(_ counts: UnsafeBufferPointer<Double>, total: Double) -> Double {
        guard total > 0 else { return 0 }
        switch self {
        case .gini:
            var sumSquares = 0.0
            for count in counts { sumSquares += count * count }
            return 1 - sumSquares / (total * total)
        case .entropy:
            // Entropy.node_impurity: count_k /= weighted_n_node_samples; entropy -= count_k * log(count_k).
            var entropy = 0.0
            for count in counts where count > 0 {
                let p = count / total
                entropy -= p * (Foundation.log(p) / ln2)
            }
            return entropy
        }
    }
}

/// How many features a tree considers when it looks for the best split of a node (`max_features=`).
///
/// Features are drawn without replacement for each node, as scikit-learn draws them. A feature that turns
/// out to be constant in the node (all values within 1e-7) *does* count toward the limit, as in
/// scikit-learn: the search stops after `max_features` draws, constant or not, unless every feature drawn
/// so far was constant, in which case it goes on until one non-constant feature has been evaluated (or no
/// feature is left). Features found constant in a node are not drawn for evaluation again below it.
public enum MaxFeatures: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// `max(1, ⌊√n⌋)` features: the forest default.
    case sqrt
    /// `max(1, ⌊log₂ n⌋)` features.
    case log2
    /// Exactly this many features (1 ... n).
    case count(Int)
    /// `max(1, ⌊fraction · n⌋)` features, for a fraction in (0, 1].
    case fraction(Double)
    /// Every feature: the single-tree default.
    case all

    /// The number of features to consider out of `featureCount`; throws for an impossible setting.
    public func resolve(featureCount: Int) throws -> Int {
        switch self {
        case .sqrt:
            return Swift.max(1, Int(Double(featureCount).squareRoot()))
        case .log2:
            return Swift.max(1, Int(Foundation.log2(Double(featureCount))))
        case let .count(k):
            guard k >= 1, k <= featureCount else {
                throw LearningError.invalidParameter(
                    "maxFeatures count (\(k)) must be between 1 and the number of features (\(featureCount)).")
            }
            return k
        case let .fraction(f):
            guard f > 0, f <= 1 else {
                throw LearningError.invalidParameter("maxFeatures fraction (\(f)) must be in (0, 1].")
            }
            return Swift.max(1, Int(f * Double(featureCount)))
        case .all:
            return featureCount
        }
    }

    public var description: String {
        switch self {
        case .sqrt: "sqrt"
        case .log2: "log2"
        case let .count(k): "\(k)"
        case let .fraction(f): "\(f)"
        case .all: "all"
        }
    }
}
