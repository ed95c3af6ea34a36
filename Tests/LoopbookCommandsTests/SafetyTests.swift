import Foundation
import LoopbookBuild
import LoopbookCommands
import Notebook
import SiteKit
import Testing

/// A build never destroys what it did not make: the output folder, the publisher's leftovers, the cache
/// under concurrent commands, and the files `loopbook new` writes.
@Suite("a build never destroys what it did not make", .serialized)
struct SafetyTests {
    /// The built fixture book in `outer/book`, beside a file and a folder of the user's, so that even
    /// `--output ..` stays inside the test's own folder.
    struct NestedProject {
        let outer: TemporaryProject
        var book: URL { outer.root.appendingPathComponent("book") }

        init() async throws {
            outer = try TemporaryProject()
            let built = try await Fixtures.built.value.project
            try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: built.path) {
                try FileManager.default.copyItem(at: built.appendingPathComponent(name), to: book.appendingPathComponent(name))
            }
            try? FileManager.default.removeItem(at: book.appendingPathComponent(".loopbook/cache/module-cache"))
            try Data("the user's notes\n".utf8).write(to: outer.root.appendingPathComponent("notes.txt"))
            try FileManager.default.createDirectory(at: book.appendingPathComponent("drafts"), withIntermediateDirectories: true)
            try Data("a draft\n".utf8).write(to: book.appendingPathComponent("drafts/idea.md"))
        }
    }

    /// Every entry under `root` (files with their bytes, folders, links with their target), recursively.
    static func tree(_ root: URL) -> [String: String] {
        var result: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return result }
        while let relative = enumerator.nextObject() as? String {
            let path = root.appendingPathComponent(relative).path
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                result[relative] = "link to " + target
            } else if let data = FileManager.default.contents(atPath: path) {
                result[relative] = "file " + data.base64EncodedString()
            } else {
                result[relative] = "folder"
            }
        }
        return result
    }

    static let chooseAnother = "Choose a folder of its own for the site with --output (the default is Site)."

    // MARK: - a01: the output folder

    @Test(arguments: [
        ("Content", "The output folder 'Content' is the chapters folder; publishing the site there would delete the chapters. \(chooseAnother)"),
        (".", "The output folder '.' is the project folder itself; publishing the site there would delete the chapters and everything else in it. \(chooseAnother)"),
        ("Site/..", "The output folder '.' is the project folder itself; publishing the site there would delete the chapters and everything else in it. \(chooseAnother)"),
        ("Site/../Content", "The output folder 'Content' is the chapters folder; publishing the site there would delete the chapters. \(chooseAnother)"),
        ("Content/site", "The output folder 'Content/site' is inside the chapters folder 'Content', where the site's files would be mixed with the chapters. \(chooseAnother)"),
        (".loopbook", "The output folder '.loopbook' is the build state folder; publishing the site there would delete the cache and the build state. \(chooseAnother)"),
        (".loopbook/cache", "The output folder '.loopbook/cache' is inside the build state folder '.loopbook', where the site's files would be mixed with the cache and the build state. \(chooseAnother)"),
        ("link-to-content", "The output folder 'link-to-content' is the chapters folder; publishing the site there would delete the chapters. \(chooseAnother)"),
        ("link-to-book/Site/../Content", "The output folder 'link-to-book/Content' is the chapters folder; publishing the site there would delete the chapters. \(chooseAnother)"),
        ("drafts", "The output folder 'drafts' already holds files that Loopbook did not write (there is no .loopbook-site file in it); publishing the site there would delete them. Choose a new or empty folder with --output, or move those files away first."),
        ("drafts/idea.md", "The output folder 'drafts/idea.md' exists and is not a folder; publishing the site there would delete it. Choose a new or empty folder with --output, or remove it first."),
        ("link-to-empty", "The output folder 'link-to-empty' exists and is not a folder; publishing the site there would delete it. Choose a new or empty folder with --output, or remove it first."),
    ])
    func outputThatWouldDeleteTheBookIsRefused(output: String, sentence: String) async throws {
        let project = try await NestedProject()
        defer { project.outer.remove() }
        let book = project.book
        try FileManager.default.createSymbolicLink(atPath: book.appendingPathComponent("link-to-content").path, withDestinationPath: "Content")
        try FileManager.default.createSymbolicLink(atPath: book.appendingPathComponent("link-to-book").path, withDestinationPath: ".")
        try FileManager.default.createDirectory(at: book.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: book.appendingPathComponent("link-to-empty").path, withDestinationPath: "empty")
        let before = Self.tree(project.outer.root)

        for command in ["build", "check", "serve"] {
            let arguments = ["--root", book.path, "--output", output]
            let result = switch command {
            case "build": await execute(BuildCommand.self, arguments)
            case "check": await execute(CheckCommand.self, arguments)
            default: await execute(ServeCommand.self, arguments + ["--port", "0"])
            }
            #expect(result.code == 1, "\(command) --output \(output)")
            #expect(result.stderr.hasPrefix("error: \(sentence)\n"), "\(command): \(result.stderr)")
            #expect(Self.tree(project.outer.root) == before, "\(command) --output \(output) changed the user's folders")
        }
    }

    @Test func outputThatHoldsTheProjectIsRefused() async throws {
        let project = try await NestedProject()
        defer { project.outer.remove() }
        let before = Self.tree(project.outer.root)
        let parent = project.outer.root.standardizedFileURL.path
        for output in ["..", project.outer.root.path, "Site/../../notes.txt/.."] {
            let result = await execute(BuildCommand.self, ["--root", project.book.path, "--output", output])
            #expect(result.code == 1)
            #expect(result.stderr.hasPrefix("error: The output folder '\(parent)' contains the project folder; publishing the site there would delete the whole book and everything beside it. \(Self.chooseAnother)\n"), "\(result.stderr)")
        }
        #expect(Self.tree(project.outer.root) == before)
    }

    @Test func newEmptyAndLoopbookFoldersAreAccepted() async throws {
        let project = try await NestedProject()
        defer { project.outer.remove() }
        let book = project.book
        let manager = FileManager.default
        try manager.createDirectory(at: book.appendingPathComponent("empty"), withIntermediateDirectories: true)
        for output in ["fresh/site", "empty", "../outside-site"] {
            let first = await execute(BuildCommand.self, ["--root", book.path, "--output", output])
            #expect(first.code == 0, "\(output): \(first.stderr)")
            let folder = URL(fileURLWithPath: output, relativeTo: book).standardizedFileURL
            let marker = manager.contents(atPath: folder.appendingPathComponent(Publisher.markerName).path)
            #expect(marker.map { [UInt8]($0) } == Publisher.markerContents, "\(output) carries the marker")
            // The folder is now the site's: building and checking it again works.
            #expect(await execute(BuildCommand.self, ["--root", book.path, "--output", output]).code == 0)
            #expect(await execute(CheckCommand.self, ["--root", book.path, "--output", output]).code == 0)
        }
        #expect(try String(contentsOf: project.outer.root.appendingPathComponent("notes.txt"), encoding: .utf8) == "the user's notes\n")
    }

    /// A site published before the marker existed is still recognised by its front page, and gains the
    /// marker on the next build; `check` asks for that build.
    @Test func siteWithoutTheMarkerIsRecognisedByItsPages() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try FileManager.default.removeItem(at: project.site.appendingPathComponent(Publisher.markerName))
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 1)
        #expect(check.stderr.contains("error: Site/.loopbook-site is missing; run 'loopbook build'.\n"))
        let build = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(build.code == 0, "\(build.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.site.appendingPathComponent(Publisher.markerName).path))
        #expect(await execute(CheckCommand.self, ["--root", project.root.path]).code == 0)
    }

    /// The publisher itself refuses a folder of someone else's files, whoever calls it.
    @Test func publisherRefusesAForeignFolder() throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let folder = project.root.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("jpeg".utf8).write(to: folder.appendingPathComponent("cat.jpg"))
        var files = SiteFiles()
        files.set("index.html", text: "<h1>Book</h1>")
        #expect(throws: SiteError.notWritable(path: folder.path, reason: "it holds files that Loopbook did not write (there is no .loopbook-site file in it), and publishing would delete them; choose a new or empty folder, or move those files away first")) {
            try Publisher.publish(files, to: folder)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["cat.jpg"])
    }

    // MARK: - a02: the publisher's leftovers

    @Test func onlyThePublishersOwnLeftoversAreRemoved() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let manager = FileManager.default
        func folder(_ name: String, files: [String: [UInt8]]) throws {
            let url = project.root.appendingPathComponent(name)
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            for (file, bytes) in files { try Data(bytes).write(to: url.appendingPathComponent(file)) }
        }
        let page = Array("<p>half a page".utf8)
        // The user's: a backup, notes, names of the right shape without the marker, a marker under a
        // wrong name, and a link to a marked folder.
        try folder("Site.old-2024-backup", files: ["index.html": page, Publisher.markerName: Publisher.markerContents])
        try folder("Site.tmp-notes", files: ["todo.txt": Array("buy milk\n".utf8)])
        try folder("Site.tmp-0000000000zzz", files: ["mine.txt": Array("mine\n".utf8)])
        try folder("Site.old-000000000000Z", files: [Publisher.markerName: Publisher.markerContents])
        try folder("Site.tmp-00000000000001", files: [Publisher.markerName: Publisher.markerContents])
        try folder("elsewhere", files: [Publisher.markerName: Publisher.markerContents])
        try manager.createSymbolicLink(atPath: project.root.appendingPathComponent("Site.tmp-0000000000abc").path,
                                       withDestinationPath: "elsewhere")
        // The publisher's: a staging folder with the marker, an empty swap-aside folder.
        try folder("Site.tmp-00000003f9a1c", files: ["index.html": page, Publisher.markerName: Publisher.markerContents])
        try folder("Site.old-0000000077b2d", files: [:])
        let kept = ["Site.old-2024-backup", "Site.tmp-notes", "Site.tmp-0000000000zzz", "Site.old-000000000000Z",
                    "Site.tmp-00000000000001", "Site.tmp-0000000000abc"]
        var before: [String: [String: String]] = [:]
        for name in kept { before[name] = Self.tree(project.root.appendingPathComponent(name)) }

        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: "print(squares, squares.count)") }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try project.siteSiblings() == (["Site"] + kept).sorted())
        for name in kept { #expect(Self.tree(project.root.appendingPathComponent(name)) == before[name], "\(name) changed") }
        #expect(Self.tree(project.root.appendingPathComponent("elsewhere")).count == 1)
    }

    @Test func leftoverNamesHaveThirteenBase36Digits() {
        #expect(Publisher.isLeftoverName("Site.tmp-00000003f9a1c", site: "Site"))
        #expect(Publisher.isLeftoverName("Site.old-3w5e11264sgsf", site: "Site"))
        for name in ["Site.tmp-notes", "Site.old-2024-backup", "Site.tmp-3f9a1c", "Site.tmp-00000003F9A1C",
                     "Site.tmp-00000003f9a1c/", "Site.tmp-00000003f9a1c0", "Site.new-00000003f9a1c", "Book.tmp-00000003f9a1c"] {
            #expect(!Publisher.isLeftoverName(name, site: "Site"), "\(name)")
        }
    }

    // MARK: - a10: concurrent commands and the cache

    /// A chapter that writes a file, then takes a while: long enough to run a command beside it.
    static let slowChapter = """
        # Slow

        ```swift
        import Foundation
        try "a,b\\n1,2\\n".write(toFile: "table.csv", atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 3)
        print("written")
        ```

        """

    /// Waits (up to a minute) until a chapter program of `project` is running.
    static func waitForARunningChapter(_ project: TemporaryProject) async throws {
        let work = project.root.appendingPathComponent(".loopbook/cache/work")
        for _ in 0..<600 {
            if let names = try? FileManager.default.contentsOfDirectory(atPath: work.path), !names.isEmpty { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no chapter program started")
    }

    @Test func cleanWaitsForARunningBuild() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try Data(Self.slowChapter.utf8).write(to: project.content.appendingPathComponent("03-slow.md"))
        let root = project.root.path
        let build = Task { await execute(BuildCommand.self, ["--root", root]) }
        try await Self.waitForARunningChapter(project)
        let clean = await execute(CleanCommand.self, ["--root", root, "--cache"])
        let built = await build.value
        #expect(built.code == 0, "\(built.stderr)")
        #expect(clean.code == 0, "\(clean.stderr)")
        #expect(clean.stderr.contains("Waiting for the build running in this project to finish before removing .loopbook/cache.\n"))
        #expect(clean.stderr.hasSuffix("Removed .loopbook/cache.\n"))
        let cache = project.root.appendingPathComponent(".loopbook/cache")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == ["lock"], "clean keeps only the lock file")
        let table = project.site.appendingPathComponent("files/03-slow/table.csv")
        #expect(FileManager.default.contents(atPath: table.path) == Data("a,b\n1,2\n".utf8))

        let again = await execute(BuildCommand.self, ["--root", root])
        #expect(again.code == 0)
        #expect(try project.lastStatuses() == ["ran because no cache entry", "ran because no cache entry", "ran because no cache entry"])
        #expect(FileManager.default.contents(atPath: table.path) == Data("a,b\n1,2\n".utf8))
        #expect(await execute(CheckCommand.self, ["--root", root]).code == 0)
    }

    @Test func cacheRemovedDuringARunFailsTheChapter() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let root = project.root.path
        // First a site with the slow chapter, so the failed build has a site to leave alone.
        try Data(Self.slowChapter.utf8).write(to: project.content.appendingPathComponent("03-slow.md"))
        #expect(await execute(BuildCommand.self, ["--root", root]).code == 0)
        let site = project.siteSnapshot()
        try project.edit("03-slow.md") { $0.replacingOccurrences(of: "print(\"written\")", with: "print(\"written again\")") }

        let build = Task { await execute(BuildCommand.self, ["--root", root]) }
        try await Self.waitForARunningChapter(project)
        // Removed by hand (not by 'loopbook clean', which would wait): the chapter's working folder goes too.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(".loopbook/cache"))
        let result = await build.value
        #expect(result.code == 1)
        #expect(result.stderr.contains("error: Content/03-slow.md:4: the cache folder .loopbook/cache was removed while this chapter ran, so what it wrote cannot be trusted; build again (to empty the cache, use 'loopbook clean --cache', which waits for running builds).\n"), "\(result.stderr)")
        #expect(project.siteSnapshot() == site, "Site/ was left as it was")
        let results = project.root.appendingPathComponent(".loopbook/cache/results")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: results.path)) ?? []).isEmpty, "nothing was cached")

        let again = await execute(BuildCommand.self, ["--root", root])
        #expect(again.code == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: project.site.appendingPathComponent("files/03-slow/table.csv").path) == Data("a,b\n1,2\n".utf8))
        #expect(await execute(CheckCommand.self, ["--root", root]).code == 0)
    }

    // MARK: - a21: a bounded cache

    /// Puts `let version = <version>` first in 02-more's step (replacing an earlier version line).
    static func setVersion(_ version: Int, in project: TemporaryProject) throws {
        try project.edit("02-more.md") { text in
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("let version = ") }.map(String.init)
            return lines.joined(separator: "\n").replacingOccurrences(of: "```swift\n", with: "```swift\nlet version = \(version)\n")
        }
    }

    /// Edits of one chapter: the cache keeps every chapter's latest entry and those of the last builds.
    @Test func cacheKeepsTheLatestEntriesAndTheRecentBuilds() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let root = project.root.path
        let results = project.root.appendingPathComponent(".loopbook/cache/results")
        func entries() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: results.path).count }
        #expect(try entries() == 2)
        let kept = CacheLimits.keptBuilds
        for version in 1...(kept + 3) {
            try Self.setVersion(version, in: project)
            #expect(await execute(BuildCommand.self, ["--root", root]).code == 0)
        }
        // 01-basics' entry, and 02-more's entries of the last `kept` builds.
        #expect(try entries() == 1 + kept)
        // Undoing to a version a few builds old is still cached; the oldest version is gone.
        try Self.setVersion(4, in: project)
        #expect(await execute(BuildCommand.self, ["--root", root]).code == 0)
        #expect(try project.lastStatuses() == ["cached", "cached"])
        try Self.setVersion(1, in: project)
        #expect(await execute(BuildCommand.self, ["--root", root]).code == 0)
        #expect(try project.lastStatuses() == ["cached", "ran because its steps changed"])
        #expect(try entries() <= 1 + kept)
    }

    /// A build of one chapter does not age the others out: each chapter's latest entry is kept.
    @Test func partialBuildsKeepTheOtherChaptersEntries() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let root = project.root.path
        for version in 1...(CacheLimits.keptBuilds + 2) {
            try Self.setVersion(version, in: project)
            #expect(await execute(BuildCommand.self, ["--root", root, "02-more"]).code == 0)
            #expect(try project.lastStatuses() == ["ran because its steps changed"])
        }
        #expect(await execute(BuildCommand.self, ["--root", root]).code == 0)
        #expect(try project.lastStatuses() == ["cached", "cached"])
    }

    @Test func cleanHelpSaysWhatTheCacheKeeps() {
        let help = CleanCommand.configuration.discussion
        #expect(help.contains("after each build it keeps, for every chapter, the result it used last, and every result used by one of the last 5 builds (so undoing a recent edit is still cached); older results are removed."))
    }

    // MARK: - a26: titles of new chapters

    @Test(arguments: [
        ("Drift\n---\nsummary: injected", "U+000A"), ("Tab\there", "U+0009"), ("Red \u{1B}[31malert", "U+001B"),
        ("Carriage\rreturn", "U+000D"), ("Delete\u{7F}", "U+007F"), ("Next\u{85}line", "U+0085"),
        ("Line\u{2028}separator", "U+2028"), ("Paragraph\u{2029}separator", "U+2029"), ("Nul\u{0}byte", "U+0000"),
    ])
    func titleWithAControlCharacterIsRefused(title: String, code: String) async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let result = await execute(NewCommand.self, ["--root", project.root.path, title])
        #expect(result.code == 1)
        #expect(result.stderr == "error: The title contains a line break or another control character (\(code)); write the title as one line of plain text, e.g. \"Measuring drift\".\n")
        #expect(!FileManager.default.fileExists(atPath: project.content.path), "nothing was written")
    }

    @Test func overlongTitleIsRefused() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let result = await execute(NewCommand.self, ["--root", project.root.path, String(repeating: "drift ", count: 40)])
        #expect(result.code == 1)
        #expect(result.stderr == "error: The title is 239 characters long; keep it to 200 or fewer and put the rest in the chapter's summary.\n")
        #expect(!FileManager.default.fileExists(atPath: project.content.path))
    }

    /// Titles YAML or Markdown would read as syntax load back exactly, from the front matter and from the
    /// heading alike.
    @Test(arguments: [
        "Measuring \"drift\"", "back\\slash \\n", "- a dash first", "# a hash first", ": a colon first", "key: value",
        "[a, flow]", "{a: b}", "&anchor *alias", "!tag", "| pipe", "> folded", "% percent", "@ at", "`tick`",
        "'single' quotes", "yes", "null", "~ tilde", "123", "1e3", "Ünïcödé 数据 🚀", "{{ key }} *stars* _under_ <b>bold</b> &amp;",
        "ends with #", "dashes -- and --- and ...", "1. Intro", "a BOM\u{FEFF}inside", "U+FFFE \u{FFFE} here", String(repeating: "x", count: 200),
    ])
    func awkwardTitlesLoadExactly(title: String) throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let file = try ChapterTemplate.create(title: title, in: project.content)
        let chapter = try #require(try Notebook(projectRoot: project.root).loadBook().chapters.first)
        #expect(chapter.title == title)
        #expect(chapter.steps.count == 1)
        // Without the front matter the title comes from the `# heading`: it must read the same.
        let text = try String(contentsOf: file, encoding: .utf8)
        let body = text.components(separatedBy: "---\n").dropFirst(2).joined(separator: "---\n")
        try Data(body.utf8).write(to: file)
        let fromHeading = try #require(try Notebook(projectRoot: project.root).loadBook().chapters.first)
        #expect(fromHeading.title == title)
    }

    @Test func surroundingSpacesAreDropped() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let result = await execute(NewCommand.self, ["--root", project.root.path, "  Measuring drift  "])
        #expect(result.code == 0)
        #expect(result.stdout == "Content/01-measuring-drift.md\n")
        #expect(try Notebook(projectRoot: project.root).loadBook().chapters.first?.title == "Measuring drift")
    }
}
