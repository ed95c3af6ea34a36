import ArgumentParser
import LoopbookBuild

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
        let layout = project.layout(edition: run.edition)
        var options = run.notebookOptions()
        options.keepGoing = true   // report every failing chapter, not only the first
        let progress = BuildProgress(console: console)
        let outcome = await SiteBuilder(layout: layout, options: options).check { progress.handle($0) }
        for issue in outcome.issues { console.error(issue) }
        let pages = outcome.files?.paths.filter { $0.hasSuffix(".html") }.count ?? 0
        if outcome.succeeded {
            console.progress("Checked \(pages) pages: every step ran, every link resolves, and \(layout.displayFolder(layout.output)) is up to date.")
        } else {
            let count = outcome.issues.count == 1 ? "1 problem" : "\(outcome.issues.count) problems"
            console.progress("Check found \(count).")
            throw ExitCode.failure
        }
    }
}
