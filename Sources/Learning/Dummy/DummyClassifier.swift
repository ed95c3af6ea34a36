/// A classifier that ignores the features: the baseline every real model should beat, as
/// scikit-learn's `DummyClassifier`.
///
/// ```swift
/// var baseline = DummyClassifier(strategy: .mostFrequent)
/// try baseline.fit(xTrain, yTrain)
/// let floor = try baseline.score(xTest, yTest)
/// ```
/// `fit` only records the classes (ascending) and their shares of the training labels (`classPrior`);
/// the features are checked for shape but never used. The strategies are scikit-learn's:
/// - `.mostFrequent` predicts the most common training class (the smallest label among ties) and gives
///   it probability 1;
/// - `.prior` predicts the same class but gives the class shares as probabilities;
/// - `.stratified` draws one-hot probability rows from the class shares
///   (`RandomState(randomState).multinomial(1, class_prior_, size=n)`) and predicts their class;
/// - `.uniform` predicts classes uniformly at random (`RandomState(randomState).randint(k, size=n)`)
///   and gives every class probability 1/k.
///
/// As in scikit-learn, each `predict` or `predictProba` call with an integer `randomState` starts a
/// fresh `NumPyRandom(seed: randomState)`, so the random strategies give scikit-learn's rows exactly
/// and the same rows on every call; with `randomState: nil` each call draws a new seed.
public struct DummyClassifier: Classifier, Equatable {
    /// How a `DummyClassifier` predicts (scikit-learn's `strategy`; `"constant"` is not offered).
    public enum Strategy: String, Sendable, Hashable, CaseIterable, Codable {
        case mostFrequent = "most_frequent"
        case prior
        case stratified
        case uniform
    }

    /// The prediction rule.
    public var strategy: Strategy
    /// The seed of the `.stratified` and `.uniform` draws; `nil` draws a seed at each call.
    public var randomState: Int?

    /// The class labels seen in training, ascending (empty before `fit`).
    public private(set) var classes: [Int] = []
    /// Each class's share of the training labels, in `classes` order (`class_prior_`; empty before `fit`).
    public private(set) var classPrior: [Double] = []
    private var featureCount: Int?

    public init(strategy: Strategy = .prior, randomState: Int? = nil) {
        self.strategy = strategy
        self.randomState = randomState
    }

    /// Records the classes and their shares of `y` (n labels) for rows `x` (n × d). Throws
    /// `LearningError` when `x` and `y` differ in count, there are no rows, rows are ragged, or
    /// `randomState` is outside 0...2³²−1.
    public mutating func fit(_ x: [[Double]], _ y: [Int]) throws {
        guard x.count == y.count else { throw LearningError.labelCountMismatch(labels: y.count, samples: x.count) }
        guard !y.isEmpty else {
            throw LearningError.emptyData("DummyClassifier needs at least one training row; x and y are empty.")
        }
        try checkRows(x)
        if let randomState { _ = try NumPyRandom(seed: randomState) }
        var counts: [Int: Int] = [:]
        for label in y { counts[label, default: 0] += 1 }
        classes = counts.keys.sorted()
        classPrior = classes.map { Double(counts[$0] ?? 0) / Double(y.count) }
        featureCount = x.first?.count
    }

    /// The predicted label of each row (n labels for n rows); see the strategies in the type's
    /// documentation. Throws `LearningError.notFitted` before `fit`.
    public func predict(_ x: [[Double]]) throws -> [Int] {
        try checkFitted(x)
        switch strategy {
        case .mostFrequent, .prior:
            return [Int](repeating: classes[mostFrequentIndex], count: x.count)
        case .stratified:
            return try predictProba(x).map { row in classes[row.firstIndex(of: row.max() ?? 0) ?? 0] }
        case .uniform:
            var rng = try generator()
            return try rng.randint(0, classes.count, x.count).map { classes[$0] }
        }
    }

    /// Class probabilities, n rows × k columns in `classes` order; see the strategies in the type's
    /// documentation. Throws `LearningError.notFitted` before `fit`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] {
        try checkFitted(x)
        let k = classes.count
        switch strategy {
        case .mostFrequent:
            var row = [Double](repeating: 0, count: k)
            row[mostFrequentIndex] = 1
            return [[Double]](repeating: row, count: x.count)
        case .prior:
            return [[Double]](repeating: classPrior, count: x.count)
        case .stratified:
            var rng = try generator()
            return try (0..<x.count).map { _ in try rng.multinomial(1, classPrior).map(Double.init) }
        case .uniform:
            return [[Double]](repeating: [Double](repeating: 1 / Double(k), count: k), count: x.count)
        }
    }

    /// numpy's `argmax`: the first index of the largest share.
    private var mostFrequentIndex: Int {
        var best = 0
        for i in classPrior.indices where classPrior[i] > classPrior[best] { best = i }
        return best
    }

    private func generator() throws -> NumPyRandom {
        try NumPyRandom(seed: randomState ?? Int(UInt32.random(in: 0...UInt32.max)))
    }

    private func checkFitted(_ x: [[Double]]) throws {
        guard !classes.isEmpty else {
            throw LearningError.notFitted("This DummyClassifier is not fitted yet; call fit(x, y) before predicting.")
        }
        try checkRows(x)
        if let featureCount, let first = x.first, first.count != featureCount {
            throw LearningError.featureCountMismatch(expected: featureCount, got: first.count)
        }
    }

    private func checkRows(_ x: [[Double]]) throws {
        guard let first = x.first else { return }
        for (i, row) in x.enumerated() where row.count != first.count {
            throw LearningError.raggedRows(row: i, count: row.count, expected: first.count)
        }
    }
}

extension DummyClassifier: Codable {
    enum CodingKeys: String, CodingKey { case strategy, randomState, classes, classPrior, featureCount }

    /// Writes the format header (`ModelFormat`), the strategy and seed, and the fitted classes and priors.
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("DummyClassifier", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(randomState, forKey: .randomState)
        try c.encode(classes, forKey: .classes)
        try c.encode(classPrior, forKey: .classPrior)
        try c.encode(featureCount, forKey: .featureCount)
    }

    /// Reads a classifier saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, or priors that do not match the classes.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("DummyClassifier", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        strategy = try c.decode(Strategy.self, forKey: .strategy)
        randomState = try c.decodeIfPresent(Int.self, forKey: .randomState)
        classes = try c.decode([Int].self, forKey: .classes)
        classPrior = try c.decode([Double].self, forKey: .classPrior)
        featureCount = try c.decodeIfPresent(Int.self, forKey: .featureCount)
        guard classPrior.count == classes.count else {
            throw ModelFormatError(
                "The saved DummyClassifier has \(classPrior.count) priors for \(classes.count) classes. The file is damaged; save the model again.")
        }
    }
}
