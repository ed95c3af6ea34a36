/// A message about a place in a chapter, printed like a compiler's: `error: Content/04-feedback.md:57:12: cannot find 'modle' in scope`.
public struct Diagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable, Hashable {
        case error, warning, note
    }
    public var severity: Severity
    /// Relative to the project root, e.g. "Content/04-feedback.md".
    public var file: String
    public var line: Int
    public var column: Int?
    public var message: String
    /// What the step printed before it failed (the last lines), for runtime failures.
    public var output: String?

    public init(severity: Severity = .error, file: String, line: Int, column: Int? = nil, message: String,
                output: String? = nil) {
        self.severity = severity; self.file = file; self.line = line; self.column = column; self.message = message
        self.output = output
    }

    /// `file:line:column`, or `file:line` without a column.
    public var place: String {
        column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }

    public var description: String {
        "\(severity.rawValue): \(place): \(message)"
    }

    /// The description followed by the step's output so far, indented, when there is any.
    public var descriptionWithOutput: String {
        guard let output, !output.isEmpty else { return description }
        // A final newline ends the last line; it does not start an empty one.
        let text = output.hasSuffix("\n") ? output.dropLast() : output[...]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { "    | \($0)" }
        return description + "\n    output so far:\n" + lines.joined(separator: "\n")
    }
}
