import Foundation
import Testing
@testable import Learning

/// river's DDM on fixed error streams, recorded by `Fixtures/make_drift_fixtures.py` into
/// `Fixtures/parity/drift.json` (versions inside the file).
enum DriftFixtures {
    struct Params: Decodable { let warm_start: Int?, warning_threshold: Double?, drift_threshold: Double? }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String, params: Params, errors: String, drifts: [Int], warnings: [Int]
        var testDescription: String { "DDM \(name) warm start \(params.warm_start ?? 30)" }
    }
    struct File: Decodable { let versions: [String: String], ddm: [Case] }

    static let file: File = {
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: DataFixtures.url("parity/drift.json")))
        } catch {
            fatalError("parity/drift.json cannot be read: \(error)")
        }
    }()
}

@Suite struct DriftTests {
    @Test func fixturesRecordTheirVersions() {
        #expect(DriftFixtures.file.versions["river"] == "0.22.0")
    }

    @Test(arguments: DriftFixtures.file.ddm)
    func ddmMatchesRiver(_ c: DriftFixtures.Case) throws {
        var ddm = try DDM(warmStart: c.params.warm_start ?? 30, warningThreshold: c.params.warning_threshold ?? 2,
                          driftThreshold: c.params.drift_threshold ?? 3)
        var drifts: [Int] = [], warnings: [Int] = []
        for (i, e) in c.errors.enumerated() {
            ddm.update(e == "1")
            if ddm.driftDetected { drifts.append(i) }
            if ddm.warningDetected { warnings.append(i) }
        }
        #expect(drifts == c.drifts)
        #expect(warnings == c.warnings)
        var again = try DDM(warmStart: c.params.warm_start ?? 30, warningThreshold: c.params.warning_threshold ?? 2,
                            driftThreshold: c.params.drift_threshold ?? 3)
        #expect(again.driftPositions(c.errors.map { $0 == "1" }) == c.drifts)
    }

    @Test func ddmErrors() {
        #expect(throws: LearningError.invalidParameter("warmStart (-1) must not be negative.")) { try DDM(warmStart: -1) }
        #expect(throws: LearningError.self) { try DDM(warningThreshold: 3, driftThreshold: 2) }
    }
}
