import BookModel
import Testing
@testable import SiteKit

/// Quarto's cross-references: labelled figures, tables, equations and sections are numbered per chapter
/// ("Figure 3.2"), captioned in the page and the search index, and `@label` in prose becomes that number with a
/// link, across chapters too; an unknown or duplicate label is an error at its line and column.
@Suite struct CrossReferenceTests {
    static let assets = ["images/loop.png", "images/forest.png"]

    /// Chapter 3 with two labelled images, a labelled table and a labelled section.
    static let loop = """
        # The loop {#sec-loop}

        ![The feedback loop](images/loop.png){#fig-loop}

        Some text.

        ![A forest of trees](images/forest.png "Trees"){#fig-forest}

        | depth | accuracy |
        |---|---|
        | 2 | 0.81 |

        : Accuracy by depth {#tbl-depth}

        ## The split {#sec-split}

        As @fig-forest shows, and [-@fig-loop] before it; see @tbl-depth and [Fig. @fig-forest].

        """

    static func chapters(first: String = "# Intro\n\nSee @fig-forest and @sec-split in @sec-loop.\n",
                         loop: String = Self.loop) -> [ExecutedChapter] {
        [ChapterDocumentTests.chapter(first, slug: "01-intro", number: 1, title: "Intro"),
         ChapterDocumentTests.chapter(loop, slug: "03-loop", number: 3, title: "The loop")]
    }

    static func pages(_ chapters: [ExecutedChapter] = chapters()) throws -> SiteFiles {
        try ChapterDocumentTests.render(chapters, assets: assets)
    }

    @Test func figuresAreNumberedPerChapterAndCaptioned() throws {
        let page = try #require(try Self.pages().text("03-loop.html"))
        #expect(page.contains("""
            <figure class="figure" id="fig-loop">
            <img src="images/loop.png" alt="The feedback loop">
            <figcaption>Figure 3.1: The feedback loop</figcaption>
            </figure>
            """))
        #expect(page.contains("""
            <figure class="figure" id="fig-forest">
            <img src="images/forest.png" alt="A forest of trees" title="Trees">
            <figcaption>Figure 3.2: A forest of trees</figcaption>
            </figure>
            """))
        #expect(!page.contains("{#"), "the labels are not shown")
    }

    @Test func referencesOnTheSamePageSayTheNumberAndLinkToIt() throws {
        let page = try #require(try Self.pages().text("03-loop.html"))
        #expect(page.contains(##"<p>As <a class="xref" href="#fig-forest">Figure 3.2</a> shows, and "##
            + ##"<a class="xref" href="#fig-loop">3.1</a> before it; see <a class="xref" href="#tbl-depth">Table 3.1</a> "##
            + ##"and <a class="xref" href="#fig-forest">Fig. 3.2</a>.</p>"##))
    }

    @Test func referencesAcrossChaptersLinkToTheOtherPage() throws {
        let page = try #require(try Self.pages().text("01-intro.html"))
        #expect(page.contains(##"<p>See <a class="xref" href="03-loop.html#fig-forest">Figure 3.2</a> and "##
            + ##"<a class="xref" href="03-loop.html#sec-split">The split</a> in "##
            + ##"<a class="xref" href="03-loop.html#sec-loop">Chapter 3</a>.</p>"##))
    }

    @Test func sectionLabelsBecomeTheHeadingsIds() throws {
        let files = try Self.pages()
        let page = try #require(files.text("03-loop.html"))
        #expect(page.contains(##"<h2><a class="anchor" id="sec-split" href="#sec-split" aria-hidden="true" tabindex="-1"></a>The split</h2>"##))
        #expect(page.contains(##"<h1><a class="anchor" id="sec-loop" href="#sec-loop" aria-hidden="true" tabindex="-1"></a>The loop</h1>"##))
        // A title taken from a labelled heading is shown without its label.
        var chapter = Self.chapters()[1]
        chapter.chapter.title = "The loop {#sec-loop}"
        let titled = try Self.pages([Self.chapters()[0], chapter])
        #expect(try #require(titled.text("toc.js")).contains(##"["03-loop", 3, "The loop"]"##))
    }

    @Test func aHeadingNeverTakesALabelsID() throws {
        let loop = Self.loop.replacingOccurrences(of: "Some text.", with: "## Fig loop\n\nSome text.")
        let page = try #require(try Self.pages(Self.chapters(loop: loop)).text("03-loop.html"))
        #expect(page.contains(##"<h2><a class="anchor" id="fig-loop-1" href="#fig-loop-1" aria-hidden="true" tabindex="-1"></a>Fig loop</h2>"##))
        #expect(page.components(separatedBy: "id=\"fig-loop\"").count == 2)
    }

    @Test func aTableCaptionIsAboveItsTable() throws {
        let page = try #require(try Self.pages().text("03-loop.html"))
        #expect(page.contains("""
            <figure class="table-figure" id="tbl-depth">
            <figcaption>Table 3.1: Accuracy by depth</figcaption>
            <div class="table-wrap prose-table">
            <table>
            """))
        #expect(!page.contains("<p>: Accuracy by depth"), "the caption paragraph is gone")
    }

    @Test func captionsAreInTheSearchIndex() throws {
        let search = try #require(try Self.pages().text("search-index.js"))
        #expect(search.contains("Figure 3.1: The feedback loop Some text. Figure 3.2: A forest of trees Table 3.1: Accuracy by depth depth accuracy 2 0.81"))
        // (The index puts a space between a link's text and the text after it, as for every link.)
        #expect(search.contains("As Figure 3.2 shows, and 3.1 before it; see Table 3.1 and Fig. 3.2 ."))
        #expect(search.contains("See Figure 3.2 and The split in Chapter 3 ."))
    }

    @Test func unknownLabelsAreErrorsAtTheirPlaceAllAtOnce() {
        let first = "# Intro\n\nSee @fig-forrest, then\n  also @tbl-none.\n"
        #expect(ChapterDocumentTests.problems(Self.chapters(first: first), assets: Self.assets) == [
            "Content/01-intro.md:3:5: the reference @fig-forrest names no label of the book (its fig- labels are "
                + "fig-forest, fig-loop); fix the label, or write \\@fig-forrest for an at sign that is not a reference.",
            "Content/01-intro.md:4:8: the reference @tbl-none names no label of the book (its tbl- labels are "
                + "tbl-depth); fix the label, or write \\@tbl-none for an at sign that is not a reference.",
        ])
    }

    @Test func aDuplicateLabelIsAnErrorAtItsSecondPlace() {
        let first = "# Intro\n\nText.\n\n![Again](images/loop.png){#fig-loop}\n"
        #expect(ChapterDocumentTests.problems(Self.chapters(first: first), assets: Self.assets) == [
            "Content/03-loop.md:3:38: the label fig-loop is already used at Content/01-intro.md:5:26; labels must be "
                + "unique in the whole book, so rename one of them (and the references to it).",
        ])
    }

    @Test func aDuplicateStepLabelIsAnErrorAtItsOption() {
        var step = ChapterDocumentTests.chapter("# Again\n\n```swift\n//| label: fig-loop\nshow(chart)\n```\n", slug: "04-again",
                                                number: 4, title: "Again")
        step.chapter.steps[0].code = "//| label: fig-loop\nshow(chart)\n"
        step.result.steps[0].outputs = [.record(.chart(ChartSpec(title: "c", kind: .bar(categories: ["a"], series: [BarSeries(name: "", values: [1])]))))]
        #expect(ChapterDocumentTests.problems(Self.chapters() + [step], assets: Self.assets) == [
            "Content/04-again.md:4:1: the label fig-loop is already used at Content/03-loop.md:3:38; labels must be "
                + "unique in the whole book, so rename one of them (and the references to it).",
        ])
    }

    @Test func anAtSignThatIsNoReferenceIsText() throws {
        let first = "# Intro\n\nMail a@fig-x.org, mark it `@fig-loop` or @MainActor, write \\@fig-none and @author.\n"
        let page = try #require(try Self.pages(Self.chapters(first: first)).text("01-intro.html"))
        #expect(page.contains("<p>Mail <a href=\"mailto:a@fig-x.org\">a@fig-x.org</a>, mark it <code>@fig-loop</code> or "
                              + "@MainActor, write @fig-none and @author.</p>"))
    }

    @Test func aLabelledStepNumbersItsChartAndHidesItsOptions() throws {
        let markdown = """
            # Depth

            ![The feedback loop](images/loop.png){#fig-loop}

            ```swift
            //| label: fig-depth
            //| fig-cap: "Accuracy by \\"depth\\""
            show(chart)
            ```

            ```swift
            //| label: tbl-scores
            //| tbl-cap: Scores
            show(table)
            ```

            See @fig-depth and @tbl-scores.

            """
        var chapter = ChapterDocumentTests.chapter(markdown, slug: "02-depth", number: 2, title: "Depth")
        chapter.chapter.steps[0].code = "//| label: fig-depth\n//| fig-cap: \"Accuracy by \\\"depth\\\"\"\nshow(chart)\n"
        chapter.chapter.steps[1].code = "//| label: tbl-scores\n//| tbl-cap: Scores\nshow(table)\n"
        let chart = ChartSpec(title: "Depth sweep", kind: .bar(categories: ["2", "4"], series: [BarSeries(name: "", values: [0.8, 0.9])]))
        chapter.result.steps[0].outputs = [.record(.chart(chart))]
        chapter.result.steps[1].outputs = [.record(.table(TableSpec(columns: ["a"], rows: [["1"]])))]
        let files = try ChapterDocumentTests.render([chapter], assets: Self.assets)
        let page = try #require(files.text("02-depth.html"))
        #expect(page.contains("<figure class=\"chart\" id=\"fig-depth\">\n<figcaption>Figure 2.2: Accuracy by &quot;depth&quot;</figcaption>"))
        #expect(page.contains("<figure class=\"table-figure\" id=\"tbl-scores\">\n<figcaption>Table 2.1: Scores</figcaption>\n<div class=\"table-wrap\"><table class=\"data\">"))
        #expect(page.contains(##"See <a class="xref" href="#fig-depth">Figure 2.2</a> and <a class="xref" href="#tbl-scores">Table 2.1</a>."##))
        #expect(!page.contains("//|"), "the options are not shown")
        #expect(page.contains("show"))
        #expect(try #require(files.text("search-index.js")).contains("Figure 2.2: Accuracy by \\\"depth\\\" Table 2.1: Scores"))
    }

    @Test func aStepOptionItDoesNotKnowIsAnError() {
        let markdown = "# Depth\n\n- item\n\n  ```swift\n  //| label: fig-depth\n  //| fig-cp: \"Depth\"\n  show(chart)\n  ```\n"
        var chapter = ChapterDocumentTests.chapter(markdown, slug: "02-depth", number: 2, title: "Depth")
        chapter.chapter.steps = [Step(index: 1, line: 5, code: "//| label: fig-depth\n//| fig-cp: \"Depth\"\nshow(chart)\n", flags: StepFlags())]
        chapter.chapter.steps[0].indent = 2
        chapter.result = ChapterResult(steps: [StepResult(index: 1)])
        #expect(ChapterDocumentTests.problems([chapter]) == [
            "Content/02-depth.md:6:3: the step is labelled fig-depth, but it shows no chart; show one (show(…)) in this "
                + "step, or remove the label.",
            "Content/02-depth.md:7:3: unknown step option 'fig-cp'; the options are label, fig-cap, tbl-cap, as in "
                + "'//| label: fig-accuracy' and '//| fig-cap: \"Accuracy by depth\"'.",
        ])
    }

    /// A page that refers to another chapter's figure is rendered again when that figure's number changes;
    /// pages that refer to nothing that changed come from the cache.
    @Test func aReferenceIsRenderedAgainWhenItsTargetsNumberChanges() throws {
        let cache = PageCacheTests.Memory()
        let third = ChapterDocumentTests.chapter("# Other\n\nNothing to see.\n", slug: "04-other", number: 4, title: "Other")
        let renderer = SiteRenderer(book: ChapterDocumentTests.info)
        _ = try renderer.render(Self.chapters() + [third], assets: Self.assets, pageCache: cache)
        #expect(cache.counts() == (3, 0, 3))
        // A new figure before fig-forest: it becomes Figure 3.3.
        let moved = Self.loop.replacingOccurrences(of: "Some text.", with: "![New](images/loop.png){#fig-new}")
        let files = try renderer.render(Self.chapters(loop: moved) + [third], assets: Self.assets, pageCache: cache)
        #expect(cache.counts() == (3, 1, 2), "the intro and the loop are rendered again; the other chapter is not")
        #expect(try #require(files.text("01-intro.html")).contains(##"<a class="xref" href="03-loop.html#fig-forest">Figure 3.3</a>"##))
        #expect(files == (try Self.pages(Self.chapters(loop: moved) + [third])), "the same bytes as without a cache")
    }

    @Test func theReferencedLabelsAreInThePageKey() {
        let site = PageKey.Site(book: ChapterDocumentTests.info, chapterFiles: [:], assets: [])
        let chapter = Self.chapters()[0]
        let keys = Set([[:], ["fig-forest": "-"], ["fig-forest": "fig\n3.2\nA forest\n03-loop\nfalse"],
                        ["fig-forest": "fig\n3.3\nA forest\n03-loop\nfalse"]].map {
            PageKey.key(site: site, chapter: chapter, previous: nil, next: nil, references: $0)
        })
        #expect(keys.count == 4)
    }
}

/// Labelled display equations carry their number; `@eq-x` says "Equation 3.1".
@Suite(.enabled(if: KaTeXInstalled.value, "needs node, libjs-katex and fonts-katex"))
struct EquationReferenceTests {
    @Test func aLabelledEquationIsNumberedAndReferenced() throws {
        let markdown = "# Loss\n\n$$ a + b $$ {#eq-sum}\n\nBy @eq-sum, and $$ c $$ is not numbered.\n"
        let files = try ChapterDocumentTests.render([ChapterDocumentTests.chapter(markdown, slug: "03-loss", number: 3, title: "Loss")])
        let page = try #require(files.text("03-loss.html"))
        #expect(page.contains(##"<p><span class="equation" id="eq-sum"><span class="katex-display">"##))
        #expect(page.contains(##"<annotation encoding="application/x-tex">a + b \tag{3.1}</annotation>"##))
        #expect(page.contains("<span class=\"tag\">"), "KaTeX draws the number")
        #expect(page.contains("(3.1)"))
        #expect(page.contains(##"By <a class="xref" href="#eq-sum">Equation 3.1</a>, and"##))
        #expect(!page.contains("{#eq-sum}"))
        #expect(page.components(separatedBy: "class=\"tag\"").count == 2, "one numbered equation")
    }
}
