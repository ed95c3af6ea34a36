import BookModel
import Crypto
import Foundation
import Synchronization

/// Brings a loaded book's results up to date: cache lookups, then compile and run what changed,
/// independent chapters in parallel, each after the chapters it depends on.
struct BuildDriver: Sendable {
    var notebook: Notebook
    var book: Book
    var progress: @Sendable (ProgressEvent) -> Void

    /// The outcome of one chapter, shared with the chapters that depend on it.
    struct Finished: Sendable {
        var executed: ExecutedChapter?
        var outcome: ChapterOutcome
        var diagnostics: [Diagnostic]
    }

    /// Where chapter tasks publish their outcome and wait for their dependencies'.
    actor Board {
        private var finished: [String: Finished] = [:]
        private var waiting: [String: [CheckedContinuation<Finished, Never>]] = [:]
        private(set) var stoppedBy: String?

        func publish(_ slug: String, _ value: Finished, stopsBuild: Bool) {
            finished[slug] = value
            if stopsBuild, stoppedBy == nil { stoppedBy = slug }
            for continuation in waiting.removeValue(forKey: slug) ?? [] { continuation.resume(returning: value) }
        }

        func wait(for slug: String) async -> Finished {
            if let value = finished[slug] { return value }
            return await withCheckedContinuation { waiting[slug, default: []].append($0) }
        }
    }

    func run<T: Sendable>(whileLocked body: @Sendable (NotebookReport) async throws -> T) async throws -> T {
        let options = notebook.options
        let selected = try select()
        progress(.loaded(chapters: selected.count))
        let cacheDirectory = notebook.cacheDirectory
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        } catch {
            throw NotebookError.io(path: cacheDirectory.path, message: "the cache folder could not be created: \(error.localizedDescription)")
        }
        let lock = try await FileLock.acquire(ResultCache.lockFile(in: cacheDirectory), purpose: "cache lock")
        // Taken now, while this build holds the lock: a cache folder removed during the build is noticed.
        let cache = ResultCache(directory: cacheDirectory)
        // Scratch folders left by a build that was killed half-way; results are only ever renamed into place.
        for scratch in ["tmp", "work", "build"] {
            try? FileManager.default.removeItem(at: cacheDirectory.appendingPathComponent(scratch))
        }
        let memo = cacheDirectory.appendingPathComponent("memo")
        let toolchain = try Toolchain.locate(explicit: options.compiler, memoDirectory: memo)
        let library = try RuntimeLibrary.locate(explicit: options.libraryDirectory, memoDirectory: memo)
        let dataDirectory = notebook.contentDirectory.appendingPathComponent("data")
        var isDirectory: ObjCBool = false
        let hasData = FileManager.default.fileExists(atPath: dataDirectory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let dataFolder = hasData
            ? try DataFolder(dataDirectory, display: notebook.displayPath(of: dataDirectory),
                             contentDirectory: notebook.contentDirectory)
            : nil
        let dataHash = try dataFolder?.hash() ?? "none"
        let sharedHash = CacheComponents.hashShared(book.sharedCode)
        let toolchainHash = SHA256.hash(data: Data(toolchain.version.utf8)).hex
        let moduleCache = options.moduleCacheDirectory
            ?? Self.moduleCacheDirectory(in: cacheDirectory, toolchainVersion: toolchain.version)

        // Keys in dependency order: a chapter's key covers its dependencies' keys.
        var components: [String: CacheComponents] = [:]
        for chapter in try BookLoader.order(selected) {
            var dependencies: [String: String] = [:]
            for slug in chapter.dependsOn { dependencies[slug] = components[slug]?.key }
            components[chapter.slug] = CacheComponents(
                path: chapter.path, steps: CacheComponents.hashSteps(chapter), timeout: chapter.timeout,
                library: library.fingerprint, toolchain: toolchainHash, data: dataHash, shared: sharedHash,
                dependencies: dependencies, edition: options.edition.rawValue + (options.withSolutions ? "+solutions" : ""))
        }

        let board = Board()
        let slots = JobSlots(options.jobs)
        // Cancelling the build kills its compilers and chapter programs (whole sessions) and starts no more;
        // the chapters then fail, nothing of theirs is cached, and `run` throws `CancellationError`.
        await withTaskCancellationHandler {
        await withTaskGroup(of: Void.self) { group in
            for chapter in selected {
                guard let parts = components[chapter.slug] else { continue }
                group.addTask {
                    let finished = await build(chapter, components: parts, cache: cache, board: board, slots: slots,
                                               toolchain: toolchain, library: library, moduleCache: moduleCache,
                                               dataDirectory: hasData ? dataDirectory : nil)
                    // A student's exercise that does not compile or traps stops only its own chapter: the
                    // others still run, so every error and every exercise is reported at once.
                    let stops = !options.keepGoing && (finished.executed?.status == .failed || !finished.diagnostics.isEmpty)
                        && !Self.failedInExercise(chapter, finished.diagnostics)
                    await board.publish(chapter.slug, finished, stopsBuild: stops)
                }
            }
        }
        } onCancel: {
            slots.programs.cancel()
        }
        if slots.programs.isCancelled || Task.isCancelled {
            for scratch in ["tmp", "work", "build"] {
                try? FileManager.default.removeItem(at: cacheDirectory.appendingPathComponent(scratch))
            }
            withExtendedLifetime(lock) {}
            throw CancellationError()
        }

        var executed: [ExecutedChapter] = []
        var outcomes: [ChapterOutcome] = []
        var diagnostics: [Diagnostic] = []
        var used: [String: String] = [:]
        var allFinished: [(Chapter, Finished)] = []
        var stopped = false
        for chapter in selected { allFinished.append((chapter, await board.wait(for: chapter.slug))) }
        let written = Self.writtenFiles(book.chapters, results: allFinished.compactMap(\.1.executed))
        for (chapter, finished) in allFinished {
            if let chapter = finished.executed { executed.append(chapter) }
            outcomes.append(finished.outcome)
            // Without keepGoing: the errors up to the first failed chapter, past those of broken exercises.
            if options.keepGoing || !stopped {
                diagnostics += finished.diagnostics.map { Self.addingDependencyHint(to: $0, chapter: chapter, written: written) }
            }
            if !finished.diagnostics.isEmpty, !Self.failedInExercise(chapter, finished.diagnostics) { stopped = true }
            switch finished.outcome.status {
            case .cached, .ran: used[chapter.slug] = components[chapter.slug]?.key
            case .failed, .skipped: break
            }
        }
        // Keeps the cache bounded: entries neither current nor used by a recent build go.
        cache.recordUse(used, slugs: Set(book.chapters.map(\.slug)))
        for scratch in ["tmp", "work", "build"] {
            try? FileManager.default.removeItem(at: cacheDirectory.appendingPathComponent(scratch))
        }
        let value = try await body(NotebookReport(book: book, chapters: executed, outcomes: outcomes, diagnostics: diagnostics,
                                                  dataDigest: dataFolder == nil ? nil : dataHash))
        withExtendedLifetime(lock) {}
        return value
    }

    private func build(_ chapter: Chapter, components: CacheComponents, cache: ResultCache, board: Board,
                       slots: JobSlots, toolchain: Toolchain, library: RuntimeLibrary, moduleCache: URL,
                       dataDirectory: URL?) async -> Finished {
        let options = notebook.options
        let key = components.key
        if !options.force, let result = cache.load(key: key, chapter: chapter) {
            progress(.cached(chapter: chapter.slug))
            return Finished(executed: ExecutedChapter(chapter: chapter, result: result, status: .cached),
                            outcome: ChapterOutcome(slug: chapter.slug, status: .cached, compileSeconds: 0, runSeconds: 0),
                            diagnostics: [])
        }
        if let stopper = await board.stoppedBy {
            let reason = "the build stopped at the failure in \(stopper)"
            progress(.skipped(chapter: chapter.slug, reason: reason))
            return skipped(chapter, reason: reason, keepResult: false)
        }
        let reason = options.force ? "forced" : components.reason(comparedWith: cache.lastComponents(slug: chapter.slug))
        progress(.started(chapter: chapter.slug, reason: reason))
        // Solutions never reach the students' program; `validate` runs them in place of the exercises.
        let executor = ChapterExecutor(chapter: chapter.runnable(withSolutions: options.withSolutions), toolchain: toolchain, library: library,
                                       cacheDirectory: notebook.cacheDirectory, dataDirectory: dataDirectory,
                                       dependencyFiles: [], outputCap: options.outputCap, sharedCode: book.sharedCode,
                                       moduleCacheDirectory: moduleCache, slots: slots)
        let failedDependency = Mutex<String?>(nil)
        let dependencies = chapter.dependsOn
        guard let run = await executor.execute(dependencies: {
            var files: [Artifact] = []
            for slug in dependencies {
                let dependency = await board.wait(for: slug)
                guard let result = dependency.executed, result.status != .failed else {
                    failedDependency.withLock { $0 = slug }
                    return nil
                }
                files += result.result.artifacts
            }
            return files
        }) else {
            let reason = "dependency \(failedDependency.withLock { $0 } ?? "?") failed"
            progress(.skipped(chapter: chapter.slug, reason: reason))
            return skipped(chapter, reason: reason, keepResult: options.keepGoing)
        }
        if slots.programs.isCancelled {
            // Killed by the cancellation, not failed: nothing to report, nothing to cache.
            let reason = "the build was cancelled"
            progress(.skipped(chapter: chapter.slug, reason: reason))
            return skipped(chapter, reason: reason, keepResult: false)
        }
        if !cache.isIntact {
            // The chapter's working folder went with the cache: its files (or its failure) cannot be trusted.
            progress(.finished(chapter: chapter.slug, failed: true, seconds: run.compileSeconds + run.runSeconds))
            return cacheVanished(chapter, reason: reason, run: run)
        }
        progress(.finished(chapter: chapter.slug, failed: run.failed, seconds: run.compileSeconds + run.runSeconds))
        if run.failed {
            return Finished(executed: ExecutedChapter(chapter: chapter, result: run.result, status: .failed),
                            outcome: ChapterOutcome(slug: chapter.slug, status: .failed(reason: reason),
                                                    compileSeconds: run.compileSeconds, runSeconds: run.runSeconds),
                            diagnostics: run.diagnostics)
        }
        // A cache that cannot be written costs speed, not correctness: the result is still returned.
        try? cache.store(run.result, components: components, chapter: chapter)
        return Finished(executed: ExecutedChapter(chapter: chapter, result: run.result, status: .ran(reason: reason)),
                        outcome: ChapterOutcome(slug: chapter.slug, status: .ran(reason: reason),
                                                compileSeconds: run.compileSeconds, runSeconds: run.runSeconds),
                        diagnostics: [])
    }

    /// A chapter whose run overlapped the removal of the cache folder: failed, with a sentence that says why.
    private func cacheVanished(_ chapter: Chapter, reason: String, run: ChapterRun) -> Finished {
        let cache = notebook.displayPath(of: notebook.cacheDirectory)
        let line = chapter.steps.first { !$0.flags.norun }.map { StepLines($0).firstCodeLine } ?? 1
        let message = "the cache folder \(cache) was removed while this chapter ran, so what it wrote cannot be trusted; "
            + "build again (to empty the cache, use 'loopbook clean --cache', which waits for running builds)."
        var steps = chapter.steps.map { StepResult(index: $0.index) }
        if let first = chapter.steps.first(where: { !$0.flags.norun }) {
            steps[first.index - 1].failure = StepFailure(file: chapter.path, line: line, message: message)
        }
        return Finished(executed: ExecutedChapter(chapter: chapter, result: ChapterResult(steps: steps), status: .failed),
                        outcome: ChapterOutcome(slug: chapter.slug, status: .failed(reason: reason),
                                                compileSeconds: run.compileSeconds, runSeconds: run.runSeconds),
                        diagnostics: [Diagnostic(file: chapter.path, line: line, message: message)])
    }

    private func skipped(_ chapter: Chapter, reason: String, keepResult: Bool) -> Finished {
        var executed: ExecutedChapter?
        if keepResult {
            var steps = chapter.steps.map { StepResult(index: $0.index) }
            if let first = chapter.steps.first(where: { !$0.flags.norun }) {
                steps[first.index - 1].failure = StepFailure(file: chapter.path, line: StepLines(first).firstCodeLine,
                                                             message: "not run because \(reason).")
            }
            executed = ExecutedChapter(chapter: chapter, result: ChapterResult(steps: steps), status: .failed)
        }
        return Finished(executed: executed,
                        outcome: ChapterOutcome(slug: chapter.slug, status: .skipped(reason: reason), compileSeconds: 0, runSeconds: 0),
                        diagnostics: [])
    }

    /// True when every one of `diagnostics` points into an `exercise` or `check` step of `chapter` (and there
    /// is one): a student's edit broke it, which must not hide the other chapters.
    static func failedInExercise(_ chapter: Chapter, _ diagnostics: [Diagnostic]) -> Bool {
        !diagnostics.isEmpty && diagnostics.allSatisfy { diagnostic in
            guard diagnostic.file == chapter.path, let step = StepLines.step(containing: diagnostic.line, in: chapter) else { return false }
            return step.flags.part == .exercise || step.flags.part == .check
        }
    }

    /// The files each chapter writes, by slug: those its result holds, and those its code offers by name
    /// (`offer("sample_data.csv")`), for chapters that did not run in this build.
    static func writtenFiles(_ chapters: [Chapter], results: [ExecutedChapter]) -> [String: Set<String>] {
        var written: [String: Set<String>] = [:]
        for result in results { written[result.chapter.slug, default: []].formUnion(result.result.artifacts.map(\.name)) }
        for chapter in chapters {
            for step in chapter.steps where !step.flags.norun {
                var rest = step.code[...]
                while let call = rest.range(of: "offer(\"") {
                    let name = rest[call.upperBound...].prefix { $0 != "\"" && !$0.isNewline }
                    if !name.isEmpty { written[chapter.slug, default: []].insert(String(name)) }
                    rest = rest[call.upperBound...]
                }
            }
        }
        return written
    }

    /// `diagnostic` with a hint when its step failed to find a file that another chapter, not in this
    /// one's `depends-on`, writes: only the files of the chapters it depends on are copied in.
    static func addingDependencyHint(to diagnostic: Diagnostic, chapter: Chapter, written: [String: Set<String>]) -> Diagnostic {
        guard diagnostic.file == chapter.path else { return diagnostic }
        let text = diagnostic.message + "\n" + (diagnostic.output ?? "")
        let lowered = text.lowercased()
        let missing = ["no such file", "does not exist", "doesn’t exist", "doesn't exist", "couldn’t be opened",
                       "couldn't be opened", "could not be read", "not found"]
        guard missing.contains(where: lowered.contains) else { return diagnostic }
        for (slug, names) in written.sorted(by: { $0.key < $1.key })
        where slug != chapter.slug && !chapter.dependsOn.contains(slug) {
            guard let name = names.sorted().first(where: { Self.mentions(text, $0) }) else { continue }
            var hinted = diagnostic
            hinted.message += " Chapter \(slug) writes '\(name)', but only the files of the chapters in depends-on are copied in; add 'depends-on: [\((chapter.dependsOn + [slug]).joined(separator: ", "))]' to this chapter's front matter."
            return hinted
        }
        return diagnostic
    }

    /// Whether `text` names the file `name` as a whole (not `old_sample_data.csv` for `sample_data.csv`).
    private static func mentions(_ text: String, _ name: String) -> Bool {
        let isNamePart: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } ?? false }
        var rest = text[...]
        while let range = rest.range(of: name) {
            let after = rest[range.upperBound...]
            // A full stop may end the sentence ("…sample_data.csv."), but "sample_data.csv.bak" is another file.
            let endsHere = !isNamePart(after.first) && !(after.first == "." && isNamePart(after.dropFirst().first))
            if !isNamePart(rest[..<range.lowerBound].last), endsHere { return true }
            rest = after
        }
        return false
    }

    /// The chapters the options select, plus everything they depend on, in book order.
    private func select() throws -> [Chapter] {
        guard let filters = notebook.options.chapters, !filters.isEmpty else { return book.chapters }
        var wanted: Set<String> = []
        for filter in filters {
            let matches = book.chapters.filter { $0.slug == filter || "\($0.slug).md" == filter || Int(filter) == $0.number }
            guard !matches.isEmpty else { throw NotebookError.noMatchingChapter(filter: filter) }
            wanted.formUnion(matches.map(\.slug))
        }
        var added = true
        while added {
            added = false
            for chapter in book.chapters where wanted.contains(chapter.slug) {
                for slug in chapter.dependsOn where !wanted.contains(slug) { wanted.insert(slug); added = true }
            }
        }
        return book.chapters.filter { wanted.contains($0.slug) }
    }

    /// swiftc's module cache for this cache folder and compiler: `<cache>/module-cache/<key>`, where the
    /// key hashes the folder's absolute path and the compiler's version; other folders in module-cache/
    /// are removed (the caller holds the cache lock).
    ///
    /// Why the path is in the key: clang records the module cache's absolute path in every precompiled
    /// module, so a project copied or moved elsewhere would otherwise fail every compile with "was compiled
    /// with module cache path '…'" and "missing required module 'SwiftShims'". A new path (or compiler)
    /// starts a new module cache instead, at the cost of rebuilding it once (a few seconds).
    static func moduleCacheDirectory(in cacheDirectory: URL, toolchainVersion: String) -> URL {
        let parent = cacheDirectory.standardizedFileURL.appendingPathComponent("module-cache")
        let key = SHA256.hash(data: Data("\(parent.path)\n\(toolchainVersion)".utf8)).hex.prefix(16)
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where name != key {
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
        return parent.appendingPathComponent(String(key))
    }
}
