import BookModel
import Crypto
import Foundation

/// What a chapter's cache key is made of; kept per chapter so a miss can say what changed.
struct CacheComponents: Codable, Equatable, Sendable {
    /// Bumped when generated programs or stored results change shape.
    static let engineVersion = 2

    var engine = CacheComponents.engineVersion
    var path: String
    /// Hash of the steps: index, flags and code (positions in the file are not part of it, see `ResultCache`).
    var steps: String
    var timeout: Double
    var library: String
    var toolchain: String
    var data: String
    /// Hash of `Content/shared/`'s Swift files (paths and contents), compiled into every program.
    var shared = "none"
    /// Dependency slug → its key.
    var dependencies: [String: String]
    /// The edition the result was made for ("student", "teacher"), with "+solutions" when each exercise's
    /// solution ran in place of its starting code (`loopbook validate`): results of one never serve another.
    var edition = "student"

    /// A SHA-256 of every component, each length-prefixed (written by hand: a 1,000-chapter book computes
    /// 1,000 keys per build, and JSON encoding cost more than everything else in a no-op build's lookups).
    /// `CacheKeyTests` fails when a component is added that this misses.
    var key: String {
        var hasher = SHA256()
        var fields = ["loopbook cache key", String(engine), path, steps, String(timeout), library, toolchain, data,
                      shared, edition, String(dependencies.count)]
        for slug in dependencies.keys.sorted() { fields += [slug, dependencies[slug] ?? ""] }
        for field in fields {
            hasher.update(data: Array("\(field.utf8.count):".utf8))
            hasher.update(data: Array(field.utf8))
        }
        return hasher.finalize().hex
    }

    /// Why a chapter with these components has to run, given the components of its last stored result.
    func reason(comparedWith previous: CacheComponents?) -> String {
        guard let previous else { return "no cache entry" }
        if previous.toolchain != toolchain { return "the toolchain changed" }
        if previous.library != library { return "the library changed" }
        if previous.engine != engine { return "the notebook engine changed" }
        if previous.steps != steps { return "its steps changed" }
        if previous.path != path { return "its file was renamed" }
        if previous.timeout != timeout { return "its timeout changed" }
        if previous.data != data { return "the data files changed" }
        if previous.shared != shared { return "the shared code changed" }
        if previous.edition != edition { return "no cache entry for the \(edition) edition" }
        for slug in dependencies.keys.sorted() where previous.dependencies[slug] != dependencies[slug] {
            return "dependency \(slug) changed"
        }
        if previous.dependencies.keys.sorted() != dependencies.keys.sorted() { return "its dependencies changed" }
        return "no cache entry"
    }

    /// A SHA-256 of the shared files' paths and contents, length-prefixed; "none" when there are none.
    static func hashShared(_ files: [SourceFile]) -> String {
        guard !files.isEmpty else { return "none" }
        var hasher = SHA256()
        for field in [String(files.count)] + files.flatMap({ [$0.path, $0.contents] }) {
            hasher.update(data: Array("\(field.utf8.count):".utf8))
            hasher.update(data: Array(field.utf8))
        }
        return hasher.finalize().hex
    }

    /// A SHA-256 of each step's index, flags and code, length-prefixed; a `norun` step's code is left out
    /// (it never runs: only its place counts, so editing it re-renders without re-running).
    static func hashSteps(_ chapter: Chapter) -> String {
        var hasher = SHA256()
        for step in chapter.steps {
            // `flags.fold` is left out on purpose: folding changes only the page (PageKey covers it), not
            // what runs, so folding a step re-renders its page without re-running the chapter.
            let flags = step.flags
            let code = flags.norun ? "-" : "+" + step.code
            // An exercise's part changes what runs (a solution is left out, or put in place of its exercise);
            // added only when set, so the hashes of chapters without exercises stay as they were.
            let part = flags.part.map { " " + $0.rawValue } ?? ""
            for field in ["\(step.index) \(flags.hidden) \(flags.norun) \(flags.hideOutput) \(flags.expectError)\(part)", code] {
                hasher.update(data: Array("\(field.utf8.count):".utf8))
                hasher.update(data: Array(field.utf8))
            }
        }
        return hasher.finalize().hex
    }
}

/// Chapter results on disk, content-addressed by key.
///
/// Layout: `results/<key>/result.json` plus `results/<key>/files/<artifact>`; `chapters/<slug>.json` holds
/// the components of the chapter's latest entry (to explain misses). Entries are written into `tmp/`
/// and renamed into place, so an interrupted build leaves no half entry; an unreadable entry is removed.
///
/// Line numbers: failures are stored relative to their step's first code line and re-based on reading,
/// so a prose edit that shifts steps down the file re-renders without re-running.
struct ResultCache: Sendable {
    var directory: URL
    /// The identity of `lock` when the build took it (see `isIntact`); nil to skip the check.
    var lockIdentity: FileIdentity?

    /// `directory`'s lock file, `<cache>/lock`: the one file `clean --cache` leaves in place.
    static func lockFile(in directory: URL) -> URL { directory.appendingPathComponent("lock") }

    /// A cache in `directory`; `lockIdentity` is taken from its lock file now (the caller holds the lock).
    init(directory: URL, checkingLock: Bool = true) {
        self.directory = directory
        lockIdentity = checkingLock ? FileIdentity(Self.lockFile(in: directory)) : nil
    }

    var lockFile: URL { Self.lockFile(in: directory) }
    var resultsDirectory: URL { results }
    var chaptersDirectory: URL { chapters }
    private var results: URL { directory.appendingPathComponent("results", isDirectory: true) }
    private var chapters: URL { directory.appendingPathComponent("chapters", isDirectory: true) }
    private var temporary: URL { directory.appendingPathComponent("tmp", isDirectory: true) }

    func lastComponents(slug: String) -> CacheComponents? {
        guard let data = try? Data(contentsOf: chapters.appendingPathComponent("\(slug).json")) else { return nil }
        return try? JSONDecoder().decode(CacheComponents.self, from: data)
    }

    /// The stored result for `key`, re-based onto `chapter`'s current lines; nil when absent or unreadable.
    func load(key: String, chapter: Chapter) -> ChapterResult? {
        if chapter.steps.allSatisfy(\.flags.norun) {
            // Nothing to run has one result (what `ChapterExecutor` returns for it): the entry only records
            // that the chapter was built, so it is not read (a prose book of 1,000 chapters reads no JSON,
            // and builds no URL: Foundation's path appending stats the file).
            guard access(directory.path + "/results/" + key + "/result.json", F_OK) == 0 else { return nil }
            return ChapterResult(steps: chapter.steps.map { StepResult(index: $0.index) })
        }
        let entry = results.appendingPathComponent(key, isDirectory: true)
        guard FileManager.default.fileExists(atPath: entry.path) else { return nil }
        guard let data = try? Data(contentsOf: entry.appendingPathComponent("result.json")),
              var result = try? JSONDecoder().decode(ChapterResult.self, from: data),
              result.steps.count == chapter.steps.count else {
            try? FileManager.default.removeItem(at: entry)
            return nil
        }
        for index in result.artifacts.indices {
            let file = entry.appendingPathComponent("files").appendingPathComponent(result.artifacts[index].name)
            guard let contents = try? Data(contentsOf: file) else {
                try? FileManager.default.removeItem(at: entry)
                return nil
            }
            result.artifacts[index].contents = [UInt8](contents)
        }
        return Self.rebase(result, chapter: chapter, toFile: true)
    }

    func store(_ result: ChapterResult, components: CacheComponents, chapter: Chapter) throws {
        let manager = FileManager.default
        let key = components.key
        let staging = temporary.appendingPathComponent("\(key)-\(UInt64.random(in: 0...UInt64.max))")
        do {
            try manager.createDirectory(at: staging.appendingPathComponent("files"), withIntermediateDirectories: true)
            try manager.createDirectory(at: results, withIntermediateDirectories: true)
            try manager.createDirectory(at: chapters, withIntermediateDirectories: true)
            var stored = Self.rebase(result, chapter: chapter, toFile: false)
            for index in stored.artifacts.indices {
                let file = staging.appendingPathComponent("files").appendingPathComponent(stored.artifacts[index].name)
                try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(stored.artifacts[index].contents).write(to: file)
                stored.artifacts[index].contents = []
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(stored).write(to: staging.appendingPathComponent("result.json"))
            let target = results.appendingPathComponent(key)
            if rename(staging.path, target.path) != 0 {
                // Another build stored the same key first (or an old entry is in the way): keep one.
                try? manager.removeItem(at: target)
                if rename(staging.path, target.path) != 0 { try? manager.removeItem(at: staging) }
            }
            try AtomicFile.write(try encoder.encode(components), to: chapters.appendingPathComponent("\(chapter.slug).json"))
        } catch {
            try? manager.removeItem(at: staging)
            throw NotebookError.io(path: directory.path, message: "the cache entry for \(chapter.slug) could not be written: \(error.localizedDescription)")
        }
    }

    /// Converts failure lines between file lines (`toFile: true`) and lines relative to the step's first code line.
    static func rebase(_ result: ChapterResult, chapter: Chapter, toFile: Bool) -> ChapterResult {
        var result = result
        for index in result.steps.indices {
            guard var failure = result.steps[index].failure, failure.file == chapter.path,
                  index < chapter.steps.count else { continue }
            let lines = StepLines(chapter.steps[index])
            failure.line = toFile ? lines.fileLine(fromRelative: failure.line) : lines.relativeLine(fromFile: failure.line)
            result.steps[index].failure = failure
        }
        return result
    }
}
