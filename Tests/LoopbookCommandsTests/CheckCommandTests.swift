import Foundation
import LoopbookBuild
import LoopbookCommands
import SiteKit
import Testing

@Suite("loopbook check")
struct CheckCommandTests {
    @Test func freshSiteChecksClean() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let result = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Checked 3 pages"), "\(result.stderr)")
    }

    @Test func findsBrokenAnchorStaleAndExtraFilesWithoutWriting() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "02-more.html#results", with: "02-more.html#nowhere") }
        try Data("left over\n".utf8).write(to: project.site.appendingPathComponent("old.txt"))
        try FileManager.default.removeItem(at: project.site.appendingPathComponent("02-more.html"))
        let before = project.siteSnapshot()
        let result = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.map(String.init)
        #expect(errors.contains("error: Site/01-basics.html: the link '02-more.html#nowhere' points to the anchor '#nowhere', which '02-more.html' does not have."), "\(result.stderr)")
        #expect(errors.contains("error: Site/01-basics.html is out of date with the chapters; run 'loopbook build'."))
        #expect(errors.contains("error: Site/02-more.html is missing; run 'loopbook build'."))
        #expect(errors.contains("error: Site/old.txt is not produced by the build; run 'loopbook build' to remove it."))
        #expect(result.stderr.contains("Check found \(errors.count) problems."))
        #expect(project.siteSnapshot() == before, "check must not write the site")
    }

    @Test func siteComparisonListsEachKindSorted() throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        try FileManager.default.createDirectory(at: project.site.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try Data("same".utf8).write(to: project.site.appendingPathComponent("a.html"))
        try Data("old".utf8).write(to: project.site.appendingPathComponent("assets/b.css"))
        try Data("x".utf8).write(to: project.site.appendingPathComponent("z.txt"))
        var files = SiteFiles()
        files.set("a.html", text: "same")
        files.set("assets/b.css", text: "new")
        files.set("c.html", text: "new page")
        let comparison = SiteComparison(files: files, folder: project.site)
        #expect(comparison.missing == ["c.html"])
        #expect(comparison.different == ["assets/b.css"])
        #expect(comparison.extra == ["z.txt"])
        #expect(!comparison.isUpToDate)
    }
}
