import BookModel
import Testing
@testable import Notebook

/// How ```swift exercise / check / solution steps are read, grouped and turned into the programs that run.
@Suite struct ExerciseLoadingTests {
    static let chapter = """
        # E

        ```swift exercise
        let total = 0
        ```

        ```swift check
        check(total == 6, "six")
        ```

        ```swift solution
        let total = 6
        ```

        """

    @Test func stepsAreGroupedIntoAnExercise() throws {
        let chapter = try LoadingTests().load(["Content/01-e.md": Self.chapter]).chapters[0]
        #expect(chapter.steps.map(\.flags.part) == [.exercise, .check, .solution])
        let exercises = chapter.exercises
        #expect(exercises.count == 1)
        #expect(exercises.first?.step.line == 3 && exercises.first?.check?.line == 7 && exercises.first?.solution?.line == 11)
    }

    @Test func theStudentsProgramHasNoSolutionAndValidationSwapsItIn() throws {
        let chapter = try LoadingTests().load(["Content/01-e.md": Self.chapter]).chapters[0]
        let student = try #require(ExecutionPlan(chapter: chapter.runnable(withSolutions: false)))
        #expect(student.main.steps.map(\.index) == [1, 2])
        #expect(!student.main.source.contains("let total = 6"))
        let solved = try #require(ExecutionPlan(chapter: chapter.runnable(withSolutions: true)))
        // The solution runs at the exercise's place, before the check, with the solution's lines.
        #expect(solved.main.steps.map(\.index) == [1, 2])
        #expect(solved.main.steps.first?.line == 11)
        #expect(solved.main.source.contains("let total = 6") && !solved.main.source.contains("let total = 0"))
    }

    @Test(arguments: [
        ("```swift exercise hidden\nx\n```\n", "Content/01-a.md:1: a step cannot be both 'exercise' and 'hidden': an exercise is starting code the student edits and runs; it may only add 'fold', 'unfold' or 'hide-output'; remove 'hidden'."),
        ("```swift check fold\nx\n```\n", "Content/01-a.md:1: a step cannot be both 'check' and 'fold': a check step is never shown and runs after its exercise; it takes no other flag; remove 'fold'."),
        ("```swift exercise solution\nx\n```\n", "Content/01-a.md:1: a step cannot be both 'exercise' and 'solution': an exercise, its check and its solution are three steps; keep one of them."),
        ("```swift exercise\nx\n```\n\n```swift check\nc\n```\n\n```swift check\nd\n```\n", "Content/01-a.md:9: the exercise at line 1 already has a check step (line 5); an exercise has one check: merge the two, or start a new exercise with '```swift exercise'."),
    ])
    func badExercisesAreErrorsAtTheirLine(_ source: String, _ expected: String) throws {
        #expect(try LoadingTests().loadError(["Content/01-a.md": source]) == expected)
    }
}
