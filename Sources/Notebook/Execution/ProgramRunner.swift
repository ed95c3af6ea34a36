import BookModel
import Foundation

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
                    try manager.copyItem(at: dataDirectory, to: work.appendingPathComponent("data"))
                }
                for file in dependencyFiles {
                    let url = work.appendingPathComponent(file.name)
                    try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.contents).write(to: url)
                }
                let nonce = Scratch.nonce()
                let output = OutputCollector(nonce: nonce, cap: cap)
                let termination = try ProcessRunner.run(
                    executable: binary.path, arguments: [], environment: Self.environment(nonce: nonce),
                    directory: work.path, timeout: chapter.timeout, group: programs, ordered: true,
                    onStdout: { output.feed($0, from: .stdout) }, onStderr: { output.feed($0, from: .stderr) })
                output.finish()
                let symbolizer = self.symbolizer
                var execution = FailureAnalysis.analyze(termination, output: output, chapter: chapter, steps: steps) { site in
                    symbolizer.flatMap { Self.line(of: site, in: binary, symbolizer: $0, chapter: chapter) }
                }
                if case .timedOut = termination { execution.timedOut = true }
                if collectArtifacts {
                    execution.artifacts = try Self.artifacts(in: work, excluding: dependencyFiles)
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

    /// The files a chapter wrote into its working directory, except data/ and unchanged dependency files.
    static func artifacts(in work: URL, excluding inherited: [Artifact]) throws -> [Artifact] {
        let inheritedContents = Dictionary(inherited.map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
        var artifacts: [Artifact] = []
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: work, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let root = work.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root) else { continue }
            let name = String(path.dropFirst(root.count))
            if name == "data" || name.hasPrefix("data/") { enumerator.skipDescendants(); continue }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let contents = [UInt8](try Data(contentsOf: url))
            if inheritedContents[name] == contents { continue }
            artifacts.append(Artifact(name: name, contents: contents))
        }
        return artifacts.sorted { $0.name < $1.name }
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
