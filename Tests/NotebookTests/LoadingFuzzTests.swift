import BookModel
import Foundation
import LoopbookTestSupport
import Testing
@testable import Notebook

/// Mutated chapters never crash the loader: each either loads or throws a `NotebookError`.
@Test func mutatedChaptersLoadOrFailCleanly() throws {
    let seedText = """
        ---
        title: Fuzz
        depends-on: [01-a]
        timeout: 5
        ---
        # Heading

        Prose with {{ key }} and `code`.

        ```swift hidden
        let a = 1
        ```

        - list
          ```swift
          nested
          ```

        ```swift expect-error
        let b: Int = "x"
        ```
        """
    let pieces = ["\r\n", "\r", "\n", "---\n", "```", "```swift ", "~~~swift\n", "hidden", "norun", ":", "[", "]", "{", "- ",
                  "\u{0}", "é", "\t", "# ", "...", "depends-on: ", "title: [", "\u{FEFF}"]
    var random = SplitMix64(state: 6)
    let project = try TestProject(["Content/01-a.md": "# A\n"])
    defer { project.remove() }
    let notebook = Notebook(projectRoot: project.root)
    for _ in 0..<400 {
        var text = Array(seedText)
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            let position = Int.random(in: 0...text.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: text.insert(contentsOf: pieces.randomElement(using: &random) ?? "", at: position)
            case 1: if position < text.count { text.remove(at: position) }
            default: text.insert(contentsOf: text[position..<min(text.count, position + 20)], at: min(text.count, position + 20))
            }
        }
        try project.write("Content/02-fuzz.md", String(text))
        do {
            let book = try notebook.loadBook()
            for chapter in book.chapters {
                for step in chapter.steps { #expect(step.line >= 1) }
            }
        } catch is NotebookError {
            // A clear error is a fine answer to a broken chapter.
        }
    }
}
