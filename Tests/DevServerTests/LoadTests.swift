import DevServer
import Foundation
import Testing

/// Open sockets whose local port is `port`, found by matching /proc/self/fd socket inodes with /proc/net/tcp.
/// Only this server's sockets count, so tests running in parallel in the same process do not disturb it.
func serverSocketCount(port: UInt16) -> Int {
    // procfs files report size 0, so read them to the end instead of by size.
    let tables = ["/proc/net/tcp", "/proc/net/tcp6"].compactMap { path in
        (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readToEnd()).flatMap { $0 }
            .map { String(decoding: $0, as: UTF8.self) }
    }
    var inodes = Set<String>()
    let hex = String(port, radix: 16, uppercase: true)
    let portHex = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    for line in tables.flatMap({ $0.split(separator: "\n").dropFirst() }) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 9, fields[1].hasSuffix(":" + portHex) else { continue }
        inodes.insert(String(fields[9]))
    }
    return openSocketInodes().filter(inodes.contains).count
}

/// The inodes of the sockets among this process's open file descriptors.
func openSocketInodes() -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.compactMap { entry in
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
              target.hasPrefix("socket:[") else { return nil }
        return String(target.dropFirst("socket:[".count).dropLast())
    }
}

func openFileDescriptorCount() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
}

@Suite("Load")
struct LoadTests {
    @Test func manyClientsAndListenersComeAndGoWithoutLeaks() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, heartbeat: .milliseconds(50)) { server, port in
            // Warm up once so lazily opened descriptors (the poller, the file cache) exist before the baseline.
            _ = try await onThread { try RawClient.request(port: port, target: "/index.html") }
            #expect(try await LiveReloadTests.waitFor { serverSocketCount(port: port) == 1 },
                    "server sockets after warm-up: \(serverSocketCount(port: port)), expected only the listening one")
            let baselineSockets = serverSocketCount(port: port)
            let baselineDescriptors = openFileDescriptorCount()

            let listenerCount = 50, clientCount = 200
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<listenerCount {
                    group.addTask {
                        try await onThread {
                            let (client, hello) = try LiveReloadTests.connectListener(port: port)
                            // Stay until the reload arrives, then leave.
                            let text = try client.read(until: "event: reload", after: hello)
                            return String(decoding: text, as: UTF8.self).contains("event: reload")
                        }
                    }
                }
                for index in 0..<clientCount {
                    group.addTask {
                        let path = ["/index.html", "/style.css", "/logo.png", "/chapters/", "/nope"][index % 5]
                        let response = try await onThread { try RawClient.request(port: port, target: path) }
                        return response.status == (path == "/nope" ? 404 : 200) && !response.body.isEmpty
                    }
                }
                // All 50 listeners connected (they may still be waiting while the 200 clients are served).
                #expect(try await LiveReloadTests.waitFor { server.listenerCount == listenerCount },
                        "listeners connected: \(server.listenerCount)")
                server.notifyReload()
                var served = 0
                for try await ok in group where ok { served += 1 }
                #expect(served == clientCount + listenerCount)
            }
            #expect(try await LiveReloadTests.waitFor { server.listenerCount == 0 },
                    "listeners still registered: \(server.listenerCount)")
            #expect(try await LiveReloadTests.waitFor { serverSocketCount(port: port) == baselineSockets },
                    "server sockets: \(serverSocketCount(port: port)), baseline \(baselineSockets)")
            // The whole process's descriptors, with slack for tests in other suites running at the same time.
            let after = openFileDescriptorCount()
            #expect(after <= baselineDescriptors + 8, "descriptors: \(after), baseline \(baselineDescriptors)")
        }
    }
}
