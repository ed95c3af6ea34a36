import Foundation
import LoopbookCommands
import Testing

@Suite("loopbook build")
struct BuildCommandTests {
    @Test func coldBuildPrintsOneLinePerChapterAndWritesSite() async throws {
        let (root, stderr) = try await Fixtures.built.value
        let lines = stderr.split(separator: "\n").map(String.init)
        // Chapters run in parallel, so the numbers follow completion order.
        let progress = lines.filter { $0.hasPrefix("[") }
        #expect(progress.map { String($0.prefix(6)) }.sorted() == ["[1/2] ", "[2/2] "], "\(stderr)")
        #expect(progress.contains { $0.contains("] 01-basics  ran because no cache entry (") && $0.hasSuffix(" s)") }, "\(stderr)")
        #expect(progress.contains { $0.contains("] 02-more  ran because no cache entry (") }, "\(stderr)")
        #expect(lines.last?.hasPrefix("Built 2 chapters (0 cached, 2 ran) in ") == true, "\(stderr)")
        let site = root.appendingPathComponent("Site")
        for page in ["index.html", "01-basics.html", "02-more.html", "search-index.js"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(page).path), "missing \(page)")
        }
        let basics = try String(contentsOf: site.appendingPathComponent("01-basics.html"), encoding: .utf8)
        #expect(basics.contains("The flock has 23 pelicans."))
        #expect(!basics.contains("__loopbook/events"), "the live-reload script must only be added by the server")
    }

    @Test func buildReportIsWrittenOutsideSite() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let json = try Data(contentsOf: project.root.appendingPathComponent(".loopbook/last-build.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(report["succeeded"] as? Bool == true)
        let chapters = try #require(report["chapters"] as? [[String: Any]])
        #expect(chapters.compactMap { $0["slug"] as? String } == ["01-basics", "02-more"])
        #expect(chapters.compactMap { $0["status"] as? String } == ["cached", "cached"])
    }

    @Test func rebuildWithoutChangesIsCachedAndWritesNothing() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0)
        #expect(result.stderr.contains("] 01-basics  cached\n") && result.stderr.contains("] 02-more  cached\n"), "\(result.stderr)")
        #expect(result.stderr.contains("Site/: 0 written, "), "\(result.stderr)")
    }

    @Test func failedStepPrintsLocationExitsNonZeroAndLeavesSiteAlone() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "$0 * $0", with: "$0 * undefinedName") }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("error: Content/02-more.md:12:") == true, "\(result.stderr)")
        #expect(errors.first?.contains("undefinedName") == true)
        #expect(result.stderr.contains("] 02-more  failed ("), "\(result.stderr)")
        #expect(result.stderr.contains("Site/ was left as it was."), "\(result.stderr)")
        #expect(project.siteSnapshot() == before)
    }

    @Test func unknownKeyFailsWithLocation() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "{{ total }}", with: "{{ totl }}") }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: Content/01-basics.md:16:15: unknown key 'totl'"), "\(result.stderr)")
    }

    @Test func missingContentFolderIsAClearError() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: The content folder 'Content' does not exist"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site.path))
    }

    @Test func invalidJobsIsAUsageError() throws {
        #expect(throws: (any Error).self) { try BuildCommand.parse(["--jobs", "0"]) }
        do {
            _ = try BuildCommand.parse(["--jobs", "0"])
        } catch {
            #expect(BuildCommand.exitCode(for: error).rawValue == 64)
            #expect(BuildCommand.message(for: error).contains("--jobs must be at least 1, not 0."))
        }
    }
}
