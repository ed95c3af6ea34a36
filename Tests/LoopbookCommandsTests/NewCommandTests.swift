import BookModel
import Foundation
import LoopbookCommands
import Notebook
import Testing

@Suite("loopbook new")
struct NewCommandTests {
    @Test(arguments: [
        ("Measuring drift", "measuring-drift"), ("  When the World Changes! ", "when-the-world-changes"),
        ("Übung 2: Bäume", "ubung-2-baume"), ("Émoji 🎉: a \"quoted\" #title", "emoji-a-quoted-title"), ("A/B tests & more", "a-b-tests-more"),
    ])
    func slugs(title: String, slug: String) {
        #expect(ChapterTemplate.slug(for: title) == slug)
    }

    @Test func numbersFollowTheHighestChapter() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let first = await execute(NewCommand.self, ["--root", project.root.path, "Getting started"])
        #expect(first.code == 0)
        #expect(first.stdout == "Content/01-getting-started.md\n")
        try Data("# x\n".utf8).write(to: project.content.appendingPathComponent("07-later.md"))
        let second = await execute(NewCommand.self, ["--root", project.root.path, "Next steps"])
        #expect(second.stdout == "Content/08-next-steps.md\n")
    }

    @Test func skeletonIsAValidChapter() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let file = try ChapterTemplate.create(title: "Measuring \"drift\"", in: project.content)
        let book = try Notebook(projectRoot: project.root).loadBook()
        let chapter = try #require(book.chapters.first)
        #expect(file.lastPathComponent == "01-measuring-drift.md")
        #expect(chapter.title == "Measuring \"drift\"")
        #expect(chapter.steps.count == 1)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("What you will learn"))
        #expect(text.contains("## Try it"))
    }

    @Test func refusesToOverwrite() throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let file = try ChapterTemplate.create(title: "Hello", in: project.content, number: 1)
        try Data("mine\n".utf8).write(to: file)
        #expect(throws: NewChapterError.exists(path: file.path)) {
            try ChapterTemplate.create(title: "Hello", in: project.content, number: 1)
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "mine\n")
    }

    @Test func titleWithoutLettersIsAnError() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let result = await execute(NewCommand.self, ["--root", project.root.path, "!!!"])
        #expect(result.code == 1)
        #expect(result.stderr.hasPrefix("error: The title '!!!' has no letters or digits"))
    }
}
