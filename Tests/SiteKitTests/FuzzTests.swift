import BookModel
@testable import Notebook
import Foundation
import LoopbookRuntime
import Testing
@testable import SiteKit

/// `{{ key }}` substitution and whole-page rendering (Markdown, callouts, highlighting, outputs) on
/// thousands of mutated chapters: each renders or fails with a located `SiteError`, never traps or hangs,
/// and text from steps never turns into markup. `LOOPBOOK_FUZZ_ITERATIONS` runs longer.
@Suite("Fuzzing placeholders and pages")
struct PageFuzzTests {
    static let payload = "<script>alert(\"fuzz\")</script>"
    /// Only steps print this; raw HTML in prose may hold an <img> (tagfilter keeps it), step output never.
    static let stepImage = "\"><img src=x onerror=alert(\"step\")>"

    @Test(.timeLimit(.minutes(10))) func placeholdersAreSubstitutedOrRejectedWithALine() async throws {
        let corpus = try PageFuzzCorpus.chapters()
        var mutator = PageMutator(seed: PageFuzzSettings.seed)
        var substituted = 0, rejected = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for iteration in 0..<PageFuzzSettings.iterations {
            await PageFuzzSettings.shareThePool(iteration)
            let input = mutator.mutate(mutator.window(corpus[iteration % corpus.count]))
            let text = String(decoding: input, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            var values = PageMutator.keys(in: text)
            if iteration % 3 == 0, !values.isEmpty { values.removeValue(forKey: values.keys.sorted()[0]) }
            do {
                let result = try Placeholders.substitute(text, values: values, file: "Content/07-fuzz.md", line: 10)
                substituted += 1
                #expect(result.split(separator: "\n", omittingEmptySubsequences: false).count == lines,
                        "substitution changed the number of lines\n\(PageFuzzCorpus.show(input))")
            } catch let SiteError.unknownKey(file, line, key, _, available) {
                rejected += 1
                #expect(file == "Content/07-fuzz.md" && (10..<(10 + lines)).contains(line), "line \(line) of \(lines)")
                #expect(values[key] == nil && available == values.keys.sorted())
            } catch let SiteError.malformedPlaceholder(file, line, _) {
                rejected += 1
                #expect(file == "Content/07-fuzz.md" && (10..<(10 + lines)).contains(line), "line \(line) of \(lines)")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(substituted > 0 && rejected > 0, "\(substituted) substituted, \(rejected) rejected")
        print("Placeholder fuzzing: \(PageFuzzSettings.iterations) inputs (\(substituted) substituted, \(rejected) rejected) in \(String(format: "%.1f", seconds)) s, seed \(PageFuzzSettings.seed).")
    }

    @Test(.timeLimit(.minutes(10))) func mutatedChaptersRenderOrFailWithALocatedError() async throws {
        let corpus = try PageFuzzCorpus.chapters()
        var mutator = PageMutator(seed: PageFuzzSettings.seed &+ 1)
        var rendered = 0, rejected = 0, unparsable = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let renderer = SiteRenderer(book: BookInfo(title: "Fuzz <b>book</b>", subtitle: Self.payload))
        // Whole pages cost more than substitutions: a fifth as many by default.
        let iterations = max(1, PageFuzzSettings.iterations / 5)
        for iteration in 0..<iterations {
            await PageFuzzSettings.shareThePool(iteration)
            let input = mutator.mutate(mutator.window(corpus[iteration % corpus.count]))
            guard let text = String(validating: input, as: UTF8.self),
                  let (chapter, _) = try? ChapterParser.parse(text, path: "Content/07-fuzz.md", slug: "07-fuzz", number: 7)
            else {
                unparsable += 1
                continue
            }
            var values = PageMutator.keys(in: text)
            if iteration % 5 == 0, !values.isEmpty { values.removeValue(forKey: values.keys.sorted()[0]) }
            let executed = ExecutedChapter(chapter: chapter, result: Self.result(for: chapter, values: values, using: &mutator),
                                           status: .cached)
            do {
                let files = try renderer.render([executed])
                rendered += 1
                // (search-index.json holds the same text as JSON strings, which the search script shows as text.)
                for path in files.paths where path.hasSuffix(".html") {
                    let page = files.text(path) ?? ""
                    #expect(!page.contains(Self.payload), "\(path) carries the payload unescaped\n\(PageFuzzCorpus.show(input))")
                    #expect(!page.contains("<img src=x onerror=alert(\"step\")"), "\(path) carries an image tag from a step\n\(PageFuzzCorpus.show(input))")
                }
            } catch {
                rejected += 1
                let message = error.description
                #expect(message.hasPrefix("Content/07-fuzz.md:"), "not located: \(message)")
                #expect(message.hasSuffix("."), "not a sentence: \(message)")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(rendered > iterations / 10, "only \(rendered) pages rendered")
        print("Page fuzzing: \(iterations) inputs (\(rendered) rendered, \(rejected) rejected, \(unparsable) not chapters) in \(String(format: "%.1f", seconds)) s, seed \(PageFuzzSettings.seed).")
    }

    /// Step results made of hostile text: the payload, an attribute breakout, mutated bytes, records.
    static func result(for chapter: Chapter, values: [String: String], using mutator: inout PageMutator) -> ChapterResult {
        let hostile = [payload, stepImage, "]]></svg><script>", "&amp;&lt;", "\u{0}\u{1B}[31m"]
        var steps: [StepResult] = []
        for step in chapter.steps {
            var outputs: [StepOutput] = []
            if !step.flags.norun {
                let piece = hostile[mutator.int(below: hostile.count)]
                outputs.append(.stdout(piece + String(decoding: mutator.mutate(Array(step.code.utf8)).prefix(200), as: UTF8.self) + "\n"))
                if mutator.int(below: 3) == 0 { outputs.append(.stderr(piece)) }
                switch mutator.int(below: 4) {
                case 0: outputs.append(.record(.table(TableSpec(title: piece, columns: [piece, "b"], rows: [[piece, "1"]]))))
                case 1: outputs.append(.record(.metric(MetricSpec(name: piece, text: piece, detail: piece))))
                case 2: outputs.append(.record(.chart(ChartSpec(title: piece, kind: .bar(categories: [piece], series: [BarSeries(name: piece, values: [1])])))))
                default: outputs.append(.truncated(droppedBytes: mutator.int(below: 1 << 20)))
                }
            }
            let failure = step.flags.expectError ? StepFailure(file: chapter.path, line: step.line + 1, message: payload) : nil
            steps.append(StepResult(index: step.index, outputs: outputs, failure: failure))
        }
        return ChapterResult(steps: steps, values: values.mapValues { _ in payload })
    }
}

enum PageFuzzSettings {
    /// Lets other tests' tasks run every 32 inputs. Swift's task threads on Linux are one per core, and a
    /// long CPU-bound loop on one of them starves everything else in the test process (the dev server
    /// tests time out); yielding keeps the loop a good citizen of the pool.
    static func shareThePool(_ iteration: Int) async {
        if iteration % 32 == 0 { await Task.yield() }
    }

    /// `LOOPBOOK_FUZZ_ITERATIONS`, default 10,000.
    static let iterations: Int = {
        ProcessInfo.processInfo.environment["LOOPBOOK_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? 10_000
    }()

    static let seed: UInt32 = {
        ProcessInfo.processInfo.environment["LOOPBOOK_FUZZ_SEED"].flatMap { UInt32($0) } ?? 20_250_611
    }()
}

/// The book's chapters (found from this file's folder) and the fixture books, as bytes.
enum PageFuzzCorpus {
    static func chapters() throws -> [[UInt8]] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let folders = [
            tests.deletingLastPathComponent().appendingPathComponent("Content"),
            tests.appendingPathComponent("NotebookTests/Fixtures/basic/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/book/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/repro/Content"),
        ]
        var result: [[UInt8]] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".md") && name != "README.md" {
                if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
                    result.append([UInt8](data))
                }
            }
        }
        result.append(Array("""
            # Values

            The score is {{ score }} and {{score}}, not `{{ code }}` or \\{{ literal }}.

            > [!NOTE]
            > A callout with {{ score }} and <script>alert(1)</script>.

            ```swift
            print("<b>")
            ```

            | a | {{ score }} |
            |---|---|
            | <img src=x onerror=alert(1)> | 2 |
            """.utf8))
        return result
    }

    static func show(_ bytes: [UInt8]) -> String {
        "input (\(bytes.count) bytes):\n" + String(decoding: bytes.prefix(1_500), as: UTF8.self)
    }
}

/// Mutations aimed at placeholders, fences, raw HTML and line structure.
struct PageMutator {
    private var state: UInt64

    init(seed: UInt32) { state = UInt64(seed) &* 0xD1B5_4A32_D192_ED03 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(below bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    /// A piece of a real chapter: the whole file one time in ten, else up to 50 lines from a random
    /// place, half of the time after the file's first 6 lines (where front matter is). Keeps each
    /// input small, so thousands run in seconds even in a debug build.
    mutating func window(_ chapter: [UInt8]) -> [UInt8] {
        if int(below: 10) == 0 { return chapter }
        let lines = chapter.split(separator: 0x0A, omittingEmptySubsequences: false)
        let start = int(below: lines.count)
        var piece = Array(lines[start..<min(lines.count, start + 1 + int(below: 50))])
        if start > 6, next() & 1 == 0 { piece = Array(lines[0..<6]) + piece }
        return Array(piece.joined(separator: [0x0A]))
    }

    static let tokens: [[UInt8]] = [
        "{{", "}}", "{{ score }}", "{{score}}", "{{ }}", "{{ missing }}", "\\{{", "{{{", "}}}", "{{ a b }}", "{{\n}}",
        "`", "``", "```", "```swift\n", "~~~\n", "\n```\n", "---\n", "\n", "\r\n", "\t", "    ", "> ", "> [!NOTE]\n",
        "> [!WARNING]\n", "- ", "# ", "| x |\n|---|\n", "<script>", "</script>", PageFuzzTests.payload, "<img src=x onerror=alert(1)>",
        "<!--", "-->", "<div>", "&", "&amp;", "[", "](", ")", "*", "_", "\\", "é", "\u{200B}", "\u{FEFF}", "\u{0}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + int(below: 6)) {
            let position = int(below: bytes.count + 1)
            switch int(below: 7) {
            case 0 where !bytes.isEmpty:
                bytes[int(below: bytes.count)] ^= UInt8(1 << int(below: 8))
            case 1:
                bytes.removeSubrange(position..<min(bytes.count, position + int(below: 48)))
            case 2:
                let end = min(bytes.count, position + int(below: 200))
                bytes.insert(contentsOf: bytes[position..<end], at: int(below: bytes.count + 1))
            case 3 where bytes.count > 64:
                bytes.removeSubrange(max(position, 64)...)
            default:
                var at = position
                if next() & 1 == 0, let newline = bytes[..<position].lastIndex(of: 0x0A) { at = newline + 1 }
                bytes.insert(contentsOf: Self.tokens[int(below: Self.tokens.count)], at: at)
            }
        }
        return bytes
    }

    /// A value for every `{{ key }}` written in `text` (keys as the substitution trims them).
    static func keys(in text: String) -> [String: String] {
        var values: [String: String] = [:]
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let key = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, !key.contains("\n") { values[key] = "v" }
        }
        return values
    }
}
