import BookModel
import Testing
@testable import SiteKit

/// Internal links and anchors in a rendered site.
@Suite struct LinkCheckerTests {
    @Test func fixtureBookHasNoBrokenLinks() throws {
        let files = try SiteRenderer(book: FixtureBook.info).render(FixtureBook.chapters)
        #expect(LinkChecker.problems(in: files) == [])
    }

    @Test func reportsMissingPagesAndAnchors() {
        var files = SiteFiles()
        files.set("a.html", text: ##"<h2 id="x">X</h2><a href="b.html">b</a><a href="a.html#x">ok</a><a href="#y">y</a>"##
            + ##"<a href="https://example.com/">ext</a><a href="mailto:a@b.c">mail</a><a href="c.html#z">c</a>"##
            + ##"<a href="files/one%20two.csv">file</a>"##)
        files.set("c.html", text: #"<p id="w">"#)
        files.set("files/one two.csv", text: "1")
        #expect(LinkChecker.problems(in: files).map(\.description) == [
            "a.html: the link 'b.html' points to 'b.html', which the site does not have.",
            "a.html: the link '#y' points to the anchor '#y', which 'a.html' does not have.",
            "a.html: the link 'c.html#z' points to the anchor '#z', which 'c.html' does not have.",
        ])
    }

    /// Images and other embedded files count as links: a missing picture is a problem, a present one is not.
    @Test func reportsMissingImages() {
        var files = SiteFiles()
        files.set("a.html", text: ##"<img src="images/loop.png" alt=""><img src="data/diagram.png" alt=""><img src="https://example.com/x.png" alt="">"##)
        files.set("images/loop.png", text: "png")
        #expect(LinkChecker.problems(in: files).map(\.description) == [
            "a.html: the link 'data/diagram.png' points to 'data/diagram.png', which the site does not have.",
        ])
    }
}
