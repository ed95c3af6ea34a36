import Foundation
import Testing
@testable import Learning

/// Every estimator saves to JSON and loads back equal, predicting the same bits, fitted or not; a file
/// from another format version or for another model fails with a sentence saying so.
@Suite struct SavedModelTests {
    static func roundTrip<M: Codable>(_ model: M) throws -> M {
        try JSONDecoder().decode(M.self, from: JSONEncoder().encode(model))
    }

    static func wine() throws -> (x: [[Double]], y: [Int]) { try Toolkit.dataset("wine") }

    /// Fits, saves, reloads, and checks the reloaded model equals the original and predicts the same.
    func check<M: Classifier & Codable & Equatable>(_ model: M, on data: (x: [[Double]], y: [Int])) throws {
        var fitted = model
        try fitted.fit(data.x, data.y)
        let loaded = try Self.roundTrip(fitted)
        #expect(loaded == fitted)
        #expect(try loaded.predict(data.x) == fitted.predict(data.x))
        #expect(try loaded.predictProba(data.x) == fitted.predictProba(data.x))
        #expect(loaded.classes == fitted.classes)

        // Unfitted: the parameters come back, and the loaded model fits to the same result.
        let blank = try Self.roundTrip(model)
        #expect(blank == model)
        #expect(blank.classes.isEmpty)
        #expect(throws: LearningError.self) { try blank.predict(data.x) }
        var refitted = blank
        try refitted.fit(data.x, data.y)
        #expect(try refitted.predictProba(data.x) == fitted.predictProba(data.x))
    }

    @Test func decisionTreeClassifier() throws {
        try check(DecisionTreeClassifier(maxDepth: 5, minWeightFractionLeaf: 0.01, classWeight: .balanced, randomState: 3),
                  on: Self.wine())
    }

    @Test func randomForestClassifier() throws {
        try check(RandomForestClassifier(nEstimators: 12, oobScore: true, randomState: 7, nJobs: 1,
                                         classWeight: .balancedSubsample), on: Self.wine())
    }

    @Test func dummyClassifier() throws {
        for strategy in DummyClassifier.Strategy.allCases {
            try check(DummyClassifier(strategy: strategy, randomState: 5), on: Self.wine())
        }
    }

    @Test func kNeighborsClassifier() throws {
        try check(KNeighborsClassifier(nNeighbors: 4, weights: .distance, p: 1), on: Self.wine())
    }

    @Test func logisticRegression() throws {
        let data = try Self.wine()
        // Standardised, as the logistic parity fixtures are, so Newton's method converges quickly.
        let columns = data.x[0].indices.map { j in data.x.map { $0[j] } }
        let means = columns.map { $0.reduce(0, +) / Double($0.count) }
        let scales = zip(columns, means).map { column, mean in
            (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
        }
        let x = data.x.map { row in row.indices.map { (row[$0] - means[$0]) / scales[$0] } }
        try check(LogisticRegression(C: 0.5), on: (x, data.y))
    }

    /// A warm start after loading continues the saved seed sequence: 6 trees saved, 12 after, equal to 12 at once.
    @Test func loadedForestWarmStartsLikeTheOriginal() throws {
        let data = try Self.wine()
        var forest = RandomForestClassifier(nEstimators: 6, warmStart: true, randomState: 11, nJobs: 1)
        try forest.fit(data.x, data.y)
        var loaded = try Self.roundTrip(forest)
        loaded.nEstimators = 12
        try loaded.fit(data.x, data.y)
        var direct = RandomForestClassifier(nEstimators: 12, randomState: 11, nJobs: 1)
        try direct.fit(data.x, data.y)
        #expect(loaded.estimators == direct.estimators)
    }

    /// A detector saved mid-stream and reloaded flags the same drifts on the rest of the stream.
    @Test func driftDetectorsContinueAfterLoading() throws {
        var rng = try NumPyRandom(seed: 4)
        let errors = (0..<2000).map { i in rng.randomSample() < (i < 1000 ? 0.1 : 0.4) }
        let values = (0..<3000).map { i in rng.randomSample() + (i < 1500 ? 0 : 0.5) }
        var ddm = try DDM()
        _ = ddm.driftPositions(Array(errors[..<700]))
        var ddmLoaded = try Self.roundTrip(ddm)
        #expect(ddmLoaded == ddm)
        let ddmRest = ddm.driftPositions(Array(errors[700...]))
        #expect(!ddmRest.isEmpty)
        #expect(ddmLoaded.driftPositions(Array(errors[700...])) == ddmRest)
        // A fresh detector saves its infinite minimum as null and loads it back.
        #expect(try Self.roundTrip(DDM()) == DDM())

        var adwin = try ADWIN()
        _ = adwin.driftPositions(Array(values[..<1200]))
        var adwinLoaded = try Self.roundTrip(adwin)
        #expect(adwinLoaded == adwin)
        let adwinRest = adwin.driftPositions(Array(values[1200...]))
        #expect(!adwinRest.isEmpty)
        #expect(adwinLoaded.driftPositions(Array(values[1200...])) == adwinRest)
    }

    @Test func savedFileNamesItsFormatAndModel() throws {
        let json = try #require(String(data: JSONEncoder().encode(DummyClassifier()), encoding: .utf8))
        #expect(json.contains("\"formatVersion\":\(ModelFormat.version)"))
        #expect(json.contains("\"model\":\"DummyClassifier\""))
    }

    @Test func anotherFormatVersionFailsClearly() throws {
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(DecisionTreeClassifier(randomState: 1))) as? [String: Any])
        object["formatVersion"] = ModelFormat.version + 1
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ModelFormatError(
            "This DecisionTreeClassifier was saved in model format version \(ModelFormat.version + 1), but this version of Learning reads version \(ModelFormat.version). Fit the model again and save it with this version (or load it with the version that saved it).")) {
            try JSONDecoder().decode(DecisionTreeClassifier.self, from: data)
        }
    }

    @Test func anotherModelOrNoHeaderFailsClearly() throws {
        let dummy = try JSONEncoder().encode(DummyClassifier())
        #expect(throws: ModelFormatError("The saved model is a DummyClassifier, not a LogisticRegression; decode it as DummyClassifier.")) {
            try JSONDecoder().decode(LogisticRegression.self, from: dummy)
        }
        #expect(throws: ModelFormatError(
            "The data is not a saved KNeighborsClassifier: it has no formatVersion. Save the model with JSONEncoder().encode(model) from the Learning library.")) {
            try JSONDecoder().decode(KNeighborsClassifier.self, from: Data("{\"nNeighbors\": 3}".utf8))
        }
    }

    @Test func damagedTreeFailsOnLoadingNotPredicting() throws {
        var tree = DecisionTreeClassifier(maxDepth: 2, randomState: 0)
        try tree.fit([[0], [1], [2], [3]], [0, 0, 1, 1])
        var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(tree)) as? [String: Any])
        var saved = try #require(object["tree"] as? [String: Any])
        var nodes = try #require(saved["nodes"] as? [[String: Any]])
        nodes[0]["right"] = 40
        saved["nodes"] = nodes
        object["tree"] = saved
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ModelFormatError.self) { try JSONDecoder().decode(DecisionTreeClassifier.self, from: data) }
    }
}
