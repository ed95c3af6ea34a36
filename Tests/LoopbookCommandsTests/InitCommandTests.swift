import Foundation
import LoopbookCommands
import LoopbookTestSupport
import Testing

@Suite("loopbook init")
struct InitCommandTests {
    /// Every file under `root` with its bytes.
    private func snapshot(_ root: URL) -> [String: Data] {
        TemporaryFolder(existing: root).files()
    }

    @Test func newBookBuildsAndShowsItsPublishedValues() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        // A folder that does not exist yet, two levels down.
        let root = project.root.appendingPathComponent("courses/my-first_book")
        let result = await execute(InitCommand.self, [root.path])
        #expect(result.code == 0, "\(result.stderr)")
        for file in BookTemplate.files {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
            #expect(result.stdout.contains("  " + file + "\n"), "\(file)")
        }
        #expect(result.stdout.contains("Next: cd \(root.path) && loopbook build"))
        let yaml = try String(contentsOf: root.appendingPathComponent("Content/book.yml"), encoding: .utf8)
        #expect(yaml.contains("title: \"My first book\"\n"))
        // Every key book.yml accepts is there, set or explained in a comment.
        for key in ["title", "subtitle", "description", "author", "language", "logo", "repository", "edit-url", "site-url", "code-fold", "print"] {
            #expect(yaml.contains("\(key):") || yaml.contains("'\(key)'"), "book.yml does not mention \(key)")
        }
        let gitignore = try String(contentsOf: root.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(gitignore.split(separator: "\n").contains(".loopbook/"))
        // The teacher edition holds the solutions: it must never be committed by accident.
        #expect(gitignore.split(separator: "\n").contains("Site-teacher/"))
        #expect(!gitignore.split(separator: "\n").contains("Site/"))

        let captured = CapturedConsole()
        try await BuildCommand.parse(["--root", root.path]).perform(console: captured.console)
        let page = try String(contentsOf: root.appendingPathComponent("Site/01-first-chapter.html"), encoding: .utf8)
        // (72 + 85 + 91 + 64 + 79) / 5 = 78.2; the CSV's best score (91) went to 7.5 hours; 8 rows.
        #expect(page.contains("The mean score is <strong>78.2</strong>"))
        #expect(page.contains("mean score: 78.2"))
        #expect(page.contains("The file holds 8 students"))
        #expect(page.contains("studied 7.5"))
        let index = try String(contentsOf: root.appendingPathComponent("Site/index.html"), encoding: .utf8)
        #expect(index.contains("My first book"))
        #expect(index.contains("Your Name"))
    }

    @Test func initTwiceFailsAndChangesNothing() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let first = await execute(InitCommand.self, [project.root.path])
        #expect(first.code == 0)
        try Data("title: Mine\n".utf8).write(to: project.content.appendingPathComponent("book.yml"))
        let before = snapshot(project.root)
        let second = await execute(InitCommand.self, [project.root.path])
        #expect(second.code == 1)
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.hasPrefix("error: Content/book.yml already exists in \(project.root.path), and 'loopbook init' never overwrites a file; nothing was created."))
        #expect(snapshot(project.root) == before)

        // Only the last file present: still nothing is written.
        let other = try TemporaryProject()
        defer { other.remove() }
        try Data("build/\n".utf8).write(to: other.root.appendingPathComponent(".gitignore"))
        let third = await execute(InitCommand.self, [other.root.path])
        #expect(third.code == 1)
        #expect(third.stderr.contains(".gitignore already exists"))
        #expect(Array(snapshot(other.root).keys) == [".gitignore"])
        #expect(!FileManager.default.fileExists(atPath: other.content.path))
    }

    @Test func refusesAFolderThatAlreadyHoldsChapters() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        try FileManager.default.createDirectory(at: project.content, withIntermediateDirectories: true)
        try Data("# Intro\n".utf8).write(to: project.content.appendingPathComponent("03-intro.md"))
        let result = await execute(InitCommand.self, [project.root.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("already holds a book (Content/03-intro.md)"))
        #expect(Array(snapshot(project.root).keys) == ["Content/03-intro.md"])
    }

    @Test func leavesUnrelatedFilesAlone() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        try Data("notes\n".utf8).write(to: project.root.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: project.content.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Data("png".utf8).write(to: project.content.appendingPathComponent("images/logo.png"))
        let result = await execute(InitCommand.self, [project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let files = snapshot(project.root)
        #expect(files["notes.txt"] == Data("notes\n".utf8))
        #expect(files["Content/images/logo.png"] == Data("png".utf8))
        #expect(Set(files.keys) == Set(BookTemplate.files + ["notes.txt", "Content/images/logo.png"]))
    }

    @Test func aFileIsNotAFolder() async throws {
        let project = try TemporaryProject()
        defer { project.remove() }
        let file = project.root.appendingPathComponent("book")
        try Data("x".utf8).write(to: file)
        let result = await execute(InitCommand.self, [file.path])
        #expect(result.code == 1)
        #expect(result.stderr.contains("is a file, not a folder"))
    }

    @Test func titlesFromFolderNames() {
        #expect(BookTemplate.title(forFolderNamed: "my-first_book") == "My first book")
        #expect(BookTemplate.title(forFolderNamed: "--") == "My book")
        #expect(BookTemplate.title(forFolderNamed: "ML 2026") == "ML 2026")
    }
}
