import BookModel
import Foundation
import LoopbookTestSupport
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SiteKit

/// Atomic publishing: only changed files are rewritten, failures leave the old site as it was.
@Suite struct PublisherTests {
    /// A fresh folder under the system temporary directory; removed (made writable first) when done.
    final class Sandbox {
        let root: URL
        var site: URL { root.appendingPathComponent("Site") }

        init() throws {
            root = try TemporaryFolder(prefix: "sitekit").root
        }

        deinit {
            chmod(root.path, 0o755)
            chmod(root.appendingPathComponent("Site").path, 0o755)
            TemporaryFolder(existing: root).remove()
        }

        /// Names in the sandbox root other than Site (temporary folders must not be left behind).
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0 != "Site" }.sorted()
        }
    }

    struct FileState: Equatable {
        var bytes: [UInt8]
        var inode: UInt64
        var modified: Int
        var modifiedNanoseconds: Int
    }

    /// Every file under `directory` with its bytes, inode and mtime (but the publisher's marker).
    static func snapshot(_ directory: URL) -> [String: FileState] {
        var result: [String: FileState] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [:] }
        while let relative = enumerator.nextObject() as? String {
            if relative == Publisher.markerName { continue }
            let path = directory.path + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
            result[relative] = FileState(bytes: bytes, inode: UInt64(info.st_ino), modified: info.st_mtim.tv_sec,
                                         modifiedNanoseconds: info.st_mtim.tv_nsec)
        }
        return result
    }

    static func files(_ entries: [String: String]) -> SiteFiles {
        var files = SiteFiles()
        for (path, text) in entries { files.set(path, text: text) }
        return files
    }

    let first = files(["index.html": "<h1>Book</h1>", "01-a.html": "a", "02-b.html": "b",
                       "assets/style.css": "body{}", "files/01-a/data.csv": "x,y\n1,2\n"])

    @Test func firstPublishWritesEverything() throws {
        let sandbox = try Sandbox()
        let report = try Publisher.publish(first, to: sandbox.site)
        #expect(report == PublishReport(written: 5, unchanged: 0, removed: 0))
        let state = Self.snapshot(sandbox.site)
        #expect(state.keys.sorted() == first.paths)
        #expect(state["files/01-a/data.csv"]?.bytes == Array("x,y\n1,2\n".utf8))
        #expect(try sandbox.leftovers() == [])
    }

    @Test func republishingTheSameFilesTouchesNothing() throws {
        let sandbox = try Sandbox()
        _ = try Publisher.publish(first, to: sandbox.site)
        let before = Self.snapshot(sandbox.site)
        var siteInfo = stat()
        stat(sandbox.site.path, &siteInfo)
        let report = try Publisher.publish(first, to: sandbox.site)
        #expect(report == PublishReport(written: 0, unchanged: 5, removed: 0))
        #expect(Self.snapshot(sandbox.site) == before)
        var after = stat()
        stat(sandbox.site.path, &after)
        #expect(after.st_ino == siteInfo.st_ino, "the Site folder itself was not replaced")
        #expect(try sandbox.leftovers() == [])
    }

    @Test func onlyChangedFilesAreRewritten() throws {
        let sandbox = try Sandbox()
        _ = try Publisher.publish(first, to: sandbox.site)
        let before = Self.snapshot(sandbox.site)
        var next = first
        next.set("02-b.html", text: "b, revised")
        next["files/01-a/data.csv"] = nil
        next.set("03-c.html", text: "c")
        let report = try Publisher.publish(next, to: sandbox.site)
        #expect(report == PublishReport(written: 2, unchanged: 3, removed: 1))
        let after = Self.snapshot(sandbox.site)
        #expect(after.keys.sorted() == next.paths)
        for unchanged in ["index.html", "01-a.html", "assets/style.css"] {
            #expect(after[unchanged] == before[unchanged], "\(unchanged) keeps its inode, mtime and bytes")
        }
        #expect(after["02-b.html"]?.bytes == Array("b, revised".utf8))
        #expect(!FileManager.default.fileExists(atPath: sandbox.site.appendingPathComponent("files").path),
                "an emptied folder disappears")
        #expect(try sandbox.leftovers() == [])
    }

    @Test func failureLeavesThePreviousSiteByteForByte() throws {
        let sandbox = try Sandbox()
        _ = try Publisher.publish(first, to: sandbox.site)
        let before = Self.snapshot(sandbox.site)
        // "01-a.html" as a file and as a folder: building the new tree fails halfway.
        var broken = first
        broken.set("02-b.html", text: "changed")
        broken.set("01-a.html/inner.html", text: "conflict")
        #expect(throws: SiteError.self) { try Publisher.publish(broken, to: sandbox.site) }
        #expect(Self.snapshot(sandbox.site) == before)
        #expect(try sandbox.leftovers() == [], "the temporary folder is cleaned up")
    }

    @Test func readOnlySiteFolderIsAClearError() throws {
        let sandbox = try Sandbox()
        _ = try Publisher.publish(first, to: sandbox.site)
        let before = Self.snapshot(sandbox.site)
        chmod(sandbox.site.path, 0o555)
        var next = first
        next.set("index.html", text: "new")
        do {
            _ = try Publisher.publish(next, to: sandbox.site)
            Issue.record("publishing into a read-only folder should fail")
        } catch {
            guard case let .notWritable(path, reason) = error else {
                Issue.record("expected notWritable, got \(error)")
                return
            }
            #expect(path == sandbox.site.path)
            #expect(reason.contains("read-only (mode 555)"))
            #expect(error.description.hasPrefix("Cannot write the site to '\(sandbox.site.path)': the folder is read-only"))
        }
        chmod(sandbox.site.path, 0o755)
        #expect(Self.snapshot(sandbox.site) == before)
        #expect(try sandbox.leftovers() == [])
    }

    @Test func readOnlyParentFolderIsAClearError() throws {
        let sandbox = try Sandbox()
        chmod(sandbox.root.path, 0o555)
        #expect {
            try Publisher.publish(first, to: sandbox.site)
        } throws: { error in
            guard case let .notWritable(_, reason) = error as? SiteError else { return false }
            return reason.contains("parent folder") && reason.contains("read-only")
        }
        chmod(sandbox.root.path, 0o755)
        #expect(!FileManager.default.fileExists(atPath: sandbox.site.path))
    }

    @Test func pathsOutsideTheSiteAreRejected() throws {
        let sandbox = try Sandbox()
        for bad in ["../escape.html", "/abs.html", "a//b.html", "./x.html"] {
            var files = first
            files.set(bad, text: "x")
            #expect(throws: SiteError.self, "\(bad) should be rejected") { try Publisher.publish(files, to: sandbox.site) }
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.deletingLastPathComponent().appendingPathComponent("escape.html").path))
    }

    @Test func wholeFixtureSitePublishesAndRepublishesUnchanged() throws {
        let sandbox = try Sandbox()
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        let report = try Publisher.publish(files, to: sandbox.site)
        #expect(report.written == files.count)
        let again = try Publisher.publish(try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters), to: sandbox.site)
        #expect(again == PublishReport(written: 0, unchanged: files.count, removed: 0))
    }
}
