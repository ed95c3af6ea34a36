import Foundation
import Testing
@testable import Notebook

/// The result cache: hits, misses and their reasons, prose-only edits, recovery, determinism.
@Suite(.serialized) struct CacheTests {
    static let book = [
        "Content/01-data.md": """
            # Data

            ```swift hidden
            import Foundation
            ```

            ```swift
            let value = 21
            try "\\(value * 2)\\n".write(toFile: "shared.txt", atomically: true, encoding: .utf8)
            print("wrote", value * 2)
            ```

            ```swift expect-error
            let broken: Int = "x"
            ```

            ```swift norun
            print("shown only")
            ```
            """,
        "Content/02-use.md": """
            ---
            depends-on: [01-data]
            ---
            # Use

            ```swift
            import Foundation
            print("read", try String(contentsOfFile: "shared.txt", encoding: .utf8), terminator: "")
            print("rows", try String(contentsOfFile: "data/rows.csv", encoding: .utf8).split(separator: "\\n").count)
            ```
            """,
        "Content/03-alone.md": "# Alone\n\n```swift\nprint(\"alone\")\n```\n",
        "Content/data/rows.csv": "a\n1\n2\n",
    ]

    func statuses(_ report: NotebookReport) -> [String] {
        report.outcomes.map { "\($0.slug): \($0.summary)" }
    }

    @Test func reasonsForRunningAndCaching() async throws {
        let project = try TestProject(Self.book)
        defer { project.remove() }
        let first = try await project.run()
        #expect(first.succeeded, "\(first.diagnostics)")
        #expect(statuses(first) == ["01-data: ran because no cache entry", "02-use: ran because no cache entry",
                                    "03-alone: ran because no cache entry"])
        #expect(try first.chapter("02-use").text(ofStep: 1) == "read 42\nrows 3\n")

        #expect(statuses(try await project.run()) == ["01-data: cached", "02-use: cached", "03-alone: cached"])

        try project.edit("Content/01-data.md", replacing: "let value = 21", with: "let value = 20")
        let stepEdit = try await project.run()
        #expect(statuses(stepEdit) == ["01-data: ran because its steps changed", "02-use: ran because dependency 01-data changed",
                                       "03-alone: cached"])
        #expect(try stepEdit.chapter("02-use").text(ofStep: 1) == "read 40\nrows 3\n")

        try project.edit("Content/01-data.md", replacing: "print(\"shown only\")", with: "print(\"still only shown\")")
        #expect(statuses(try await project.run()) == ["01-data: cached", "02-use: cached", "03-alone: cached"],
                "Editing a norun step re-renders without re-running.")

        try project.write("Content/data/rows.csv", "a\n1\n2\n3\n")
        let dataEdit = try await project.run()
        #expect(statuses(dataEdit) == ["01-data: ran because the data files changed", "02-use: ran because the data files changed",
                                       "03-alone: ran because the data files changed"])
        #expect(try dataEdit.chapter("02-use").text(ofStep: 1) == "read 40\nrows 4\n")

        #expect(statuses(try await project.run { $0.force = true }) == ["01-data: ran because forced", "02-use: ran because forced",
                                                                        "03-alone: ran because forced"])
    }

    @Test func proseOnlyEditDoesNotRerunAndKeepsLinesRight() async throws {
        let project = try TestProject(Self.book)
        defer { project.remove() }
        _ = try await project.run()
        try project.edit("Content/01-data.md", replacing: "# Data\n", with: "# Data\n\nA new paragraph\nover two lines.\n")
        let incremental = try await project.run()
        #expect(statuses(incremental) == ["01-data: cached", "02-use: cached", "03-alone: cached"])
        let failure = try #require(try incremental.chapter("01-data").result.steps[2].failure)
        #expect(failure.line == 17, "The expected error moved down with its step.")

        let clean = try await project.run { $0.cacheDirectory = project.root.appendingPathComponent("clean-cache") }
        #expect(try encode(incremental) == encode(clean))
    }

    @Test func brokenCacheEntriesAreRebuilt() async throws {
        let project = try TestProject(Self.book)
        defer { project.remove() }
        _ = try await project.run()
        let results = project.root.appendingPathComponent(".loopbook/cache/results")
        let entries = try FileManager.default.contentsOfDirectory(atPath: results.path).sorted()
        #expect(entries.count == 3)
        // An entry cut short (as by a crash without write-then-rename) and a staging folder left behind.
        for entry in entries {
            let file = results.appendingPathComponent(entry).appendingPathComponent("result.json")
            let data = try Data(contentsOf: file)
            try data.prefix(data.count / 2).write(to: file)
        }
        let staging = project.root.appendingPathComponent(".loopbook/cache/tmp/half-written")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let recovered = try await project.run()
        #expect(recovered.succeeded)
        #expect(statuses(recovered) == ["01-data: ran because no cache entry", "02-use: ran because no cache entry",
                                        "03-alone: ran because no cache entry"])
        #expect(!FileManager.default.fileExists(atPath: staging.path))
        #expect(statuses(try await project.run()) == ["01-data: cached", "02-use: cached", "03-alone: cached"])
    }

    @Test func concurrentBuildsOfOneProjectTakeTurns() async throws {
        let project = try TestProject(Self.book)
        defer { project.remove() }
        async let first = project.run()
        async let second = project.run()
        let reports = try await [first, second]
        #expect(reports.allSatisfy { $0.succeeded })
        #expect(try encode(reports[0]) == encode(reports[1]))
        let cachedRuns = reports.filter { $0.outcomes.allSatisfy { $0.status == .cached } }
        #expect(cachedRuns.count == 1, "The build that waited finds everything cached.")
    }

    @Test func repeatedBuildsAreByteIdentical() async throws {
        let project = try TestProject(fixture: "basic")
        defer { project.remove() }
        let first = try await project.run { $0.force = true }
        let second = try await project.run { $0.force = true }
        #expect(first.succeeded)
        #expect(try encode(first) == encode(second))
    }

    @Test func reasonsNameWhatChanged() {
        let base = CacheComponents(path: "Content/01-a.md", steps: "s", timeout: 60, library: "l", toolchain: "t", data: "d",
                                   dependencies: ["00-x": "k"])
        var changed = base
        #expect(base.reason(comparedWith: nil) == "no cache entry")
        changed.library = "l2"
        #expect(changed.reason(comparedWith: base) == "the library changed")
        changed = base; changed.toolchain = "t2"
        #expect(changed.reason(comparedWith: base) == "the toolchain changed")
        changed = base; changed.timeout = 5
        #expect(changed.reason(comparedWith: base) == "its timeout changed")
        changed = base; changed.dependencies["00-x"] = "k2"
        #expect(changed.reason(comparedWith: base) == "dependency 00-x changed")
        #expect(changed.key != base.key)
        #expect(base.key == CacheComponents(path: "Content/01-a.md", steps: "s", timeout: 60, library: "l", toolchain: "t",
                                            data: "d", dependencies: ["00-x": "k"]).key)
    }

    @Test func libraryFingerprintFollowsContent() throws {
        let project = try TestProject(["lib/libLoopbookKit.so": "one", "lib/Modules/LoopbookRuntime.swiftmodule": "m"])
        defer { project.remove() }
        let lib = project.root.appendingPathComponent("lib")
        let memo = project.root.appendingPathComponent("memo")
        let first = try RuntimeLibrary.fingerprint(of: lib, memoDirectory: memo)
        #expect(try RuntimeLibrary.fingerprint(of: lib, memoDirectory: memo) == first)
        try project.write("lib/libLoopbookKit.so", "two")
        #expect(try RuntimeLibrary.fingerprint(of: lib, memoDirectory: memo) != first)
    }
}

/// The results of a report as JSON with sorted keys (status and timings left out).
func encode(_ report: NotebookReport) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(report.chapters.map(\.result)), as: UTF8.self)
}
