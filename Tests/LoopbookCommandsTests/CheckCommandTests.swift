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
        // index, two chapters, print.html and 404.html
        #expect(result.stderr.contains("Checked 5 pages"), "\(result.stderr)")
    }

    @Test func findsStaleMissingAndExtraFilesWithoutWriting() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "# Basics", with: "# Basics again") }
        try Data("left over\n".utf8).write(to: project.site.appendingPathComponent("old.txt"))
        try FileManager.default.removeItem(at: project.site.appendingPathComponent("02-more.html"))
        let before = project.siteSnapshot()
        let result = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.map(String.init)
        #expect(errors.contains("error: Site/01-basics.html is out of date with the chapters; run 'loopbook build'."), "\(result.stderr)")
        #expect(errors.contains("error: Site/02-more.html is missing; run 'loopbook build'."))
        #expect(errors.contains("error: Site/old.txt is not produced by the build; run 'loopbook build' to remove it."))
        #expect(result.stderr.contains("Check found \(errors.count) problems."))
        #expect(project.siteSnapshot() == before, "check must not write the site")
    }

    /// A page whose permissions were taken away (`chmod 000`) has the right bytes but is not what a build
    /// leaves: a web server could not serve it. Check reports it; build publishes it again, readable.
    @Test func aPageNobodyMayReadIsReportedAndPublishedAgain() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let page = project.site.appendingPathComponent("02-more.html").path
        let bytes = FileManager.default.contents(atPath: page)
        #expect(chmod(page, 0) == 0)
        let checked = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(checked.code == 1)
        #expect(checked.stderr.contains("error: Site/02-more.html has the right contents but not everyone may read it (its permissions were changed); run 'loopbook build' to publish it again."),
                "\(checked.stderr)")
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        var info = stat()
        #expect(lstat(page, &info) == 0 && info.st_mode & 0o444 == Publisher.readBits)
        #expect(FileManager.default.contents(atPath: page) == bytes)
        #expect(await execute(CheckCommand.self, ["--root", project.root.path]).code == 0)
    }

    /// A link to a section that does not exist is found where it is written, by build and check alike.
    @Test func aBrokenAnchorIsAnErrorAtItsMarkdownLine() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "02-more.html#results", with: "02-more.html#nowhere") }
        let before = project.siteSnapshot()
        let expected = "error: Content/01-basics.md:7:35: the link '02-more.html#nowhere' points to '#nowhere', which 02-more.md does not have (its sections are #more, #results); fix the anchor or the heading."
        let checked = await execute(CheckCommand.self, ["--root", project.root.path])
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        for result in [checked, built] {
            #expect(result.code == 1)
            #expect(result.stderr.split(separator: "\n").contains { $0 == expected }, "\(result.stderr)")
        }
        #expect(project.siteSnapshot() == before, "a failed build leaves the site as it was")
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
