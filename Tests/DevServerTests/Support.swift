import DevServer
import Foundation
import LoopbookTestSupport

/// A temporary folder with a small site in it, removed by `remove()`.
struct TemporarySite {
    let root: URL      // the folder holding Site/ and secret.txt beside it
    let site: URL

    init() throws {
        let folder = try TemporaryFolder(prefix: "devserver")
        root = folder.root
        site = folder.url("Site")
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
        for (path, text) in files { try folder.write("Site/" + path, text) }
        // A PNG signature is enough for the content-type check.
        try folder.write("Site/logo.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        try folder.write("secret.txt", "TOP SECRET\n")
    }

    func remove() { TemporaryFolder(existing: root).remove() }
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
