import BookModel
import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Notebook
import Testing
import ZIPFoundation

/// Chapters students can take home: `downloads/<slug>.zip` (a runnable Swift package) and `downloads/<slug>.md`.
/// Serialized: each test compiles chapters, and one builds a downloaded package with `swift build`.
@Suite(.serialized) struct DownloadTests {
    /// A chapter that reads data, calls shared code, prints, publishes, shows a table, a metric and a chart,
    /// has an exercise (with its check and solution), a step that must fail and one that never runs.
    static let chapter = #"""
        ---
        title: Take home
        ---
        # Take home

        ```swift
        let numbers = try String(contentsOfFile: "data/numbers.txt", encoding: .utf8)
            .split(separator: "\n").compactMap { Int($0) }
        print("Read \(numbers.count) numbers; twice the first is \(twice(numbers[0])).")
        publish("total", numbers.reduce(0, +))
        ```

        The total is {{ total }}.

        ```swift
        show(numbers.map { [String($0), String(twice($0))] }, header: ["n", "twice"], title: "Doubles")
        metric("Largest", numbers.max()!)
        ```

        ```swift
        show(Chart.line(title: "Growth", x: numbers.map(Double.init), y: numbers.map { Double(twice($0)) }))
        ```

        ```swift exercise
        let answer = 0
        ```

        ```swift check
        check(answer == 42, "answer should be 42; it is \(answer).")
        ```

        ```swift solution
        let answer = 6 * 7 // TEACHER-ONLY-MARKER
        ```

        ```swift expect-error
        let broken: Int = "text"
        ```

        ```swift norun
        print("never runs")
        ```

        """#

    static func project(yaml: String = "title: Downloads\n") throws -> TemporaryProject {
        let project = try TemporaryProject()
        try project.folder.write("Content/book.yml", yaml)
        try project.folder.write("Content/01-take-home.md", chapter)
        try project.folder.write("Content/02-second.md", "# Second\n\n```swift\nprint(\"two \\(twice(1))\")\n```\n")
        try project.folder.write("Content/03-prose.md", "# Prose\n\nNo code here.\n")
        try project.folder.write("Content/shared/helpers.swift", "func twice(_ x: Int) -> Int { 2 * x }\n")
        try project.folder.write("Content/data/numbers.txt", "3\n4\n5\n")
        return project
    }

    static func build(_ project: TemporaryProject, edition: Edition = .student) async -> SiteBuilder.Outcome {
        var options = NotebookOptions()
        options.edition = edition
        let output = project.root.appendingPathComponent(edition == .teacher ? "Site-teacher" : "Site")
        return await SiteBuilder(layout: ProjectLayout(root: project.root, output: output), options: options).build()
    }

    /// The archive's files (path → text), read with ZIPFoundation.
    static func entries(_ zip: Data) throws -> [String: String] {
        let archive = try Archive(data: zip, accessMode: .read)
        var files: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            files[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return files
    }

    @Test func everyChapterWithCodeOffersItsPackageAndItsMarkdown() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let outcome = await Self.build(project)
        #expect(outcome.succeeded, "\(outcome.issues)")
        #expect(outcome.downloads == SiteBuilder.DownloadCounts(built: 2, cached: 0))
        let site = TemporaryFolder(existing: project.site)
        let zip = try Data(contentsOf: site.url("downloads/01-take-home.zip"))
        let page = try site.read("01-take-home.html")
        let size = ByteCountText.kilobytes(zip.count)
        #expect(page.contains("<p class=\"take-home\">Download this chapter: <a href=\"downloads/01-take-home.zip\" download>Swift package (.zip, \(size))</a> · <a href=\"downloads/01-take-home.md\" download>Markdown</a></p>"),
                "\(size)")
        // A chapter without code has nothing to run: no package, no link.
        #expect(!FileManager.default.fileExists(atPath: site.url("downloads/03-prose.zip").path))
        #expect(!(try site.read("03-prose.html")).contains("take-home"))

        let files = try Self.entries(zip)
        let library = files.keys.filter { $0.hasPrefix("01-take-home/Sources/Learning/") }
        #expect(library.count > 20)
        #expect(files["01-take-home/Sources/LoopbookRuntime/Show.swift"] != nil)
        #expect(files["01-take-home/Sources/ChartSVG/ChartImage.swift"] != nil)
        #expect(files["01-take-home/data/numbers.txt"] == "3\n4\n5\n")
        #expect(files["01-take-home/Sources/Chapter/shared/helpers.swift"] == "func twice(_ x: Int) -> Int { 2 * x }\n")
        let manifest = try #require(files["01-take-home/Package.swift"])
        #expect(manifest.hasPrefix("// swift-tools-version: 6.0\n"))
        #expect(!manifest.contains(".package("), "a downloaded chapter depends on nothing outside the archive")
        let program = try #require(files["01-take-home/Sources/Chapter/main.swift"])
        #expect(program.contains("print(\"Read \\(numbers.count) numbers; twice the first is \\(twice(numbers[0])).\")"))
        #expect(program.contains("let answer = 0\n"))
        #expect(program.contains("check(answer == 42"))
        #expect(program.contains("// Step 7 (line 36) is meant to fail (expect-error), so it is left out."))
        #expect(!program.contains("\"text\""))
        #expect(!program.contains("never runs"))
        // The order of the steps is the chapter's.
        let read = try #require(program.range(of: "Read \\(numbers.count)")), chart = try #require(program.range(of: "Chart.line"))
        #expect(read.lowerBound < chart.lowerBound)

        // The student edition: no solution in the archive or the Markdown.
        #expect(!files.values.contains { $0.contains("TEACHER-ONLY-MARKER") || $0.contains("6 * 7") })
        let markdown = try site.read("downloads/01-take-home.md")
        #expect(!markdown.contains("TEACHER-ONLY-MARKER"))
        #expect(!markdown.contains("swift solution"))
        #expect(markdown.contains("```swift exercise\nlet answer = 0\n```\n\n```swift check\n"))
        #expect(markdown.contains("---\ntitle: Take home\n---\n"))
        #expect(markdown.contains("```swift check\ncheck(answer == 42, \"answer should be 42; it is \\(answer).\")\n```\n\n```swift expect-error\n"))
        #expect(files["01-take-home/01-take-home.md"] == markdown)
        #expect(ExerciseTests.files(in: project.site, containing: "TEACHER-ONLY-MARKER").isEmpty)
    }

    @Test func theTeacherEditionKeepsTheSolutions() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let outcome = await Self.build(project, edition: .teacher)
        #expect(outcome.succeeded, "\(outcome.issues)")
        let site = TemporaryFolder(existing: project.root.appendingPathComponent("Site-teacher"))
        #expect(try site.read("downloads/01-take-home.md") == Self.chapter)
        let files = try Self.entries(try Data(contentsOf: site.url("downloads/01-take-home.zip")))
        let program = try #require(files["01-take-home/Sources/Chapter/main.swift"])
        #expect(program.contains("let answer = 0\n// Solution (teacher edition):\n// let answer = 6 * 7 // TEACHER-ONLY-MARKER\n"))
    }

    @Test func archivesAreReproducibleAndRebuiltExactlyWhenTheirInputsChange() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let site = TemporaryFolder(existing: project.site)
        #expect(await Self.build(project).downloads == SiteBuilder.DownloadCounts(built: 2, cached: 0))
        let first = try Data(contentsOf: site.url("downloads/01-take-home.zip"))
        let second = try Data(contentsOf: site.url("downloads/02-second.zip"))

        // Nothing changed: both come from the cache, byte for byte.
        #expect(await Self.build(project).downloads == SiteBuilder.DownloadCounts(built: 0, cached: 2))
        #expect(try Data(contentsOf: site.url("downloads/01-take-home.zip")) == first)

        // Without the cache and the site, a new build makes the same bytes.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(".loopbook"))
        try FileManager.default.removeItem(at: project.site)
        #expect(await Self.build(project).downloads == SiteBuilder.DownloadCounts(built: 2, cached: 0))
        #expect(try Data(contentsOf: site.url("downloads/01-take-home.zip")) == first)
        #expect(try Data(contentsOf: site.url("downloads/02-second.zip")) == second)

        // A prose edit of chapter 2 changes its archive (its Markdown is in it), not chapter 1's.
        try project.edit("02-second.md") { $0.replacingOccurrences(of: "# Second\n", with: "# Second\n\nMore prose.\n") }
        #expect(await Self.build(project).downloads == SiteBuilder.DownloadCounts(built: 1, cached: 1))
        #expect(try Data(contentsOf: site.url("downloads/01-take-home.zip")) == first)
        #expect(try Data(contentsOf: site.url("downloads/02-second.zip")) != second)

        // Shared code and data are in every archive.
        try project.folder.write("Content/data/numbers.txt", "3\n4\n5\n6\n")
        #expect(await Self.build(project).downloads == SiteBuilder.DownloadCounts(built: 2, cached: 0))
        let files = try Self.entries(try Data(contentsOf: site.url("downloads/02-second.zip")))
        #expect(files["02-second/data/numbers.txt"] == "3\n4\n5\n6\n")

        // `loopbook check` rebuilds every archive without the cache and finds the site up to date.
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func downloadsFalseOffersNone() async throws {
        let project = try Self.project(yaml: "title: Downloads\ndownloads: false\n")
        defer { project.remove() }
        let outcome = await Self.build(project)
        #expect(outcome.succeeded, "\(outcome.issues)")
        #expect(outcome.downloads == SiteBuilder.DownloadCounts())
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("downloads").path))
        #expect(!(try TemporaryFolder(existing: project.site).read("01-take-home.html")).contains("Download this chapter"))

        try project.folder.write("Content/book.yml", "title: Downloads\ndownloads: sometimes\n")
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code != 0)
        #expect(result.stderr.contains("Content/book.yml:2: 'downloads' must be true or false, e.g. 'downloads: false'; it is"),
                "\(result.stderr)")
    }

    @Test func aContentFileInTheDownloadsPlaceIsAnError() async throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.folder.write("Content/downloads/01-take-home.zip", "not an archive")
        try project.folder.write("Content/03-prose.md", "# Prose\n\nGet [the old package](downloads/01-take-home.zip).\n")
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code != 0)
        #expect(result.stderr.contains("error: Content/downloads/01-take-home.zip:1: this file would take the place of a chapter's download (downloads/01-take-home.zip), which the site makes itself; rename it or move it into another folder, or set 'downloads: false' in book.yml."),
                "\(result.stderr)")
    }

    /// The slow one: the archive unpacked in an empty folder builds with `swift build` (no network: every
    /// proxy points at a closed port) and `swift run` prints what the page shows and writes the chart.
    @Test(.timeLimit(.minutes(30))) func theArchiveBuildsAndRunsOfflineInAnEmptyFolder() async throws {
        let project = try Self.project()
        defer { project.remove() }
        let outcome = await Self.build(project)
        #expect(outcome.succeeded, "\(outcome.issues)")
        let zip = try Data(contentsOf: project.site.appendingPathComponent("downloads/01-take-home.zip"))
        let empty = try TemporaryFolder(prefix: "loopbook-download")
        defer { empty.remove() }
        for (path, text) in try Self.entries(zip) { try empty.write(path, text) }
        let package = empty.url("01-take-home")

        let build = try Self.run(["swift", "build"], in: package)
        #expect(build.code == 0, "\(build.output)")
        let run = try Self.run(["swift", "run", "--skip-build"], in: package)
        #expect(run.code == 0, "\(run.output)")
        let output = run.output
        #expect(output.contains("Read 3 numbers; twice the first is 6.\n"), "\(output)")
        #expect(output.contains("total = 12\n"))
        #expect(output.contains("Doubles\nn  twice\n3      6\n4      8\n5     10\n"), "\(output)")
        #expect(output.contains("Largest: 5\n"))
        #expect(output.contains("Chart \"Growth\" written to chart-1-growth.svg\n"))
        #expect(output.contains("✗ answer should be 42; it is 0.\n"))
        #expect(!output.contains("never runs"))
        let svg = try String(contentsOf: package.appendingPathComponent("chart-1-growth.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("<title id=\"chart-1-title\">Growth</title>"))
        #expect(svg.contains("<path class=\"line"))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    /// Runs `arguments` in `folder` with no network (proxies at a closed port); stdout and stderr together.
    static func run(_ arguments: [String], in folder: URL) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        for name in ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
            environment[name] = "http://127.0.0.1:9"
        }
        environment.removeValue(forKey: "LOOPBOOK_NONCE")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Sizes as the page writes them (`ByteSize.format`: 1000-byte units, one decimal unless it is 0).
enum ByteCountText {
    static func kilobytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10) KB" : "\(tenths / 10).\(tenths % 10) KB"
    }
}
