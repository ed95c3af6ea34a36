import Foundation

/// Grows one CART tree depth first, as scikit-learn's `DepthFirstTreeBuilder` with the `BestSplitter`,
/// but with presorted features instead of a sort per node.
///
/// Each feature keeps the tree's rows in sorted order (taken from `TrainingData.presorted`, which is
/// shared by every tree of a forest). A node is the same range `start..<end` in every feature's
/// ordering. To split a node the builder scans the drawn features' orderings with class counts updated
/// one sample at a time, so each threshold costs O(1) (gini via running sums of squares, entropy via a
/// table of `k·ln k` for the integer weights); thresholds are midpoints of consecutive distinct values.
/// The chosen split then partitions every feature's range stably into left and right, which keeps all
/// orderings sorted. All scratch space is allocated once per tree.
struct TreeBuilder: Sendable {
    let data: TrainingData
    let parameters: DecisionTree.Parameters
    let maxFeatures: Int

    /// Builds a tree from the rows with a positive weight (`weights == nil` means every row once).
    func build(weights: [Int32]?, using rng: inout NumPyRandom) -> DecisionTree {
        let n = data.sampleCount
        let featureCount = data.featureCount
        let classCount = data.classes.count
        let weightOf: [Int32] = weights ?? [Int32](repeating: 1, count: n)
        var m = 0, totalWeight = 0
        for i in 0..<n where weightOf[i] > 0 {
            m += 1
            totalWeight += Int(weightOf[i])
        }
        var nodes: [DecisionTree.Node] = []
        var counts: [Double] = []
        guard m > 0 else {
            return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                                criterion: parameters.criterion)
        }
        let criterion = parameters.criterion
        var nlogn: [Double] = []
        if criterion == .entropy {
            nlogn = (0...totalWeight).map { k in k == 0 ? 0 : Double(k) * Foundation.log(Double(k)) }
        }

        let order = UnsafeMutablePointer<Entry>.allocate(capacity: featureCount * m)
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: m)
        let goesLeft = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        let nodeCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let leftCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let rightCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let nodeInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        let leftInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        let rightInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        defer {
            order.deallocate(); scratch.deallocate(); goesLeft.deallocate()
            nodeCounts.deallocate(); leftCounts.deallocate(); rightCounts.deallocate()
            nodeInt.deallocate(); leftInt.deallocate(); rightInt.deallocate()
        }
        var features = Array(0..<featureCount)

        struct Pending { var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool }
        var stack: [Pending] = [Pending(start: 0, end: m, depth: 0, parent: -1, isLeft: false)]
        let maxDepth = parameters.maxDepth ?? Int.max
        let minLeaf = parameters.minSamplesLeaf
        let minSplit = parameters.minSamplesSplit

        data.columns.withUnsafeBufferPointer { columnBuffer in
        data.presorted.withUnsafeBufferPointer { presorted in
        data.encoded.withUnsafeBufferPointer { labelBuffer in
        weightOf.withUnsafeBufferPointer { weightBuffer in
        nlogn.withUnsafeBufferPointer { nlognBuffer in
            let columns = columnBuffer.baseAddress!, label = labelBuffer.baseAddress!
            let weight = weightBuffer.baseAddress!
            let nlogn = criterion == .entropy ? nlognBuffer.baseAddress : nil
            // Every feature's ordering of the tree's rows, from the shared presort.
            for f in 0..<featureCount {
                let source = presorted.baseAddress! + f * n, target = order + f * m
                let column = columns + f * n
                var j = 0
                for q in 0..<n {
                    let s = source[q]
                    if weight[Int(s)] > 0 {
                        target[j] = Entry(value: column[Int(s)], sample: s)
                        j += 1
                    }
                }
            }

            while let task = stack.popLast() {
                let start = task.start, end = task.end, count = end - start
                for c in 0..<classCount { nodeInt[c] = 0 }
                var nodeWeight = 0
                for p in start..<end {
                    let s = Int(order[p].sample)
                    let w = Int(weight[s])
                    nodeInt[Int(label[s])] += w
                    nodeWeight += w
                }
                var nodeSquares = 0.0, nodeEntropySum = 0.0
                for c in 0..<classCount {
                    let v = Double(nodeInt[c])
                    nodeCounts[c] = v
                    nodeSquares += v * v
                    if let nlogn { nodeEntropySum += nlogn[nodeInt[c]] }
                }
                let impurity = criterion.impurity(UnsafeBufferPointer(start: nodeCounts, count: classCount),
                                                  total: Double(nodeWeight))
                let nodeIndex = nodes.count
                nodes.append(DecisionTree.Node(feature: -1, threshold: 0, left: -1, right: -1, impurity: impurity,
                                               sampleCount: count, weightedSampleCount: Double(nodeWeight),
                                               depth: task.depth))
                counts.append(contentsOf: UnsafeBufferPointer(start: nodeCounts, count: classCount))
                if task.parent >= 0 {
                    if task.isLeft { nodes[task.parent].left = nodeIndex } else { nodes[task.parent].right = nodeIndex }
                }
                if task.depth >= maxDepth || count < minSplit || count < 2 * minLeaf || impurity <= Double.ulpOfOne {
                    continue
                }

                // Search the best split over up to `maxFeatures` features that are not constant here.
                var bestProxy = -Double.infinity
                var bestFeature = -1, bestLeftCount = 0
                var bestThreshold = 0.0
                var visited = 0
                var remaining = featureCount
                let lastLeft = count - minLeaf
                while remaining > 0 && visited < maxFeatures {
                    let j = rng.randint(0, remaining)
                    remaining -= 1
                    features.swapAt(j, remaining)
                    let feature = features[remaining]
                    let segment = order + feature * m + start
                    var here = segment[0].value
                    if segment[count - 1].value <= here { continue }
                    visited += 1

                    if let nlogn {
                        for c in 0..<classCount { leftInt[c] = 0; rightInt[c] = nodeInt[c] }
                        var leftSum = 0.0, rightSum = nodeEntropySum
                        var leftW = 0, rightW = nodeWeight
                        for q in 0..<(count - 1) {
                            let s = Int(segment[q].sample)
                            let c = Int(label[s])
                            let w = Int(weight[s])
                            let l = leftInt[c], r = rightInt[c]
                            leftSum += nlogn[l + w] - nlogn[l]
                            rightSum += nlogn[r - w] - nlogn[r]
                            leftInt[c] = l + w
                            rightInt[c] = r - w
                            leftW += w
                            rightW -= w
                            let leftCount = q + 1
                            if leftCount > lastLeft { break }
                            let there = segment[leftCount].value
                            defer { here = there }
                            if leftCount < minLeaf || there <= here { continue }
                            let proxy = leftSum - nlogn[leftW] + rightSum - nlogn[rightW]
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestFeature = feature
                                bestLeftCount = leftCount
                                bestThreshold = midpoint(here, there)
                            }
                        }
                    } else {
                        for c in 0..<classCount { leftCounts[c] = 0; rightCounts[c] = nodeCounts[c] }
                        var leftSquares = 0.0, rightSquares = nodeSquares
                        var leftWeight = 0.0, rightWeight = Double(nodeWeight)
                        for q in 0..<(count - 1) {
                            let s = Int(segment[q].sample)
                            let c = Int(label[s])
                            let w = Double(weight[s])
                            let l = leftCounts[c], r = rightCounts[c]
                            leftSquares += w * (2 * l + w)
                            rightSquares -= w * (2 * r - w)
                            leftCounts[c] = l + w
                            rightCounts[c] = r - w
                            leftWeight += w
                            rightWeight -= w
                            let leftCount = q + 1
                            if leftCount > lastLeft { break }
                            let there = segment[leftCount].value
                            defer { here = there }
                            if leftCount < minLeaf || there <= here { continue }
                            let proxy = leftSquares / leftWeight + rightSquares / rightWeight
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestFeature = feature
                                bestLeftCount = leftCount
                                bestThreshold = midpoint(here, there)
                            }
                        }
                    }
                }
                if bestFeature < 0 { continue }

                // The chosen feature's ordering is already split at `bestLeftCount`; mark the sides and
                // partition every other ordering stably, so each stays sorted within each child.
                let split = start + bestLeftCount
                let chosen = order + bestFeature * m
                for p in start..<split { goesLeft[Int(chosen[p].sample)] = 1 }
                for p in split..<end { goesLeft[Int(chosen[p].sample)] = 0 }
                for f in 0..<featureCount where f != bestFeature {
                    let segment = order + f * m
                    var l = start, r = 0
                    for p in start..<end {
                        let entry = segment[p]
                        let left = Int(goesLeft[Int(entry.sample)])
                        segment[l] = entry
                        scratch[r] = entry
                        l += left
                        r += 1 - left
                    }
                    (segment + l).update(from: scratch, count: r)
                }
                nodes[nodeIndex].feature = bestFeature
                nodes[nodeIndex].threshold = bestThreshold
                stack.append(Pending(start: split, end: end, depth: task.depth + 1, parent: nodeIndex, isLeft: false))
                stack.append(Pending(start: start, end: split, depth: task.depth + 1, parent: nodeIndex, isLeft: true))
            }
        }}}}}
        return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                            criterion: criterion)
    }
}

/// A row of the tree with one feature's value, kept in that feature's sorted order.
struct Entry {
    var value: Double
    var sample: Int32
}

/// The midpoint of two consecutive distinct values, falling back to the lower one when rounding would
/// put it on the upper value (scikit-learn's rule).
@inline(__always)
func midpoint(_ low: Double, _ high: Double) -> Double {
    let t = low / 2 + high / 2
    if t == high || !t.isFinite { return low }
    return t
}
