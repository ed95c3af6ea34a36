import Foundation
import LoopbookCommands
import Testing

/// Cross-references through the command line: a step's `//| label:` and `//| fig-cap:` number its chart without
/// moving the lines compiler errors point at, another chapter's `@fig-x` links to it, and that page follows
/// when the figure's number changes (the page cache never serves the old number).
@Suite("loopbook build: cross-references", .serialized)
struct CrossReferenceBuildTests {
    static let chartStep = "```swift\nshow(Chart.line(title: \"Pelicans per day\""

    @Test func aLabelledChartIsNumberedReferencedAndFollowedAcrossChapters() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        // The chart step's fence is line 26: the options are lines 27 and 28, the mistake line 29.
        try project.edit("01-basics.md") {
            $0.replacingOccurrences(of: Self.chartStep, with: "```swift\n//| label: fig-pelicans\n//| fig-cap: \"Pelicans, day by day\"\n"
                                    + "let oops: Int = \"x\"\nshow(Chart.line(title: \"Pelicans per day\"")
        }
        try project.edit("02-more.md") { $0 + "\nSee @fig-pelicans for the counts.\n" }
        let failed = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(failed.code == 1)
        #expect(failed.stderr.contains("error: Content/01-basics.md:29:17: cannot convert value of type 'String' to specified type 'Int'"),
                "\(failed.stderr)")

        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "let oops: Int = \"x\"\n", with: "") }
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        let basics = try String(contentsOf: project.site.appendingPathComponent("01-basics.html"), encoding: .utf8)
        #expect(basics.contains("<figure class=\"chart\" id=\"fig-pelicans\">\n<figcaption>Figure 1.1: Pelicans, day by day</figcaption>"))
        #expect(!basics.contains("//|"), "the options are not shown")
        let more = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(more.contains("<p>See <a class=\"xref\" href=\"01-basics.html#fig-pelicans\">Figure 1.1</a> for the counts.</p>"))

        // A figure before it: the chart becomes Figure 1.2, in the other chapter too; the new caption is searchable.
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8).write(to: project.content.appendingPathComponent("bird.svg"))
        try project.edit("01-basics.md") {
            $0.replacingOccurrences(of: "## A table\n", with: "![A pelican](bird.svg){#fig-bird}\n\n## A table\n")
        }
        let again = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(again.code == 0, "\(again.stderr)")
        let followed = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(followed.contains("<p>See <a class=\"xref\" href=\"01-basics.html#fig-pelicans\">Figure 1.2</a> for the counts.</p>"))
        let search = try String(contentsOf: project.site.appendingPathComponent("search-index.js"), encoding: .utf8)
        #expect(search.contains("Figure 1.1: A pelican"))
        #expect(search.contains("Figure 1.2: Pelicans, day by day"))
    }

    @Test func anUnknownLabelFailsTheBuildAtItsPlace() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        try project.edit("02-more.md") { $0 + "\nSee @fig-pelican and @tbl-shores.\n" }
        let failed = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(failed.code == 1)
        let lines = try String(contentsOf: project.content.appendingPathComponent("02-more.md"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(failed.stderr.contains("error: Content/02-more.md:\(lines):5: the reference @fig-pelican names no label of the book "
                                       + "(the book has no fig- labels); fix the label, or write \\@fig-pelican for an at sign that is not a reference."),
                "\(failed.stderr)")
        #expect(failed.stderr.contains("error: Content/02-more.md:\(lines):22: the reference @tbl-shores"))
        #expect(project.siteSnapshot() == before, "Site/ was left as it was")
    }
}
