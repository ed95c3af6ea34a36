import Foundation
import LoopbookCommands
import LoopbookTestSupport
import SiteKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Faults through the whole `loopbook build` command, on copies of the built fixture book.
///
/// Each fault must give a clear error naming the file and line (where there is one), exit non-zero, leave
/// the previous `Site/` byte-for-byte as it was, and leave the cache usable: after the input is put back,
/// the next build succeeds, takes both chapters from the cache and publishes nothing new.
@Suite("Faults")
struct FaultTests {
    // Lines of the fixture book: 01-basics.md has front matter on lines 1-4 and its first step's code on
    // lines 10-13 (`{{ total }}` on 16); 02-more.md's only step opens on line 11, `print(squares)` is line 13.

    @Test func compileError() async throws {
        let stderr = try await expectFault(in: "02-more.md", replacing: "print(squares)", with: "print(squarez)",
                                           errors: ["error: Content/02-more.md:13:7: cannot find 'squarez' in scope"])
        #expect(stderr.contains("Site/ was left as it was."), "\(stderr)")
    }

    @Test func indexOutOfRange() async throws {
        try await expectFault(in: "02-more.md", replacing: "print(squares)", with: "print(\"before\")\nprint(squares[10])",
                              errors: ["error: Content/02-more.md:14: step 1 failed: Fatal error: Index out of range"],
                              output: "before")
    }

    @Test func forceUnwrapOfNil() async throws {
        try await expectFault(in: "02-more.md", replacing: "print(squares)",
                              with: "let missing: Int? = squares.first { $0 > 100 }\nprint(missing!)",
                              errors: ["error: Content/02-more.md:14: step 1 failed: Fatal error: Unexpectedly found nil while unwrapping an Optional value"])
    }

    @Test func exitWithStatus3() async throws {
        try await expectFault(in: "02-more.md", replacing: "print(squares)", with: "print(squares)\nexit(3)",
                              errors: ["error: Content/02-more.md:12: step 1 failed: the step exited with status 3."],
                              output: "[1, 4, 9, 16]")
    }

    @Test(.timeLimit(.minutes(6))) func infiniteLoopIsStoppedWithTheChildItStarted() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("loopbook-fault-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let code = """
            print(squares)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["1000"]
            try child.run()
            try String(child.processIdentifier).write(toFile: "\(pidFile.path)", atomically: true, encoding: .utf8)
            while true { usleep(1000) }
            """
        // `timeout: 2` adds a front matter line, so the step's first code line is 13.
        try await expectFault(in: "02-more.md", replacing: "print(squares)", with: "import Foundation\n" + code,
                              also: { $0.replacingOccurrences(of: "title: More\n", with: "title: More\ntimeout: 2\n") },
                              errors: ["error: Content/02-more.md:13: step 1 failed: the chapter program did not finish within 2 seconds and was stopped while step 1 was running; raise 'timeout' in the front matter if it needs longer."],
                              output: "[1, 4, 9, 16]")
        let pid = try #require(pid_t(try String(contentsOf: pidFile, encoding: .utf8)), "the step did not record its child")
        defer { kill(pid, SIGKILL) }
        #expect(await Processes.endsSoon(pid), "the child 'sleep 1000' (pid \(pid)) outlived the timeout")
    }

    @Test(.timeLimit(.minutes(6))) func stepPrinting50MBIsTruncatedWithANote() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let original = try project.contents()
        let code = "let line = String(repeating: \"x\", count: 1023)\nfor _ in 0..<(50 * 1024) { print(line) }"
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: code) }
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        let page = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(page.contains("Output truncated: \(50 * 1024 * 1024 - (1 << 20)) more bytes were not kept."))
        #expect(page.utf8.count < 3 << 20, "the page keeps at most about 1 MB of output, not \(page.utf8.count) bytes")
        try project.restore(original)
        try await expectCleanRebuild(project, statuses: ["cached", "cached"])
    }

    @Test(.timeLimit(.minutes(6))) func childKeepingStdoutOpenNeitherHangsTheBuildNorOutlivesIt() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let pidFile = project.root.appendingPathComponent("child.pid")
        let grandchildFile = project.root.appendingPathComponent("grandchild.pid")
        let code = """
            import Foundation
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sh")
            child.arguments = ["-c", "echo child writes; sleep 1000 & echo $! > '\(grandchildFile.path)'; wait"]
            try child.run()
            try String(child.processIdentifier).write(toFile: "\(pidFile.path)", atomically: true, encoding: .utf8)
            usleep(200_000)
            print(squares)
            """
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: code) }
        let start = ContinuousClock.now
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        let elapsed = ContinuousClock.now - start
        #expect(result.code == 0, "\(result.stderr)")
        let pid = try #require(pid_t(try String(contentsOf: pidFile, encoding: .utf8)))
        defer { kill(pid, SIGKILL) }
        #expect(await Processes.endsSoon(pid), "the child (pid \(pid)) outlived the chapter program")
        let grandchild = try #require(pid_t(try String(contentsOf: grandchildFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(grandchild, SIGKILL) }
        #expect(await Processes.endsSoon(grandchild), "the child's own child (pid \(grandchild)) outlived the chapter program")
        #expect(elapsed < .seconds(60), "the build waited \(elapsed) for a pipe the child kept open")
        let page = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(page.contains("child writes"), "what the child printed before the program ended is kept")
        #expect(page.contains("[1, 4, 9, 16]"))
    }

    @Test func malformedFrontMatter() async throws {
        let stderr = try await expectFault(in: "01-basics.md", replacing: "summary: A table", with: "summary: [A table",
                                           errors: ["error: Content/01-basics.md:3: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence."])
        #expect(stderr.contains("Build failed with 1 error before any chapter ran ("), "\(stderr)")
    }

    @Test func unknownStepFlag() async throws {
        try await expectFault(in: "02-more.md", replacing: "```swift\n", with: "```swift hiden\n",
                              errors: ["error: Content/02-more.md:11: unknown step flag 'hiden'; expected one of hidden, norun, hide-output, expect-error, fold, unfold, exercise, check, solution."])
    }

    @Test func unknownPlaceholderKey() async throws {
        try await expectFault(in: "01-basics.md", replacing: "{{ total }}", with: "{{ totl }}",
                              errors: ["error: Content/01-basics.md:16:15: unknown key 'totl' in {{ totl }}; this chapter publishes: total."])
    }

    @Test func chapterThatIsNotUTF8() async throws {
        try await expectFault(errors: ["error: Content/02-more.md:7: the file is not valid UTF-8 text (byte 0xE9 here); save it as UTF-8."]) { project in
            let url = project.content.appendingPathComponent("02-more.md")
            var bytes = [UInt8](try Data(contentsOf: url))
            let back = try #require(bytes.firstRange(of: Array("Back".utf8)))
            bytes.replaceSubrange(back, with: [0x42, 0xE9, 0x63, 0x6B])  // "Béck" in Latin-1
            try Data(bytes).write(to: url)
        }
    }

    @Test func emptyContentFolder() async throws {
        try await expectFault(errors: ["error: The content folder 'Content' has no chapters; add a file named like 01-intro.md."]) { project in
            for name in try FileManager.default.contentsOfDirectory(atPath: project.content.path) {
                try FileManager.default.removeItem(at: project.content.appendingPathComponent(name))
            }
        }
    }

    @Test func missingContentFolder() async throws {
        try await expectFault(errors: ["error: The content folder 'Content' does not exist; create it and put chapters named like 01-intro.md in it."]) { project in
            try FileManager.default.removeItem(at: project.content)
        }
    }

    @Test func readOnlyOutputFolder() async throws {
        let project = try await Fixtures.builtCopy()
        defer {
            chmod(project.site.path, 0o755)
            project.remove()
        }
        let original = try project.contents()
        let before = project.siteSnapshot()
        try project.edit("01-basics.md") { $0.replacingOccurrences(of: "counts pelicans", with: "counts brown pelicans") }
        #expect(chmod(project.site.path, 0o555) == 0)
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1)
        let site = project.site.standardizedFileURL.path
        #expect(result.stderr.contains("error: Cannot write the site to '\(site)': the folder is read-only (mode 555); make it writable (chmod u+w) or choose another output folder."),
                "\(result.stderr)")
        #expect(project.siteSnapshot() == before)
        #expect(chmod(project.site.path, 0o755) == 0)
        try project.restore(original)
        try await expectCleanRebuild(project, statuses: ["cached", "cached"], site: before)
    }

    /// The `loopbook` executable SIGKILLed while a chapter runs; the next build recovers by itself.
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(5)))
    func buildKilledHalfWayRecovers() async throws {
        try await interruptBuild(with: SIGKILL) { process, chapterPID in
            #expect(process.terminationReason == .uncaughtSignal)
            // Nothing can run in a process that gets SIGKILL: its chapter program is orphaned and runs
            // on to its end. (Ctrl-C and SIGTERM do end it; see the next test.)
            kill(chapterPID, SIGKILL)
        }
    }

    /// Ctrl-C (SIGINT) reaches only the terminal's foreground group, not the chapter programs (they run in
    /// sessions of their own): the command ends them itself and exits with 130.
    @Test(.enabled(if: LoopbookExecutable.url != nil, "needs the loopbook executable beside the test bundle"),
          .timeLimit(.minutes(5)))
    func interruptedBuildEndsItsChapterProgramsAndRecovers() async throws {
        try await interruptBuild(with: SIGINT) { process, chapterPID in
            #expect(process.terminationReason == .exit && process.terminationStatus == 130,
                    "exit \(process.terminationStatus) (\(process.terminationReason == .exit ? "status" : "signal"))")
            let ended = await Processes.endsSoon(chapterPID)
            #expect(ended, "the chapter program (pid \(chapterPID)) outlived the interrupted build")
            kill(chapterPID, SIGKILL)
        }
    }

    /// Runs the `loopbook` executable on a copy of the built book whose second chapter waits (the first
    /// time only) until it is interrupted, sends `signal` once the chapter runs, checks with `check`, and
    /// then checks that Site/ is untouched and the next build recovers by itself.
    func interruptBuild(with signal: Int32, check: (Process, pid_t) async throws -> Void) async throws {
        let executable = try #require(LoopbookExecutable.url)
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        let marker = project.root.appendingPathComponent("chapter.pid")
        let wait = """
            import Foundation
            if !FileManager.default.fileExists(atPath: "\(marker.path)") {
                try String(getpid()).write(toFile: "\(marker.path)", atomically: true, encoding: .utf8)
                usleep(60_000_000)
            }
            print(squares)
            """
        try project.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: wait) }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", "--root", project.root.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var chapterPID: pid_t?
        for _ in 0..<1800 {  // the chapter waits for us; the deadline only covers a slow cold compile
            if let text = try? String(contentsOf: marker, encoding: .utf8), let pid = pid_t(text) {
                chapterPID = pid
                break
            }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        kill(process.processIdentifier, signal)
        // On a thread of its own: waiting here would hold one of Swift's few task threads, which the
        // other suites (a dev server among them) need meanwhile.
        try await onThread { process.waitUntilExit() }
        let pid = try #require(chapterPID, "the build ended before its chapter program started")
        try await check(process, pid)
        #expect(project.siteSnapshot() == before, "an interrupted build changed Site/")

        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try project.lastStatuses() == ["cached", "ran because its steps changed"])
        let page = try String(contentsOf: project.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(page.contains("[1, 4, 9, 16]"))
        for scratch in ["tmp", "work", "build"] {
            let folder = project.root.appendingPathComponent(".loopbook/cache/\(scratch)")
            #expect(!FileManager.default.fileExists(atPath: folder.path), "\(scratch)/ was left behind")
        }
    }

    /// What a killed build can leave behind (scratch folders, a half-written staging entry, a damaged
    /// result, a lock file, publishing folders beside Site/), laid out by hand: the next build cleans up
    /// and works.
    @Test func leftoversOfAKilledBuildAreCleanedUp() async throws {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let before = project.siteSnapshot()
        let cache = project.root.appendingPathComponent(".loopbook/cache")
        let manager = FileManager.default
        for scratch in ["tmp/abc-123/files", "work/02-more-1f2e", "build/01-basics-3c4d/main"] {
            try manager.createDirectory(at: cache.appendingPathComponent(scratch), withIntermediateDirectories: true)
        }
        try Data("{\"steps\":[".utf8).write(to: cache.appendingPathComponent("tmp/abc-123/result.json"))
        try Data("half a program".utf8).write(to: cache.appendingPathComponent("build/01-basics-3c4d/main/main.swift"))
        #expect(manager.fileExists(atPath: cache.appendingPathComponent("lock").path))
        // Damage the 02-more entry as a crash of the file system might: its result is cut short.
        let results = cache.appendingPathComponent("results")
        var damaged = 0
        for key in try manager.contentsOfDirectory(atPath: results.path) {
            let file = results.appendingPathComponent(key).appendingPathComponent("result.json")
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains("[1, 4, 9, 16]") {
                try Data(text.utf8.prefix(text.utf8.count / 2)).write(to: file)
                damaged += 1
            }
        }
        #expect(damaged == 1)
        // A publish killed before or after its swap leaves a staging or a swapped-aside folder beside Site/
        // (13 base-36 digits, and the publisher's marker inside).
        for leftover in ["Site.tmp-00000003f9a1c", "Site.old-0000000077b2d"] {
            let folder = project.root.appendingPathComponent(leftover)
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(Publisher.markerContents).write(to: folder.appendingPathComponent(Publisher.markerName))
            try Data("<p>half a page".utf8).write(to: folder.appendingPathComponent("index.html"))
        }

        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try project.lastStatuses() == ["cached", "ran because no cache entry"])
        #expect(project.siteSnapshot() == before, "the rebuilt chapter must give the same pages")
        #expect(try project.siteSiblings() == ["Site"], "publishing leftovers were not removed")
        for scratch in ["tmp", "work", "build"] {
            #expect(!manager.fileExists(atPath: cache.appendingPathComponent(scratch).path), "\(scratch)/ was left behind")
        }
        try await expectCleanRebuild(project, statuses: ["cached", "cached"], site: before)
    }

    /// swiftc's module cache records its absolute path; a project copied elsewhere with its `.loopbook/`
    /// used to fail every compile with "missing required module 'SwiftShims'".
    @Test func projectCopiedElsewhereKeepsBuilding() async throws {
        let built = try await Fixtures.built.value.project
        let copy = try TemporaryProject()
        defer { copy.remove() }
        for name in try FileManager.default.contentsOfDirectory(atPath: built.path) {
            try FileManager.default.copyItem(at: built.appendingPathComponent(name), to: copy.root.appendingPathComponent(name))
        }
        let moduleCache = copy.root.appendingPathComponent(".loopbook/cache/module-cache")
        let copied = try FileManager.default.contentsOfDirectory(atPath: moduleCache.path)
        #expect(!copied.isEmpty, "the built project has a module cache")
        try copy.edit("02-more.md") { $0.replacingOccurrences(of: "print(squares)", with: "print(squares.reversed() as [Int])") }

        let result = await execute(BuildCommand.self, ["--root", copy.root.path])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("SwiftShims"), "\(result.stderr)")
        #expect(try copy.lastStatuses() == ["cached", "ran because its steps changed"])
        let page = try String(contentsOf: copy.site.appendingPathComponent("02-more.html"), encoding: .utf8)
        #expect(page.contains("[16, 9, 4, 1]"))
        // The copied module cache (which names the old folder) was replaced, not kept beside the new one.
        let now = try FileManager.default.contentsOfDirectory(atPath: moduleCache.path)
        #expect(now.count == 1 && Set(now).isDisjoint(with: copied), "module-cache/ holds \(now), copied \(copied)")
    }

    // MARK: - Helpers

    /// Replaces `old` with `new` in `chapter` (and applies `also` to it), then checks the fault.
    @discardableResult
    func expectFault(in chapter: String, replacing old: String, with new: String,
                     also: @escaping (String) -> String = { $0 },
                     errors: [String], output: String? = nil) async throws -> String {
        try await expectFault(errors: errors, output: output) { project in
            try project.edit(chapter) { text in
                #expect(text.contains(old), "\(old) is not in \(chapter)")
                return also(text.replacingOccurrences(of: old, with: new))
            }
        }
    }

    /// Builds a copy of the built fixture book after `breaking` it and checks the error lines (each
    /// expected line is the prefix of one printed `error:` line, in order), the exit status and Site/; then
    /// puts the content back and checks that the next build is fully cached and changes nothing.
    @discardableResult
    func expectFault(errors expected: [String], output: String? = nil,
                     breaking: (TemporaryProject) throws -> Void) async throws -> String {
        let project = try await Fixtures.builtCopy()
        defer { project.remove() }
        let original = try project.contents()
        let before = project.siteSnapshot()
        #expect(!before.isEmpty)
        try breaking(project)

        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 1, "the build exited with \(result.code)\n\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }.map(String.init)
        #expect(errors.count == expected.count, "\(result.stderr)")
        for (line, prefix) in zip(errors, expected) {
            #expect(line.hasPrefix(prefix), "expected an error starting with\n\(prefix)\ngot\n\(line)")
        }
        if let output {
            #expect(result.stderr.contains("output so far:\n    | \(output)"), "\(result.stderr)")
        }
        #expect(result.stdout.isEmpty)
        #expect(project.siteSnapshot() == before, "a failed build changed Site/")
        #expect(!(try project.siteSiblings()).contains { $0 != "Site" }, "a failed build left a publishing folder")

        try project.restore(original)
        try await expectCleanRebuild(project, statuses: ["cached", "cached"], site: before)
        return result.stderr
    }

    /// Builds and expects success with these chapter statuses (from .loopbook/last-build.json) and,
    /// when given, exactly this site.
    func expectCleanRebuild(_ project: TemporaryProject, statuses: [String], site: [String: Data]? = nil) async throws {
        let result = await execute(BuildCommand.self, ["--root", project.root.path])
        #expect(result.code == 0, "the build after the fault failed\n\(result.stderr)")
        #expect(try project.lastStatuses() == statuses, "\(result.stderr)")
        if let site {
            #expect(project.siteSnapshot() == site, "the rebuilt site differs from the one before the fault")
            #expect(result.stderr.contains("Site/: 0 written, "), "\(result.stderr)")
        }
    }
}

extension TemporaryProject {
    /// Every file of Content/ with its bytes.
    func contents() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: content.path) {
            let url = content.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// Puts Content/ back to exactly `files`.
    func restore(_ files: [String: Data]) throws {
        try? FileManager.default.removeItem(at: content)
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: content.appendingPathComponent(name)) }
    }

    /// The chapter statuses of the last build, in book order ("cached", "ran because …", …).
    func lastStatuses() throws -> [String] {
        let data = try Data(contentsOf: root.appendingPathComponent(".loopbook/last-build.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let chapters = try #require(report["chapters"] as? [[String: Any]])
        return chapters.compactMap { $0["status"] as? String }
    }

    /// Names in the project root that start with "Site" (Site/ itself and any publishing leftovers).
    func siteSiblings() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("Site") }.sorted()
    }
}

/// The `loopbook` executable built beside the test bundle, if any.
enum LoopbookExecutable {
    static let url: URL? = {
        var candidates: [URL] = []
        if let resources = Bundle.module.resourceURL {
            candidates.append(resources.deletingLastPathComponent().appendingPathComponent("loopbook"))
        }
        candidates.append(Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("loopbook"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
}

enum Processes {
    /// Whether `pid` is a live process (a zombie waiting to be reaped counts as ended).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return false }
        let state = stat[(close + 1)...].split(separator: UInt8(ascii: " ")).first?.first
        return state != nil && state != UInt8(ascii: "Z") && state != UInt8(ascii: "X")
    }

    /// Waits up to two seconds for `pid` to end; true if it did.
    static func endsSoon(_ pid: pid_t) async -> Bool {
        for _ in 0..<40 {
            if !isRunning(pid) { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return !isRunning(pid)
    }
}
