import Foundation
import Testing
@testable import Learning

/// scikit-learn's trees and forests, recorded by `Fixtures/make_parity_fixtures.py` into `Fixtures/parity`
/// (versions in `parity/versions.json`). A tree's digest is FNV-1a over a canonical text of its nodes with
/// every float as the hex of its bits, so equal digests mean equal trees bit for bit.
enum Parity {
    struct Nodes: Decodable {
        let left: [Int], right: [Int], feature: [Int], threshold: [Double], samples: [Int]
        let weighted: [Double], impurity: [Double]
        let value: [[Double]]?
    }

    struct ForestCase: Decodable, CustomTestStringConvertible {
        let dataset: String, seed: Int, train: [Int], test: [Int]
        let nodeCounts: [Int], digests: [String]
        let firstTree: Nodes?
        let proba: [[Double]], predict: [Int], importances: [Double]
        var testDescription: String { "forest \(dataset) seed \(seed)" }
    }

    struct Params: Decodable {
        let criterion: String
        let max_depth: Int?
        let min_samples_leaf: Int?
        let min_samples_split: Int?
        let max_features: MaxFeaturesValue?
    }

    enum MaxFeaturesValue: Decodable {
        case name(String), count(Int), fraction(Double)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .name(s) }
            else if let i = try? c.decode(Int.self) { self = .count(i) }
            else { self = .fraction(try c.decode(Double.self)) }
        }
        var maxFeatures: MaxFeatures {
            switch self {
            case let .name(s): s == "sqrt" ? .sqrt : .log2
            case let .count(k): .count(k)
            case let .fraction(f): .fraction(f)
            }
        }
    }

    struct TreeCase: Decodable, CustomTestStringConvertible {
        let dataset: String, seed: Int, params: Params, train: [Int], test: [Int]
        let digest: String, nodes: Nodes?, probaDigest: String, predict: [Int], importances: [Double]
        var testDescription: String {
            "tree \(dataset) seed \(seed) \(params.criterion) depth \(params.max_depth.map(String.init) ?? "-") "
                + "leaf \(params.min_samples_leaf ?? 1) split \(params.min_samples_split ?? 2) features \(String(describing: params.max_features))"
        }
        var parameters: DecisionTree.Parameters {
            .init(criterion: Criterion(rawValue: params.criterion)!, maxDepth: params.max_depth,
                  minSamplesSplit: params.min_samples_split ?? 2, minSamplesLeaf: params.min_samples_leaf ?? 1,
                  maxFeatures: params.max_features?.maxFeatures ?? .all)
        }
    }

    struct Tutorial: Decodable {
        let initialAccuracy: Double
        let rounds: [[Double]]
        let digests: [String]
        let proba: [[Double]]
        let importances: [Double]
    }

    static let datasets = ["iris", "wine", "breast_cancer", "digits", "near_equal"]

    static func url(_ name: String) throws -> URL {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw LearningError.emptyData("The Fixtures folder is missing from the test bundle.")
        }
        return base.appendingPathComponent(name)
    }

    static func forestCases() throws -> [ForestCase] {
        struct File: Decodable { let cases: [ForestCase] }
        return try datasets.flatMap {
            try JSONDecoder().decode(File.self, from: Data(contentsOf: url("parity/forest_\($0).json"))).cases
        }
    }

    static func treeCases() throws -> [TreeCase] {
        struct File: Decodable { let cases: [TreeCase] }
        return try datasets.flatMap {
            try JSONDecoder().decode(File.self, from: Data(contentsOf: url("parity/trees_\($0).json"))).cases
        }
    }

    static func tutorial() throws -> Tutorial {
        try JSONDecoder().decode(Tutorial.self, from: Data(contentsOf: url("parity/tutorial.json")))
    }

    static func bits(_ x: Double) -> String {
        let hex = String(x.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func fnv1a(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The canonical text of `make_parity_fixtures.py`'s `canonical`.
    static func canonical(_ tree: DecisionTree) -> String {
        tree.nodes.enumerated().map { i, node in
            ([String(node.left), String(node.right), String(node.feature), bits(node.isLeaf ? 0 : node.threshold),
              String(node.sampleCount), bits(node.weightedSampleCount), bits(node.impurity)]
                + tree.probabilities(ofNode: i).map(bits)).joined(separator: ",")
        }.joined(separator: ";")
    }

    static func probaDigest(_ proba: [[Double]]) -> String {
        fnv1a(proba.map { $0.map(bits).joined(separator: ",") }.joined(separator: ";"))
    }

    static func data(_ name: String) throws -> Dataset { try ModelFixtures.dataset(name) }

    /// Where two node lists first differ, for a readable failure.
    static func firstDifference(_ tree: DecisionTree, _ nodes: Nodes) -> String? {
        for i in 0..<min(tree.nodeCount, nodes.left.count) {
            let n = tree.nodes[i]
            let mine = "\(n.feature) \(n.isLeaf ? 0 : n.threshold) n=\(n.sampleCount) w=\(n.weightedSampleCount) imp=\(n.impurity)"
            let theirs = "\(nodes.feature[i]) \(nodes.threshold[i]) n=\(nodes.samples[i]) w=\(nodes.weighted[i]) imp=\(nodes.impurity[i])"
            if mine != theirs { return "node \(i): Learning \(mine), scikit-learn \(theirs)" }
        }
        return tree.nodeCount == nodes.left.count ? nil : "node counts \(tree.nodeCount) vs \(nodes.left.count)"
    }
}

@Suite struct ForestParityTests {
    /// Every tree of a 100-tree forest equals scikit-learn's bit for bit, and so do `predict_proba` on the
    /// held-out rows (max abs difference 0), `predict`, and `feature_importances_` (to 1e-12).
    @Test(arguments: try Parity.forestCases())
    func forestEqualsScikitLearn(_ reference: Parity.ForestCase) throws {
        let data = try Parity.data(reference.dataset)
        let train = try data.rows(reference.train), test = try data.rows(reference.test)
        var forest = RandomForestClassifier(nEstimators: 100, randomState: reference.seed, nJobs: 2)
        try forest.fit(train.features, train.labels)
        #expect(forest.treeNodeCounts == reference.nodeCounts)
        if let first = reference.firstTree, let difference = Parity.firstDifference(forest.estimators[0], first) {
            Issue.record("first tree differs at \(difference)")
        }
        let digests = forest.estimators.map { Parity.fnv1a(Parity.canonical($0)) }
        let differing = zip(digests, reference.digests).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "trees differing from scikit-learn's: \(differing)")
        let proba = try forest.predictProba(test.features)
        let maxDifference = zip(proba, reference.proba).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
        #expect(maxDifference == 0)
        #expect(try forest.predict(test.features) == reference.predict)
        let importances = forest.featureImportances
        #expect(zip(importances, reference.importances).allSatisfy { abs($0 - $1) <= 1e-12 })
    }

    /// The tutorial's forest (sample_data.csv, split and forest seeded 42) is scikit-learn's, and its main
    /// program's five printed numbers are the Python original's: 0.55 → 9 wrong → 0.60 → 8 wrong → 0.55.
    @Test func tutorialProgramPrintsTheOriginalsNumbers() throws {
        let reference = try Parity.tutorial()
        let table = try Table.readCSV(try Parity.url("sample_data.csv").path)
        let x = try table.selecting(columns: ["feature1", "feature2", "feature3"]).rows
        let y = try #require(table.labels)
        let split = try trainTestSplit(x, y, testSize: 0.2, randomState: 42)
        var forest = RandomForestClassifier(nEstimators: 100, randomState: 42)
        try forest.fit(split.xTrain, split.yTrain)
        #expect(forest.estimators.map { Parity.fnv1a(Parity.canonical($0)) } == reference.digests)
        #expect(try forest.predictProba(split.xTest) == reference.proba)
        #expect(zip(forest.featureImportances, reference.importances).allSatisfy { abs($0 - $1) <= 1e-12 })

        let model = SimpleAI()
        try model.train(split.xTrain, split.yTrain)
        #expect(try model.getAccuracy(split.xTest, split.yTest) == reference.initialAccuracy)
        for round in reference.rounds {
            let predictions = try model.predict(split.xTest)
            #expect(try accuracyScore(split.yTest, predictions) == round[0])
            let wrong = predictions.indices.filter { predictions[$0] != split.yTest[$0] }
            #expect(Double(wrong.count) == round[1])
            try model.updateModel(wrong.map { split.xTest[$0] }, wrong.map { split.yTest[$0] })
            #expect(try model.getAccuracy(split.xTest, split.yTest) == round[2])
        }
        #expect(reference.initialAccuracy == 0.55 && reference.rounds == [[0.55, 9, 0.6], [0.6, 8, 0.55]])
    }
}

@Suite struct TreeParityTests {
    /// A single `DecisionTreeClassifier` (gini and entropy; `max_depth`, `min_samples_leaf`,
    /// `min_samples_split`, `max_features` variants) equals scikit-learn's bit for bit.
    @Test(arguments: try Parity.treeCases())
    func treeEqualsScikitLearn(_ reference: Parity.TreeCase) throws {
        let data = try Parity.data(reference.dataset)
        let train = try data.rows(reference.train), test = try data.rows(reference.test)
        var rng = try NumPyRandom(seed: reference.seed)
        let tree = try DecisionTree.fit(train.features, train.labels, parameters: reference.parameters, using: &rng)
        if let nodes = reference.nodes, let difference = Parity.firstDifference(tree, nodes) {
            Issue.record("tree differs at \(difference)")
        }
        #expect(Parity.fnv1a(Parity.canonical(tree)) == reference.digest)
        #expect(Parity.probaDigest(try tree.predictProba(test.features)) == reference.probaDigest)
        #expect(try tree.predict(test.features) == reference.predict)
        #expect(zip(tree.featureImportances, reference.importances).allSatisfy { abs($0 - $1) <= 1e-12 })
    }
}

/// scikit-learn's warnings and small cases, from `parity/behaviours.json`.
struct Behaviours: Decodable {
    struct Warning: Decodable, Equatable { let category: String, message: String }
    struct OOB: Decodable { let trees: Int, seed: Int, score: Double, warnings: [Warning] }
    struct PRF: Decodable {
        let yTrue: [Int], yPred: [Int], labels: [Int]?, zeroDivision: String
        let precision: [Double?], recall: [Double?], f1: [Double?], support: [Int], warnings: [Warning]
    }
    struct Confusion: Decodable { let yTrue: [Int], yPred: [Int], labels: [Int], counts: [[Int]]?, error: String? }
    let oob: [OOB], prf: [PRF], confusion: [Confusion]
    let nearEqualNodeCount: Int, midpointThreshold: Double, midpointPredict: [Int]

    static func load() throws -> Behaviours {
        try JSONDecoder().decode(Behaviours.self, from: Data(contentsOf: Parity.url("parity/behaviours.json")))
    }
}

extension LearningWarning {
    var asFixture: Behaviours.Warning { .init(category: category.rawValue, message: message) }
}

@Suite struct BehaviourParityTests {
    /// The OOB score counts rows no tree left out as the first class and warns, as scikit-learn does.
    @Test func oobScoreAndWarningEqualScikitLearn() throws {
        let data = try Parity.data("iris")
        for reference in try Behaviours.load().oob {
            var forest = RandomForestClassifier(nEstimators: reference.trees, oobScore: true, randomState: reference.seed)
            let (_, warnings) = try LearningWarnings.collecting { try forest.fit(data.features, data.labels) }
            #expect(forest.oobScore == reference.score, "\(reference.trees) trees, seed \(reference.seed)")
            #expect(warnings.map(\.asFixture) == reference.warnings)
            #expect(forest.fitWarnings.map(\.asFixture) == reference.warnings)
        }
    }

    /// `zeroDivision` gives scikit-learn's values and, for `.warn`, its warnings word for word.
    @Test func zeroDivisionEqualsScikitLearn() throws {
        for reference in try Behaviours.load().prf {
            let zeroDivision: ZeroDivision = switch reference.zeroDivision {
            case "warn": .warn
            case "0": .zero
            case "1": .one
            default: .nan
            }
            let (scores, warnings) = try LearningWarnings.collecting {
                try precisionRecallFScoreSupport(reference.yTrue, reference.yPred, labels: reference.labels,
                                                 zeroDivision: zeroDivision)
            }
            let describe = "\(reference.yTrue) \(reference.yPred) \(String(describing: reference.labels)) \(reference.zeroDivision)"
            func same(_ mine: [Double], _ theirs: [Double?]) -> Bool {
                mine.count == theirs.count && zip(mine, theirs).allSatisfy { $1 == nil ? $0.isNaN : $0 == $1 }
            }
            #expect(same(scores.precision, reference.precision), "\(describe)")
            #expect(same(scores.recall, reference.recall), "\(describe)")
            #expect(same(scores.f1, reference.f1), "\(describe)")
            #expect(scores.support == reference.support)
            #expect(warnings.map(\.asFixture) == reference.warnings, "\(describe)")
            #expect(scores.warnings == warnings)
        }
    }

    /// `confusionMatrix(labels:)` accepts labels absent from yTrue while one is present, and throws when
    /// none is, as scikit-learn does.
    @Test func confusionMatrixLabelsAsScikitLearn() throws {
        for reference in try Behaviours.load().confusion {
            if let counts = reference.counts {
                #expect(try confusionMatrix(reference.yTrue, reference.yPred, labels: reference.labels).counts == counts)
            } else {
                #expect(reference.error == "At least one label specified must be in y_true")
                #expect(throws: LearningError.invalidParameter(
                    "At least one label specified must be in y_true: none of labels \(reference.labels) occurs in yTrue.")) {
                    try confusionMatrix(reference.yTrue, reference.yPred, labels: reference.labels)
                }
            }
        }
    }

    /// Values within 1e-7 are one value (float32 and FEATURE_THRESHOLD); thresholds are midpoints of
    /// float32 values in float64, and predictions compare float32 inputs with them.
    @Test func float32AndFeatureThreshold() throws {
        let reference = try Behaviours.load()
        var near = DecisionTreeClassifier(randomState: 0)
        try near.fit([[0], [1e-9]], [0, 1])
        #expect(near.nodeCount == reference.nearEqualNodeCount)
        #expect(near.nodeCount == 1)
        var mid = DecisionTreeClassifier(randomState: 0)
        try mid.fit([[0.1], [0.2]], [0, 1])
        #expect(mid.nodes[0].threshold == reference.midpointThreshold)
        #expect(mid.nodes[0].threshold == 0.15000000223517418)
        #expect(try mid.predict([[0.1499999999], [0.15], [0.15000000223517418], [0.1500000023]]) == reference.midpointPredict)
        #expect(throws: LearningError.self) { try mid.fit([[1e39], [0]], [0, 1]) }
    }

    /// The splitter's generator is scikit-learn's `our_rand_r` (a 32-bit xorshift).
    @Test func ourRandRIsScikitLearns() {
        var state: UInt32 = 0
        #expect(ourRandR(&state) == 270_369)  // seed 0 becomes 1: 1 ^ 1<<13 = 8193; ^ >>17 = 8193; ^ <<5 = 270369
        var other: UInt32 = 12345
        let first = ourRandR(&other)
        var x: UInt32 = 12345
        x ^= x << 13; x ^= x >> 17; x ^= x << 5
        #expect(first == x & 0x7FFF_FFFF)
    }
}
