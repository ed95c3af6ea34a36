import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// book.yml's keys, from the file to the published site: language, logo, repository and edit links, the
/// base URL (Open Graph and sitemap); every key checked. And the shared chapter list in a real browser.
@Suite("Site basics")
struct SiteBasicsTests {
    /// A project of two prose chapters (nothing to compile) with `bookYML` and a logo file.
    static func project(bookYML: String) throws -> TemporaryProject {
        let project = try TemporaryProject()
        try project.folder.write("Content/book.yml", bookYML)
        try project.folder.write("Content/01-first.md", "---\nsummary: The first chapter.\n---\n# First\n\nHello.\n")
        try project.folder.write("Content/02-second.md", "# Second\n\nThe second chapter, with a link to [the first](01-first.md).\n")
        try project.folder.write("Content/images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"/>\n")
        return project
    }

    static let fullYML = """
        title: Basics
        description: A book with every key.
        author: Someone
        language: fr
        logo: images/logo.svg
        repository: https://example.org/someone/basics
        edit-url: https://example.org/someone/basics/edit/main/Content/{path}
        site-url: https://example.org/basics

        """

    @Test func everyKeyReachesTheSite() async throws {
        let project = try Self.project(bookYML: Self.fullYML)
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let site = TemporaryFolder(existing: project.site)
        let second = try site.read("02-second.html")
        #expect(second.hasPrefix("<!doctype html>\n<html lang=\"fr\">\n"))
        #expect(second.contains("<meta property=\"og:url\" content=\"https://example.org/basics/02-second.html\">"),
                "site-url gets its trailing slash")
        #expect(second.contains("<a href=\"https://example.org/someone/basics/edit/main/Content/02-second.md\">Edit this page</a>"))
        #expect(second.contains("<img class=\"logo\" src=\"images/logo.svg\""))
        #expect(try site.read("images/logo.svg").hasPrefix("<svg"), "the logo is published")
        #expect(try site.read("sitemap.xml").contains("<url><loc>https://example.org/basics/01-first.html</loc></url>"))
        #expect(try site.read("404.html").contains("<base href=\"https://example.org/basics/\">"))
        let first = try site.read("01-first.html")
        #expect(first.contains("<meta name=\"description\" content=\"The first chapter.\">"))
        #expect(try site.read("index.html").contains("<meta name=\"description\" content=\"A book with every key.\">"))

        let check = await execute(CheckCommand.self, ["--root", project.root.path])
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func withoutBookYMLTheSiteIsEnglishWithAFaviconAndA404Page() async throws {
        let project = try Self.project(bookYML: "title: Plain\n")
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let site = TemporaryFolder(existing: project.site)
        #expect(try site.read("01-first.html").hasPrefix("<!doctype html>\n<html lang=\"en\">\n"))
        #expect(try site.read("favicon.svg").hasPrefix("<svg"))
        #expect(try site.read("404.html").contains("<a href=\"index.html\">Go to the contents of Plain</a>"))
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("sitemap.xml").path))
        #expect(!FileManager.default.fileExists(atPath: project.site.appendingPathComponent("images/logo.svg").path),
                "a file no page uses is not published")
    }

    static let badValues: [(yml: String, error: String)] = [
        ("title: A\nlanguge: fr\n",
         "Content/book.yml:2: unknown key 'languge' in book.yml; expected one of title, subtitle, description, author, "
            + "language, logo, repository, edit-url, site-url, code-fold, print, downloads."),
        ("language: french\n",
         "Content/book.yml:1: 'language' must be a language tag like en, fr or pt-BR; it is 'french'."),
        ("site-url: example.org/book\n",
         "Content/book.yml:1: 'site-url' must be the web address the site is published at, starting with https:// or "
            + "http://, e.g. 'site-url: https://example.org/book/'; it is 'example.org/book'."),
        ("repository: ftp://example.org/x\n",
         "Content/book.yml:1: 'repository' must be a web address starting with https:// or http://, "
            + "e.g. 'repository: https://github.com/you/book'; it is 'ftp://example.org/x'."),
        ("edit-url: https://example.org/edit/main/Content/\n",
         "Content/book.yml:1: 'edit-url' must contain {path}, which each chapter replaces with its file name, "
            + "e.g. 'edit-url: https://github.com/you/book/edit/main/Content/{path}'."),
        ("title: A\nlogo: images/missing.png\n",
         "Content/book.yml:2: 'logo' names 'images/missing.png', which is not a file in Content/; "
            + "give the path of an image file relative to Content/, e.g. 'logo: images/logo.svg'."),
        ("logo: ../outside.svg\n",
         "Content/book.yml:1: 'logo' must be the path of an image file inside Content/ (.svg, .png, .jpg, .jpeg, .gif, .webp or .ico), "
            + "e.g. 'logo: images/logo.svg'; it is '../outside.svg'."),
        ("logo: 01-first.md\n",
         "Content/book.yml:1: 'logo' must be the path of an image file inside Content/ (.svg, .png, .jpg, .jpeg, .gif, .webp or .ico), "
            + "e.g. 'logo: images/logo.svg'; it is '01-first.md'."),
    ]

    @Test(arguments: badValues.indices) func aBadKeyOrValueIsAnErrorAtItsLine(_ index: Int) async throws {
        let (yml, error) = Self.badValues[index]
        let project = try Self.project(bookYML: yml)
        defer { project.remove() }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code != 0)
        #expect(result.stderr.contains("error: " + error), "\(result.stderr)")
    }

    @Test(.enabled(if: Chromium.isInstalled, "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"))
    func theSharedChapterListFillsTheSidebarFromFileURLs() async throws {
        let project = try Self.project(bookYML: "title: Browser\n")
        defer { project.remove() }
        #expect(await execute(BuildCommand.self, ["--root", project.root.path]).code == 0)
        // Opened from file://, as a reader who downloaded the site would: toc.js is a plain script.
        let page = project.site.appendingPathComponent("02-second.html").absoluteString
        let dom = try await Chromium.run(["--virtual-time-budget=3000", "--dump-dom", page]).stdout
        let start = try #require(dom.range(of: "<nav class=\"sidebar\""), "no sidebar in \(dom.prefix(2000))")
        let end = try #require(dom.range(of: "</nav>", range: start.upperBound..<dom.endIndex))
        let nav = String(dom[start.lowerBound..<end.upperBound])
        #expect(nav.contains("<a href=\"01-first.html\"><span class=\"num\">1</span><span class=\"name\">First</span></a>"), "\(nav)")
        #expect(nav.contains("<a href=\"02-second.html\" aria-current=\"page\"><span class=\"num\">2</span><span class=\"name\">Second</span></a>"), "\(nav)")
        #expect(!nav.contains("All chapters"), "the list replaces the link to the contents: \(nav)")
    }
}
