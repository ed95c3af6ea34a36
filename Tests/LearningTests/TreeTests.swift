import Foundation
import Testing
@testable import Learning

/// Loads the scikit-learn datasets exported to `Fixtures/datasets/*.csv` (header row, last column `target`).
enum ModelFixtures {
    static func dataset(_ name: String) throws -> Dataset {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw LearningError.emptyData("The Fixtures folder is missing from the test bundle.")
        }
        let text = try String(contentsOf: base.appendingPathComponent("datasets/\(name).csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        var features: [[Double]] = [], labels: [Int] = []
        for line in lines {
            let cells = line.split(separator: ",").map(String.init)
            features.append(cells.dropLast().compactMap(Double.init))
            labels.append(Int(cells.last ?? "") ?? -1)
        }
        return Dataset(featureNames: header.split(separator: ",").dropLast().map(String.init), features: features,
                       labels: labels)
    }

    /// A shuffled train/test split of a fixture (75 % / 25 %), independent of the Split module.
    static func split(_ data: Dataset, seed: UInt32) -> (train: Dataset, test: Dataset) {
        var rng = NumPyRandom(seed: seed)
        let order = rng.permutation(data.count)
        let cut = data.count * 3 / 4
        let pick = { (indices: ArraySlice<Int>) in
            Dataset(featureNames: data.featureNames, features: indices.map { data.features[$0] },
                    labels: indices.map { data.labels[$0] })
        }
        return (pick(order[..<cut]), pick(order[cut...]))
    }
}

// scikit-learn's test_tree.py toy data.
private let toyX: [[Double]] = [[-2, -1], [-1, -1], [-1, -2], [1, 1], [1, 2], [2, 1]]
private let toyY = [-1, -1, -1, 1, 1, 1]
private let toyT: [[Double]] = [[-1, -1], [2, 2], [3, 2]]
private let toyTrue = [-1, 1, 1]

@Suite struct TreeTests {
    @Test(arguments: Criterion.allCases)
    func classifiesToyData(_ criterion: Criterion) throws {
        var tree = DecisionTreeClassifier(criterion: criterion, randomState: 0)
        try tree.fit(toyX, toyY)
        #expect(try tree.predict(toyT) == toyTrue)
        #expect(tree.classes == [-1, 1])
        #expect(tree.depth == 1)
        #expect(tree.leafCount == 2)
        #expect(tree.nodeCount == 3)
        #expect(try tree.predictProba(toyT) == [[1, 0], [0, 1], [0, 1]])
    }

    @Test func learnsXOR() throws {
        var x: [[Double]] = [], y: [Int] = []
        for i in 0..<10 {
            for j in 0..<10 {
                x.append([Double(i), Double(j)])
                y.append((i < 5) != (j < 5) ? 1 : 0)
            }
        }
        for criterion in Criterion.allCases {
            var tree = DecisionTreeClassifier(criterion: criterion, randomState: 0)
            try tree.fit(x, y)
            let score = try accuracyScore(y, tree.predict(x))
            #expect(score == 1.0, "XOR with \(criterion): accuracy \(score)")
        }
    }

    @Test func pureSetIsOneLeaf() throws {
        var tree = DecisionTreeClassifier(randomState: 0)
        try tree.fit(toyX, [1, 1, 1, 1, 1, 1])
        #expect(tree.nodeCount == 1)
        #expect(tree.depth == 0)
        #expect(try tree.predict(toyT) == [1, 1, 1])
        #expect(tree.featureImportances == [0, 0])
        #expect(try tree.exportText() == "|--- class: 1\n")
    }

    @Test(arguments: Criterion.allCases)
    func irisAboveNinety(_ criterion: Criterion) throws {
        let (train, test) = ModelFixtures.split(try ModelFixtures.dataset("iris"), seed: 3)
        var tree = DecisionTreeClassifier(criterion: criterion, randomState: 0)
        try tree.fit(train.x, train.y)
        let score = try accuracyScore(test.y, tree.predict(test.x))
        #expect(score > 0.9, "Failed with criterion \(criterion) and score = \(score)")
        // A fully grown tree fits its training data exactly (iris has no duplicate rows with different labels).
        #expect(try accuracyScore(train.y, tree.predict(train.x)) == 1.0)
    }

    @Test func irisRootSplitAndDump() throws {
        let iris = try ModelFixtures.dataset("iris")
        var tree = DecisionTreeClassifier(maxDepth: 1, randomState: 0)
        try tree.fit(iris.x, iris.y)
        let root = try #require(tree.nodes.first)
        #expect(abs(root.impurity - 2.0 / 3.0) < 1e-12)
        #expect(root.sampleCount == 150)
        // Both petal features separate setosa perfectly; either is a correct root.
        #expect([2, 3].contains(root.feature))
        #expect(tree.nodes[1].impurity == 0)
        #expect(tree.nodes[1].sampleCount == 50)
        let dump = try #require(tree.tree).dump()
        #expect(dump.hasPrefix("node 0: x[\(root.feature)] <= \(root.feature == 2 ? "2.45" : "0.80") gini=0.667 n=150\n"))
        #expect(dump.contains("  node 1: leaf class=0 gini=0.000 n=50 value=[50, 0, 0]"))
        let text = try tree.exportText(featureNames: iris.featureNames)
        let name = iris.featureNames[root.feature]
        #expect(text.hasPrefix("|--- \(name) <= "))
        #expect(text.contains("|   |--- class: 0\n"))
        #expect(text.contains("|--- \(name) >  "))
    }

    @Test func sameSeedSameTreeDifferentSeedDifferentTree() throws {
        let data = try Datasets.noisyLinear(samples: 400, labelNoise: 0.1, randomState: 1)
        func dump(_ seed: Int) throws -> String {
            var tree = DecisionTreeClassifier(maxFeatures: .count(1), randomState: seed)
            try tree.fit(data.x, data.y)
            return try #require(tree.tree).dump()
        }
        #expect(try dump(7) == dump(7))
        #expect(try dump(7) != dump(8))
    }

    @Test func limitsAreRespected() throws {
        let data = try Datasets.noisyLinear(samples: 500, labelNoise: 0.2, randomState: 2)
        var tree = DecisionTreeClassifier(maxDepth: 3, randomState: 0)
        try tree.fit(data.x, data.y)
        #expect(tree.depth <= 3)
        #expect(tree.leafCount <= 8)

        var leafy = DecisionTreeClassifier(minSamplesLeaf: 20, randomState: 0)
        try leafy.fit(data.x, data.y)
        #expect(leafy.nodes.filter(\.isLeaf).allSatisfy { $0.sampleCount >= 20 })

        var splitty = DecisionTreeClassifier(minSamplesSplit: 50, randomState: 0)
        try splitty.fit(data.x, data.y)
        #expect(splitty.nodes.filter { !$0.isLeaf }.allSatisfy { $0.sampleCount >= 50 })
        let full = try DecisionTreeClassifier.fitted(data)
        #expect(leafy.nodeCount < full.nodeCount)
    }

    @Test func importancesFavourTheInformativeFeature() throws {
        // Only feature 1 matters; features 0 and 2 are noise.
        var rng = NumPyRandom(seed: UInt32(4))
        let x = (0..<300).map { _ in [rng.standardNormal(), rng.standardNormal(), rng.standardNormal()] }
        let y = x.map { $0[1] > 0.3 ? 1 : 0 }
        var tree = DecisionTreeClassifier(randomState: 0)
        try tree.fit(x, y)
        let importances = tree.featureImportances
        #expect(abs(importances.reduce(0, +) - 1) < 1e-12)
        #expect(importances == [0, 1, 0])
        #expect(tree.nodeCount == 3)
    }

    @Test func criterionFormulas() {
        #expect(abs(Criterion.gini.impurity([7, 3]) - 0.42) < 1e-12)
        #expect(abs(Criterion.entropy.impurity([1, 1]) - 1.0) < 1e-12)
        #expect(Criterion.gini.impurity([5, 0]) == 0)
        #expect(abs(Criterion.entropy.impurity([1, 1, 1, 1]) - 2.0) < 1e-12)
    }

    @Test func maxFeaturesResolve() throws {
        #expect(try MaxFeatures.sqrt.resolve(featureCount: 64) == 8)
        #expect(try MaxFeatures.log2.resolve(featureCount: 64) == 6)
        #expect(try MaxFeatures.fraction(0.5).resolve(featureCount: 5) == 2)
        #expect(try MaxFeatures.count(3).resolve(featureCount: 5) == 3)
        #expect(try MaxFeatures.all.resolve(featureCount: 5) == 5)
        #expect(throws: LearningError.self) { try MaxFeatures.count(6).resolve(featureCount: 5) }
        #expect(throws: LearningError.self) { try MaxFeatures.fraction(0).resolve(featureCount: 5) }
    }

    @Test func errorsAreSentences() throws {
        var tree = DecisionTreeClassifier(randomState: 0)
        #expect(throws: LearningError.notFitted(
            "This DecisionTreeClassifier is not fitted yet; call fit(x, y) before predicting.")) {
            try tree.predict(toyT)
        }
        #expect(throws: LearningError.labelCountMismatch(labels: 5, samples: 6)) { try tree.fit(toyX, [1, 1, 1, 1, 1]) }
        #expect(throws: LearningError.raggedRows(row: 1, count: 1, expected: 2)) { try tree.fit([[1, 2], [3]], [0, 1]) }
        do {
            try tree.fit([[1, 2], [3, .nan]], [0, 1])
            Issue.record("NaN was accepted")
        } catch let error as LearningError {
            #expect(error.description == "Row 1, column 1 holds nan; the models need finite numbers (no NaN or infinity).")
        }
        #expect(throws: LearningError.self) { try tree.fit([], []) }
        #expect(throws: LearningError.self) { try tree.fit([[], []], [0, 1]) }
        try tree.fit(toyX, toyY)
        #expect(throws: LearningError.featureCountMismatch(expected: 2, got: 3)) { try tree.predict([[1, 2, 3]]) }
        var bad = DecisionTreeClassifier(maxDepth: 0, randomState: 0)
        #expect(throws: LearningError.invalidParameter("maxDepth (0) must be at least 1, or nil for no limit.")) {
            try bad.fit(toyX, toyY)
        }
        bad = DecisionTreeClassifier(minSamplesSplit: 1, randomState: 0)
        #expect(throws: LearningError.self) { try bad.fit(toyX, toyY) }
        bad = DecisionTreeClassifier(randomState: -1)
        #expect(throws: LearningError.self) { try bad.fit(toyX, toyY) }
    }

    @Test func childrenFollowParentsDepthFirst() throws {
        let data = try Datasets.noisyLinear(samples: 300, randomState: 5)
        let tree = try #require(DecisionTreeClassifier.fitted(data).tree)
        for (i, node) in tree.nodes.enumerated() where !node.isLeaf {
            #expect(node.left == i + 1)
            #expect(node.right > node.left)
            #expect(tree.nodes[node.left].depth == node.depth + 1)
            #expect(tree.nodes[node.left].sampleCount + tree.nodes[node.right].sampleCount == node.sampleCount)
        }
    }
}

/// A fully grown scikit-learn tree from `Fixtures/trees.json` (see `make_model_fixtures.py`).
struct SklearnTree: Decodable, CustomTestStringConvertible {
    let dataset: String
    let criterion: String
    let nodeCount: Int
    let depth: Int
    let leafCount: Int
    let rootImpurity: Double
    let featureImportances: [Double]

    var testDescription: String { "\(dataset) \(criterion)" }

    static func all() throws -> [SklearnTree] {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        struct File: Decodable { let trees: [SklearnTree] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: base.appendingPathComponent("trees.json"))).trees
    }
}

@Suite struct TreeAgainstScikitLearnTests {
    /// Fully grown trees (every feature tried, in scikit-learn's random order) are scikit-learn's: the same
    /// shape and the same importances (see also `TreeParityTests` for node-by-node identity).
    @Test(arguments: try SklearnTree.all())
    func fullyGrownTreeHasScikitLearnsShape(_ reference: SklearnTree) throws {
        let data = try ModelFixtures.dataset(reference.dataset)
        let criterion = try #require(Criterion(rawValue: reference.criterion))
        var tree = DecisionTreeClassifier(criterion: criterion, randomState: 0)
        try tree.fit(data.x, data.y)
        #expect(tree.nodeCount == reference.nodeCount)
        #expect(tree.leafCount == reference.leafCount)
        #expect(tree.depth == reference.depth)
        #expect(tree.nodes[0].impurity == reference.rootImpurity)
        #expect(zip(tree.featureImportances, reference.featureImportances).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(try accuracyScore(data.y, tree.predict(data.x)) == 1.0)
    }
}

extension DecisionTreeClassifier {
    /// A default tree fitted on a data set (seed 0).
    static func fitted(_ data: Dataset) throws -> DecisionTreeClassifier {
        var tree = DecisionTreeClassifier(randomState: 0)
        try tree.fit(data.x, data.y)
        return tree
    }
}
