import Testing
@testable import Markdown

@Test func sourceHeadingsHaveLinesAndSkipCode() {
    let source = "Intro\n\n```bash\n# not a heading\n```\n\n# Title *here*\n\n- list\n\n## Sub\n"
    #expect(Markdown.headings(in: source) == [
        .init(level: 1, text: "Title here", line: 7),
        .init(level: 2, text: "Sub", line: 11),
    ])
}

@Test func emptySourceHasNoBlocksOrHeadings() {
    #expect(Markdown.blocks(in: "").isEmpty)
    #expect(Markdown.headings(in: "").isEmpty)
}

@Test func unclosedFenceRunsToTheEnd() {
    let blocks = Markdown.blocks(in: "```swift\nlet a = 1\n")
    #expect(blocks == [.init(kind: .fencedCode(info: "swift", code: "let a = 1\n"), startLine: 1, endLine: 2)])
}
