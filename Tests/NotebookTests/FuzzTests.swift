import BookModel
import Foundation
import LoopbookTestSupport
import Testing
@testable import Notebook

/// Chapter reading (UTF-8 check, front matter, Markdown blocks, steps and their flags) on thousands of
/// generated and mutated chapters: each input loads or fails with a located `NotebookError`, never traps or
/// hangs. `LOOPBOOK_FUZZ_ITERATIONS=200000 swift test --filter NotebookTests.FuzzTests` runs longer;
/// `LOOPBOOK_FUZZ_SEED` picks another sequence.
@Suite("Fuzzing chapter reading")
struct ChapterFuzzTests {
    @Test(.timeLimit(.minutes(10))) func mutatedAndGeneratedChaptersLoadOrFailCleanly() async throws {
        let corpus = try FuzzCorpus.chapters()
        #expect(corpus.count >= 3, "the corpus has \(corpus.count) chapters")
        var mutator = ChapterMutator(seed: FuzzSettings.seed)
        let watchdog = FuzzWatchdog(name: "NotebookTests chapter fuzzing", limitSeconds: 20)
        defer { watchdog.stop() }
        var loaded = 0, rejected = 0, notUTF8 = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for iteration in 0..<FuzzSettings.iterations {
            await FuzzSettings.shareThePool(iteration)
            let input = iteration % 4 == 3 ? mutator.generate() : mutator.mutate(mutator.window(corpus[iteration % corpus.count]))
            watchdog.begin(input)
            defer { watchdog.end() }
            switch Self.read(input) {
            case .loaded(let chapter):
                loaded += 1
                Self.checkInvariants(chapter, input: input)
            case .rejected(let error):
                rejected += 1
                if case .notUTF8 = error { notUTF8 += 1 }
                Self.checkError(error, input: input)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        #expect(loaded > FuzzSettings.iterations / 20, "only \(loaded) inputs loaded")
        #expect(rejected > FuzzSettings.iterations / 20, "only \(rejected) inputs were rejected")
        #expect(notUTF8 > 0)
        print("Chapter fuzzing: \(FuzzSettings.iterations) inputs (\(loaded) loaded, \(rejected) rejected, \(notUTF8) not UTF-8) in \(String(format: "%.1f", seconds)) s, seed \(FuzzSettings.seed).")
    }

    /// book.yml is YAML read by the same code as front matter; it gets mutated YAML of its own.
    @Test(.timeLimit(.minutes(5))) func mutatedBookFilesLoadOrFailCleanly() async throws {
        let seeds = [
            "title: Feedback loops\nsubtitle: A course\nauthor: Someone\n",
            "title: \"Quoted: yes\"\ndescription: >\n  folded\n  text\n",
            "title: [a, b]\n", "---\ntitle: x\n...\n", "",
        ]
        var mutator = ChapterMutator(seed: FuzzSettings.seed &+ 1)
        let watchdog = FuzzWatchdog(name: "NotebookTests book.yml fuzzing", limitSeconds: 20)
        defer { watchdog.stop() }
        for iteration in 0..<max(1, FuzzSettings.iterations / 5) {
            await FuzzSettings.shareThePool(iteration)
            let input = mutator.mutate(Array(seeds[iteration % seeds.count].utf8))
            watchdog.begin(input)
            defer { watchdog.end() }
            guard let text = String(validating: input, as: UTF8.self) else { continue }
            do {
                _ = try BookFile(yaml: text, path: "Content/book.yml")
            } catch let error as NotebookError {
                Self.checkError(error, input: input)
            } catch {
                Issue.record("book.yml threw \(type(of: error)), not a NotebookError: \(error)\n\(FuzzCorpus.show(input))")
            }
        }
    }

    /// The whole loader on disk, for a few hundred inputs (file names, book.yml and two chapters).
    @Test(.timeLimit(.minutes(5))) func mutatedBooksOnDiskLoadOrFailCleanly() async throws {
        let corpus = try FuzzCorpus.chapters()
        var mutator = ChapterMutator(seed: FuzzSettings.seed &+ 2)
        let project = try TestProject(["Content/book.yml": "title: Fuzz\n"])
        defer { project.remove() }
        let notebook = Notebook(projectRoot: project.root)
        for iteration in 0..<max(1, FuzzSettings.iterations / 50) {
            await FuzzSettings.shareThePool(iteration)
            let first = mutator.mutate(corpus[iteration % corpus.count])
            let second = mutator.mutate(corpus[(iteration + 1) % corpus.count])
            try Data(first).write(to: project.root.appendingPathComponent("Content/01-first.md"))
            try Data(second).write(to: project.root.appendingPathComponent("Content/02-second.md"))
            do {
                let book = try notebook.loadBook()
                #expect(book.chapters.map(\.slug) == ["01-first", "02-second"])
                for chapter in book.chapters { Self.checkInvariants(chapter, input: chapter.slug == "01-first" ? first : second) }
            } catch let error as NotebookError {
                // Two chapters may also depend on each other in a circle, which names no single file.
                Self.checkError(error, input: first + Array("\n---- second chapter ----\n".utf8) + second, located: false)
            }
        }
    }

    /// A chapter's step-flag words on their own: every combination of known and unknown words.
    @Test func stepFlagsAreParsedOrRejectedByName() throws {
        let words = ["hidden", "norun", "hide-output", "expect-error", "Hidden", "hide_output", "", "{{", "--", "é", "\u{0}"]
        var mutator = ChapterMutator(seed: FuzzSettings.seed &+ 3)
        for _ in 0..<2_000 {
            let count = mutator.int(below: 5)
            let chosen = (0..<count).map { _ in words[mutator.int(below: words.count)] }.filter { !$0.isEmpty }
            do {
                let flags = try ChapterParser.parseFlags(chosen, path: "Content/01-a.md", line: 9)
                #expect(chosen.allSatisfy(StepFlags.names.contains))
                #expect(flags.hidden == chosen.contains("hidden") && flags.norun == chosen.contains("norun"))
                #expect(flags.hideOutput == chosen.contains("hide-output") && flags.expectError == chosen.contains("expect-error"))
            } catch let NotebookError.unknownStepFlag(path, line, flag) {
                #expect(path == "Content/01-a.md" && line == 9 && !StepFlags.names.contains(flag) && chosen.contains(flag))
            } catch let NotebookError.conflictingStepFlags(_, line, _) {
                #expect(line == 9 && chosen.contains("norun") && chosen.contains("expect-error"))
            }
        }
    }

    // MARK: - One input

    enum Outcome {
        case loaded(Chapter)
        case rejected(NotebookError)
    }

    static let path = "Content/05-fuzz.md"

    /// Reads bytes as the loader does: the UTF-8 check, then the chapter parser.
    static func read(_ bytes: [UInt8]) -> Outcome {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, byte) = BookLoader.firstInvalidUTF8(in: Data(bytes))
            return .rejected(.notUTF8(path: path, line: line, byte: byte))
        }
        do {
            return .loaded(try ChapterParser.parse(text, path: path, slug: "05-fuzz", number: 5).0)
        } catch let error as NotebookError {
            return .rejected(error)
        } catch {
            Issue.record("The parser threw \(type(of: error)), not a NotebookError: \(error)")
            return .rejected(.io(path: path, message: "\(error)"))
        }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int {
        // CR, LF and CRLF each end a line, as the parser counts them.
        var lines = 1, index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D {
                lines += 1
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else if bytes[index] == 0x0A {
                lines += 1
            }
            index += 1
        }
        return lines
    }

    static func checkInvariants(_ chapter: Chapter, input: [UInt8]) {
        let lines = lineCount(input)
        var previousLine = 0
        for (position, step) in chapter.steps.enumerated() {
            #expect(step.index == position + 1, "\(FuzzCorpus.show(input))")
            #expect(step.line > previousLine && step.line <= lines, "step \(step.index) at line \(step.line) of \(lines)\n\(FuzzCorpus.show(input))")
            #expect(!(step.flags.norun && step.flags.expectError))
            previousLine = step.line
        }
        #expect(chapter.markdown.split(separator: "\n", omittingEmptySubsequences: false).count <= lines,
                "the document has more lines than the file\n\(FuzzCorpus.show(input))")
        #expect(chapter.timeout > 0 && chapter.timeout.isFinite)
    }

    static func checkError(_ error: NotebookError, input: [UInt8], located: Bool = true) {
        let lines = lineCount(input)
        let text = error.description
        if located { #expect(text.hasPrefix("Content/"), "\(text)") }
        #expect(text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix(")"), "not a full sentence: \(text)")
        if let diagnostic = error.diagnostic {
            #expect(diagnostic.line >= 1 && diagnostic.line <= max(lines, 1) + 1,
                    "\(text) points at line \(diagnostic.line) of \(lines)\n\(FuzzCorpus.show(input))")
        }
        if case let .notUTF8(_, line, _) = error {
            #expect((line ?? 0) >= 1 && (line ?? 0) <= lines, "\(text)")
        }
    }
}

/// Real chapters to mutate: the book in Content/ and the fixture books (found in the checkout and the bundle).
enum FuzzCorpus {
    static func chapters() throws -> [[UInt8]] {
        let tests = TestPaths.tests
        var folders = [
            tests.appendingPathComponent("NotebookTests/Fixtures/basic/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/book/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/repro/Content"),
            TestPaths.repository.appendingPathComponent("Content"),
        ]
        if let bundled = Bundle.module.url(forResource: "Fixtures/basic/Content", withExtension: nil) { folders.append(bundled) }
        var seen: Set<[UInt8]> = []
        var result: [[UInt8]] = []
        for chapter in FuzzInput.chapters(in: folders) where seen.insert(chapter).inserted { result.append(chapter) }
        // Small hand-made chapters, so the corpus is never empty and covers the corners.
        for text in [
            "---\ntitle: A\ntimeout: 5\ndepends-on: [01-a]\n---\n# A\n\n```swift hidden\nlet a = 1\n```\n",
            "# B\r\n\r\n```swift norun\r\nx\r\n```\r\n{{ key }}\r\n",
            "- list\n  ```swift\n  nested\n  ```\n\n> ```swift\n> quoted\n> ```\n",
            "```swift expect-error\nlet b: Int = \"x\"\n```\n~~~swift hide-output\nprint(1)\n~~~\n",
        ] {
            result.append(Array(text.utf8))
        }
        return result
    }

    /// The input for a failure message: as text when it is short, else its size and start.
    static func show(_ bytes: [UInt8]) -> String { FuzzInput.show(bytes, limit: 2_000) }
}

/// Byte-level mutations of real chapters and chapters generated from Markdown pieces.
struct ChapterMutator {
    private var random: SplitMix64

    init(seed: UInt32) { random = SplitMix64(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15) }

    mutating func next() -> UInt64 { random.next() }

    mutating func int(below bound: Int) -> Int { random.int(below: bound) }

    /// A piece of a real chapter (see `FuzzInput.window`).
    mutating func window(_ chapter: [UInt8]) -> [UInt8] { FuzzInput.window(chapter, using: &random) }

    /// Pieces that mean something to the parsers: fences, front matter, placeholders, line endings,
    /// invalid UTF-8, YAML syntax, flags, nesting.
    static let tokens: [[UInt8]] = [
        "```", "```swift", "```swift\n", "\n```\n", "```swift hidden\n", "```swift norun expect-error\n", "```swift bogus\n",
        "~~~swift\n", "~~~", "````", "---\n", "\n---\n", "...\n", "---", "{{", "}}", "{{ key }}", "{{ }}", "\\{{", "{{{{",
        "\n", "\r\n", "\r", "\n\n", "\t", "    ", "> ", "- ", "1. ", "# ", "| a | b |\n|---|---|\n", "<script>", "<!--",
        "title: [", "timeout: ", "timeout: -1\n", "depends-on: [", "depends-on: 99-none\n", "title: \"", ": ", "&a ", "*a ",
        "!!binary ", "? ", "%YAML 1.2\n", "`", "``", "\\", "[", "]", "(", ")", "*", "_", "é", "\u{FEFF}", "\u{0}", "\u{1F600}",
        "#sourceLocation(file: \"x\", line: 1)", "\"\"\"", "'", "0x", "1e309",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80]]

    /// One to eight random mutations of `input`.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + int(below: 8)) {
            let position = int(below: bytes.count + 1)
            switch int(below: 9) {
            case 0 where !bytes.isEmpty:  // flip one bit
                let index = int(below: bytes.count)
                bytes[index] ^= UInt8(1 << int(below: 8))
            case 1 where !bytes.isEmpty:  // set one byte
                bytes[int(below: bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 2:  // delete a run
                let end = min(bytes.count, position + int(below: 64))
                bytes.removeSubrange(position..<end)
            case 3:  // duplicate a run
                let end = min(bytes.count, position + int(below: 256))
                bytes.insert(contentsOf: bytes[position..<end], at: int(below: bytes.count + 1))
            case 4:  // truncate
                bytes.removeSubrange(position...)
            case 5, 6, 7:  // insert a meaningful token, at a line start half the time
                var at = position
                if next() & 1 == 0, let newline = bytes[..<position].lastIndex(of: 0x0A) { at = newline + 1 }
                bytes.insert(contentsOf: Self.tokens[int(below: Self.tokens.count)], at: at)
            default:  // swap two lines
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                guard lines.count > 2 else { continue }
                var array = Array(lines)
                array.swapAt(int(below: array.count), int(below: array.count))
                bytes = Array(array.joined(separator: [0x0A]))
            }
        }
        return bytes
    }

    /// A chapter made of random pieces: front matter (sometimes broken), prose, steps, fences.
    mutating func generate() -> [UInt8] {
        var text = ""
        if next() % 3 != 0 {
            text += "---\n"
            let keys = ["title: T", "summary: S", "timeout: 3", "timeout: x", "depends-on: [01-a]", "unknown: 1", "title: [",
                        "title:\n  - a", "  indented: 1", "title: 'q", "timeout: 0.5", "depends-on:\n  - 02-b\n  - 3"]
            for _ in 0..<int(below: 4) { text += keys[int(below: keys.count)] + "\n" }
            if next() % 8 != 0 { text += "---\n" }
        }
        let pieces = ["# Title\n", "Prose with {{ key }}.\n", "\n", "```swift\nlet x = 1\n```\n", "```swift hidden\n",
                      "```swift norun\n", "```swift hide-output\n", "```swift expect-error\n", "```\n", "~~~swift\nx\n~~~\n",
                      "- item\n  ```swift\n  inner\n  ```\n", "> quote\n", "    indented code\n", "---\n", "text `code` text\n",
                      "| a |\n|---|\n| 1 |\n", "<div>\n", "[link](02-b.html)\n", "\r\n", "```swift flag-\(int(below: 3))\n"]
        for _ in 0..<int(below: 24) { text += pieces[int(below: pieces.count)] }
        return Array(text.utf8)
    }
}
