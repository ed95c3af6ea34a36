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

    /// a17, the backstop: a chapter that rewrites its own code (a source, not a data file) would rebuild
    /// forever; after three builds in a row serve says it is a loop and stops following those changes,
    /// and an edit made while no build runs is still followed.
    @Test(.timeLimit(.minutes(10)))
    func chapterRewritingItselfIsReportedAsALoop() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let chapter = project.content.appendingPathComponent("03-self.md")
        try project.folder.write("Content/03-self.md", """
            # Rewrites itself

            ```swift
            import Foundation
            let me = "\(chapter.path)"
            let text = try String(contentsOfFile: me, encoding: .utf8)
            try text.replacingOccurrences(of: "// runs:", with: "// runs: x").write(toFile: me, atomically: true, encoding: .utf8)
            // runs:
            print("rewrote myself")
            ```

            """)
        let captured = CapturedConsole()
        let session = ServeSession.printing(to: captured.console, project: project)
        _ = try await session.start()
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }
        let loop = "warning: rebuild loop: Content/03-self.md changed during each of the last 3 builds"
        #expect(try await eventually(patience: .seconds(180)) { captured.stderr.contains(loop) }, "\(captured.stderr)")
        let rebuilds = captured.stderr.components(separatedBy: "; rebuilding.").count - 1
        try await Task.sleep(for: .seconds(3))
        #expect(captured.stderr.components(separatedBy: "; rebuilding.").count - 1 == rebuilds, "\(captured.stderr)")
        // An edit by hand, no build running: followed.
        try project.edit("03-self.md") { $0.replacingOccurrences(of: "# Rewrites itself", with: "# Rewrites itself, edited") }
        #expect(try await eventually(patience: .seconds(120)) {
            captured.stderr.components(separatedBy: "; rebuilding.").count - 1 > rebuilds
        }, "\(captured.stderr)")
        watching.cancel()
        await watching.value
        await session.stop()
    }

    /// a08: a chapter that starts a daemon while serve runs (as a database server would) must not hand it
    /// the dev server's port: once serve stops, the port can be bound again.
    @Test(.timeLimit(.minutes(10)))
    func daemonStartedByAChapterDoesNotKeepThePort() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        // A sleep with a duration no other test uses, to find it and end it afterwards. It lasts a quarter
        // of an hour (the test kills it): a busy CI machine once polled for it only after a 97 s one ended.
        let marker = "997.\(Int.random(in: 100_000...999_999))"
        let daemon = """
            # Starts a daemon

            ```swift
            import Glibc
            print(system("setsid -f sleep \(marker) </dev/null >/dev/null 2>&1"))
            ```

            """
        let captured = CapturedConsole()
        let session = ServeSession.printing(to: captured.console, project: project)
        _ = try await session.start()
        let port = try #require(await session.port)
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }
        // Written while serving, so the chapter runs while the server listens.
        try project.folder.write("Content/03-daemon.md", daemon)
        let started = try await eventually(patience: .seconds(300)) { !Self.processes(arguments: marker).isEmpty }
        defer { for pid in Self.processes(arguments: marker) { kill(pid, SIGKILL) } }
        #expect(started, "the chapter's daemon never started: \(captured.stderr)")
        // The server's sockets: the listener and its connections (other tests in this process have sockets
        // of their own, which are not the dev server's business).
        let serverSockets = Self.socketInodes(localPort: port)
        #expect(!serverSockets.isEmpty)
        for pid in Self.processes(arguments: marker) {
            let sockets = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/" + $0)
            }.filter { $0.hasPrefix("socket:[") }.map { String($0.dropFirst(8).dropLast()) }
            #expect(serverSockets.intersection(sockets).isEmpty, "the daemon holds the server's sockets \(serverSockets.intersection(sockets))")
        }
        watching.cancel()
        await watching.value
        await session.stop()
        // The daemon still runs; the port is free all the same.
        // Nothing listens on the port any more: a new serve can take it. (Binding it here would race with the
        // ephemeral ports of other tests' clients.)
        // The server's loop closes its listener as it winds down, which a starved machine may delay a little.
        let freed = try await eventually(patience: .seconds(60)) { Self.socketInodes(localPort: port, listening: true).isEmpty }
        #expect(freed, "something still listens on port \(port)")
    }

    /// a06, EMFILE itself: the open-files limit of a running serve is lowered to 48 and event streams
    /// (which are never pushed out) are opened until descriptors run out. The next clients get 503 (the
    /// listener stays open), serve says it ran out of file descriptors, and once the streams close, pages
    /// are served again. Before, accept()'s EMFILE closed the listener for good, silently.
    @Test(.enabled(if: LoopbookExecutable.url != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"),
                   "needs the loopbook executable and prlimit"),
          .timeLimit(.minutes(10)))
    func runningOutOfDescriptorsIsSurvivedAndSaid() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let executable = try #require(LoopbookExecutable.url)
        let serve = try ShellServe(arguments: ["-c", "exec \"$0\" serve --root \"$1\" --port 0",
                                               executable.path, project.root.path])
        defer { serve.stop() }
        try await serve.waitForOutput("Serving ")
        let port = try #require(serve.port)
        let limit = Process()
        limit.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        limit.arguments = ["--pid", String(serve.process.processIdentifier), "--nofile=48:48"]
        try limit.run()
        limit.waitUntilExit()
        try #require(limit.terminationStatus == 0)

        var (streams, refusal) = try await onThread { () throws -> ([RawClient], Int?) in
            var streams: [RawClient] = []
            for _ in 0..<100 {
                let (client, head) = try RawClient.send("GET /__loopbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
                guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200") else {
                    return (streams, try RawClient.parse(client.readAll(after: head)).status)
                }
                streams.append(client)
            }
            return (streams, nil)
        }
        #expect(refusal == 503, "after \(streams.count) streams the answer was \(refusal.map(String.init) ?? "never a refusal")")
        #expect(try await eventually(patience: .seconds(60)) { serve.stderr.contains("ran out of file descriptors") },
                "\(serve.stderr)")
        // Descriptors free up (the streams close): the same server answers again.
        streams.removeAll()
        refusal = nil
        // (The server notices the closed streams in its own time; until then a page may still get 503.)
        let served = try await eventually(patience: .seconds(60)) {
            (try? await onThread { try RawClient.request(port: port, target: "/01-basics.html").status }) == 200
        }
        #expect(served, "\(serve.stderr)")
        #expect(serve.process.isRunning, "serve exited: \(serve.stderr)")
    }

    /// Inodes of the TCP sockets whose local port is `port` (from /proc/net/tcp and tcp6), only those in
    /// the LISTEN state if `listening`.
    static func socketInodes(localPort port: UInt16, listening: Bool = false) -> Set<String> {
        let hex = String(port, radix: 16, uppercase: true)
        let suffix = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: table)).readToEnd() else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if fields.count > 9, fields[1].hasSuffix(suffix), !listening || fields[3] == "0A" { inodes.insert(String(fields[9])) }
            }
        }
        return inodes
    }

    /// Process ids whose command line contains `text`.
    static func processes(arguments text: String) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = pid_t(entry), pid != getpid(),
                  let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").contains(text) ? pid : nil
        }
    }

    /// a06: with the open-files limit at 128, 300 connections at once (idle, then closed) leave serve
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
            for _ in 0..<300 {
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
