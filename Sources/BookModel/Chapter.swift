// The values that flow from the notebook engine to the site: a chapter as parsed, and what its steps did.
// SiteKit renders these; it never parses Markdown chapters or runs code itself.

/// How a ```swift step is treated (from its info string, e.g. ```swift hidden).
public struct StepFlags: Codable, Sendable, Equatable, Hashable {
    /// Runs; code not shown (setup).
    public var hidden = false
    /// Shown only; never compiled or run.
    public var norun = false
    /// Runs; output not shown.
    public var hideOutput = false
    /// Must fail (compile error or trap); the error is shown in the page.
    public var expectError = false
    /// Code collapsed under "Show code" (`fold`, true), shown open (`unfold`, false), or as the book's
    /// `code-fold` setting says (nil). Changes only the page, never what runs.
    public var fold: Bool?
    /// The step's part in an exercise (`exercise`, `check` or `solution`), nil for an ordinary step.
    /// Optional so results and pages cached before exercises existed still decode.
    public var part: ExercisePart?
    public init(hidden: Bool = false, norun: Bool = false, hideOutput: Bool = false, expectError: Bool = false,
                fold: Bool? = nil, part: ExercisePart? = nil) {
        self.hidden = hidden; self.norun = norun; self.hideOutput = hideOutput; self.expectError = expectError
        self.fold = fold; self.part = part
    }
}

/// One ```swift block of a chapter.
public struct Step: Codable, Sendable, Equatable {
    /// 1-based position among the chapter's steps.
    public var index: Int
    /// The 1-based line of the opening fence in the chapter file.
    public var line: Int
    public var code: String
    public var flags: StepFlags
    /// Columns before the code on each line of the file (a step in a list item or a block quote is
    /// indented, and its code is given without that indentation); added to compiler columns.
    public var indent = 0
    public init(index: Int, line: Int, code: String, flags: StepFlags) {
        self.index = index; self.line = line; self.code = code; self.flags = flags
    }
}

/// A run of prose or one step, in chapter order: a way to write a chapter in code (`Chapter(..., blocks:)`).
public enum Block: Codable, Sendable, Equatable {
    /// Markdown source between steps.
    case prose(markdown: String, line: Int)
    case step(Step)
}

/// A parsed chapter file `Content/NN-slug.md`: one Markdown document and the steps found in it.
public struct Chapter: Codable, Sendable, Equatable {
    /// The path as shown in messages, relative to the project root, e.g. "Content/03-data.md".
    public var path: String
    /// The file name without extension, e.g. "03-data"; the page is "<slug>.html".
    public var slug: String
    /// The numeric prefix, e.g. 3.
    public var number: Int
    /// From front matter, else the first `#` heading, else the slug; may hold `{{ key }}` placeholders,
    /// which the site replaces with the chapter's published values.
    public var title: String
    /// The 1-based line where the title was written (front matter or heading), for messages.
    public var titleLine: Int?
    public var summary: String?
    /// Seconds before the chapter program is killed (front matter `timeout`, default 60).
    public var timeout: Double
    /// The resources the chapter program may use (front matter `memory`, `max-file-size`, `max-artifacts-size`).
    public var limits = ChapterLimits()
    /// The chapter's Markdown as one document: the file's text with its front matter blanked (so every line
    /// and column is the file's), without a byte-order mark, with `\n` line endings.
    public var markdown: String
    /// The document's ```swift code blocks wherever they stand (top level, lists, quotes, HTML blocks), in order.
    public var steps: [Step]
    /// Slugs of the chapters whose written files this chapter reads (front matter `depends-on`).
    public var dependsOn: [String] = []

    public init(path: String, slug: String, number: Int, title: String, summary: String? = nil,
                timeout: Double = 60, markdown: String, steps: [Step], dependsOn: [String] = []) {
        self.path = path; self.slug = slug; self.number = number; self.title = title
        self.summary = summary; self.timeout = timeout; self.markdown = markdown; self.steps = steps
        self.dependsOn = dependsOn
    }

    /// A chapter written as blocks: prose runs and steps are joined into one document (each step as a
    /// ```swift fence with its flags); step lines are those of that document.
    public init(path: String, slug: String, number: Int, title: String, summary: String? = nil,
                timeout: Double = 60, blocks: [Block], dependsOn: [String] = []) {
        var markdown = ""
        var line = 1
        var steps: [Step] = []
        func append(_ text: String) {
            markdown += text
            line += text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        }
        for block in blocks {
            switch block {
            case let .prose(text, _):
                let text = text.hasSuffix("\n") ? text : text + "\n"
                append(text + "\n")
            case var .step(step):
                step.line = line
                steps.append(step)
                let code = step.code.hasSuffix("\n") || step.code.isEmpty ? step.code : step.code + "\n"
                var longest = 0, run = 0
                for character in code { run = character == "`" ? run + 1 : 0; longest = max(longest, run) }
                let fence = String(repeating: "`", count: max(3, longest + 1))
                let info = (["swift"] + step.flags.words).joined(separator: " ")
                append(fence + info + "\n" + code + fence + "\n\n")
            }
        }
        self.init(path: path, slug: slug, number: number, title: title, summary: summary, timeout: timeout,
                  markdown: markdown, steps: steps, dependsOn: dependsOn)
    }
}

/// One piece of a step's output, in order.
public enum StepOutput: Codable, Sendable, Equatable {
    case stdout(String)
    case stderr(String)
    case record(Record)
    /// Output beyond the cap was dropped; `droppedBytes` says how much.
    case truncated(droppedBytes: Int)
}

/// Where and why a step failed (compile error, trap, non-zero exit, timeout).
public struct StepFailure: Codable, Sendable, Equatable, Error {
    /// "Content/04-model.md"
    public var file: String
    public var line: Int
    public var column: Int?
    /// A full sentence, e.g. "cannot find 'modle' in scope" or "the step exited with status 3".
    public var message: String
    public init(file: String, line: Int, column: Int? = nil, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
}

/// What one step did.
public struct StepResult: Codable, Sendable, Equatable {
    public var index: Int
    public var outputs: [StepOutput]
    /// Set when the step failed (or, for `expect-error`, the expected error it produced).
    public var failure: StepFailure?
    public init(index: Int, outputs: [StepOutput] = [], failure: StepFailure? = nil) {
        self.index = index; self.outputs = outputs; self.failure = failure
    }
}

/// A file a chapter wrote, offered for download on its page.
public struct Artifact: Codable, Sendable, Equatable {
    /// Relative to the chapter's working directory, e.g. "sample_data.csv".
    public var name: String
    public var contents: [UInt8]
    public init(name: String, contents: [UInt8]) { self.name = name; self.contents = contents }
}

/// Everything a chapter's run produced; this is what the cache stores.
public struct ChapterResult: Codable, Sendable, Equatable {
    /// One entry per step, in step order (a `norun` step has an empty result).
    public var steps: [StepResult]
    /// Values published with `publish(key, value)`, formatted.
    public var values: [String: String]
    public var artifacts: [Artifact]
    public init(steps: [StepResult], values: [String: String] = [:], artifacts: [Artifact] = []) {
        self.steps = steps; self.values = values; self.artifacts = artifacts
    }
}

/// A chapter together with its result, ready to render.
public struct ExecutedChapter: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case cached
        /// Ran, with the reason ("its steps changed", "the library changed", "no cache entry", ...).
        case ran(reason: String)
        case failed
    }
    public var chapter: Chapter
    public var result: ChapterResult
    public var status: Status
    public init(chapter: Chapter, result: ChapterResult, status: Status) {
        self.chapter = chapter; self.result = result; self.status = status
    }
}

extension StepFlags {
    /// The flags a step's info string may carry, in the order messages list them.
    public static let names = ["hidden", "norun", "hide-output", "expect-error", "fold", "unfold",
                               "exercise", "check", "solution"]

    /// The flags that are set, as written after `swift` in an info string.
    public var words: [String] {
        zip(Self.names, [hidden, norun, hideOutput, expectError, fold == true, fold == false,
                         part == .exercise, part == .check, part == .solution]).filter(\.1).map(\.0)
    }
}
