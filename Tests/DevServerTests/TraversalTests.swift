import DevServer
import Foundation
import LoopbookTestSupport
import Testing

@Suite("Path traversal")
struct TraversalTests {
    static let attempts = [
        "/../secret.txt", "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/secret.txt",
        "/..%2fsecret.txt", "/..%2fetc%2fpasswd", "//etc/passwd", "/chapters/../../secret.txt",
        "/./index.html", "/%2e/index.html", "/..\\secret.txt", "/index.html%00.txt", "/%00",
        "/chapters%2f..%2f..%2fsecret.txt", "/%zz", "etc/passwd", "/%c0%ae%c0%ae/secret.txt",
    ]

    @Test(arguments: attempts)
    func refused(target: String) async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            let response = try await onThread { try RawClient.request(port: port, target: target) }
            #expect([400, 404].contains(response.status), "\(target) answered \(response.status)")
            #expect(!response.text.contains("TOP SECRET"))
            #expect(!response.text.contains("root:"))
        }
    }

    @Test func symlinkOutOfRootIsRefusedButInsideIsServed() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let fm = FileManager.default
        try fm.createSymbolicLink(at: site.site.appendingPathComponent("leak.txt"),
                                  withDestinationURL: site.root.appendingPathComponent("secret.txt"))
        try fm.createSymbolicLink(at: site.site.appendingPathComponent("up"), withDestinationURL: site.root)
        try fm.createSymbolicLink(at: site.site.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
        try fm.createSymbolicLink(at: site.site.appendingPathComponent("alias.css"),
                                  withDestinationURL: site.site.appendingPathComponent("style.css"))
        try await withServer(site) { _, port in
            for target in ["/leak.txt", "/up/secret.txt", "/up/", "/etc/passwd", "/etc/"] {
                let response = try await onThread { try RawClient.request(port: port, target: target) }
                #expect(response.status == 404, "\(target) answered \(response.status)")
                #expect(!response.text.contains("TOP SECRET"))
            }
            let inside = try await onThread { try RawClient.request(port: port, target: "/alias.css") }
            #expect(inside.status == 200)
            #expect(inside.text.contains("color: black"))
        }
    }

    @Test func requestPathParsing() throws {
        #expect(try RequestPath(raw: "/a/b%20c.html") == RequestPath(segments: ["a", "b c.html"], isDirectory: false))
        #expect(try RequestPath(raw: "/") == RequestPath(segments: [], isDirectory: true))
        #expect(throws: RequestPath.Refusal.dotSegment("/%2e%2e/x")) { try RequestPath(raw: "/%2e%2e/x") }
        #expect(throws: RequestPath.Refusal.forbiddenCharacter("/a%2fb")) { try RequestPath(raw: "/a%2fb") }
        #expect(throws: RequestPath.Refusal.emptySegment("//etc")) { try RequestPath(raw: "//etc") }
        #expect(throws: RequestPath.Refusal.notAbsolute("etc")) { try RequestPath(raw: "etc") }
    }
}
