import BookModel
import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Stopping and cancelling: `serve` ends on Ctrl-C or SIGTERM at any moment, a change cancels a rebuild
/// whose chapter hangs, a reader that goes away never kills a build, and what a chapter prints can't
/// drive the terminal.
@Suite("interrupting and cancelling builds")
struct InterruptionTests {
    /// `loopbook serve` gets SIGINT or SIGTERM while a rebuild runs a chapter that spins forever: it exits
    /// promptly with 128 + the signal, and the chapter program it started ends with it.
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(5)), arguments: [SIGINT, SIGTERM])
    func serveStopsDuringARebuildAndEndsItsChapterProgram(signal: Int32) async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        let serve = try ServeProcess(project: project)
        defer { serve.kill() }
        try await serve.waitForOutput("Serving Site/ at http://127.0.0.1:")

        let marker = project.root.appendingPathComponent("chapter.pid")
        try project.edit("02-more.md") { text in
            text.replacingOccurrences(of: "print(squares)", with: Self.spinning(marker: marker))
                .replacingOccurrences(of: "title: More", with: "title: More\ntimeout: 600")
        }
        let chapterPID = try await Self.waitForPID(in: marker, while: serve.process)

        kill(serve.process.processIdentifier, signal)
        let exited = await serve.waitForExit(within: .seconds(10))
        #expect(exited, "serve did not stop within 10 s of signal \(signal)")
        #expect(serve.process.terminationReason == .exit && serve.process.terminationStatus == 128 + signal,
                "exit \(serve.process.terminationStatus)")
        let ended = await Processes.endsSoon(chapterPID)
        #expect(ended, "the chapter program (pid \(chapterPID)) outlived serve")
        Glibc.kill(chapterPID, SIGKILL)
        #expect(serve.stderr.contains("Stopped."), "\(serve.stderr)")
        #expect(!serve.stderr.contains("Build failed"), "a cancelled rebuild is not a failure: \(serve.stderr)")
        #expect(project.siteSnapshot() == before, "stopping serve changed Site/")
    }

    /// Ctrl-C during serve's first build (before it serves anything) stops it as well.
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(5)))
    func serveStopsDuringItsFirstBuild() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let marker = project.root.appendingPathComponent("chapter.pid")
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: Self.spinning(marker: marker)) }
        let serve = try ServeProcess(project: project)
        defer { serve.kill() }
        let chapterPID = try await Self.waitForPID(in: marker, while: serve.process)
        kill(serve.process.processIdentifier, SIGINT)
        let exited = await serve.waitForExit(within: .seconds(10))
        #expect(exited)
        #expect(serve.process.terminationStatus == 130, "exit \(serve.process.terminationStatus)")
        let ended = await Processes.endsSoon(chapterPID)
        #expect(ended, "the chapter program (pid \(chapterPID)) outlived serve")
        Glibc.kill(chapterPID, SIGKILL)
    }

    /// Saving a fix while a chapter hangs cancels the hanging run: the fixed page arrives in seconds,
    /// not after the chapter's timeout, and the killed run leaves nothing in the cache.
    @Test(.timeLimit(.minutes(5)))
    func aChangeCancelsTheRunningRebuild() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let captured = CapturedConsole()
        let session = ServeSession.printing(to: captured.console, project: project)
        _ = try await session.start()
        let port = try #require(await session.port)
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }
        defer { watching.cancel() }

        let marker = project.root.appendingPathComponent("chapter.pid")
        try project.edit("02-more.md") { text in
            text.replacingOccurrences(of: "print(squares)", with: Self.spinning(marker: marker))
                .replacingOccurrences(of: "title: More", with: "title: More\ntimeout: 600")
        }
        let chapterPID = try await Self.waitForPID(in: marker, log: { captured.stderr })

        let saved = ContinuousClock.now
        try project.edit("02-more.md") { text in
            text.replacingOccurrences(of: Self.spinning(marker: marker), with: "print(Array(squares.reversed()))")
        }
        var page = ""
        while ContinuousClock.now - saved < .seconds(120) {
            page = try await onThread { try RawClient.request(port: port, target: "/02-more.html").text }
            if page.contains("[16, 9, 4, 1]") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(page.contains("[16, 9, 4, 1]"), "the fixed page was not served")
        #expect(ContinuousClock.now - saved < .seconds(30), "the fix took \(ContinuousClock.now - saved)")
        let ended = await Processes.endsSoon(chapterPID)
        #expect(ended, "the hanging chapter program (pid \(chapterPID)) was not killed")
        Glibc.kill(chapterPID, SIGKILL)
        #expect(captured.stderr.contains("Build cancelled"), "\(captured.stderr)")
        #expect(!captured.stderr.contains("error:"), "a cancelled rebuild reports no error: \(captured.stderr)")

        watching.cancel()
        await watching.value
        await session.stop()
    }

    /// `loopbook build 2>&1 | head -1`: once the reader has gone, the build goes on, publishes the site
    /// and writes its report, and exits 0 (not 141, SIGPIPE).
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(5)))
    func aClosedOutputNeverKillsTheBuild() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let executable = try #require(LoopbookExecutable.url)
        try FileManager.default.removeItem(at: project.site)
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(".loopbook/last-build.json"))
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: "print(squares.count)") }

        let pipe = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", "--root", project.root.path]
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        try pipe.fileHandleForReading.close()   // the reader is gone before the first progress line
        try pipe.fileHandleForWriting.close()
        process.waitUntilExit()

        #expect(process.terminationReason == .exit && process.terminationStatus == 0,
                "exit \(process.terminationStatus) (\(process.terminationReason == .exit ? "status" : "signal"))")
        let page = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(page.contains("<pre"), "the site was not published")
        #expect(FileManager.default.fileExists(atPath: project.root.appendingPathComponent(".loopbook/last-build.json").path))
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// A failing step's output is echoed under its error with every control character escaped: it can't
    /// retitle the terminal, ring the bell, or move the cursor up and erase the error line.
    @Test func controlCharactersInAFailingStepAreEscapedOnTheTerminal() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("02-more.md") { text in
            text.replacingOccurrences(of: "print(squares)", with: #"""
                print("title:\u{1B}]0;pwned-title\u{07} bell:\u{07}")
                print("\u{1B}[2K\u{1B}[1A\u{1B}[2K(the error line above was erased)\r\u{9B}2K\u{202E}txt.exe")
                exit(3)
                """#)
        }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: Content/02-more.md:12: step 1 failed: the step exited with status 3."),
                "\(result.stderr)")
        #expect(result.stderr.contains("    | title:^[]0;pwned-title^G bell:^G\n"), "\(result.stderr)")
        #expect(result.stderr.contains("    | ^[[2K^[[1A^[[2K(the error line above was erased)^M<U+009B>2K<U+202E>txt.exe\n"),
                "\(result.stderr)")
        let controls = result.stderr.unicodeScalars.filter { TerminalText.needsEscapeForTests($0) }
        #expect(controls.isEmpty, "raw control characters reached the terminal: \(controls.map(\.value))")
    }

    @Test func terminalTextKeepsNewlinesAndTabsAndEscapesTheRest() {
        #expect(TerminalText.escaped("a\tb\nc") == "a\tb\nc")
        #expect(TerminalText.escaped("\u{1B}[31mred\u{1B}[0m") == "^[[31mred^[[0m")
        #expect(TerminalText.escaped("\u{0}\u{7}\u{8}\r\u{7F}") == "^@^G^H^M^?")
        #expect(TerminalText.escaped("\u{85}\u{9B}") == "<U+0085><U+009B>")
        #expect(TerminalText.escaped("abc\u{202E}def\u{2066}") == "abc<U+202E>def<U+2066>")
        #expect(TerminalText.escaped("é ✓ 日本") == "é ✓ 日本")
    }

    // MARK: - Helpers

    /// Step code that writes its pid to `marker`, then spins (a hang the chapter's timeout would end).
    static func spinning(marker: URL) -> String {
        """
        try String(getpid()).write(toFile: "\(marker.path)", atomically: true, encoding: .utf8)
        while true { }
        """
    }

    /// Waits until `marker` holds a pid (the chapter program started); fails if `process` ends first.
    static func waitForPID(in marker: URL, while process: Process? = nil,
                           log: () -> String = { "" }) async throws -> pid_t {
        for _ in 0..<1800 {  // the deadline only covers a slow cold compile
            if let text = try? String(contentsOf: marker, encoding: .utf8), let pid = pid_t(text) { return pid }
            if let process, !process.isRunning { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("the chapter program never started: \(log())")
        throw CancellationError()
    }
}

extension TerminalText {
    /// The characters the console must never print raw.
    static func needsEscapeForTests(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value != 0x0A && scalar.value != 0x09
            && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value))
    }
}

/// `loopbook serve --port 0` on a project, its stderr collected as it arrives.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var collected = Data()

    init(project: TemporaryProject) throws {
        let executable = try #require(LoopbookExecutable.url)
        process.executableURL = executable
        process.arguments = ["serve", "--root", project.root.path, "--port", "0"]
        let pipe = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.collected.append(data) }
            if data.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
    }

    var stderr: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    func waitForOutput(_ text: String) async throws {
        for _ in 0..<1800 {
            if stderr.contains(text) { return }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        Issue.record("serve never printed '\(text)': \(stderr)")
        throw CancellationError()
    }

    func waitForExit(within limit: Duration) async -> Bool {
        let start = ContinuousClock.now
        while process.isRunning, ContinuousClock.now - start < limit {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return !process.isRunning
    }

    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}
