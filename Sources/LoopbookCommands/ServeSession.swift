import DevServer
import Foundation
import Notebook

/// Builds the book, serves the site folder, and rebuilds and reloads pages when sources change.
///
/// A failed rebuild leaves the last good site served, prints the errors, and shows them on every open
/// page in an overlay; the next successful rebuild reloads the pages.
public final class ServeSession: Sendable {
    public let layout: ProjectLayout
    let builder: SiteBuilder
    let server: DevServer
    let console: Console
    /// Library source folders; a change there rebuilds LoopbookKit before the book.
    let libraryFolders: [URL]

    public init(layout: ProjectLayout, options: NotebookOptions, host: String, port: UInt16, console: Console) {
        self.layout = layout
        self.console = console
        builder = SiteBuilder(layout: layout, options: options, console: console)
        server = DevServer(root: layout.output, host: host, port: port)
        libraryFolders = ["Sources/Learning", "Sources/LoopbookRuntime"]
            .map { layout.root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Builds once, then starts the server; returns the address to open.
    @discardableResult
    public func start() async throws -> URL {
        let outcome = await rebuild()
        if !FileManager.default.fileExists(atPath: layout.output.path) {
            // Nothing was ever built: serve an empty folder so pages can show the error and reload later.
            try FileManager.default.createDirectory(at: layout.output, withIntermediateDirectories: true)
        }
        _ = try await server.start()
        if !outcome.succeeded { server.notifyError(outcome.errors.joined(separator: "\n")) }
        guard let url = await server.url else { throw DevServerError.rootNotFound(path: layout.output.path) }
        return url
    }

    /// The bound port once started.
    public var port: UInt16? { get async { await server.port } }

    /// Builds and publishes; tells open pages to reload, or shows them the errors.
    @discardableResult
    public func rebuild() async -> SiteBuilder.Outcome {
        let outcome = await builder.build()
        for error in outcome.errors { console.error(error) }
        console.progress(builder.summary(of: outcome, publishing: true))
        if outcome.succeeded {
            server.notifyReload()
        } else {
            server.notifyError(outcome.errors.joined(separator: "\n"))
        }
        return outcome
    }

    /// Polls Content/ and the library sources until the task is cancelled, rebuilding after each change.
    public func watch(interval: Duration = .milliseconds(150), debounce: Duration = .milliseconds(200)) async {
        let watcher = SourceWatcher(folders: [layout.content] + libraryFolders)
        var baseline = watcher.snapshot()
        while let changed = await watcher.nextChange(after: &baseline, interval: interval, debounce: debounce) {
            let shown = changed.map { layout.display(URL(fileURLWithPath: $0)) }
            let more = shown.count > 1 ? " and \(shown.count - 1) more" : ""
            console.progress("Changed: \(shown[0])\(more); rebuilding.")
            let libraryChanged = changed.contains { path in libraryFolders.contains { path.hasPrefix($0.path + "/") } }
            if libraryChanged, let error = await rebuildLibrary() {
                console.error(error)
                server.notifyError(error)
                continue
            }
            await rebuild()
        }
    }

    /// Runs `swift build -c release --product LoopbookKit` in the project; returns an error line on failure.
    func rebuildLibrary() async -> String? {
        let command = ["swift", "build", "-c", "release", "--product", "LoopbookKit"]
        console.progress("Library sources changed: running '\(command.joined(separator: " "))'.")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = layout.root
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            return "error: '\(command.joined(separator: " "))' could not be started: \(error.localizedDescription)"
        }
        // A thread of its own: on Linux Swift's tasks run on Dispatch's global queue, so blocking one of
        // its few threads for a whole `swift build` would stall the dev server meanwhile.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        guard process.terminationStatus == 0 else {
            return "error: '\(command.joined(separator: " "))' failed with status \(process.terminationStatus); fix the library and save again."
        }
        return nil
    }

    /// Stops serving; open pages keep their content and reconnect when a server comes back.
    public func stop() async {
        await server.stop()
    }
}
