import Foundation

extension TreeBuilder {
    /// Builds a tree with scikit-learn's `sample_weight` (n weights, any finite values, not all zero):
    /// whole-number weights (bootstrap counts, integer class weights) go to the integer builder, whose sums
    /// are exact; other weights to `build(realWeights:randRState:)`.
    func build(sampleWeight: [Double]?, randRState: UInt32) -> DecisionTree {
        guard let sampleWeight else { return build(weights: nil, randRState: randRState) }
        var whole = true, total = 0.0
        for w in sampleWeight where !(w >= 0 && w.rounded() == w) { whole = false; break }
        if whole {
            for w in sampleWeight { total += w }
            // The integer builder's sums of squares stay within Int while the total is below 2³¹.
            if total < Double(Int32.max) {
                return build(weights: sampleWeight.map { Int32($0) }, randRState: randRState)
            }
        }
        return build(realWeights: sampleWeight, randRState: randRState)
    }

    /// Builds a tree with real-valued row weights, as scikit-learn's `DepthFirstTreeBuilder` and
    /// `BestSplitter` with `sample_weight` (`sklearn/tree/_tree.pyx`, `_splitter.pyx`, `_partitioner.pyx`,
    /// `_criterion.pyx`, 1.9), step for step, so that sums of fractional weights are added in scikit-learn's
    /// order and the tree is scikit-learn's bit for bit.
    ///
    /// Unlike the integer builder it keeps scikit-learn's `samples` array itself: rows of non-zero weight
    /// in row order (negative weights are kept, as there); a node is `samples[start..<end]`; each feature
    /// tried at a node sorts that range with scikit-learn's introsort (`simultaneous_sort`,
    /// `simultaneousSort` here), so ties end up in scikit-learn's order; the chosen split partitions the range by swapping
    /// from both ends (`partition_samples_final`). Node sums are added in that order
    /// (`ClassificationCriterion.init`), and at each candidate position (past `minSamplesLeaf`, between
    /// distinct values) the left sums move forward from the last position, or back from the node's end
    /// when that is shorter (`update`, `reverse_reset`); right sums are `total − left`; positions with a
    /// child lighter than `min_weight_leaf` are skipped. Slower than the integer builder (it sorts at each
    /// node), which whole-number weights use.
    func build(realWeights weight: [Double], randRState: UInt32) -> DecisionTree {
        let n = data.sampleCount
        let featureCount = data.featureCount
        let classCount = data.classes.count
        var m = 0, weightedSamples = 0.0
        for i in 0..<n {
            if weight[i] != 0 { m += 1 }
            weightedSamples += weight[i]
        }
        var nodes: [DecisionTree.Node] = []
        var counts: [Double] = []
        guard m > 0 else {
            return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                                criterion: parameters.criterion)
        }
        let criterion = parameters.criterion
        let isGini = criterion == .gini
        let minWeightLeaf = parameters.minWeightFractionLeaf * numpySum(weight)

        let samples = UnsafeMutablePointer<Int32>.allocate(capacity: m)
        let keys = UnsafeMutablePointer<Double>.allocate(capacity: m)
        let nodeCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let leftCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let rightCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let features = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        let constantFeatures = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        for f in 0..<featureCount { features[f] = f; constantFeatures[f] = 0 }
        defer {
            samples.deallocate(); keys.deallocate()
            nodeCounts.deallocate(); leftCounts.deallocate(); rightCounts.deallocate()
            features.deallocate(); constantFeatures.deallocate()
        }
        var j = 0
        for i in 0..<n where weight[i] != 0 { samples[j] = Int32(i); j += 1 }
        var randState = randRState

        struct Pending {
            var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool
            var impurity: Double, constants: Int
        }
        var stack: [Pending] = [Pending(start: 0, end: m, depth: 0, parent: -1, isLeft: false,
                                        impurity: .infinity, constants: 0)]
        let maxDepth = parameters.maxDepth ?? Int(Int32.max)
        let minLeaf = parameters.minSamplesLeaf
        let minSplit = parameters.minSamplesSplit
        let threshold32 = Self.featureThreshold
        var first = true

        data.columns.withUnsafeBufferPointer { columnBuffer in
        data.encoded.withUnsafeBufferPointer { labelBuffer in
        weight.withUnsafeBufferPointer { weightBuffer in
            let label = labelBuffer.baseAddress!, weight = weightBuffer.baseAddress!
            let columns = columnBuffer.baseAddress!

            /// `ClassificationCriterion.update(newPos)` from `pos` over `samples[start..<end]` (node totals in
            /// `nodeCounts` / `wNode`); returns the new left weight.
            func moveLeft(_ start: Int, _ end: Int, _ pos: Int, _ newPos: Int, _ wLeft: Double, _ wNode: Double) -> Double {
                var wl = wLeft
                if newPos - pos <= end - newPos {
                    for p in pos..<newPos {
                        let s = Int(samples[p]), w = weight[s]
                        leftCounts[Int(label[s])] += w
                        wl += w
                    }
                } else {
                    for c in 0..<classCount { leftCounts[c] = nodeCounts[c] }
                    wl = wNode
                    var p = end - 1
                    while p >= newPos {
                        let s = Int(samples[p]), w = weight[s]
                        leftCounts[Int(label[s])] -= w
                        wl -= w
                        p -= 1
                    }
                }
                for c in 0..<classCount { rightCounts[c] = nodeCounts[c] - leftCounts[c] }
                return wl
            }

            /// `children_impurity` of the current left and right sums.
            func childImpurities(_ wl: Double, _ wr: Double) -> (Double, Double) {
                if isGini {
                    var sqLeft = 0.0, sqRight = 0.0
                    for c in 0..<classCount {
                        sqLeft += leftCounts[c] * leftCounts[c]
                        sqRight += rightCounts[c] * rightCounts[c]
                    }
                    return (1.0 - sqLeft / (wl * wl), 1.0 - sqRight / (wr * wr))
                }
                return entropies(leftCounts, wl, rightCounts, wr, classCount)
            }

            while let task = stack.popLast() {
                let start = task.start, end = task.end, count = end - start
                // ClassificationCriterion.init: the node's sums in the samples' current order.
                for c in 0..<classCount { nodeCounts[c] = 0 }
                var wNode = 0.0
                for p in start..<end {
                    let s = Int(samples[p])
                    nodeCounts[Int(label[s])] += weight[s]
                    wNode += weight[s]
                }
                var impurity = task.impurity
                if first {
                    impurity = criterion.impurity(UnsafeBufferPointer(start: nodeCounts, count: classCount), total: wNode)
                    first = false
                }
                let nodeIndex = nodes.count
                nodes.append(DecisionTree.Node(feature: -1, threshold: 0, left: -1, right: -1, impurity: impurity,
                                               sampleCount: count, weightedSampleCount: wNode, depth: task.depth))
                counts.append(contentsOf: UnsafeBufferPointer(start: nodeCounts, count: classCount))
                if task.parent >= 0 {
                    if task.isLeft { nodes[task.parent].left = nodeIndex } else { nodes[task.parent].right = nodeIndex }
                }
                if task.depth >= maxDepth || count < minSplit || count < 2 * minLeaf || wNode < 2 * minWeightLeaf
                    || impurity <= Self.epsilon {
                    continue
                }

                var bestProxy = -Double.infinity
                var bestFeature = -1, bestPos = end
                var bestThreshold = 0.0
                var fI = featureCount
                var visited = 0, foundConstants = 0, drawnConstants = 0
                let knownConstants = task.constants
                var totalConstants = knownConstants
                while fI > totalConstants
                        && (visited < maxFeatures || visited <= foundConstants + drawnConstants) {
                    visited += 1
                    var fJ = randInt(drawnConstants, fI - foundConstants, &randState)
                    if fJ < knownConstants {
                        swapFeatures(features, drawnConstants, fJ)
                        drawnConstants += 1
                        continue
                    }
                    fJ += foundConstants
                    let feature = features[fJ]
                    // sort_samples_and_feature_values
                    let column = columns + feature * n
                    for p in start..<end { keys[p] = Double(column[Int(samples[p])]) }
                    simultaneousSort(keys + start, samples + start, count)
                    if Float(keys[end - 1]) <= Float(keys[start]) + threshold32 {
                        swapFeatures(features, fJ, totalConstants)
                        foundConstants += 1
                        totalConstants += 1
                        continue
                    }
                    fI -= 1
                    swapFeatures(features, fI, fJ)

                    // criterion.reset(), then next_p and update(p) at each candidate position.
                    for c in 0..<classCount { leftCounts[c] = 0 }
                    var wl = 0.0, pos = start
                    var p = start
                    while p < end {
                        while p + 1 < end && Float(keys[p + 1]) <= Float(keys[p]) + threshold32 { p += 1 }
                        let previous = p
                        p += 1
                        if p >= end { continue }
                        if p - start < minLeaf || end - p < minLeaf { continue }
                        wl = moveLeft(start, end, pos, p, wl, wNode)
                        pos = p
                        let wr = wNode - wl
                        if wl < minWeightLeaf || wr < minWeightLeaf { continue }
                        let (impurityLeft, impurityRight) = childImpurities(wl, wr)
                        let proxy = -wr * impurityRight - wl * impurityLeft
                        if proxy > bestProxy {
                            bestProxy = proxy
                            bestFeature = feature
                            bestPos = p
                            bestThreshold = keys[previous] / 2.0 + keys[p] / 2.0
                        }
                    }
                }
                if bestPos < end {
                    // partition_samples_final: swap from both ends by the chosen feature and threshold.
                    let column = columns + bestFeature * n
                    var low = start, high = end
                    while low < high {
                        if Double(column[Int(samples[low])]) <= bestThreshold {
                            low += 1
                        } else {
                            high -= 1
                            let t = samples[low]; samples[low] = samples[high]; samples[high] = t
                        }
                    }
                }
                for i in 0..<knownConstants { features[i] = constantFeatures[i] }
                for i in knownConstants..<totalConstants { constantFeatures[i] = features[i] }
                if bestFeature < 0 || bestPos >= end { continue }

                // criterion.reset(); update(best.pos); children_impurity; impurity_improvement.
                for c in 0..<classCount { leftCounts[c] = 0 }
                let leftW = moveLeft(start, end, start, bestPos, 0, wNode)
                let rightW = wNode - leftW
                let (impurityLeft, impurityRight) = childImpurities(leftW, rightW)
                let improvement = (wNode / weightedSamples)
                    * (impurity - (rightW / wNode * impurityRight) - (leftW / wNode * impurityLeft))
                if improvement + Self.epsilon < 0 { continue }

                nodes[nodeIndex].feature = bestFeature
                nodes[nodeIndex].threshold = bestThreshold
                stack.append(Pending(start: bestPos, end: end, depth: task.depth + 1, parent: nodeIndex, isLeft: false,
                                     impurity: impurityRight, constants: totalConstants))
                stack.append(Pending(start: start, end: bestPos, depth: task.depth + 1, parent: nodeIndex, isLeft: true,
                                     impurity: impurityLeft, constants: totalConstants))
            }
        }}}
        return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                            criterion: criterion)
    }
}
