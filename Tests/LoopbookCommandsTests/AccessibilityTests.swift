import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// The book's pages through axe-core (`Tests/Accessibility/audit.py`): every page, light and dark, at 1280 and
/// 400 px, plus the layout checks at phone width (no sideways scrolling, charts within the column and legible,
/// the page's contents reachable). The audit's tools live in `.build/a11y-venv`, which `make test` creates
/// (axe-playwright-python from PyPI; Playwright drives Debian's Chromium). Without it the test is skipped,
/// except in CI, where a missing venv is a failure.
@Suite("Accessibility", .enabled(if: Chromium.isInstalled,
                                 "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"))
struct AccessibilityTests {
    static let python = TestPaths.repository.appendingPathComponent(".build/a11y-venv/bin/python")
    static let script = TestPaths.tests.appendingPathComponent("Accessibility/audit.py")

    static var venvReady: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    @Test(.timeLimit(.minutes(30)))
    func everyPageOfTheBookHasNoViolations() async throws {
        guard Self.venvReady else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("\(Self.python.path) is missing: `make test` installs axe-playwright-python there")
            }
            return
        }
        // The book as a reader gets it: the committed Site/ (`make test` checks afterwards that it is exactly
        // what a clean build of Content/ gives). Building it here again meant a cold build of every chapter
        // beside the rest of the suite, which a loaded machine could push past the chapters' time limits.
        let project = try TemporaryProject()
        defer { project.remove() }
        try FileManager.default.copyItem(at: TestPaths.repository.appendingPathComponent("Site"), to: project.site)

        let audit = try await Self.audit(project.site, scratch: project.folder)
        let summary = audit.stdout.split(separator: "\n").last { $0.hasPrefix("accessibility audit:") }
        let found = summary.flatMap { $0.firstMatch(of: /, (\d+) violations$/) }.flatMap { Int($0.output.1) }
        #expect(found == 0, "axe-core and the layout checks found violations:\n\(audit.stdout.suffix(20_000))\n\(audit.stderr.suffix(4000))")
        #expect(audit.status == 0 || found != 0, "the audit did not run: \(audit.stderr.suffix(4000))")
        let pages = try FileManager.default.contentsOfDirectory(atPath: project.site.path).filter { $0.hasSuffix(".html") }
        #expect(pages.count >= 13, "the book's chapters, index.html and 404.html: \(pages.sorted())")
        #expect(summary?.contains("accessibility audit: \(pages.count) pages") == true,
                "every page was audited: \(summary ?? "no summary")")
    }

    /// Runs the audit script on `site`; its output goes to files in `scratch` (no pipe can fill up).
    static func audit(_ site: URL, scratch: TemporaryFolder) async throws -> (status: Int32, stdout: String, stderr: String) {
        let out = scratch.url("audit.out"), err = scratch.url("audit.err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, site.path]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        try await onThread { process.waitUntilExit() }
        return (process.terminationStatus,
                String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }
}
