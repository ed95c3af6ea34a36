import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small static-file server for a generated site, with live reload over server-sent events.
///
/// It serves one folder (GET and HEAD only), refuses paths that leave it, binds 127.0.0.1 unless told
/// otherwise, and adds a live-reload script to the HTML it serves. Call ``notifyReload()`` after a
/// successful rebuild and ``notifyError(_:)`` after a failed one. It knows nothing of notebooks.
///
/// It is hardened for a machine that also runs the rebuilds, and for pages of other sites open in the
/// same browser:
/// - it runs on a thread of its own (`epoll(7)`), never on Swift's task threads, so no request can stall
///   the rebuild loop, and every request head is read once, within ``Limits`` (414, 431, 408);
/// - it keeps at most ``Limits/maxConnections`` connections: a new one pushes out the longest-idle one,
///   or gets 503 when all are busy; idle connections close after ``Limits/idleTimeout``;
/// - running out of file descriptors never closes the listening socket: the server turns clients away
///   with 503 meanwhile, keeps accepting as descriptors free up, and says so through `notice`;
/// - every descriptor it opens (listener, connections, files, its wake-up pipe) is close-on-exec, so
///   programs started by a build never inherit the port;
/// - only requests whose `Host` names this machine are answered (``HostCheck``; 403 otherwise), against
///   DNS rebinding; other methods get 405 with `Allow`, malformed requests 400, HTTP versions other than
///   1.0 and 1.1 505.
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

    /// Bounds on what one client may cost the server.
    public struct Limits: Sendable, Equatable {
        /// Longest request line, in bytes (longer: 414 URI Too Long). Also the longest header line.
        public var maxRequestLine = 8_192
        /// Most bytes of header fields (more: 431 Request Header Fields Too Large).
        public var maxHeaderBytes = 65_536
        /// Most header fields (more: 431).
        public var maxHeaderCount = 100
        /// Seconds a request head may take to arrive once it started (then 408 and the connection closes).
        public var headerTimeout = 15.0
        /// Seconds a connection may stay open without a request (after the last answer, or from the start).
        public var idleTimeout = 30.0
        /// Seconds an answer may make no progress because the client does not read (then it is closed).
        public var writeTimeout = 60.0
        /// Seconds a refused client may go on sending before it is cut off (so it can read the refusal).
        public var lingerSeconds = 2.0
        /// Most open connections, event streams included. The default is half the process's soft limit
        /// of open files (at most 8,192), so the build keeps descriptors for its own work.
        public var maxConnections = Limits.defaultMaxConnections
        /// Most bytes of events waiting for one page that does not read them (then its stream is closed).
        public var maxEventBacklog = 1 << 20

        public init() {}

        public static var defaultMaxConnections: Int {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
            let soft = limit.rlim_cur == rlim_t.max ? 4_096 : Int(clamping: limit.rlim_cur)
            return max(16, min(8_192, soft / 2))
        }
    }

    /// What the server has to tell its user while it runs (`loopbook serve` prints these).
    public enum Notice: Sendable, Equatable, CustomStringConvertible {
        /// Accepting failed with EMFILE/ENFILE: `turnedAway` clients got 503 since the last notice.
        case outOfDescriptors(turnedAway: Int, limit: Int)
        /// ``Limits/maxConnections`` connections were open and busy: new clients got 503.
        case tooManyConnections(limit: Int)
        /// The listening socket failed for good; nothing new can connect.
        case stoppedListening(reason: String)

        public var description: String {
            switch self {
            case let .outOfDescriptors(turnedAway, limit):
                "The dev server ran out of file descriptors (the limit is \(limit)) and turned away "
                    + "\(turnedAway == 1 ? "1 connection" : "\(turnedAway) connections") with 503; it keeps accepting as "
                    + "descriptors free up. Close some connections or raise the limit with 'ulimit -n'."
            case let .tooManyConnections(limit):
                "The dev server has \(limit) connections open, its limit, and turned new ones away with 503."
            case let .stoppedListening(reason):
                "The dev server stopped listening: \(reason)."
            }
        }
    }

    public nonisolated let root: URL
    public nonisolated let host: String
    private let requestedPort: UInt16
    private let heartbeat: Duration
    private let injectLiveReload: Bool
    private let limits: Limits
    private let notice: @Sendable (Notice) -> Void
    private let hub = LiveReloadHub()
    private var loop: ServerLoop?
    private var boundPort: UInt16?

    /// - Parameters:
    ///   - root: the folder to serve (Site/); it must exist when ``start()`` is called.
    ///   - host: an IPv4 or IPv6 address to bind; loopback by default.
    ///   - port: the TCP port; 0 picks a free one (read it from ``start()`` or ``port``).
    ///   - heartbeat: how often open event streams get a comment line, so clients that left are noticed.
    ///   - injectLiveReload: add the live-reload script to served HTML pages.
    ///   - limits: request sizes, timeouts and the connection cap.
    ///   - notice: called (on the server's thread) with what the user should know: descriptors ran out,
    ///     the connection cap was reached, the listener failed.
    public init(root: URL, host: String = "127.0.0.1", port: UInt16 = 8000,
                heartbeat: Duration = .seconds(10), injectLiveReload: Bool = true, limits: Limits = Limits(),
                notice: @escaping @Sendable (Notice) -> Void = { _ in }) {
        self.root = root
        self.host = host
        self.requestedPort = port
        self.heartbeat = heartbeat
        self.injectLiveReload = injectLiveReload
        self.limits = limits
        self.notice = notice
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

    /// Binds, starts serving on a thread of its own and returns the bound port.
    public func start() async throws -> UInt16 {
        if let boundPort { return boundPort }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
              let realRoot = StaticSiteHandler.realPath(root.path) else {
            throw DevServerError.rootNotFound(path: root.path)
        }
        let (listener, port) = try Self.listen(host: host, port: requestedPort)
        let handler = StaticSiteHandler(root: realRoot, host: host, injectLiveReload: injectLiveReload)
        let loop: ServerLoop
        do {
            loop = try ServerLoop(listener: listener, handler: handler, hub: hub, limits: limits,
                                  heartbeat: heartbeat, notice: notice)
        } catch {
            close(listener)
            throw DevServerError.cannotListen(host: host, port: requestedPort, reason: "\(error)")
        }
        loop.start()
        self.loop = loop
        boundPort = port
        return port
    }

    /// A bound, listening, non-blocking, close-on-exec socket, and its port.
    private static func listen(host: String, port: UInt16) throws -> (Int32, UInt16) {
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw DevServerError.invalidHost(host) }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: &address) { Array($0) }) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw DevServerError.invalidHost(host) }
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: &address) { Array($0) }) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else {
            throw DevServerError.cannotListen(host: host, port: port, reason: String(cString: strerror(errno)))
        }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, Glibc.listen(fd, 511) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DevServerError.cannotListen(host: host, port: port, reason: reason)
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        let boundPort: UInt16 = withUnsafeBytes(of: &actual) { raw in
            // sin_port and sin6_port both sit at offset 2, in network order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        return (fd, boundPort)
    }

    /// Tells every open page to reload.
    public nonisolated func notifyReload() { hub.reload() }

    /// Shows `message` in an overlay on every open page (and on pages opened until the next reload).
    public nonisolated func notifyError(_ message: String) { hub.error(message) }

    /// Closes every event stream, every connection and the listening socket, and returns once the server's
    /// thread has ended (the port is free again).
    public func stop() async {
        guard let loop else { return }
        self.loop = nil
        boundPort = nil
        await loop.stop()
    }
}
