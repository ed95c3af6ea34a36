import Foundation

/// Grows one CART tree depth first, node for node as scikit-learn's `DepthFirstTreeBuilder` with the
/// `BestSplitter` (`sklearn/tree/_tree.pyx`, `_splitter.pyx`, `_partitioner.pyx`, `_criterion.pyx`, 1.9),
/// so the trees are scikit-learn's bit for bit:
///
/// - the features tried at a node are drawn with scikit-learn's own xorshift generator (`rand_int` /
///   `our_rand_r` in `_utils.pyx`), seeded once per tree, by the same Fisher–Yates loop over a feature
///   array that persists from node to node, and constant features count toward `max_features` exactly
///   as scikit-learn counts drawn, found and known constants;
/// - values are float32; a feature is constant in a node when `max <= min + 1e-7` and a split position
///   needs `x[p] > x[p - 1] + 1e-7`, both in float32 arithmetic (`FEATURE_THRESHOLD`); the threshold is
///   `x[p - 1] / 2.0 + x[p] / 2.0` in float64;
/// - split positions are ranked by the impurity proxy `−w_r·I_r − w_l·I_l` (strictly greater wins), and
///   the improvement, the children's impurities and the leaf tests use scikit-learn's formulas.
///
/// Unlike scikit-learn it does not sort at each node: each feature keeps the tree's rows in sorted order
/// (from `TrainingData.presorted`, shared by every tree of a forest), a node is the same range
/// `start..<end` in every feature's ordering, and a split partitions the orderings stably. That gives
/// the same left and right sets at every position, since ties (and values within 1e-7) never separate.
/// Counts are integers (bootstrap weights), so every sum is exact and the order of summation cannot
/// change a bit. Features known to be constant in a node are never read again below it, so their
/// orderings are not partitioned. All scratch space is allocated once per tree.
struct TreeBuilder: Sendable {
    let data: TrainingData
    let parameters: DecisionTree.Parameters
    let maxFeatures: Int

    /// scikit-learn's `FEATURE_THRESHOLD`, a float32 constant.
    static let featureThreshold: Float = 1e-7
    /// scikit-learn's `EPSILON` (`np.finfo('double').eps`): impurities at or below it are pure.
    static let epsilon = Double.ulpOfOne
    /// scikit-learn's `RAND_R_MAX`: the splitter's seed is `random_state.randint(0, RAND_R_MAX)`.
    static let randRMax = 0x7FFF_FFFF

    /// Builds a tree from the rows with a positive weight (`weights == nil` means every row once).
    /// `randRState` seeds the feature draws: scikit-learn's `rand_r_state`, the first
    /// `randint(0, RAND_R_MAX)` of the tree's `RandomState`.
    func build(weights: [Int32]?, randRState: UInt32) -> DecisionTree {
        let n = data.sampleCount
        let featureCount = data.featureCount
        let classCount = data.classes.count
        let weightOf: [Int32] = weights ?? [Int32](repeating: 1, count: n)
        var m = 0, totalWeight = 0
        for i in 0..<n {
            totalWeight += Int(weightOf[i])
            if weightOf[i] > 0 { m += 1 }
        }
        var nodes: [DecisionTree.Node] = []
        var counts: [Double] = []
        guard m > 0 else {
            return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                                criterion: parameters.criterion)
        }
        let criterion = parameters.criterion
        let isGini = criterion == .gini
        let weightedSamples = Double(totalWeight)
        // min_weight_leaf = min_weight_fraction_leaf · Σ sample_weight (an exact sum of whole numbers).
        let minWeightLeaf = parameters.minWeightFractionLeaf * weightedSamples
        let checksWeight = minWeightLeaf > 0

        let order = UnsafeMutablePointer<Entry>.allocate(capacity: featureCount * m + 1)  // +1: the copy below writes one past
        let scratch = UnsafeMutablePointer<Entry>.allocate(capacity: m)
        let goesLeft = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        let skip = UnsafeMutablePointer<Bool>.allocate(capacity: featureCount)
        skip.initialize(repeating: false, count: featureCount)
        let nodeCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let leftCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let rightCounts = UnsafeMutablePointer<Double>.allocate(capacity: classCount)
        let nodeInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        let leftInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        let rightInt = UnsafeMutablePointer<Int>.allocate(capacity: classCount)
        let features = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        let constantFeatures = UnsafeMutablePointer<Int>.allocate(capacity: featureCount)
        for f in 0..<featureCount { features[f] = f; constantFeatures[f] = 0 }
        defer {
            order.deallocate(); scratch.deallocate(); goesLeft.deallocate(); skip.deallocate()
            nodeCounts.deallocate(); leftCounts.deallocate(); rightCounts.deallocate()
            nodeInt.deallocate(); leftInt.deallocate(); rightInt.deallocate()
            features.deallocate(); constantFeatures.deallocate()
        }
        var randState = randRState

        /// A node waiting to be built; `countFeature` is a feature whose ordering holds exactly the
        /// node's rows in `start..<end` (the parent's split feature; any feature at the root).
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

        // The bound below needs every weight to be a whole number up to the table's end.
        let reciprocalsFit = totalWeight < data.reciprocals.count
        data.presorted.withUnsafeBufferPointer { presorted in
        data.reciprocals.withUnsafeBufferPointer { reciprocalBuffer in
        data.encoded.withUnsafeBufferPointer { labelBuffer in
        weightOf.withUnsafeBufferPointer { weightBuffer in
            let label = labelBuffer.baseAddress!, rcp = reciprocalBuffer.baseAddress!
            let weight = weightBuffer.baseAddress!
            // Every feature's ordering of the tree's rows, from the shared presort.
            for f in 0..<featureCount {
                let source = presorted.baseAddress! + f * n, target = order + f * m
                var j = 0
                for q in 0..<n {
                    let entry = source[q]
                    target[j] = entry
                    j += weight[Int(entry.sample)] > 0 ? 1 : 0
                }
            }

            while let task = stack.popLast() {
                let start = task.start, end = task.end, count = end - start
                for c in 0..<classCount { nodeInt[c] = 0 }
                var nodeWeight = 0
                let rows = order + task.countFeature * m
                for p in start..<end {
                    let s = Int(rows[p].sample)
                    let w = Int(weight[s])
                    nodeInt[Int(label[s])] += w
                    nodeWeight += w
                }
                var nodeSquares = 0
                for c in 0..<classCount {
                    nodeCounts[c] = Double(nodeInt[c])
                    nodeSquares += nodeInt[c] * nodeInt[c]
                }
                let wNode = Double(nodeWeight)
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

                // node_split_best: draw features until `maxFeatures` have been visited and at least one
                // of them was not constant, or every feature is known to be constant here.
                var bestProxy = -Double.infinity
                var bestFeature = -1, bestLeftCount = count
                var bestThreshold = 0.0
                var cutoff = -Double.infinity
                let tolerance = wNode * 1e-12
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

                    if isGini {
                        for c in 0..<classCount { leftInt[c] = 0; rightInt[c] = nodeInt[c] }
                        var leftSquares = 0, rightSquares = nodeSquares
                        var leftW = 0, rightW = nodeWeight
                        var here = segment[0].value
                        for q in 0..<(count - 1) {
                            let s = Int(segment[q].sample)
                            let c = Int(label[s])
                            let w = Int(weight[s])
                            let l = leftInt[c], r = rightInt[c]
                            leftSquares += w * (2 * l + w)
                            rightSquares -= w * (2 * r - w)
                            leftInt[c] = l + w
                            rightInt[c] = r - w
                            leftW += w
                            rightW -= w
                            let leftCount = q + 1
                            if leftCount > lastLeft { break }
                            let there = segment[leftCount].value
                            let low = here
                            here = there
                            if leftCount < minLeaf || there <= low + threshold32 { continue }
                            if checksWeight && (Double(leftW) < minWeightLeaf || Double(rightW) < minWeightLeaf) { continue }
                            // A cheap bound first: the proxy is −W + sq_r/w_r + sq_l/w_l in exact
                            // arithmetic, and both it and this estimate are within 1e-14·W of it, so
                            // a position below `cutoff` cannot beat the best (no division needed).
                            if reciprocalsFit
                                && Double(rightSquares) * rcp[rightW] + Double(leftSquares) * rcp[leftW] < cutoff {
                                continue
                            }
                            // Gini.children_impurity, then Criterion.proxy_impurity_improvement.
                            let wl = Double(leftW), wr = Double(rightW)
                            let giniLeft = 1.0 - Double(leftSquares) / (wl * wl)
                            let giniRight = 1.0 - Double(rightSquares) / (wr * wr)
                            let proxy = -wr * giniRight - wl * giniLeft
                            if proxy > bestProxy {
                                bestProxy = proxy
                                cutoff = proxy + wNode - tolerance
                                bestFeature = feature
                                bestLeftCount = leftCount
                                bestThreshold = Double(low) / 2.0 + Double(there) / 2.0
                            }
                        }
                    } else {
                        for c in 0..<classCount { leftCounts[c] = 0; rightCounts[c] = nodeCounts[c] }
                        var leftW = 0.0, rightW = wNode
                        var here = segment[0].value
                        for q in 0..<(count - 1) {
                            let s = Int(segment[q].sample)
                            let c = Int(label[s])
                            let w = Double(weight[s])
                            leftCounts[c] += w
                            rightCounts[c] -= w
                            leftW += w
                            rightW -= w
                            let leftCount = q + 1
                            if leftCount > lastLeft { break }
                            let there = segment[leftCount].value
                            let low = here
                            here = there
                            if leftCount < minLeaf || there <= low + threshold32 { continue }
                            if checksWeight && (leftW < minWeightLeaf || rightW < minWeightLeaf) { continue }
                            let (entropyLeft, entropyRight) = entropies(leftCounts, leftW, rightCounts, rightW, classCount)
                            let proxy = -rightW * entropyRight - leftW * entropyLeft
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestFeature = feature
                                bestLeftCount = leftCount
                                bestThreshold = Double(low) / 2.0 + Double(there) / 2.0
                            }
                        }
                    }
                }
                // Restore the known constants' order and record the newly found ones (scikit-learn's
                // invariant for siblings and children), whether or not a split was found.
                for i in 0..<knownConstants { features[i] = constantFeatures[i] }
                for i in knownConstants..<totalConstants { constantFeatures[i] = features[i] }
                if bestFeature < 0 || bestLeftCount >= count { continue }

                // The children's impurities and the improvement, as scikit-learn computes them.
                let split = start + bestLeftCount
                let chosen = order + bestFeature * m
                for c in 0..<classCount { leftCounts[c] = 0 }
                var leftW = 0.0
                for p in start..<split {
                    let s = Int(chosen[p].sample)
                    let w = Double(weight[s])
                    leftCounts[Int(label[s])] += w
                    leftW += w
                }
                for c in 0..<classCount { rightCounts[c] = nodeCounts[c] - leftCounts[c] }
                let rightW = wNode - leftW
                let impurityLeft: Double, impurityRight: Double
                if isGini {
                    var sqLeft = 0.0, sqRight = 0.0
                    for c in 0..<classCount {
                        sqLeft += leftCounts[c] * leftCounts[c]
                        sqRight += rightCounts[c] * rightCounts[c]
                    }
                    impurityLeft = 1.0 - sqLeft / (leftW * leftW)
                    impurityRight = 1.0 - sqRight / (rightW * rightW)
                } else {
                    (impurityLeft, impurityRight) = entropies(leftCounts, leftW, rightCounts, rightW, classCount)
                }
                let improvement = (wNode / weightedSamples)
                    * (impurity - (rightW / wNode * impurityRight) - (leftW / wNode * impurityLeft))
                if improvement + Self.epsilon < 0 { continue }

                // The chosen feature's ordering is already split at `bestLeftCount`; mark the sides and
                // partition every other ordering stably, so each stays sorted within each child.
                // Features constant here are never read below this node: leave them. When both
                // children will be leaves, no ordering is read below: skip the partition.
                func certainLeaf(_ size: Int, _ childWeight: Double, _ childImpurity: Double) -> Bool {
                    task.depth + 1 >= maxDepth || size < minSplit || size < 2 * minLeaf || childWeight < 2 * minWeightLeaf
                        || childImpurity <= Self.epsilon
                }
                let partitions = !(certainLeaf(bestLeftCount, leftW, impurityLeft)
                                   && certainLeaf(count - bestLeftCount, rightW, impurityRight))
                for i in 0..<totalConstants { skip[constantFeatures[i]] = true }
                if partitions {
                for p in start..<split { goesLeft[Int(chosen[p].sample)] = 1 }
                for p in split..<end { goesLeft[Int(chosen[p].sample)] = 0 }
                for f in 0..<featureCount where f != bestFeature && !skip[f] {
                    let segment = order + f * m
                    // One store per entry: left entries move down in place (never past the reader),
                    // right ones go to scratch and are copied back after.
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
                }
                for i in 0..<totalConstants { skip[constantFeatures[i]] = false }
                nodes[nodeIndex].feature = bestFeature
                nodes[nodeIndex].threshold = bestThreshold
                stack.append(Pending(start: split, end: end, depth: task.depth + 1, parent: nodeIndex, isLeft: false,
                                     impurity: impurityRight, constants: totalConstants, countFeature: bestFeature))
                stack.append(Pending(start: start, end: split, depth: task.depth + 1, parent: nodeIndex, isLeft: true,
                                     impurity: impurityLeft, constants: totalConstants, countFeature: bestFeature))
            }
        }}}}
        return DecisionTree(nodes: nodes, counts: counts, classes: data.classes, featureCount: featureCount,
                            criterion: criterion)
    }
}

/// A row of the tree with one feature's float32 value, kept in that feature's sorted order.
struct Entry {
    var value: Float
    var sample: Int32
}

@inline(__always)
func swapFeatures(_ features: UnsafeMutablePointer<Int>, _ i: Int, _ j: Int) {
    let t = features[i]; features[i] = features[j]; features[j] = t
}

/// scikit-learn's `our_rand_r` (`sklearn/utils/_random.pxd`): a 32-bit xorshift, 0 replaced by 1, the
/// result reduced modulo `RAND_R_MAX + 1`.
@inline(__always)
func ourRandR(_ state: inout UInt32) -> UInt32 {
    if state == 0 { state = 1 }
    state ^= state << 13
    state ^= state >> 17
    state ^= state << 5
    return state % (UInt32(TreeBuilder.randRMax) + 1)
}

/// scikit-learn's `rand_int(low, high, state)` (`sklearn/tree/_utils.pyx`): `low + our_rand_r % (high − low)`.
@inline(__always)
func randInt(_ low: Int, _ high: Int, _ state: inout UInt32) -> Int {
    low + Int(ourRandR(&state)) % (high - low)
}

/// `Entropy.children_impurity`: `−Σ p·log₂ p` on each side, `log₂` as scikit-learn's `ln(x) / ln(2.0)`.
@inline(__always)
func entropies(_ left: UnsafeMutablePointer<Double>, _ wl: Double, _ right: UnsafeMutablePointer<Double>,
                       _ wr: Double, _ k: Int) -> (Double, Double) {
    var entropyLeft = 0.0, entropyRight = 0.0
    for c in 0..<k {
        var count = left[c]
        if count > 0 {
            count /= wl
            entropyLeft -= count * (Foundation.log(count) / ln2)
        }
        count = right[c]
        if count > 0 {
            count /= wr
            entropyRight -= count * (Foundation.log(count) / ln2)
        }
    }
    return (entropyLeft, entropyRight)
}

/// `ln(2.0)`, the divisor of scikit-learn's `log` in `_utils.pyx`.
let ln2 = Foundation.log(2.0)
