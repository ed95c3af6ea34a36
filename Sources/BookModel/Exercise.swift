// Exercises: a step the student edits (```swift exercise), the hidden step that checks it (```swift check)
// and an optional solution (```swift solution), named as R's learnr names its exercise chunks
// (`exercise=TRUE`, `<label>-check`, `<label>-solution`). The check runs after the exercise in the same
// program, so it sees the exercise's values, never its source; the solution is never compiled into the
// student's program.

/// A step's part in an exercise.
public enum ExercisePart: String, Codable, Sendable, Equatable, Hashable {
    /// The starting code the student edits; runs and is shown.
    case exercise
    /// Runs right after the exercise's steps, never shown; calls `check(condition, message)`.
    case check
    /// The teacher's answer: never runs in a build, never in the student edition's site; shown folded in
    /// the teacher edition, and put in place of the exercise by `loopbook validate`.
    case solution
}

/// Which site a build makes: the student edition (the default) never contains solutions; the teacher
/// edition shows them folded under "Show solution". Part of the result and page cache keys.
public enum Edition: String, Codable, Sendable, Equatable, CaseIterable {
    case student
    case teacher
}

/// An exercise of a chapter: its step, the step that checks it, and its solution if it has one.
public struct Exercise: Sendable, Equatable {
    public var step: Step
    public var check: Step?
    public var solution: Step?
    public init(step: Step, check: Step? = nil, solution: Step? = nil) {
        self.step = step; self.check = check; self.solution = solution
    }
}

/// What an exercise's check said.
public struct ExerciseVerdict: Sendable, Equatable {
    /// True when the check ran, recorded at least one `check(…)` and every one of them held.
    public var passed: Bool
    /// Every `check(…)` the check step recorded, in order.
    public var checks: [CheckSpec]
    /// Set when the check recorded nothing (it did not run, or never called `check`): says why.
    public var problem: String?
    public init(passed: Bool, checks: [CheckSpec], problem: String? = nil) {
        self.passed = passed; self.checks = checks; self.problem = problem
    }

    /// The message to show first: the first failed check's, else the first check's, else the problem.
    public var message: String {
        checks.first(where: { !$0.passed })?.message ?? checks.first?.message ?? problem ?? ""
    }
}

extension Chapter {
    /// The chapter's exercises in order. A `check` or `solution` step belongs to the nearest `exercise`
    /// step before it (the loader rejects one without an exercise, and a second check or solution).
    public var exercises: [Exercise] {
        var exercises: [Exercise] = []
        for step in steps {
            switch step.flags.part {
            case .exercise?: exercises.append(Exercise(step: step))
            case .check?: if !exercises.isEmpty, exercises[exercises.count - 1].check == nil { exercises[exercises.count - 1].check = step }
            case .solution?: if !exercises.isEmpty, exercises[exercises.count - 1].solution == nil { exercises[exercises.count - 1].solution = step }
            case nil: continue
            }
        }
        return exercises
    }

    /// The chapter as a build runs it: in the students' program (`solutions` false) every `solution` step
    /// is left out (marked `norun`); with `solutions`, each exercise with a solution runs the solution's code
    /// instead of its starting code, at the exercise's place (before its check), with the solution's lines so
    /// errors point at the solution; the solution step itself is left out. Step indexes stay the file's.
    public func runnable(withSolutions solutions: Bool) -> Chapter {
        guard steps.contains(where: { $0.flags.part == .solution }) else { return self }
        var chapter = self
        let solutionOf = Dictionary(exercises.compactMap { exercise in exercise.solution.map { (exercise.step.index, $0) } },
                                    uniquingKeysWith: { first, _ in first })
        for position in chapter.steps.indices {
            let step = chapter.steps[position]
            switch step.flags.part {
            case .solution?:
                chapter.steps[position].flags.norun = true
            case .exercise? where solutions:
                guard let solution = solutionOf[step.index] else { continue }
                chapter.steps[position].code = solution.code
                chapter.steps[position].line = solution.line
                chapter.steps[position].indent = solution.indent
            default:
                continue
            }
        }
        return chapter
    }
}

extension ExecutedChapter {
    /// The verdict of `exercise`'s check in this result.
    public func verdict(for exercise: Exercise) -> ExerciseVerdict {
        guard let check = exercise.check, let result = result.steps.first(where: { $0.index == check.index }) else {
            return ExerciseVerdict(passed: false, checks: [], problem: "This exercise has no check step.")
        }
        var checks: [CheckSpec] = []
        for case let .record(.check(spec)) in result.outputs { checks.append(spec) }
        if checks.isEmpty {
            let problem = result.failure != nil || status == .failed
                ? "The check did not run to the end: see the error."
                : "The check step recorded no result; it should call check(condition, message)."
            return ExerciseVerdict(passed: false, checks: [], problem: problem)
        }
        return ExerciseVerdict(passed: checks.allSatisfy(\.passed), checks: checks)
    }

    /// Every exercise of the chapter with its verdict, in order.
    public var exerciseVerdicts: [(exercise: Exercise, verdict: ExerciseVerdict)] {
        chapter.exercises.map { ($0, verdict(for: $0)) }
    }
}
