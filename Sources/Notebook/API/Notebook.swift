import BookModel
import Foundation

/// How a build runs the book's code.
public struct NotebookOptions: Sendable, Equatable {
    /// Ignore cached results and run every selected chapter.
    public var force = false
    /// Run every chapter even after a failure (failed steps become `StepResult.failure`s).
    public var keepGoing = false
    /// How many chapters compile and run at once (default: the number of cores).
    public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Only these chapters (slugs like "03-data" or numbers like "3") and the chapters they depend on; nil for all.
    public var chapters: [String]?
    /// The folder with libLoopbookKit.so and Modules/; nil to use `$LOOPBOOK_LIBRARY_DIR` or the executable's folder.
    public var libraryDirectory: URL?
    /// Where results are cached; nil for `<project>/.loopbook/cache`.
    public var cacheDirectory: URL?
    /// The Swift compiler; nil for `$SWIFTC` or `swiftc` on PATH.
    public var compiler: String?
    /// swiftc's module cache; nil for `<cache>/module-cache/<key>`, the key hashing the cache folder's path and
    /// the compiler version (so a moved project starts a fresh one). Sharing one across projects saves ~4 s per
    /// cold cache; a shared one must not be moved.
    public var moduleCacheDirectory: URL?
    /// Bytes of stdout (and separately of stderr) kept per step; the rest is dropped with a note.
    public var outputCap = 1 << 20
    /// The edition being built (part of the result cache key, so editions never share results).
    public var edition: Edition = .student
    /// Run each exercise's solution in place of its starting code (`loopbook validate`); cached apart.
    public var withSolutions = false

    public init(force: Bool = false, keepGoing: Bool = false, jobs: Int? = nil, chapters: [String]? = nil,
                libraryDirectory: URL? = nil, cacheDirectory: URL? = nil, compiler: String? = nil,
                moduleCacheDirectory: URL? = nil) {
        self.moduleCacheDirectory = moduleCacheDirectory
        self.force = force
        self.keepGoing = keepGoing
        if let jobs { self.jobs = max(1, jobs) }
        self.chapters = chapters
        self.libraryDirectory = libraryDirectory
        self.cacheDirectory = cacheDirectory
        self.compiler = compiler
    }
}

/// What a build reports while it works; the library never prints, the CLI shows these.
public enum ProgressEvent: Sendable, Equatable {
    /// The book was read: this many chapters will be considered.
    case loaded(chapters: Int)
    /// A chapter's result came from the cache.
    case cached(chapter: String)
    /// A chapter starts compiling and running, and why (e.g. "its steps changed").
    case started(chapter: String, reason: String)
    /// A chapter finished (successfully or not) after `seconds`.
    case finished(chapter: String, failed: Bool, seconds: Double)
    /// A chapter was not run because a chapter it depends on failed, or the build stopped early.
    case skipped(chapter: String, reason: String)
}

/// What happened to one chapter in a build (timings are for the terminal, never for pages).
public struct ChapterOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case cached
        case ran(reason: String)
        case failed(reason: String)
        /// Not run: a dependency failed, or the build stopped at an earlier failure.
        case skipped(reason: String)
    }
    public var slug: String
    public var status: Status
    /// Seconds spent compiling (all programs of the chapter) and running.
    public var compileSeconds: Double
    public var runSeconds: Double

    /// "cached", "ran because its steps changed", "failed (ran because …)", "skipped because …".
    public var summary: String {
        switch status {
        case .cached: "cached"
        case let .ran(reason): "ran because \(reason)"
        case let .failed(reason): "failed (ran because \(reason))"
        case let .skipped(reason): "skipped because \(reason)"
        }
    }
}

/// The result of `Notebook.run`.
public struct NotebookReport: Sendable {
    public var book: Book
    /// The chapters that have results, in book order (every selected chapter with `keepGoing`).
    public var chapters: [ExecutedChapter]
    /// One per selected chapter, in book order.
    public var outcomes: [ChapterOutcome]
    /// Errors at Markdown locations; empty when the build succeeded. Without `keepGoing`, those of the
    /// first failed chapter (in book order) only.
    public var diagnostics: [Diagnostic]
    /// SHA-256 (hex) over the relative paths and contents of `Content/data/`'s files, in sorted order; nil
    /// when the book has no data folder. What a downloaded chapter's archive key covers of the data.
    public var dataDigest: String? = nil

    /// True when no step failed unexpectedly.
    public var succeeded: Bool { diagnostics.isEmpty }
}

/// The notebook engine: loads `Content/`, runs each chapter's steps as one Swift program, and caches results.
///
/// ```swift
/// let notebook = Notebook(projectRoot: root, options: NotebookOptions(keepGoing: true))
/// let report = try await notebook.run { event in print(event) }
/// for diagnostic in report.diagnostics { print(diagnostic) }
/// ```
public struct Notebook: Sendable {
    public var projectRoot: URL
    public var contentDirectory: URL
    public var options: NotebookOptions

    /// `contentDirectory` defaults to `<projectRoot>/Content`.
    public init(projectRoot: URL, contentDirectory: URL? = nil, options: NotebookOptions = NotebookOptions()) {
        self.projectRoot = projectRoot.standardizedFileURL
        self.contentDirectory = (contentDirectory ?? projectRoot.appendingPathComponent("Content")).standardizedFileURL
        self.options = options
    }

    /// The cache folder in use.
    public var cacheDirectory: URL {
        options.cacheDirectory ?? projectRoot.appendingPathComponent(".loopbook/cache")
    }

    /// Reads book.yml and every chapter (front matter, prose, steps) without running anything.
    public func loadBook() throws -> Book {
        try BookLoader(contentDirectory: contentDirectory, displayPrefix: displayPath(of: contentDirectory)).load()
    }

    /// Loads the book and brings every selected chapter's results up to date (from the cache or by running).
    ///
    /// Throws `NotebookError` when the book cannot be loaded or the compiler or library is missing; step
    /// failures do not throw, they are in the report's `diagnostics`.
    public func run(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async throws -> NotebookReport {
        try await run(progress: progress) { $0 }
    }

    /// `run(progress:)`, then `body` with the report while this build still holds the cache lock
    /// (`<cache>/lock`), for work that writes more into the cache folder (the site's page cache): a
    /// `loopbook clean --cache` or another build waits until `body` returns. Returns what `body` returns.
    public func run<T: Sendable>(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in },
                                 whileLocked body: @Sendable (NotebookReport) async throws -> T) async throws -> T {
        let book = try loadBook()
        return try await BuildDriver(notebook: self, book: book, progress: progress).run(whileLocked: body)
    }

    /// Kills every chapter program (and compiler) that builds in this process are running, together with
    /// the processes they started. For a command that was interrupted: chapter programs run in sessions of
    /// their own, so the terminal's Ctrl-C does not reach them. Builds still running then fail.
    public static func killRunningPrograms() {
        ProcessRunner.killAllSessions()
    }

    /// `path` relative to the project root when it is inside it, else absolute.
    func displayPath(of url: URL) -> String {
        let root = projectRoot.path.hasSuffix("/") ? projectRoot.path : projectRoot.path + "/"
        let path = url.standardizedFileURL.path
        if path.hasPrefix(root) { return String(path.dropFirst(root.count)) }
        return path
    }
}
