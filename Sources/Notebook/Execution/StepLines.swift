import BookModel

/// Where a step's code lies in its chapter file: the one place that turns steps into file lines and back.
///
/// A step's `line` is its opening fence, so its code starts on the next line. Generated programs point
/// `#sourceLocation` there, so compiler errors, traps and backtraces name file lines, which map back to the
/// step that contains them. The cache stores failure lines relative to the step's first code line, so a
/// step that moves down the file keeps its failure.
struct StepLines {
    let step: Step

    init(_ step: Step) { self.step = step }

    /// The file line of the step's first line of code (the line after its opening fence).
    var firstCodeLine: Int { step.line + 1 }

    /// How many lines of code the step has.
    var codeLineCount: Int {
        let newlines = step.code.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return step.code.isEmpty ? 0 : newlines + (step.code.hasSuffix("\n") ? 0 : 1)
    }

    /// Whether `line` of the chapter file is one of the step's code lines (an empty step owns its first code line).
    func contains(_ line: Int) -> Bool {
        line >= firstCodeLine && line < firstCodeLine + max(1, codeLineCount)
    }

    /// A file line as a line relative to the step's first code line (which is 0).
    func relativeLine(fromFile line: Int) -> Int { line - firstCodeLine }

    /// A line relative to the step's first code line as a file line.
    func fileLine(fromRelative line: Int) -> Int { line + firstCodeLine }

    /// The step whose code contains `line` of the chapter file, if any.
    static func step(containing line: Int, in chapter: Chapter) -> Step? {
        chapter.steps.first { StepLines($0).contains(line) }
    }

    /// The line a message about the chapter as a whole points at: the first step's first code line, else 1.
    static func chapterLine(of chapter: Chapter) -> Int {
        chapter.steps.first.map { StepLines($0).firstCodeLine } ?? 1
    }
}
