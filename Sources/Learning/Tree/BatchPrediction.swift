import Foundation

/// Rows to predict, validated and cast to float32 once, row-major (`rowCount × featureCount`).
///
/// scikit-learn's `predict_proba` casts X with `check_array(X, dtype=np.float32)` and then compares each
/// float32 value with the node's float64 threshold; every tree here compares the same float32 values (see
/// `DecisionTree.WalkNode`), so building this block once serves every tree of a forest.
struct PredictionRows: Sendable {
    /// The number of rows.
    let rowCount: Int
    /// The number of features per row.
    let featureCount: Int
    /// Feature `f` of row `i` is `values[i * featureCount + f]`.
    let values: [Float]

    /// Validates `x` as `validateMatrix(x, expectedFeatures:)` does (the same errors for the same first
    /// fault, row by row: the row's width, then its first non-finite or beyond-float32 value) and casts it
    /// to float32 in the same pass.
    init(_ x: [[Double]], expectedFeatures width: Int, what: String = "The rows to predict") throws {
        guard !x.isEmpty else {
            throw LearningError.emptyData("\(what) has no rows; at least one row is needed.")
        }
        guard width > 0 else {
            throw LearningError.emptyData("\(what) has rows with no features; at least one feature is needed.")
        }
        var failure: LearningError?
        let values = [Float](unsafeUninitializedCapacity: x.count * width) { buffer, initialized in
            var out = buffer.baseAddress!
            for (r, row) in x.enumerated() {
                guard row.count == width else {
                    failure = .featureCountMismatch(expected: width, got: row.count)
                    break
                }
                row.withUnsafeBufferPointer { row in
                    for c in 0..<width {
                        // A float64 beyond float32's range becomes ±∞ in the cast, as in numpy's.
                        let value = row[c], single = Float(value)
                        out[c] = single
                        if !single.isFinite && failure == nil { failure = .nonFiniteValue(row: r, column: c, value: value) }
                    }
                }
                if failure != nil { break }
                out += width
            }
            initialized = failure == nil ? x.count * width : 0
        }
        if let failure { throw failure }
        self.rowCount = x.count
        self.featureCount = width
        self.values = values
    }
}

extension DecisionTree {
    /// How many rows walk a tree together in `addProbabilities`.
    ///
    /// One row's walk is a chain of dependent loads (node, then the row's feature, then the next node), so
    /// a single walk leaves the core idle while it waits on the cache; sixteen independent walks stepped
    /// in turn keep sixteen chains in flight.
    static let lanes = 16

    /// Adds, for each of `count` rows, the class probabilities of the leaf the row lands in to that row's
    /// entries of `sums`.
    ///
    /// - Parameters:
    ///   - rows: `count × featureCount` float32 values, row-major (a `PredictionRows` block or part of one).
    ///   - count: the number of rows.
    ///   - sums: `count × classes.count` float64 values, row-major; row `i`'s `c`-th entry gets
    ///     `+= probability of class c` in the row's leaf, one addition per class, so adding the trees of a
    ///     forest in order gives the same bits as scikit-learn's `all_proba[i] += proba[i]`.
    ///
    /// Rows walk in groups of `lanes`: every row of a group takes one step per round, and the group is done
    /// when a round moves no row. Both children of a leaf's `WalkNode` are the leaf itself, so a row that
    /// reached its leaf simply stays there while the others finish; the step picks the child by index, so
    /// it has no branch to mispredict. Tree and rows are read through unsafe pointers: no bounds checks or
    /// reference counting in the loop, and the caller guarantees the shapes above.
    func addProbabilities(rows: UnsafePointer<Float>, count: Int, to sums: UnsafeMutablePointer<Double>) {
        let k = classes.count, width = featureCount, lanes = Self.lanes
        walk.withUnsafeBufferPointer { walkBuffer in
            nodeProbabilities.withUnsafeBufferPointer { probabilityBuffer in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * lanes) { scratch in
                    let nodes = UnsafeRawPointer(walkBuffer.baseAddress!), probabilities = probabilityBuffer.baseAddress!
                    let stride = MemoryLayout<WalkNode>.stride
                    let featureOffset = WalkNode.featureOffset, leftOffset = WalkNode.leftOffset
                    let node = scratch.baseAddress!, offset = node + lanes
                    var start = 0
                    while start < count {
                        let live = min(lanes, count - start)
                        let block = rows + start * width
                        // Lanes past the last row repeat it, so every round steps all `lanes` lanes.
                        for l in 0..<lanes {
                            node[l] = 0
                            offset[l] = Int32(min(l, live - 1) * width)
                        }
                        var moved: Int32
                        repeat {
                            moved = 0
                            for l in 0..<lanes {
                                let i = Int(node[l])
                                let step = nodes + i &* stride
                                let feature = Int(step.load(fromByteOffset: featureOffset, as: Int32.self))
                                let threshold = step.load(as: Float.self)
                                let value = block[Int(offset[l]) &+ feature]
                                // 0 for left, 1 for right: an index, not a branch.
                                let side = value <= threshold ? 0 : 1
                                let next = step.load(fromByteOffset: leftOffset &+ 4 &* side, as: Int32.self)
                                moved |= next ^ Int32(truncatingIfNeeded: i)
                                node[l] = next
                            }
                        } while moved != 0
                        for l in 0..<live {
                            let p = probabilities + Int(node[l]) * k
                            let s = sums + (start + l) * k
                            for c in 0..<k { s[c] += p[c] }
                        }
                        start += lanes
                    }
                }
            }
        }
    }
}
