// server-bench: latency of `loopbook serve` under load, with and without a crowd of idle connections
// (issue #12: p99 ≤ 50 ms for 200 concurrent clients plus 1,000 idle open connections).
//
//   server-bench [--tool .build/release/loopbook] [--clients 200] [--requests 10000] [--idle 1000]
//                [--runs 3] [--keep-alive] [--chapters 12]
//
// It generates a prose book (no code, so the first build only renders) in a temporary folder, starts the
// real `loopbook serve --port 0` on it, and then, `--runs` times each:
//   load           `--clients` clients, each a loop of: connect, GET a chapter page, read the whole answer,
//                  close (like `ab -n 10000 -c 200`; with --keep-alive each client keeps its connection,
//                  like `ab -k`). Latency is from the connect (or the send, on a kept connection) to the
//                  last byte of the answer.
//   load + idle    the same, while `--idle` other connections stay open: half send nothing, half the first
//                  line of a request head and nothing more (slow clients). How many the server still holds
//                  open at the end is printed too (it closes the longest-idle one when it reaches its
//                  connection cap, half the open-files limit and at most 1,024).
// For each run: requests/s, median, p99 and max latency, failures, and the processor time the load
// generator and the server used (to see whether they had a core each). The generator is one thread with
// poll(2); it raises its open-files limit (and so the server's) to what 1,200+ descriptors need.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

struct Options {
    var tool = ".build/release/loopbook"
    var clients = 200
    var requests = 10_000
    var idle = 1_000
    var runs = 3
    var keepAlive = false
    var chapters = 12

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func number(_ flag: String, allowZero: Bool = false) throws -> Int {
            guard let text = rest.popFirst(), let n = Int(text), n >= (allowZero ? 0 : 1) else {
                throw BenchError("\(flag) needs a \(allowZero ? "non-negative" : "positive") integer.")
            }
            return n
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--tool":
                guard let path = rest.popFirst() else { throw BenchError("--tool needs a path.") }
                tool = path
            case "--clients": clients = try number(flag)
            case "--requests": requests = try number(flag)
            case "--idle": idle = try number(flag, allowZero: true)
            case "--runs": runs = try number(flag)
            case "--chapters": chapters = try number(flag)
            case "--keep-alive": keepAlive = true
            case "-h", "--help":
                print("usage: server-bench [--tool PATH] [--clients N] [--requests N] [--idle N] [--runs N] [--keep-alive] [--chapters N]")
                exit(0)
            default: throw BenchError("Unknown option '\(flag)'; see --help.")
            }
        }
    }
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

// MARK: - The server

/// A prose chapter of about 4 KB of Markdown (a typical documentation page, ~20 KB of HTML once rendered).
func chapter(_ number: Int) -> String {
    let sentence = "The forest is retrained on the corrected labels, and its accuracy is measured again on data it has not seen."
    let paragraph = Array(repeating: sentence, count: 3).joined(separator: " ")
    var text = "# Chapter \(number)\n\n"
    for section in ["The data", "The split", "The model", "The forest", "The feedback", "The labels", "What changed", "Next"] {
        text += "## \(section)\n\n\(paragraph) \(paragraph)\n\n\(paragraph)\n\n"
    }
    return text + "- a first point\n- a second point\n"
}

func slug(_ number: Int) -> String { String(format: "%02d-chapter-%d", number, number) }

/// `loopbook serve` running on a generated book; `stop()` ends it with SIGTERM.
struct Server {
    let pid: pid_t
    let port: UInt16
    let page: String
    let pageBytes: Int

    static func start(tool: String, root: String, chapters: Int) throws -> Server {
        let content = root + "/Content"
        try FileManager.default.createDirectory(atPath: content, withIntermediateDirectories: true)
        try "title: Server benchmark book\n".write(toFile: content + "/book.yml", atomically: true, encoding: .utf8)
        for n in 1...chapters {
            try chapter(n).write(toFile: "\(content)/\(slug(n)).md", atomically: true, encoding: .utf8)
        }
        let log = root + "/serve.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = [tool, "serve", "--root", root, "--port", "0"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard status == 0 else { throw BenchError("Could not start '\(tool)': \(String(cString: strerror(status))).") }
        // "Serving Site at http://127.0.0.1:PORT/ (Ctrl-C to stop)."
        let deadline = now() + 300
        while now() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = UInt16(digits), text[range.upperBound...].dropFirst(digits.count).hasPrefix("/") {
                    let page = "/\(slug(1)).html"
                    let size = (try? FileManager.default.attributesOfItem(atPath: root + "/Site" + page)[.size] as? Int) ?? 0
                    let server = Server(pid: pid, port: port, page: page, pageBytes: size)
                    guard size > 0 else {
                        server.stop()
                        throw BenchError("The build did not write Site\(page); see \(log):\n\(text.suffix(3000))")
                    }
                    return server
                }
            }
            var exitStatus: Int32 = 0
            if waitpid(pid, &exitStatus, WNOHANG) == pid {
                throw BenchError("loopbook serve exited (wait status \(exitStatus)):\n\(text.suffix(3000))")
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        throw BenchError("loopbook serve did not start within 300 s; see \(log).")
    }

    /// User + system seconds the server has used so far (/proc/PID/stat).
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime 14 and stime 15 (1-based, so 11 and 12 here).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

// MARK: - Sockets

/// A non-blocking TCP socket connecting to 127.0.0.1:`port` (the connect may still be in progress).
func connectSocket(port: UInt16) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return -1 }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    if result != 0, errno != EINPROGRESS {
        close(fd)
        return -1
    }
    return fd
}

/// Opens `count` connections that never finish a request: even ones send nothing, odd ones the first line
/// of a request head. Returns once all are connected.
func openIdle(_ count: Int, port: UInt16) throws -> [Int32] {
    var fds: [Int32] = []
    let partial = Array("GET / HTTP/1.1\r\n".utf8)
    for index in 0..<count {
        let fd = connectSocket(port: port)
        guard fd >= 0 else { throw BenchError("Could not open idle connection \(index): \(String(cString: strerror(errno))).") }
        var pollfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&pollfd, 1, 5_000)
        if index % 2 == 1 { _ = send(fd, partial, partial.count, Int32(MSG_NOSIGNAL)) }
        fds.append(fd)
        // Let the server accept as they come rather than fill its listen queue.
        if index % 100 == 99 { usleep(10_000) }
    }
    return fds
}

/// How many of `fds` the server has not closed (no end of stream and no error waiting on them).
func stillOpen(_ fds: [Int32]) -> Int {
    var pollfds = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    _ = poll(&pollfds, nfds_t(pollfds.count), 0)
    var buffer = [UInt8](repeating: 0, count: 4_096)
    return zip(fds, pollfds).filter { fd, entry in
        if entry.revents & Int16(POLLERR | POLLHUP) != 0 { return false }
        // Readable: a 408 or an end of stream, both mean the server let go.
        if entry.revents & Int16(POLLIN) != 0 { return recv(fd, &buffer, buffer.count, Int32(MSG_PEEK)) < 0 && errno == EAGAIN }
        return true
    }.count
}

// MARK: - The load

struct LoadResult {
    var latencies: [Double] = []
    var failures = 0
    var seconds = 0.0
    var clientCPU = 0.0
    var serverCPU = 0.0
}

/// One client of the load: a connection and the answer being read on it.
struct Slot {
    enum Phase { case connecting, reading }
    var fd: Int32 = -1
    var phase = Phase.connecting
    var started = 0.0
    var input: [UInt8] = []
    var expected: Int?
}

func processSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// `requests` GETs of `server.page` by `clients` clients at once; every answer must be a 200 of the page's size.
func load(_ server: Server, clients: Int, requests: Int, keepAlive: Bool) -> LoadResult {
    let request = Array("GET \(server.page) HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUser-Agent: server-bench\r\n\(keepAlive ? "" : "Connection: close\r\n")\r\n".utf8)
    let headEnd = Array("\r\n\r\n".utf8), ok = Array("HTTP/1.1 200 ".utf8)
    var slots = Array(repeating: Slot(), count: clients)
    var result = LoadResult()
    result.latencies.reserveCapacity(requests)
    var started = 0, finished = 0
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let cpuBefore = processSeconds(), serverBefore = server.cpuSeconds(), loadStarted = now()

    /// Starts the next request on slot `i` (reusing its connection when it is kept alive).
    func begin(_ i: Int) {
        guard started < requests else {
            if slots[i].fd >= 0 { close(slots[i].fd) }
            slots[i].fd = -1
            return
        }
        started += 1
        slots[i].started = now()
        slots[i].input.removeAll(keepingCapacity: true)
        slots[i].expected = nil
        if slots[i].fd >= 0 {
            slots[i].phase = .reading
            if send(slots[i].fd, request, request.count, Int32(MSG_NOSIGNAL)) != request.count { fail(i) }
            return
        }
        slots[i].fd = connectSocket(port: server.port)
        slots[i].phase = .connecting
        if slots[i].fd < 0 { fail(i) }
    }
    func fail(_ i: Int) {
        result.failures += 1
        finished += 1
        if slots[i].fd >= 0 { close(slots[i].fd) }
        slots[i].fd = -1
        begin(i)
    }
    func complete(_ i: Int) {
        result.latencies.append(now() - slots[i].started)
        finished += 1
        if !keepAlive {
            close(slots[i].fd)
            slots[i].fd = -1
        }
        begin(i)
    }

    for i in slots.indices { begin(i) }
    var pollfds: [pollfd] = []
    var owners: [Int] = []
    while finished < requests {
        pollfds.removeAll(keepingCapacity: true)
        owners.removeAll(keepingCapacity: true)
        for i in slots.indices where slots[i].fd >= 0 {
            pollfds.append(pollfd(fd: slots[i].fd, events: Int16(slots[i].phase == .connecting ? POLLOUT : POLLIN), revents: 0))
            owners.append(i)
        }
        guard !pollfds.isEmpty else { break }
        if poll(&pollfds, nfds_t(pollfds.count), 10_000) == 0 {
            // Nothing moved for 10 s: count what is pending as failures rather than hang.
            for i in owners { fail(i) }
            continue
        }
        for (entry, i) in zip(pollfds, owners) where entry.revents != 0 {
            switch slots[i].phase {
            case .connecting:
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(slots[i].fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0, send(slots[i].fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { fail(i); continue }
                slots[i].phase = .reading
            case .reading:
                let n = recv(slots[i].fd, &buffer, buffer.count, 0)
                if n < 0, errno == EAGAIN || errno == EINTR { continue }
                guard n > 0 else { fail(i); continue }
                slots[i].input += buffer[0..<n]
                if slots[i].expected == nil, let end = find(headEnd, in: slots[i].input) {
                    let head = slots[i].input[0..<end]
                    guard head.starts(with: ok), let length = contentLength(head) else { fail(i); continue }
                    slots[i].expected = end + 4 + length
                }
                if let expected = slots[i].expected, slots[i].input.count >= expected { complete(i) }
            }
        }
    }
    result.seconds = now() - loadStarted
    result.clientCPU = processSeconds() - cpuBefore
    result.serverCPU = server.cpuSeconds() - serverBefore
    for slot in slots where slot.fd >= 0 { close(slot.fd) }
    return result
}

// The generator shares the two cores with the server, so its own parsing stays on bytes (no Strings).

func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
    }
    return nil
}

/// The value of `Content-Length` (any case) in a response head.
func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
    let name = Array("content-length:".utf8)
    var lineStart = head.startIndex
    while lineStart < head.endIndex {
        let lineEnd = head[lineStart...].firstIndex(of: 0x0A) ?? head.endIndex
        let line = head[lineStart..<lineEnd]
        if line.count > name.count, zip(line, name).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }) {
            var value = 0, digits = 0
            for byte in line.dropFirst(name.count) where byte != 0x20 && byte != 0x0D {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        lineStart = lineEnd + 1
    }
    return nil
}

// MARK: - Report

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? fill + text : text + fill
}

func ms(_ seconds: Double) -> String { String(format: "%7.1f ms", seconds * 1000) }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Raises the soft open-files limit so `needed` descriptors fit (the server, started afterwards, inherits it).
func raiseOpenFilesLimit(to needed: Int) throws {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    guard limit.rlim_cur < rlim_t(needed) else { return }
    guard limit.rlim_max >= rlim_t(needed) else {
        throw BenchError("The hard open-files limit is \(limit.rlim_max); \(needed) are needed (raise it, e.g. 'ulimit -Hn 4096' as root).")
    }
    limit.rlim_cur = limit.rlim_max == rlim_t.max ? rlim_t(max(needed, 65_536)) : limit.rlim_max
    guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { throw BenchError("setrlimit: \(String(cString: strerror(errno))).") }
}

func main() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    signal(SIGPIPE, SIG_IGN)
    // The server keeps half its limit free, so it needs twice what it holds; the generator holds as many.
    try raiseOpenFilesLimit(to: 2 * (options.idle + options.clients) + 256)
    let root = NSTemporaryDirectory() + "loopbook-server-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let tool = options.tool.hasPrefix("/") ? options.tool : FileManager.default.currentDirectoryPath + "/" + options.tool
    let server = try Server.start(tool: tool, root: root, chapters: options.chapters)
    defer { server.stop() }
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    print("== server-bench: \(tool) serve, GET \(server.page) (\(server.pageBytes) bytes on disk), \(options.clients) clients, "
          + "\(options.requests) requests per run, \(options.keepAlive ? "kept-alive connections" : "a new connection per request"), "
          + "open-files limit \(limit.rlim_cur)")
    _ = load(server, clients: min(options.clients, 20), requests: 1_000, keepAlive: options.keepAlive)   // warm-up

    print("scenario           run   req/s    median       p99       max  failures  idle open  client CPU  server CPU  server CPU/request")
    var summary: [(String, [LoadResult])] = []
    for idle in options.idle > 0 ? [0, options.idle] : [0] {
        let name = idle == 0 ? "load" : "load + \(idle) idle"
        var results: [LoadResult] = []
        for run in 1...options.runs {
            let idleFds = try openIdle(idle, port: server.port)
            usleep(200_000)
            let result = load(server, clients: options.clients, requests: options.requests, keepAlive: options.keepAlive)
            let open = stillOpen(idleFds)
            idleFds.forEach { close($0) }
            let sorted = result.latencies.sorted()
            print(pad(name, 18) + String(format: " %3d %7.0f ", run, Double(sorted.count) / result.seconds)
                  + ms(percentile(sorted, 0.5)) + " " + ms(percentile(sorted, 0.99)) + " " + ms(sorted.last ?? .nan)
                  + String(format: " %9d ", result.failures) + pad(idle == 0 ? "-" : "\(open)", 10, left: true)
                  + String(format: " %10.0f%% %10.0f%% %16.0f µs", 100 * result.clientCPU / result.seconds,
                           100 * result.serverCPU / result.seconds, 1e6 * result.serverCPU / Double(max(1, sorted.count))))
            results.append(result)
            usleep(500_000)   // let the server's TIME_WAIT sockets and idle closes settle
        }
        summary.append((name, results))
    }
    print("\nmedians over \(options.runs) runs:")
    for (name, results) in summary {
        let p50 = median(results.map { percentile($0.latencies.sorted(), 0.5) })
        let p99 = median(results.map { percentile($0.latencies.sorted(), 0.99) })
        let maxLatency = median(results.map { $0.latencies.max() ?? .nan })
        let rate = median(results.map { Double($0.latencies.count) / $0.seconds })
        let cost = median(results.map { 1e6 * $0.serverCPU / Double(max(1, $0.latencies.count)) })
        print(pad(name, 20) + String(format: " %7.0f req/s   median ", rate) + ms(p50) + "   p99 " + ms(p99) + "   max " + ms(maxLatency)
              + String(format: "   server CPU %.0f µs/request", cost))
    }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("server-bench: \(error)\n".utf8))
    exit(1)
}
