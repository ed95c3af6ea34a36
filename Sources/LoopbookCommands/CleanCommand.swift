import ArgumentParser
import Foundation
import LoopbookBuild
import Notebook

/// `loopbook clean`: forget the last build report and, with `--cache`, every cached result.
public struct CleanCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove the build report, and with --cache the cached chapter results.",
        discussion: """
            The site folder is kept (it is the book's published output). After 'clean --cache' the next \
            build compiles and runs every chapter again.

            The cache stays bounded without cleaning: after each build it keeps, for every chapter, the \
            result it used last, and every result used by one of the last \(CacheLimits.keptBuilds) builds \
            (so undoing a recent edit is still cached); older results are removed.

            'clean --cache' waits for a build, check or serve rebuild of this project that is running to \
            finish first (they share the cache lock, .loopbook/cache/lock, which stays in place).
            """)

    @OptionGroup public var project: ProjectOptions

    @Flag(name: .long, help: "Also empty .loopbook/cache, so every chapter runs again.")
    public var cache = false

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let layout = project.layout
        var failed = false
        let report = layout.buildReport
        if FileManager.default.fileExists(atPath: report.path) {
            do {
                try FileManager.default.removeItem(at: report)
                console.progress("Removed \(layout.display(report)).")
            } catch {
                console.error("\(layout.display(report)) could not be removed: \(error.localizedDescription)")
                failed = true
            }
        }
        if cache, FileManager.default.fileExists(atPath: layout.cacheDirectory.path) {
            failed = await emptyCache(layout, console: console) || failed
        }
        if failed { throw ExitCode.failure }
    }

    /// Empties the cache folder while holding its lock, keeping the lock file itself (a build waiting for
    /// the lock must lock the same file as the next one). Returns true when something could not be removed.
    private func emptyCache(_ layout: ProjectLayout, console: Console) async -> Bool {
        let folder = layout.cacheDirectory
        let shown = layout.display(folder)
        // Say why nothing happens when a build holds the lock; say nothing when it is free at once.
        let notice = Task {
            try await Task.sleep(for: .milliseconds(300))
            console.progress("Waiting for the build running in this project to finish before removing \(shown).")
        }
        let lock: FileLock
        do {
            lock = try await FileLock.acquire(folder.appendingPathComponent("lock"), purpose: "cache lock")
        } catch {
            notice.cancel()
            console.error("\(shown) could not be removed: \(error)")
            return true
        }
        notice.cancel()
        defer { withExtendedLifetime(lock) {} }
        var failed = false
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name != "lock" {
            do {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            } catch {
                console.error("\(shown)/\(name) could not be removed: \(error.localizedDescription)")
                failed = true
            }
        }
        if !failed { console.progress("Removed \(shown).") }
        return failed
    }
}
