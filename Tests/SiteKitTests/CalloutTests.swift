import Markdown
import Testing
@testable import SiteKit

/// GitHub alerts become callouts; other blockquotes stay.
@Suite struct CalloutTests {
    func render(_ markdown: String) -> String { ProseRenderer.preview(markdown).html }

    @Test(arguments: ProseRenderer.calloutKinds) func everyKind(_ kind: String) {
        let html = render("> [!\(kind.uppercased())]\n> Body text.\n")
        let title = kind.prefix(1).uppercased() + kind.dropFirst()
        #expect(html == "<div class=\"callout \(kind)\" role=\"note\">\n<p class=\"callout-title\">\(title)</p>\n<p>Body text.</p>\n</div>\n")
    }

    @Test func plainQuoteAndUnknownKindStayBlockquotes() {
        #expect(render("> Just a quote.\n") == "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n")
        #expect(render("> [!FOO]\n> Body.\n").hasPrefix("<blockquote>"))
    }

    @Test func multipleParagraphsAndNestedQuote() {
        let html = render("> [!TIP]\n> First.\n>\n> > inner\n>\n> Last.\n")
        #expect(html.hasPrefix("<div class=\"callout tip\""))
        #expect(html.contains("<blockquote>\n<p>inner</p>\n</blockquote>"))
        #expect(html.hasSuffix("<p>Last.</p>\n</div>\n"))
        #expect(!html.contains("[!TIP]"))
    }

    @Test func markerOnItsOwnParagraph() {
        let html = render("> [!CAUTION]\n>\n> Careful.\n")
        #expect(html == "<div class=\"callout caution\" role=\"note\">\n<p class=\"callout-title\">Caution</p>\n<p>Careful.</p>\n</div>\n")
    }
}
