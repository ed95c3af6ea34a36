import Foundation

/// A random forest classifier with scikit-learn's interface and seeding.
///
/// ```swift
/// var forest = RandomForestClassifier(nEstimators: 100, randomState: 42)
/// try forest.fit(xTrain, yTrain)
/// let accuracy = try accuracyScore(yTest, forest.predict(xTest))
/// ```
/// The trees are scikit-learn's bit for bit (same nodes, features, thresholds and values, so the same
/// `predict_proba`), seeded as `sklearn/ensemble/_forest.py` seeds them: each tree's seed is drawn in
/// order from a master `NumPyRandom(seed: randomState)` with `randomSeed()` (scikit-learn's
/// `random_state.randint(MAX_INT)`); the bootstrap sample is `randint(0, n)` n times from a fresh
/// `NumPyRandom(seed: treeSeed)` (`_generate_sample_indices`), counted as row weights; and the features
/// tried at each node come from scikit-learn's splitter generator, seeded with the first
/// `randint(0, 2³¹ − 1)` of another fresh `NumPyRandom(seed: treeSeed)`. X is cast to float32, as in
/// scikit-learn. Trees are independent, so they train in parallel and the forest is identical for
/// every `nJobs`. The prediction is the argmax of the mean of the trees' class probabilities.
public struct RandomForestClassifier: Sendable, Equatable {
    /// How many trees to grow (≥ 1).
    public var nEstimators: Int
    /// The settings every tree is grown with.
    public var parameters: DecisionTree.Parameters
    /// Whether each tree sees a bootstrap sample (true) or every row once (false).
    public var bootstrap: Bool
    /// Whether `fit` computes `oobScore` from the rows each tree did not see (needs `bootstrap`).
    public var computesOOBScore: Bool
    /// Whether `fit` keeps the trees already grown and only adds trees up to `nEstimators`.
    public var warmStart: Bool
    /// The master seed; `nil` draws one from the system generator at the first fit (scikit-learn's
    /// `random_state=None`) and keeps it for warm starts (see `seedUsed`).
    public var randomState: Int?
    /// Worker threads for fitting and predicting: `nil` or -1 for every core, 1 for single-threaded.
    public var nJobs: Int?
    /// Class weights (scikit-learn's `class_weight`): `nil` weighs every class 1; `.weights` and `.balanced`
    /// weigh rows once for the whole fit; `.balancedSubsample` computes balanced weights on each tree's
    /// bootstrap sample (`.balanced` without bootstrap). See `fit(_:_:sampleWeight:)`.
    public var classWeight: ClassWeight?

    /// The fitted trees, in the order their seeds were drawn.
    public private(set) var estimators: [DecisionTree] = []
    /// Each tree's seed, parallel to `estimators`.
    public private(set) var treeSeeds: [UInt32] = []
    /// The class labels seen in training, ascending.
    public private(set) var classes: [Int] = []
    /// The master seed the trees' seeds were drawn from, once fitted.
    public private(set) var seedUsed: UInt32?
    /// The accuracy on out-of-bag rows, when `computesOOBScore` was set at fit time.
    public private(set) var oobScore: Double?
    /// The number of features the forest was fitted on (0 before fit).
    public private(set) var featureCount = 0
    /// The number of training rows in the last fit (0 before fit).
    public private(set) var trainingSampleCount = 0
    /// The warnings the last `fit` gave (also sent to `LearningWarnings.handler`, or standard error).
    public private(set) var fitWarnings: [LearningWarning] = []

    public init(nEstimators: Int = 100, criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2,
                minSamplesLeaf: Int = 1, maxFeatures: MaxFeatures = .sqrt, bootstrap: Bool = true, oobScore: Bool = false,
                warmStart: Bool = false, randomState: Int? = nil, nJobs: Int? = nil, minWeightFractionLeaf: Double = 0,
                classWeight: ClassWeight? = nil) {
        self.nEstimators = nEstimators
        self.parameters = DecisionTree.Parameters(criterion: criterion, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
                                                  minSamplesLeaf: minSamplesLeaf, maxFeatures: maxFeatures,
                                                  minWeightFractionLeaf: minWeightFractionLeaf)
        self.classWeight = classWeight
        self.bootstrap = bootstrap
        self.computesOOBScore = oobScore
        self.warmStart = warmStart
        self.randomState = randomState
        self.nJobs = nJobs
    }

    /// Whether the forest has been fitted.
    public var isFitted: Bool { !estimators.isEmpty }

    // MARK: Fitting

    /// Grows the forest on rows `x` (n rows × d features) with labels `y` (n labels), as scikit-learn's
    /// `RandomForestClassifier.fit`.
    ///
    /// Without `warmStart` every fit starts afresh. With `warmStart`, trees already grown are kept and
    /// `nEstimators − estimators.count` new trees are grown on the data given now; their seeds continue
    /// the master sequence, so growing 50 then 100 trees gives the same forest as 100 at once. A warm
    /// start with no new trees to grow changes nothing and warns, as scikit-learn does. Throws
    /// `LearningError` for invalid parameters or data, and for a warm start with other features, other
    /// classes or fewer trees than already grown.
    public mutating func fit(_ x: [[Double]], _ y: [Int]) throws {
        try fit(x, y, sampleWeight: nil)
    }

    /// Grows the forest with row weights `sampleWeight` (n finite weights, not all zero, or `nil`) and
    /// `classWeight`, as scikit-learn 1.9's `BaseForest.fit` and `_parallel_build_trees`:
    ///
    /// - the class weights are expanded per row (`compute_sample_weight`; `.balanced` counts classes by
    ///   sample weight, `compute_class_weight(..., sample_weight=)`) and multiplied into the sample
    ///   weights: `w = sampleWeight · class_weight[y]`;
    /// - with bootstrap, `w` does not reach the trees: it is the probability of drawing each row
    ///   (`RandomState.choice(n, n, p=w / Σw)`: a cumulative sum, then `searchsorted` of `random_sample`
    ///   draws), and each tree is fitted on the draw counts; `.balancedSubsample` multiplies the counts by
    ///   balanced weights computed on the sample (classes absent from it weigh 0). Negative weights cannot
    ///   be probabilities and throw;
    /// - without bootstrap every tree is fitted with `w` itself.
    ///
    /// Out-of-bag rows come from the same weighted draws. A warm start with `.balanced` or
    /// `.balancedSubsample` warns, as scikit-learn does.
    public mutating func fit(_ x: [[Double]], _ y: [Int], sampleWeight: [Double]?) throws {
        guard nEstimators >= 1 else {
            throw LearningError.invalidParameter("nEstimators (\(nEstimators)) must be at least 1.")
        }
        try parameters.validate()
        if computesOOBScore && !bootstrap {
            throw LearningError.invalidParameter("The out-of-bag score needs bootstrap samples; set bootstrap to true.")
        }
        let workers = try resolveJobs(nJobs)
        let data = try TrainingData(x, y)
        let maxFeatures = try parameters.maxFeatures.resolve(featureCount: data.featureCount)
        if let sampleWeight { try validateSampleWeight(sampleWeight, sampleCount: data.sampleCount) }
        // _validate_y_class_weight, then _sample_weight = sample_weight * expanded_class_weight.
        var expandedClassWeight: [Double]?
        switch classWeight {
        case nil: break
        case let .weights(table)?: expandedClassWeight = try computeSampleWeight(.weights(table), y: y)
        case .balanced?, .balancedSubsample?:
            if classWeight == .balanced || !bootstrap {
                let weights = try computeClassWeight(.balanced, classes: data.classes, y: y, sampleWeight: sampleWeight)
                expandedClassWeight = try computeSampleWeight(.weights(Dictionary(uniqueKeysWithValues: zip(data.classes, weights))), y: y)
            }
        }
        var combined = sampleWeight
        if let expandedClassWeight {
            combined = sampleWeight.map { zip($0, expandedClassWeight).map { $0 * $1 } } ?? expandedClassWeight
        }
        let drawing = bootstrap ? try combined.map(Self.bootstrapDistribution) : nil
        let subsampleBalanced = bootstrap && classWeight == .balancedSubsample

        let keeping = warmStart && isFitted
        if keeping {
            guard data.featureCount == featureCount else {
                throw LearningError.featureCountMismatch(expected: featureCount, got: data.featureCount)
            }
            guard data.classes == classes else {
                throw LearningError.invalidParameter(
                    "A warm start needs the same classes as the first fit (\(classes)), but the labels hold \(data.classes).")
            }
            guard nEstimators >= estimators.count else {
                throw LearningError.invalidParameter(
                    "nEstimators (\(nEstimators)) must be at least the number of trees already grown (\(estimators.count)) for a warm start.")
            }
            if nEstimators == estimators.count {
                let warning = LearningWarning(.userWarning,
                    "Warm-start fitting without increasing n_estimators does not fit new trees.")
                fitWarnings = [warning]
                warn(warning)
                return
            }
        } else {
            estimators = []
            treeSeeds = []
            seedUsed = nil
        }
        fitWarnings = []
        if warmStart && (classWeight == .balanced || classWeight == .balancedSubsample) {
            let warning = LearningWarning(.userWarning,
                "class_weight presets \"balanced\" or \"balanced_subsample\" are not recommended for warm_start if the fitted data differs from the full dataset. In order to use \"balanced\" weights, use compute_class_weight (\"balanced\", classes, y). In place of y you can use a large enough sample of the full training set target to properly estimate the class frequency distributions. Pass the resulting weights as the class_weight parameter.")
            fitWarnings.append(warning)
            warn(warning)
        }
        let masterSeed: UInt32
        if let randomState {
            guard randomState >= 0, randomState <= Int(UInt32.max) else {
                throw LearningError.invalidParameter(
                    "The random seed (\(randomState)) must be between 0 and 4294967295, as numpy requires.")
            }
            masterSeed = UInt32(randomState)
        } else {
            masterSeed = seedUsed ?? UInt32.random(in: 0...UInt32.max)
        }
        var master = NumPyRandom(seed: masterSeed)
        for _ in 0..<estimators.count { _ = master.randomSeed() }
        let newSeeds = (estimators.count..<nEstimators).map { _ in master.randomSeed() }

        let builder = TreeBuilder(data: data, parameters: parameters, maxFeatures: maxFeatures)
        let bootstrap = self.bootstrap
        let treeWeights = bootstrap ? nil : combined
        let newTrees = try parallelMap(count: newSeeds.count, workers: workers) { i -> Result<DecisionTree, any Error> in
            var splitter = NumPyRandom(seed: newSeeds[i])
            let randRState = UInt32(splitter.randint(0, TreeBuilder.randRMax))
            guard bootstrap else {
                return .success(builder.build(sampleWeight: treeWeights, randRState: randRState))
            }
            var sampler = NumPyRandom(seed: newSeeds[i])
            let counts = Self.bootstrapCounts(sampleCount: data.sampleCount, distribution: drawing, using: &sampler)
            guard subsampleBalanced else { return .success(builder.build(weights: counts, randRState: randRState)) }
            // compute_sample_weight("balanced", y, indices=indices) on the drawn rows, times the counts.
            var indices: [Int] = []
            indices.reserveCapacity(data.sampleCount)
            for (row, count) in counts.enumerated() where count > 0 {
                indices.append(contentsOf: repeatElement(row, count: Int(count)))
            }
            do {
                let balanced = try computeSampleWeight(.balanced, y: y, indices: indices)
                let weights = zip(counts, balanced).map { Double($0) * $1 }
                return .success(builder.build(sampleWeight: weights, randRState: randRState))
            } catch {
                return .failure(error)
            }
        }.map { try $0.get() }
        estimators += newTrees
        treeSeeds += newSeeds
        classes = data.classes
        featureCount = data.featureCount
        trainingSampleCount = data.sampleCount
        seedUsed = masterSeed
        oobScore = computesOOBScore ? computeOOBScore(data: data, distribution: drawing) : nil
    }

    /// Row weights of a bootstrap sample: how often each of `n` rows is drawn in `n` draws (scikit-learn's
    /// `_generate_sample_indices` followed by `bincount`). Without a distribution a draw is
    /// `randint(0, n)`; with one (from `bootstrapDistribution`) it is numpy's `choice(n, p=)`: the first
    /// row whose cumulative probability exceeds a `random_sample()` draw (`searchsorted(side="right")`).
    static func bootstrapCounts(sampleCount n: Int, distribution cdf: [Double]? = nil,
                                using rng: inout NumPyRandom) -> [Int32] {
        var counts = [Int32](repeating: 0, count: n)
        guard let cdf else {
            for _ in 0..<n { counts[rng.randint(0, n)] += 1 }
            return counts
        }
        for _ in 0..<n {
            let u = rng.randomSample()
            var low = 0, high = n
            while low < high {
                let mid = (low + high) / 2
                if cdf[mid] <= u { low = mid + 1 } else { high = mid }
            }
            counts[min(low, n - 1)] += 1
        }
        return counts
    }

    /// numpy's `RandomState.choice` preparation for `p = w / np.sum(w)` (scikit-learn 1.9's
    /// `_generate_sample_indices`): `cdf = p.cumsum(); cdf /= cdf[-1]`. Throws for a negative weight, as
    /// numpy does ("probabilities are not non-negative").
    static func bootstrapDistribution(_ weights: [Double]) throws -> [Double] {
        if let i = weights.firstIndex(where: { $0 < 0 }) {
            throw LearningError.invalidParameter(
                "The weight of row \(i) is \(weights[i]); with bootstrap, sample weights (times class weights) are the probabilities of drawing each row and must not be negative.")
        }
        let total = numpySum(weights)
        var cdf = [Double](repeating: 0, count: weights.count)
        var running = 0.0
        for (i, w) in weights.enumerated() {
            running += w / total
            cdf[i] = running
        }
        let last = cdf[cdf.count - 1]
        return cdf.map { $0 / last }
    }

    /// scikit-learn's `_compute_oob_predictions` and `oob_score_`: each row's summed probabilities over
    /// the trees that left it out, divided by their number; a row no tree left out keeps all zeros (so it
    /// counts as the first class) and the fit warns, as scikit-learn does.
    private mutating func computeOOBScore(data: TrainingData, distribution: [Double]?) -> Double? {
        let n = data.sampleCount, k = classes.count, width = featureCount
        var sums = [Double](repeating: 0, count: n * k)
        var seen = [Int](repeating: 0, count: n)
        for (tree, seed) in zip(estimators, treeSeeds) {
            var rng = NumPyRandom(seed: seed)
            let counts = Self.bootstrapCounts(sampleCount: n, distribution: distribution, using: &rng)
            var row = [Float](repeating: 0, count: width)
            for i in 0..<n where counts[i] == 0 {
                for f in 0..<width { row[f] = data.columns[f * n + i] }
                let leaf = row.withUnsafeBufferPointer { tree.leafIndex(for: $0.baseAddress!) }
                for c in 0..<k { sums[i * k + c] += tree.nodeProbabilities[leaf * k + c] }
                seen[i] += 1
            }
        }
        if seen.contains(0) {
            let warning = LearningWarning(.userWarning,
                "Some inputs do not have OOB scores. This probably means too few trees were used to compute any reliable OOB estimates.")
            fitWarnings.append(warning)
            warn(warning)
        }
        var correct = 0
        for i in 0..<n {
            let divisor = Double(max(seen[i], 1))
            let row = (0..<k).map { sums[i * k + $0] / divisor }
            if firstArgmax(row) == Int(data.encoded[i]) { correct += 1 }
        }
        return Double(correct) / Double(n)
    }

    // MARK: Prediction

    /// The mean of the trees' class probabilities for each row, columns in the order of `classes`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] {
        let flat = try probabilitySums(x)
        let k = classes.count, trees = Double(estimators.count)
        return (0..<x.count).map { i in (0..<k).map { c in flat[i * k + c] / trees } }
    }

    /// The predicted label of each row: the class with the highest mean probability (first on ties).
    public func predict(_ x: [[Double]]) throws -> [Int] {
        let flat = try probabilitySums(x)
        let k = classes.count
        return (0..<x.count).map { i in
            var best = 0
            for c in 1..<max(k, 1) where flat[i * k + c] > flat[i * k + best] { best = c }
            return classes[best]
        }
    }

    /// Summed tree probabilities, row-major `x.count × classes.count`, the trees added in order as
    /// scikit-learn adds them (`all_proba += proba`, tree by tree), so the sums are the same bits.
    ///
    /// The rows are validated and cast to float32 once (`PredictionRows`), then cut into one block per
    /// worker (at most `maxBlockBytes` of float32 values each); a worker runs every tree over its whole block
    /// before the next tree (`DecisionTree.addProbabilities`), so each tree is fetched into the cache once
    /// per block rather than once per row. Rows do not depend on each other, so the result is the same for
    /// every `nJobs`.
    private func probabilitySums(_ x: [[Double]]) throws -> [Double] {
        guard isFitted else {
            throw LearningError.notFitted(
                "This RandomForestClassifier is not fitted yet; call fit(x, y) before predicting.")
        }
        let rows = try PredictionRows(x, expectedFeatures: featureCount)
        let workers = try resolveJobs(nJobs)
        let k = classes.count, trees = estimators, width = featureCount, n = rows.rowCount
        let cap = max(Self.minBlockRows, Self.maxBlockBytes / (width * MemoryLayout<Float>.stride))
        let parts = max(min(workers, n / Self.minBlockRows), (n + cap - 1) / cap, 1)
        let blockRows = (n + parts - 1) / parts
        let blocks = (n + blockRows - 1) / blockRows
        let sums = parallelMap(count: blocks, workers: workers) { block -> [Double] in
            let lower = block * blockRows, count = min(n, lower + blockRows) - lower
            var sums = [Double](repeating: 0, count: count * k)
            rows.values.withUnsafeBufferPointer { values in
                sums.withUnsafeMutableBufferPointer { sums in
                    for tree in trees {
                        tree.addProbabilities(rows: values.baseAddress! + lower * width, count: count,
                                              to: sums.baseAddress!)
                    }
                }
            }
            return sums
        }
        return sums.count == 1 ? sums[0] : Array(sums.joined())
    }

    /// The largest block of float32 rows one worker predicts at a time (2 MiB: the block, a tree and the
    /// block's sums stay within a core's L2 and a share of L3).
    static let maxBlockBytes = 1 << 21
    /// Fewer rows than this per worker are not worth a thread.
    static let minBlockRows = 256

    // MARK: Statistics

    /// Mean of the trees' normalised impurity-decrease importances, normalised again (scikit-learn's
    /// `feature_importances_`, the same arithmetic); trees that are a single leaf are left out, and all
    /// zeros when every tree is. Empty before fit.
    public var featureImportances: [Double] {
        guard isFitted else { return [] }
        var sums = [Double](repeating: 0, count: featureCount)
        var used = 0
        for tree in estimators where tree.nodeCount > 1 {
            used += 1
            for (f, value) in tree.featureImportances.enumerated() { sums[f] += value }
        }
        guard used > 0 else { return sums }
        let means = sums.map { $0 / Double(used) }
        let total = numpySum(means)
        return means.map { $0 / total }
    }

    /// Each tree's depth.
    public var treeDepths: [Int] { estimators.map(\.depth) }
    /// Each tree's number of leaves.
    public var treeLeafCounts: [Int] { estimators.map(\.leafCount) }
    /// Each tree's number of nodes.
    public var treeNodeCounts: [Int] { estimators.map(\.nodeCount) }
}

// MARK: Saving

extension RandomForestClassifier: Codable {
    enum CodingKeys: String, CodingKey {
        case nEstimators, parameters, bootstrap, computesOOBScore, warmStart, randomState, nJobs, classWeight
        case estimators, treeSeeds, classes, seedUsed, oobScore, featureCount, trainingSampleCount, fitWarnings
    }

    /// Writes the format header (`ModelFormat`), the parameters and the fitted state: every tree, each
    /// tree's seed (so a warm start continues the same sequence), the classes, the out-of-bag score and
    /// the last fit's warnings. An unfitted forest saves its parameters and empty state.
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("RandomForestClassifier", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nEstimators, forKey: .nEstimators)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(bootstrap, forKey: .bootstrap)
        try c.encode(computesOOBScore, forKey: .computesOOBScore)
        try c.encode(warmStart, forKey: .warmStart)
        try c.encode(randomState, forKey: .randomState)
        try c.encode(nJobs, forKey: .nJobs)
        try c.encode(classWeight, forKey: .classWeight)
        try c.encode(estimators, forKey: .estimators)
        try c.encode(treeSeeds, forKey: .treeSeeds)
        try c.encode(classes, forKey: .classes)
        try c.encode(seedUsed, forKey: .seedUsed)
        try c.encode(oobScore, forKey: .oobScore)
        try c.encode(featureCount, forKey: .featureCount)
        try c.encode(trainingSampleCount, forKey: .trainingSampleCount)
        try c.encode(fitWarnings, forKey: .fitWarnings)
    }

    /// Reads a forest saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, or trees that do not agree with the forest's classes and feature count.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("RandomForestClassifier", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nEstimators = try c.decode(Int.self, forKey: .nEstimators)
        parameters = try c.decode(DecisionTree.Parameters.self, forKey: .parameters)
        bootstrap = try c.decode(Bool.self, forKey: .bootstrap)
        computesOOBScore = try c.decode(Bool.self, forKey: .computesOOBScore)
        warmStart = try c.decode(Bool.self, forKey: .warmStart)
        randomState = try c.decodeIfPresent(Int.self, forKey: .randomState)
        nJobs = try c.decodeIfPresent(Int.self, forKey: .nJobs)
        classWeight = try c.decodeIfPresent(ClassWeight.self, forKey: .classWeight)
        estimators = try c.decode([DecisionTree].self, forKey: .estimators)
        treeSeeds = try c.decode([UInt32].self, forKey: .treeSeeds)
        classes = try c.decode([Int].self, forKey: .classes)
        seedUsed = try c.decodeIfPresent(UInt32.self, forKey: .seedUsed)
        oobScore = try c.decodeIfPresent(Double.self, forKey: .oobScore)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        trainingSampleCount = try c.decode(Int.self, forKey: .trainingSampleCount)
        fitWarnings = try c.decode([LearningWarning].self, forKey: .fitWarnings)
        guard treeSeeds.count == estimators.count,
              estimators.allSatisfy({ $0.classes == classes && $0.featureCount == featureCount }) else {
            throw ModelFormatError(
                "The saved RandomForestClassifier's trees do not match its classes \(classes), its \(featureCount) features or its \(treeSeeds.count) seeds. The file is damaged; save the model again.")
        }
    }
}
