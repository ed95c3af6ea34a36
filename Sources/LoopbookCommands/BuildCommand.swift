import ArgumentParser
import BookModel
import LoopbookBuild
import Notebook

/// Options that decide how chapters run; shared by `build`, `serve` and `check`.
public struct RunOptions: ParsableArguments, Sendable {
    @Option(name: [.short, .long], help: ArgumentHelp("How many chapters compile and run at once (default: the number of cores).", valueName: "n"))
    public var jobs: Int?

    @Flag(name: .long, help: "Ignore cached results and run every chapter.")
    public var force = false

    @Flag(name: .long, help: "Keep running the other chapters after one fails, to see every error at once.")
    public var keepGoing = false

    @Option(name: .long, help: ArgumentHelp("student (the default): no solutions anywhere in the site; teacher: each exercise's solution folded under \"Show solution\", into Site-teacher/ unless --output says otherwise.", valueName: "edition"))
    public var edition: Edition = .student

    public init() {}

    public func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs).") }
    }

    func notebookOptions(chapters: [String]? = nil) -> NotebookOptions {
        var options = NotebookOptions(force: force, keepGoing: keepGoing, jobs: jobs, chapters: chapters)
        options.edition = edition
        return options
    }
}

extension Edition: ExpressibleByArgument {}

/// `loopbook build`: run every chapter and write the site.
public struct BuildCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Run the book's chapters and write the site.",
        discussion: """
            Each chapter's steps are compiled and run (or taken from the cache when nothing they depend \
            on changed), then every page is rendered and the site folder is replaced atomically, rewriting \
            only files whose bytes changed. One line per chapter says whether it was cached, why it ran, or \
            that it failed. A failed build prints each error as 'error: <file>:<line>: <sentence>', exits \
            with a non-zero status, and leaves the site folder exactly as it was.

            Timings are written to .loopbook/last-build.json, never into the pages.

            Naming chapters (by slug like 03-data or by number like 3) runs only those and what they \
            depend on, to check them quickly; the site is then left alone.
            """)

    @OptionGroup public var project: ProjectOptions
    @OptionGroup public var run: RunOptions

    @Argument(help: ArgumentHelp("Only these chapters (slug or number), and the chapters they depend on.", valueName: "chapter"))
    public var chapters: [String] = []

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    /// Builds with output on `console`; throws `ExitCode.failure` after printing the errors.
    public func perform(console: Console) async throws {
        let options = run.notebookOptions(chapters: chapters.isEmpty ? nil : chapters)
        let layout = project.layout(edition: run.edition)
        let builder = SiteBuilder(layout: layout, options: options)
        let progress = BuildProgress(console: console)
        let outcome = await builder.build { progress.handle($0) }
        for issue in outcome.issues { console.error(issue) }
        if outcome.succeeded { for line in BuildSummary.exerciseLines(outcome) { console.progress(line) } }
        for note in outcome.notes { console.progress("note: " + note) }
        console.progress(BuildSummary.line(for: outcome, layout: layout, options: options, publishing: true))
        if !outcome.succeeded { throw ExitCode.failure }
    }
}
