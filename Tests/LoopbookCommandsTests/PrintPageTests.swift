import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// `print.html` through the command line: every chapter in book order after a contents list, ids unique on
/// the page (each chapter's prefixed with its slug) and every in-book link rewritten to land on the page;
/// the page follows edits, is left alone by a no-op build, and is governed by book.yml's `print`.
@Suite("loopbook build: print page", .serialized)
struct PrintPageTests {
    static func text(_ project: TemporaryProject, _ path: String) throws -> String {
        try String(contentsOf: project.site.appendingPathComponent(path), encoding: .utf8)
    }

    /// The values of `name="…"` attributes in `html`, in order.
    static func attributes(_ name: String, in html: String) -> [String] {
        html.matches(of: try! Regex(" \(name)=\"([^\"]*)\"")).map { String($0.output[1].substring ?? "") }
    }

    @Test func everyChapterInOrderWithUniqueIdsAndLinksThatLandOnThePage() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.edit("01-basics.md") {
            $0.replacingOccurrences(of: "```swift\nshow(Chart.line(", with: "```swift\n//| label: fig-pelicans\n//| fig-cap: \"Pelicans, day by day\"\nshow(Chart.line(")
        }
        try project.edit("02-more.md") { $0 + "\nSee @fig-pelicans and [the table](01-basics.html#a-table).\n" }
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        let page = try Self.text(project, "print.html")

        // The contents list, then the chapters in book order, each an article whose id is its slug.
        #expect(page.contains("<title>Commands Fixture</title>"))
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(page.contains("<body class=\"print-book\">"))
        #expect(page.contains("<li><a href=\"#01-basics\"><span class=\"num\">1</span><span class=\"text\"><span class=\"name\">Basics</span></span></a></li>\n"
                              + "<li><a href=\"#02-more\"><span class=\"num\">2</span><span class=\"text\"><span class=\"name\">More</span></span></a></li>"))
        let articles = Self.attributes("id", in: page).filter { !$0.contains("--") && $0.hasPrefix("0") }
        #expect(articles == ["01-basics", "02-more"])
        #expect(page.contains("<article class=\"chapter-body print-chapter\" id=\"01-basics\">\n<p class=\"eyebrow\">Chapter 1</p>"))

        // Ids are prefixed; links inside the book point into the page.
        let ids = Self.attributes("id", in: page)
        #expect(Set(ids).count == ids.count, "ids are unique: \(ids)")
        #expect(ids.contains("01-basics--fig-pelicans") && ids.contains("02-more--results") && ids.contains("01-basics--a-table"))
        #expect(!ids.contains("fig-pelicans"))
        #expect(page.contains("<figure class=\"chart\" id=\"01-basics--fig-pelicans\">\n<figcaption>Figure 1.1: Pelicans, day by day</figcaption>"))
        #expect(page.contains("aria-labelledby=\"01-basics--fig-pelicans-title 01-basics--fig-pelicans-desc\""), "the chart's SVG names its title")
        #expect(page.contains("<svg"), "charts are inline SVG")
        #expect(page.contains("<p>See <a class=\"xref\" href=\"#01-basics--fig-pelicans\">Figure 1.1</a> and <a href=\"#01-basics--a-table\">the table</a>.</p>"))
        #expect(page.contains("See <a href=\"#02-more--results\">the next chapter</a>"))
        #expect(page.contains("Back to <a href=\"#01-basics\">the basics</a>."))
        for link in Self.attributes("href", in: page) where link.hasPrefix("#") {
            #expect(ids.contains(String(link.dropFirst())) || link == "#main", "the link \(link) lands on the page")
        }
        // Every page links it; the stylesheet breaks pages before each chapter and prints light.
        #expect(try Self.text(project, "01-basics.html").contains("<a class=\"icon-button print-button\" href=\"print.html\""))
        #expect(try Self.text(project, "index.html").contains("href=\"print.html\""))
        let style = try Self.text(project, "assets/style.css")
        #expect(style.contains(".print-chapter { break-before: page;"))
        #expect(style.contains("@media screen {\n  :root[data-theme=\"dark\"] {\n    color-scheme: dark;"), "the dark theme is for screens only")

        // `check` builds print.html afresh and finds Site/ equal to it, its links resolving.
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func aNoOpBuildKeepsThePageAnEditOrATamperedFileRewritesIt() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let printPath = project.site.appendingPathComponent("print.html").path
        let original = try Self.text(project, "print.html")
        #expect(original.contains("Back to <a href=\"#01-basics\">the basics</a>."))
        // A build of the copy records what it published; then a no-op build leaves the page's file alone.
        _ = await execute(BuildCommand.self, ["--root", project.root.path])
        let identity = try FileManager.default.attributesOfItem(atPath: printPath)
        try await Task.sleep(for: .milliseconds(20))
        let noOp = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(noOp.code == 0, "\(noOp.stderr)")
        #expect(noOp.stderr.contains("0 written"), "\(noOp.stderr)")
        let after = try FileManager.default.attributesOfItem(atPath: printPath)
        #expect((after[.systemFileNumber] as? NSNumber)?.uint64Value == (identity[.systemFileNumber] as? NSNumber)?.uint64Value)
        #expect(after[.modificationDate] as? Date == identity[.modificationDate] as? Date)

        // A prose edit of chapter 2: the page follows, chapter 1's part taken from the cache unchanged.
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "Back to", with: "Return to") }
        let edited = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(edited.code == 0, "\(edited.stderr)")
        let page = try Self.text(project, "print.html")
        #expect(page.contains("Return to <a href=\"#01-basics\">the basics</a>."))
        #expect(!page.contains("Back to"))
        let basics = { (html: String) -> Substring? in
            guard let start = html.range(of: "id=\"01-basics\">"), let end = html.range(of: "id=\"02-more\">") else { return nil }
            return html[start.lowerBound..<end.lowerBound]
        }
        #expect(basics(page) != nil && basics(page) == basics(original))

        // A hand-edited print.html is not vouched for: the next build puts the built page back.
        try (page + "<p>scribble</p>").write(toFile: printPath, atomically: false, encoding: .utf8)
        let repaired = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(repaired.code == 0, "\(repaired.stderr)")
        #expect(try Self.text(project, "print.html") == page)
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func printFalseLeavesNoPageNoLinkAndThePdfCommandSaysHowToGetOne() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        try project.folder.write("Content/book.yml", "title: Commands Fixture\nprint: maybe\n")
        let bad = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(bad.code == 1)
        #expect(bad.stderr.contains("error: Content/book.yml:2: 'print' must be true or false, e.g. 'print: false'; it is"), "\(bad.stderr)")

        try project.folder.write("Content/book.yml", "title: Commands Fixture\nprint: false\n")
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("print.html").path))
        #expect(!(try Self.text(project, "01-basics.html")).contains("print.html"))
        #expect(!built.stderr.contains("note:"))
        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")

        let pdf = await execute(PdfCommand.self, ["--root", project.root.path])
        if Chromium.isInstalled {
            #expect(pdf.code == 1)
            #expect(pdf.stderr.contains("error: the site has no print.html to print (book.yml says 'print: false'); "
                                        + "set 'print: true' in Content/book.yml and run 'loopbook pdf' again."), "\(pdf.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("book.pdf").path))
        }
    }

    @Test func aBookOfMoreThan200ChaptersHasNoPrintPageUnlessBookYmlAsks() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        try project.folder.write("Content/book.yml", "title: Many\n")
        for number in 1...201 {
            try project.folder.write(String(format: "Content/%03d-part.md", number), "# Part \(number)\n\nText \(number).\n")
        }
        let built = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(built.code == 0, "\(built.stderr)")
        #expect(built.stderr.contains("note: print.html was not written: the book has 201 chapters, more than 200; add 'print: true' "
                                      + "to Content/book.yml to write it anyway, or 'print: false' to go without it and this note."),
                "\(built.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("print.html").path))

        try project.folder.write("Content/book.yml", "title: Many\nprint: true\n")
        let forced = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(forced.code == 0, "\(forced.stderr)")
        #expect(!forced.stderr.contains("note:"))
        let page = try Self.text(project, "print.html")
        let chapters = Self.attributes("id", in: page).filter { $0.hasSuffix("-part") }
        #expect(chapters == (1...201).map { String(format: "%03d-part", $0) })
        #expect(page.contains("<h1><a class=\"anchor\" id=\"201-part--part-201\" href=\"#201-part--part-201\""), "\(page.suffix(2000))")
    }
}
