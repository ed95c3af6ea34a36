import Foundation

/// Headless Chromium (Debian's `chromium` package), for tests that look at pages as a browser lays them out.
///
/// ```swift
/// @Test(.enabled(if: Chromium.isInstalled, "needs /usr/bin/chromium"))
/// func pageRenders() async throws {
///     let dom = try await Chromium.run(["--dump-dom", url.absoluteString]).stdout
/// }
/// ```
public enum Chromium {
    public static let path = "/usr/bin/chromium"

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int32
        public var stderr: String
        public var description: String { "chromium exited with status \(status): \(stderr.suffix(2000))" }
    }

    /// Runs headless Chromium with a fresh profile in a folder of its own (its working directory);
    /// stdout and stderr go to files (no pipe can fill up). With `timeout`, a run that takes longer is
    /// ended and fails; with `requireSuccess`, so does a run that exits with a status other than 0.
    public static func run(_ arguments: [String], timeout: Duration? = .seconds(90),
                           requireSuccess: Bool = true) async throws -> (stdout: String, stderr: String) {
        let scratch = try TemporaryFolder(prefix: "chromium")
        defer { scratch.remove() }
        let out = scratch.url("stdout"), err = scratch.url("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             "--user-data-dir=\(scratch.url("profile").path)"] + arguments
        process.currentDirectoryURL = scratch.root
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        // A thread of its own: blocking a Dispatch global-queue thread would starve Swift's tasks
        // (a dev server under test among them).
        let seconds = timeout.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        let finished = try await onThread {
            let deadline = seconds.map { Date().addingTimeInterval($0) }
            while process.isRunning, deadline.map({ Date() < $0 }) ?? true { usleep(50_000) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                return false
            }
            return true
        }
        let stdout = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        guard finished, !requireSuccess || process.terminationStatus == 0 else {
            throw Failure(status: finished ? process.terminationStatus : -1, stderr: stderr)
        }
        return (stdout, stderr)
    }
}
