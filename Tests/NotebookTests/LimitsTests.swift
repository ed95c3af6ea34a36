import BookModel
import Foundation
import Testing
@testable import Notebook
#if canImport(Glibc)
import Glibc
#endif

/// Front matter that is out of range, files in the content folder the build cannot use, chapter programs
/// that break their resource limits, and the hint for a forgotten `depends-on`.
@Suite struct FrontMatterRangeTests {
    func loadError(_ files: [String: String]) throws -> String {
        let project = try TestProject(files)
        defer { project.remove() }
        do {
            _ = try Notebook(projectRoot: project.root).loadBook()
        } catch let error as NotebookError {
            return error.description
        }
        Issue.record("Loading succeeded although it should have failed.")
        return ""
    }

    func chapter(_ frontMatter: String) throws -> String {
        try loadError(["Content/01-a.md": "---\ntitle: A\n\(frontMatter)\n---\n# A\n"])
    }

    @Test func aTimeoutTooLargeToRunIsAnErrorNamingTheRange() throws {
        let rule = "Content/01-a.md:3: 'timeout' must be a number of seconds from 1 to 86400 (a day), e.g. 'timeout: 120';"
        #expect(try chapter("timeout: 2e10") == "\(rule) it is '2e10'.")
        #expect(try chapter("timeout: 1e300") == "\(rule) it is '1e300'.")
        #expect(try chapter("timeout: .inf") == "\(rule) it is '.inf'.")
        #expect(try chapter("timeout: 0.5") == "\(rule) it is '0.5'.")
        #expect(try chapter("timeout: -3") == "\(rule) it is '-3'.")
        #expect(try chapter("timeout: [1]") == "\(rule) it is a list.")
        #expect(try chapter("timeout:") == "\(rule) it is empty.")
    }

    @Test func limitsAreSizesWithAUnitInTheirRange() throws {
        #expect(try chapter("memory: 4096") == "Content/01-a.md:3: 'memory' must be a size from 100 MB to 1 TB with a unit (B, KB, MB, GB, TB, or KiB, MiB, GiB, TiB), e.g. 'memory: 8GB'; it is '4096'.")
        #expect(try chapter("memory: 2PB").hasSuffix("it is '2PB'."))
        #expect(try chapter("max-file-size: 10KB").hasPrefix("Content/01-a.md:3: 'max-file-size' must be a size from 1 MB to 1 TB"))
        #expect(try chapter("max-artifacts-size: 20GB").hasPrefix("Content/01-a.md:3: 'max-artifacts-size' must be a size from 1 MB to 10 GB"))

        let project = try TestProject(["Content/01-a.md": "---\nmemory: 8 GiB\nmax-file-size: 2GB\nmax-artifacts-size: 500mb\ntimeout: 90\n---\n# A\n"])
        defer { project.remove() }
        let loaded = try #require(try Notebook(projectRoot: project.root).loadBook().chapters.first)
        #expect(loaded.limits == ChapterLimits(memory: 8 << 30, maxFileSize: 2_000_000_000, maxArtifactsSize: 500_000_000))
        #expect(loaded.timeout == 90)
    }

    @Test func textValuesAreOneLineOfBoundedLength() throws {
        #expect(try loadError(["Content/01-a.md": "---\ntitle: \"\"\n---\n"])
            == "Content/01-a.md:2: 'title' must be one line of text of 1 to 200 characters; it is empty.")
        #expect(try loadError(["Content/01-a.md": "---\ntitle: |\n  two\n  lines\n---\n"])
            == "Content/01-a.md:2: 'title' must be one line of text of 1 to 200 characters; it spans several lines.")
        #expect(try loadError(["Content/01-a.md": "---\ntitle: \"bell\\a\"\n---\n"])
            == "Content/01-a.md:2: 'title' must be one line of text of 1 to 200 characters; it contains the control character U+0007.")
        #expect(try loadError(["Content/01-a.md": "---\nsummary: \(String(repeating: "a", count: 501))\n---\n"])
            == "Content/01-a.md:2: 'summary' must be text of 1 to 500 characters; it has 501.")
        #expect(try loadError(["Content/01-a.md": "---\ntitle: [a, b]\n---\n"]) == "Content/01-a.md:2: 'title' must be text, not a list.")
        #expect(try loadError(["Content/01-a.md": "---\ntitle: {{ rounds }}\n---\n"]).hasPrefix(
            "Content/01-a.md:2: 'title' must be text, not a mapping (YAML reads a value that starts with { as a mapping: put it in quotes, e.g. title: \"{{ key }} and more\")"))
    }

    @Test func aKeyGivenTwiceIsAnError() throws {
        #expect(try chapter("timeout: 5\ntimeout: 10")
            == "Content/01-a.md:4: 'timeout' is given twice (lines 3 and 4); keep one of them.")
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/02-b.md": "---\ndepends-on: [01-a, 01-a.md]\n---\n"])
            == "Content/02-b.md:2: 'depends-on' names '01-a' twice; list each chapter once.")
    }

    @Test func bookFileValuesAreChecked() throws {
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/book.yml": "title: A\nauthor: \"\"\n"])
            == "Content/book.yml:2: 'author' must be one line of text of 1 to 200 characters; it is empty.")
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/book.yml": "subtitle: S\ndescription: D\n"])
            == "Content/book.yml:2: 'subtitle' and 'description' are the same setting; keep one of them.")
        #expect(try loadError(["Content/01-a.md": "# A\n", "Content/book.yml": "title: A\ntitle: B\n"])
            == "Content/book.yml:2: 'title' is given twice (lines 1 and 2); keep one of them.")
    }

    @Test func aChapterThatDependsOnItselfIsToldSo() throws {
        let error = try loadError(["Content/01-intro.md": "---\ndepends-on: 01-intro\n---\n# Intro\n"])
        #expect(error == "Content/01-intro.md:2: a chapter cannot depend on itself; remove '01-intro' from depends-on.")
        #expect(NotebookError.selfDependency(path: "Content/01-intro.md", line: 2, slug: "01-intro").diagnostic?.description
            == "error: Content/01-intro.md:2: a chapter cannot depend on itself; remove '01-intro' from depends-on.")
    }

    @Test func byteSizesReadAndPrintAsWritten() {
        #expect(ByteSize.parse("4GB") == 4_000_000_000)
        #expect(ByteSize.parse(" 1.5 gib") == 1_610_612_736)
        #expect(ByteSize.parse("12") == nil)
        #expect(ByteSize.parse("GB") == nil)
        #expect(ByteSize.format(4_000_000_000) == "4 GB")
        #expect(ByteSize.format(1 << 30) == "1 GiB")
        #expect(ByteSize.format(1_500_000) == "1.5 MB")
        #expect(ByteSize.format(300) == "300 bytes")
    }
}

/// Files in the content folder that are not regular files: never opened, always a located error.
@Suite struct SpecialFileTests {
    func project(_ files: [String: String] = ["Content/01-a.md": "# A\n\n```swift\nprint(1)\n```\n", "Content/data/t.csv": "a\n1\n"]) throws -> TestProject {
        try TestProject(files)
    }

    func runError(_ project: TestProject) async throws -> String {
        do {
            _ = try await project.run()
        } catch let error as NotebookError {
            return error.description
        }
        Issue.record("The build succeeded although it should have failed.")
        return ""
    }

    @Test(.timeLimit(.minutes(1))) func aPipeInDataIsAnErrorNotAHang() async throws {
        let project = try project()
        defer { project.remove() }
        #expect(mkfifo(project.root.appendingPathComponent("Content/data/pipe.csv").path, 0o644) == 0)
        #expect(try await runError(project)
            == "Content/data/pipe.csv: it is a named pipe (FIFO), not a regular file, and the build cannot read it; replace it with a regular file or remove it.")
    }

    @Test(.timeLimit(.minutes(1))) func aSocketInASubfolderOfDataIsAnError() async throws {
        let project = try project()
        defer { project.remove() }
        try FileManager.default.createDirectory(at: project.root.appendingPathComponent("Content/data/sub"), withIntermediateDirectories: true)
        let path = project.root.appendingPathComponent("Content/data/sub/s.sock").path
        let socketDescriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count))) }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "The temporary path is too long for a socket.")
        #expect(try await runError(project).hasPrefix("Content/data/sub/s.sock: it is a socket, not a regular file"))
    }

    @Test func linksInDataMustStayInsideTheContentFolder() async throws {
        let project = try project()
        defer { project.remove() }
        let data = project.root.appendingPathComponent("Content/data")
        try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        #expect(try await runError(project)
            == "Content/data/passwd: it is a symbolic link to '/etc/passwd', outside the content folder; a book may only use its own files, so copy the file in instead of linking to it.")

        try FileManager.default.removeItem(at: data.appendingPathComponent("passwd"))
        try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("gone.csv").path, withDestinationPath: "missing.csv")
        #expect(try await runError(project)
            == "Content/data/gone.csv: it is a symbolic link to 'missing.csv', which does not exist; point it at a file or remove it.")
    }

    @Test func aLinkInsideDataIsCopiedAsItsTarget() throws {
        let project = try project()
        defer { project.remove() }
        let data = project.root.appendingPathComponent("Content/data")
        try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("same.csv").path, withDestinationPath: "t.csv")
        let folder = try DataFolder(data, display: "Content/data", contentDirectory: project.root.appendingPathComponent("Content"))
        #expect(folder.files.map(\.name) == ["same.csv", "t.csv"])
        let copy = project.root.appendingPathComponent("copy")
        try folder.copy(to: copy)
        #expect(try String(contentsOf: copy.appendingPathComponent("same.csv"), encoding: .utf8) == "a\n1\n")
    }

    @Test func aHugeSparseDataFileIsAnErrorNotACopyPerChapter() throws {
        let project = try project()
        defer { project.remove() }
        let url = project.root.appendingPathComponent("Content/data/huge.bin")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        #expect(truncate(url.path, 3_000_000_000) == 0)
        #expect(throws: NotebookError.unusableFile(
            path: "Content/data/huge.bin",
            message: "it is 3 GB, more than the 2 GB a file here may have; make it smaller or move it out of the content folder.")) {
            try DataFolder(url.deletingLastPathComponent(), display: "Content/data", contentDirectory: project.root.appendingPathComponent("Content"))
        }
    }

    @Test(.timeLimit(.minutes(1))) func aPipeAsBookFileOrChapterIsAnError() async throws {
        let project = try project()
        defer { project.remove() }
        #expect(mkfifo(project.root.appendingPathComponent("Content/book.yml").path, 0o644) == 0)
        #expect(try await runError(project)
            == "Content/book.yml: it is a named pipe (FIFO), not a regular file, and the build cannot read it; replace it with a regular file or remove it.")
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("Content/book.yml"))
        #expect(mkfifo(project.root.appendingPathComponent("Content/02-b.md").path, 0o644) == 0)
        #expect(try await runError(project).hasPrefix("Content/02-b.md: it is a named pipe (FIFO)"))
    }

    @Test func aHugeChapterFileIsAnError() async throws {
        let project = try project()
        defer { project.remove() }
        let url = project.root.appendingPathComponent("Content/02-big.md")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        #expect(truncate(url.path, 50_000_000) == 0)
        #expect(try await runError(project)
            == "Content/02-big.md: it is 50 MB, more than the 10 MB a file here may have; make it smaller or move it out of the content folder.")
    }
}

/// Chapter programs that break a resource limit fail with a message naming it and the key to raise it.
@Suite(.serialized) struct ResourceLimitTests {
    @Test(.timeLimit(.minutes(2))) func aChapterUsingTooMuchMemoryIsStopped() async throws {
        let code = """
            ---
            memory: 200MB
            ---
            # Memory

            ```swift
            var rows: [[Double]] = []
            while true { rows.append([Double](repeating: 1, count: 1 << 16)) }
            ```
            """
        let project = try TestProject(["Content/01-memory.md": code])
        defer { project.remove() }
        let report = try await project.run()
        let failure = try #require(try report.chapter("01-memory").result.steps[0].failure)
        #expect(failure.line == 7)
        #expect(failure.message == "the chapter program used more than 200 MB of memory, its limit, and was stopped while step 1 was running; raise 'memory' in the front matter if it needs more, e.g. 'memory: 400MB'.")
    }

    @Test(.timeLimit(.minutes(2))) func oneHugeAllocationNamesTheMemoryLimit() async throws {
        let code = """
            ---
            memory: 100MB
            ---
            ```swift
            let big = [UInt8](repeating: 0, count: 9_000_000_000)
            print(big.count)
            ```
            """
        let project = try TestProject(["Content/01-huge.md": code])
        defer { project.remove() }
        let report = try await project.run()
        let failure = try #require(try report.chapter("01-huge").result.steps[0].failure)
        #expect(failure.message == "the chapter program ran out of memory while step 1 was running (failed to allocate 9000000032 bytes of memory with alignment 8); its limit is 100 MB: raise 'memory' in the front matter if it needs more, e.g. 'memory: 200MB'.")
    }

    @Test(.timeLimit(.minutes(2))) func aFileLargerThanTheLimitStopsTheProgram() async throws {
        let code = """
            ---
            max-file-size: 1MB
            ---
            ```swift
            import Foundation
            print("writing")
            try Data(count: 2_000_000).write(to: URL(fileURLWithPath: "big.bin"))
            ```
            """
        let project = try TestProject(["Content/01-file.md": code])
        defer { project.remove() }
        let report = try await project.run()
        let chapter = try report.chapter("01-file")
        let failure = try #require(chapter.result.steps[0].failure)
        #expect(failure.message == "the chapter program tried to write a file larger than 1 MB, its limit, while step 1 was running; write less, or raise 'max-file-size' in the front matter, e.g. 'max-file-size: 2MB'.")
        #expect(chapter.text(ofStep: 1) == "writing\n")
    }

    @Test(.timeLimit(.minutes(2))) func scratchFilesStayOutAndTooManyBytesAreAnError() async throws {
        let code = """
            ---
            max-artifacts-size: 1MB
            ---
            ```swift
            import Foundation
            try FileManager.default.createDirectory(atPath: "tmp", withIntermediateDirectories: true)
            try Data(count: 3_000_000).write(to: URL(fileURLWithPath: "tmp/scratch.bin"))
            try "a,b\\n".write(toFile: "kept.csv", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: "passwd", withDestinationPath: "/etc/passwd")
            ```

            ```swift
            try Data(count: 1_500_000).write(to: URL(fileURLWithPath: "left.bin"))
            ```
            """
        let project = try TestProject(["Content/01-files.md": code])
        defer { project.remove() }
        let report = try await project.run()
        let chapter = try report.chapter("01-files")
        let failure = try #require(chapter.result.steps[1].failure)
        #expect(failure.line == 13, "the line that names the largest file")
        #expect(failure.message == "the chapter left 1.5 MB of files in its folder ('left.bin' is 1.5 MB), more than the 1 MB it may publish; write scratch files under tmp/ (never published) or delete them, or raise 'max-artifacts-size' in the front matter, e.g. 'max-artifacts-size: 3MB'.")

        try project.edit("Content/01-files.md", replacing: "try Data(count: 1_500_000)", with: "try Data(count: 1_000)")
        let second = try await project.run()
        #expect(second.diagnostics.isEmpty, "\(second.diagnostics.map(\.description))")
        #expect(try second.chapter("01-files").result.artifacts.map(\.name) == ["kept.csv", "left.bin"],
                "tmp/ is scratch and a link is not followed")
    }

    @Test func limitsAreSetBeforeTheProgramRuns() throws {
        let limits = SpawnLimits(memory: 500_000_000, fileSize: 3_000_000)
        let (termination, out, _) = try captureLimited(limits, "ulimit -f; ulimit -c; ulimit -v")
        #expect(termination == .exited(0))
        // sh prints the file size in 512- or 1024-byte blocks depending on the shell; the others in KiB and blocks.
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(["5859", "2929"].contains(lines.first), "\(lines)")
        #expect(lines.dropFirst().first == "0")
        #expect(lines.last == "\((500_000_000 + 4_000_000_000) / 1024)")
    }

    private func captureLimited(_ limits: SpawnLimits, _ script: String) throws -> (ProcessRunner.Termination, [UInt8], [UInt8]) {
        var out: [UInt8] = [], err: [UInt8] = []
        let termination = try ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"], directory: "/",
            timeout: 30, limits: limits,
            onStdout: { out.append(contentsOf: $0.bindMemory(to: UInt8.self)) },
            onStderr: { err.append(contentsOf: $0.bindMemory(to: UInt8.self)) })
        return (termination, out, err)
    }
}

/// A chapter that reads a file another chapter writes, without depending on it, is told which one.
@Suite(.serialized) struct DependencyHintTests {
    @Test(.timeLimit(.minutes(2))) func aMissingFileNamesTheChapterThatWritesIt() async throws {
        let project = try TestProject([
            "Content/03-the-data.md": """
                # Data

                ```swift
                try "x\\n1\\n".write(toFile: "sample_data.csv", atomically: true, encoding: .utf8)
                offer("sample_data.csv")
                ```
                """,
            "Content/04-model.md": """
                # Model

                ```swift
                import Foundation
                let text = try String(contentsOfFile: "sample_data.csv", encoding: .utf8)
                ```
                """,
        ])
        defer { project.remove() }
        let report = try await project.run { $0.keepGoing = true }
        let diagnostic = try #require(report.diagnostics.first)
        #expect(diagnostic.file == "Content/04-model.md")
        #expect(diagnostic.message.hasSuffix(" Chapter 03-the-data writes 'sample_data.csv', but only the files of the chapters in depends-on are copied in; add 'depends-on: [03-the-data]' to this chapter's front matter."),
                "\(diagnostic.message)")
    }

    @Test func theHintNeedsAMissingFileAndTheWholeName() {
        let chapter = Chapter(path: "Content/05-b.md", slug: "05-b", number: 5, title: "B", blocks: [], dependsOn: ["02-a"])
        let written: [String: Set<String>] = ["03-data": ["sample_data.csv"], "05-b": ["own.csv"]]
        func hint(_ message: String) -> String {
            DependencyHintTests.hint(Diagnostic(file: chapter.path, line: 4, message: message), chapter, written)
        }
        #expect(hint("step 1 failed: sample_data.csv could not be read: there is no such file.").hasSuffix("add 'depends-on: [02-a, 03-data]' to this chapter's front matter."))
        #expect(hint("step 1 failed: old_sample_data.csv could not be read: there is no such file.") == "step 1 failed: old_sample_data.csv could not be read: there is no such file.")
        #expect(hint("step 1 failed: sample_data.csv has 3 columns, not 4.") == "step 1 failed: sample_data.csv has 3 columns, not 4.")
        #expect(hint("step 1 failed: own.csv: no such file.") == "step 1 failed: own.csv: no such file.")
    }

    static func hint(_ diagnostic: Diagnostic, _ chapter: Chapter, _ written: [String: Set<String>]) -> String {
        BuildDriver.addingDependencyHint(to: diagnostic, chapter: chapter, written: written).message
    }
}
