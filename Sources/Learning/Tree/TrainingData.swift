/// Checks that rows form a finite numeric matrix and returns its feature count.
///
/// Throws for no rows, rows of zero length, ragged rows, NaN or infinity, and (when
/// `expectedFeatures` is given) a feature count other than the fitted one.
func validateMatrix(_ x: [[Double]], expectedFeatures: Int? = nil, what: String = "The data") throws -> Int {
    guard let first = x.first else {
        throw LearningError.emptyData("\(what) has no rows; at least one row is needed.")
    }
    let width = first.count
    if let expected = expectedFeatures, width != expected {
        throw LearningError.featureCountMismatch(expected: expected, got: width)
    }
    guard width > 0 else {
        throw LearningError.emptyData("\(what) has rows with no features; at least one feature is needed.")
    }
    for (r, row) in x.enumerated() {
        guard row.count == width else {
            if let expected = expectedFeatures { throw LearningError.featureCountMismatch(expected: expected, got: row.count) }
            throw LearningError.raggedRows(row: r, count: row.count, expected: width)
        }
        // The trees work on float32 values, as scikit-learn does (`check_array(X, dtype=np.float32)`):
        // a value beyond float32's range is infinite there, and rejected as scikit-learn rejects it.
        for (c, value) in row.enumerated() where !value.isFinite || !Float(value).isFinite {
            throw LearningError.nonFiniteValue(row: r, column: c, value: value)
        }
    }
    return width
}

/// Validated training data in the layout the tree builder wants: column-major features and
/// labels encoded as class indices into the sorted distinct labels.
struct TrainingData: Sendable {
    let sampleCount: Int
    let featureCount: Int
    /// Feature `f` of row `i` is `columns[f * sampleCount + i]`, cast to float32 as scikit-learn casts X.
    let columns: [Float]
    /// The distinct labels, ascending (`np.unique(y)`).
    let classes: [Int]
    /// `classes[encoded[i]] == y[i]`.
    let encoded: [Int32]
    /// For each feature `f`, the rows sorted by that feature with their values:
    /// `presorted[f * sampleCount ..< (f + 1) * sampleCount]`.
    let presorted: [Entry]
    /// `1 / w` for every whole weight `w` in `0...sampleCount` (index 0 unused), for the split search's
    /// cheap bound (see `TreeBuilder`).
    let reciprocals: [Double]

    init(_ x: [[Double]], _ y: [Int]) throws {
        let width = try validateMatrix(x)
        guard y.count == x.count else {
            throw LearningError.labelCountMismatch(labels: y.count, samples: x.count)
        }
        let n = x.count
        var columns = [Float](repeating: 0, count: n * width)
        for (i, row) in x.enumerated() {
            for f in 0..<width { columns[f * n + i] = Float(row[f]) }
        }
        let classes = Array(Set(y)).sorted()
        var index: [Int: Int32] = [:]
        for (k, label) in classes.enumerated() { index[label] = Int32(k) }
        self.sampleCount = n
        self.featureCount = width
        self.columns = columns
        self.classes = classes
        self.encoded = y.map { index[$0] ?? 0 }
        var presorted = [Entry](repeating: Entry(value: 0, sample: 0), count: n * width)
        var order = [Int32](repeating: 0, count: n)
        var keys = [Double](repeating: 0, count: n)
        order.withUnsafeMutableBufferPointer { order in
            keys.withUnsafeMutableBufferPointer { keys in
                for f in 0..<width {
                    for i in 0..<n {
                        keys[i] = Double(columns[f * n + i])
                        order[i] = Int32(i)
                    }
                    sortKeys(keys.baseAddress!, order.baseAddress!, n)
                    for i in 0..<n { presorted[f * n + i] = Entry(value: Float(keys[i]), sample: order[i]) }
                }
            }
        }
        self.presorted = presorted
        self.reciprocals = (0...n).map { $0 == 0 ? 0 : 1.0 / Double($0) }
    }
}
