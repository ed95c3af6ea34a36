import Foundation
import LoopbookCommands
import Testing

/// `Content/shared/*.swift` is compiled into every chapter program: helpers written once, errors at their own
/// file and line, and a change there runs the chapters again.
@Suite(.serialized) struct SharedCodeTests {
    static let helpers = """
        import Learning

        /// Accuracy as a percentage with one decimal.
        func percent(_ value: Double) -> String {
            String(format: "%.1f%%", value * 100)
        }

        struct Pair { var left: Int; var right: Int }
        """

    static func project() throws -> TemporaryProject {
        let project = try TemporaryProject()
        try project.folder.write("Content/shared/helpers.swift", helpers)
        try project.folder.write("Content/01-one.md", """
            # One

            ```swift
            print("one:", percent(0.9981), Pair(left: 1, right: 2).right)
            ```
            """)
        try project.folder.write("Content/02-two.md", """
            # Two

            ```swift
            print("two:", percent(0.5))
            ```
            """)
        return project
    }

    @Test(.timeLimit(.minutes(5))) func everyChapterUsesTheSharedHelpers() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let one = try String(contentsOf: project.site.appendingPathComponent("01-one.html"), encoding: .utf8)
        let two = try String(contentsOf: project.site.appendingPathComponent("02-two.html"), encoding: .utf8)
        #expect(one.contains("one: 99.8% 2"))
        #expect(two.contains("two: 50.0%"))
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("shared/helpers.swift").path),
                "shared code is not published")

        // Unchanged: cached. Changed: both chapters run again, and say why.
        _ = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(try project.lastStatuses() == ["cached", "cached"])
        try project.folder.write("Content/shared/helpers.swift", Self.helpers.replacingOccurrences(of: "%.1f", with: "%.2f"))
        let again = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try project.lastStatuses() == ["ran because the shared code changed", "ran because the shared code changed"])
        #expect(try String(contentsOf: project.site.appendingPathComponent("02-two.html"), encoding: .utf8).contains("two: 50.00%"))
    }

    @Test(.timeLimit(.minutes(5))) func anErrorInSharedCodeNamesItsOwnFileAndLine() async throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.folder.write("Content/shared/helpers.swift", Self.helpers.replacingOccurrences(of: "value * 100", with: "value * hundred"))
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: Content/shared/helpers.swift:5:38: cannot find 'hundred' in scope"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site.path), "nothing published")
    }

    @Test(.timeLimit(.minutes(5))) func aTrapInSharedCodeNamesTheSharedLineAndTheCallingStep() async throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.folder.write("Content/shared/traps.swift", """
            func pick(_ values: [Int], _ index: Int) -> Int {
                values[index]
            }

            func refuse(_ why: String) -> Never {
                fatalError(why)
            }
            """)
        try project.folder.write("Content/02-two.md", """
            # Two

            ```swift
            print(pick([1], 3))
            ```
            """)
        try project.folder.write("Content/03-three.md", """
            # Three

            ```swift
            refuse("no")
            ```
            """)
        let result = await execute(BuildCommand.self, ["--root", project.root.path, "--keep-going"])
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: Content/02-two.md:4: ") && result.stderr.contains("It happened in Content/shared/traps.swift:2, called from this step."),
                "\(result.stderr)")
        #expect(result.stderr.contains("error: Content/03-three.md:4: ") && result.stderr.contains("It happened in Content/shared/traps.swift:6, called from this step."),
                "\(result.stderr)")
    }
}
