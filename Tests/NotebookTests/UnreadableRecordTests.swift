import BookModel
import Foundation
import Testing
@testable import Notebook

/// A record line that carries the run's nonce but cannot be read fails the build at its step: only the
/// runtime knows the nonce, so such a line means the tool and libLoopbookKit disagree, and what the
/// chapter meant to show must not vanish without a word.
@Suite struct UnreadableRecordTests {
    @Test func aRecordTheEngineCannotReadFailsItsStep() async throws {
        let code = """
            # Records

            ```swift
            print("before")
            ```

            ```swift
            import Foundation
            let nonce = ProcessInfo.processInfo.environment["\(Wire.nonceVariable)"]!
            print("\\u{1E}LOOPBOOK \\(nonce) {\\"record\\":{\\"_0\\":{\\"sparkline\\":{}}}}")
            print("after")
            ```
            """
        let project = try TestProject(["Content/01-records.md": code])
        defer { project.remove() }
        let report = try await project.run()
        #expect(report.diagnostics.count == 1)
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.place == "Content/01-records.md:8")
        #expect(diagnostic.message.hasPrefix("step 2 failed: step 2 sent a table, chart or value that this loopbook cannot read ("),
                "\(diagnostic.message)")
        #expect(diagnostic.message.hasSuffix("the tool and libLoopbookKit are from different builds: rebuild both with 'make tool'."))
    }
}
