/// A labelled data set: rows of numeric features, one integer label per row, and the features' names.
public struct Dataset: Sendable, Equatable {
    /// The names of the feature columns, in order.
    public var featureNames: [String]
    /// One row of features per sample.
    public var features: [[Double]]
    /// One label per sample.
    public var labels: [Int]

    public init(featureNames: [String], features: [[Double]], labels: [Int]) {
        self.featureNames = featureNames
        self.features = features
        self.labels = labels
    }

    /// The features (scikit-learn's `X`).
    public var x: [[Double]] { features }
    /// The labels (scikit-learn's `y`).
    public var y: [Int] { labels }
    /// The number of samples.
    public var count: Int { labels.count }

    /// The values of one feature column, or `nil` for an unknown name.
    public func column(_ name: String) -> [Double]? {
        guard let j = featureNames.firstIndex(of: name) else { return nil }
        return features.map { $0[j] }
    }

    /// The samples at the given row indices, in that order. Throws for an index out of range.
    public func rows(_ indices: [Int]) throws -> Dataset {
        for i in indices where i < 0 || i >= count {
            throw LearningError.invalidParameter("Row index \(i) is outside the data set's \(count) rows.")
        }
        return Dataset(featureNames: featureNames, features: indices.map { features[$0] }, labels: indices.map { labels[$0] })
    }

    /// The samples in a range of rows (clamped to the data set).
    public func slice(_ range: Range<Int>) -> Dataset {
        let r = range.clamped(to: 0..<count)
        return Dataset(featureNames: featureNames, features: Array(features[r]), labels: Array(labels[r]))
    }
}

/// Synthetic data sets for the book and the benchmark, each drawn from `NumPyRandom(seed: randomState)`
/// in a documented order, so numpy with the same seed and the same calls gives the same numbers.
public enum Datasets {
    /// The Python tutorial's `sample_data.csv`: `feature1`, `feature2`, `feature3` are three `randn(100)`
    /// and the target is `randint(0, 2, 100)`, drawn in that order after `np.random.seed(randomState)`.
    /// The label is independent of the features: there is nothing to learn (the tutorial's flaw).
    public static func tutorial(randomState: Int, samples: Int = 100) throws -> Dataset {
        try requirePositive(samples, "samples")
        var rng = try NumPyRandom(seed: randomState)
        let f1 = rng.randn(samples), f2 = rng.randn(samples), f3 = rng.randn(samples)
        let target = try rng.randint(0, 2, samples)
        return Dataset(featureNames: ["feature1", "feature2", "feature3"],
                       features: (0..<samples).map { [f1[$0], f2[$0], f3[$0]] }, labels: target)
    }

    /// The weights of the learnable rule: `label = 1` when `1.0·x₀ − 2.0·x₁ + 0.5·x₂ > 0`.
    public static let linearWeights: [Double] = [1.0, -2.0, 0.5]
    /// The weights after the drift in `drifting`: the first feature's effect is reversed.
    public static let driftedWeights: [Double] = [-1.0, -2.0, 0.5]

    /// A learnable problem: three standard-normal features (`randn(samples, 3)`, row by row), labelled by
    /// the linear rule `linearWeights`, then each label flipped where `rand(samples) < labelNoise`.
    /// The best possible accuracy is about `1 − labelNoise`.
    public static func noisyLinear(samples: Int = 2000, labelNoise: Double = 0.1, randomState: Int) throws -> Dataset {
        try drifting(samples: samples, driftAt: samples, labelNoise: labelNoise, randomState: randomState)
    }

    /// A stream whose rule changes: rows before `driftAt` follow `linearWeights`, rows from `driftAt` on
    /// follow `driftedWeights`. Drawn as `noisyLinear` (features, then the noise uniforms).
    public static func drifting(samples: Int = 4000, driftAt: Int = 2000, labelNoise: Double = 0.1,
                                randomState: Int) throws -> Dataset {
        try requirePositive(samples, "samples")
        guard labelNoise >= 0, labelNoise <= 1 else {
            throw LearningError.invalidParameter("labelNoise (\(labelNoise)) must be between 0 and 1.")
        }
        guard driftAt >= 0 else {
            throw LearningError.invalidParameter("driftAt (\(driftAt)) must not be negative.")
        }
        var rng = try NumPyRandom(seed: randomState)
        let values = rng.randn(samples * 3)
        let noise = rng.rand(samples)
        var features: [[Double]] = []
        var labels: [Int] = []
        features.reserveCapacity(samples)
        labels.reserveCapacity(samples)
        for i in 0..<samples {
            let row = Array(values[(3 * i)..<(3 * i + 3)])
            let w = i < driftAt ? linearWeights : driftedWeights
            let score = w[0] * row[0] + w[1] * row[1] + w[2] * row[2]
            var label = score > 0 ? 1 : 0
            if noise[i] < labelNoise { label = 1 - label }
            features.append(row)
            labels.append(label)
        }
        return Dataset(featureNames: ["x1", "x2", "x3"], features: features, labels: labels)
    }

    /// A two-class set for benchmarks: `randn(samples, features)` row by row, then the weights
    /// `randn(informative)`; the label is 1 when `Σ wⱼ·xⱼ + 0.5·x₀·x₁ > 0` over the first `informative`
    /// features, flipped where `rand(samples) < labelNoise`. The other features are noise.
    public static func classification(samples: Int = 20_000, features: Int = 20, informative: Int = 5,
                                      labelNoise: Double = 0.05, randomState: Int) throws -> Dataset {
        try requirePositive(samples, "samples")
        try requirePositive(features, "features")
        guard informative >= 2, informative <= features else {
            throw LearningError.invalidParameter(
                "informative (\(informative)) must be between 2 and the number of features (\(features)).")
        }
        guard labelNoise >= 0, labelNoise <= 1 else {
            throw LearningError.invalidParameter("labelNoise (\(labelNoise)) must be between 0 and 1.")
        }
        var rng = try NumPyRandom(seed: randomState)
        let values = rng.randn(samples * features)
        let weights = rng.randn(informative)
        let noise = rng.rand(samples)
        var rows: [[Double]] = []
        var labels: [Int] = []
        rows.reserveCapacity(samples)
        labels.reserveCapacity(samples)
        for i in 0..<samples {
            let row = Array(values[(features * i)..<(features * i + features)])
            var score = 0.5 * row[0] * row[1]
            for j in 0..<informative { score += weights[j] * row[j] }
            var label = score > 0 ? 1 : 0
            if noise[i] < labelNoise { label = 1 - label }
            rows.append(row)
            labels.append(label)
        }
        return Dataset(featureNames: (0..<features).map { "f\($0)" }, features: rows, labels: labels)
    }

    private static func requirePositive(_ value: Int, _ name: String) throws {
        guard value >= 1 else {
            throw LearningError.invalidParameter("\(name) (\(value)) must be at least 1.")
        }
    }
}
