import BookModel
import Testing
@testable import SiteKit

/// `{{ key }}` substitution in prose and its errors.
@Suite struct PlaceholderTests {
    let values = ["accuracy": "0.93", "baseline": "0.33"]

    func substitute(_ text: String, line: Int = 1) throws(SiteError) -> String {
        try Placeholders.substitute(text, values: values, file: "Content/04-model.md", line: line)
    }

    @Test func replacesKeysWithAndWithoutSpaces() throws {
        #expect(try substitute("A {{ accuracy }} vs {{baseline}}.") == #"A 0\.93 vs 0\.33."#)
    }

    @Test func leavesCodeSpansFencesAndEscapesAlone() throws {
        #expect(try substitute("Write `{{ accuracy }}` here") == "Write `{{ accuracy }}` here")
        #expect(try substitute("Write ``a ` {{ accuracy }}`` here") == "Write ``a ` {{ accuracy }}`` here")
        let fenced = "```markdown\n{{ nope }}\n```\n{{ accuracy }}"
        #expect(try substitute(fenced) == "```markdown\n{{ nope }}\n```\n0\\.93")
        #expect(try substitute(#"Literal \{{ accuracy }}"#) == #"Literal \{{ accuracy }}"#)
    }

    @Test func unknownKeyNamesLineAndAvailableKeys() {
        #expect(throws: SiteError.unknownKey(file: "Content/04-model.md", line: 23, key: "acuracy",
                                             written: "{{ acuracy }}", available: ["accuracy", "baseline"])) {
            try substitute("Intro\n\nThe model scores {{ acuracy }}.", line: 21)
        }
        let error = SiteError.unknownKey(file: "Content/04-model.md", line: 23, key: "acuracy",
                                         written: "{{ acuracy }}", available: ["accuracy", "baseline"])
        #expect(error.description ==
            "Content/04-model.md:23: unknown key 'acuracy' in {{ acuracy }}; this chapter publishes: accuracy, baseline.")
    }

    @Test func unclosedPlaceholderIsAnError() {
        #expect(throws: SiteError.malformedPlaceholder(file: "Content/04-model.md", line: 1, text: "{{ accuracy")) {
            try substitute("{{ accuracy")
        }
    }

    @Test func valuesAreEscapedAsMarkdownText() throws {
        let rendered = try Placeholders.substitute("Value: {{ v }}", values: ["v": "<b>*x*</b> & [y](z)"],
                                                   file: "f.md", line: 1)
        #expect(Placeholders.markdownEscaped("a_b*") == #"a\_b\*"#)
        #expect(rendered == #"Value: \<b\>\*x\*\<\/b\> \& \[y\]\(z\)"#)
    }

    @Test func substitutedValueRendersAsPlainText() throws {
        let chapter = FixtureBook.welcome
        let files = try SiteRenderer(book: FixtureBook.info).render([chapter])
        let page = try #require(files.text("01-welcome.html"))
        #expect(page.contains("<strong>0.93</strong>"))
        #expect(page.contains("baseline of 0.33 &lt;chance&gt;."))
        #expect(page.contains("<code>{{ accuracy }}</code>"))
        #expect(page.contains("write\n{{ accuracy }} to show"))
    }

    @Test func rendererReportsUnknownKeyAtTheProseLine() {
        var chapter = FixtureBook.welcome
        chapter.chapter.blocks[2] = .prose(markdown: "## Training\n\nScore: {{ acurracy }}\n", line: 44)
        #expect(throws: SiteError.unknownKey(file: "Content/01-welcome.md", line: 46, key: "acurracy",
                                             written: "{{ acurracy }}", available: ["accuracy", "baseline"])) {
            try SiteRenderer(book: FixtureBook.info).render([chapter])
        }
    }
}
