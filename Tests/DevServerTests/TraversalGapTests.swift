import DevServer
import Foundation
import LoopbookTestSupport
import Testing

/// Traversal forms the first suite does not try: upper-case and double encodings, encoded backslashes,
/// mixed dot encodings, absolute-form targets, absolute paths as one encoded segment, queries, and
/// methods beyond the common five. One server answers them all.
@Suite("Path traversal, more forms")
struct TraversalGapTests {
    static let refusedTargets = [
        "/..%2Fsecret.txt", "/..%5csecret.txt", "/..%5Csecret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
        "/%2e%2E/secret.txt", "/chapters/%2e%2e/%2e%2e/secret.txt", "/chapters/..%2F..%2Fsecret.txt",
        "/%2fetc%2fpasswd", "/%2Fetc/passwd", "/%252e%252e/secret.txt", "/..%252fsecret.txt",
        "/%2e%2e/secret.txt?x=1", "/../secret.txt#top", "/..;/secret.txt", "/etc/passwd", "/proc/self/environ",
        "http://127.0.0.1/../secret.txt", "http://127.0.0.1/%2e%2e/secret.txt", "http://evil.example/../../etc/passwd",
        "/%ef%bc%8e%ef%bc%8e/secret.txt", "/..%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
        "/chapters/../../../../../../etc/passwd",
    ]

    @Test func traversalFormsAreRefused() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            for target in Self.refusedTargets {
                let response = try await onThread { try RawClient.request(port: port, target: target) }
                #expect([400, 404].contains(response.status), "\(target) answered \(response.status)")
                #expect(!response.text.contains("TOP SECRET"), "\(target) leaked the file beside Site/")
                #expect(!response.text.contains("root:"), "\(target) leaked /etc/passwd")
            }
            // A query cannot smuggle a path: it is not part of the file name.
            let query = try await onThread { try RawClient.request(port: port, target: "/index.html?/../../secret.txt") }
            #expect(query.status == 200 && query.text.contains("<h1>Home</h1>") && !query.text.contains("TOP SECRET"))
        }
    }

    @Test func onlyGetAndHeadAreAnswered() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        try await withServer(site) { _, port in
            for method in ["TRACE", "CONNECT", "PROPFIND", "BREW"] {
                let response = try await onThread { try RawClient.request(port: port, method: method, target: "/index.html") }
                // Every method but GET and HEAD gets 405 with Allow, known to HTTP or not; nothing is served.
                #expect(response.status == 405, "\(method) answered \(response.status)")
                #expect(response.headers["allow"] == "GET, HEAD")
                #expect(!response.text.contains("<h1>Home</h1>"), "\(method) was served the page")
            }
        }
    }

    @Test func symlinkChainsOutOfTheSiteAreRefused() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let fm = FileManager.default
        // inside -> inside -> outside, and a folder link whose target is a relative climb.
        try fm.createSymbolicLink(atPath: site.root.appendingPathComponent("outside-link").path, withDestinationPath: "secret.txt")
        try fm.createSymbolicLink(atPath: site.site.appendingPathComponent("hop.txt").path, withDestinationPath: "../outside-link")
        try fm.createSymbolicLink(atPath: site.site.appendingPathComponent("chain.txt").path, withDestinationPath: "hop.txt")
        try fm.createSymbolicLink(atPath: site.site.appendingPathComponent("chapters/parent").path, withDestinationPath: "../..")
        try await withServer(site) { _, port in
            for target in ["/chain.txt", "/hop.txt", "/chapters/parent/secret.txt"] {
                let response = try await onThread { try RawClient.request(port: port, target: target) }
                #expect(response.status == 404, "\(target) answered \(response.status)")
                #expect(!response.text.contains("TOP SECRET"))
            }
        }
    }
}
