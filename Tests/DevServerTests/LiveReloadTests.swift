import DevServer
import Foundation
import Testing

@Suite("Live reload")
struct LiveReloadTests {
    /// Opens the event stream and returns the client once the server has said hello.
    static func connectListener(port: UInt16) throws -> (RawClient, [UInt8]) {
        let client = try RawClient(port: port)
        client.send("GET \(DevServer.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let data = try client.read(until: "event: hello")
        return (client, data)
    }

    /// Polls `condition` every 20 ms for up to 60 s (generous: the whole test suite shares two cores).
    static func waitFor(_ condition: @Sendable () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
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
                String(decoding: try RawClient(port: port).readAfterHello(port: port), as: UTF8.self)
            }
            #expect(lateText.contains("event: error"))
            // ... until a successful rebuild reloads the pages.
            server.notifyReload()
            let fresh = try await onThread { try RawClient(port: port).readAfterHello(port: port, wait: false) }
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
            #expect(try await Self.waitFor { server.listenerCount == 0 }, "listeners left: \(server.listenerCount)")
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

extension RawClient {
    /// Connects to the event stream and returns what arrives shortly after the hello (the replayed error, if any).
    func readAfterHello(port: UInt16, wait: Bool = true) throws -> [UInt8] {
        send("GET \(DevServer.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let hello = try read(until: "event: hello")
        guard wait else { return hello }
        return try read(until: "event: error", after: hello)
    }
}
