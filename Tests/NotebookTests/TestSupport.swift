import BookModel
import Foundation
import LoopbookRuntime
import LoopbookTestSupport
import Testing
@testable import Notebook

/// A project folder in a fresh temporary directory, made from inline files or a fixture book.
struct TestProject {
    let folder: TemporaryFolder
    var root: URL { folder.root }

    /// Makes a project from `files` (paths relative to the project root, e.g. "Content/01-a.md").
    init(_ files: [String: String]) throws {
        folder = try TemporaryFolder(prefix: "loopbook-test")
        for (path, text) in files { try write(path, text) }
    }

    /// Copies the fixture book `Fixtures/<name>` into a fresh project.
    init(fixture name: String) throws {
        let source = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil),
                                  "The fixture book \(name) is missing from the test bundle.")
        folder = try TemporaryFolder(prefix: "loopbook-test", copyingContentsOf: source)
    }

    func write(_ path: String, _ text: String) throws { try folder.write(path, text) }

    func read(_ path: String) throws -> String { try folder.read(path) }

    /// Replaces the first occurrence of `old` in the file at `path`.
    func edit(_ path: String, replacing old: String, with new: String) throws {
        let text = try read(path)
        let range = try #require(text.range(of: old), "'\(old)' is not in \(path).")
        try write(path, text.replacingCharacters(in: range, with: new))
    }

    func notebook(_ configure: (inout NotebookOptions) -> Void = { _ in }) throws -> Notebook {
        var options = NotebookOptions(libraryDirectory: try TestLibrary.directory(),
                                      moduleCacheDirectory: TestLibrary.moduleCache)
        configure(&options)
        return Notebook(projectRoot: root, options: options)
    }

    /// Builds the book (all options default unless configured).
    func run(_ configure: (inout NotebookOptions) -> Void = { _ in }) async throws -> NotebookReport {
        try await notebook(configure).run()
    }

    func remove() { folder.remove() }
}

/// Where the debug-built libLoopbookKit.so is (`make test` builds it before `swift test`).
enum TestLibrary {
    /// One module cache for all tests: a cold one costs several seconds per project.
    static let moduleCache = FileManager.default.temporaryDirectory.appendingPathComponent("loopbook-tests-module-cache")

    static func directory() throws -> URL {
        var candidates: [URL] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["LOOPBOOK_LIBRARY_DIR"] {
            candidates.append(URL(fileURLWithPath: fromEnvironment))
        }
        candidates.append(Bundle.module.bundleURL.deletingLastPathComponent())
        var folder = TestPaths.folder(of: "NotebookTests")
        while folder.path != "/" {
            candidates.append(folder.appendingPathComponent(".build/debug"))
            folder = folder.deletingLastPathComponent()
        }
        if let found = candidates.first(where: RuntimeLibrary.isLibraryDirectory) { return found }
        throw LibraryMissing()
    }

    struct LibraryMissing: Error, CustomStringConvertible {
        var description: String {
            "libLoopbookKit.so was not found next to the test bundle; run 'swift build --product LoopbookKit' before 'swift test' (make test does both)."
        }
    }
}

extension ExecutedChapter {
    /// All text a step printed (stdout then stderr items, in order).
    func text(ofStep index: Int) -> String {
        result.steps[index - 1].outputs.compactMap { output -> String? in
            switch output {
            case let .stdout(text), let .stderr(text): text
            default: nil
            }
        }.joined()
    }

    func records(ofStep index: Int) -> [Record] {
        result.steps[index - 1].outputs.compactMap { if case let .record(record) = $0 { record } else { nil } }
    }
}

extension NotebookReport {
    func chapter(_ slug: String) throws -> ExecutedChapter {
        try #require(chapters.first { $0.chapter.slug == slug }, "No result for \(slug).")
    }

    func summary(_ slug: String) -> String? {
        outcomes.first { $0.slug == slug }?.summary
    }
}

