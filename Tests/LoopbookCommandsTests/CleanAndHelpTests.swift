import ArgumentParser
import Foundation
import LoopbookCommands
import LoopbookBuild
import Testing

@Suite("loopbook clean and help")
struct CleanAndHelpTests {
    @Test func cleanRemovesReportAndWithCacheTheCache() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let report = project.root.appendingPathComponent(".loopbook/last-build.json")
        let cache = project.root.appendingPathComponent(".loopbook/cache")
        #expect(FileManager.default.fileExists(atPath: report.path))
        let plain = await execute(CleanCommand.self, ["--root", project.root.path])
        #expect(plain.code == 0)
        #expect(!FileManager.default.fileExists(atPath: report.path))
        #expect(FileManager.default.fileExists(atPath: cache.path))
        let withCache = await execute(CleanCommand.self, ["--root", project.root.path, "--cache"])
        #expect(withCache.stderr.contains("Removed .loopbook/cache."))
        // Only the lock file stays: a build waiting for the lock must lock the same file as the next one.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == ["lock"])
        #expect(FileManager.default.fileExists(atPath: project.site.appendingPathComponent("index.html").path))
    }

    @Test func helpListsEverySubcommandAndOption() {
        let root = Loopbook.helpMessage(columns: 100)
        for name in ["init", "build", "serve", "check", "clean", "new", "--version"] { #expect(root.contains(name), "\(name)") }
        let build = Loopbook.helpMessage(for: BuildCommand.self, columns: 100)
        for option in ["--root", "--content", "--output", "--jobs", "--force", "--keep-going", "<chapter>"] {
            #expect(build.contains(option), "build --help lacks \(option)")
        }
        let serve = Loopbook.helpMessage(for: ServeCommand.self, columns: 100)
        for option in ["--host", "--port", "--open", "127.0.0.1"] { #expect(serve.contains(option), "serve --help lacks \(option)") }
        #expect(Loopbook.helpMessage(for: CleanCommand.self, columns: 100).contains("--cache"))
    }

    @Test func versionAndUnknownOption() throws {
        do {
            _ = try Loopbook.parseAsRoot(["--version"])
            Issue.record("--version should end parsing")
        } catch {
            #expect(Loopbook.message(for: error) == Loopbook.version)
            #expect(Loopbook.exitCode(for: error) == .success)
        }
        do {
            _ = try Loopbook.parseAsRoot(["build", "--frobnicate"])
            Issue.record("an unknown option must fail")
        } catch {
            #expect(Loopbook.exitCode(for: error).rawValue == 64)
            #expect(Loopbook.message(for: error).contains("--frobnicate"))
        }
    }
}

/// Folders are named with one trailing slash, whatever the output folder is ("//" for "/" before).
@Test func foldersAreShownWithOneSlash() {
    let root = URL(fileURLWithPath: "/work/book")
    #expect(ProjectLayout(root: root).displayFolder(URL(fileURLWithPath: "/work/book/Site")) == "Site/")
    #expect(ProjectLayout(root: root, output: URL(fileURLWithPath: "/")).displayFolder(URL(fileURLWithPath: "/")) == "/")
    #expect(ProjectLayout(root: root).displayFolder(URL(fileURLWithPath: "/tmp/out/")) == "/tmp/out/")
}
