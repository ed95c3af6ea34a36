import Foundation
import LoopbookCommands
import Testing

/// Math through the command line: a formula KaTeX rejects stops the build at its line and column, a
/// good one is in the page with KaTeX's stylesheet and fonts beside it, and an edited formula is rendered
/// again (the cache of rendered formulas never serves a stale one).
@Suite("loopbook build: math", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/javascript/katex/katex.min.js")
                                          && FileManager.default.isExecutableFile(atPath: "/usr/bin/node"),
                                          "needs node, libjs-katex and fonts-katex"))
struct MathBuildTests {
    @Test func badTeXIsAnErrorAtItsPlaceThenTheFixedFormulaIsPublished() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        try project.edit("01-basics.md") { $0 + "\nPrices stay: $5 and $10. The rate $\\alpah_{train}$ here.\n" }
        let failed = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(failed.code == 1)
        #expect(failed.stderr.contains("error: Content/01-basics.md:30:36: the formula $\\alpah_{train}$ is not valid TeX "
                                       + "(KaTeX: Undefined control sequence: \\alpah); fix the TeX"), "\(failed.stderr)")
        #expect(project.siteSnapshot() == before, "Site/ was left as it was")

        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "\\alpah_{train}", with: "\\alpha_{train}") }
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        let site = project.root.appendingPathComponent("Site")
        let page = try String(contentsOf: site.appendingPathComponent("01-basics.html"), encoding: .utf8)
        #expect(page.contains("Prices stay: $5 and $10. The rate <span class=\"katex\">"))
        #expect(page.contains("<annotation encoding=\"application/x-tex\">\\alpha_{train}</annotation>"))
        #expect(page.contains("href=\"assets/katex/katex.min.css\""))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/katex/fonts/KaTeX_Main-Regular.woff2").path))
        let other = try String(contentsOf: site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(!other.contains("katex"), "a page without math links no KaTeX")

        // An edited formula is rendered again, not served from the cache of the last build.
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "\\alpha_{train}", with: "\\beta_{test}") }
        let edited = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(edited.code == 0, "\(edited.stderr)")
        let changed = try String(contentsOf: site.appendingPathComponent("01-basics.html"), encoding: .utf8)
        #expect(changed.contains("<annotation encoding=\"application/x-tex\">\\beta_{test}</annotation>"))
        #expect(!changed.contains("alpha"))
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func checkTrustsNeitherCacheAndADeepFormulaIsItsOwnError() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") { $0 + "\nA square $x^2$ here.\n" }
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")

        // A damaged cache of rendered formulas (x³ where the page says x²) and a rebuilt Site/ from it:
        // `check` renders every formula afresh and says Site/ differs from a clean build.
        let cache = project.root.appendingPathComponent(".loopbook/cache/math-katex.json")
        let text = try String(contentsOf: cache, encoding: .utf8)
        #expect(text.contains("<mn>2<\\/mn>"))  // JSONEncoder writes "/" as "\\/"
        try text.replacingOccurrences(of: "<mn>2<\\/mn>", with: "<mn>3<\\/mn>").write(to: cache, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(".loopbook/cache/pages"))
        _ = await execute(BuildCommand.self, ["--root", project.root.path])
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 1, "\(check.stderr)")
        #expect(check.stderr.contains("01-basics.html"), "\(check.stderr)")

        // KaTeX giving up on a formula nested 3,000 deep is that formula's error, not every formula's.
        let deep = String(repeating: "{", count: 3000) + "x" + String(repeating: "}", count: 3000)
        try project.edit("02-more.md") { $0 + "\nDeep $\(deep)$ here.\n" }
        let failed = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(failed.code == 1)
        #expect(failed.stderr.contains("error: Content/02-more.md:"), "\(failed.stderr.prefix(2000))")
        #expect(failed.stderr.contains("KaTeX could not render it"), "\(failed.stderr.prefix(2000))")
        #expect(!failed.stderr.contains("01-basics.md"), "\(failed.stderr.prefix(2000))")
    }
}
