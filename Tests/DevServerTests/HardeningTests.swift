import DevServer
import Foundation
import LoopbookTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the server says through `notice`, collected for the tests.
final class NoticeLog: Sendable {
    private let notices = Mutex<[DevServer.Notice]>([])
    var all: [DevServer.Notice] { notices.withLock { $0 } }
    func add(_ notice: DevServer.Notice) { notices.withLock { $0.append(notice) } }
}

/// Starts a server with `limits` (and `host`) on an ephemeral port, runs `body`, and stops it.
func withServer<T>(_ site: TemporarySite, host: String = "127.0.0.1", limits: DevServer.Limits,
                   notices: NoticeLog? = nil, _ body: (DevServer, UInt16) async throws -> T) async throws -> T {
    let server = DevServer(root: site.site, host: host, port: 0, limits: limits) { notices?.add($0) }
    let port = try await server.start()
    do {
        let result = try await body(server, port)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Sends `request` as is on a new connection and reads the answer until the server closes the connection
/// (requests here say `Connection: close`, and refusals close it).
func exchange(_ request: String, port: UInt16) throws -> RawResponse {
    let client = try RawClient(port: port)
    client.send(request)
    return try RawClient.parse(client.readAll())
}

/// `GET target` with `Host: host` and `Connection: close`.
func get(_ target: String, host: String = "127.0.0.1", port: UInt16) throws -> RawResponse {
    try exchange("GET \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n", port: port)
}

/// Seconds on the wall clock that `body` took, and its result.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

// MARK: a05: long request lines and headers

@Suite("Hardening: request sizes (a05)")
struct RequestSizeTests {
    /// A 512 KB request line used to cost FlyingFox's line reader about two minutes of CPU (quadratic); now
    /// it is refused with 414 after the first 8 KB, in linear time.
    @Test func longRequestLineIs414() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, limits: .init()) { _, port in
            let target = "/" + String(repeating: "a", count: 512 * 1024)
            let (response, seconds) = try await onThread {
                try timed { try get(target, port: port) }
            }
            #expect(response.status == 414, "\(response.head)")
            #expect(seconds < 20, "a 512 KB request line took \(seconds) s to refuse")
            // Just under the limit is fine (404: no such file), just over is not.
            let fits = try await onThread { try get("/" + String(repeating: "b", count: 8_000), port: port) }
            #expect(fits.status == 404)
            let over = try await onThread { try get("/" + String(repeating: "b", count: 8_300), port: port) }
            #expect(over.status == 414)
        }
    }

    @Test func longOrManyHeadersAre431() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, limits: .init()) { _, port in
            let long = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: \(String(repeating: "x", count: 100_000))\r\n\r\n"
            let first = try await onThread { try exchange(long, port: port) }
            #expect(first.status == 431, "\(first.head)")
            let many = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (0..<150).map { "X-\($0): y\r\n" }.joined() + "\r\n"
            let second = try await onThread { try exchange(many, port: port) }
            #expect(second.status == 431, "\(second.head)")
            // Many small header lines that add up past 64 KB.
            let bulky = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (0..<90).map { "X-\($0): \(String(repeating: "z", count: 1_000))\r\n" }.joined() + "\r\n"
            let third = try await onThread { try exchange(bulky, port: port) }
            #expect(third.status == 431, "\(third.head)")
        }
    }

    /// The a05 attack: one 512 KB request per core, then a normal page. The page is served at once (it
    /// waited 110 s before) and the long requests get 414.
    @Test(.timeLimit(.minutes(5)))
    func hugeRequestsDoNotStallOtherClients() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, limits: .init()) { _, port in
            let target = "/" + String(repeating: "a", count: 512 * 1024)
            async let first = onThread { try get(target, port: port).status }
            async let second = onThread { try get(target, port: port).status }
            let (page, seconds) = try await onThread { try timed { try get("/index.html", port: port) } }
            #expect(page.status == 200)
            #expect(seconds < 10, "a normal page took \(seconds) s while two huge requests were read")
            #expect(try await first == 414)
            #expect(try await second == 414)
        }
    }

    /// A client that sends half a request head and stops gets 408 after the header timeout; meanwhile
    /// others are served.
    @Test func slowRequestHeadGets408WhileOthersAreServed() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var limits = DevServer.Limits()
        limits.headerTimeout = 1
        try await withServer(site, limits: limits) { _, port in
            let slow = try RawClient(port: port)
            slow.send("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            let page = try await onThread { try get("/index.html", port: port) }
            #expect(page.status == 200)
            let answer = try await onThread { try RawClient.parse(slow.readAll()) }
            #expect(answer.status == 408, "\(answer.head)")
        }
    }

    /// A request line sent a few bytes at a time is still refused with 414 once it passes 8 KB, and a
    /// normal one sent the same way is answered.
    @Test func headSentInTinyPiecesIsReadCorrectly() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, limits: .init()) { _, port in
            let long = try await onThread { () throws -> Int in
                let client = try RawClient(port: port)
                let line = "GET /" + String(repeating: "c", count: 9_000)
                var index = line.startIndex
                while index < line.endIndex {
                    let next = line.index(index, offsetBy: 7, limitedBy: line.endIndex) ?? line.endIndex
                    client.send(String(line[index..<next]))
                    index = next
                }
                return try RawClient.parse(client.readAll()).status
            }
            #expect(long == 414)
            let normal = try await onThread { () throws -> RawResponse in
                let client = try RawClient(port: port)
                for character in "GET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" {
                    client.send(String(character))
                }
                return try RawClient.parse(client.readAll())
            }
            #expect(normal.status == 200 && normal.text == "plain\n")
        }
    }

    /// Scanning for the end of the head is linear: 2 MB of header lines sent in 1 KB pieces on one connection is
    /// refused once past the limit, in linear time (the server stops reading at 64 KB).
    @Test func headArrivingInSmallPiecesIsScannedOnce() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, limits: .init()) { _, port in
            let (status, seconds) = try await onThread {
                try timed { () throws -> Int in
                    let client = try RawClient(port: port)
                    client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    let piece = "X-Pad: " + String(repeating: "p", count: 1_000) + "\r\n"
                    for _ in 0..<2_000 { client.send(piece) }
                    return try RawClient.parse(client.readAll()).status
                }
            }
            #expect(status == 431)
            #expect(seconds < 20)
        }
    }
}

// MARK: a06: connections

@Suite("Hardening: connections (a06)")
struct ConnectionLimitTests {
    @Test func idleConnectionsAreClosed() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var limits = DevServer.Limits()
        limits.idleTimeout = 1
        try await withServer(site, limits: limits) { _, port in
            let idle = try (0..<20).map { _ in try RawClient(port: port) }
            // Each is closed by the server: a read sees the end of the stream (not a timeout).
            for client in idle {
                let rest = try await onThread { try client.readAll() }
                #expect(rest.isEmpty)
            }
            #expect(try await eventually { serverSocketCount(port: port) == 1 },
                    "sockets still open: \(serverSocketCount(port: port))")
        }
    }

    /// More idle connections than the cap: the longest-idle ones make room, so a real page still loads.
    @Test func connectionCapPushesOutIdleConnections() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var limits = DevServer.Limits()
        limits.maxConnections = 16
        try await withServer(site, limits: limits) { _, port in
            let idle = try (0..<60).map { _ in try RawClient(port: port) }
            let page = try await onThread { try get("/index.html", port: port) }
            #expect(page.status == 200)
            #expect(try await eventually { serverSocketCount(port: port) <= 17 },
                    "server sockets: \(serverSocketCount(port: port)) with a cap of 16")
            withExtendedLifetime(idle) {}
        }
    }

    /// When every connection is busy (event streams), a new one gets 503 with Retry-After, and the
    /// server says so.
    @Test func fullServerAnswers503() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        var limits = DevServer.Limits()
        limits.maxConnections = 4
        let notices = NoticeLog()
        try await withServer(site, limits: limits, notices: notices) { server, port in
            let listeners = try await onThread {
                try (0..<4).map { _ in try LiveReloadTests.connectListener(port: port).0 }
            }
            let refused = try await onThread { try get("/index.html", port: port) }
            #expect(refused.status == 503)
            #expect(refused.headers["retry-after"] == "1")
            #expect(notices.all.contains(.tooManyConnections(limit: 4)))
            withExtendedLifetime(listeners) {}
            _ = server
        }
    }
}

/// If the listening socket fails for good, the server says so (serve prints it and exits non-zero).
@Suite("Hardening: a listener that fails")
struct ListenerFailureTests {
    @Test func failedListenerIsReported() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let notices = NoticeLog()
        try await withServer(site, limits: .init(), notices: notices) { _, port in
            let inodes = Set(serverSocketInodes(port: port))
            #expect(inodes.count == 1, "expected only the listener: \(inodes)")
            var listener: Int32 = -1
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
                if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                   target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) {
                    listener = Int32(entry) ?? -1
                }
            }
            try #require(listener >= 0)
            // What a failing listener looks like to accept(2): EINVAL from here on.
            shutdown(listener, Int32(SHUT_RDWR))
            #expect(try await eventually {
                notices.all.contains { if case .stoppedListening = $0 { true } else { false } }
            }, "notices: \(notices.all)")
        }
    }
}

// MARK: a08: close-on-exec

@Suite("Hardening: descriptors (a08)")
struct DescriptorTests {
    /// The listener and the connections are close-on-exec, and a program spawned meanwhile (posix_spawn
    /// with no file actions, as chapter programs are started) holds none of them.
    @Test func serverDescriptorsAreCloseOnExecAndNotInherited() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let (listener, _) = try await onThread { try LiveReloadTests.connectListener(port: port) }
            let plain = try RawClient(port: port)
            #expect(try await eventually { serverSocketCount(port: port) >= 3 })
            let inodes = Set(serverSocketInodes(port: port))
            var checked = 0
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
                guard let fd = Int32(entry),
                      let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                      target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) else { continue }
                // Our clients' sockets share the port number only as the peer; the server's have it locally.
                let flags = fcntl(fd, F_GETFD)
                if flags >= 0, flags & FD_CLOEXEC == 0 {
                    // A client socket of this test (RawClient does not set it) has the port as its peer;
                    // serverSocketInodes matched the local port, so this is the server's.
                    Issue.record("descriptor \(fd) (\(target)) of the server is not close-on-exec")
                }
                checked += 1
            }
            #expect(checked >= 3, "found \(checked) server sockets")

            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
            defer { argv.forEach { free($0) } }
            #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ) == 0)
            defer {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            let childSockets = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/" + $0)
            }.filter { $0.hasPrefix("socket:[") }.map { String($0.dropFirst(8).dropLast()) }
            let leaked = Set(childSockets).intersection(inodes)
            #expect(leaked.isEmpty, "the child inherited the server's sockets \(leaked)")
            // The server's epoll instance too (this process's others, Dispatch's, are close-on-exec as well).
            var pollers = 0
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
                guard let fd = Int32(entry),
                      let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                      target == "anon_inode:[eventpoll]" else { continue }
                let flags = fcntl(fd, F_GETFD)
                #expect(flags < 0 || flags & FD_CLOEXEC != 0, "epoll descriptor \(fd) is not close-on-exec")
                pollers += 1
            }
            #expect(pollers >= 1, "the server's epoll descriptor was not found")
            withExtendedLifetime((listener, plain)) {}
        }
    }
}

// MARK: a15: Host

@Suite("Hardening: Host header (a15)")
struct HostHeaderTests {
    @Test func foreignHostsAreForbidden() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            for host in ["attacker.example:\(port)", "attacker.example", "127.0.0.1.attacker.example",
                         "localhost.attacker.example", "evil.com:80", ""] {
                let page = try await onThread { try get("/index.html", host: host, port: port) }
                #expect(page.status == 403, "Host '\(host)' answered \(page.status)")
                #expect(!page.text.contains("<h1>Home</h1>"))
            }
            // The event stream, which carries build errors, too.
            let events = try await onThread { try get(DevServer.eventsPath, host: "attacker.example", port: port) }
            #expect(events.status == 403)
            #expect(!events.text.contains("event:"))
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "[::1]:\(port)", "book.localhost:\(port)",
                         "127.0.0.1"] {
                let page = try await onThread { try get("/index.html", host: host, port: port) }
                #expect(page.status == 200, "Host '\(host)' answered \(page.status)")
            }
            let missing = try await onThread { try exchange("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", port: port) }
            #expect(missing.status == 400)
        }
    }

    @Test(arguments: [
        ("localhost:8000", "127.0.0.1", true), ("127.0.0.1:8000", "127.0.0.1", true), ("[::1]:8000", "127.0.0.1", true),
        ("127.1.2.3", "127.0.0.1", true), ("docs.localhost", "127.0.0.1", true),
        ("attacker.example:8000", "127.0.0.1", false), ("192.168.1.5:8000", "127.0.0.1", false),
        ("192.168.1.5:8000", "192.168.1.5", true), ("192.168.1.5:8000", "0.0.0.0", true),
        ("[fe80::1]:8000", "::", true), ("[fe80::1]:8000", "::1", false), ("attacker.example", "0.0.0.0", false),
        ("::1", "127.0.0.1", false), ("localhost:80x", "127.0.0.1", false), ("localhost:", "127.0.0.1", false),
        ("local host", "127.0.0.1", false), ("[::1", "127.0.0.1", false),
    ])
    func hostRules(header: String, bound: String, allowed: Bool) {
        #expect(HostCheck.allows(header, boundHost: bound) == allowed, "Host '\(header)' on \(bound)")
    }
}

// MARK: Protocol hygiene

@Suite("Hardening: protocol hygiene")
struct ProtocolHygieneTests {
    static let cases: [(request: String, status: Int)] = [
        ("POST /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc", 405),
        ("BREW /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405),
        ("GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505),
        ("GET / HTTP/0.9\r\nHost: 127.0.0.1\r\n\r\n", 505),
        ("GET / HTTP/1.x\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET / FTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET /\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET / HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET\t/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET /a\u{1B}b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET /caf\u{E9} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET http://127.0.0.1/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u{01}b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColon\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n\r\n", 400),
        ("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", 200),
    ]

    @Test func statusForEachRequest() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            for (request, status) in Self.cases {
                let response = try await onThread { try exchange(request, port: port) }
                #expect(response.status == status, "\(request.debugDescription) answered \(response.head)")
                if status == 405 { #expect(response.headers["allow"] == "GET, HEAD") }
                #expect(!response.text.contains("<h1>Home</h1>") || status == 200)
            }
        }
    }

    /// Nothing from the request reaches a response header raw: the redirect's Location keeps the query
    /// percent-encoded, and every header line is free of control characters.
    @Test func noControlCharactersReachResponseHeaders() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let redirect = try await onThread { try get("/chapters?x=%0d%0aSet-Cookie:%20a=1", port: port) }
            #expect(redirect.status == 301)
            #expect(redirect.headers["location"] == "/chapters/?x=%0d%0aSet-Cookie:%20a=1")
            #expect(redirect.headers["set-cookie"] == nil)
            for target in ["/chapters?x=%0d%0aSet-Cookie:%20a=1", "/%0d%0aX:%20y", "/nope%00"] {
                let response = try await onThread { try get(target, port: port) }
                for line in response.head.components(separatedBy: "\r\n") {
                    #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(line.debugDescription)")
                }
            }
        }
    }

    /// Keep-alive works, and two requests sent at once on one connection are both answered in order.
    @Test func keepAliveAndPipelining() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let text = try await onThread { () throws -> String in
                let client = try RawClient(port: port)
                client.send("GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /notes.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                return String(decoding: try client.readAll(), as: UTF8.self)
            }
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "\(text)")
            #expect(text.contains("body { color: black; }") && text.hasSuffix("plain\n"))
        }
    }
}
