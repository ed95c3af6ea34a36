import ArgumentParser
import SiteKit

/// `loopbook check`: build in memory and verify links, keys and that the site folder is up to date.
public struct CheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build without publishing and verify links, keys and that the site is up to date.",
        discussion: """
            Runs the chapters (using the cache) and renders the site in memory, then checks that every \
            step ran as expected, every {{ key }} names a published value, every internal link and anchor \
            (page.html#id) resolves, and that the site folder is byte-for-byte what a clean build produces \
            (missing, extra and different files are listed). Every problem is printed; the exit status is \
            non-zero if there is any. Nothing is written to the site folder. Use it in CI.
            """)

    @OptionGroup public var project: ProjectOptions
    @OptionGroup public var run: RunOptions

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let layout = project.layout
        var options = run.notebookOptions()
        options.keepGoing = true   // report every failing chapter, not only the first
        let builder = SiteBuilder(layout: layout, options: options, console: console)
        let outcome = await builder.render()
        var problems = outcome.errors
        if let files = outcome.files {
            problems += LinkChecker.problems(in: files).map { "error: \(layout.display(layout.output))/\($0.description)" }
            let comparison = SiteComparison(files: files, folder: layout.output)
            problems += comparison.problems(siteName: layout.display(layout.output)).map { "error: " + $0 }
        }
        for problem in problems { console.error(problem) }
        let pages = outcome.files?.paths.filter { $0.hasSuffix(".html") }.count ?? 0
        if problems.isEmpty {
            console.progress("Checked \(pages) pages: every step ran, every link resolves, and \(layout.display(layout.output))/ is up to date.")
        } else {
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            console.progress("Check found \(count).")
            throw ExitCode.failure
        }
    }
}
