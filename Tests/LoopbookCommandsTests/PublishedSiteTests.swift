import Crypto
import Foundation
import LoopbookCommands
import Testing
@testable import LoopbookBuild

/// After publishing, the page store records what the site holds, so the next build leaves unchanged pages
/// where they are without reading them. The record never vouches for a page that was touched since: a page
/// edited by hand, even with its size and modification time put back, is published again.
@Suite(.serialized) struct PublishedSiteTests {
    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    func store(_ project: TemporaryProject) -> PageStore {
        PageStore(directory: project.root.appendingPathComponent(".loopbook/cache/pages"), site: project.site,
                  record: project.root.appendingPathComponent(".loopbook/published-site"))
    }

    func build(_ project: TemporaryProject) async -> (code: Int32, stderr: String) {
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        return (result.code, result.stderr)
    }

    @Test(.timeLimit(.minutes(5))) func theStoreVouchesForEachPublishedPageByItsDigest() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        // The copy has new inodes: nothing is vouched for until a build records the site again.
        #expect(store(project).publishedDigest(of: "01-basics.html") == nil)
        #expect(await build(project).code == 0)
        let store = store(project)
        for page in ["01-basics.html", "02-more.html"] {
            let bytes = try Data(contentsOf: project.site.appendingPathComponent(page))
            #expect(store.publishedDigest(of: page) == Self.sha256(bytes), "\(page)")
        }
        #expect(store.publishedDigest(of: "index.html") == nil, "only chapter pages are recorded")
    }

    @Test(.timeLimit(.minutes(5))) func aPageEditedByHandWithItsSizeAndTimeKeptIsPublishedAgain() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        #expect(await build(project).code == 0)
        let page = project.site.appendingPathComponent("01-basics.html")
        let original = try Data(contentsOf: page)
        #expect(store(project).publishedDigest(of: "01-basics.html") != nil)

        // Same size, same modification time: only the inode's change time tells.
        var info = stat()
        #expect(lstat(page.path, &info) == 0)
        var edited = original
        let index = try #require(edited.firstRange(of: Data("<title>".utf8))).upperBound
        edited[index] = edited[index] == UInt8(ascii: "X") ? UInt8(ascii: "Y") : UInt8(ascii: "X")
        let handle = try FileHandle(forWritingTo: page)
        try handle.write(contentsOf: edited)
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, page.path, &times, 0) == 0)
        #expect(store(project).publishedDigest(of: "01-basics.html") == nil, "the record no longer vouches for it")

        let result = await build(project)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Site/: 1 written"), "\(result.stderr)")
        #expect(try Data(contentsOf: page) == original)
    }

    @Test(.timeLimit(.minutes(5)), arguments: ["removed", "replaced by a copy", "damaged record", "record of another site"])
    func anythingTheRecordCannotVouchForIsComparedAsBefore(_ change: String) async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        #expect(await build(project).code == 0)
        let page = project.site.appendingPathComponent("02-more.html")
        let original = try Data(contentsOf: page)
        let record = project.root.appendingPathComponent(".loopbook/published-site")
        switch change {
        case "removed": try FileManager.default.removeItem(at: page)
        case "replaced by a copy":
            // The same bytes in a new file: no longer vouched for, but equal, so it is left as it is.
            try FileManager.default.removeItem(at: page)
            try original.write(to: page)
        case "damaged record": try Data("loopbook published site 1 \(project.site.path)\nnonsense\n".utf8).write(to: record)
        default: try String(contentsOf: record, encoding: .utf8).replacingOccurrences(of: project.site.path, with: "/elsewhere")
            .write(to: record, atomically: true, encoding: .utf8)
        }
        if change != "removed" { #expect(store(project).publishedDigest(of: "02-more.html") == nil) }
        let result = await build(project)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stderr.contains(change == "removed" ? "Site/: 1 written" : "Site/: 0 written"), "\(result.stderr)")
        #expect(try Data(contentsOf: page) == original)
        // A page published in the same clock tick as the record is not vouched for ("racily clean"); the
        // next build, a moment later, records it again.
        try await Task.sleep(for: .milliseconds(30))
        #expect(await build(project).code == 0)
        #expect(store(project).publishedDigest(of: "02-more.html") == Self.sha256(original), "recorded again")
    }
}
