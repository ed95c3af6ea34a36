import BookModel
import Testing
@testable import SiteKit

/// `fold` / `unfold` and book.yml's `code-fold`: the code collapsed under "Show code", the output shown.
@Suite struct CodeFoldTests {
    static func page(flags: [StepFlags], codeFold: Bool = false) throws -> String {
        var executed = ChapterDocumentTests.chapter(
            "# Results\n\n" + flags.indices.map { "```swift\nprint(\($0 + 1))\n```\n" }.joined(separator: "\n"),
            outputs: Dictionary(uniqueKeysWithValues: flags.indices.map { ($0 + 1, "out \($0 + 1)") }))
        for (index, flag) in flags.enumerated() {
            executed.chapter.steps[index].flags = flag
            executed.chapter.steps[index].code = "print(\(index + 1))\n"
        }
        let files = try SiteRenderer(book: BookInfo(title: "Course", codeFold: codeFold)).render([executed])
        return try #require(files.text("01-results.html"))
    }

    static let summary = #"<details class="fold"><summary>Show code</summary>"# + "\n" + #"<div class="code-block">"#

    @Test func aFoldedStepShowsItsCodeUnderShowCodeAndItsOutputOpen() throws {
        let page = try Self.page(flags: [StepFlags(fold: true), StepFlags()])
        #expect(page.components(separatedBy: Self.summary).count == 2, "only the folded step is folded")
        // The output stays outside the <details>, so it is visible while the code is collapsed.
        #expect(page.contains("</details>\n" + #"<div class="outputs">"#))
        #expect(page.contains(">out 1</pre>") && page.contains(">out 2</pre>"))
        let step1 = try #require(page.range(of: #"<div class="step" id="step-1">"#))
        let step2 = try #require(page.range(of: #"<div class="step" id="step-2">"#))
        #expect(page[step1.upperBound..<step2.lowerBound].contains("<details class=\"fold\">"))
        #expect(!page[step2.upperBound...].contains("<details"))
    }

    @Test func theBookWideDefaultFoldsEveryStepButThoseThatSayUnfold() throws {
        let page = try Self.page(flags: [StepFlags(), StepFlags(fold: false), StepFlags(norun: true), StepFlags(hidden: true)],
                                 codeFold: true)
        #expect(page.components(separatedBy: Self.summary).count == 3, "steps 1 and 3 are folded; 2 says unfold; 4 is hidden")
        #expect(!page.contains("print(4)"), "a hidden step shows no code, folded or not")
        #expect(try Self.page(flags: [StepFlags()]).contains("<details") == false, "no folding by default")
    }
}
