import BookModel
import Foundation
import LoopbookRuntime
import Testing
@testable import Notebook

/// Running chapters: outputs per step, records, artifacts, dependencies, and every way a step can fail.
@Suite(.serialized) struct ExecutionTests {
    @Test func fixtureBookRuns() async throws {
        let project = try TestProject(fixture: "basic")
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.descriptionWithOutput))")
        let data = try report.chapter("01-data")
        #expect(data.status == .ran(reason: "no cache entry"))
        #expect(data.text(ofStep: 2) == "rows: 3\n")
        #expect(data.records(ofStep: 2) == [.value(key: "rows", text: "3")])
        #expect(data.result.values == ["rows": "3"])
        #expect(data.result.steps[3] == StepResult(index: 4), "A norun step has an empty result.")
        #expect(data.result.artifacts.map(\.name) == ["sample.csv"])
        #expect(data.result.artifacts.first.map { String(decoding: $0.contents, as: UTF8.self) } == "total\n21\n")

        // expect-error: a compile error in its own variant, located in the step.
        let compileFailure = try #require(data.result.steps[4].failure)
        #expect(compileFailure.file == "Content/01-data.md" && compileFailure.line == 33 && compileFailure.column == 18)
        #expect(compileFailure.message.contains("cannot convert value of type 'String'"))
        // expect-error: a trap, with the step's output before it.
        let trap = try #require(data.result.steps[5].failure)
        #expect(trap.message == "Fatal error: Index out of range")
        #expect(trap.line == 39, "the line of the trapping subscript, from the crash backtrace")
        #expect(data.text(ofStep: 6) == "before the trap\n")

        let model = try report.chapter("02-model")
        #expect(model.text(ofStep: 1) == "21\n")
        #expect(model.result.artifacts.isEmpty, "Files copied in from a dependency are not this chapter's artifacts.")
        #expect(model.records(ofStep: 1) == [
            .table(TableSpec(title: "Scores", columns: ["name", "score", "count"], numeric: [false, true, true],
                             rows: [["a", "0.500", "2"], ["b", "0.250", "3"]])),
            .metric(MetricSpec(name: "Accuracy", text: "0.815")),
            .chart(ChartSpec(title: "Counts", yLabel: "count", kind: .histogram([
                HistogramBin(lower: 1, upper: 1 + 2.0 / 3, count: 1), HistogramBin(lower: 1 + 2.0 / 3, upper: 1 + 4.0 / 3, count: 2),
                HistogramBin(lower: 1 + 4.0 / 3, upper: 3, count: 3),
            ]))),
            .value(key: "accuracy", text: "0.82"),
        ])
    }

    @Test func compileErrorPointsAtTheMarkdown() async throws {
        let project = try TestProject(["Content/04-feedback.md": "# F\n\n```swift\nlet model = 1\nprint(modle)\n```\n"])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.map(\.description) == ["error: Content/04-feedback.md:5:7: cannot find 'modle' in scope"])
        let chapter = try report.chapter("04-feedback")
        #expect(chapter.status == .failed)
        #expect(chapter.result.steps[0].failure == StepFailure(file: "Content/04-feedback.md", line: 5, column: 7,
                                                              message: "cannot find 'modle' in scope"))
        #expect(report.summary("04-feedback") == "failed (ran because no cache entry)")
    }

    /// A step in a list item or a block quote runs, and its errors point at the file's own column.
    @Test func stepsInListsAndQuotesRunAndPointAtTheirColumns() async throws {
        let project = try TestProject([
            "Content/01-list.md": "1. Load:\n\n   ```swift\n   let numbers = [3, 1, 2]\n   print(\"loaded\", numbers.count)\n   ```\n\n> ```swift\n> print(numbers.sorted())\n> ```\n",
            "Content/02-quote.md": "> Quoted:\n>\n> ```swift\n> print(modle)\n> ```\n",
        ])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        let list = try report.chapter("01-list")
        #expect(list.text(ofStep: 1) == "loaded 3\n")
        #expect(list.text(ofStep: 2) == "[1, 2, 3]\n")
        #expect(report.diagnostics.map(\.description) == ["error: Content/02-quote.md:4:9: cannot find 'modle' in scope"])
    }

    /// Chart builders refuse input they would otherwise draw wrong (a line silently cut to the shorter of x
    /// and y, a histogram with no bins): the step stops with a sentence naming the numbers.
    @Test func chartBuildersStopTheStepOnInputTheyCannotDraw() async throws {
        let project = try TestProject([
            "Content/01-a.md": "```swift\nshow(Chart.line(title: \"Accuracy\", x: [1.0, 2.0, 3.0], y: [0.5, 0.6]))\n```\n",
        ])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        #expect(try report.chapter("01-a").result.steps[0].failure?.message
                == "Precondition failed: Chart.line(title: \"Accuracy\"): x has 3 values and y has 2; give one y for each x")
    }

    @Test func trapNamesStepLineAndOutputSoFar() async throws {
        let project = try TestProject(["Content/01-a.md": "```swift\nprint(\"one\")\n```\n\n```swift\nprint(\"two\")\nlet xs = [1]\nprint(xs[2])\n```\n",
                                       "Content/02-b.md": "```swift\nprint(\"start\")\nfatalError(\"the model is \\(1 + 1) bad\")\n```\n",
                                       "Content/03-c.md": "```swift\nlet n = 0\nprecondition(n > 0, \"n must be positive\")\n```\n"])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        let a = try report.chapter("01-a")
        #expect(a.status == .failed)
        #expect(a.text(ofStep: 1) == "one\n")
        #expect(a.text(ofStep: 2) == "two\n")
        #expect(a.result.steps[1].failure == StepFailure(file: "Content/01-a.md", line: 8, message: "Fatal error: Index out of range"))
        let b = try report.chapter("02-b")
        #expect(b.result.steps[0].failure == StepFailure(file: "Content/02-b.md", line: 3, message: "Fatal error: the model is 2 bad"))
        let c = try report.chapter("03-c")
        #expect(c.result.steps[0].failure == StepFailure(file: "Content/03-c.md", line: 3, message: "Precondition failed: n must be positive"))
        #expect(report.diagnostics.map(\.description) == [
            "error: Content/01-a.md:8: step 2 failed: Fatal error: Index out of range",
            "error: Content/02-b.md:3: step 1 failed: Fatal error: the model is 2 bad",
            "error: Content/03-c.md:3: step 1 failed: Precondition failed: n must be positive",
        ])
        #expect(report.diagnostics[0].output == "two\n")
    }

    @Test func nonZeroExitFailsTheStep() async throws {
        let project = try TestProject(["Content/01-a.md": "```swift hidden\nimport Foundation\n```\n\n```swift\nprint(\"bye\")\nexit(3)\n```\n\n```swift\nprint(\"never\")\n```\n"])
        defer { project.remove() }
        let report = try await project.run()
        let chapter = try report.chapter("01-a")
        #expect(chapter.result.steps[1].failure == StepFailure(file: "Content/01-a.md", line: 6, message: "the step exited with status 3."))
        #expect(chapter.text(ofStep: 2) == "bye\n")
        #expect(chapter.result.steps[2].outputs.isEmpty)
        #expect(!report.succeeded)
    }

    @Test(.timeLimit(.minutes(1))) func timeoutKillsTheProgramAndItsChildren() async throws {
        let code = """
            ---
            timeout: 1
            ---
            ```swift
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["300"]
            try child.run()
            print("child started")
            while true { usleep(1000) }
            ```
            """
        let project = try TestProject(["Content/01-loop.md": code])
        defer { project.remove() }
        let report = try await project.run()
        let failure = try #require(try report.chapter("01-loop").result.steps[0].failure)
        #expect(failure.line == 5)
        #expect(failure.message.hasPrefix("the chapter program did not finish within 1 seconds and was stopped while step 1 was running"))
        #expect(try report.chapter("01-loop").text(ofStep: 1) == "child started\n")
    }

    @Test(.timeLimit(.minutes(1))) func childKeepingStdoutOpenDoesNotHangTheBuild() async throws {
        let code = """
            ```swift
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sh")
            child.arguments = ["-c", "sleep 300"]
            try child.run()
            print("left a child behind")
            ```
            """
        let project = try TestProject(["Content/01-fork.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(try report.chapter("01-fork").text(ofStep: 1) == "left a child behind\n")
    }

    @Test func hugeOutputIsTruncatedWithANote() async throws {
        let code = """
            ```swift
            let line = String(repeating: "x", count: 1023)
            for _ in 0..<(50 * 1024) { print(line) }
            ```

            ```swift
            print("after")
            ```
            """
        let project = try TestProject(["Content/01-big.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded)
        let outputs = try report.chapter("01-big").result.steps[0].outputs
        guard case let .stdout(text)? = outputs.first, case let .truncated(dropped)? = outputs.last else {
            Issue.record("Expected text then a truncation note, got \(outputs.count) outputs.")
            return
        }
        #expect(text.utf8.count == 1 << 20)
        #expect(dropped == 50 * 1024 * 1024 - (1 << 20))
        #expect(try report.chapter("01-big").text(ofStep: 2) == "after\n")
    }

    @Test func expectErrorThatSucceedsIsAnError() async throws {
        let project = try TestProject(["Content/01-a.md": "```swift\nlet a = 1\n```\n\n```swift expect-error\nprint(a + 1)\n```\n"])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.map(\.description) == [
            "error: Content/01-a.md:6: step 2 is marked expect-error but ran without an error; fix the step or remove the flag.",
        ])
        #expect(try report.chapter("01-a").text(ofStep: 2) == "2\n")
    }

    @Test func withoutKeepGoingTheBuildStopsAtTheFirstFailure() async throws {
        let project = try TestProject(["Content/01-bad.md": "```swift\nlet x: Int = \"no\"\n```\n",
                                       "Content/02-after.md": "---\ndepends-on: [01-bad]\n---\n```swift\nprint(1)\n```\n"])
        defer { project.remove() }
        let stopped = try await project.run()
        #expect(stopped.diagnostics.count == 1)
        #expect(stopped.chapters.map(\.chapter.slug) == ["01-bad"])
        #expect(stopped.summary("02-after") == "skipped because dependency 01-bad failed")
        let all = try await project.run { $0.keepGoing = true }
        #expect(all.chapters.map(\.chapter.slug) == ["01-bad", "02-after"])
        #expect(try all.chapter("02-after").result.steps[0].failure?.message == "not run because dependency 01-bad failed.")
    }

    @Test func chapterFilterIncludesDependencies() async throws {
        let project = try TestProject(["Content/01-a.md": "```swift\nprint(1)\n```\n",
                                       "Content/02-b.md": "---\ndepends-on: [01-a]\n---\n```swift\nprint(2)\n```\n",
                                       "Content/03-c.md": "```swift\nprint(3)\n```\n"])
        defer { project.remove() }
        let report = try await project.run { $0.chapters = ["2"] }
        #expect(report.outcomes.map(\.slug) == ["01-a", "02-b"])
        await #expect(throws: NotebookError.noMatchingChapter(filter: "09-x")) { try await project.run { $0.chapters = ["09-x"] } }
    }

    @Test func missingLibraryIsAClearError() async throws {
        let project = try TestProject(["Content/01-a.md": "```swift\nprint(1)\n```\n"])
        defer { project.remove() }
        do {
            _ = try await project.run { $0.libraryDirectory = project.root }
            Issue.record("The build should fail without the library.")
        } catch let error as NotebookError {
            #expect(error.description.contains("libLoopbookKit.so was not found"))
            #expect(error.description.contains("swift build -c release --product LoopbookKit"))
        }
    }
}
