import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// The search box as a reader uses it: a book is built, then headless Chromium opens a page with `?q=…`
/// and the real site.js fills in the results, which are read from the DOM (titles in order, what is marked).
/// One browser at a time (serialized): dozens at once on a busy 2-core machine run past their timeout.
@Suite("Search", .serialized, .enabled(if: Chromium.isInstalled,
                            "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"))
struct SearchTests {
    /// A book written for the searches below: accents, scripts, typos, ranking and many hits.
    static let chapters: [String: String] = [
        // ../shared/cases/server/b17-search-diacritics, as it was reported.
        "01-daten.md": "# Über die Daten\n\nDie Daten stammen aus einem Café in Zürich. Der Kellner heißt Jürgen.\n",
        "02-rivers.md": "# Rivers\n\nA lantern hangs by the water.\n\n"
            + (1...12).map { "## Reach \($0)\n\nAn otter swims in reach \($0).\n\n" }.joined(),
        "03-lanterns.md": "# Lanterns\n\nPaper and light.\n",
        "04-night.md": "# Night\n\nDark.\n\n## A lantern at night\n\nIt glows.\n\n## Stars\n\nMany lanterns of the sky.\n",
        "05-scripts.md": "# Scripts\n\nΗ Αθήνα είναι πόλη. 東京は大きい。 A naïve ﬁsh reads Ｆｕｌｌｗｉｄｔｈ text in Straße 5.\n",
    ]

    static let built = Task<TemporaryProject, any Error> {
        let project = try TemporaryProject()
        for (name, text) in chapters { try project.folder.write("Content/" + name, text) }
        try project.folder.write("Content/book.yml", "title: Search test\n")
        let command = try BuildCommand.parse(["--root", project.root.path])
        try await command.perform(console: CapturedConsole().console)
        return project
    }

    struct Results {
        /// Each result's "N. Chapter › Heading" line, as text.
        var titles: [String]
        /// The marked text of each result (the line and the snippet), in order.
        var marks: [[String]]
        /// The "Show all N results" button's text, if there is one.
        var showAll: String?
        var html: String
    }

    /// The results site.js shows for `?q=query` on the page `page`.
    static func search(_ query: String, page: String = "01-daten.html", overFile: Bool = false) async throws -> Results {
        let project = try await built.value
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let dom: String
        if overFile {
            dom = try await Chromium.run(["--virtual-time-budget=5000", "--allow-file-access-from-files", "--dump-dom",
                                          project.site.appendingPathComponent(page).absoluteString + "?q=" + encoded]).stdout
        } else {
            dom = try await serving(project.site, liveReload: false) { port in
                try await Chromium.run(["--virtual-time-budget=5000", "--dump-dom",
                                        "http://127.0.0.1:\(port)/\(page)?q=\(encoded)"]).stdout
            }
        }
        let box = try #require(BrowserTests.resultsList(dom), "no search results box in \(page)")
        let links = box.matches(of: /<a href="[^"]*">(.*?)<\/a>/).map { String($0.output.1) }
        let titles = links.map { link in
            text(String(link.firstMatch(of: /<span class="where">(.*?)<\/span>/)?.output.1 ?? ""))
        }
        let marks = links.map { $0.matches(of: /<mark>(.*?)<\/mark>/).map { text(String($0.output.1)) } }
        let showAll = box.firstMatch(of: /<button[^>]*class="show-all"[^>]*>(.*?)<\/button>/).map { String($0.output.1) }
        return Results(titles: titles, marks: marks, showAll: showAll, html: box)
    }

    /// Markup to text: tags dropped, the entities site.js's DOM serialises decoded.
    static func text(_ html: String) -> String {
        html.replacing(/<[^>]*>/, with: "").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&nbsp;", with: "\u{A0}")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test(arguments: [("cafe", "Café"), ("zurich", "Zürich"), ("heisst", "heißt"), ("uber", "Über"),
                      ("CAFÉ", "Café"), ("ZÜRICH", "Zürich"), ("HEISST", "heißt"), ("Über", "Über"), ("jurgen", "Jürgen")])
    func accentsAndCaseAreFolded(_ query: String, _ marked: String) async throws {
        let results = try await Self.search(query)
        #expect(results.titles == ["1. Über die Daten"], "\(query): \(results.html)")
        #expect(results.marks.first?.contains(marked) == true, "\(query) marks \(marked): \(results.html)")
    }

    @Test func theCaseFindsItsWordsFromFileURLsToo() async throws {
        // Opened from disk, site.js loads search-index.js instead of fetching the JSON.
        for (query, marked) in [("cafe", "Café"), ("zurich", "Zürich"), ("uber", "Über"), ("heisst", "heißt")] {
            let results = try await Self.search(query, overFile: true)
            #expect(results.titles == ["1. Über die Daten"], "\(query): \(results.html)")
            #expect(results.marks.first?.contains(marked) == true, "\(query): \(results.html)")
        }
    }

    @Test(arguments: [("αθηνα", "Αθήνα"), ("ΑΘΉΝΑ", "Αθήνα"), ("東京", "東京"), ("naive", "naïve"), ("fish", "ﬁsh"),
                      ("fullwidth", "Ｆｕｌｌｗｉｄｔｈ"), ("strasse", "Straße")])
    func otherScriptsAreMarkedOnTheirOwnCharacters(_ query: String, _ marked: String) async throws {
        let results = try await Self.search(query)
        #expect(results.titles == ["5. Scripts"], "\(query): \(results.html)")
        #expect(results.marks.first == [marked], "\(query) marks exactly \(marked): \(results.html)")
    }

    @Test(arguments: [("zurihc", "Zürich"), ("kelner", "Kellner"), ("jurgne", "Jürgen"), ("stamen", "stammen")])
    func oneTypoInALongWordIsForgiven(_ query: String, _ marked: String) async throws {
        let results = try await Self.search(query)
        #expect(results.titles == ["1. Über die Daten"], "\(query): \(results.html)")
        #expect(results.marks.first?.contains(marked) == true, "\(query) marks \(marked): \(results.html)")
    }

    @Test(arguments: ["cafr", "zrch", "kellnxyz", "zxrxch"])
    func shortWordsAndTwoTyposFindNothing(_ query: String) async throws {
        let results = try await Self.search(query)
        #expect(results.titles.isEmpty, "\(query): \(results.html)")
        #expect(results.html.contains("No results for"), "\(query): \(results.html)")
    }

    @Test func titleThenHeadingThenTextHits() async throws {
        let results = try await Self.search("lantern")
        #expect(results.titles == ["3. Lanterns", "4. Night › A lantern at night", "2. Rivers", "4. Night › Stars"],
                "\(results.html)")
    }

    @Test func tenResultsThenShowAll() async throws {
        let results = try await Self.search("otter")
        #expect(results.titles == (1...10).map { "2. Rivers › Reach \($0)" }, "\(results.html)")
        #expect(results.showAll == "Show all 12 results", "\(results.html)")

        // A page that presses the button once it appears, as a reader would (the real site.js does the rest).
        let project = try await Self.built.value
        let page = try String(contentsOf: project.site.appendingPathComponent("01-daten.html"), encoding: .utf8)
        let pressing = "<script>var pressed = setInterval(function () { var b = document.querySelector('.show-all');"
            + " if (b) { clearInterval(pressed); b.click(); } }, 50);</script>\n</body>"
        try page.replacingOccurrences(of: "</body>", with: pressing)
            .write(to: project.site.appendingPathComponent("press-show-all.html"), atomically: true, encoding: .utf8)
        let all = try await Self.search("otter", page: "press-show-all.html")
        #expect(all.titles == (1...12).map { "2. Rivers › Reach \($0)" }, "\(all.html)")
        #expect(all.showAll == nil, "\(all.html)")
    }

    @Test func everyWordMustMatch() async throws {
        #expect(try await Self.search("otter 12").titles == ["2. Rivers › Reach 12"])
        #expect(try await Self.search("café night").titles.isEmpty)
    }
}
