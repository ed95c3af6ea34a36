import Foundation
import Testing
@testable import Learning

@Suite struct DatasetsTests {
    @Test func tutorialMatchesSampleDataCSV() throws {
        let data = try Datasets.tutorial(randomState: 42)
        #expect(data.featureNames == ["feature1", "feature2", "feature3"])
        #expect(data.count == 100)
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            Issue.record("No fixtures")
            return
        }
        // The tutorial's sample_data.csv, written by pandas from numpy with seed 42.
        let text = try String(contentsOf: base.appendingPathComponent("sample_data.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 100)
        for (i, row) in rows.enumerated() {
            #expect(data.features[i] == row.prefix(3).compactMap(Double.init), "row \(i)")
            #expect(data.labels[i] == Int(row[3]), "row \(i)")
        }
        #expect(data.column("feature2") == rows.map { Double($0[1]) ?? .nan })
        #expect(data.column("nope") == nil)
    }

    @Test func noisyLinearFollowsItsRule() throws {
        let clean = try Datasets.noisyLinear(samples: 2000, labelNoise: 0, randomState: 1)
        for (row, label) in zip(clean.x, clean.y) {
            #expect(label == (row[0] - 2 * row[1] + 0.5 * row[2] > 0 ? 1 : 0))
        }
        let noisy = try Datasets.noisyLinear(samples: 2000, labelNoise: 0.1, randomState: 1)
        #expect(noisy.x == clean.x)
        let flipped = zip(noisy.y, clean.y).filter { $0 != $1 }.count
        #expect(flipped > 150 && flipped < 250, "flipped \(flipped) of 2000")
        #expect(try Datasets.noisyLinear(samples: 50, randomState: 2) == Datasets.noisyLinear(samples: 50, randomState: 2))
        #expect(try Datasets.noisyLinear(samples: 50, randomState: 2) != Datasets.noisyLinear(samples: 50, randomState: 3))
    }

    @Test func driftChangesTheRuleAtTheGivenRow() throws {
        let data = try Datasets.drifting(samples: 1000, driftAt: 600, labelNoise: 0, randomState: 3)
        for (i, (row, label)) in zip(data.x, data.y).enumerated() {
            let w = i < 600 ? Datasets.linearWeights : Datasets.driftedWeights
            #expect(label == (w[0] * row[0] + w[1] * row[1] + w[2] * row[2] > 0 ? 1 : 0))
        }
    }

    @Test func classificationShapeAndBalance() throws {
        let data = try Datasets.classification(samples: 2000, features: 20, randomState: 0)
        #expect(data.count == 2000)
        #expect(data.x.allSatisfy { $0.count == 20 })
        #expect(data.featureNames.first == "f0" && data.featureNames.last == "f19")
        let ones = data.y.filter { $0 == 1 }.count
        #expect(ones > 600 && ones < 1400, "ones \(ones)")
    }

    @Test func subsetsAndErrors() throws {
        let data = try Datasets.noisyLinear(samples: 10, randomState: 0)
        #expect(try data.rows([3, 1]).x == [data.x[3], data.x[1]])
        #expect(data.slice(8..<20).count == 2)
        #expect(throws: LearningError.self) { try data.rows([10]) }
        #expect(throws: LearningError.self) { try Datasets.noisyLinear(samples: 0, randomState: 0) }
        #expect(throws: LearningError.self) { try Datasets.noisyLinear(labelNoise: 1.5, randomState: 0) }
        #expect(throws: LearningError.self) { try Datasets.tutorial(randomState: -3) }
        #expect(throws: LearningError.self) { try Datasets.classification(features: 3, informative: 5, randomState: 0) }
    }
}
