import Foundation
import Testing
@testable import Learning

/// Sample and class weights against scikit-learn 1.9.1's trees and forests, recorded by
/// `Fixtures/make_weight_fixtures.py` into `Fixtures/parity/weights.json` (versions inside the file).
///
/// Every value is compared with `==`: nodes (features, thresholds, row counts, weighted counts, impurities,
/// values), `predict_proba`, `feature_importances_` and the out-of-bag score. Cases marked `exact` have
/// whole-number weights (the integer builder, whose sums are exact in any order); the others have
/// fractional weights (`balanced`, uniform draws, `balanced_subsample`), which the weighted builder adds in
/// scikit-learn's order, so those trees are the same bits too.
enum WeightFixtures {
    struct File: Decodable {
        let versions: [String: String]
        let trees: [TreeCase]
        let forests: [ForestCase]
        let helpers: Helpers
    }

    struct Params: Decodable {
        let randomState: Int?, maxDepth: Int?, criterion: String?, minWeightFractionLeaf: Double?
        let minSamplesLeaf: Int?, maxFeatures: String?, nEstimators: Int?, bootstrap: Bool?, oobScore: Bool?
    }

    struct Nodes: Decodable {
        let left: [Int], right: [Int], feature: [Int], threshold: [Double], samples: [Int]
        let weighted: [Double], impurity: [Double], value: [[Double]]
    }

    enum ClassWeightJSON: Decodable {
        case none, preset(String), table([String: Double])
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .none }
            else if let text = try? container.decode(String.self) { self = .preset(text) }
            else { self = .table(try container.decode([String: Double].self)) }
        }
        var value: ClassWeight? {
            switch self {
            case .none: nil
            case .preset("balanced"): .balanced
            case .preset(_): .balancedSubsample
            case let .table(t): .weights(Dictionary(uniqueKeysWithValues: t.map { (Int($0.key)!, $0.value) }))
            }
        }
    }

    struct TreeCase: Decodable, CustomTestStringConvertible {
        let name: String, dataset: String, params: Params, sampleWeight: [Double]?, classWeight: ClassWeightJSON
        let exact: Bool, nodes: Nodes, proba: [[Double]], predict: [Int], importances: [Double]
        var testDescription: String { name }
    }

    struct ForestCase: Decodable, CustomTestStringConvertible {
        let name: String, dataset: String, params: Params, sampleWeight: [Double]?, classWeight: ClassWeightJSON
        let exact: Bool, firstTree: Nodes, nodeCounts: [Int], proba: [[Double]], predict: [Int]
        let importances: [Double], oobScore: Double?
        var testDescription: String { name }
    }

    struct Helpers: Decodable {
        let y: [Int], sampleWeight: [Double], indices: [Int]
        let balanced: [Double], balancedWeighted: [Double], sampleBalanced: [Double], sampleDict: [Double]
        let sampleSubsample: [Double]
    }

    static let file: File = {
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(File.self, from: Data(contentsOf: DataFixtures.url("parity/weights.json")))
        } catch {
            fatalError("parity/weights.json cannot be read: \(error)")
        }
    }()

    static func maxFeatures(_ text: String?, default fallback: MaxFeatures) -> MaxFeatures {
        text == "sqrt" ? .sqrt : fallback
    }

    /// Bit-for-bit equality; `exact` only names which builder the case exercises.
    static func close(_ a: Double, _ b: Double, exact: Bool) -> Bool { a == b }

    /// Where the tree first differs from scikit-learn's nodes, or nil.
    static func difference(_ tree: DecisionTree, _ nodes: Nodes, exact: Bool) -> String? {
        guard tree.nodeCount == nodes.left.count else { return "node counts \(tree.nodeCount) vs \(nodes.left.count)" }
        let k = tree.classes.count
        for (i, node) in tree.nodes.enumerated() {
            let leaf = nodes.left[i] < 0
            var same = node.isLeaf == leaf && node.sampleCount == nodes.samples[i]
                && close(node.weightedSampleCount, nodes.weighted[i], exact: exact)
                && close(node.impurity, nodes.impurity[i], exact: exact)
            if !leaf {
                same = same && node.left == nodes.left[i] && node.right == nodes.right[i]
                    && node.feature == nodes.feature[i] && node.threshold == nodes.threshold[i]
            }
            let value = Array(tree.nodeProbabilities[(i * k)..<(i * k + k)])
            same = same && zip(value, nodes.value[i]).allSatisfy { close($0, $1, exact: exact) }
            if !same {
                return "node \(i): Learning x[\(node.feature)] <= \(node.threshold) n=\(node.sampleCount) w=\(node.weightedSampleCount) imp=\(node.impurity) value=\(value); scikit-learn x[\(nodes.feature[i])] <= \(nodes.threshold[i]) n=\(nodes.samples[i]) w=\(nodes.weighted[i]) imp=\(nodes.impurity[i]) value=\(nodes.value[i])"
            }
        }
        return nil
    }

    static func rowsClose(_ a: [[Double]], _ b: [[Double]], exact: Bool) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.count == $1.count && zip($0, $1).allSatisfy { close($0, $1, exact: exact) } }
    }
}

@Suite struct WeightsParityTests {
    @Test func fixturesRecordTheirVersions() {
        #expect(WeightFixtures.file.versions["scikit-learn"] == "1.9.1")
        #expect(WeightFixtures.file.versions["numpy"] != nil)
    }

    @Test(arguments: WeightFixtures.file.trees)
    func treeMatchesScikitLearn(_ c: WeightFixtures.TreeCase) throws {
        let data = try Toolkit.dataset(c.dataset)
        var model = DecisionTreeClassifier(
            criterion: c.params.criterion == "entropy" ? .entropy : .gini, maxDepth: c.params.maxDepth,
            minSamplesLeaf: c.params.minSamplesLeaf ?? 1, minWeightFractionLeaf: c.params.minWeightFractionLeaf ?? 0,
            maxFeatures: WeightFixtures.maxFeatures(c.params.maxFeatures, default: .all),
            classWeight: c.classWeight.value, randomState: c.params.randomState)
        try model.fit(data.x, data.y, sampleWeight: c.sampleWeight)
        let tree = try #require(model.tree)
        let difference = WeightFixtures.difference(tree, c.nodes, exact: c.exact)
        #expect(difference == nil, "\(c.name): \(difference ?? "")")
        #expect(WeightFixtures.rowsClose(try model.predictProba(data.x), c.proba, exact: c.exact))
        #expect(try model.predict(data.x) == c.predict)
        #expect(WeightFixtures.rowsClose([model.featureImportances], [c.importances], exact: c.exact))
    }

    @Test(arguments: WeightFixtures.file.forests)
    func forestMatchesScikitLearn(_ c: WeightFixtures.ForestCase) throws {
        let data = try Toolkit.dataset(c.dataset)
        var model = RandomForestClassifier(
            nEstimators: c.params.nEstimators ?? 100, bootstrap: c.params.bootstrap ?? true,
            oobScore: c.params.oobScore ?? false, randomState: c.params.randomState, nJobs: 2,
            minWeightFractionLeaf: c.params.minWeightFractionLeaf ?? 0, classWeight: c.classWeight.value)
        try model.fit(data.x, data.y, sampleWeight: c.sampleWeight)
        #expect(model.treeNodeCounts == c.nodeCounts)
        let difference = WeightFixtures.difference(model.estimators[0], c.firstTree, exact: c.exact)
        #expect(difference == nil, "\(c.name): \(difference ?? "")")
        #expect(WeightFixtures.rowsClose(try model.predictProba(data.x), c.proba, exact: c.exact))
        #expect(try model.predict(data.x) == c.predict)
        #expect(WeightFixtures.rowsClose([model.featureImportances], [c.importances], exact: c.exact))
        #expect(model.oobScore == c.oobScore)
    }

    @Test func classAndSampleWeightHelpersMatchScikitLearn() throws {
        let h = WeightFixtures.file.helpers
        let classes = Array(Set(h.y)).sorted()
        #expect(try computeClassWeight(.balanced, classes: classes, y: h.y) == h.balanced)
        #expect(try computeClassWeight(.balanced, classes: classes, y: h.y, sampleWeight: h.sampleWeight) == h.balancedWeighted)
        #expect(try computeSampleWeight(.balanced, y: h.y) == h.sampleBalanced)
        #expect(try computeSampleWeight(.weights([2: 0.5, 5: 3.0]), y: h.y) == h.sampleDict)
        #expect(try computeSampleWeight(.balanced, y: h.y, indices: h.indices.filter { $0 % 7 != 0 }) == h.sampleSubsample)
    }
}

@Suite struct WeightsTests {
    static let x: [[Double]] = [[0], [1], [2], [3], [4], [5]]
    static let y = [0, 0, 0, 1, 1, 1]

    /// A weight of 2 counts a row twice: the tree equals the one fitted on the row repeated.
    @Test func wholeWeightsEqualRepeatedRows() throws {
        var weighted = DecisionTreeClassifier(randomState: 0)
        try weighted.fit([[0], [1], [2], [3]], [0, 1, 1, 0], sampleWeight: [2, 1, 1, 3])
        var repeated = DecisionTreeClassifier(randomState: 0)
        try repeated.fit([[0], [0], [1], [2], [3], [3], [3]], [0, 0, 1, 1, 0, 0, 0])
        #expect(weighted.nodes.map(\.threshold) == repeated.nodes.map(\.threshold))
        #expect(try weighted.predictProba([[0], [1.5], [3]]) == repeated.predictProba([[0], [1.5], [3]]))
    }

    /// Rows of weight 0 are left out (scikit-learn keeps `sample_weight != 0`).
    @Test func zeroWeightRowsAreLeftOut() throws {
        var tree = DecisionTreeClassifier(randomState: 0)
        try tree.fit(Self.x, [0, 0, 1, 1, 1, 0], sampleWeight: [1, 1, 1, 1, 1, 0])
        #expect(tree.nodes[0].sampleCount == 5)
        #expect(try tree.predict([[5]]) == [1])
    }

    /// A class weight of 3 on class 1 turns a 2-against-1 leaf into a class-1 leaf.
    @Test func classWeightTipsAMixedLeaf() throws {
        let x: [[Double]] = [[0], [0], [0]], y = [0, 0, 1]
        var plain = DecisionTreeClassifier(randomState: 0)
        try plain.fit(x, y)
        var weighted = DecisionTreeClassifier(classWeight: .weights([1: 3]), randomState: 0)
        try weighted.fit(x, y)
        #expect(try plain.predictProba([[0]]) == [[2.0 / 3.0, 1.0 / 3.0]])
        #expect(try weighted.predictProba([[0]]) == [[0.4, 0.6]])
        #expect(try weighted.predict([[0]]) == [1])
    }

    /// With bootstrap, weights are drawing probabilities: a row of weight 0 is never drawn, so every tree
    /// sees only the other rows (scikit-learn 1.9's `choice(p=w / Σw)`), and a class-weight preset with a
    /// warm start warns as scikit-learn does.
    @Test func forestDrawsRowsByWeight() throws {
        let x: [[Double]] = (0..<40).map { [Double($0)] }, y = (0..<40).map { $0 % 2 }
        var forest = RandomForestClassifier(nEstimators: 5, warmStart: true, randomState: 0, nJobs: 1, classWeight: .balanced)
        try forest.fit(x, y, sampleWeight: (0..<40).map { $0 < 20 ? 0 : 1 })
        #expect(forest.estimators.allSatisfy { $0.nodes[0].sampleCount <= 20 && $0.nodes[0].weightedSampleCount == 40 })
        #expect(forest.fitWarnings.map { String($0.message.prefix(37)) } == ["class_weight presets \"balanced\" or \"b"])
    }

    @Test func badWeightsThrowClearErrors() throws {
        var tree = DecisionTreeClassifier(randomState: 0)
        #expect(throws: LearningError.invalidParameter(
            "sampleWeight has 2 values but there are 6 rows; give one weight per row.")) {
            try tree.fit(Self.x, Self.y, sampleWeight: [1, 2])
        }
        #expect(throws: LearningError.invalidParameter("Sample weights must contain at least one non-zero number.")) {
            try tree.fit(Self.x, Self.y, sampleWeight: [0, 0, 0, 0, 0, 0])
        }
        #expect(throws: LearningError.invalidParameter(
            "sampleWeight[1] is nan; sample weights must be finite numbers.")) {
            try tree.fit(Self.x, Self.y, sampleWeight: [1, .nan, 1, 1, 1, 1])
        }
        var subsample = DecisionTreeClassifier(classWeight: .balancedSubsample, randomState: 0)
        #expect(throws: LearningError.self) { try subsample.fit(Self.x, Self.y) }
        var unknown = DecisionTreeClassifier(classWeight: .weights([0: 2, 7: 1]), randomState: 0)
        #expect(throws: LearningError.self) { try unknown.fit(Self.x, Self.y) }
        var forest = RandomForestClassifier(nEstimators: 2, randomState: 0)
        #expect(throws: LearningError.self) { try forest.fit(Self.x, Self.y, sampleWeight: [1, -1, 1, 1, 1, 1]) }
        var fraction = DecisionTreeClassifier(minWeightFractionLeaf: 0.6)
        #expect(throws: LearningError.invalidParameter("minWeightFractionLeaf (0.6) must be between 0 and 0.5.")) {
            try fraction.fit(Self.x, Self.y)
        }
    }
}
