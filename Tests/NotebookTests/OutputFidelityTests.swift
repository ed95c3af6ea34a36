import BookModel
import Foundation
import LoopbookRuntime
import Testing
@testable import Notebook

/// Captured output is shown as it happened, and results are never silently lost: the order of stdout and
/// stderr, partial lines before a trap, output caps that keep records, deterministic hashing, the reason
/// of every kind of trap, steps whose boundaries were swallowed, and `expect-error` steps that hang.
@Suite(.serialized) struct OutputFidelityTests {
    /// A chapter file whose only content is one step per element of `steps` (a step's code starts on line 2,
    /// and each following step 3 lines after the previous one ends).
    static func chapter(_ steps: String...) -> String {
        steps.map { "```swift\n\($0)\n```\n" }.joined(separator: "\n")
    }

    @Test func stdoutAndStderrKeepTheOrderTheyWereWrittenIn() async throws {
        let code = Self.chapter("""
            import Foundation
            print("out 1")
            FileHandle.standardError.write("err 1\\n".data(using: .utf8)!)
            print("out 2")
            fputs("err 2\\n", stderr)
            publish("n", 2)
            print("out 3")
            """)
        let project = try TestProject(["Content/01-streams.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.succeeded, "\(report.diagnostics.map(\.descriptionWithOutput))")
        #expect(try report.chapter("01-streams").result.steps[0].outputs == [
            .stdout("out 1\n"), .stderr("err 1\n"), .stdout("out 2\n"), .stderr("err 2\n"),
            .record(.value(key: "n", text: "2")), .stdout("out 3\n"),
        ])
    }

    @Test func partialLineBeforeATrapIsKept() async throws {
        let trap = """
            print("loaded 3 rows")
            print("checking row 4 ... ", terminator: "")
            let rows = [1, 2, 3]
            print(rows[3])
            """
        let project = try TestProject(["Content/01-expected.md": "```swift expect-error\n\(trap)\n```\n",
                                       "Content/02-failing.md": Self.chapter(trap)])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        let expected = try report.chapter("01-expected").result.steps[0]
        #expect(expected.outputs == [.stdout("loaded 3 rows\nchecking row 4 ... ")])
        #expect(expected.failure == StepFailure(file: "Content/01-expected.md", line: 5, message: "Fatal error: Index out of range"))
        #expect(report.diagnostics.map(\.descriptionWithOutput) == [
            "error: Content/02-failing.md:5: step 1 failed: Fatal error: Index out of range\n    output so far:\n    | loaded 3 rows\n    | checking row 4 ... ",
        ])
    }

    @Test func recordsAfterTheOutputCapAreKeptAndTheNoteSaysHowMuchWasCut() async throws {
        let code = Self.chapter("""
            for _ in 0..<30 { print(String(repeating: "x", count: 99)) }
            publish("accuracy", 0.93)
            publish("blob", String(repeating: "y", count: 5000))
            show([[\"1\"]], header: ["n"])
            """, """
            print("next step")
            """)
        let project = try TestProject(["Content/01-chatty.md": code])
        defer { project.remove() }
        let report = try await project.run { $0.outputCap = 1000 }
        #expect(report.succeeded, "\(report.diagnostics.map(\.descriptionWithOutput))")
        let chapter = try report.chapter("01-chatty")
        #expect(chapter.result.steps[0].outputs == [
            .stdout(String(repeating: String(repeating: "x", count: 99) + "\n", count: 10)),
            .truncated(droppedBytes: 2000),
            .record(.value(key: "accuracy", text: "0.930")),
            .record(.value(key: "blob", text: String(repeating: "y", count: 5000))),
            .record(.table(TableSpec(columns: ["n"], numeric: [true], rows: [["1"]]))),
        ])
        #expect(chapter.result.values["accuracy"] == "0.930")
        #expect(chapter.text(ofStep: 2) == "next step\n")
    }

    @Test func theChapterCapLimitsManyChattySteps() async throws {
        let step = "print(String(repeating: \"z\", count: 899))"
        let code = Self.chapter(step, step, step, step, step, "publish(\"done\", true)")
        let project = try TestProject(["Content/01-chatty.md": code])
        defer { project.remove() }
        let report = try await project.run { $0.outputCap = 1000 }  // the chapter keeps 4000 bytes of text
        let steps = try report.chapter("01-chatty").result.steps
        let line = String(repeating: "z", count: 899) + "\n"
        for index in 0..<4 { #expect(steps[index].outputs == [.stdout(line)]) }
        #expect(steps[4].outputs == [.stdout(String(repeating: "z", count: 400)), .truncated(droppedBytes: 500)])
        #expect(steps[5].outputs == [.record(.value(key: "done", text: "true"))])
    }

    @Test func dictionaryAndSetPrintTheSameOnEveryRun() async throws {
        let code = Self.chapter("""
            import Foundation
            let labels = ["spam", "ham", "spam", "eggs", "ham", "spam", "toast", "jam"]
            var counts: [String: Int] = [:]
            for label in labels { counts[label, default: 0] += 1 }
            print(counts)
            print(Set(labels))
            print(ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] ?? "unset")
            """)
        let project = try TestProject(["Content/01-counts.md": code])
        defer { project.remove() }
        let first = try await project.run().chapter("01-counts").text(ofStep: 1)
        let second = try await project.run { $0.force = true }.chapter("01-counts").text(ofStep: 1)
        #expect(first.hasSuffix("\n1\n"))
        #expect(first == second)
    }

    /// Every kind of trap names its reason and the line in the chapter.
    @Test func everyKindOfTrapSaysWhyAndWhere() async throws {
        let cases: [(code: String, line: Int, message: String)] = [
            ("let big = Int.max\nlet n = Int(\"1\")!\nprint(big + n)", 4, "Swift runtime failure: arithmetic overflow"),
            ("let values = [Int.max, 1]\nprint(values.reduce(0, +))", 3, FailureAnalysis.unexplainedTrap),
            ("let zero = Int(\"0\")!\nprint(1 / zero)", 3, "Fatal error: Division by zero"),
            ("let rows = [1]\nprint(rows[1])", 3, "Fatal error: Index out of range"),
            ("let name: String? = nil\nprint(name!)", 3, "Fatal error: Unexpectedly found nil while unwrapping an Optional value"),
            ("let n = 0\nprecondition(n > 0, \"n must be positive\")", 3, "Precondition failed: n must be positive"),
            ("let n = 0\nassert(n > 0, \"n must be positive\")", 3, "Assertion failed: n must be positive"),
            ("print(Int(Double.nan))", 2, "Fatal error: Double value cannot be converted to Int because it is either infinite or NaN"),
            ("print(try! trainTestSplitIndices(count: 4, testSize: 2, randomState: 0))", 2,
             "Fatal error: 'try!' expression unexpectedly raised an error: The test size (2.0) must be a fraction strictly between 0 and 1, or a row count."),
        ]
        var files: [String: String] = [:]
        for (number, trap) in cases.enumerated() {
            files[String(format: "Content/%02d-trap.md", number + 1)] = Self.chapter(trap.code)
        }
        let project = try TestProject(files)
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        for (number, trap) in cases.enumerated() {
            let path = String(format: "Content/%02d-trap.md", number + 1)
            let failure = try report.chapter(String(format: "%02d-trap", number + 1)).result.steps[0].failure
            #expect(failure == StepFailure(file: path, line: trap.line, message: trap.message), "\(trap.code)")
        }
        #expect(report.diagnostics.allSatisfy { $0.output == nil || $0.output?.isEmpty == true },
                "No backtrace remnants in the output so far: \(report.diagnostics.compactMap(\.output))")
    }

    @Test func anUncaughtErrorSaysItsOwnSentence() async throws {
        let code = Self.chapter("""
            print("splitting")
            let split = try trainTestSplitIndices(count: 4, testSize: 2, randomState: 0)
            """)
        let project = try TestProject(["Content/01-throws.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.map(\.description) == [
            "error: Content/01-throws.md:3: step 1 failed: The test size (2.0) must be a fraction strictly between 0 and 1, or a row count.",
        ], "the line of the `try`, the error's own sentence")
        #expect(report.diagnostics.first?.output == "splitting\n")
    }

    @Test func aSwallowedStepBoundaryIsAnError() async throws {
        let open = "```swift\nlet s = \"\"\"\n```\n\nprose\n\n```swift\n\"\"\"\nprint(\"two\")\nprint(s)\n```\n"
        let ended = Self.chapter("import Glibc\nprint(\"one\")\n_loopbookEnd()\nexit(0)", "print(\"two\")")
        let project = try TestProject(["Content/01-open.md": open, "Content/02-ended.md": ended])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        let sentence = "step 2 failed: it never started as a step of its own, although the program ended normally: either step 1 (line 2) leaves a string literal or a block comment open that step 2 closes, so both ran as one step (close it within step 1; each step must be complete on its own), or step 1 ended the program early (`_loopbookEnd()` is not for chapter code)."
        #expect(report.diagnostics.map(\.description) == [
            "error: Content/01-open.md:8: \(sentence)",
            "error: Content/02-ended.md:9: \(sentence)",
        ])
    }

    @Test(.timeLimit(.minutes(1))) func anExpectErrorStepThatHangsIsNotTheExpectedError() async throws {
        let code = "---\ntimeout: 1\n---\n```swift\nprint(\"setup\")\n```\n\n```swift expect-error\nwhile true { }\n```\n"
        let project = try TestProject(["Content/01-hang.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.map(\.description) == [
            "error: Content/01-hang.md:9: step 2 is marked expect-error but did not finish within 1 seconds; a timeout is not the expected error: make the step fail (a compile error or a trap) sooner, or remove the flag.",
        ])
        #expect(try report.chapter("01-hang").status == .failed)
    }
}

/// The output under an error is shown line by line; the newline that ends the last line adds no empty line.
@Test func outputSoFarHasNoEmptyLastLine() {
    let diagnostic = Diagnostic(file: "Content/01-a.md", line: 3, message: "step 1 failed", output: "one\ntwo\n")
    #expect(diagnostic.descriptionWithOutput == "error: Content/01-a.md:3: step 1 failed\n    output so far:\n    | one\n    | two")
    let partial = Diagnostic(file: "Content/01-a.md", line: 3, message: "step 1 failed", output: "one\ntwo ")
    #expect(partial.descriptionWithOutput.hasSuffix("    | one\n    | two "))
}
