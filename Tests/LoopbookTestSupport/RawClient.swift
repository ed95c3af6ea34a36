import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response read off a raw socket: status code, headers (lower-cased names) and body bytes.
public struct RawResponse: Sendable {
    /// The status line and the header lines as sent, e.g. `HTTP/1.1 200 OK\r\nContent-Type: ...`.
    public var head: String
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

public enum RawClientError: Error, CustomStringConvertible {
    case connect(Int32), timeout, malformed(String)
    public var description: String {
        switch self {
        case let .connect(code): "connect failed with errno \(code)"
        case .timeout: "timed out"
        case let .malformed(text): "malformed response: \(text)"
        }
    }
}

/// A blocking HTTP/1.1 client over a plain socket to 127.0.0.1, so tests control the exact request line
/// (URLSession would normalise `..` away) and can read a server-sent event stream piece by piece.
/// Call it through ``onThread(stackSize:_:)`` to keep Swift's task threads free for the server.
///
/// Its waits are fair to a server on busy cores: a read gives up only after `timeout` of ``PoolClock``
/// time without a byte arriving (time in which the server's tasks could run), and a refused or reset
/// connection is tried again with backoff for as long.
///
/// ```swift
/// let response = try await onThread { try RawClient.request(port: port, target: "/style.css") }
/// #expect(response.status == 200)
/// ```
public final class RawClient: @unchecked Sendable {
    /// The connected socket, closed when the client is released.
    public let fd: Int32
    private let timeout: Duration
    private let clock: PoolClock

    /// How long one blocking call waits before the client looks at `clock` again.
    private static let slice = timeval(tv_sec: 0, tv_usec: 250_000)

    /// Connects to 127.0.0.1:`port`, trying again on refusal (backoff from 10 ms to 500 ms) until
    /// `timeout` has passed on `clock`.
    public init(port: UInt16, timeout: Duration = .seconds(60), clock: PoolClock = .shared) throws {
        self.timeout = timeout
        self.clock = clock
        let start = clock.now
        var backoff = 0.01
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var slice = Self.slice
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &slice, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &slice, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == 0 {
                self.fd = fd
                return
            }
            let code = errno
            close(fd)
            // Refused or reset (a full backlog), or the handshake outlasted one slice: the server may just not
            // have had the CPU to accept yet.
            let transient = [ECONNREFUSED, ECONNRESET, ECONNABORTED, EAGAIN, EINPROGRESS, ETIMEDOUT, EINTR].contains(code)
            guard transient, clock.now - start < timeout else { throw RawClientError.connect(code) }
            Thread.sleep(forTimeInterval: backoff)
            backoff = min(backoff * 2, 0.5)
        }
    }

    deinit { close(fd) }

    /// Sends all of `text` (stops early if the peer has gone or nothing could be sent for `timeout`).
    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        var since = clock.now
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
                since = clock.now
            } else if n < 0, [EAGAIN, EWOULDBLOCK, EINTR].contains(errno), clock.now - since < timeout {
                continue
            } else {
                return
            }
        }
    }

    /// One `recv` into `buffer`: the byte count, 0 when the peer closed, -1 on an error; waits for the
    /// first byte up to `timeout` on the clock, else throws ``RawClientError/timeout``.
    private func receive(into buffer: inout [UInt8]) throws -> Int {
        let start = clock.now
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return n }
            guard [EAGAIN, EWOULDBLOCK, EINTR].contains(errno) else { return -1 }
            if clock.now - start >= timeout { throw RawClientError.timeout }
        }
    }

    /// Reads until the peer closes (requests are sent with `Connection: close`); returns `existing` and
    /// everything read.
    public func readAll(after existing: [UInt8] = []) throws -> [UInt8] {
        var data = existing
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = try receive(into: &buffer)
            if n <= 0 { return data }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    /// Reads until `done` holds for the text so far (starting with `existing`); returns everything read.
    /// Throws ``RawClientError/malformed(_:)`` when the peer closes or fails first.
    public func read(after existing: [UInt8] = [], until done: (String) -> Bool) throws -> [UInt8] {
        var data = existing
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !done(String(decoding: data, as: UTF8.self)) {
            let n = try receive(into: &buffer)
            if n <= 0 { throw RawClientError.malformed(String(decoding: data, as: UTF8.self)) }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    /// Reads until `marker` has arrived; returns everything read so far.
    public func read(until marker: String, after existing: [UInt8] = []) throws -> [UInt8] {
        try read(after: existing) { $0.contains(marker) }
    }

    /// Reads a server-sent event stream until a whole event `name` has arrived (its blank line included);
    /// returns the text from its `event:` line on.
    public func readEvent(_ name: String, after existing: [UInt8] = []) throws -> String {
        let start = "event: \(name)\n"
        let text = String(decoding: try read(after: existing) { text in
            guard let range = text.range(of: start) else { return false }
            return text[range.upperBound...].contains("\n\n")
        }, as: UTF8.self)
        return String(text[text.range(of: start)!.lowerBound...])
    }

    /// How long the dev server's HTTP library (FlyingFox) lets a request handler run, on the wall clock,
    /// before it answers 500 instead.
    public static let serverHandlerDeadline: Duration = .seconds(15)

    /// Connects, sends `request` and reads the response's head (and whatever came with it).
    ///
    /// An answer of 500 that came after ``serverHandlerDeadline`` on the wall clock, when in the last
    /// ``serverHandlerDeadline`` the pool could run tasks for less than half of it (see
    /// ``PoolClock/counted(inLast:)``), is the server's own wall-clock deadline running out while it had
    /// no CPU to answer: it is said on stderr and the request is sent again on a new connection, up to
    /// `attempts` times in all. Any other answer, a 500 included, is returned as it came: with the pool
    /// running, a handler that serves a file takes milliseconds, not 15 s.
    public static func send(_ request: String, port: UInt16, attempts: Int = 5,
                            clock: PoolClock = .shared) throws -> (client: RawClient, head: [UInt8]) {
        var attempt = 1
        while true {
            let wallStart = ContinuousClock.now
            let client = try RawClient(port: port, clock: clock)
            client.send(request)
            let head = try client.read(until: "\r\n\r\n")
            let wall = ContinuousClock.now - wallStart
            guard attempt < attempts, head.starts(with: Array("HTTP/1.1 500".utf8)), wall >= serverHandlerDeadline else {
                return (client, head)
            }
            let running = clock.counted(inLast: serverHandlerDeadline)
            guard running < serverHandlerDeadline / 2 else { return (client, head) }
            FileHandle.standardError.write(Data("""
                RawClient: 500 after \(wall); in the last \(serverHandlerDeadline) the server's tasks could run for \
                \(running) (its handler deadline ran out while it was starved); sending \(request.prefix { $0 != "\r" }) again.\n
                """.utf8))
            attempt += 1
        }
    }

    /// One request with `Connection: close`, answered in full (see ``send(_:port:attempts:clock:)``).
    public static func request(port: UInt16, method: String = "GET", target: String) throws -> RawResponse {
        let (client, head) = try send("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                      port: port)
        return try parse(client.readAll(after: head))
    }

    /// Splits a whole response into status, headers and body.
    public static func parse(_ data: [UInt8]) throws -> RawResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = data.indices.first(where: { data[$0...].starts(with: separator) }) else {
            throw RawClientError.malformed(String(decoding: data, as: UTF8.self))
        }
        let head = String(decoding: data[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawClientError.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(head: head, status: status, headers: headers, body: Array(data[(end + 4)...]))
    }
}
