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
    }

    var chapter: Chapter
    /// Where the working directories go (under work/).
    var cacheDirectory: URL
    /// The book's data/ directory, copied into each working directory, if the book has one.
    var dataDirectory: URL?
    /// The files the chapters this one depends on wrote, written into each working directory.
    var dependencyFiles: [Artifact]
    /// The most bytes of each stream a step keeps.
    var outputCap: Int
    var slots: JobSlots

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
                let nonce = Scratch.nonce()
                let out = OutputCollector(nonce: nonce, stream: .stdout, cap: cap)
                let err = OutputCollector(nonce: nonce, stream: .stderr, cap: cap)
                let termination = try ProcessRunner.run(
                    executable: binary.path, arguments: [], environment: Self.environment(nonce: nonce),
                    directory: work.path, timeout: chapter.timeout, group: programs,
                    onStdout: { out.feed($0) }, onStderr: { err.feed($0) })
                out.finish()
                err.finish()
                var execution = FailureAnalysis.analyze(termination, out: out, err: err, chapter: chapter, steps: steps)
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

    /// The chapter program's environment: a fixed locale and time zone, PATH, HOME and TMPDIR, the record
    /// nonce, and crash backtraces on.
    static func environment(nonce: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        // On a crash the runtime prints a backtrace (about 0.02 s) whose frames name chapter lines, thanks to
        // the line tables compiled in (-gline-tables-only); `FailureAnalysis` reads the line and drops the text.
        let backtrace = "enable=yes,interactive=no,color=no,symbolicate=fast,registers=none,images=none,threads=crashed,output-to=stderr,limit=64,top=16"
        var environment: [String: String] = ["LANG": "C", "LC_ALL": "C", "SWIFT_BACKTRACE": backtrace, "TZ": "UTC"]
        for key in ["PATH", "HOME", "TMPDIR"] { environment[key] = inherited[key] }
        environment[Wire.nonceVariable] = nonce
        return environment
    }
}
