import DevServer
import Foundation
import LoopbookTestSupport
import Testing

@Suite("Live reload")
struct LiveReloadTests {
    /// Opens the event stream and returns the client once the server has said hello.
    static func connectListener(port: UInt16) throws -> (RawClient, [UInt8]) {
        // RawClient.send asks again if the server, starved of CPU, answered 500 (see its documentation).
        let (client, head) = try RawClient.send("GET \(DevServer.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
        guard head.starts(with: Array("HTTP/1.1 200".utf8)) else { throw RawClientError.malformed(String(decoding: head, as: UTF8.self)) }
        let data = try client.read(until: "event: hello", after: head)
        return (client, data)
    }

    /// Connects to the event stream and returns what arrives shortly after the hello (the replayed error, if any).
    static func readAfterHello(port: UInt16, wait: Bool = true) throws -> [UInt8] {
        let (client, hello) = try connectListener(port: port)
        guard wait else { return hello }
        return try client.read(until: "event: error", after: hello)
    }

    @Test func listenerReceivesReload() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { server, port in
            let (client, hello) = try await onThread { try Self.connectListener(port: port) }
            let head = String(decoding: hello, as: UTF8.self)
            #expect(head.contains("text/event-stream"))
            #expect(server.listenerCount == 1)
            server.notifyReload()
            let text = try await onThread { String(decoding: try client.read(until: "event: reload", after: hello), as: UTF8.self) }
            #expect(text.contains("event: reload\ndata: {}\n\n"))
        }
    }

    @Test func errorEventCarriesEveryLineAndIsReplayedToNewPages() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { server, port in
            let (client, hello) = try await onThread { try Self.connectListener(port: port) }
            server.notifyError("error: Content/02-trees.md:31: step 4 exited with status 1\nsecond line")
            let text = try await onThread { String(decoding: try client.read(until: "second line", after: hello), as: UTF8.self) }
            #expect(text.contains("event: error\ndata: error: Content/02-trees.md:31: step 4 exited with status 1\ndata: second line\n\n"))
            // A page opened while the build is broken sees the error right away ...
            let lateText = try await onThread {
                String(decoding: try Self.readAfterHello(port: port), as: UTF8.self)
            }
            #expect(lateText.contains("event: error"))
            // ... until a successful rebuild reloads the pages.
            server.notifyReload()
            let fresh = try await onThread { try Self.readAfterHello(port: port, wait: false) }
            #expect(!String(decoding: fresh, as: UTF8.self).contains("event: error"))
        }
    }

    @Test func listenersAreRemovedWhenClientsLeave() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site, heartbeat: .milliseconds(50)) { server, port in
            var clients: [RawClient] = []
            for _ in 0..<5 { clients.append(try await onThread { try Self.connectListener(port: port) }.0) }
            #expect(server.listenerCount == 5)
            clients.removeAll()   // closes the sockets
            #expect(try await eventually(progress: { server.listenerCount }) { server.listenerCount == 0 },
                    "listeners left: \(server.listenerCount)")
        }
    }

    @Test func stopEndsOpenStreams() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let server = DevServer(root: site.site, port: 0)
        let port = try await server.start()
        let (client, hello) = try await onThread { try Self.connectListener(port: port) }
        await server.stop()
        #expect(server.listenerCount == 0)
        // The chunked body is terminated with a zero-length chunk.
        let rest = try await onThread { try client.read(until: "0\r\n\r\n", after: hello) }
        #expect(String(decoding: rest, as: UTF8.self).hasSuffix("0\r\n\r\n"))
    }
}
