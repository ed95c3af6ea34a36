import BookModel
import DevServer
import Foundation
import Notebook
import Synchronization

/// Builds the book, serves the site folder, and rebuilds and reloads pages when sources change.
///
/// A failed rebuild leaves the last good site served and shows its errors on every open page in an
/// overlay; the next successful rebuild reloads the pages. A change that arrives while a rebuild runs
/// cancels that rebuild (its chapter programs are killed) and starts again, so a fix saved while a
/// chapter hangs shows up at once. Cancelling the task that runs `watch()` cancels the running rebuild.
///
/// Changes the build makes itself do not start another build. A chapter may write into Content/ (a log,
/// a downloaded data file): data files — anything in the watched folders but chapters (`.md`), book
/// settings (`.yml`, `.yaml`) and Swift sources — that change while a build runs are taken as the build's
/// own; they neither cancel it nor trigger a rebuild afterwards, and `changedByBuild` names them. Should
/// the same sources nevertheless change during three builds in a row (a chapter that rewrites a chapter),
/// that is a loop: `rebuildLoop` says so and changes to them made while a build runs are not followed
/// (an edit made while no build runs still is).
///
/// The session never prints: what happens arrives as `Event`s, which `loopbook serve` prints.
public final class ServeSession: Sendable {
    /// What the session reports.
    public enum Event: Sendable {
        /// A chapter's progress during a build.
        case progress(ProgressEvent)
        /// A build ended: succeeded, failed (the issues) or was cancelled by a newer change.
        case built(SiteBuilder.Outcome)
        /// Sources changed (paths as displayed, relative to the project); a rebuild starts.
        case changed([String])
        /// Library sources changed: `command` runs before the book is rebuilt.
        case libraryBuildStarted(command: String)
        /// The library could not be rebuilt; the book was not rebuilt.
        case libraryBuildFailed(BuildIssue)
        /// Data files (paths as displayed) changed while a build ran; taken as written by the build, they
        /// trigger no rebuild.
        case changedByBuild([String])
        /// The same sources changed during `builds` builds in a row: a rebuild loop. Changes to them made
        /// while a build runs are no longer followed.
        case rebuildLoop([String], builds: Int)
        /// Something the dev server has to tell (descriptors ran out, it stopped listening).
        case server(DevServer.Notice)
    }

    /// How many builds in a row the same sources may change during before it counts as a loop.
    public static let loopThreshold = 3

    public let layout: ProjectLayout
    let builder: SiteBuilder
    let server: DevServer
    let events: @Sendable (Event) -> Void
    /// Library source folders; a change there rebuilds LoopbookKit before the book.
    let libraryFolders: [URL]
    /// Polls Content/ and the library folders.
    let watcher: SourceWatcher
    /// The sources as `start()` found them, for the first `watch()`.
    private let initialSnapshot = Mutex<SourceWatcher.Snapshot?>(nil)
    /// True while a build runs.
    private let building = Atomic<Bool>(false)
    /// What the builds changed themselves: data files with their stamps at the end of the build that
    /// changed them (nil: removed), and every path the last build saw change.
    private let buildWrites = Mutex<(data: [String: SourceWatcher.FileStamp?], lastBuild: [String: SourceWatcher.FileStamp?])>(([:], [:]))
    /// Why the server stopped listening, once it has.
    private let serverFailure = ServerFailure()

    private final class ServerFailure: Sendable {
        let reason = Mutex<String?>(nil)
        var hasFailed: Bool { reason.withLock { $0 != nil } }
    }

    public init(layout: ProjectLayout, options: NotebookOptions, host: String, port: UInt16,
                events: @escaping @Sendable (Event) -> Void) {
        self.layout = layout
        self.events = events
        builder = SiteBuilder(layout: layout, options: options)
        let failure = serverFailure
        server = DevServer(root: layout.output, host: host, port: port) { notice in
            if case let .stoppedListening(reason) = notice { failure.reason.withLock { $0 = reason } }
            events(.server(notice))
        }
        libraryFolders = ["Sources/Learning", "Sources/LoopbookRuntime", "Sources/BookModel"]
            .map { layout.root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        watcher = SourceWatcher(folders: [layout.content] + libraryFolders)
    }

    /// Builds once, then starts the server; returns the address to open.
    ///
    /// Throws `CancellationError` when cancelled during the first build (nothing is served then),
    /// `DevServerError` when the server cannot listen, and a `BuildIssue` when the output folder must not
    /// take the site (`ProjectLayout.outputProblem`; nothing is built or served then).
    @discardableResult
    public func start() async throws -> URL {
        if let issue = builder.outputIssue() { throw issue }
        // Sources as they were before the first build: an edit saved while it runs triggers a rebuild.
        let before = watcher.snapshot()
        initialSnapshot.withLock { $0 = before }
        let outcome = await rebuild(notify: false, before: before)
        if outcome.cancelled { throw CancellationError() }
        if !FileManager.default.fileExists(atPath: layout.output.path) {
            // Nothing was ever built: serve an empty folder so pages can show the error and reload later.
            try FileManager.default.createDirectory(at: layout.output, withIntermediateDirectories: true)
        }
        _ = try await server.start()
        if !outcome.succeeded { server.notifyError(Self.overlayText(outcome.issues)) }
        guard let url = await server.url else { throw DevServerError.rootNotFound(path: layout.output.path) }
        return url
    }

    /// The bound port once started.
    public var port: UInt16? { get async { await server.port } }

    /// Why the server stopped listening, when it has (`watch()` returns then; serve exits with an error).
    public var serverStoppedListening: String? { serverFailure.reason.withLock { $0 } }

    /// A chapter, book setting or Swift source: an edit the user makes, never taken as the build's own.
    func isSource(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        if [".md", ".yml", ".yaml", ".swift"].contains(where: { name.hasSuffix($0) }) { return true }
        return libraryFolders.contains { path.hasPrefix($0.path + "/") }
    }

    /// Builds and publishes; tells open pages to reload, or shows them the errors. A cancelled build
    /// tells them nothing.
    @discardableResult
    public func rebuild() async -> SiteBuilder.Outcome {
        await rebuild(notify: true)
    }

    private func rebuild(notify: Bool, before: SourceWatcher.Snapshot? = nil) async -> SiteBuilder.Outcome {
        let events = self.events
        let before = before ?? watcher.snapshot()
        building.store(true, ordering: .sequentiallyConsistent)
        let outcome = await builder.build { events(.progress($0)) }
        building.store(false, ordering: .sequentiallyConsistent)
        if !outcome.cancelled { recordBuildWrites(before: before) }
        events(.built(outcome))
        guard notify, !outcome.cancelled else { return outcome }
        if outcome.succeeded {
            server.notifyReload()
        } else {
            server.notifyError(Self.overlayText(outcome.issues))
        }
        return outcome
    }

    /// Notes what changed between `before` and now (the build's own doing, as far as data files go) and
    /// names the data files.
    private func recordBuildWrites(before: SourceWatcher.Snapshot) {
        let after = watcher.snapshot()
        let changed = SourceWatcher.changes(from: before, to: after)
        let data = changed.filter { !isSource($0) }
        buildWrites.withLock { record in
            for path in data { record.data[path] = .some(after[path]) }
            record.lastBuild = Dictionary(uniqueKeysWithValues: changed.map { ($0, after[$0]) })
        }
        if !data.isEmpty { events(.changedByBuild(data.map { layout.display(URL(fileURLWithPath: $0)) })) }
    }

    /// Polls Content/ and the library sources until the task is cancelled, rebuilding after each change.
    /// A change during a rebuild cancels it and starts a new one; cancelling the task cancels the rebuild.
    /// Data files changed by a build, and sources caught in a rebuild loop, are left out (see the type's
    /// documentation). Returns also when the server stopped listening (``serverStoppedListening``).
    public func watch(interval: Duration = .milliseconds(150), debounce: Duration = .milliseconds(200)) async {
        var baseline = initialSnapshot.withLock { $0.take() } ?? watcher.snapshot()
        // The running rebuild; its value says whether the library still has to be built (a library change
        // whose build failed or was cancelled half-way is still owed by the next rebuild).
        var running: Task<Bool, Never>?
        var libraryPending = false
        // Loop detection: the sources that triggered the last rebuilds, how many times in a row, and the
        // sources found looping (their changes during a build are not followed).
        var lastTrigger: Set<String> = []
        var streak = 0
        var looping: Set<String> = []
        let failure = serverFailure
        while let detected = await watcher.nextChange(after: &baseline, interval: interval, debounce: debounce,
                                                      until: { failure.hasFailed }) {
            let duringBuild = building.load(ordering: .sequentiallyConsistent)
            // Data files as a build left them: its own writes, no reason to build again.
            let current = baseline
            var changed = buildWrites.withLock { record in
                detected.filter { path in
                    guard let stamp = record.data[path] else { return true }
                    if stamp == current[path] { return false }
                    record.data[path] = nil
                    return true
                }
            }
            // Data files changing while a build runs are that build's (it names them when it ends).
            if duringBuild { changed = changed.filter(isSource) }
            // Sources that change during every build: a loop. A change counts when it was noticed while a
            // build ran, or the file is as the last build left it (an edit made since does not count).
            let lastBuild = buildWrites.withLock { $0.lastBuild }
            let correlated = duringBuild || (!changed.isEmpty && changed.allSatisfy { path in
                lastBuild[path].map { $0 == current[path] } ?? false
            })
            if correlated {
                changed = changed.filter { !looping.contains($0) }
                let trigger = Set(changed)
                if !trigger.isEmpty {
                    streak = trigger == lastTrigger ? streak + 1 : 1
                    lastTrigger = trigger
                    if streak >= Self.loopThreshold {
                        looping.formUnion(trigger)
                        events(.rebuildLoop(trigger.sorted().map { layout.display(URL(fileURLWithPath: $0)) }, builds: streak))
                        streak = 0
                        lastTrigger = []
                        changed = []
                    }
                }
            } else {
                streak = 0
                lastTrigger = []
                looping.subtract(changed)
            }
            guard !changed.isEmpty else { continue }
            if let running {
                running.cancel()
                libraryPending = await running.value
            }
            events(.changed(changed.map { layout.display(URL(fileURLWithPath: $0)) }))
            let library = libraryFolders
            if changed.contains(where: { path in library.contains { path.hasPrefix($0.path + "/") } }) {
                libraryPending = true
            }
            let needsLibrary = libraryPending
            running = Task { [self] in
                if needsLibrary {
                    if let failure = await rebuildLibrary() {
                        if !Task.isCancelled {
                            events(.libraryBuildFailed(failure))
                            server.notifyError(Self.overlayText([failure]))
                        }
                        return true
                    }
                }
                await rebuild()
                return false
            }
        }
        if let running {
            running.cancel()
            _ = await running.value
        }
    }

    /// Runs `swift build -c release --product LoopbookKit` in the project; returns the issue on failure.
    /// Cancelling the task terminates the build.
    func rebuildLibrary() async -> BuildIssue? {
        let command = ["swift", "build", "-c", "release", "--product", "LoopbookKit"]
        let shown = command.joined(separator: " ")
        events(.libraryBuildStarted(command: shown))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = layout.root
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            return .other("'\(shown)' could not be started: \(error.localizedDescription)")
        }
        let running = UncheckedProcess(process)
        // A thread of its own: on Linux Swift's tasks run on Dispatch's global queue, so blocking one of
        // its few threads for a whole `swift build` would stall the dev server meanwhile.
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread {
                    running.process.waitUntilExit()
                    continuation.resume()
                }.start()
            }
        } onCancel: {
            if running.process.isRunning { running.process.terminate() }
        }
        guard process.terminationStatus == 0 else {
            return .other("'\(shown)' failed with status \(process.terminationStatus); fix the library and save again.")
        }
        return nil
    }

    /// Stops serving; open pages keep their content and reconnect when a server comes back.
    public func stop() async {
        await server.stop()
    }

    /// The issues as the page overlay shows them: `error: <sentence>` lines, each followed by the step's
    /// output so far, indented.
    static func overlayText(_ issues: [BuildIssue]) -> String {
        issues.map { issue in
            var text = "error: " + issue.description
            if let output = issue.output {
                text += "\n    output so far:\n" + output.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "    | \($0)" }.joined(separator: "\n")
            }
            return text
        }.joined(separator: "\n")
    }
}

/// A `Process` handed to the cancellation handler (Foundation's `Process` is thread-safe for
/// `isRunning` and `terminate()`, but not marked `Sendable`).
private struct UncheckedProcess: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
