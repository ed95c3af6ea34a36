import BookModel
import Foundation
import Notebook
import SiteKit

/// Builds a book: loads `Content/`, runs the chapters (cached by content), renders the site in memory and
/// publishes it atomically. The work behind `build`, `check` and `serve`.
///
/// Stages pass values: the notebook runs the chapters, the renderer turns the results into `SiteFiles`,
/// and only `build()` writes the site folder — atomically, and never after a failure or a cancellation.
/// Progress arrives as `ProgressEvent`s; failures come back as typed `BuildIssue`s. The library never
/// prints.
///
/// Cancelling the task that runs `render()` or `build()` kills the chapter programs and compilers the
/// build started (their whole sessions) and returns promptly with `cancelled` set; nothing is published
/// and nothing from the cancelled runs is cached.
public struct SiteBuilder: Sendable {
    public var layout: ProjectLayout
    public var options: NotebookOptions

    public init(layout: ProjectLayout, options: NotebookOptions = NotebookOptions()) {
        self.layout = layout
        self.options = options
    }

    /// What a build produced.
    public struct Outcome: Sendable {
        /// The notebook's report, when the book could be loaded.
        public var report: NotebookReport?
        /// The rendered site, when every chapter succeeded and rendering worked.
        public var files: SiteFiles?
        /// Every problem, in book order; empty when the build succeeded.
        public var issues: [BuildIssue]
        /// What publishing changed, when the site was published.
        public var published: PublishReport?
        /// True when the build was cancelled before it finished (nothing was published).
        public var cancelled = false
        /// Wall-clock seconds (for the terminal and the build report only).
        public var seconds: Double
        /// Things the author should know that are not errors, one sentence each (e.g. why the site has no
        /// print page).
        public var notes: [String] = []
        /// The chapters' downloadable archives: how many this build made and how many came from the cache.
        public var downloads = DownloadCounts()

        public var succeeded: Bool { issues.isEmpty && !cancelled }

        public init(report: NotebookReport? = nil, files: SiteFiles? = nil, issues: [BuildIssue] = [],
                    published: PublishReport? = nil, cancelled: Bool = false, seconds: Double = 0) {
            self.report = report; self.files = files; self.issues = issues; self.published = published
            self.cancelled = cancelled; self.seconds = seconds
        }
    }

    /// How many chapter archives (`downloads/<slug>.zip`) a build made, and how many it took from the cache.
    public struct DownloadCounts: Sendable, Equatable {
        public var built = 0
        public var cached = 0
        public init(built: Int = 0, cached: Int = 0) { self.built = built; self.cached = cached }
    }

    var notebook: Notebook {
        var options = options
        if options.cacheDirectory == nil { options.cacheDirectory = layout.cacheDirectory }
        return Notebook(projectRoot: layout.root, contentDirectory: layout.content, options: options)
    }

    /// Runs the chapters and renders the site in memory, reporting each chapter's progress. Pages come from
    /// the page cache when one is given and their inputs are unchanged (`build` and `serve`; `check` renders
    /// every page).
    public func render(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async -> Outcome {
        await render(pageCache: nil, progress: progress)
    }

    func render(pageCache: PageStore?, progress: @escaping @Sendable (ProgressEvent) -> Void) async -> Outcome {
        let start = ContinuousClock.now
        var outcome = Outcome()
        do {
            // Rendered while the cache lock is still held: the page cache and the formula cache are in the
            // cache folder, which `clean --cache` must not empty under a build that is writing them.
            outcome = try await notebook.run(progress: progress) { report in
                var outcome = Outcome()
                outcome.report = report
                outcome.issues = report.diagnostics.map(BuildIssue.located)
                if report.succeeded, options.chapters == nil {
                    let book = report.book
                    var info = BookInfo(title: book.title ?? "Untitled book", subtitle: book.subtitle, author: book.author,
                                        language: book.language ?? "en", logo: book.logo, repository: book.repository,
                                        editURL: book.editURL, siteURL: book.siteURL, codeFold: book.codeFold)
                    info.edition = options.edition
                    let chapterCount = report.chapters.count
                    info.print = book.print ?? (chapterCount <= BookInfo.automaticPrintChapterLimit)
                    if book.print == nil, !info.print {
                        outcome.notes.append("print.html was not written: the book has \(chapterCount) chapters, more than "
                            + "\(BookInfo.automaticPrintChapterLimit); add 'print: true' to \(layout.display(layout.content))/book.yml to write it "
                            + "anyway, or 'print: false' to go without it and this note.")
                    }
                    do {
                        // `check` (no page cache) renders every formula afresh too: it must not trust any cache.
                        let math = MathRenderer.katex(cacheDirectory: pageCache == nil ? nil : notebook.cacheDirectory)
                        // The chapters' downloads first: each page links them with the archive's size.
                        var downloadFiles = SiteFiles()
                        var links: [String: ChapterDownloadLinks] = [:]
                        if book.downloads {
                            let downloads = ChapterDownloads(content: layout.content, edition: options.edition,
                                                             sharedCode: book.sharedCode, dataDigest: report.dataDigest)
                            links = try downloads.add(book.chapters, executed: report.chapters, into: &downloadFiles,
                                                      store: pageCache, counts: &outcome.downloads)
                        }
                        var files = try SiteRenderer(book: info, math: math).render(report.chapters, assets: book.assets,
                                                                                    downloads: links, pageCache: pageCache)
                        pageCache?.prune()
                        try ChapterDownloads.checkConflicts(links, contentFiles: files.contentFiles)
                        try copyContentFiles(into: &files)
                        files.merge(downloadFiles)
                        outcome.files = files
                    } catch let error as SiteError {
                        if case let .several(errors) = error {
                            outcome.issues += errors.map(BuildIssue.site)
                        } else {
                            outcome.issues.append(.site(error))
                        }
                    } catch {
                        outcome.issues.append(BuildIssue(error))
                    }
                }
                return outcome
            }
        } catch is CancellationError {
            outcome.cancelled = true
        } catch {
            outcome.issues.append(BuildIssue(error))
        }
        if Task.isCancelled { outcome.cancelled = true }
        outcome.seconds = Self.seconds(since: start)
        return outcome
    }

    /// Copies the content folder's files the pages use (images, data) into the site at the same path.
    func copyContentFiles(into files: inout SiteFiles) throws {
        for path in files.contentFiles {
            let url = layout.content.appendingPathComponent(path)
            let display = layout.display(url)
            do {
                let data = try ContentFile.read(url, display: display, within: layout.content)
                files[path] = Array(data)
            }
        }
    }

    /// Why the output folder cannot take the site (`ProjectLayout.outputProblem`), as an issue; nil when it can.
    public func outputIssue() -> BuildIssue? {
        layout.outputProblem(cacheDirectory: notebook.cacheDirectory).map(BuildIssue.other)
    }

    /// Renders, then publishes to the output folder when everything succeeded, and writes the build report.
    ///
    /// An output folder that must not be replaced (the book, its chapters, its cache, a folder of someone
    /// else's files) fails the build before anything runs.
    public func build(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async -> Outcome {
        let start = ContinuousClock.now
        if let issue = outputIssue() { return Outcome(issues: [issue]) }
        let pageCache = notebook.cacheDirectory.appendingPathComponent(ProjectLayout.pageCacheName(for: options.edition))
        let pages = PageStore(directory: pageCache, site: layout.output, record: layout.publishedRecord(for: options.edition))
        var outcome = await render(pageCache: pages, progress: progress)
        if outcome.succeeded, let files = outcome.files {
            do {
                let lock = try await FileLock.acquire(layout.stateDirectory.appendingPathComponent("publish.lock"),
                                                      purpose: "publish lock")
                // Again under the lock: the folder may have changed while the chapters ran.
                if let issue = outputIssue() { throw issue }
                Publisher.removeLeftovers(besides: layout.output)
                // Past this point the build finishes even if cancelled: the swap is atomic and short.
                outcome.published = try Publisher.publish(files, to: layout.output)
                pages.recordPublished(files)
                withExtendedLifetime(lock) {}
            } catch is CancellationError {
                outcome.cancelled = true
            } catch {
                outcome.issues.append(BuildIssue(error))
            }
        }
        outcome.seconds = Self.seconds(since: start)
        if !outcome.cancelled { writeReport(outcome) }
        return outcome
    }

    /// What `check` found: the build's issues, then broken links and files of the site folder that differ
    /// from a clean build. Nothing is written.
    public func check(progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }) async -> Outcome {
        if let issue = outputIssue() { return Outcome(issues: [issue]) }
        var outcome = await render(progress: progress)
        if let files = outcome.files {
            let site = layout.display(layout.output)
            outcome.issues += LinkChecker.problems(in: files).map { BuildIssue.brokenLink($0, site: site) }
            let comparison = SiteComparison(files: Publisher.published(files), folder: layout.output)
            outcome.issues += comparison.problems(siteName: site).map(BuildIssue.outOfDate)
        }
        return outcome
    }

    /// `.loopbook/last-build.json`: what ran, why and how long it took (outside Site/, so pages stay
    /// byte-identical). Failing to write it is not an error of the build.
    func writeReport(_ outcome: Outcome) {
        let report = BuildReport(
            succeeded: outcome.succeeded,
            seconds: outcome.seconds,
            chapters: (outcome.report?.outcomes ?? []).map {
                BuildReport.Chapter(slug: $0.slug, status: $0.summary, compileSeconds: $0.compileSeconds,
                                    runSeconds: $0.runSeconds)
            },
            errors: outcome.issues.map(\.description),
            site: outcome.published.map {
                BuildReport.Site(written: $0.written, unchanged: $0.unchanged, removed: $0.removed)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(report) else { return }
        try? FileManager.default.createDirectory(at: layout.stateDirectory, withIntermediateDirectories: true)
        try? data.write(to: layout.buildReport, options: .atomic)
    }

    /// Seconds elapsed since `start`.
    public static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// The JSON written to `.loopbook/last-build.json`.
struct BuildReport: Codable, Equatable {
    struct Chapter: Codable, Equatable {
        var slug: String
        var status: String
        var compileSeconds: Double
        var runSeconds: Double
    }
    struct Site: Codable, Equatable {
        var written: Int
        var unchanged: Int
        var removed: Int
    }
    var succeeded: Bool
    var seconds: Double
    var chapters: [Chapter]
    var errors: [String]
    var site: Site?
}
