import Foundation

/// How long and from where the fuzz tests run: `LOOPBOOK_FUZZ_ITERATIONS=200000 swift test --filter FuzzTests`
/// runs longer, `LOOPBOOK_FUZZ_SEED` picks another sequence.
public enum FuzzSettings {
    /// Lets other tests' tasks run every 32 inputs. Swift's task threads on Linux are one per core, and a
    /// long CPU-bound loop on one of them starves everything else in the test process (the dev server
    /// tests time out); yielding keeps the loop a good citizen of the pool.
    public static func shareThePool(_ iteration: Int) async {
        if iteration % 32 == 0 { await Task.yield() }
    }

    /// `LOOPBOOK_FUZZ_ITERATIONS`, default 10,000.
    public static let iterations: Int = {
        ProcessInfo.processInfo.environment["LOOPBOOK_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? 10_000
    }()

    /// `LOOPBOOK_FUZZ_SEED`, default 20_250_611.
    public static let seed: UInt32 = {
        ProcessInfo.processInfo.environment["LOOPBOOK_FUZZ_SEED"].flatMap { UInt32($0) } ?? 20_250_611
    }()
}

/// Pieces shared by the fuzz tests' inputs: real chapters to start from, windows of them, failure messages.
public enum FuzzInput {
    /// The bytes of every chapter (`*.md` but README.md) in `folders`, folder by folder, names sorted.
    /// Folders that do not exist are passed over.
    public static func chapters(in folders: [URL]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".md") && name != "README.md" {
                if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
                    result.append([UInt8](data))
                }
            }
        }
        return result
    }

    /// A piece of a real chapter: the whole file one time in ten, else up to 50 lines from a random
    /// place, half of the time after the file's first 6 lines (where front matter is). Keeps each
    /// input small, so thousands run in seconds even in a debug build.
    public static func window(_ chapter: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        if random.int(below: 10) == 0 { return chapter }
        let lines = chapter.split(separator: 0x0A, omittingEmptySubsequences: false)
        let start = random.int(below: lines.count)
        var piece = Array(lines[start..<min(lines.count, start + 1 + random.int(below: 50))])
        if start > 6, random.next() & 1 == 0 { piece = Array(lines[0..<6]) + piece }
        return Array(piece.joined(separator: [0x0A]))
    }

    /// The input for a failure message: its size, and its text up to `limit` bytes (then "…").
    public static func show(_ bytes: [UInt8], limit: Int = 2_000) -> String {
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return "input (\(bytes.count) bytes):\n\(text)\(bytes.count > limit ? "\n…" : "")"
    }
}

/// Aborts the test process, after saving the input, when one input takes longer than `limitSeconds`:
/// a hang would otherwise stall the whole test run. (A crash fails the run as well; both are bugs.)
///
/// ```swift
/// let watchdog = FuzzWatchdog(name: "chapter fuzzing", limitSeconds: 20)
/// defer { watchdog.stop() }
/// for input in inputs {
///     watchdog.begin(input)
///     defer { watchdog.end() }
///     ...
/// }
/// ```
public final class FuzzWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var input: [UInt8]?
    private var started: UInt64 = 0
    private var stopped = false
    private let name: String
    private let limit: UInt64

    /// Starts watching on a thread of its own; `name` goes into the message.
    public init(name: String, limitSeconds: Double) {
        self.name = name
        limit = UInt64(limitSeconds * 1e9)
        let thread = Thread { [self] in watch() }
        thread.start()
    }

    /// `input` is being tried from now on.
    public func begin(_ input: [UInt8]) {
        lock.withLock {
            self.input = input
            started = DispatchTime.now().uptimeNanoseconds
        }
    }

    /// The input has been dealt with.
    public func end() { lock.withLock { input = nil } }

    /// Ends the watching thread.
    public func stop() { lock.withLock { stopped = true } }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            let (done, stuck): (Bool, [UInt8]?) = lock.withLock {
                if stopped { return (true, nil) }
                guard let input, DispatchTime.now().uptimeNanoseconds - started > limit else { return (false, nil) }
                return (false, input)
            }
            if done { return }
            if let stuck {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("loopbook-fuzz-hang-\(UUID().uuidString).md")
                try? Data(stuck).write(to: file)
                FileHandle.standardError.write(Data("\(name): one input ran longer than \(limit / 1_000_000_000) s; it was saved to \(file.path).\n".utf8))
                abort()
            }
        }
    }
}
