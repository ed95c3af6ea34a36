import Foundation
import Notebook
import SiteKit

/// Runs the book and renders the site: the work behind `build`, `serve` and `check`.
///
/// Stages pass values: the notebook runs the chapters (cached by content), the renderer turns the results
/// into `SiteFiles` in memory, and only `build(publish: true)` writes `Site/` — atomically, and never after
/// a failure. Progress goes to the console's stderr; results are returned.
public struct SiteBuilder: Sendable {
    public var layout: ProjectLayout
    public var options: NotebookOptions
    public var console: Console

    public init(layout: ProjectLayout, options: NotebookOptions = NotebookOptions(), console: Console) {
        self.layout = layout
        self.options = options
        self.console = console
    }

    /// What a build produced.
    public struct Outcome: Sendable {
        /// The notebook's report, when the book could be loaded.
        public var report: NotebookReport?
        /// The rendered site, when every chapter succeeded and rendering worked.
        public var files: SiteFiles?
        /// Every error, as printed: `error: <file>:<line>: <sentence>` or `error: <sentence>`.
        public var errors: [String]
        /// What publishing changed, when the site was published.
        public var published: PublishReport?
        /// Wall-clock seconds (for the terminal and the build report only).
        public var seconds: Double

        public var succeeded: Bool { errors.isEmpty }
    }

    var notebook: Notebook {
        var options = options
        if options.cacheDirectory == nil { options.cacheDirectory = layout.cacheDirectory }
        return Notebook(projectRoot: layout.root, contentDirectory: layout.content, options: options)
    }

    /// Runs the chapters and renders the site in memory, printing one progress line per chapter.
    public func render() async -> Outcome {
        let start = ContinuousClock.now
        let progress = BuildProgress(console: console)
        var outcome = Outcome(report: nil, files: nil, errors: [], published: nil, seconds: 0)
        do {
            let report = try await notebook.run { progress.handle($0) }
            outcome.report = report
            outcome.errors = report.diagnostics.map(\.descriptionWithOutput)
            if report.succeeded, options.chapters == nil {
                let book = report.book
                let info = BookInfo(title: book.title ?? "Untitled book", subtitle: book.subtitle, author: book.author)
                do {
                    outcome.files = try SiteRenderer(book: info).render(report.chapters)
                } catch {
                    outcome.errors.append(Self.errorLine(error))
                }
            }
        } catch let error as NotebookError {
            outcome.errors.append(error.diagnostic?.description ?? Self.errorLine(error))
        } catch {
            outcome.errors.append(Self.errorLine(error))
        }
        outcome.seconds = Self.seconds(since: start)
        return outcome
    }

    /// Renders, then publishes to the output folder when everything succeeded, and writes the build report.
    public func build() async -> Outcome {
        let start = ContinuousClock.now
        var outcome = await render()
        if outcome.succeeded, let files = outcome.files {
            do {
                let lock = try await PublishLock.acquire(in: layout.stateDirectory)
                lock.removeLeftovers(besides: layout.output)
                outcome.published = try Publisher.publish(files, to: layout.output)
                withExtendedLifetime(lock) {}
            } catch {
                outcome.errors.append(Self.errorLine(error))
            }
        }
        outcome.seconds = Self.seconds(since: start)
        writeReport(outcome)
        return outcome
    }

    /// The one-line summary printed after the progress lines.
    public func summary(of outcome: Outcome, publishing: Bool) -> String {
        let outcomes = outcome.report?.outcomes ?? []
        var cached = 0, ran = 0, failed = 0, skipped = 0
        for item in outcomes {
            switch item.status {
            case .cached: cached += 1
            case .ran: ran += 1
            case .failed: failed += 1
            case .skipped: skipped += 1
            }
        }
        let chapters = outcomes.count == 1 ? "1 chapter" : "\(outcomes.count) chapters"
        var counts = "\(cached) cached, \(ran) ran"
        if failed > 0 { counts += ", \(failed) failed" }
        if skipped > 0 { counts += ", \(skipped) skipped" }
        let time = BuildProgress.seconds(outcome.seconds)
        let site = layout.display(layout.output)
        guard outcome.succeeded else {
            let problems = outcome.errors.count == 1 ? "1 error" : "\(outcome.errors.count) errors"
            return "Build failed with \(problems) (\(chapters): \(counts); \(time)); \(publishing ? "\(site)/ was left as it was" : "nothing was published")."
        }
        if let published = outcome.published {
            return "Built \(chapters) (\(counts)) in \(time); \(site)/: \(published.written) written, \(published.unchanged) unchanged, \(published.removed) removed."
        }
        if options.chapters != nil {
            return "Ran \(chapters) (\(counts)) in \(time); \(site)/ is only written when every chapter is built."
        }
        return "Built \(chapters) (\(counts)) in \(time)."
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
            errors: outcome.errors,
            site: outcome.published.map {
                BuildReport.Site(written: $0.written, unchanged: $0.unchanged, removed: $0.removed)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(report) else { return }
        try? FileManager.default.createDirectory(at: layout.stateDirectory, withIntermediateDirectories: true)
        try? data.write(to: layout.buildReport, options: .atomic)
    }

    static func errorLine(_ error: any Error) -> String {
        let text = "\(error)"
        return text.hasPrefix("error: ") ? text : "error: " + text
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
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
