import BookModel

/// Reads swiftc's output: its `error:` lines become diagnostics that point into the chapter file.
enum CompilerDiagnostics {
    /// The `error:` lines of swiftc's output as diagnostics, without repeats; errors in the generated glue
    /// around the steps (any file but the chapter) point at the chapter's first code line.
    /// Errors in a shared file (`sharedPaths`, e.g. "Content/shared/metrics.swift") point at its own line.
    static func parse(_ text: String, chapter: Chapter, sharedPaths: Set<String> = []) -> [Diagnostic] {
        let chapterLine = StepLines.chapterLine(of: chapter)
        var errors: [Diagnostic] = []
        var seen: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: ": error: ") else { continue }
            let location = line[..<range.lowerBound]
            let message = String(line[range.upperBound...])
            let parts = location.split(separator: ":", omittingEmptySubsequences: false)
            var diagnostic: Diagnostic
            if parts.count >= 3, let lineNumber = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) {
                let file = parts.dropLast(2).joined(separator: ":")
                let indent = chapter.steps.last { $0.line < lineNumber }?.indent ?? 0
                if file == chapter.path {
                    diagnostic = Diagnostic(file: file, line: lineNumber, column: column + indent, message: message)
                } else if sharedPaths.contains(file) {
                    diagnostic = Diagnostic(file: file, line: lineNumber, column: column, message: message)
                } else {
                    diagnostic = Diagnostic(file: chapter.path, line: chapterLine,
                                            message: "in the code generated around the steps: \(message)")
                }
            } else {
                diagnostic = Diagnostic(file: chapter.path, line: chapterLine, message: message)
            }
            if seen.insert(diagnostic.description).inserted { errors.append(diagnostic) }
        }
        if errors.isEmpty {
            let summary = text.split(separator: "\n").suffix(5).joined(separator: " ")
            errors.append(Diagnostic(file: chapter.path, line: chapterLine,
                                     message: "the compiler failed without an error message: \(summary)"))
        }
        return errors
    }
}
