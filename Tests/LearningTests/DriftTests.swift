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
    struct ADWINParams: Decodable {
        let delta: Double?, clock: Int?, max_buckets: Int?, min_window_length: Int?, grace_period: Int?
    }
    struct ADWINCase: Decodable, CustomTestStringConvertible {
        let name: String, params: ADWINParams, values: [Double], drifts: [Int], widths: [Int], estimation: Double
        var testDescription: String { "ADWIN \(name) clock \(params.clock ?? 32)" }
    }
    struct File: Decodable { let versions: [String: String], ddm: [Case], adwin: [ADWINCase] }

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

    @Test(arguments: DriftFixtures.file.adwin)
    func adwinMatchesRiver(_ c: DriftFixtures.ADWINCase) throws {
        func make() throws -> ADWIN {
            try ADWIN(delta: c.params.delta ?? 0.002, clock: c.params.clock ?? 32, maxBuckets: c.params.max_buckets ?? 5,
                      minWindowLength: c.params.min_window_length ?? 5, gracePeriod: c.params.grace_period ?? 10)
        }
        var adwin = try make()
        var drifts: [Int] = [], widths: [Int] = []
        for (i, value) in c.values.enumerated() {
            adwin.update(value)
            if adwin.driftDetected { drifts.append(i) }
            widths.append(adwin.width)
        }
        #expect(drifts == c.drifts)
        #expect(widths == c.widths)
        #expect(adwin.estimation == c.estimation)
        var again = try make()
        #expect(again.driftPositions(c.values) == c.drifts)
    }

    @Test func adwinErrors() {
        #expect(throws: LearningError.invalidParameter("delta (0.0) must be between 0 and 1.")) { try ADWIN(delta: 0) }
        #expect(throws: LearningError.self) { try ADWIN(clock: 0) }
        #expect(throws: LearningError.self) { try ADWIN(gracePeriod: -1) }
    }
}
