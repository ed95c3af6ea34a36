import BookModel
@testable import Notebook
import Foundation
import LoopbookRuntime
import LoopbookTestSupport
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
        var mutator = PageMutator(seed: FuzzSettings.seed)
        var substituted = 0, rejected = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for iteration in 0..<FuzzSettings.iterations {
            await FuzzSettings.shareThePool(iteration)
            let input = mutator.mutate(mutator.window(corpus[iteration % corpus.count]))
            let text = String(decoding: input, as: UTF8.self)
            // cmark ends a line at LF, CR or CRLF.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count + text.utf8.filter { $0 == 13 }.count
            var values = PageMutator.keys(in: text)
            if iteration % 3 == 0, !values.isEmpty { values.removeValue(forKey: values.keys.sorted()[0]) }
            let output = ProseRenderer.preview(text, values: values, file: "Content/07-fuzz.md")
            if output.problems.isEmpty {
                substituted += 1
            } else {
                rejected += 1
                for problem in output.problems {
                    #expect(problem.file == "Content/07-fuzz.md" && (1...lines).contains(problem.line),
                            "line \(problem.line) of \(lines): \(problem.message)")
                    #expect(problem.message.hasSuffix("."), "not a sentence: \(problem.message)")
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(substituted > 0 && rejected > 0, "\(substituted) substituted, \(rejected) rejected")
        print("Placeholder fuzzing: \(FuzzSettings.iterations) inputs (\(substituted) substituted, \(rejected) rejected) in \(String(format: "%.1f", seconds)) s, seed \(FuzzSettings.seed).")
    }

    @Test(.timeLimit(.minutes(10))) func mutatedChaptersRenderOrFailWithALocatedError() async throws {
        let corpus = try PageFuzzCorpus.chapters()
        var mutator = PageMutator(seed: FuzzSettings.seed &+ 1)
        var rendered = 0, rejected = 0, unparsable = 0
        let start = DispatchTime.now().uptimeNanoseconds
        // Formulas go through a stand-in (escaped TeX), so thousands of pages start no node process; KaTeX itself
        // is tested in MathTests.
        let math = MathRenderer(render: { formulas in
            formulas.map { $0.tex.contains("\\bad") ? .error(message: "Undefined control sequence: \\bad", offset: 0)
                                                     : .html("<span class=\"math\">" + HTML.escape($0.tex) + "</span>") }
        }, assets: { [] })
        let renderer = SiteRenderer(book: BookInfo(title: "Fuzz <b>book</b>", subtitle: Self.payload), math: math)
        // Whole pages cost more than substitutions: a fifth as many by default.
        let iterations = max(1, FuzzSettings.iterations / 5)
        for iteration in 0..<iterations {
            await FuzzSettings.shareThePool(iteration)
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
                // (search-index.js holds the same text as JSON strings, which the search script shows as text.)
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
        print("Page fuzzing: \(iterations) inputs (\(rendered) rendered, \(rejected) rejected, \(unparsable) not chapters) in \(String(format: "%.1f", seconds)) s, seed \(FuzzSettings.seed).")
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

/// The book's chapters and the fixture books (found in the checkout), as bytes.
enum PageFuzzCorpus {
    static func chapters() throws -> [[UInt8]] {
        let tests = TestPaths.tests
        var result = FuzzInput.chapters(in: [
            TestPaths.repository.appendingPathComponent("Content"),
            tests.appendingPathComponent("NotebookTests/Fixtures/basic/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/book/Content"),
            tests.appendingPathComponent("LoopbookCommandsTests/Fixtures/repro/Content"),
        ])
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

    static func show(_ bytes: [UInt8]) -> String { FuzzInput.show(bytes, limit: 1_500) }
}

/// Mutations aimed at placeholders, fences, raw HTML and line structure.
struct PageMutator {
    private var random: SplitMix64

    init(seed: UInt32) { random = SplitMix64(state: UInt64(seed) &* 0xD1B5_4A32_D192_ED03) }

    mutating func next() -> UInt64 { random.next() }

    mutating func int(below bound: Int) -> Int { random.int(below: bound) }

    /// A piece of a real chapter (see `FuzzInput.window`).
    mutating func window(_ chapter: [UInt8]) -> [UInt8] { FuzzInput.window(chapter, using: &random) }

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
