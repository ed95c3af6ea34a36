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

    @Test func proseRunsKeepTheirFirstLine() throws {
        let book = try load(["Content/01-a.md": "# A\n\nIntro.\n\n```swift\nlet a = 1\n```\n\nMiddle.\n\n```bash\nls\n```\n\n```swift\nprint(a)\n```\n"])
        let blocks = book.chapters[0].blocks
        #expect(blocks.count == 4)
        #expect(blocks[0] == .prose(markdown: "# A\n\nIntro.", line: 1))
        #expect(blocks[2] == .prose(markdown: "Middle.\n\n```bash\nls\n```", line: 9))
        guard case let .step(step) = blocks[3] else { Issue.record("The last block is not a step."); return }
        #expect(step.index == 2 && step.line == 15 && step.code == "print(a)\n")
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
        #expect(message == "Content/03-data.md:3: unknown step flag 'hiden'; expected one of hidden, norun, hide-output, expect-error.")
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
            == "Content/book.yml:2: unknown key 'authr' in book.yml; expected one of title, subtitle, description, author.")
    }

    @Test func stepsInsideListsStayProse() throws {
        let book = try load(["Content/01-a.md": "- item\n\n  ```swift\n  let nested = 1\n  ```\n"])
        #expect(book.chapters[0].steps.isEmpty)
    }
}
