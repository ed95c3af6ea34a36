import BookModel
import Foundation
import LoopbookCommands
import Testing

/// Same inputs, same bytes: clean builds of one book in different folders give identical `Site/` trees.
@Suite("Reproducibility")
struct ReproducibilityTests {
    /// A book with seeded random numbers, a table, charts, a metric, published values, an artifact, a data
    /// file, a dependency between chapters, a hidden, a norun and an expect-error step.
    static func reproBook() throws -> URL {
        try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/repro")
    }

    @Test(.timeLimit(.minutes(5))) func cleanBuildsInDifferentFoldersAreByteIdentical() async throws {
        let first = try TemporaryProject(copying: try Self.reproBook())
        defer { first.remove() }
        // The second folder has a different name and depth, so any absolute path in a page would differ.
        let outer = try TemporaryProject()
        defer { outer.remove() }
        let deeper = outer.root.appendingPathComponent("some/deeper folder/book")
        try FileManager.default.createDirectory(at: deeper.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try Self.reproBook(), to: deeper)
        let second = TemporaryProject(existing: deeper)

        for project in [first, second] {
            let result = await execute(BuildCommand.self, ["--root", project.root.path, "--jobs", "2"])
            #expect(result.code == 0, "\(result.stderr)")
        }
        let one = first.siteSnapshot(), two = second.siteSnapshot()
        #expect(!one.isEmpty)
        #expect(one.keys.sorted() == two.keys.sorted())
        for path in one.keys.sorted() where one[path] != two[path] {
            Issue.record("Site/\(path) differs between the two builds:\n\(Self.firstDifference(one[path], two[path]))")
        }

        // The pages carry what the fixture makes, so the comparison covers them.
        let numbers = try #require(one["01-numbers.html"].map { String(decoding: $0, as: UTF8.self) })
        #expect(numbers.contains("<table"), "a table")
        #expect(numbers.contains("<svg"), "a chart")
        #expect(numbers.contains("draws.csv"), "an artifact link")
        let data = try #require(one["02-data.html"].map { String(decoding: $0, as: UTF8.self) })
        #expect(data.contains("The first chapter wrote 8 draws."), "a published value")
        #expect(one.keys.contains { $0.hasSuffix("draws.csv") }, "the artifact is in the site: \(one.keys.sorted())")
        // No page names the folder it was built in.
        for (path, bytes) in one {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains(first.root.path), "Site/\(path) contains the project's path")
            #expect(!text.contains(FileManager.default.temporaryDirectory.path + "/loopbook"), "Site/\(path) contains a temporary path")
        }

        // A forced rebuild in the first folder (results recomputed, not read from the cache) changes nothing.
        let forced = await execute(BuildCommand.self, ["--root", first.root.path, "--force"])
        #expect(forced.code == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("Site/: 0 written, "), "\(forced.stderr)")
        #expect(first.siteSnapshot() == one)
    }

    /// A short description of where two byte strings first differ.
    static func firstDifference(_ a: Data?, _ b: Data?) -> String {
        let a = [UInt8](a ?? Data()), b = [UInt8](b ?? Data())
        let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, index - 60)..<min(bytes.count, index + 60)], as: UTF8.self)
        }
        return "at byte \(index) (sizes \(a.count) and \(b.count)):\n  \(around(a))\n  \(around(b))"
    }
}

extension TemporaryProject {
    /// A project in an existing folder (removed with the folder that holds it).
    init(existing root: URL) {
        self.root = root
    }
}
