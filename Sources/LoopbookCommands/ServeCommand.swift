import ArgumentParser
import Dispatch
import Foundation
import LoopbookBuild
import Notebook

/// `loopbook serve`: build, serve the site with live reload, and rebuild on changes.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the book, serve it at http://127.0.0.1:8000, and rebuild and reload pages on changes.",
        discussion: """
            Watches the chapters folder and the library sources (Sources/Learning, Sources/LoopbookRuntime, \
            Sources/BookModel) by polling, and rebuilds shortly after files stop changing; only chapters \
            whose code changed run again. A change saved while a rebuild runs cancels it (its chapter \
            programs are stopped) and starts again. Open pages reload by themselves. When a rebuild fails, \
            the error is printed here and shown over the page, and the last good site stays served. When \
            library sources change, 'swift build -c release --product LoopbookKit' runs first.

            The server answers only GET and HEAD, never serves files outside the site folder, and listens \
            on 127.0.0.1 unless --host says otherwise. It answers only requests for localhost, a loopback \
            address or the --host address (403 otherwise, against DNS rebinding), bounds request sizes \
            (414, 431) and connections (idle ones close after 30 s), keeps accepting when file descriptors \
            run out, and never lets chapter programs inherit its socket. Data files that a build writes \
            into the chapters folder do not trigger another build. Press Ctrl-C to stop: the running build's chapter \
            programs are stopped too, and serve exits with status 130 (143 for SIGTERM).
            """)

    @OptionGroup public var project: ProjectOptions
    @OptionGroup public var run: RunOptions

    @Option(name: .long, help: ArgumentHelp("The address to listen on (127.0.0.1 keeps the site on this machine).", valueName: "address"))
    public var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    public var port: Int = 8000

    @Flag(name: .long, help: "Open the site in the default browser (xdg-open); otherwise the address is printed.")
    public var open = false

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
    }

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let layout = project.layout(edition: run.edition)
        let options = run.notebookOptions()
        let session = ServeSession(layout: layout, options: options, host: host, port: UInt16(port),
                                   events: Self.printer(console: console, layout: layout, options: options))
        let open = self.open
        let serving = Task {
            let url = try await session.start()
            console.progress("Serving \(layout.displayFolder(layout.output)) at \(url.absoluteString) (Ctrl-C to stop).")
            if open, !Self.openInBrowser(url) {
                console.progress("Could not start a browser; open \(url.absoluteString) yourself.")
            }
            await session.watch()
        }
        // Ctrl-C, SIGTERM or SIGHUP, at any moment (the first build, a rebuild, idle): cancel the session,
        // which kills the running build's chapter programs, stop the server, exit 128 + the signal. A
        // second signal, or a session that has not stopped within 3 s, exits at once.
        let trap = SignalTrap(signals: [SIGINT, SIGTERM, SIGHUP]) { number in
            let first = Interruption.received.compareExchange(expected: 0, desired: number,
                                                               ordering: .sequentiallyConsistent).exchanged
            guard first else {
                Notebook.killRunningPrograms()
                Foundation.exit(128 + number)
            }
            // Cancelling kills the running build's programs at once and marks the build cancelled (not
            // failed); killing everything this process started is the backstop.
            serving.cancel()
            Notebook.killRunningPrograms()
            SignalTrap.queue.asyncAfter(deadline: .now() + 3) {
                Notebook.killRunningPrograms()
                Foundation.exit(128 + number)
            }
        }
        defer { trap.cancel() }
        let result = await serving.result
        await session.stop()
        if session.serverStoppedListening != nil {
            // The reason was printed as it happened (the `.server` event); a server that cannot accept is none.
            console.progress("Stopped: the dev server can no longer accept connections.")
            throw ExitCode.failure
        }
        if Interruption.received.load(ordering: .sequentiallyConsistent) != 0 {
            console.progress("Stopped.")
            return
        }
        switch result {
        case .success:
            console.progress("Stopped.")
        case .failure(is CancellationError):
            console.progress("Stopped.")
        case let .failure(error):
            console.error("\(error)")
            throw ExitCode.failure
        }
    }

    /// Prints a serve session's events on `console`: progress lines, each build's errors and summary,
    /// what changed, the library build.
    public static func printer(console: Console, layout: ProjectLayout,
                               options: NotebookOptions) -> @Sendable (ServeSession.Event) -> Void {
        let progress = BuildProgress(console: console)
        return { event in
            switch event {
            case let .progress(event):
                progress.handle(event)
            case let .built(outcome):
                for issue in outcome.issues { console.error(issue) }
                console.progress(BuildSummary.line(for: outcome, layout: layout, options: options, publishing: true))
            case let .changed(paths):
                let more = paths.count > 1 ? " and \(paths.count - 1) more" : ""
                console.progress("Changed: \(paths.first ?? "?")\(more); rebuilding.")
            case let .libraryBuildStarted(command):
                console.progress("Library sources changed: running '\(command)'.")
            case let .libraryBuildFailed(issue):
                console.error(issue)
            case let .changedByBuild(paths):
                console.progress(changedByBuildLine(paths))
            case let .rebuildLoop(paths, builds):
                console.progress(rebuildLoopLine(paths, builds: builds))
            case let .server(notice):
                if case .stoppedListening = notice {
                    console.error(notice.description)
                } else {
                    console.progress("warning: " + notice.description)
                }
            }
        }
    }

    /// The line for data files a build changed: `warning: Content/data/log.csv changed while the book was
    /// building; ...`.
    static func changedByBuildLine(_ paths: [String]) -> String {
        let named = paths.count == 1 ? paths[0] : paths.prefix(3).joined(separator: ", ")
            + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
        let it = paths.count == 1 ? "it" : "them"
        return "warning: \(named) changed while the book was building; serve takes that as the build's own doing "
            + "(a chapter writing into \(paths.count == 1 ? "its folder" : "those folders")) and does not rebuild for it, "
            + "which would rebuild forever. Save \(it) again to rebuild."
    }

    /// The line for a rebuild loop among sources.
    static func rebuildLoopLine(_ paths: [String], builds: Int) -> String {
        let named = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "")
        return "warning: rebuild loop: \(named) changed during each of the last \(builds) builds, so a chapter seems to "
            + "rewrite \(paths.count == 1 ? "it" : "them"); serve stops following changes to \(paths.count == 1 ? "it" : "them") "
            + "made while a build runs. Save while no build runs to rebuild."
    }

    /// Runs `xdg-open url`; false when it is not installed or fails to start.
    static func openInBrowser(_ url: URL) -> Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/xdg-open" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [url.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        return true
    }
}

/// Calls `handler` (once per signal) instead of letting SIGINT/SIGTERM kill the process.
/// (Unchecked: the dispatch sources are only created in init and cancelled once.)
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    /// A serial queue of its own (it gets a thread even when Swift's task threads are all busy).
    static let queue = DispatchQueue(label: "loopbook.signals")
    private let signals: [Int32]

    convenience init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        self.init(signals: signals) { (_: Int32) in handler() }
    }

    /// `handler` gets the signal's number.
    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: SignalTrap.queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
