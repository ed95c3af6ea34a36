import Foundation

/// A k-nearest-neighbours classifier with scikit-learn's interface (`KNeighborsClassifier`): a row's
/// class is the vote of the `nNeighbors` training rows closest to it.
///
/// ```swift
/// var knn = KNeighborsClassifier(nNeighbors: 5)
/// try knn.fit(xTrain, yTrain)
/// let labels = try knn.predict(xTest)
/// ```
/// Distances are Minkowski distances with power `p` (2, the default, is Euclidean; 1 is Manhattan),
/// computed exactly, feature by feature, as scikit-learn's KD-tree computes them; neighbours are the
/// rows with the smallest distances, ties broken by the lower training row. With `weights: .uniform`
/// each neighbour has one vote and `predictProba` gives votes / k; with `.distance` each votes 1/d, and
/// a row at distance 0 takes all the vote (shared among such rows), as in scikit-learn. `predict` picks
/// the class with the most votes, the smallest label among ties. Features are not scaled: scale them
/// first when their units differ.
///
/// Parity: neighbours, probabilities and predictions equal scikit-learn's exactly with uniform weights;
/// with distance weights they are exact when scikit-learn uses its KD-tree (at most 15 features), and
/// probabilities agree within 1e-12 when it uses brute force (more than 15 features), whose distances
/// come from ‖x‖² − 2x·y + ‖y‖² and lose digits to cancellation (ours are exact). This holds as long as
/// no two training rows are at the same distance across the k-th neighbour boundary; scikit-learn's
/// choice among those depends on its search tree.
public struct KNeighborsClassifier: Classifier, Equatable {
    /// How neighbours' votes are weighed (scikit-learn's `weights`).
    public enum Weights: String, Sendable, Hashable, Codable {
        /// Every neighbour has one vote.
        case uniform
        /// A neighbour at distance d votes 1/d.
        case distance
    }

    /// The number of neighbours that vote (≥ 1, at most the number of training rows).
    public var nNeighbors: Int
    /// How votes are weighed.
    public var weights: Weights
    /// The Minkowski power (> 0): 2 for Euclidean distance, 1 for Manhattan.
    public var p: Double

    /// The class labels seen in training, ascending (empty before `fit`).
    public private(set) var classes: [Int] = []
    private var trainX: [[Double]] = []
    private var trainClass: [Int] = []

    public init(nNeighbors: Int = 5, weights: Weights = .uniform, p: Double = 2) {
        self.nNeighbors = nNeighbors
        self.weights = weights
        self.p = p
    }

    /// Stores rows `x` (n × d) and labels `y` (n). Throws `LearningError` for `nNeighbors` below 1, `p`
    /// not above 0, counts that differ, no rows, ragged rows, or non-finite values.
    public mutating func fit(_ x: [[Double]], _ y: [Int]) throws {
        guard nNeighbors >= 1 else {
            throw LearningError.invalidParameter("nNeighbors (\(nNeighbors)) must be at least 1.")
        }
        guard p > 0, p.isFinite else {
            throw LearningError.invalidParameter("p (\(p)) must be a positive number (2 for Euclidean distance, 1 for Manhattan).")
        }
        guard x.count == y.count else { throw LearningError.labelCountMismatch(labels: y.count, samples: x.count) }
        guard !x.isEmpty else {
            throw LearningError.emptyData("KNeighborsClassifier needs at least one training row; x and y are empty.")
        }
        try Self.checkRows(x, width: x[0].count)
        classes = Array(Set(y)).sorted()
        var code: [Int: Int] = [:]
        for (i, label) in classes.enumerated() { code[label] = i }
        trainX = x
        trainClass = y.map { code[$0]! }
    }

    /// The `k` nearest training rows of each row of `x` (scikit-learn's `kneighbors`): for m rows, m
    /// lists of k distances (ascending) and m lists of training row indices. `k` defaults to
    /// `nNeighbors`. Throws `LearningError.notFitted` before `fit`, for rows of another width, and when
    /// k exceeds the number of training rows.
    public func kneighbors(_ x: [[Double]], k: Int? = nil) throws -> (distances: [[Double]], indices: [[Int]]) {
        guard !trainX.isEmpty else {
            throw LearningError.notFitted("This KNeighborsClassifier is not fitted yet; call fit(x, y) before predicting.")
        }
        let k = k ?? nNeighbors
        guard k >= 1 else { throw LearningError.invalidParameter("k (\(k)) must be at least 1.") }
        guard k <= trainX.count else {
            throw LearningError.invalidParameter(
                "Expected nNeighbors <= the number of training rows, but nNeighbors = \(k) and the model was fitted on \(trainX.count) rows.")
        }
        try Self.checkRows(x, width: trainX[0].count)
        var distances: [[Double]] = [], indices: [[Int]] = []
        distances.reserveCapacity(x.count)
        indices.reserveCapacity(x.count)
        let power = p
        for row in x {
            let reduced = trainX.map { Self.reducedDistance(row, $0, power) }
            let nearest = Array(reduced.indices.sorted { reduced[$0] != reduced[$1] ? reduced[$0] < reduced[$1] : $0 < $1 }.prefix(k))
            indices.append(nearest)
            distances.append(nearest.map { Self.distance(fromReduced: reduced[$0], power) })
        }
        return (distances, indices)
    }

    /// Class probabilities, m rows × k classes in `classes` order: each class's share of the
    /// (weighted) votes of the row's neighbours. Throws as `kneighbors`.
    public func predictProba(_ x: [[Double]]) throws -> [[Double]] {
        let (distances, indices) = try kneighbors(x)
        return zip(distances, indices).map { d, nearest in
            let w = voteWeights(d)
            var proba = [Double](repeating: 0, count: classes.count)
            for (i, row) in nearest.enumerated() { proba[trainClass[row]] += w[i] }
            let total = Statistics.sum(proba)
            return proba.map { $0 / total }
        }
    }

    /// The predicted label of each row: the class with the most (weighted) votes, the smallest label
    /// among ties (scikit-learn's `mode` / `weighted_mode`). Throws as `kneighbors`.
    public func predict(_ x: [[Double]]) throws -> [Int] {
        let (distances, indices) = try kneighbors(x)
        return zip(distances, indices).map { d, nearest in
            let w = voteWeights(d)
            var best = 0
            var bestVotes = -Double.infinity
            for c in classes.indices {
                let votes = Statistics.sum(nearest.indices.map { trainClass[nearest[$0]] == c ? w[$0] : 0 })
                if votes > bestVotes { best = c; bestVotes = votes }
            }
            return classes[best]
        }
    }

    /// scikit-learn's `_get_weights`: ones, or 1/d with rows holding a zero distance voting by d == 0.
    private func voteWeights(_ distances: [Double]) -> [Double] {
        switch weights {
        case .uniform:
            return [Double](repeating: 1, count: distances.count)
        case .distance:
            if distances.contains(0) { return distances.map { $0 == 0 ? 1 : 0 } }
            return distances.map { 1.0 / $0 }
        }
    }

    /// scikit-learn's `rdist`: Σ|a − b|^p (Σ(a − b)² for p = 2), summed feature by feature.
    private static func reducedDistance(_ a: [Double], _ b: [Double], _ p: Double) -> Double {
        var d = 0.0
        if p == 2 {
            for j in a.indices { let t = a[j] - b[j]; d += t * t }
        } else if p == 1 {
            for j in a.indices { d += abs(a[j] - b[j]) }
        } else {
            for j in a.indices { d += pow(abs(a[j] - b[j]), p) }
        }
        return d
    }

    private static func distance(fromReduced r: Double, _ p: Double) -> Double {
        p == 2 ? r.squareRoot() : p == 1 ? r : pow(r, 1 / p)
    }

    private static func checkRows(_ x: [[Double]], width: Int) throws {
        for (i, row) in x.enumerated() {
            if i == 0, row.count != width { throw LearningError.featureCountMismatch(expected: width, got: row.count) }
            if row.count != width { throw LearningError.raggedRows(row: i, count: row.count, expected: width) }
            if let j = row.firstIndex(where: { !$0.isFinite }) {
                throw LearningError.nonFiniteValue(row: i, column: j, value: row[j])
            }
        }
    }
}

extension KNeighborsClassifier: Codable {
    enum CodingKeys: String, CodingKey { case nNeighbors, weights, p, classes, trainX, trainClass }

    /// Writes the format header (`ModelFormat`), the parameters and the stored training rows and labels
    /// (a fitted k-NN model is its training set, as scikit-learn's pickled `_fit_X` and `_y`).
    public func encode(to encoder: any Encoder) throws {
        try ModelHeader.write("KNeighborsClassifier", to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(nNeighbors, forKey: .nNeighbors)
        try c.encode(weights, forKey: .weights)
        try c.encode(p, forKey: .p)
        try c.encode(classes, forKey: .classes)
        try c.encode(trainX, forKey: .trainX)
        try c.encode(trainClass, forKey: .trainClass)
    }

    /// Reads a classifier saved by `encode(to:)`. Throws `ModelFormatError` for another format version or
    /// model, or rows and labels of different counts.
    public init(from decoder: any Decoder) throws {
        try ModelHeader.check("KNeighborsClassifier", in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nNeighbors = try c.decode(Int.self, forKey: .nNeighbors)
        weights = try c.decode(Weights.self, forKey: .weights)
        p = try c.decode(Double.self, forKey: .p)
        classes = try c.decode([Int].self, forKey: .classes)
        trainX = try c.decode([[Double]].self, forKey: .trainX)
        trainClass = try c.decode([Int].self, forKey: .trainClass)
        guard trainX.count == trainClass.count, trainClass.allSatisfy({ $0 >= 0 && $0 < classes.count }) else {
            throw ModelFormatError(
                "The saved KNeighborsClassifier has \(trainX.count) rows, \(trainClass.count) labels and \(classes.count) classes that do not agree. The file is damaged; save the model again.")
        }
    }
}
