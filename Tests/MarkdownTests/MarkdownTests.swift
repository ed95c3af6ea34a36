import LoopbookTestSupport
import Testing
@testable import Markdown

@Test func findsFencedBlocksWithLines() {
    let source = "# Title\n\nSome prose.\n\n```swift hidden\nlet x = 1\n```\n\nMore.\n"
    let blocks = Markdown.blocks(in: source)
    #expect(blocks.count == 4)
    #expect(blocks[2] == .init(kind: .fencedCode(info: "swift hidden", code: "let x = 1\n"), startLine: 5, endLine: 7))
}

@Test func rendersGFMWithHeadingAnchors() {
    let rendered = Markdown.render("## Hello *world*\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~gone~~ https://example.org\n\n<script>alert(1)</script>\n")
    #expect(rendered.headings == [.init(level: 2, text: "Hello world", id: "hello-world")])
    #expect(rendered.html.contains("<h2><a class=\"anchor\" id=\"hello-world\""))
    #expect(rendered.html.contains("<table>"))
    #expect(rendered.html.contains("<del>gone</del>"))
    #expect(rendered.html.contains("<a href=\"https://example.org\">"))
    #expect(!rendered.html.contains("<script>"))
    #expect(rendered.html.contains("&lt;script>"))
}

@Test func duplicateHeadingsGetUniqueIDs() {
    let rendered = Markdown.render("# A\n\n# A\n", reservedIDs: ["a"])
    #expect(rendered.headings.map(\.id) == ["a-1", "a-2"])
}

@Test func slugsAreLowerCaseWordsJoinedByDashes() {
    #expect(Markdown.slug("Hello, World 2.0!") == "hello-world-2-0")
    #expect(Markdown.slug("  The_data -- again ") == "the-data-again")
    #expect(Markdown.slug("Über Größe") == "über-größe")
    #expect(Markdown.slug("!!!") == "section")
}

/// cmark-gfm's inline extensions share global state; documents rendered on many threads at once must all
/// keep their strikethrough and links. (On threads of their own: concurrentPerform would hold Swift's task
/// threads, which the other suites running beside this one need.)
@Test func rendersConcurrentlyWithoutLosingInlineExtensions() async {
    let threads = 8
    let failures = await onThreads(threads) { thread in
        stride(from: thread, to: 200, by: threads).filter { index in
            let html = Markdown.render("Row \(index): ~~gone~~ https://example.org/\(index)\n").html
            return !html.contains("<del>gone</del>") || !html.contains("<a href=\"https://example.org/\(index)\">")
        }.count
    }
    #expect(failures.reduce(0, +) == 0)
}
