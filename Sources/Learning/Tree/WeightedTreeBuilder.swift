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
    /// `BestSplitter` with `sample_weight` (`sklearn/tree/_tree.pyx`, `_splitter.pyx`, `_criterion.pyx`, 1.9).
    ///
    /// Rows of weight 0 are left out (scikit-learn keeps `sample_weight[i] != 0.0`); negative weights are
    /// kept, as there. The split search follows `ClassificationCriterion.update` step for step: at each
    /// candidate position (past `minSamplesLeaf`, between distinct values) the left sums move forward from
    /// the last position, or, when that is the longer way, back from the node's end (`reverse_reset`);
    /// right sums are `total − left`; positions with a child lighter than `min_weight_leaf` are skipped;
    /// Gini and entropy proxies and the chosen split's impurities use scikit-learn's formulas.
    ///
    /// With fractional weights a sum depends on the order its terms are added in. scikit-learn adds a
    /// node's rows in the order its unstable introsort and in-place partition left them; this builder adds
    /// them in sorted order (the root in row order, as scikit-learn). Splits are the same unless two
    /// candidates tie to the last bit; node values and impurities agree to within a few ulps.
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

        let order = UnsafeMutablePointer<Entry>.allocate(capacity: featureCount * m + 1)
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: m)
        let goesLeft = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        let skip = UnsafeMutablePointer<Bool>.allocate(capacity: featureCount)
        skip.initialize(repeating: false, count: featureCount)
        let nodeCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let leftCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let rightCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let features = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        let constantFeatures = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        for f in 0..<featureCount { features[f] = f; constantFeatures[f] = 0 }
        defer {
            order.deallocate(); scratch.deallocate(); goesLeft.deallocate(); skip.deallocate()
            nodeCounts.deallocate(); leftCounts.deallocate(); rightCounts.deallocate()
            features.deallocate(); constantFeatures.deallocate()
        }
        var randState = randRState

        struct Pending {
            var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool
            var impurity: Double, constants: Int, countFeature: Int
        }
        var stack: [Pending] = [Pending(start: 0, end: m, depth: 0, parent: -1, isLeft: false,
                                        impurity: .infinity, constants: 0, countFeature: 0)]
        let maxDepth = parameters.maxDepth ?? Int(Int32.max)
        let minLeaf = parameters.minSamplesLeaf
        let minSplit = parameters.minSamplesSplit
        let threshold32 = Self.featureThreshold
        var first = true

        data.presorted.withUnsafeBufferPointer { presorted in
        data.encoded.withUnsafeBufferPointer { labelBuffer in
        weight.withUnsafeBufferPointer { weightBuffer in
            let label = labelBuffer.baseAddress!, weight = weightBuffer.baseAddress!
            for f in 0..<featureCount {
                let source = presorted.baseAddress! + f * n, target = order + f * m
                var j = 0
                for q in 0..<n {
                    let entry = source[q]
                    target[j] = entry
                    j += weight[Int(entry.sample)] != 0 ? 1 : 0
                }
            }

            /// `ClassificationCriterion.update` from relative position `pos` to `newPos` over `rows`
            /// (`count` rows, node totals in `nodeCounts` / `wNode`); returns the left weight.
            func moveLeft(_ rows: UnsafeMutablePointer<Entry>, _ pos: Int, _ newPos: Int, _ count: Int,
                          _ wLeft: Double, _ wNode: Double) -> Double {
                var wl = wLeft
                if newPos - pos <= count - newPos {
                    for p in pos..<newPos {
                        let s = Int(rows[p].sample), w = weight[s]
                        leftCounts[Int(label[s])] += w
                        wl += w
                    }
                } else {
                    for c in 0..<classCount { leftCounts[c] = nodeCounts[c] }
                    wl = wNode
                    var p = count - 1
                    while p >= newPos {
                        let s = Int(rows[p].sample), w = weight[s]
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
                for c in 0..<classCount { nodeCounts[c] = 0 }
                var wNode = 0.0
                if first {
                    // The root: scikit-learn's samples array, rows of non-zero weight in row order.
                    for i in 0..<n where weight[i] != 0 {
                        nodeCounts[Int(label[i])] += weight[i]
                        wNode += weight[i]
                    }
                } else {
                    let rows = order + task.countFeature * m
                    for p in start..<end {
                        let s = Int(rows[p].sample)
                        nodeCounts[Int(label[s])] += weight[s]
                        wNode += weight[s]
                    }
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
                var bestFeature = -1, bestLeftCount = count
                var bestThreshold = 0.0
                var fI = featureCount
                var visited = 0, foundConstants = 0, drawnConstants = 0
                let knownConstants = task.constants
                var totalConstants = knownConstants
                let lastLeft = count - minLeaf
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
                    let segment = order + feature * m + start
                    if segment[count - 1].value <= segment[0].value + threshold32 {
                        swapFeatures(features, fJ, totalConstants)
                        foundConstants += 1
                        totalConstants += 1
                        continue
                    }
                    fI -= 1
                    swapFeatures(features, fI, fJ)

                    // criterion.reset(), then update(p) at each candidate position.
                    for c in 0..<classCount { leftCounts[c] = 0 }
                    var wl = 0.0, pos = 0
                    var here = segment[0].value
                    for q in 0..<(count - 1) {
                        let leftCount = q + 1
                        if leftCount > lastLeft { break }
                        let there = segment[leftCount].value
                        let low = here
                        here = there
                        if leftCount < minLeaf || there <= low + threshold32 { continue }
                        wl = moveLeft(segment, pos, leftCount, count, wl, wNode)
                        pos = leftCount
                        let wr = wNode - wl
                        if wl < minWeightLeaf || wr < minWeightLeaf { continue }
                        let (impurityLeft, impurityRight) = childImpurities(wl, wr)
                        let proxy = -wr * impurityRight - wl * impurityLeft
                        if proxy > bestProxy {
                            bestProxy = proxy
                            bestFeature = feature
                            bestLeftCount = leftCount
                            bestThreshold = Double(low) / 2.0 + Double(there) / 2.0
                        }
                    }
                }
                for i in 0..<knownConstants { features[i] = constantFeatures[i] }
                for i in knownConstants..<totalConstants { constantFeatures[i] = features[i] }
                if bestFeature < 0 || bestLeftCount >= count { continue }

                // criterion.reset(); update(best.pos); children_impurity; impurity_improvement.
                let split = start + bestLeftCount
                let chosen = order + bestFeature * m
                for c in 0..<classCount { leftCounts[c] = 0 }
                let leftW = moveLeft(chosen + start, 0, bestLeftCount, count, 0, wNode)
                let rightW = wNode - leftW
                let (impurityLeft, impurityRight) = childImpurities(leftW, rightW)
                let improvement = (wNode / weightedSamples)
                    * (impurity - (rightW / wNode * impurityRight) - (leftW / wNode * impurityLeft))
                if improvement + Self.epsilon < 0 { continue }

                for i in 0..<totalConstants { skip[constantFeatures[i]] = true }
                for p in start..<split { goesLeft[Int(chosen[p].sample)] = 1 }
                for p in split..<end { goesLeft[Int(chosen[p].sample)] = 0 }
                for f in 0..<featureCount where f != bestFeature && !skip[f] {
                    let segment = order + f * m
                    var l = start, r = 0
                    for p in start..<end {
                        let entry = segment[p]
                        let left = Int(goesLeft[Int(entry.sample)])
                        let target = left != 0 ? segment + l : scratch + r
                        target.pointee = entry
                        l &+= left
                        r &+= 1 &- left
                    }
                    (segment + l).update(from: scratch, count: r)
                }
                for i in 0..<totalConstants { skip[constantFeatures[i]] = false }
                nodes[nodeIndex].feature = bestFeature
                nodes[nodeIndex].threshold = bestThreshold
                stack.append(Pending(start: split, end: end, depth: task.depth + 1, parent: nodeIndex, isLeft: false,
                                     impurity: impurityRight, constants: totalConstants, countFeature: bestFeature))
                stack.append(Pending(start: start, end: split, depth: task.depth + 1, parent: nodeIndex, isLeft: true,
                                     impurity: impurityLeft, constants: totalConstants, countFeature: bestFeature))
            }
        }}}
        return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                            criterion: criterion)
    }
}
