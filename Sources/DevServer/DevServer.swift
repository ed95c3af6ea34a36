import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// A small static-file server for a generated site, with live reload over server-sent events.
///
/// It serves one folder (GET and HEAD only), refuses paths that leave it, binds 127.0.0.1 unless told
/// otherwise, and adds a live-reload script to the HTML it serves. Call ``notifyReload()`` after a
/// successful rebuild and ``notifyError(_:)`` after a failed one. It knows nothing of notebooks.
///
/// ```swift
/// let server = DevServer(root: URL(fileURLWithPath: "Site"), port: 0)
/// let port = try await server.start()      // the port actually bound
/// server.notifyReload()
/// await server.stop()
/// ```
public actor DevServer {
    /// The path of the server-sent events endpoint pages listen on.
    public static let eventsPath = StaticSiteHandler.eventsPath

    public nonisolated let root: URL
    public nonisolated let host: String
    private let requestedPort: UInt16
    private let heartbeat: Duration
    private let injectLiveReload: Bool
    private let handlerTimeout: Double
    private let hub = LiveReloadHub()
    private var server: HTTPServer?
    private var runTask: Task<Void, any Error>?
    private var heartbeatTask: Task<Void, Never>?
    private var boundPort: UInt16?

    /// - Parameters:
    ///   - root: the folder to serve (Site/); it must exist when ``start()`` is called.
    ///   - host: an IPv4 or IPv6 address to bind; loopback by default.
    ///   - port: the TCP port; 0 picks a free one (read it from ``start()`` or ``port``).
    ///   - heartbeat: how often open event streams get a comment line, so clients that left are noticed.
    ///   - injectLiveReload: add the live-reload script to served HTML pages.
    ///   - handlerTimeout: seconds a request's handler may take before the answer is 500. Serving a file
    ///     takes milliseconds; the generous default is for a machine whose cores a rebuild keeps busy
    ///     (FlyingFox's own default, 15 s, answered 500 to pages asked for during a cold build on 2 cores).
    public init(root: URL, host: String = "127.0.0.1", port: UInt16 = 8000,
                heartbeat: Duration = .seconds(10), injectLiveReload: Bool = true, handlerTimeout: Double = 120) {
        self.root = root
        self.handlerTimeout = handlerTimeout
        self.host = host
        self.requestedPort = port
        self.heartbeat = heartbeat
        self.injectLiveReload = injectLiveReload
    }

    /// The bound port once started.
    public var port: UInt16? { boundPort }

    /// The address to open in a browser once started, e.g. `http://127.0.0.1:8000/`.
    public var url: URL? {
        guard let boundPort else { return nil }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shownHost):\(boundPort)/")
    }

    /// Number of pages currently listening for reloads.
    public nonisolated var listenerCount: Int { hub.listenerCount }

    /// Binds, starts serving in the background and returns the bound port.
    public func start() async throws -> UInt16 {
        if let boundPort { return boundPort }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
              let realRoot = StaticSiteHandler.realPath(root.path) else {
            throw DevServerError.rootNotFound(path: root.path)
        }
        let handler = StaticSiteHandler(root: realRoot, hub: hub, injectLiveReload: injectLiveReload)
        let server: HTTPServer
        do {
            if host.contains(":") {
                server = HTTPServer(address: try sockaddr_in6.inet6(ip6: host, port: requestedPort),
                                    timeout: handlerTimeout, logger: .disabled, handler: handler)
            } else {
                server = HTTPServer(address: try sockaddr_in.inet(ip4: host, port: requestedPort),
                                    timeout: handlerTimeout, logger: .disabled, handler: handler)
            }
        } catch {
            throw DevServerError.invalidHost(host)
        }
        final class RunFailure: Sendable { let error = Mutex<(any Error)?>(nil) }
        let runFailure = RunFailure()
        let runTask = Task {
            do { try await server.run() } catch {
                runFailure.error.withLock { $0 = error }
                throw error
            }
        }
        // Whichever comes first: listening, or run() failing (e.g. the port is taken).
        var failure: (any Error)?
        for _ in 0..<2_000 {
            if await server.isListening { break }
            if let error = runFailure.error.withLock({ $0 }) { failure = error; break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let address = failure == nil ? await server.listeningAddress : nil
        let actualPort: UInt16
        switch address {
        case let .ip4(_, port)?, let .ip6(_, port)?:
            actualPort = port
        default:
            runTask.cancel()
            throw DevServerError.cannotListen(host: host, port: requestedPort,
                                              reason: failure.map { "\($0)" } ?? "the socket has no address")
        }
        self.server = server
        self.runTask = runTask
        self.boundPort = actualPort
        let hub = self.hub, interval = heartbeat
        heartbeatTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                hub.heartbeat()
            }
        }
        return actualPort
    }

    /// Tells every open page to reload.
    public nonisolated func notifyReload() { hub.reload() }

    /// Shows `message` in an overlay on every open page (and on pages opened until the next reload).
    public nonisolated func notifyError(_ message: String) { hub.error(message) }

    /// Closes every event stream and the listening socket, and waits for connections to finish.
    public func stop() async {
        heartbeatTask?.cancel()
        heartbeatTask = nil
        hub.close()
        if let server { await server.stop(timeout: 0) }
        runTask?.cancel()
        _ = await runTask?.result
        server = nil
        runTask = nil
        boundPort = nil
    }
}
