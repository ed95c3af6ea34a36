import DevServer
import Foundation
import LoopbookTestSupport
import Testing

@Suite("Static files")
struct StaticFilesTests {
    @Test func getServesFileWithContentTypeAndLength() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, target: "/style.css") }
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/css; charset=utf-8")
            #expect(response.text == "body { color: black; }\n")
            #expect(response.headers["content-length"] == String(response.body.count))
        }
    }

    @Test(arguments: [
        ("/index.html", "text/html; charset=utf-8"), ("/site.js", "text/javascript; charset=utf-8"),
        ("/search.json", "application/json"), ("/chart.svg", "image/svg+xml"), ("/logo.png", "image/png"),
        ("/data.csv", "text/csv; charset=utf-8"), ("/notes.txt", "text/plain; charset=utf-8"),
    ])
    func contentTypes(path: String, type: String) async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, target: path) }
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == type, "for \(path)")
        }
    }

    @Test func headHasSameHeadersAndNoBody() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            for path in ["/index.html", "/style.css", "/logo.png"] {
                let get = try await onThread { try RawClient.request(port: port, target: path) }
                let head = try await onThread { try RawClient.request(port: port, method: "HEAD", target: path) }
                #expect(head.status == 200)
                #expect(head.body.isEmpty, "HEAD \(path) sent \(head.body.count) body bytes")
                #expect(head.headers["content-type"] == get.headers["content-type"])
                #expect(head.headers["content-length"] == get.headers["content-length"])
                #expect(head.headers["content-length"] == String(get.body.count))
            }
        }
    }

    @Test func directoriesServeIndexAndRedirectWithoutSlash() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let root = try await onThread { try RawClient.request(port: port, target: "/") }
            #expect(root.status == 200)
            #expect(root.text.contains("<h1>Home</h1>"))
            let folder = try await onThread { try RawClient.request(port: port, target: "/chapters/") }
            #expect(folder.text.contains("Chapters"))
            let bare = try await onThread { try RawClient.request(port: port, target: "/chapters?x=1") }
            #expect(bare.status == 301)
            #expect(bare.headers["location"] == "/chapters/?x=1")
        }
    }

    @Test func missingFileIs404Page() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, target: "/nope.html") }
            #expect(response.status == 404)
            #expect(response.headers["content-type"] == "text/html; charset=utf-8")
            #expect(response.text.contains("Not found"))
            let file = try await onThread { try RawClient.request(port: port, target: "/style.css/") }
            #expect(file.status == 404)
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    func otherMethodsAre405(method: String) async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, method: method, target: "/index.html") }
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "GET, HEAD")
        }
    }

    @Test func htmlGetsLiveReloadScriptButFileOnDiskDoesNot() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, target: "/index.html") }
            #expect(response.text.contains(DevServer.eventsPath))
            #expect(response.text.hasSuffix("</body></html>\n"))
            let onDisk = try String(contentsOf: site.site.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(!onDisk.contains(DevServer.eventsPath))
            let css = try await onThread { try RawClient.request(port: port, target: "/style.css") }
            #expect(!css.text.contains(DevServer.eventsPath))
        }
    }

    @Test func bindsLoopbackByDefaultAndReportsPort() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let server = DevServer(root: site.site, port: 0)
        #expect(server.host == "127.0.0.1")
        let port = try await server.start()
        #expect(port != 0)
        #expect(await server.url?.absoluteString == "http://127.0.0.1:\(port)/")
        await server.stop()
    }

    @Test func missingRootAndBadHostAreClearErrors() async throws {
        let missing = DevServer(root: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"), port: 0)
        await #expect(throws: DevServerError.self) { _ = try await missing.start() }
        let site = try TemporarySite()
        defer { site.remove() }
        let badHost = DevServer(root: site.site, host: "not-an-ip", port: 0)
        await #expect(throws: DevServerError.invalidHost("not-an-ip")) { _ = try await badHost.start() }
    }

    @Test func portInUseIsAnError() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let second = DevServer(root: site.site, port: port)
            await #expect(throws: DevServerError.self) { _ = try await second.start() }
        }
    }
}
