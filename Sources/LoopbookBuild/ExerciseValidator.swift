import BookModel
import Foundation
import Notebook

/// Checks a book's exercises before class (`loopbook validate`, after nbgrader's `validate`): every
/// exercise's check must fail with its starting code, and pass with its solution in place of that code.
///
/// Two runs of the chapters that have exercises (and the chapters they depend on), both through the
/// result cache under keys of their own: the students' program, then one where each `solution` step runs
/// in place of its `exercise` step. Nothing is published. A chapter that does not compile or traps in
/// either run is a broken exercise too, reported at its Markdown `file:line:column`.
public struct ExerciseValidator: Sendable {
    public var layout: ProjectLayout
    public var options: NotebookOptions

    public init(layout: ProjectLayout, options: NotebookOptions = NotebookOptions()) {
        self.layout = layout
        self.options = options
    }

    /// What validation found.
    public struct Outcome: Sendable {
        /// How many exercises the book has, and how many of them have a solution.
        public var exercises = 0
        public var withSolution = 0
        /// Every broken exercise (and every error that stopped a chapter), at its place in the Markdown.
        public var issues: [BuildIssue] = []
        /// Exercises that have no solution, so only their failing start could be checked: "file:line".
        public var unsolved: [String] = []
        public var succeeded: Bool { issues.isEmpty }
    }

    public func validate(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async -> Outcome {
        var outcome = Outcome()
        var options = options
        if options.cacheDirectory == nil { options.cacheDirectory = layout.cacheDirectory }
        options.keepGoing = true   // every broken exercise at once
        options.edition = .student
        do {
            let book = try Notebook(projectRoot: layout.root, contentDirectory: layout.content, options: options).loadBook()
            let chapters = book.chapters.filter { !$0.exercises.isEmpty }
            let selected = options.chapters.map { filters in
                chapters.filter { chapter in filters.contains { $0 == chapter.slug || Int($0) == chapter.number } }
            } ?? chapters
            for chapter in selected {
                for exercise in chapter.exercises {
                    outcome.exercises += 1
                    if exercise.solution != nil { outcome.withSolution += 1 } else {
                        outcome.unsolved.append("\(chapter.path):\(exercise.step.line)")
                    }
                }
            }
            guard !selected.isEmpty else { return outcome }
            options.chapters = selected.map(\.slug)
            let slugs = Set(options.chapters ?? [])

            // 1. The starting code: each check must fail.
            options.withSolutions = false
            let start = try await Notebook(projectRoot: layout.root, contentDirectory: layout.content, options: options)
                .run(progress: progress)
            outcome.issues += start.diagnostics.map {
                var diagnostic = $0
                diagnostic.message = "with the starting code, " + diagnostic.message
                return .located(diagnostic)
            }
            for executed in start.chapters where slugs.contains(executed.chapter.slug) && executed.status != .failed {
                for (exercise, verdict) in executed.exerciseVerdicts where verdict.passed {
                    outcome.issues.append(.located(Diagnostic(
                        file: executed.chapter.path, line: exercise.step.line,
                        message: "this exercise already passes with its starting code (\(verdict.message)), so a student would see ✓ without doing anything; make its check stricter or its starting code incomplete.")))
                }
            }

            // 2. The solutions in place of the starting code: each check must pass.
            options.withSolutions = true
            let solved = try await Notebook(projectRoot: layout.root, contentDirectory: layout.content, options: options)
                .run(progress: progress)
            outcome.issues += solved.diagnostics.map {
                var diagnostic = $0
                diagnostic.message = "with the solutions in place, " + diagnostic.message
                return .located(diagnostic)
            }
            for executed in solved.chapters where slugs.contains(executed.chapter.slug) && executed.status != .failed {
                for (exercise, verdict) in executed.exerciseVerdicts where !verdict.passed {
                    guard let solution = exercise.solution else { continue }
                    outcome.issues.append(.located(Diagnostic(
                        file: executed.chapter.path, line: exercise.step.line,
                        message: "this exercise fails with its solution (line \(solution.line)) in place of the starting code: \(verdict.message) Fix the solution or the check.")))
                }
            }
        } catch is CancellationError {
            outcome.issues.append(.other("Validation was cancelled."))
        } catch {
            outcome.issues.append(BuildIssue(error))
        }
        outcome.issues.sort { lhs, rhs in
            switch (lhs, rhs) {
            case let (.located(a), .located(b)): (a.file, a.line, a.column ?? 0) < (b.file, b.line, b.column ?? 0)
            default: false
            }
        }
        return outcome
    }
}
