import ArgumentParser
import LoopbookBuild

/// `loopbook validate`: for teachers, before class — every exercise fails with its starting code and
/// passes with its solution (nbgrader's `validate`).
public struct ValidateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that every exercise fails with its starting code and passes with its solution.",
        discussion: """
            Runs the chapters that have exercises twice, without publishing anything: first as students \
            get them (each exercise's check must fail, or the exercise is already solved), then with each \
            ```swift solution step in place of its ```swift exercise step (each check must pass). Every \
            broken exercise is printed as 'error: <file>:<line>: <sentence>' and the exit status is non-zero. \
            An exercise without a solution is listed as a note: only its failing start can be checked.
            """)

    @OptionGroup public var project: ProjectOptions
    @OptionGroup public var run: RunOptions

    @Argument(help: ArgumentHelp("Only these chapters (slug or number).", valueName: "chapter"))
    public var chapters: [String] = []

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let options = run.notebookOptions(chapters: chapters.isEmpty ? nil : chapters)
        let progress = BuildProgress(console: console)
        let outcome = await ExerciseValidator(layout: project.layout, options: options).validate { progress.handle($0) }
        for issue in outcome.issues { console.error(issue) }
        for place in outcome.unsolved {
            console.progress("note: \(place): this exercise has no ```swift solution step, so only its failing start was checked.")
        }
        let exercises = outcome.exercises == 1 ? "1 exercise" : "\(outcome.exercises) exercises"
        if outcome.succeeded {
            console.progress("Validated \(exercises): each fails with its starting code and \(outcome.withSolution) of \(outcome.exercises) pass with their solution.")
        } else {
            let problems = outcome.issues.count == 1 ? "1 problem" : "\(outcome.issues.count) problems"
            console.progress("Validation found \(problems) in \(exercises).")
            throw ExitCode.failure
        }
    }
}
