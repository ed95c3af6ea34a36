import BookModel
import Testing
@testable import SiteKit

/// A chapter is one Markdown document: values go into text only, in every place text appears; links to
/// chapters, sections and files resolve or fail at their line and column, all at once.
@Suite struct ChapterDocumentTests {
    static let info = BookInfo(title: "Course")

    /// A chapter from its Markdown, with the steps a parser would find (```swift fences, by line).
    static func chapter(_ markdown: String, slug: String = "01-results", number: Int = 1, title: String = "Results",
                        values: [String: String] = [:], outputs: [Int: String] = [:]) -> ExecutedChapter {
        var steps: [Step] = []
        for (offset, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.drop(while: { $0 == " " || $0 == ">" }).hasPrefix("```swift") {
            steps.append(Step(index: steps.count + 1, line: offset + 1, code: "", flags: StepFlags()))
        }
        let results = steps.map { StepResult(index: $0.index, outputs: outputs[$0.index].map { [.stdout($0 + "\n")] } ?? []) }
        var chapter = Chapter(path: "Content/\(slug).md", slug: slug, number: number, title: title,
                              markdown: markdown, steps: steps)
        chapter.titleLine = 1
        return ExecutedChapter(chapter: chapter, result: ChapterResult(steps: results, values: values), status: .cached)
    }

    static func render(_ chapters: [ExecutedChapter], assets: [String] = []) throws(SiteError) -> SiteFiles {
        try SiteRenderer(book: info).render(chapters, assets: assets)
    }

    /// The problems a render reports, as the console prints them.
    static func problems(_ chapters: [ExecutedChapter], assets: [String] = []) -> [String] {
        do {
            _ = try render(chapters, assets: assets)
            return []
        } catch let .several(errors) {
            return errors.map(\.description)
        } catch {
            return [error.description]
        }
    }

    // MARK: Values in text only

    @Test func titleValueIsShownEverywhereTheTitleIs() throws {
        let first = Self.chapter("# Results: {{ acc }} accuracy\n\nText.\n", title: "Results: {{ acc }} accuracy",
                                 values: ["acc": "0.815"])
        let second = Self.chapter("# Next\n", slug: "02-next", number: 2, title: "Next")
        let files = try Self.render([first, second])
        let page = try #require(files.text("01-results.html"))
        #expect(page.contains("<title>Results: 0.815 accuracy · Course</title>"))
        #expect(try #require(files.text("toc.js")).contains("[\"01-results\", 1, \"Results: 0.815 accuracy\"]"), "sidebar")
        #expect(try #require(files.text("index.html")).contains("<span class=\"name\">Results: 0.815 accuracy</span>"))
        #expect(try #require(files.text("02-next.html")).contains("<span class=\"name\">Results: 0.815 accuracy</span></a>"), "pager")
        #expect(try #require(files.text("search-index.js")).contains("\"title\":\"Results: 0.815 accuracy\""))
        #expect(!files.paths.contains { (files.text($0) ?? "").contains("{{ acc }}") })
    }

    @Test func frontMatterTitleAndSummaryQuoteValuesToo() throws {
        var chapter = Self.chapter("Text.\n", title: "Depth {{ depth }} wins", values: ["depth": "7", "acc": "0.9"])
        chapter.chapter.summary = "The best depth scores {{ acc }}."
        let files = try Self.render([chapter])
        let page = try #require(files.text("01-results.html"))
        #expect(page.contains("<title>Depth 7 wins · Course</title>"))
        #expect(page.contains("<meta name=\"description\" content=\"The best depth scores 0.9.\">"))
        #expect(try #require(files.text("index.html")).contains("<span class=\"summary\">The best depth scores 0.9.</span>"))
        chapter.chapter.title = "Depth {{ dept }} wins"
        chapter.chapter.titleLine = 2
        #expect(Self.problems([chapter]) == [
            "Content/01-results.md:2: unknown key 'dept' in the chapter title; this chapter publishes: acc, depth.",
        ])
    }

    @Test func aLoneBacktickDoesNotHideLaterValues() throws {
        let chapter = Self.chapter("Run `ls then wait.\nThe accuracy was {{ acc }} on this run.\n", values: ["acc": "0.815"])
        #expect(try Self.render([chapter]).text("01-results.html")?.contains("The accuracy was 0.815 on this run.") == true)
        let unknown = Self.chapter("Run `ls then wait.\nThe accuracy was {{ acu }} on this run.\n", values: ["acc": "0.815"])
        #expect(Self.problems([unknown]) == [
            "Content/01-results.md:2:18: unknown key 'acu' in {{ acu }}; this chapter publishes: acc.",
        ])
    }

    @Test func valuesReachEveryTextButNeverCode() throws {
        let markdown = """
            # Score {{ v }}

            | metric | value |
            |---|---|
            | accuracy | {{ v }} |

            [link {{ v }}](https://example.org "title {{ v }}") ![alt {{ v }}](https://example.org/x.png)

            Code stays: `{{ v }}` and \\{{ v }}.

                {{ v }} indented

            ~~~text
            {{ v }} fenced
            ~~~

            <span title="{{ v }}">{{ v }}</span>
            """
        let page = try #require(try Self.render([Self.chapter(markdown, values: ["v": "<0.9>"])]).text("01-results.html"))
        #expect(page.contains("Score &lt;0.9&gt;</h1>"))
        #expect(page.contains("<td>&lt;0.9&gt;</td>"))
        #expect(page.contains("title=\"title &lt;0.9&gt;\">link &lt;0.9&gt;</a>"))
        #expect(page.contains("alt=\"alt &lt;0.9&gt;\""))
        #expect(page.contains("<code>{{ v }}</code> and {{ v }}."))
        #expect(page.contains("{{ v }} indented"))
        #expect(page.contains("{{ v }} fenced"))
        #expect(page.contains("<span title=\"&#60;0&#46;9&#62;\">&lt;0.9&gt;</span>"))
    }

    @Test func valuesNeverBecomeMarkupOrScript() throws {
        let values = ["home": "javascript:alert(document.domain)", "title": "\"><img src=x onerror=alert(1)>",
                      "page": "guide page.html"]
        let safe = Self.chapter("<div title=\"{{ title }}\">quoted</div>\n\n{{ title }}\n\n<a href=\"https://example.org/{{ page }}\">x</a>\n",
                                values: values)
        let page = try #require(try Self.render([safe]).text("01-results.html"))
        #expect(!page.contains("<img src=x"))
        #expect(page.contains("<div title=\"&#34;&#62;&#60;img&#32;src&#61;x&#32;onerror&#61;alert&#40;1&#41;&#62;\">quoted</div>"))
        #expect(page.contains("<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>"))
        #expect(page.contains("<a href=\"https://example.org/guide%20page.html\">"))
        // In a Markdown link the value is percent-encoded: no scheme, so it is a file that does not exist.
        #expect(Self.problems([Self.chapter("See [the page]({{home}}).\n", values: values)]) == [
            "Content/01-results.md:1:5: the link 'javascript%3Aalert%28document.domain%29' points to 'javascript:alert(document.domain)', which is not in the content folder; add the file there or fix the path.",
        ])
        #expect(Self.problems([Self.chapter("See [the page]({{ home }}).\n", values: values)]) == [
            "Content/01-results.md:1:16: {{ home }} was meant as a link destination, but a destination cannot hold spaces, so Markdown did not read a link here; write ({{home}}) or (<{{ home }}>).",
        ])
        #expect(Self.problems([Self.chapter("<button onclick=\"go('{{ title }}')\">x</button>\n", values: values)]) == [
            "Content/01-results.md:1:1: {{ title }} stands in the attribute 'onclick', where a value could run as script; put it in text or an ordinary attribute instead.",
        ])
    }

    // MARK: One document: footnotes and references across steps

    @Test func footnotesAndReferenceLinksResolveAcrossSteps() throws {
        let markdown = """
            A claim[^src] from the [UCI repository][uci].

            ```swift
            print("between")
            ```

            [^src]: Breiman, Random Forests, 2001.

            [uci]: https://archive.ics.uci.edu/
            """
        let page = try #require(try Self.render([Self.chapter(markdown, outputs: [1: "between"])]).text("01-results.html"))
        #expect(page.contains("<sup class=\"footnote-ref\"><a href=\"#fn-src\" id=\"fnref-src\" data-footnote-ref>1</a></sup>"))
        #expect(page.contains("<a href=\"https://archive.ics.uci.edu/\">UCI repository</a>"))
        #expect(page.contains("<li id=\"fn-src\">\n<p>Breiman, Random Forests, 2001."))
        #expect(page.contains("<pre class=\"output stdout\">between</pre>"))
        #expect(!page.contains("[^src]") && !page.contains("[uci]"))
    }

    @Test func stepsInListsAndQuotesShowTheirOutputWhereTheyStand() throws {
        let markdown = "1. Load:\n\n   ```swift\n   print(1)\n   ```\n\n> Quoted:\n>\n> ```swift\n> print(2)\n> ```\n"
        let page = try #require(try Self.render([Self.chapter(markdown, outputs: [1: "loaded 3", 2: "in a quote"])])
            .text("01-results.html"))
        #expect(page.contains("<li>\n<p>Load:</p>\n<div class=\"step\" id=\"step-1\">"))
        #expect(page.contains("<blockquote>\n<p>Quoted:</p>\n<div class=\"step\" id=\"step-2\">"))
        #expect(page.contains(">loaded 3</pre>") && page.contains(">in a quote</pre>"))
    }

    // MARK: Links and files

    @Test func chapterLinksBecomePagesAndFilesArePublished() throws {
        let first = Self.chapter("# One\n\nSee [the split](02-data.md#the-split), [data](data/rows.csv) and ![loop](images/loop.png).\n\n<img src=\"images/raw.png\" alt=\"\">\n\nBack to [the contents](index.html) or [the style](./assets/style.css).\n\n<p><a href=\"02-data.md#the-split\">in HTML</a></p>\n")
        let second = Self.chapter("# Data\n\n## The split\n", slug: "02-data", number: 2, title: "Data")
        let files = try Self.render([first, second], assets: ["data/rows.csv", "images/loop.png", "images/raw.png", "images/unused.png"])
        let page = try #require(files.text("01-results.html"))
        #expect(page.contains("<a href=\"02-data.html#the-split\">the split</a>"))
        #expect(page.contains("<img src=\"images/loop.png\" alt=\"loop\""))
        #expect(page.contains("<a href=\"02-data.html#the-split\">in HTML</a>"), "raw HTML links to chapters become pages too")
        #expect(files.contentFiles == ["data/rows.csv", "images/loop.png", "images/raw.png"])
    }

    @Test func everyBrokenLinkIsReportedAtOnceWithItsPlace() {
        let first = Self.chapter("""
            # One

            [a](03-missing.md) and [b](02-data.md#nope) and ![c](images/none.png)
            [d](../outside.txt) and [e](#here) and [f](#nowhere).

            ## Here
            """)
        let second = Self.chapter("# Data\n\n## The split\n", slug: "02-data", number: 2, title: "Data")
        #expect(Self.problems([first, second]) == [
            "Content/01-results.md:3:1: the link '03-missing.md' points to '03-missing.md', which is not a chapter of this book (its chapters are 01-results.md, 02-data.md); fix the name or remove the link.",
            "Content/01-results.md:3:24: the link '02-data.md#nope' points to '#nope', which 02-data.md does not have (its sections are #data, #the-split); fix the anchor or the heading.",
            "Content/01-results.md:3:49: the image 'images/none.png' points to 'images/none.png', which is not in the content folder; add the file there or fix the path.",
            "Content/01-results.md:4:1: the link '../outside.txt' leaves the content folder; only files inside it can be published, so move the file in and link to it there.",
            "Content/01-results.md:4:40: the link '#nowhere' points to '#nowhere', which this page does not have (its sections are #one, #here); fix the anchor or the heading.",
        ])
    }

    // MARK: Robustness

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "# N\n\n> [!NOTE]\n> a note\n\n" + String(repeating: ">", count: 150_000) + " deep\n"
        #expect(Self.problems([Self.chapter(deep)]) == [
            "Content/01-results.md:6:101: block quotes and lists are nested more than 100 levels deep here; a page cannot show that, so nest less.",
        ])
        let fine = String(repeating: ">", count: 100) + " deep enough\n"
        #expect(Self.problems([Self.chapter(fine)]).isEmpty)
    }

    @Test func calloutsAreFoundInOnePassAtAnyDepth() throws {
        let markdown = "> [!TIP]\n> Outer.\n>\n> > [!NOTE]\n> > Inner.\n" + String(repeating: "> ", count: 90) + "x\n"
        let page = try #require(try Self.render([Self.chapter(markdown)]).text("01-results.html"))
        #expect(page.contains("<div class=\"callout tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Outer.</p>\n<div class=\"callout note\""))
    }
}
