import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// Exercises (```swift exercise / check / solution), the student and teacher editions, and `loopbook validate`.
/// Serialized: each test compiles chapters; run side by side with the rest of the suite they starved it.
@Suite(.serialized) struct ExerciseTests {
    /// Two exercises: the first as a student finds it (its check fails), the second with the starting code
    /// `doubled` set to []. Exercises start at lines 9 and 23; their solutions at lines 17 and 31.
    static let chapter = #"""
        # Sums

        ```swift
        let numbers = [1, 2, 3]
        ```

        Add up the numbers.

        ```swift exercise
        let total = 0
        ```

        ```swift check
        check(total == 6, "total should be 6, the sum of 1, 2 and 3; it is \(total).")
        ```

        ```swift solution
        let total = numbers.reduce(0, +) // SOLUTION-MARKER
        ```

        Double them.

        ```swift exercise
        let doubled: [Int] = []
        ```

        ```swift check
        check(doubled == [2, 4, 6], "doubled should be [2, 4, 6]; it is \(doubled).")
        ```

        ```swift solution
        let doubled = numbers.map { $0 * 2 } // TWICE-MARKER
        ```

        """#

    static func project(_ chapter: String = Self.chapter) throws -> TemporaryProject {
        let project = try TemporaryProject()
        try project.folder.write("Content/01-sums.md", chapter)
        try project.folder.write("Content/02-prose.md", "# Prose\n\nNo code here.\n")
        return project
    }

    /// Every file of a site folder whose bytes contain `text`.
    static func files(in folder: URL, containing text: String) -> [String] {
        TemporaryFolder(existing: folder).files().filter { $0.value.range(of: Data(text.utf8)) != nil }.keys.sorted()
    }

    @Test func aFailingCheckIsShownAndCountedButIsNoBuildError() async throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.edit("01-sums.md") { $0.replacingOccurrences(of: "let doubled: [Int] = []", with: "let doubled = numbers.map { 2 * $0 }") }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Exercises: 1 of 2 pass."), "\(result.stderr)")
        #expect(result.stderr.contains("✗ Content/01-sums.md:9: exercise not passed yet: total should be 6, the sum of 1, 2 and 3; it is 0.\n"),
                "\(result.stderr)")
        let page = try TemporaryFolder(existing: project.site).read("01-sums.html")
        #expect(page.contains(#"<div class="exercise-result failed" role="status">"#))
        #expect(page.contains(#"<p class="exercise-verdict">✗ Exercise not passed yet</p>"#))
        #expect(page.contains(#"<li class="failed"><span class="mark" aria-hidden="true">✗</span> total should be 6, the sum of 1, 2 and 3; it is 0.</li>"#))
        #expect(page.contains(#"<div class="exercise-result passed" role="status">"#))
        #expect(page.contains(#"<li class="passed"><span class="mark" aria-hidden="true">✓</span> doubled should be [2, 4, 6]; it is [2, 4, 6].</li>"#))
        // The check's code is never shown.
        #expect(!page.contains("total == 6"))
    }

    @Test func theCheckCannotSeeTheSolution() async throws {
        // The solution sets total to 6 and sits in the file right after the check: were it compiled into the
        // program, the exercise would not compile (total declared twice) or would pass. It sees 0.
        let project = try Self.project()
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Exercises: 0 of 2 pass."), "\(result.stderr)")
        #expect(result.stderr.contains("it is 0.") && result.stderr.contains("it is []."), "\(result.stderr)")
    }

    @Test func theStudentEditionHoldsNoSolutionAndTheTeacherEditionFoldsThem() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let student = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(student.code == 0, "\(student.stderr)")
        let markers = ["SOLUTION-MARKER", "numbers.reduce", "TWICE-MARKER", "Show solution"]
        for marker in markers { #expect(Self.files(in: project.site, containing: marker) == [], "\(marker)") }
        #expect(!Self.files(in: project.site, containing: "total should be 6").isEmpty, "the site was written")
        #expect(Self.files(in: project.site, containing: "total should be 6").contains("print.html"), "the print page has the exercise")

        let teacher = await execute(BuildCommand.self, ["--root", project.root.path, "--edition", "teacher"])
        #expect(teacher.code == 0, "\(teacher.stderr)")
        #expect(teacher.stderr.contains("ran because no cache entry for the teacher edition"), "\(teacher.stderr)")
        #expect(teacher.stderr.contains("Site-teacher/: "), "\(teacher.stderr)")
        let page = try TemporaryFolder(existing: project.root.appendingPathComponent("Site-teacher")).read("01-sums.html")
        #expect(page.contains(#"<div class="step solution" id="step-4">"#))
        #expect(page.contains(#"<details class="fold"><summary>Show solution</summary>"#))
        #expect(page.contains("SOLUTION-MARKER") && page.contains("TWICE-MARKER"))
        let printPage = try TemporaryFolder(existing: project.root.appendingPathComponent("Site-teacher")).read("print.html")
        #expect(printPage.contains(#"<div class="step solution" id="01-sums--step-4">"#), "the teacher's print page folds the solution too")
        #expect(printPage.contains("SOLUTION-MARKER"))

        // Back to the student edition with both caches warm: no page or result of the teacher's leaks in.
        let again = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(again.code == 0, "\(again.stderr)")
        for marker in markers { #expect(Self.files(in: project.site, containing: marker) == [], "\(marker)") }
    }

    @Test func eachEditionKeepsItsOwnPageCacheSoAlternatingReusesBoth() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let cache = project.root.appendingPathComponent(".loopbook/cache")
        func entries(_ folder: String) -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent(folder).path)) ?? [])
                .filter { !$0.hasPrefix(".") })
        }
        #expect(await execute(BuildCommand.self, ["--root", project.root.path]).code == 0)
        let student = entries("pages")
        #expect(!student.isEmpty)
        #expect(await execute(BuildCommand.self, ["--root", project.root.path, "--edition", "teacher"]).code == 0)
        let teacher = entries("pages-teacher")
        #expect(!teacher.isEmpty && teacher.isDisjoint(with: student))
        // The teacher build pruned only its own folder: the student's pages are still there, and used again.
        #expect(entries("pages") == student)
        #expect(await execute(BuildCommand.self, ["--root", project.root.path]).code == 0)
        #expect(entries("pages") == student && entries("pages-teacher") == teacher)
        let record = project.root.appendingPathComponent(".loopbook")
        #expect(FileManager.default.fileExists(atPath: record.appendingPathComponent("published-site").path))
        #expect(FileManager.default.fileExists(atPath: record.appendingPathComponent("published-site-teacher").path))
    }

    @Test func anExerciseThatDoesNotCompileIsAnErrorAtItsPlaceAndHidesNoOtherChapter() async throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.edit("01-sums.md") { $0.replacingOccurrences(of: "let total = 0", with: "let total = numbrs.count") }
        try project.folder.write("Content/03-more.md", Self.chapter.replacingOccurrences(of: "# Sums", with: "# More")
            .replacingOccurrences(of: "let doubled: [Int] = []", with: "let doubled: [Int] = numbers[7...]"))
        let before = project.siteSnapshot()
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code != 0)
        #expect(result.stderr.contains("error: Content/01-sums.md:10:13: cannot find 'numbrs' in scope"), "\(result.stderr)")
        #expect(result.stderr.contains("error: Content/03-more.md:24:"), "the other chapter is reported too: \(result.stderr)")
        #expect(project.siteSnapshot() == before)
    }

    @Test func aCheckOrSolutionWithoutItsExerciseIsAnErrorAtItsLine() async throws {
        let project = try Self.project("# Lost\n\n```swift check\ncheck(true, \"yes\")\n```\n")
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code != 0)
        #expect(result.stderr.contains("error: Content/01-sums.md:3: this 'check' step has no exercise before it: put it after the '```swift exercise' step it belongs to."),
                "\(result.stderr)")
        let unchecked = try Self.project("# Open\n\n```swift exercise\nlet x = 1\n```\n")
        defer { unchecked.remove() }
        let second = await execute(BuildCommand.self, ["--root", unchecked.root.path])
        #expect(second.code != 0)
        #expect(second.stderr.contains("error: Content/01-sums.md:3: this exercise has no check: add a '```swift check' step after it"),
                "\(second.stderr)")
    }

    @Test func validatePassesOnGoodExercisesAndFailsOnBrokenOnes() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let good = await execute(ValidateCommand.self, ["--root", project.root.path])
        #expect(good.code == 0, "\(good.stderr)")
        #expect(good.stderr.contains("Validated 2 exercises: each fails with its starting code and 2 of 2 pass with their solution."),
                "\(good.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site.path), "validate publishes nothing")

        // The first exercise is already solved by its starting code; the second's solution is wrong.
        try project.edit("01-sums.md") {
            $0.replacingOccurrences(of: "let total = 0", with: "let total = 6")
                .replacingOccurrences(of: "numbers.map { $0 * 2 }", with: "numbers.map { $0 * 3 }")
        }
        let broken = await execute(ValidateCommand.self, ["--root", project.root.path])
        #expect(broken.code != 0)
        #expect(broken.stderr.contains("error: Content/01-sums.md:9: this exercise already passes with its starting code (total should be 6, the sum of 1, 2 and 3; it is 6.)"),
                "\(broken.stderr)")
        #expect(broken.stderr.contains("error: Content/01-sums.md:23: this exercise fails with its solution (line 31) in place of the starting code: doubled should be [2, 4, 6]; it is [3, 6, 9]. Fix the solution or the check."),
                "\(broken.stderr)")
        #expect(broken.stderr.contains("Validation found 2 problems in 2 exercises."), "\(broken.stderr)")

        // A solution that does not compile is reported at its own line.
        try project.edit("01-sums.md") { $0.replacingOccurrences(of: "numbers.map { $0 * 3 }", with: "numbrs.map { $0 * 2 }") }
        let uncompiled = await execute(ValidateCommand.self, ["--root", project.root.path])
        #expect(uncompiled.code != 0)
        #expect(uncompiled.stderr.contains("error: Content/01-sums.md:32:15: with the solutions in place, cannot find 'numbrs' in scope"),
                "\(uncompiled.stderr)")
    }
}
