/// A decision tree classifier with scikit-learn's interface: set parameters, `fit`, then `predict`.
///
/// ```swift
/// var tree = DecisionTreeClassifier(maxDepth: 3, randomState: 0)
/// try tree.fit(x, y)
/// let labels = try tree.predict(rows)
/// ```
/// The fitted model is a `DecisionTree` value (`tree.tree`); using the classifier before `fit` throws
/// `LearningError.notFitted`. With the same data, parameters and `randomState`, the tree is
/// scikit-learn's `DecisionTreeClassifier(random_state=randomState)` node for node, bit for bit (X is
/// cast to float32 as there), so its predictions and probabilities are too.
public struct DecisionTreeClassifier: Sendable, Equatable {
    /// The tree's settings.
    public var parameters: DecisionTree.Parameters
    /// The seed for the features drawn at each node; `nil` draws a seed from the system generator at
    /// each fit (scikit-learn's `random_state=None`). With `maxFeatures: .all` the seed still sets the
    /// order features are tried in, which decides ties between equally good splits, as in scikit-learn.
    public var randomState: Int?
    /// Class weights (scikit-learn's `class_weight`): `nil` weighs every class 1; `.weights` and
    /// `.balanced` multiply each row's sample weight by its class's weight (`.balancedSubsample` is for
    /// forests and makes `fit` throw).
    public var classWeight: ClassWeight?
    /// The fitted tree, or `nil` before `fit`.
    public private(set) var tree: DecisionTree?

    public init(criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                minWeightFractionLeaf: Double = 0, maxFeatures: MaxFeatures = .all, classWeight: ClassWeight? = nil,
                randomState: Int? = nil) {
        self.parameters = DecisionTree.Parameters(criterion: criterion, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                                  minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures,
                                                  minWeightFractionLeaf: minWeightFractionLeaf)
        self.classWeight = classWeight
        self.randomState = randomState
    }

    /// Fits the tree on rows `x` with labels `y`, replacing any earlier fit.
    public mutating func fit(_ x: [[Double]], _ y: [Int]) throws {
        try fit(x, y, sampleWeight: nil)
    }

    /// Fits the tree on rows `x` (n × d) with labels `y` (n) and row weights `sampleWeight` (n, or `nil`
    /// for 1 each), as scikit-learn's `DecisionTreeClassifier.fit(X, y, sample_weight=)`
    /// (`BaseDecisionTree._fit`): with a `classWeight`, each row's weight is `sampleWeight[i] ·
    /// class_weight[y[i]]` (`compute_sample_weight`), and `min_weight_leaf` is `minWeightFractionLeaf ·
    /// Σ weights`. Throws `LearningError` for invalid data, weights or class weights (see
    /// `DecisionTree.fit` and `computeClassWeight`).
    public mutating func fit(_ x: [[Double]], _ y: [Int], sampleWeight: [Double]?) throws {
        var weights = sampleWeight
        if let sampleWeight { try validateSampleWeight(sampleWeight, sampleCount: x.count) }
        if let classWeight {
            let expanded = try computeSampleWeight(classWeight, y: y)
            weights = sampleWeight.map { zip($0, expanded).map { $0 * $1 } } ?? expanded
        }
        var rng = try NumPyRandom(seed: randomState ?? Int(UInt32.random(in: 0...UInt32.max)))
        tree = try DecisionTree.fit(x, y, sampleWeight: weights, parameters: parameters, using: &rng)
    }

    /// The predicted label of each row.
    public func predict(_ x: [[Double]]) throws -> [Int] { try fitted().predict(x) }

    /// Class probabilities for each row, columns in the order of `classes`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] { try fitted().predictProba(x) }

    /// The class labels seen in training, ascending.
    public var classes: [Int] { tree?.classes ?? [] }
    /// The depth of the fitted tree (0 before fit).
    public var depth: Int { tree?.depth ?? 0 }
    /// The number of leaves (0 before fit).
    public var leafCount: Int { tree?.leafCount ?? 0 }
    /// The number of nodes (0 before fit).
    public var nodeCount: Int { tree?.nodeCount ?? 0 }
    /// The nodes of the fitted tree, root first (empty before fit).
    public var nodes: [DecisionTree.Node] { tree?.nodes ?? [] }
    /// Mean decrease in impurity per feature, normalised to sum to 1 (empty before fit).
    public var featureImportances: [Double] { tree?.featureImportances ?? [] }

    /// The fitted tree as scikit-learn's `export_text` prints it.
    public func exportText(featureNames: [String]? = nil, maxDepth: Int = 10) throws -> String {
        try fitted().exportText(featureNames: featureNames, maxDepth: maxDepth)
    }

    private func fitted() throws -> DecisionTree {
        guard let tree else {
            throw LearningError.notFitted(
                "This DecisionTreeClassifier is not fitted yet; call fit(x, y) before predicting.")
        }
        return tree
    }
}

extension DecisionTreeClassifier: Codable {
    enum CodingKeys: String, CodingKey { case parameters, classWeight, randomState, tree }

    /// Writes the format header (`ModelFormat`), the parameters and the fitted tree (`null` before `fit`).
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("DecisionTreeClassifier", to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(classWeight, forKey: .classWeight)
        try container.encode(randomState, forKey: .randomState)
        try container.encode(tree, forKey: .tree)
    }

    /// Reads a classifier saved by `encode(to:)`, fitted or not. Throws `ModelFormatError` for another
    /// format version or model.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("DecisionTreeClassifier", in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        parameters = try container.decode(DecisionTree.Parameters.self, forKey: .parameters)
        classWeight = try container.decodeIfPresent(ClassWeight.self, forKey: .classWeight)
        randomState = try container.decodeIfPresent(Int.self, forKey: .randomState)
        tree = try container.decodeIfPresent(DecisionTree.self, forKey: .tree)
    }
}
