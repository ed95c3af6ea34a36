import BookModel
import Foundation
import Testing
@testable import Notebook

/// Reading Content/: file names, front matter, steps and flags, and the errors at file:line.
@Suite struct LoadingTests {
    func load(_ files: [String: String]) throws -> Book {
        let project = try TestProject(files)
        defer { project.remove() }
        return try Notebook(projectRoot: project.root).loadBook()
    }

    func loadError(_ files: [String: String]) throws -> String {
        do {
            _ = try load(files)
        } catch let error as NotebookError {
            return error.description
        }
        Issue.record("Loading succeeded although it should have failed.")
        return ""
    }

    @Test func fixtureBookLoads() throws {
        let project = try TestProject(fixture: "basic")
        defer { project.remove() }
        let book = try Notebook(projectRoot: project.root).loadBook()
        #expect(book.title == "Fixture Book")
        #expect(book.author == "Loopbook")
        #expect(book.chapters.map(\.slug) == ["01-data", "02-model"])
        let data = book.chapters[0]
        #expect(data.title == "The data")
        #expect(data.summary == "Reads the numbers and writes a sample.")
        #expect(data.path == "Content/01-data.md")
        #expect(data.steps.map(\.flags) == [
            StepFlags(hidden: true), StepFlags(), StepFlags(hideOutput: true), StepFlags(norun: true),
            StepFlags(expectError: true), StepFlags(expectError: true),
        ])
        #expect(data.steps[1].line == 13)
        #expect(data.steps[1].code.hasPrefix("let text = try String"))
        #expect(book.chapters[1].dependsOn == ["01-data"])
        #expect(book.chapters[1].timeout == 30)
        #expect(book.chapters[1].title == "The model")
    }

    @Test func theChapterIsOneDocumentWithFileLines() throws {
        let text = "---\ntitle: A\n---\n# A\n\n```swift\nlet a = 1\n```\n\n```bash\nls\n```\n\n```swift\nprint(a)\n```\n"
        let chapter = try load(["Content/01-a.md": text]).chapters[0]
        #expect(chapter.markdown == "\n\n\n" + text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).joined(separator: "\n"))
        #expect(chapter.steps.map(\.line) == [6, 14])
        #expect(chapter.steps.map(\.code) == ["let a = 1\n", "print(a)\n"])
    }

    @Test func stepsAreFoundInListsQuotesAndHTMLBlocks() throws {
        let text = """
            1. Load:

               ```swift
               print("loaded", 3)
               ```

            > ```swift
            > print("quoted")
            > ```

            <details>

            ```swift hidden
            print("folded")
            ```

            </details>
            """
        let chapter = try load(["Content/01-a.md": text]).chapters[0]
        #expect(chapter.steps.map(\.line) == [3, 7, 13])
        #expect(chapter.steps.map(\.indent) == [3, 2, 0])
        #expect(chapter.steps.map(\.code) == ["print(\"loaded\", 3)\n", "print(\"quoted\")\n", "print(\"folded\")\n"])
        #expect(chapter.steps[2].flags == StepFlags(hidden: true))
    }

    @Test func aByteOrderMarkAndAnEmptyFrontMatterAreFine() throws {
        let bom = try load(["Content/01-a.md": "\u{FEFF}---\r\ntitle: Saved with a BOM\r\nsummary: An editor added it.\r\n---\r\n# Body heading\r\n"])
        #expect(bom.chapters[0].title == "Saved with a BOM")
        #expect(bom.chapters[0].summary == "An editor added it.")
        #expect(!bom.chapters[0].markdown.contains("title:"))
        let empty = try load(["Content/01-a.md": "---\n---\n# Heading\n"])
        #expect(empty.chapters[0].title == "Heading")
        #expect(empty.chapters[0].titleLine == 3)
    }

    @Test(arguments: [("```Swift", 1), ("```swift,hidden", 1), ("```{swift}", 1), ("- ```SWIFT", 3)])
    func fencesThatLookLikeStepsAreErrors(fence: String, column: Int) throws {
        do {
            _ = try load(["Content/01-a.md": "# A\n\n\(fence)\nlet x = 1\n```\n"])
            Issue.record("\(fence) was accepted")
        } catch let error as NotebookError {
            let info = fence.replacingOccurrences(of: "- ", with: "").dropFirst(3)
            #expect(error.description == "Content/01-a.md:3:\(column): the code block '```\(info)' looks like a step but is not one: a step starts with '```swift' in lower case, then optional flags separated by spaces (hidden, norun, hide-output, expect-error, fold, unfold, exercise, check, solution), e.g. '```swift hidden'. Write it that way to run it, or name another language to only show it.")
        }
        // Other languages are only shown.
        #expect(try load(["Content/01-a.md": "```swiftui\nText()\n```\n```python\nx = 1\n```\n"]).chapters[0].steps.isEmpty)
    }

    @Test func windowsLineEndingsKeepLineNumbers() throws {
        let book = try load(["Content/01-a.md": "---\r\ntitle: T\r\n---\r\n# A\r\n\r\n```swift\r\nlet a = 1\r\n```\r\n"])
        #expect(book.chapters[0].title == "T")
        #expect(book.chapters[0].steps.map(\.line) == [6])
        #expect(book.chapters[0].steps.first?.code == "let a = 1\n")
    }

    @Test func chaptersAreOrderedByNumber() throws {
        let book = try load(["Content/10-late.md": "# Late\n", "Content/2-early.md": "# Early\n", "Content/README.md": "notes",
                             "Content/data/x.csv": "a\n"])
        #expect(book.chapters.map(\.slug) == ["2-early", "10-late"])
        #expect(book.chapters.map(\.title) == ["Early", "Late"])
    }

    @Test func titleFallsBackToSlug() throws {
        #expect(try load(["Content/01-plain.md": "Just prose.\n"]).chapters[0].title == "01-plain")
    }

    @Test func unknownStepFlagIsAnErrorAtItsLine() throws {
        let message = try loadError(["Content/03-data.md": "# D\n\n```swift hiden\nlet a = 1\n```\n"])
        #expect(message == "Content/03-data.md:3: unknown step flag 'hiden'; expected one of hidden, norun, hide-output, expect-error, fold, unfold, exercise, check, solution.")
    }

    @Test func conflictingFlagsAreAnError() throws {
        let message = try loadError(["Content/01-a.md": "```swift norun expect-error\nx\n```\n"])
        #expect(message.hasPrefix("Content/01-a.md:1: a step cannot be both 'norun' and 'expect-error'"))
    }

    @Test func unknownFrontMatterKeyIsAnErrorAtItsLine() throws {
        let message = try loadError(["Content/01-a.md": "---\ntitle: A\ntimout: 5\n---\n# A\n"])
        #expect(message == "Content/01-a.md:3: unknown front matter key 'timout'; expected one of title, summary, timeout, depends-on, memory, max-file-size, max-artifacts-size.")
    }

    @Test func badYAMLIsAnErrorAtTheFileLine() throws {
        let message = try loadError(["Content/01-a.md": "---\ntitle: A\nsummary: [unclosed\n---\n# A\n"])
        #expect(message.hasPrefix("Content/01-a.md:"))
        let line = Int(message.split(separator: ":")[1]) ?? 0
        #expect((3...5).contains(line), "The YAML error should point into the front matter, not at line \(line).")
        #expect(message.contains("invalid YAML"))
    }

    @Test func badTimeoutIsAnError() throws {
        let message = try loadError(["Content/01-a.md": "---\ntimeout: soon\n---\n"])
        #expect(message.hasPrefix("Content/01-a.md:2: 'timeout' must be a number of seconds from 1 to 86400"))
    }

    @Test func unclosedFrontMatterIsAnError() throws {
        #expect(try loadError(["Content/01-a.md": "---\ntitle: A\n# A\n"]).hasPrefix("Content/01-a.md:1: the front matter"))
    }

    @Test func badFileNameIsAnErrorNamingIt() throws {
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/notes.md": "x"])
            == "Content/notes.md: a chapter file must be named NN-slug.md (a number, a dash, lower-case letters, digits and dashes), e.g. 03-data.md.")
        #expect(try loadError(["Content/01-Big.md": "# A\n"]).hasPrefix("Content/01-Big.md: a chapter file"))
    }

    @Test func duplicateNumbersAreAnError() throws {
        #expect(try loadError(["Content/01-a.md": "", "Content/01-b.md": ""])
            == "Content/01-b.md: its number is already used by Content/01-a.md; give each chapter its own number.")
    }

    @Test func nonUTF8ChapterIsAnError() throws {
        let project = try TestProject(["Content/01-a.md": "# A\n"])
        defer { project.remove() }
        try Data([0x23, 0x20, 0xFF, 0xFE, 0x0A]).write(to: project.root.appendingPathComponent("Content/02-latin.md"))
        #expect(throws: NotebookError.notUTF8(path: "Content/02-latin.md", line: 1, byte: 0xFF)) { try Notebook(projectRoot: project.root).loadBook() }
    }

    @Test func emptyAndMissingContentAreErrors() throws {
        let project = try TestProject(["Content/data/x.csv": "a\n"])
        defer { project.remove() }
        #expect(throws: NotebookError.contentDirectoryEmpty(path: "Content")) { try Notebook(projectRoot: project.root).loadBook() }
        let missing = Notebook(projectRoot: project.root.appendingPathComponent("nowhere"))
        #expect(throws: NotebookError.contentDirectoryMissing(path: "Content")) { try missing.loadBook() }
    }

    @Test func dependenciesMustExistAndNotCycle() throws {
        #expect(try loadError(["Content/01-a.md": "---\ndepends-on: [09-nope]\n---\n"])
            == "Content/01-a.md:2: depends-on names '09-nope', which is not a chapter of this book.")
        let cycle = try loadError(["Content/01-a.md": "---\ndepends-on: [02-b]\n---\n", "Content/02-b.md": "---\ndepends-on: [01-a]\n---\n"])
        #expect(cycle.contains("depend on each other in a circle"))
    }

    @Test func bookFileUnknownKeyIsAnError() throws {
        #expect(try loadError(["Content/01-a.md": "", "Content/book.yml": "title: T\nauthr: me\n"])
            == "Content/book.yml:2: unknown key 'authr' in book.yml; expected one of title, subtitle, description, author, language, logo, repository, edit-url, site-url, code-fold, print, downloads.")
    }

    @Test func foldFlagsAndTheBookWideDefault() throws {
        let chapter = "```swift fold\nprint(1)\n```\n```swift unfold\nprint(2)\n```\n```swift norun fold\nprint(3)\n```\n```swift\nprint(4)\n```\n"
        let book = try load(["Content/01-a.md": chapter, "Content/book.yml": "code-fold: true\n"])
        #expect(book.codeFold)
        #expect(book.chapters[0].steps.map(\.flags.fold) == [true, false, true, nil])
        #expect(book.chapters[0].steps[2].flags == StepFlags(norun: true, fold: true))
        #expect(try !load(["Content/01-a.md": chapter]).codeFold, "folding is off unless book.yml turns it on")
        #expect(try load(["Content/01-a.md": chapter, "Content/book.yml": "code-fold: false\n"]).codeFold == false)
        #expect(try loadError(["Content/01-a.md": "", "Content/book.yml": "code-fold: sometimes\n"])
            == "Content/book.yml:1: 'code-fold' must be true or false, e.g. 'code-fold: true'; it is 'sometimes'.")
        #expect(try loadError(["Content/01-a.md": "```swift fold unfold\nprint(1)\n```\n"])
            == "Content/01-a.md:1: a step cannot be both 'fold' and 'unfold'; keep one of them.")
        #expect(try loadError(["Content/01-a.md": "# A\n\n```swift hidden fold\nprint(1)\n```\n"])
            == "Content/01-a.md:3: a step cannot be both 'hidden' and 'fold': a hidden step shows no code to fold; keep one of them.")
        #expect(StepFlags(fold: true).words == ["fold"] && StepFlags(fold: false).words == ["unfold"] && StepFlags().words == [])
    }

    @Test func aFolderOfImagesIsFineAndAFolderNamedLikeAChapterIsNot() throws {
        let book = try load(["Content/01-a.md": "# A\n", "Content/images/loop.png": "png", "Content/data/rows.csv": "a\n",
                             "Content/notes.txt": "n"])
        #expect(book.assets == ["data/rows.csv", "images/loop.png", "notes.txt"])
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/02-b.md/x.png": "png"])
            == "Content/02-b.md: it is a folder, named like a chapter file; a chapter is a Markdown file, so rename the folder (e.g. to 'b') or replace it with a file.")
    }
}
