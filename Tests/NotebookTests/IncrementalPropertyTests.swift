import Foundation
import LoopbookTestSupport
import Testing
@testable import Notebook

/// Random edit sequences on a small book: every incremental build must equal a clean build.
@Suite(.serialized) struct IncrementalPropertyTests {
    /// The book as data: each chapter is a list of prose paragraphs and steps.
    struct Model {
        enum Block { case prose(String), step(value: Int, flag: String) }
        var chapters: [[Block]] = [
            [.prose("# One"), .step(value: 1, flag: ""), .prose("Between."), .step(value: 2, flag: "hide-output")],
            [.prose("# Two"), .step(value: 3, flag: ""), .step(value: 4, flag: "")],
        ]
        var shared = 10

        func markdown(_ index: Int) -> String {
            var text = index == 1 ? "---\ndepends-on: [01-one]\n---\n" : ""
            for (position, block) in chapters[index].enumerated() {
                switch block {
                case let .prose(prose):
                    text += "\(prose)\n\n"
                case let .step(value, flag):
                    let info = flag.isEmpty ? "swift" : "swift \(flag)"
                    let name = "v\(index)_\(position)"
                    text += "```\(info)\nlet \(name) = \(value)\nprint(\"\(name) =\", \(name))\npublish(\"\(name)\", \(name))\n```\n\n"
                }
            }
            if index == 0 {
                text += "```swift\nimport Foundation\ntry \"\(shared)\".write(toFile: \"shared.txt\", atomically: true, encoding: .utf8)\n```\n"
            } else {
                text += "```swift\nimport Foundation\nprint(\"shared\", try String(contentsOfFile: \"shared.txt\", encoding: .utf8))\n```\n"
            }
            return text
        }

        /// Applies one random edit and says which.
        mutating func edit(using random: inout SplitMix64) -> String {
            let chapter = Int.random(in: 0..<chapters.count, using: &random)
            let steps = chapters[chapter].indices.filter { if case .step = chapters[chapter][$0] { true } else { false } }
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                let at = Int.random(in: 1...chapters[chapter].count, using: &random)
                chapters[chapter].insert(.prose("Prose \(Int.random(in: 0..<1000, using: &random))\nwith two lines."), at: at)
                return "prose added to chapter \(chapter + 1)"
            case 1:
                guard let index = steps.randomElement(using: &random), case let .step(value, flag) = chapters[chapter][index] else { fallthrough }
                chapters[chapter][index] = .step(value: value + 1, flag: flag)
                return "step edited in chapter \(chapter + 1)"
            case 2:
                let at = Int.random(in: 1...chapters[chapter].count, using: &random)
                chapters[chapter].insert(.step(value: Int.random(in: 0..<100, using: &random), flag: ""), at: at)
                return "step added to chapter \(chapter + 1)"
            case 3:
                guard steps.count > 1, let index = steps.randomElement(using: &random) else { fallthrough }
                chapters[chapter].remove(at: index)
                return "step removed from chapter \(chapter + 1)"
            case 4:
                guard let index = steps.randomElement(using: &random), case let .step(value, _) = chapters[chapter][index] else { fallthrough }
                let flag = ["", "hidden", "hide-output", "norun"].randomElement(using: &random) ?? ""
                chapters[chapter][index] = .step(value: value, flag: flag)
                return "flag set to '\(flag)' in chapter \(chapter + 1)"
            default:
                shared += 1
                return "the file chapter 1 writes changed"
            }
        }
    }

    @Test func incrementalBuildsEqualCleanBuilds() async throws {
        var model = Model()
        var random = SplitMix64(state: 20_261_126)  // the same edit sequence on every run
        let project = try TestProject([:])
        defer { project.remove() }
        func write() throws {
            try project.write("Content/01-one.md", model.markdown(0))
            try project.write("Content/02-two.md", model.markdown(1))
        }
        try write()
        _ = try await project.run()
        for round in 1...5 {
            let edit = model.edit(using: &random)
            try write()
            let incremental = try await project.run()
            let cleanCache = project.root.appendingPathComponent("clean-\(round)")
            let clean = try await project.run { $0.cacheDirectory = cleanCache }
            #expect(incremental.succeeded && clean.succeeded, "round \(round) (\(edit)): \(incremental.diagnostics) \(clean.diagnostics)")
            #expect(try encode(incremental) == encode(clean), "round \(round): after '\(edit)' the incremental build differs from a clean one.")
            try? FileManager.default.removeItem(at: cleanCache)
        }
    }
}
