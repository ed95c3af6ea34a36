import DevServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response read off a raw socket: status code, headers (lower-cased names) and body bytes.
struct RawResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawClientError: Error, CustomStringConvertible {
    case connect(Int32), timeout, malformed(String)
    var description: String {
        switch self {
        case let .connect(code): "connect failed with errno \(code)"
        case .timeout: "timed out"
        case let .malformed(text): "malformed response: \(text)"
        }
    }
}

/// A blocking HTTP/1.1 client over a plain socket, so tests control the exact request line
/// (URLSession would normalise `..` away). Call it through `onThread` to keep the cooperative pool free.
final class RawClient: @unchecked Sendable {
    let fd: Int32

    init(port: UInt16, timeoutSeconds: Int = 60) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw RawClientError.connect(code)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until the peer closes (requests are sent with `Connection: close`).
    func readAll() throws -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return data }
            if n < 0 { if errno == EAGAIN || errno == EWOULDBLOCK { throw RawClientError.timeout }; return data }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    /// Reads until `marker` has arrived; returns everything read so far.
    func read(until marker: String, after existing: [UInt8] = []) throws -> [UInt8] {
        var data = existing
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: data, as: UTF8.self).contains(marker) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { throw n == 0 ? RawClientError.malformed(String(decoding: data, as: UTF8.self)) : RawClientError.timeout }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    /// One request with `Connection: close`, answered in full.
    static func request(port: UInt16, method: String = "GET", target: String) throws -> RawResponse {
        let client = try RawClient(port: port)
        client.send("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return try parse(client.readAll())
    }

    static func parse(_ data: [UInt8]) throws -> RawResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = data.indices.first(where: { data[$0...].starts(with: separator) }) else {
            throw RawClientError.malformed(String(decoding: data, as: UTF8.self))
        }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawClientError.malformed(head[0]) }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawResponse(status: status, headers: headers, body: Array(data[(end + 4)...]))
    }
}

/// Runs blocking work on its own thread and awaits the result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 256 * 1024
        thread.start()
    }
}

/// A temporary folder with a small site in it, removed by `remove()`.
struct TemporarySite {
    let root: URL      // the folder holding Site/ and secret.txt beside it
    let site: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("devserver-\(UUID().uuidString)")
        site = root.appendingPathComponent("Site")
        let files: [String: String] = [
            "index.html": "<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>\n",
            "chapters/index.html": "<html><body>Chapters</body></html>\n",
            "style.css": "body { color: black; }\n",
            "site.js": "console.log('hi');\n",
            "search.json": "{\"pages\": []}\n",
            "chart.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
            "data.csv": "a,b\n1,2\n",
            "notes.txt": "plain\n",
        ]
        for (path, text) in files {
            let url = site.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        // A PNG signature is enough for the content-type check.
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).write(to: site.appendingPathComponent("logo.png"))
        try Data("TOP SECRET\n".utf8).write(to: root.appendingPathComponent("secret.txt"))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Starts a server on an ephemeral port for `site`, runs `body`, and stops it.
func withServer<T>(_ site: TemporarySite, heartbeat: Duration = .seconds(10),
                   _ body: (DevServer, UInt16) async throws -> T) async throws -> T {
    let server = DevServer(root: site.site, port: 0, heartbeat: heartbeat)
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
