import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("loopbook serve, hardened")
struct HardenedServeTests {
    /// a17: a chapter appends to Content/data/log.csv each time it runs. One edit makes one rebuild, and
    /// serve says that the build changed the file instead of rebuilding forever (it rebuilt ~40 times in
    /// 25 s before).
    @Test(.timeLimit(.minutes(10)))
    func chapterWritingIntoContentDoesNotRebuildForever() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let log = project.content.appendingPathComponent("data/log.csv")
        try project.folder.write("Content/data/log.csv", "")
        try project.folder.write("Content/03-log.md", """
            # Writes into Content/ during the build

            ```swift
            import Foundation
            let log = "\(log.path)"
            let old = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try (old + "run at \\(Date().timeIntervalSince1970)\\n").write(toFile: log, atomically: true, encoding: .utf8)
            print("appended to the log")
            ```

            """)
        let captured = CapturedConsole()
        let session = ServeSession.printing(to: captured.console, project: project)
        _ = try await session.start()
        let warning = "warning: Content/data/log.csv changed while the book was building"
        #expect(captured.stderr.contains(warning), "\(captured.stderr)")
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }

        try project.edit("03-log.md") { $0 + "\nOne more line.\n" }
        // The rebuild for the edit runs the chapter again, which writes the log again.
        let rebuilt = try await eventually(patience: .seconds(120)) {
            captured.stderr.components(separatedBy: warning).count - 1 >= 2
        }
        #expect(rebuilt, "\(captured.stderr)")
        // Then nothing more happens: the log's change was the build's own.
        try await Task.sleep(for: .seconds(3))
        let rebuilds = captured.stderr.components(separatedBy: "; rebuilding.").count - 1
        #expect(rebuilds == 1, "one edit made \(rebuilds) rebuilds:\n\(captured.stderr)")
        let runs = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count
        #expect(runs == 2, "the chapter ran \(runs) times")
        // Saving the data file by hand (no build running) is followed.
        try project.folder.write("Content/data/log.csv", "edited by hand\n")
        #expect(try await eventually(patience: .seconds(120)) {
            captured.stderr.components(separatedBy: "; rebuilding.").count - 1 == 2
        }, "\(captured.stderr)")

        watching.cancel()
        await watching.value
        await session.stop()
    }

    /// a06: with the open-files limit at 128, 400 connections at once (idle, then closed) leave serve
    /// listening and answering; it used to stop accepting for good, silently.
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(10)))
    func connectionFloodUnderALowFileLimitLeavesServeAnswering() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let executable = try #require(LoopbookExecutable.url)
        let serve = try ShellServe(arguments: ["-c", "ulimit -n 128 && exec \"$0\" serve --root \"$1\" --port 0",
                                               executable.path, project.root.path])
        defer { serve.stop() }
        try await serve.waitForOutput("Serving ")
        let port = try #require(serve.port)

        let flood = try await onThread { () throws -> Int in
            var clients: [RawClient] = []
            for _ in 0..<400 {
                guard let client = try? RawClient(port: port, timeout: .seconds(5)) else { break }
                clients.append(client)
            }
            Thread.sleep(forTimeInterval: 1)
            return clients.count
        }
        #expect(flood > 100, "only \(flood) connections could be opened")
        let page = try await onThread { try RawClient.request(port: port, target: "/01-basics.html") }
        #expect(page.status == 200)
        #expect(serve.process.isRunning, "serve exited: \(serve.stderr)")
    }
}

/// `loopbook serve --port 0` started through `bash -c` (so a limit can be lowered first), its stderr
/// collected as it arrives.
final class ShellServe: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var collected = Data()

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
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

    /// The port from the "Serving Site/ at http://127.0.0.1:PORT/" line.
    var port: UInt16? {
        let text = stderr
        guard let range = text.range(of: "http://127.0.0.1:") else { return nil }
        return UInt16(text[range.upperBound...].prefix { $0.isNumber })
    }

    func waitForOutput(_ text: String) async throws {
        let found = try await eventually(patience: .seconds(180)) { [self] in stderr.contains(text) || !process.isRunning }
        guard found, stderr.contains(text) else {
            Issue.record("serve never printed '\(text)': \(stderr)")
            throw CancellationError()
        }
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }
}
