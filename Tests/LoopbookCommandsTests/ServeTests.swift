import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Testing

@Suite("loopbook serve")
struct ServeTests {
    @Test func rebuildsOnChangeReloadsPagesAndShowsErrors() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let captured = CapturedConsole()
        let session = ServeSession.printing(to: captured.console, project: project)
        let url = try await session.start()
        let port = try #require(await session.port)
        #expect(url.absoluteString == "http://127.0.0.1:\(port)/")
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }

        let page = try await onThread { try RawClient.request(port: port, target: "/01-basics.html") }
        #expect(page.head.hasPrefix("HTTP/1.1 200"))
        #expect(page.text.contains("__loopbook/events"), "served pages get the live-reload script")

        // A listener, as the page's script would open it.
        let (listener, head) = try await onThread {
            try RawClient.send("GET /__loopbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
        }
        defer { withExtendedLifetime(listener) {} }
        _ = try await onThread { try listener.read(until: "event: hello", after: head) }

        // A prose edit: rebuilt, page reloaded, new text served.
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "Back to", with: "Return to") }
        let reload = try await onThread { String(decoding: try listener.read(until: "event: reload"), as: UTF8.self) }
        #expect(reload.contains("event: reload"))
        let updated = try await onThread { try RawClient.request(port: port, target: "/02-more.html") }
        #expect(updated.text.contains("Return to"))

        // A broken step: the error goes to the page and the terminal, the last good page stays served.
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "$0 * $0", with: "$0 * nope") }
        let error = try await onThread { try listener.readEvent("error") }
        #expect(error.contains("data: error: Content/02-more.md:12:"), "\(error)")
        let stillGood = try await onThread { try RawClient.request(port: port, target: "/02-more.html") }
        #expect(stillGood.text.contains("Return to"))
        #expect(captured.stderr.contains("error: Content/02-more.md:12:"))

        watching.cancel()
        await watching.value
        await session.stop()
    }
}
