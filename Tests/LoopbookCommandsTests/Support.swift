import Foundation
import LoopbookCommands
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway project folder, removed by `remove()`.
struct TemporaryProject {
    let root: URL

    /// An empty project.
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("loopbook-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// A copy of `source` (a fixture folder or a built project).
    init(copying source: URL) throws {
        self = try TemporaryProject()
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: root.appendingPathComponent(name))
        }
        // swiftc's module cache records its absolute path; a moved copy would fail with
        // "was compiled with module cache path ...". Results stay cached; only the module cache is rebuilt.
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".loopbook/cache/module-cache"))
    }

    var content: URL { root.appendingPathComponent("Content") }
    var site: URL { root.appendingPathComponent("Site") }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Every file under Site/ with its bytes, to prove a failed command left it alone.
    func siteSnapshot() -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: site.path) else { return result }
        while let path = enumerator.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: site.appendingPathComponent(path).path) { result[path] = data }
        }
        return result
    }

    func edit(_ chapter: String, _ transform: (String) -> String) throws {
        let url = content.appendingPathComponent(chapter)
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(transform(text).utf8).write(to: url)
    }
}

enum Fixtures {
    /// The two-chapter fixture book (Content/ only).
    static func book() throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/book")
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("Content/01-basics.md").path))
        return url
    }

    /// The fixture book built once per test run (Content/, Site/ and .loopbook/ with a warm cache), and
    /// what the cold build printed. Tests copy it, so each works in its own folder.
    static let built = Task<(project: URL, stderr: String), any Error> {
        let project = try TemporaryProject(copying: try book())
        let captured = CapturedConsole()
        let command = try BuildCommand.parse(["--root", project.root.path])
        try await command.perform(console: captured.console)
        return (project.root, captured.stderr)
    }

    /// A fresh copy of the built fixture book.
    static func builtCopy() async throws -> TemporaryProject {
        try TemporaryProject(copying: try await built.value.project)
    }
}

/// Runs a command in-process with captured output; returns the exit code (0, or that of the thrown error).
func execute<C: AsyncParsableCommandWithConsole>(_ type: C.Type, _ arguments: [String]) async -> (code: Int32, stdout: String, stderr: String) {
    let captured = CapturedConsole()
    do {
        let command = try type.parse(arguments)
        try await command.perform(console: captured.console)
        return (0, captured.stdout, captured.stderr)
    } catch {
        return (type.exitCode(for: error).rawValue, captured.stdout, captured.stderr)
    }
}

/// A minimal blocking HTTP client for the serve and browser tests (run it off the cooperative pool).
enum HTTP {
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `marker` appears (or the peer closes when `marker` is nil).
    static func read(_ fd: Int32, until marker: String?) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            if let marker, String(decoding: data, as: UTF8.self).contains(marker) { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func get(port: UInt16, _ path: String) throws -> String {
        let fd = try connect(port: port)
        defer { close(fd) }
        send(fd, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return read(fd, until: nil)
    }
}

/// Runs blocking work on its own thread and awaits the result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
