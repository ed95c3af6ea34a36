import Foundation
import Testing
@testable import Learning

/// Loads files from the test target's `Fixtures` folder (copied as a resource).
enum DataFixtures {
    /// The URL of a file inside `Fixtures/`, e.g. `url("datasets/iris.csv")`.
    static func url(_ relativePath: String) throws -> URL {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureError(message: "The Fixtures folder is missing from the test bundle.")
        }
        return base.appendingPathComponent(relativePath)
    }

    /// The path of a file inside `Fixtures/`.
    static func path(_ relativePath: String) throws -> String {
        try url(relativePath).path
    }

    /// The bytes of a file inside `Fixtures/`.
    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The text of a file inside `Fixtures/`.
    static func text(_ relativePath: String) throws -> String {
        try String(decoding: data(relativePath), as: UTF8.self)
    }

    /// Decodes a JSON fixture.
    static func json<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        try JSONDecoder().decode(type, from: data(relativePath))
    }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// numpy's outputs for a seeded `RandomState`, made by `make_fixtures.py` (`random.json`).
private struct RandomFixture: Decodable {
    struct Call: Decodable {
        let op: String
        let count: Int
        let low: Int?
        let high: Int?
        /// Doubles as 16-digit hex bit patterns.
        let doubles: [String]?
        let ints: [Int]?
    }
    struct Case: Decodable {
        let name: String
        let seed: Int
        let calls: [Call]
    }
    let cases: [Case]
}

private func bitPatterns(_ values: [Double]) -> [String] {
    values.map { value in
        let hex = String(value.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

struct RandomTests {
    private func loadCases() throws -> [RandomFixture.Case] {
        try DataFixtures.json(RandomFixture.self, "random.json").cases
    }

    @Test func fixtureHasAllCases() throws {
        let cases = try loadCases()
        #expect(cases.count == 9)
        #expect(cases.allSatisfy { !$0.calls.isEmpty })
    }

    @Test func everyCaseMatchesNumPyBitForBit() throws {
        for fixture in try loadCases() {
            var rng = try NumPyRandom(seed: fixture.seed)
            for (index, call) in fixture.calls.enumerated() {
                let label = "\(fixture.name), call \(index) (\(call.op))"
                switch call.op {
                case "randn":
                    #expect(bitPatterns(rng.randn(call.count)) == call.doubles, "\(label)")
                case "rand":
                    #expect(bitPatterns(rng.rand(call.count)) == call.doubles, "\(label)")
                case "randint":
                    let low = try #require(call.low), high = try #require(call.high)
                    #expect(try rng.randint(low, high, call.count) == call.ints, "\(label)")
                case "permutation":
                    #expect(rng.permutation(call.count) == call.ints, "\(label)")
                case "shuffle":
                    var values = Array(0..<call.count)
                    rng.shuffle(&values)
                    #expect(values == call.ints, "\(label)")
                default:
                    Issue.record("Unknown operation '\(call.op)' in \(label).")
                }
            }
        }
    }

    @Test func tutorialSampleDataMatchesSampleCSV() throws {
        // np.random.seed(42); feature1..3 = randn(100); target = randint(0, 2, 100), saved by pandas.
        let table = try Table.readCSV(DataFixtures.path("sample_data.csv"))
        var rng = try NumPyRandom(seed: 42)
        for name in ["feature1", "feature2", "feature3"] {
            let column = try #require(table[column: name])
            #expect(bitPatterns(rng.randn(100)) == bitPatterns(column), "column \(name)")
        }
        #expect(try rng.randint(0, 2, 100) == table.labels)
    }

    @Test func seedsOutsideNumPysRangeAreRejected() {
        #expect(throws: LearningError.self) { try NumPyRandom(seed: -1) }
        #expect(throws: LearningError.self) { try NumPyRandom(seed: 4_294_967_296) }
    }

    @Test func randintWithEmptyRangeThrows() throws {
        var rng = try NumPyRandom(seed: 1)
        #expect(throws: LearningError.self) { try rng.randint(3, 3, 1) }
    }
}
