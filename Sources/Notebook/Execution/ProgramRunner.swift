import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one compiled chapter program and collects what it did.
///
/// Its job: a fresh working directory holding a copy of the book's data/ and the files the chapters this
/// one depends on wrote; the program spawned under a job slot (runs go before waiting compiles) and in
/// `slots.programs`, so cancelling the build kills it; its outputs split per step, the failure worked out
/// by `FailureAnalysis`, and the files it wrote kept as artifacts.
struct ProgramRunner: Sendable {
    /// What one run of a chapter program produced.
    struct Execution: Sendable {
        var outputs: [Int: [StepOutput]]
        /// The step that failed and how, if the program did not run to its end.
        var failure: (step: Int, failure: StepFailure, output: String)?
        var artifacts: [Artifact]
        var seconds: Double
        /// Whether the program was stopped because it ran longer than the chapter's timeout.
        var timedOut = false
    }

    var chapter: Chapter
    /// Where the working directories go (under work/).
    var cacheDirectory: URL
    /// The book's data/ directory, copied into each working directory, if the book has one.
    var dataDirectory: URL?
    /// The files the chapters this one depends on wrote, written into each working directory.
    var dependencyFiles: [Artifact]
    /// The most bytes of each stream a step keeps (the chapter keeps at most 4 times as much text).
    var outputCap: Int
    var slots: JobSlots
    /// The toolchain's `llvm-symbolizer`, which locates an uncaught error's `try`; nil to use the step's first line.
    var symbolizer: String?

    /// Runs `binary`, which runs `steps`; with `collectArtifacts`, keeps the files it wrote.
    func run(_ binary: URL, steps: [Step], collectArtifacts: Bool) async -> Execution {
        let chapter = self.chapter, cap = outputCap, dependencyFiles = self.dependencyFiles
        let dataDirectory = self.dataDirectory, programs = slots.programs
        let work = Scratch.directory("work", in: cacheDirectory, for: chapter)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            return try await slots.withSlot(urgent: true) {
                defer { try? FileManager.default.removeItem(at: work) }
                let manager = FileManager.default
                try manager.createDirectory(at: work, withIntermediateDirectories: true)
                if let dataDirectory {
                    // Scanned again, not trusted from the build's start: a pipe made since would block the copy.
                    try DataFolder(dataDirectory, display: "data", contentDirectory: dataDirectory.deletingLastPathComponent())
                        .copy(to: work.appendingPathComponent("data"))
                }
                for file in dependencyFiles {
                    let url = work.appendingPathComponent(file.name)
                    try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.contents).write(to: url)
                }
                let limits = SpawnLimits(memory: chapter.limits.memory, fileSize: chapter.limits.maxFileSize)
                let nonce = Scratch.nonce()
                let output = OutputCollector(nonce: nonce, cap: cap)
                let termination = try ProcessRunner.run(
                    executable: binary.path, arguments: [], environment: Self.environment(nonce: nonce),
                    directory: work.path, timeout: chapter.timeout, group: programs, ordered: true, limits: limits,
                    onStdout: { output.feed($0, from: .stdout) }, onStderr: { output.feed($0, from: .stderr) })
                output.finish()
                let symbolizer = self.symbolizer
                var execution = FailureAnalysis.analyze(termination, output: output, chapter: chapter, steps: steps) { site in
                    symbolizer.flatMap { Self.line(of: site, in: binary, symbolizer: $0, chapter: chapter) }
                }
                if case .timedOut = termination { execution.timedOut = true }
                if execution.failure == nil, let (index, reason) = output.unreadableRecord,
                   let step = steps.first(where: { $0.index == index }) ?? steps.first {
                    let message = "step \(step.index) sent a table, chart or value that this loopbook cannot read (\(reason)); the tool and libLoopbookKit are from different builds: rebuild both with 'make tool'."
                    execution.failure = (step.index, StepFailure(file: chapter.path, line: StepLines(step).firstCodeLine,
                                                                 message: message), "")
                }
                if let (step, failure, shown) = execution.failure,
                   let message = Self.limitMessage(termination, failure: failure, output: shown, limits: limits,
                                                  chapter: chapter, step: step) {
                    execution.failure = (step, StepFailure(file: failure.file, line: failure.line, column: failure.column,
                                                           message: message), shown)
                }
                if collectArtifacts {
                    switch try Self.artifacts(in: work, excluding: dependencyFiles, limit: chapter.limits.maxArtifactsSize) {
                    case let .files(artifacts):
                        execution.artifacts = artifacts
                    case let .tooLarge(total, largest):
                        if execution.failure == nil {
                            execution.failure = Self.artifactsFailure(total: total, largest: largest, chapter: chapter, steps: steps)
                        }
                    }
                }
                execution.seconds = Scratch.seconds(since: start)
                return execution
            }
        } catch {
            let step = steps.first ?? chapter.steps[0]
            let failure = StepFailure(file: chapter.path, line: StepLines(step).firstCodeLine,
                                      message: "the chapter program could not be run: \(error)")
            return Execution(outputs: [:], failure: (step.index, failure, ""), artifacts: [], seconds: Scratch.seconds(since: start))
        }
    }

    /// The chapter line of `address` (relative to the load address) in the compiled program, if it is one.
    static func line(of address: Int, in binary: URL, symbolizer: String, chapter: Chapter) -> Int? {
        guard let (termination, out, _) = try? ProcessRunner.capture(
            executable: symbolizer, arguments: ["--obj=\(binary.path)", "--no-inlines", "0x" + String(address, radix: 16)],
            environment: [:], directory: binary.deletingLastPathComponent().path, timeout: 10),
            termination == .exited(0) else { return nil }
        // "main\n<compile directory>/Content/01-a.md:12:9\n"
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        guard lines.count >= 2 else { return nil }
        let place = lines[1].hasPrefix(chapter.path + ":") ? lines[1].startIndex..<lines[1].index(lines[1].startIndex, offsetBy: chapter.path.count + 1)
            : lines[1].range(of: "/" + chapter.path + ":")
        guard let place else { return nil }
        return Int(lines[1][place.upperBound...].prefix { $0.isNumber })
    }

    /// What a chapter left in its working folder: the files to keep, or too many bytes of them.
    enum LeftFiles {
        case files([Artifact])
        /// More than the limit: the total, and the largest file with its size.
        case tooLarge(total: Int64, largest: (name: String, size: Int64))
    }

    /// The files a chapter wrote into its working directory, except data/, tmp/ (scratch, never kept),
    /// unchanged dependency files and anything that is not a regular file (a link is not followed).
    ///
    /// Sizes are added up before anything is read, so files above `limit` in all are never loaded.
    static func artifacts(in work: URL, excluding inherited: [Artifact], limit: Int64) throws -> LeftFiles {
        let inheritedContents = Dictionary(inherited.map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: work, includingPropertiesForKeys: nil) else { return .files([]) }
        let root = work.standardizedFileURL.path + "/"
        var found: [(name: String, url: URL, size: Int64)] = []
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let name = String(path.dropFirst(root.count))
            if ["data", "tmp"].contains(where: { name == $0 || name.hasPrefix($0 + "/") }) {
                enumerator.skipDescendants()
                continue
            }
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            found.append((name, url, Int64(info.st_size)))
        }
        var total: Int64 = 0
        var largest: (name: String, size: Int64) = ("", -1)
        for file in found where inheritedContents[file.name].map({ Int64($0.count) != file.size }) ?? true {
            total += file.size
            if file.size > largest.size || (file.size == largest.size && file.name < largest.name) { largest = (file.name, file.size) }
        }
        if total > limit { return .tooLarge(total: total, largest: largest) }
        var artifacts: [Artifact] = []
        for file in found {
            let contents = [UInt8](try Data(contentsOf: file.url))
            if inheritedContents[file.name] == contents { continue }
            artifacts.append(Artifact(name: file.name, contents: contents))
        }
        return .files(artifacts.sorted { $0.name < $1.name })
    }

    /// The failure for a chapter that left more than `max-artifacts-size` of files, at the step whose code
    /// names the largest file (else the last step).
    static func artifactsFailure(total: Int64, largest: (name: String, size: Int64), chapter: Chapter,
                                 steps: [Step]) -> (step: Int, failure: StepFailure, output: String) {
        let quoted = "\"\(largest.name)\""
        let step = steps.last { $0.code.contains(quoted) } ?? steps.last ?? chapter.steps[0]
        var line = StepLines(step).firstCodeLine
        if let offset = step.code.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(where: { $0.contains(quoted) }) {
            line += offset
        }
        let limit = chapter.limits.maxArtifactsSize
        let message = "the chapter left \(ByteSize.format(total)) of files in its folder ('\(largest.name)' is \(ByteSize.format(largest.size))), more than the \(ByteSize.format(limit)) it may publish; write scratch files under tmp/ (never published) or delete them, or raise 'max-artifacts-size' in the front matter, e.g. 'max-artifacts-size: \(ByteSize.format(min(max(total, limit) * 2, 10_000_000_000)).replacingOccurrences(of: " ", with: ""))'."
        return (step.index, StepFailure(file: chapter.path, line: line, message: message), "")
    }

    /// The message for a program that broke one of its limits (memory, file size), or nil.
    static func limitMessage(_ termination: ProcessRunner.Termination, failure: StepFailure, output: String,
                             limits: SpawnLimits, chapter: Chapter, step: Int) -> String? {
        let memory = ByteSize.format(chapter.limits.memory)
        let raise = "raise 'memory' in the front matter if it needs more, e.g. 'memory: \(ByteSize.format(chapter.limits.memory * 2).replacingOccurrences(of: " ", with: ""))'."
        if limits.memoryExceeded {
            return "the chapter program used more than \(memory) of memory, its limit, and was stopped while step \(step) was running; \(raise)"
        }
        if termination == .signaled(SIGXFSZ) {
            let size = ByteSize.format(chapter.limits.maxFileSize)
            return "the chapter program tried to write a file larger than \(size), its limit, while step \(step) was running; write less, or raise 'max-file-size' in the front matter, e.g. 'max-file-size: \(ByteSize.format(chapter.limits.maxFileSize * 2).replacingOccurrences(of: " ", with: ""))'."
        }
        // The Swift runtime's words when an allocation fails (the address-space limit, see `SpawnLimits`).
        // It prints that line before its crash report, with no chapter location, so it is in the output.
        let said = (failure.message + "\n" + output).split(separator: "\n").first {
            $0.contains("failed to allocate") || $0.contains("Could not allocate memory")
        }
        if let said {
            var reason = said.drop { $0 != ":" }.dropFirst().drop { $0 == " " }
            while reason.last == "." { reason.removeLast() }
            return "the chapter program ran out of memory while step \(step) was running (\(reason.isEmpty ? said : reason)); its limit is \(memory): \(raise)"
        }
        return nil
    }

    /// The chapter program's environment: a fixed locale and time zone, deterministic hashing (so a
    /// `Dictionary` or `Set` prints in the same order on every run), PATH, HOME and TMPDIR, the record
    /// nonce, and crash backtraces on.
    static func environment(nonce: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        // On a crash the runtime prints a backtrace whose frames name chapter lines, thanks to
        // the line tables compiled in (-gline-tables-only); `FailureAnalysis` reads the line and drops the text.
        // Full symbolication: only it names the inlined check that failed ("Swift runtime failure: arithmetic
        // overflow") and the chapter line of the frame it is inlined into.
        let backtrace = "enable=yes,interactive=no,color=no,symbolicate=full,registers=none,images=none,threads=crashed,output-to=stderr,limit=64,top=16"
        var environment: [String: String] = ["LANG": "C", "LC_ALL": "C", "SWIFT_BACKTRACE": backtrace,
                                             "SWIFT_DETERMINISTIC_HASHING": "1", "TZ": "UTC"]
        for key in ["PATH", "HOME", "TMPDIR"] { environment[key] = inherited[key] }
        environment[Wire.nonceVariable] = nonce
        return environment
    }
}
