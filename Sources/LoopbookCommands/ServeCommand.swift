import ArgumentParser
import Dispatch
import Foundation

/// `loopbook serve`: build, serve the site with live reload, and rebuild on changes.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the book, serve it at http://127.0.0.1:8000, and rebuild and reload pages on changes.",
        discussion: """
            Watches the chapters folder and the library sources (Sources/Learning, Sources/LoopbookRuntime) \
            by polling, and rebuilds shortly after files stop changing; only chapters whose code changed \
            run again. Open pages reload by themselves. When a rebuild fails, the error is printed here and \
            shown over the page, and the last good site stays served. When library sources change, \
            'swift build -c release --product LoopbookKit' runs first.

            The server answers only GET and HEAD, never serves files outside the site folder, and listens \
            on 127.0.0.1 unless --host says otherwise. Press Ctrl-C to stop.
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
        let session = ServeSession(layout: project.layout, options: run.notebookOptions(), host: host,
                                   port: UInt16(port), console: console)
        let url: URL
        do {
            url = try await session.start()
        } catch {
            console.error("\(error)")
            throw ExitCode.failure
        }
        console.progress("Serving \(project.layout.display(project.layout.output))/ at \(url.absoluteString) (Ctrl-C to stop).")
        if open, !Self.openInBrowser(url) {
            console.progress("Could not start a browser; open \(url.absoluteString) yourself.")
        }
        let watching = Task { await session.watch() }
        let trap = SignalTrap(signals: [SIGINT, SIGTERM]) { watching.cancel() }
        await watching.value
        trap.cancel()
        await session.stop()
        console.progress("Stopped.")
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
