import BookModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What running one chapter produced.
struct ChapterRun: Sendable {
    var result: ChapterResult
    /// Unexpected failures (a step that failed, or an `expect-error` step that did not).
    var diagnostics: [Diagnostic]
    var compileSeconds: Double
    var runSeconds: Double
    /// False when the result must not be cached (a failure, or a timeout that may not repeat).
    var failed: Bool { !diagnostics.isEmpty }
}

/// Limits how many compilers and chapter programs run at once.
actor JobSlots {
    /// The programs started under these slots: cancelling the build cancels this group.
    nonisolated let programs = ProgramGroup()
    private var free: Int
    /// Waiting runs go before waiting compiles: a chapter others wait for should not queue behind their compiles.
    private var waitingRuns: [CheckedContinuation<Void, Never>] = []
    private var waitingCompiles: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = max(1, count) }

    func acquire(urgent: Bool) async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { continuation in
            if urgent { waitingRuns.append(continuation) } else { waitingCompiles.append(continuation) }
        }
    }

    func release() {
        if !waitingRuns.isEmpty { waitingRuns.removeFirst().resume() }
        else if !waitingCompiles.isEmpty { waitingCompiles.removeFirst().resume() }
        else { free += 1 }
    }

    /// Runs blocking `work` on a thread of its own while holding a slot.
    ///
    /// Not on `DispatchQueue.global()`: on Linux, Swift's tasks run on Dispatch's global queue, whose few
    /// threads (one per core) a compile or a chapter program would hold for seconds, stalling every task
    /// in the process meanwhile — such as the dev server answering requests during a rebuild.
    func withSlot<T: Sendable>(urgent: Bool = false, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire(urgent: urgent)
        defer { release() }
        if programs.isCancelled { throw CancellationError() }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}

/// Compiles and runs one chapter: the main program (every runnable step except `expect-error` ones),
/// and for each `expect-error` step a variant made of the steps before it plus that step.
///
/// Why variants: a step expected not to compile cannot be part of the program the other steps run in,
/// and a step expected to trap ends its program; so the main program leaves them out (later steps can't
/// depend on a step that fails anyway), and each variant shows that its step really fails — at compile
/// time or at run time — in a working directory of its own, so it adds no artifacts.
struct ChapterExecutor: Sendable {
    var chapter: Chapter
    var toolchain: Toolchain
    var library: RuntimeLibrary
    var cacheDirectory: URL
    var dataDirectory: URL?
    var dependencyFiles: [Artifact]
    var outputCap: Int
    var moduleCacheDirectory: URL?
    var slots: JobSlots

    enum Compiled: Sendable {
        case binary(URL)
        case errors([Diagnostic])
    }

    struct Execution: Sendable {
        var outputs: [Int: [StepOutput]]
        /// The step that failed and how, if the program did not run to its end.
        var failure: (step: Int, failure: StepFailure, output: String)?
        var artifacts: [Artifact]
        var seconds: Double
    }

    /// Compiles, then waits for `dependencies` (the files the chapters this one depends on wrote; nil
    /// when one of them failed, and then this returns nil too), then runs.
    ///
    /// Compiling does not need the dependencies' files, so it overlaps with their runs.
    func execute(dependencies: @Sendable () async -> [Artifact]?) async -> ChapterRun? {
        let runnable = chapter.steps.filter { !$0.flags.norun }
        if runnable.isEmpty {
            return ChapterRun(result: ChapterResult(steps: chapter.steps.map { StepResult(index: $0.index) }),
                              diagnostics: [], compileSeconds: 0, runSeconds: 0)
        }
        let expectErrorSteps = runnable.filter(\.flags.expectError)
        let scratch = cacheDirectory.appendingPathComponent("build").appendingPathComponent("\(chapter.slug)-\(Self.nonce())")
        defer { try? FileManager.default.removeItem(at: scratch) }

        // Compile the main program and every variant, in parallel.
        var programs: [(name: String, source: String)] = [
            ("main", ProgramGenerator.program(for: chapter) { !$0.flags.expectError }),
        ]
        for step in expectErrorSteps {
            programs.append(("step\(step.index)", ProgramGenerator.program(for: chapter) {
                $0.index == step.index || ($0.index < step.index && !$0.flags.expectError)
            }))
        }
        let compileStart = DispatchTime.now().uptimeNanoseconds
        var compiled: [String: Compiled] = [:]
        await withTaskGroup(of: (String, Compiled).self) { group in
            for program in programs {
                group.addTask {
                    let directory = scratch.appendingPathComponent(program.name)
                    return (program.name, await compile(program.source, in: directory))
                }
            }
            for await (name, outcome) in group { compiled[name] = outcome }
        }
        let compileSeconds = Self.seconds(since: compileStart)
        guard let files = await dependencies() else { return nil }
        var executor = self
        executor.dependencyFiles = files
        return await executor.finish(compiled: compiled, compileSeconds: compileSeconds)
    }

    private func finish(compiled: [String: Compiled], compileSeconds: Double) async -> ChapterRun {
        let runnable = chapter.steps.filter { !$0.flags.norun }
        var results = chapter.steps.map { StepResult(index: $0.index) }
        var diagnostics: [Diagnostic] = []
        let expectErrorSteps = runnable.filter(\.flags.expectError)
        var runSeconds = 0.0

        switch compiled["main"] {
        case let .errors(errors)?:
            for error in errors { record(error, in: &results, diagnostics: &diagnostics) }
            return ChapterRun(result: ChapterResult(steps: results), diagnostics: diagnostics,
                              compileSeconds: compileSeconds, runSeconds: 0)
        case let .binary(binary)?:
            let execution = await run(binary, steps: runnable.filter { !$0.flags.expectError }, collectArtifacts: true)
            runSeconds += execution.seconds
            for (index, outputs) in execution.outputs { results[index - 1].outputs = outputs }
            var artifacts = execution.artifacts
            if let (step, failure, output) = execution.failure {
                results[step - 1].failure = failure
                diagnostics.append(Diagnostic(file: failure.file, line: failure.line, column: failure.column,
                                              message: "step \(step) failed: \(failure.message)", output: output))
            }
            for step in expectErrorSteps {
                let outcome = await checkExpectedError(step, compiled: compiled["step\(step.index)"], results: &results,
                                                       diagnostics: &diagnostics)
                runSeconds += outcome
            }
            artifacts.sort { $0.name < $1.name }
            var values: [String: String] = [:]
            for step in results {
                for case let .record(.value(key, text)) in step.outputs { values[key] = text }
            }
            return ChapterRun(result: ChapterResult(steps: results, values: values, artifacts: artifacts),
                              diagnostics: diagnostics, compileSeconds: compileSeconds, runSeconds: runSeconds)
        case nil:
            return ChapterRun(result: ChapterResult(steps: results), diagnostics: diagnostics,
                              compileSeconds: compileSeconds, runSeconds: 0)
        }
    }

    /// Records the variant's outcome for an `expect-error` step; returns the seconds spent running.
    private func checkExpectedError(_ step: Step, compiled: Compiled?, results: inout [StepResult],
                                    diagnostics: inout [Diagnostic]) async -> Double {
        let line = ProgramGenerator.firstCodeLine(of: step)
        switch compiled {
        case let .errors(errors)?:
            if let own = errors.first(where: { ProgramGenerator.step(containing: $0.line, in: chapter)?.index == step.index
                && $0.file == chapter.path }) {
                results[step.index - 1].failure = StepFailure(file: own.file, line: own.line, column: own.column, message: own.message)
            } else {
                for error in errors { record(error, in: &results, diagnostics: &diagnostics) }
            }
            return 0
        case let .binary(binary)?:
            let steps = chapter.steps.filter { !$0.flags.norun && ($0.index == step.index || ($0.index < step.index && !$0.flags.expectError)) }
            let execution = await run(binary, steps: steps, collectArtifacts: false)
            results[step.index - 1].outputs = execution.outputs[step.index] ?? []
            if let (failedStep, failure, output) = execution.failure {
                if failedStep == step.index {
                    results[step.index - 1].failure = failure
                } else {
                    diagnostics.append(Diagnostic(file: failure.file, line: failure.line, column: failure.column,
                                                  message: "step \(failedStep) failed: \(failure.message)", output: output))
                }
            } else {
                let message = "step \(step.index) is marked expect-error but ran without an error; fix the step or remove the flag."
                results[step.index - 1].failure = StepFailure(file: chapter.path, line: line, message: message)
                diagnostics.append(Diagnostic(file: chapter.path, line: line, message: message))
            }
            return execution.seconds
        case nil:
            return 0
        }
    }

    /// Attaches a compiler error to the step it points into (or the first runnable step).
    private func record(_ error: Diagnostic, in results: inout [StepResult], diagnostics: inout [Diagnostic]) {
        diagnostics.append(error)
        let step = (error.file == chapter.path ? ProgramGenerator.step(containing: error.line, in: chapter) : nil)
            ?? chapter.steps.first { !$0.flags.norun }
        if let step, results[step.index - 1].failure == nil {
            results[step.index - 1].failure = StepFailure(file: error.file, line: error.line, column: error.column, message: error.message)
        }
    }

    // MARK: - Compiling

    private func compile(_ source: String, in directory: URL) async -> Compiled {
        let chapter = self.chapter, toolchain = self.toolchain, library = self.library, programs = slots.programs
        let moduleCache = moduleCacheDirectory
            ?? BuildDriver.moduleCacheDirectory(in: cacheDirectory, toolchainVersion: toolchain.version)
        do {
            return try await slots.withSlot {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let file = directory.appendingPathComponent("main.swift")
                try Data(source.utf8).write(to: file)
                let binary = directory.appendingPathComponent("chapter")
                let lib = library.directory.path
                let arguments = ["-Onone", "-gline-tables-only", "-swift-version", "5", file.path,
                                 "-I", "\(lib)/Modules", "-L", lib, "-lLoopbookKit",
                                 "-Xlinker", "-rpath", "-Xlinker", lib,
                                 "-o", binary.path, "-module-cache-path", moduleCache.path]
                let (termination, _, err) = try ProcessRunner.capture(
                    executable: toolchain.swiftc, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                    directory: directory.path, timeout: 600, group: programs)
                if termination == .exited(0) { return .binary(binary) }
                let errors = Self.parseDiagnostics(String(decoding: err, as: UTF8.self), chapter: chapter, generated: file.path)
                return .errors(errors)
            }
        } catch {
            let line = chapter.steps.first.map(ProgramGenerator.firstCodeLine) ?? 1
            return .errors([Diagnostic(file: chapter.path, line: line, message: "the chapter could not be compiled: \(error)")])
        }
    }

    /// The `error:` lines of swiftc's output as diagnostics; errors in the generated glue point at the chapter.
    static func parseDiagnostics(_ text: String, chapter: Chapter, generated: String) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        var seen: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: ": error: ") else { continue }
            let location = line[..<range.lowerBound]
            let message = String(line[range.upperBound...])
            let parts = location.split(separator: ":", omittingEmptySubsequences: false)
            var diagnostic: Diagnostic
            if parts.count >= 3, let lineNumber = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) {
                let file = parts.dropLast(2).joined(separator: ":")
                diagnostic = file == chapter.path
                    ? Diagnostic(file: file, line: lineNumber, column: column, message: message)
                    : Diagnostic(file: chapter.path, line: chapter.steps.first.map(ProgramGenerator.firstCodeLine) ?? 1,
                                 message: "in the code generated around the steps: \(message)")
            } else {
                diagnostic = Diagnostic(file: chapter.path, line: chapter.steps.first.map(ProgramGenerator.firstCodeLine) ?? 1,
                                        message: message)
            }
            if seen.insert(diagnostic.description).inserted { errors.append(diagnostic) }
        }
        if errors.isEmpty {
            let summary = text.split(separator: "\n").suffix(5).joined(separator: " ")
            errors.append(Diagnostic(file: chapter.path, line: chapter.steps.first.map(ProgramGenerator.firstCodeLine) ?? 1,
                                     message: "the compiler failed without an error message: \(summary)"))
        }
        return errors
    }

    // MARK: - Running

    private func run(_ binary: URL, steps: [Step], collectArtifacts: Bool) async -> Execution {
        let chapter = self.chapter, cap = outputCap, dependencyFiles = self.dependencyFiles
        let dataDirectory = self.dataDirectory, programs = slots.programs
        let work = cacheDirectory.appendingPathComponent("work").appendingPathComponent("\(chapter.slug)-\(Self.nonce())")
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
                let nonce = Self.nonce()
                let out = OutputCollector(nonce: nonce, stream: .stdout, cap: cap)
                let err = OutputCollector(nonce: nonce, stream: .stderr, cap: cap)
                let termination = try ProcessRunner.run(
                    executable: binary.path, arguments: [], environment: Self.environment(nonce: nonce),
                    directory: work.path, timeout: chapter.timeout, group: programs,
                    onStdout: { out.feed($0) }, onStderr: { err.feed($0) })
                out.finish()
                err.finish()
                var execution = Self.analyze(termination, out: out, err: err, chapter: chapter, steps: steps)
                if collectArtifacts {
                    execution.artifacts = try Self.artifacts(in: work, excluding: dependencyFiles)
                }
                execution.seconds = Self.seconds(since: start)
                return execution
            }
        } catch {
            let step = steps.first ?? chapter.steps[0]
            let failure = StepFailure(file: chapter.path, line: ProgramGenerator.firstCodeLine(of: step),
                                      message: "the chapter program could not be run: \(error)")
            return Execution(outputs: [:], failure: (step.index, failure, ""), artifacts: [], seconds: Self.seconds(since: start))
        }
    }

    /// Splits outputs per step and works out whether, where and how the program failed.
    static func analyze(_ termination: ProcessRunner.Termination, out: OutputCollector, err: OutputCollector,
                        chapter: Chapter, steps: [Step]) -> Execution {
        let firstStep = steps.first?.index ?? 1
        var outputs: [Int: [StepOutput]] = [:]
        for step in steps {
            outputs[step.index] = out.outputs(for: step.index, firstStep: firstStep) + err.outputs(for: step.index, firstStep: firstStep)
        }
        if termination == .exited(0), out.ended {
            return Execution(outputs: outputs, failure: nil, artifacts: [], seconds: 0)
        }
        let current = max(out.currentStep, err.currentStep)
        let step = steps.first { $0.index == current } ?? steps.first ?? chapter.steps[0]
        var line = ProgramGenerator.firstCodeLine(of: step)
        var items = outputs[step.index] ?? []
        var fatal: String?
        // A crash prints a backtrace (see `environment`) whose frames name chapter lines: the innermost
        // one locates traps inside the standard library (an index out of range, a force-unwrapped nil),
        // whose message names no chapter line. The backtrace itself is addresses: it is not kept.
        let crashLine = Self.removeBacktrace(from: &items, chapterPath: chapter.path)
        outputs[step.index] = items
        var locatedByMessage = false
        // A trap prints "<module>/<file>:<line>: Fatal error: <message>" (or "Precondition failed",
        // "Assertion failed") and a stack trace: keep the message in the failure and drop the
        // (address-dependent) rest from the page.
        let trapKinds = ["Fatal error", "Precondition failed", "Assertion failed"]
        func trapRange(in line: Substring) -> Range<Substring.Index>? {
            for kind in trapKinds {
                if let range = line.range(of: ": \(kind)"),
                   line[range.upperBound...].isEmpty || line[range.upperBound...].hasPrefix(": ") {
                    return range
                }
            }
            return nil
        }
        if let position = items.firstIndex(where: { output in
            guard case let .stderr(text) = output else { return false }
            return text.split(separator: "\n").contains { trapRange(in: $0) != nil }
        }), case let .stderr(text) = items[position] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if let fatalLine = lines.firstIndex(where: { trapRange(in: $0) != nil }), let range = trapRange(in: lines[fatalLine]) {
                let raw = lines[fatalLine]
                fatal = String(raw[raw.index(range.lowerBound, offsetBy: 2)...])
                let location = raw[..<range.lowerBound].split(separator: ":")
                let fileName = (chapter.path as NSString).lastPathComponent
                if location.count >= 2, location[0].hasSuffix("/" + fileName) || location[0] == Substring(fileName),
                   let number = Int(location[1]) {
                    line = number
                    locatedByMessage = true
                }
                let before = lines[..<fatalLine].joined(separator: "\n")
                items.removeSubrange(position...)
                if !before.isEmpty { items.append(.stderr(before + "\n")) }
                outputs[step.index] = items
            }
        }
        if !locatedByMessage, let crashLine { line = crashLine }
        let message: String
        switch termination {
        case let .timedOut(seconds):
            message = "the chapter program did not finish within \(Self.format(seconds)) seconds and was stopped while step \(step.index) was running; raise 'timeout' in the front matter if it needs longer."
        case let .signaled(signal):
            message = fatal ?? "the chapter program crashed with signal \(signal) (\(Self.signalName(signal)))."
        case let .exited(status) where status != 0:
            message = fatal ?? "the step exited with status \(status)."
        case .exited:
            message = "the step ended the program (exit status 0) before the remaining steps ran."
        }
        let text = (outputs[step.index] ?? []).compactMap { output -> String? in
            switch output {
            case let .stdout(text), let .stderr(text): text
            default: nil
            }
        }.joined()
        let excerpt = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
        return Execution(outputs: outputs, failure: (step.index, StepFailure(file: chapter.path, line: line, message: message), excerpt),
                         artifacts: [], seconds: 0)
    }

    /// Removes the Swift runtime's crash backtrace (from its `*** Signal N: Backtracing` line on) from a
    /// step's stderr and returns the line of its innermost frame in the chapter file, if any.
    ///
    /// Frames read like `3 [ra] 0x000055c6f1971fe0 main + 255 in chapter at Content/02-more.md:14:14`.
    static func removeBacktrace(from items: inout [StepOutput], chapterPath: String) -> Int? {
        func start(in text: String) -> String.Index? {
            for marker in ["*** Signal ", "*** Program crashed"] {
                if text.hasPrefix(marker) { return text.startIndex }
                if let range = text.range(of: "\n" + marker) { return text.index(after: range.lowerBound) }
            }
            return nil
        }
        guard let position = items.firstIndex(where: { if case let .stderr(text) = $0 { start(in: text) != nil } else { false } }),
              case let .stderr(text) = items[position], let cut = start(in: text) else { return nil }
        var backtrace = String(text[cut...])
        for case let .stderr(more) in items[(position + 1)...] { backtrace += more }
        var kept = String(text[..<cut])
        while kept.hasSuffix("\n\n") { kept.removeLast() }
        items = Array(items[..<position]) + (kept.isEmpty ? [] : [.stderr(kept)])
            + items[(position + 1)...].filter { if case .stderr = $0 { false } else { true } }
        let marker = " at \(chapterPath):"
        for frame in backtrace.split(separator: "\n") {
            guard let range = frame.range(of: marker) else { continue }
            let digits = frame[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let number = Int(digits) { return number }
        }
        return nil
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

    static func environment(nonce: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        // On a crash the runtime prints a backtrace (about 0.02 s) whose frames name chapter lines, thanks to
        // the line tables compiled in (-gline-tables-only); `analyze` reads the line and drops the text.
        let backtrace = "enable=yes,interactive=no,color=no,symbolicate=fast,registers=none,images=none,threads=crashed,output-to=stderr,limit=64,top=16"
        var environment: [String: String] = ["LANG": "C", "LC_ALL": "C", "SWIFT_BACKTRACE": backtrace, "TZ": "UTC"]
        for key in ["PATH", "HOME", "TMPDIR"] { environment[key] = inherited[key] }
        environment["LOOPBOOK_NONCE"] = nonce
        return environment
    }

    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }

    static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL, a Swift runtime trap"
        case SIGTRAP: "SIGTRAP, a Swift runtime trap"
        case SIGABRT: "SIGABRT"
        case SIGSEGV: "SIGSEGV, a bad memory access"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE, an arithmetic error"
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
