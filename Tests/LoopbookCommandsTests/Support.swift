import Foundation
import LoopbookBuild
import LoopbookCommands
import LoopbookTestSupport
import Testing

/// A throwaway project folder (a ``TemporaryFolder``), removed by `remove()`.
struct TemporaryProject {
    let root: URL

    /// An empty project.
    init() throws {
        root = try TemporaryFolder(prefix: "loopbook-cmd").root
    }

    /// A copy of `source` (a fixture folder or a built project).
    init(copying source: URL) throws {
        root = try TemporaryFolder(prefix: "loopbook-cmd", copyingContentsOf: source).root
        // swiftc's module cache records its absolute path; a moved copy would fail with
        // "was compiled with module cache path ...". Results stay cached; only the module cache is rebuilt.
        try? FileManager.default.removeItem(at: root.appendingPathComponent(".loopbook/cache/module-cache"))
    }

    var folder: TemporaryFolder { TemporaryFolder(existing: root) }
    var content: URL { root.appendingPathComponent("Content") }
    var site: URL { root.appendingPathComponent("Site") }

    func remove() { folder.remove() }

    /// Every file under Site/ with its bytes, to prove a failed command left it alone.
    func siteSnapshot() -> [String: Data] { folder.files(under: "Site") }

    func edit(_ chapter: String, _ transform: (String) -> String) throws {
        let path = "Content/" + chapter
        try folder.write(path, transform(try folder.read(path)))
    }
}

enum Fixtures {
    /// The two-chapter fixture book (Content/ only).
    static func book() throws -> URL {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/book")
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("Content/01-basics.md").path))
        return url
    }

    /// The fixture book built once per test run (Content/, Site/ and .loopbook/ with a warm cache), and
    /// what the cold build printed. Tests copy it, so each works in its own folder.
    static let built = Task<(project: URL, stderr: String), any Error> {
        let project = try TemporaryProject(copying: try book())
        let captured = CapturedConsole()
        let command = try BuildCommand.parse(["--root", project.root.path])
        try await command.perform(console: captured.console)
        return (project.root, captured.stderr)
    }

    /// A fresh copy of the built fixture book.
    static func builtCopy() async throws -> TemporaryProject {
        try TemporaryProject(copying: try await built.value.project)
    }
}

/// Runs a command in-process with captured output; returns the exit code (0, or that of the thrown error).
func execute<C: AsyncParsableCommandWithConsole>(_ type: C.Type, _ arguments: [String]) async -> (code: Int32, stdout: String, stderr: String) {
    let captured = CapturedConsole()
    do {
        let command = try type.parse(arguments)
        try await command.perform(console: captured.console)
        return (0, captured.stdout, captured.stderr)
    } catch {
        return (type.exitCode(for: error).rawValue, captured.stdout, captured.stderr)
    }
}

extension ServeSession {
    /// A session serving `project` on a free port, whose events `console` prints as `loopbook serve` does.
    static func printing(to console: Console, project: TemporaryProject) -> ServeSession {
        let layout = ProjectLayout(root: project.root)
        return ServeSession(layout: layout, options: .init(), host: "127.0.0.1", port: 0,
                            events: ServeCommand.printer(console: console, layout: layout, options: .init()))
    }
}
