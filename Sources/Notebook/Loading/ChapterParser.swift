import BookModel
import Markdown

/// Splits a chapter's text into front matter, prose runs and steps.
enum ChapterParser {
    /// Parses the text of `path` (e.g. "Content/03-data.md").
    static func parse(_ source: String, path: String, slug: String, number: Int) throws -> (Chapter, [(slug: String, line: Int)]) {
        // One line ending, as cmark counts lines: CRLF and lone CR both end a line. (In Swift "\r\n" is a
        // single Character, so splitting on "\n" alone would miss it.)
        let normalized = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var frontMatter: ChapterFrontMatter?
        var bodyStart = 0  // index of the first body line
        if lines.first?.trimmingTrailingSpaces() == "---" {
            guard let close = lines.indices.dropFirst().first(where: {
                let line = lines[$0].trimmingTrailingSpaces()
                return line == "---" || line == "..."
            }) else {
                throw NotebookError.frontMatter(path: path, line: 1,
                                                message: "the front matter starting here has no closing '---' line.")
            }
            let yaml = lines[1..<close].joined(separator: "\n")
            frontMatter = try ChapterFrontMatter(yaml: yaml, path: path, firstLine: 2)
            bodyStart = close + 1
            // Blank the front matter so Markdown line numbers stay file line numbers.
            for index in 0..<bodyStart { lines[index] = "" }
        }
        let body = lines.joined(separator: "\n")

        var blocks: [Block] = []
        var steps = 0
        var proseStart = bodyStart + 1  // 1-based line where the current prose run may begin
        func flushProse(before endLine: Int) {
            var first = max(1, proseStart), last = min(endLine - 1, lines.count)
            while first <= last, lines[first - 1].allSatisfy(\.isWhitespace) { first += 1 }
            while last >= first, lines[last - 1].allSatisfy(\.isWhitespace) { last -= 1 }
            if first <= last {
                blocks.append(.prose(markdown: lines[(first - 1)...(last - 1)].joined(separator: "\n"), line: first))
            }
        }
        for block in Markdown.blocks(in: body) {
            guard case let .fencedCode(info, code) = block.kind else { continue }
            let words = info.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.first == "swift" else { continue }
            let flags = try parseFlags(words.dropFirst(), path: path, line: block.startLine)
            flushProse(before: block.startLine)
            steps += 1
            blocks.append(.step(Step(index: steps, line: block.startLine, code: code, flags: flags)))
            proseStart = block.endLine + 1
        }
        flushProse(before: lines.count + 1)

        let heading = Markdown.headings(in: body).first { $0.level == 1 }?.text
        let title = frontMatter?.title ?? heading ?? slug
        var chapter = Chapter(path: path, slug: slug, number: number, title: title, summary: frontMatter?.summary,
                              timeout: frontMatter?.timeout ?? 60, blocks: blocks,
                              dependsOn: frontMatter?.dependsOn.map(\.slug) ?? [])
        chapter.limits = frontMatter?.limits ?? ChapterLimits()
        return (chapter, frontMatter?.dependsOn ?? [])
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
            default: throw NotebookError.unknownStepFlag(path: path, line: line, flag: word)
            }
        }
        if flags.norun, flags.expectError {
            throw NotebookError.conflictingStepFlags(
                path: path, line: line,
                message: "a step cannot be both 'norun' and 'expect-error': a step that never runs cannot fail; keep one of them.")
        }
        return flags
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
