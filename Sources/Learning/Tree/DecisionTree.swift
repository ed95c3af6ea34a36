import Foundation

/// A fitted CART classification tree: a flat array of nodes, node 0 the root (scikit-learn's `Tree`).
///
/// Produce one with `DecisionTree.fit(_:_:parameters:using:)`, or through `DecisionTreeClassifier` and
/// `RandomForestClassifier`. A sample goes left at a split node when `Float(x[feature]) <= threshold`
/// (values are cast to float32 first, as scikit-learn casts X; thresholds are float64 midpoints of two
/// float32 training values).
public struct DecisionTree: Sendable, Equatable {
    /// The settings that shape a tree (scikit-learn's constructor arguments).
    public struct Parameters: Sendable, Equatable, Hashable, Codable {
        /// The impurity measure for choosing splits.
        public var criterion: Criterion
        /// The deepest level a node may sit at (root = 0), or `nil` to grow until leaves are pure.
        public var maxDepth: Int?
        /// A node needs at least this many samples to be split (≥ 2).
        public var minSamplesSplit: Int
        /// Each child of a split keeps at least this many samples (≥ 1).
        public var minSamplesLeaf: Int
        /// How many features each split considers.
        public var maxFeatures: MaxFeatures
        /// Each child of a split keeps at least this fraction of the total sample weight (0 ... 0.5;
        /// scikit-learn's `min_weight_fraction_leaf`): `min_weight_leaf = fraction · Σ sample_weight`
        /// (or `fraction · n` without weights), tested on the children's weighted counts, and a node
        /// weighing less than `2 · min_weight_leaf` is a leaf. `minSamplesLeaf` counts rows, not weight.
        public var minWeightFractionLeaf: Double

        public init(criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2,
                    minSamplesLeaf: Int = 1, maxFeatures: MaxFeatures = .all, minWeightFractionLeaf: Double = 0) {
            self.criterion = criterion
            self.maxDepth = maxDepth
            self.minSamplesSplit = minSamplesSplit
            self.minSamplesLeaf = minSamplesLeaf
            self.maxFeatures = maxFeatures
            self.minWeightFractionLeaf = minWeightFractionLeaf
        }

        /// Throws `LearningError.invalidParameter` for a setting scikit-learn would also reject.
        public func validate() throws {
            if let maxDepth, maxDepth < 1 {
                throw LearningError.invalidParameter("maxDepth (\(maxDepth)) must be at least 1, or nil for no limit.")
            }
            guard minSamplesSplit >= 2 else {
                throw LearningError.invalidParameter("minSamplesSplit (\(minSamplesSplit)) must be at least 2.")
            }
            guard minSamplesLeaf >= 1 else {
                throw LearningError.invalidParameter("minSamplesLeaf (\(minSamplesLeaf)) must be at least 1.")
            }
            guard minWeightFractionLeaf >= 0, minWeightFractionLeaf <= 0.5 else {
                throw LearningError.invalidParameter(
                    "minWeightFractionLeaf (\(minWeightFractionLeaf)) must be between 0 and 0.5.")
            }
        }
    }

    /// One node of the tree. Leaves have `feature == -1` and no children.
    public struct Node: Sendable, Equatable, Codable {
        /// The feature index tested here, or -1 for a leaf.
        public var feature: Int
        /// Samples with `Float(x[feature]) <= threshold` go to `left` (0 for a leaf).
        public var threshold: Double
        /// The index of the left child, or -1 for a leaf.
        public var left: Int
        /// The index of the right child, or -1 for a leaf.
        public var right: Int
        /// The node's impurity under the tree's criterion.
        public var impurity: Double
        /// Distinct training rows that reached the node (`n_node_samples`).
        public var sampleCount: Int
        /// Training rows counted with their bootstrap weight (`weighted_n_node_samples`).
        public var weightedSampleCount: Double
        /// The node's depth; the root is at 0.
        public var depth: Int

        /// Whether the node is a leaf.
        public var isLeaf: Bool { left < 0 }
    }

    /// The nodes, `nodes[0]` the root, children after their parent (depth-first, left first).
    public let nodes: [Node]
    /// The class labels, ascending; probabilities are given in this order.
    public let classes: [Int]
    /// The number of features the tree was fitted on.
    public let featureCount: Int
    /// The criterion the tree was grown with.
    public let criterion: Criterion
    /// Weighted class counts, `classes.count` per node.
    let counts: [Double]
    /// The nodes in the compact form prediction walks.
    let walk: [WalkNode]
    /// Class probabilities per node (counts normalised), `classes.count` per node.
    let nodeProbabilities: [Double]

    /// A split or leaf packed into 16 bytes for prediction: `threshold`, `feature`, then the two children
    /// side by side, so a step picks its child by index (`children[value <= threshold ? 0 : 1]`) rather
    /// than by a branch that mispredicts half the time.
    ///
    /// scikit-learn compares a float32 value with a float64 threshold (`X32[i, f] <= threshold`);
    /// `threshold` here is the largest float32 not above the node's threshold, so for every float32
    /// `x`, `x <= threshold` exactly when `Double(x) <= node.threshold`. A leaf points to itself: feature
    /// 0, threshold −∞ (no finite value goes left) and both children its own index.
    struct WalkNode: Sendable, Equatable {
        var threshold: Float
        var feature: Int32
        var left: Int32
        var right: Int32

        init(threshold: Double, feature: Int32, left: Int32, right: Int32) {
            var t = Float(threshold)
            if Double(t) > threshold { t = t.nextDown }
            self.threshold = t
            self.feature = feature
            self.left = left
            self.right = right
        }

        /// Byte offsets of the fields, for the batch walk that reads nodes through a raw pointer.
        static let featureOffset = MemoryLayout<WalkNode>.offset(of: \.feature)!
        static let leftOffset = MemoryLayout<WalkNode>.offset(of: \.left)!
    }

    init(nodes: [Node], counts: [Double], classes: [Int], featureCount: Int, criterion: Criterion) {
        self.nodes = nodes
        self.counts = counts
        // Children follow their parent depth first, left first: the left child is always `i + 1`.
        self.walk = nodes.enumerated().map { i, node in
            node.isLeaf ? WalkNode(threshold: -.infinity, feature: 0, left: Int32(i), right: Int32(i))
                : WalkNode(threshold: node.threshold, feature: Int32(node.feature), left: Int32(node.left),
                           right: Int32(node.right))
        }
        let k = classes.count
        var probabilities = counts
        for (i, node) in nodes.enumerated() where node.weightedSampleCount > 0 {
            for c in 0..<k { probabilities[i * k + c] /= node.weightedSampleCount }
        }
        self.nodeProbabilities = probabilities
        self.classes = classes
        self.featureCount = featureCount
        self.criterion = criterion
    }

    // MARK: Fitting

    /// Fits a tree on rows `x` (n rows × d features, cast to float32 as scikit-learn casts them) with
    /// labels `y` (n labels), as `DecisionTreeClassifier(random_state=rng).fit(x, y)`: the tree draws
    /// one `randint(0, 2³¹ − 1)` from `rng` to seed scikit-learn's own generator for the features tried
    /// at each node, so with `NumPyRandom(seed: s)` the tree is scikit-learn's with `random_state=s`.
    ///
    /// `sampleWeight` (n finite weights, not all zero; `nil` weighs every row 1) is scikit-learn's
    /// `sample_weight`: a row of weight w counts w times in class counts, impurities, node values and
    /// `minWeightFractionLeaf`, rows of weight 0 are left out, and `minSamplesLeaf` / `minSamplesSplit`
    /// still count rows. The tree is scikit-learn's bit for bit for any weights (whole numbers go to the
    /// integer builder, fractional ones to the builder that adds them in scikit-learn's order).
    ///
    /// Throws `LearningError` for empty or ragged data, NaN, infinite or beyond-float32 values, a label
    /// count that does not match the rows, a weight count that does not, non-finite or all-zero weights,
    /// or invalid parameters. A single class gives a one-leaf tree.
    public static func fit(_ x: [[Double]], _ y: [Int], sampleWeight: [Double]? = nil, parameters: Parameters = .init(),
                           using rng: inout NumPyRandom) throws -> DecisionTree {
        try parameters.validate()
        let data = try TrainingData(x, y)
        if let sampleWeight { try validateSampleWeight(sampleWeight, sampleCount: data.sampleCount) }
        let maxFeatures = try parameters.maxFeatures.resolve(featureCount: data.featureCount)
        let randRState = UInt32(rng.randint(0, TreeBuilder.randRMax))
        return TreeBuilder(data: data, parameters: parameters, maxFeatures: maxFeatures)
            .build(sampleWeight: sampleWeight, randRState: randRState)
    }

    // MARK: Shape

    /// The number of nodes.
    public var nodeCount: Int { nodes.count }
    /// The number of leaves.
    public var leafCount: Int { nodes.reduce(0) { $0 + ($1.isLeaf ? 1 : 0) } }
    /// The depth of the deepest leaf (a lone root has depth 0).
    public var depth: Int { nodes.reduce(0) { max($0, $1.depth) } }

    /// The weighted class counts at a node, in the order of `classes`.
    public func classCounts(ofNode index: Int) -> [Double] {
        let k = classes.count
        return Array(counts[(index * k)..<(index * k + k)])
    }

    /// The class probabilities at a node (its class counts normalised), in the order of `classes`.
    public func probabilities(ofNode index: Int) -> [Double] {
        let values = classCounts(ofNode: index)
        let total = values.reduce(0, +)
        return total > 0 ? values.map { $0 / total } : values
    }

    /// The class a node predicts: the first class with the largest count.
    public func predictedClass(ofNode index: Int) -> Int {
        classes[firstArgmax(classCounts(ofNode: index))]
    }

    /// Mean decrease in impurity per feature, normalised to sum to 1 (all zeros for a lone leaf), computed
    /// as scikit-learn's `feature_importances_` (`Tree.compute_feature_importances`): per split node
    /// `w·I − w_l·I_l − w_r·I_r`, divided by the root's weight, then by the sum (numpy's pairwise sum).
    public var featureImportances: [Double] {
        let importances = rawImportances
        let total = numpySum(importances)
        return total > 0 ? importances.map { $0 / total } : importances
    }

    /// Unnormalised importances (impurity decrease weighted by samples, over the root's weight).
    var rawImportances: [Double] {
        var importances = [Double](repeating: 0, count: featureCount)
        guard let root = nodes.first, root.weightedSampleCount > 0 else { return importances }
        for node in nodes where !node.isLeaf {
            let left = nodes[node.left], right = nodes[node.right]
            importances[node.feature] += node.weightedSampleCount * node.impurity
                - left.weightedSampleCount * left.impurity - right.weightedSampleCount * right.impurity
        }
        return importances.map { $0 / root.weightedSampleCount }
    }

    // MARK: Prediction

    /// The index of the leaf a row lands in (`apply`). The row must have `featureCount` values; they are
    /// cast to float32 first, as scikit-learn casts X.
    public func leafIndex(for row: [Double]) -> Int {
        row.map { Float($0) }.withUnsafeBufferPointer { leafIndex(for: $0.baseAddress!) }
    }

    func leafIndex(for row: UnsafePointer<Float>) -> Int {
        walk.withUnsafeBufferPointer { Self.leafIndex(walk: $0.baseAddress!, row: row) }
    }

    @inline(__always)
    static func leafIndex(walk: UnsafePointer<WalkNode>, row: UnsafePointer<Float>) -> Int {
        var i = 0
        while true {
            let node = walk[i]
            if Int(node.right) == i { return i }
            i = row[Int(node.feature)] <= node.threshold ? i + 1 : Int(node.right)
        }
    }

    /// Class probabilities for each row, columns in the order of `classes`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] {
        _ = try validateMatrix(x, expectedFeatures: featureCount, what: "The rows to predict")
        guard !nodes.isEmpty else { throw LearningError.notFitted("The tree has no nodes; fit it on data first.") }
        // scikit-learn's `tree_.value`: class sums over the node's weight (`node_value`).
        let k = classes.count
        return x.map { row in
            let leaf = leafIndex(for: row)
            return Array(nodeProbabilities[(leaf * k)..<(leaf * k + k)])
        }
    }

    /// The predicted label of each row: the most frequent training class in its leaf.
    public func predict(_ x: [[Double]]) throws -> [Int] {
        try predictProba(x).map { classes[firstArgmax($0)] }
    }

    // MARK: Dumps

    /// A readable dump, one line per node, indented by depth:
    /// `node 0: x[2] <= 2.45 gini=0.667 n=150` and `node 1: leaf class=0 gini=0.000 n=50 value=[50, 0, 0]`.
    public func dump(featureNames: [String]? = nil) -> String {
        var lines: [String] = []
        for (i, node) in nodes.enumerated() {
            let indent = String(repeating: "  ", count: node.depth)
            let stats = "\(criterion.rawValue)=\(formatFixed(node.impurity, 3)) n=\(node.sampleCount)"
            if node.isLeaf {
                let value = classCounts(ofNode: i).map { formatFixed($0, 0) }.joined(separator: ", ")
                lines.append("\(indent)node \(i): leaf class=\(predictedClass(ofNode: i)) \(stats) value=[\(value)]")
            } else {
                let name = featureName(node.feature, featureNames)
                lines.append("\(indent)node \(i): \(name) <= \(formatFixed(node.threshold, 2)) \(stats)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The tree as scikit-learn's `export_text` prints it:
    /// ```
    /// |--- petal width (cm) <= 0.80
    /// |   |--- class: 0
    /// |--- petal width (cm) >  0.80
    /// ```
    /// Branches below `maxDepth` are summarised as `truncated branch of depth d`.
    public func exportText(featureNames: [String]? = nil, maxDepth: Int = 10, decimals: Int = 2) -> String {
        guard !nodes.isEmpty else { return "" }
        var text = ""
        func subtreeDepth(_ i: Int) -> Int {
            let node = nodes[i]
            return node.isLeaf ? 0 : 1 + max(subtreeDepth(node.left), subtreeDepth(node.right))
        }
        func visit(_ i: Int, _ level: Int) {
            let node = nodes[i]
            let indent = String(repeating: "|   ", count: level) + "|--- "
            if node.isLeaf {
                text += indent + "class: \(predictedClass(ofNode: i))\n"
                return
            }
            if level >= maxDepth {
                text += indent + "truncated branch of depth \(subtreeDepth(i))\n"
                return
            }
            let name = featureName(node.feature, featureNames)
            let value = formatFixed(node.threshold, decimals)
            text += indent + "\(name) <= \(value)\n"
            visit(node.left, level + 1)
            text += indent + "\(name) >  \(value)\n"
            visit(node.right, level + 1)
        }
        if nodes[0].isLeaf {
            return "|--- class: \(predictedClass(ofNode: 0))\n"
        }
        visit(0, 0)
        return text
    }

    private func featureName(_ feature: Int, _ names: [String]?) -> String {
        if let names, feature < names.count { return names[feature] }
        return "x[\(feature)]"
    }
}

/// The index of the first largest value (`np.argmax`); 0 for an empty array.
func firstArgmax(_ values: [Double]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}

/// Fixed-precision text for a number, independent of locale (`String(format:)` with `%.Nf`).
func formatFixed(_ value: Double, _ decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
}

/// `np.sum` of a float64 vector: numpy's pairwise summation (blocks of up to 128 summed with eight
/// interleaved accumulators), so sums agree with numpy's to the last bit.
func numpySum(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { pairwiseSum($0.baseAddress!, $0.count) }
}

private func pairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
        var res = -0.0
        for i in 0..<n { res += a[i] }
        return res
    } else if n <= 128 {
        var r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]]
        var i = 8
        while i < n - (n % 8) {
            for j in 0..<8 { r[j] += a[i + j] }
            i += 8
        }
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { res += a[i]; i += 1 }
        return res
    } else {
        var n2 = n / 2
        n2 -= n2 % 8
        return pairwiseSum(a, n2) + pairwiseSum(a + n2, n - n2)
    }
}

// MARK: Saving

extension DecisionTree: Codable {
    enum CodingKeys: String, CodingKey { case nodes, counts, classes, featureCount, criterion }

    /// Writes the format header (`ModelFormat`), the nodes, the weighted class counts per node, the
    /// classes, the feature count and the criterion; prediction tables are rebuilt on loading.
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("DecisionTree", to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodes, forKey: .nodes)
        try container.encode(counts, forKey: .counts)
        try container.encode(classes, forKey: .classes)
        try container.encode(featureCount, forKey: .featureCount)
        try container.encode(criterion, forKey: .criterion)
    }

    /// Reads a tree saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, or a tree that is not consistent (a child, feature or count out of range), so a damaged file
    /// fails here rather than in `predict`.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("DecisionTree", in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let nodes = try container.decode([Node].self, forKey: .nodes)
        let counts = try container.decode([Double].self, forKey: .counts)
        let classes = try container.decode([Int].self, forKey: .classes)
        let featureCount = try container.decode(Int.self, forKey: .featureCount)
        let criterion = try container.decode(Criterion.self, forKey: .criterion)
        guard counts.count == nodes.count * classes.count else {
            throw ModelFormatError(
                "The saved DecisionTree has \(counts.count) class counts for \(nodes.count) nodes and \(classes.count) classes; it needs \(nodes.count * classes.count). The file is damaged; save the model again.")
        }
        for (i, node) in nodes.enumerated() where !node.isLeaf {
            // Depth first, left first: the left child follows its parent, the right child comes later.
            guard node.left == i + 1, node.right > i, node.right < nodes.count, node.feature >= 0,
                  node.feature < featureCount else {
                throw ModelFormatError(
                    "Node \(i) of the saved DecisionTree points to children \(node.left) and \(node.right) and feature \(node.feature), outside the tree's \(nodes.count) nodes and \(featureCount) features. The file is damaged; save the model again.")
            }
        }
        self.init(nodes: nodes, counts: counts, classes: classes, featureCount: featureCount, criterion: criterion)
    }
}
