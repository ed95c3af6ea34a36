import Foundation
import LoopbookBuild
import LoopbookCommands
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("loopbook serve")
struct ServeTests {
    @Test func rebuildsOnChangeReloadsPagesAndShowsErrors() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let captured = CapturedConsole()
        let layout = ProjectLayout(root: project.root)
        let session = ServeSession(layout: layout, options: .init(), host: "127.0.0.1", port: 0,
                                   events: ServeCommand.printer(console: captured.console, layout: layout, options: .init()))
        let url = try await session.start()
        let port = try #require(await session.port)
        #expect(url.absoluteString == "http://127.0.0.1:\(port)/")
        let watching = Task { await session.watch(interval: .milliseconds(50), debounce: .milliseconds(100)) }

        let page = try await onThread { try HTTP.get(port: port, "/01-basics.html") }
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.contains("__loopbook/events"), "served pages get the live-reload script")

        // A listener, as the page's script would open it.
        let fd = try await onThread { try HTTP.connect(port: port) }
        defer { close(fd) }
        HTTP.send(fd, "GET /__loopbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = try await onThread { HTTP.read(fd, until: "event: hello") }

        // A prose edit: rebuilt, page reloaded, new text served.
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "Back to", with: "Return to") }
        let reload = try await onThread { HTTP.read(fd, until: "event: reload") }
        #expect(reload.contains("event: reload"))
        let updated = try await onThread { try HTTP.get(port: port, "/02-more.html") }
        #expect(updated.contains("Return to"))

        // A broken step: the error goes to the page and the terminal, the last good page stays served.
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "$0 * $0", with: "$0 * nope") }
        let error = try await onThread { HTTP.read(fd, until: "\n\n", after: "event: error") }
        #expect(error.contains("data: error: Content/02-more.md:12:"), "\(error)")
        let stillGood = try await onThread { try HTTP.get(port: port, "/02-more.html") }
        #expect(stillGood.contains("Return to"))
        #expect(captured.stderr.contains("error: Content/02-more.md:12:"))

        watching.cancel()
        await watching.value
        await session.stop()
    }
}

extension HTTP {
    /// Reads until `marker` appears after `start` has appeared.
    static func read(_ fd: Int32, until marker: String, after start: String) -> String {
        var text = read(fd, until: start)
        while let range = text.range(of: start), !text[range.upperBound...].contains(marker) {
            let more = read(fd, until: nil, limit: 1)
            if more.isEmpty { break }
            text += more
        }
        guard let range = text.range(of: start) else { return text }
        return String(text[range.lowerBound...])
    }

    /// Reads one chunk (`limit` reads) or until the peer closes.
    static func read(_ fd: Int32, until marker: String?, limit: Int) -> String {
        var buffer = [UInt8](repeating: 0, count: 8192)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }
}
