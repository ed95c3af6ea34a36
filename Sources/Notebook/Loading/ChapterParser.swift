import BookModel
import Foundation
import Markdown

/// Splits a chapter's text into front matter, prose runs and steps.
enum ChapterParser {
    /// Parses the text of `path` (e.g. "Content/03-data.md") as one Markdown document.
    ///
    /// A UTF-8 byte-order mark is ignored, CRLF and CR line endings count as `\n`, and a front matter block
    /// (`---` … `---` or `...`, possibly empty) is read and blanked, so positions in the document are the
    /// file's. Steps are the document's fenced code blocks whose info string starts with the word `swift`,
    /// wherever they stand. A fence that looks like a step but is not one (```` ```Swift ````,
    /// ```` ```swift,hidden ````, ```` ```{swift} ````) is an error that says what is accepted.
    static func parse(_ source: String, path: String, slug: String, number: Int) throws -> (Chapter, [(slug: String, line: Int)]) {
        var source = source
        if source.unicodeScalars.first == "\u{FEFF}" { source.unicodeScalars.removeFirst() }
        // One line ending, as cmark counts lines: CRLF and lone CR both end a line. (In Swift "\r\n" is a
        // single Character, so splitting on "\n" alone would miss it.)
        if source.containsByte(0x0D) {
            source = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        var frontMatter: ChapterFrontMatter?
        var markdown = source
        if source.utf8.starts(with: "---".utf8), case let bytes = Array(source.utf8), let block = Self.frontMatterBlock(bytes) {
            guard let close = block.close else {
                throw NotebookError.frontMatter(path: path, line: 1,
                                                message: "the front matter starting here has no closing '---' line.")
            }
            let yaml = String(decoding: bytes[block.yaml], as: UTF8.self)
            frontMatter = try ChapterFrontMatter(yaml: yaml, path: path, firstLine: 2)
            // Blank the front matter so Markdown line numbers stay file line numbers: each of its lines
            // (the fences too) becomes an empty line.
            var blanked = [UInt8](repeating: 0x0A, count: close.lines)
            blanked += bytes[close.end...]
            markdown = String(decoding: blanked, as: UTF8.self)
        }

        let outline = Markdown.outline(of: markdown)
        var steps: [Step] = []
        for block in outline.fencedCode {
            let words = block.info.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let language = words.first else { continue }
            guard language == "swift" else {
                if looksLikeStep(language) {
                    throw NotebookError.notAStep(path: path, line: block.start.line, column: block.start.column,
                                                 info: block.info)
                }
                continue
            }
            let flags = try parseFlags(words.dropFirst(), path: path, line: block.start.line)
            var step = Step(index: steps.count + 1, line: block.start.line, code: block.code, flags: flags)
            step.indent = block.start.column - 1
            steps.append(step)
        }

        try checkExercises(steps, path: path)

        let heading = outline.headings.first { $0.level == 1 }
        let title = frontMatter?.title ?? heading?.text ?? slug
        var chapter = Chapter(path: path, slug: slug, number: number, title: title, summary: frontMatter?.summary,
                              timeout: frontMatter?.timeout ?? 60, markdown: markdown, steps: steps,
                              dependsOn: frontMatter?.dependsOn.map(\.slug) ?? [])
        chapter.titleLine = frontMatter?.title != nil ? frontMatter?.titleLine : heading?.line
        chapter.limits = frontMatter?.limits ?? ChapterLimits()
        return (chapter, frontMatter?.dependsOn ?? [])
    }

    /// Where a front matter block is in `bytes` (UTF-8, LF line endings): nil when the first line is not
    /// `---` (trailing spaces and tabs allowed). `yaml` is the byte range between the fences; `close` is nil
    /// when no later line is `---` or `...`, else the number of lines before the closing one and the byte
    /// offset where the closing line ends (at its line break, which the rest keeps).
    static func frontMatterBlock(_ bytes: [UInt8]) -> (yaml: Range<Int>, close: (lines: Int, end: Int)?)? {
        func isFence(_ line: ArraySlice<UInt8>, dots: Bool) -> Bool {
            var end = line.endIndex
            while end > line.startIndex, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
            let trimmed = line[line.startIndex..<end]
            return trimmed.elementsEqual("---".utf8) || (dots && trimmed.elementsEqual("...".utf8))
        }
        var start = 0, number = 0
        var yamlStart = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            number += 1
            if number == 1 {
                guard isFence(line, dots: false) else { return nil }
                yamlStart = min(end + 1, bytes.count)
            } else if isFence(line, dots: true) {
                return (yamlStart..<max(yamlStart, start - 1), (number - 1, end))
            }
            if end == bytes.count { break }
            start = end + 1
        }
        return (yamlStart..<bytes.count, nil)
    }

    /// Whether a fence's language word was probably meant as `swift`: any capitalisation, or `swift` glued to
    /// other characters (`swift,hidden`, `{swift}`, `.swift`), but not another language (`swiftui`).
    static func looksLikeStep(_ language: String) -> Bool {
        let word = language.lowercased().drop(while: { "{.".contains($0) })
        guard word.hasPrefix("swift") else { return false }
        let rest = word.dropFirst(5)
        return rest.isEmpty || !(rest.first!.isLetter || rest.first!.isNumber)
    }

    /// The flags after `swift` in an info string, e.g. `hidden hide-output`.
    static func parseFlags<Words: Sequence<String>>(_ words: Words, path: String, line: Int) throws -> StepFlags {
        var flags = StepFlags()
        for word in words {
            switch word {
            case "hidden": flags.hidden = true
            case "norun": flags.norun = true
            case "hide-output": flags.hideOutput = true
            case "expect-error": flags.expectError = true
            case "fold", "unfold":
                let fold = word == "fold"
                if flags.fold == !fold {
                    throw NotebookError.conflictingStepFlags(
                        path: path, line: line,
                        message: "a step cannot be both 'fold' and 'unfold'; keep one of them.")
                }
                flags.fold = fold
            case "exercise", "check", "solution":
                let part = ExercisePart(rawValue: word)!
                if let other = flags.part, other != part {
                    throw NotebookError.conflictingStepFlags(
                        path: path, line: line,
                        message: "a step cannot be both '\(other.rawValue)' and '\(word)': an exercise, its check and its solution are three steps; keep one of them.")
                }
                flags.part = part
            default: throw NotebookError.unknownStepFlag(path: path, line: line, flag: word)
            }
        }
        if flags.norun, flags.expectError {
            throw NotebookError.conflictingStepFlags(
                path: path, line: line,
                message: "a step cannot be both 'norun' and 'expect-error': a step that never runs cannot fail; keep one of them.")
        }
        if flags.hidden, let fold = flags.fold {
            throw NotebookError.conflictingStepFlags(
                path: path, line: line,
                message: "a step cannot be both 'hidden' and '\(fold ? "fold" : "unfold")': a hidden step shows no code to fold; keep one of them.")
        }
        if let part = flags.part {
            // An exercise runs and is shown like any step (it may fold or hide its output); a check is never
            // shown and a solution never runs in a build, so they take no other flag.
            let others = StepFlags(hidden: flags.hidden, norun: flags.norun, hideOutput: flags.hideOutput,
                                   expectError: flags.expectError, fold: part == .exercise ? nil : flags.fold).words
                .filter { part != .exercise || $0 != "hide-output" }
            if let other = others.first {
                let why = switch part {
                case .exercise: "an exercise is starting code the student edits and runs; it may only add 'fold', 'unfold' or 'hide-output'"
                case .check: "a check step is never shown and runs after its exercise; it takes no other flag"
                case .solution: "a solution step never runs in a build and is shown only in the teacher edition; it takes no other flag"
                }
                throw NotebookError.conflictingStepFlags(
                    path: path, line: line,
                    message: "a step cannot be both '\(part.rawValue)' and '\(other)': \(why); remove '\(other)'.")
            }
        }
        return flags
    }

    /// Checks that every `check` and `solution` step follows an `exercise`, that an exercise has exactly one
    /// check and at most one solution, and that every exercise has its check.
    static func checkExercises(_ steps: [Step], path: String) throws {
        var current: (step: Step, check: Step?, solution: Step?)?
        func close() throws {
            if let pending = current, pending.check == nil {
                throw NotebookError.conflictingStepFlags(
                    path: path, line: pending.step.line,
                    message: "this exercise has no check: add a '```swift check' step after it that calls check(condition, \"message\") on the exercise's results.")
            }
        }
        for step in steps {
            switch step.flags.part {
            case .exercise?:
                try close()
                current = (step, nil, nil)
            case let part?:
                guard var pending = current else {
                    throw NotebookError.conflictingStepFlags(
                        path: path, line: step.line,
                        message: "this '\(part.rawValue)' step has no exercise before it: put it after the '```swift exercise' step it belongs to.")
                }
                let earlier = part == .check ? pending.check : pending.solution
                if let earlier {
                    throw NotebookError.conflictingStepFlags(
                        path: path, line: step.line,
                        message: "the exercise at line \(pending.step.line) already has a \(part.rawValue) step (line \(earlier.line)); an exercise has one \(part.rawValue): merge the two, or start a new exercise with '```swift exercise'.")
                }
                if part == .check { pending.check = step } else { pending.solution = step }
                current = pending
            case nil:
                continue
            }
        }
        try close()
    }
}
