import BookModel
/// Why a book could not be loaded or run (as opposed to a step failing, which is a `Diagnostic`).
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The content folder does not exist.
    case contentDirectoryMissing(path: String)
    /// The content folder holds no chapter files.
    case contentDirectoryEmpty(path: String)
    /// A file in the content folder is not named `NN-slug.md`.
    case badChapterFileName(path: String)
    /// Two chapters share a numeric prefix.
    case duplicateChapterNumber(path: String, otherPath: String)
    /// A file is not valid UTF-8; `line` is the line of the first invalid byte, `byte` its value.
    case notUTF8(path: String, line: Int? = nil, byte: UInt8? = nil)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// Front matter (or book.yml) is not valid YAML, has an unknown key, or a value of the wrong type.
    case frontMatter(path: String, line: Int, message: String)
    /// A step's info string has a flag that is not one of the known ones.
    case unknownStepFlag(path: String, line: Int, flag: String)
    /// A fence that looks like a step but is not one (```` ```Swift ````, ```` ```swift,hidden ````).
    case notAStep(path: String, line: Int, column: Int, info: String)
    /// A step's flags contradict each other (e.g. `norun` and `expect-error`).
    case conflictingStepFlags(path: String, line: Int, message: String)
    /// `depends-on` names a chapter that does not exist.
    case unknownDependency(path: String, line: Int, slug: String)
    /// A chapter's `depends-on` names the chapter itself.
    case selfDependency(path: String, line: Int, slug: String)
    /// A file in the content folder (or its data/) that the build cannot use: a pipe, socket or device,
    /// a link that leads outside the content folder, or a file too large; `message` says which and what to do.
    case unusableFile(path: String, message: String)
    /// Chapters depend on each other in a circle.
    case dependencyCycle(slugs: [String])
    /// The `--chapter` filter matched nothing.
    case noMatchingChapter(filter: String)
    /// libLoopbookKit.so and its modules were not found.
    case libraryNotFound(searched: [String])
    /// swiftc could not be started.
    case compilerUnavailable(path: String, message: String)

    public var description: String {
        switch self {
        case let .contentDirectoryMissing(path):
            "The content folder '\(path)' does not exist; create it and put chapters named like 01-intro.md in it."
        case let .contentDirectoryEmpty(path):
            "The content folder '\(path)' has no chapters; add a file named like 01-intro.md."
        case let .badChapterFileName(path):
            "\(path): a chapter file must be named NN-slug.md (a number, a dash, lower-case letters, digits and dashes), e.g. 03-data.md."
        case let .duplicateChapterNumber(path, otherPath):
            "\(path): its number is already used by \(otherPath); give each chapter its own number."
        case let .notUTF8(path, line, byte):
            "\(path)\(line.map { ":\($0)" } ?? ""): \(Self.notUTF8Message(byte: byte))"
        case let .io(path, message):
            "\(path): \(message)"
        case let .frontMatter(path, line, message):
            "\(path):\(line): \(message)"
        case let .unknownStepFlag(path, line, flag):
            "\(path):\(line): unknown step flag '\(flag)'; expected one of \(StepFlags.names.joined(separator: ", "))."
        case let .conflictingStepFlags(path, line, message):
            "\(path):\(line): \(message)"
        case let .notAStep(path, line, column, info):
            "\(path):\(line):\(column): \(Self.notAStepMessage(info))"
        case let .unknownDependency(path, line, slug):
            "\(path):\(line): depends-on names '\(slug)', which is not a chapter of this book."
        case let .selfDependency(path, line, slug):
            "\(path):\(line): \(Self.selfDependencyMessage(slug))"
        case let .unusableFile(path, message):
            "\(path): \(message)"
        case let .dependencyCycle(slugs):
            "The chapters \(slugs.joined(separator: " → ")) depend on each other in a circle; remove one depends-on entry."
        case let .noMatchingChapter(filter):
            "No chapter matches '\(filter)'; give a chapter's slug (03-data) or number (3)."
        case let .libraryNotFound(searched):
            "libLoopbookKit.so was not found (looked in: \(searched.joined(separator: ", "))); build it with 'swift build -c release --product LoopbookKit', install the tool with 'make install PREFIX=…', or set LOOPBOOK_LIBRARY_DIR."
        case let .compilerUnavailable(path, message):
            "The Swift compiler '\(path)' could not be run: \(message)"
        }
    }

    private static func notUTF8Message(byte: UInt8?) -> String {
        let hex = byte.map { String($0, radix: 16, uppercase: true) }.map { $0.count == 1 ? "0" + $0 : $0 }
        return "the file is not valid UTF-8 text\(hex.map { " (byte 0x\($0) here)" } ?? ""); save it as UTF-8."
    }

    private static func notAStepMessage(_ info: String) -> String {
        "the code block '```\(info)' looks like a step but is not one: a step starts with '```swift' in lower case, "
            + "then optional flags separated by spaces (\(StepFlags.names.joined(separator: ", "))), e.g. '```swift hidden'. "
            + "Write it that way to run it, or name another language to only show it."
    }

    private static func selfDependencyMessage(_ slug: String) -> String {
        "a chapter cannot depend on itself; remove '\(slug)' from depends-on."
    }

    /// The error as a located diagnostic, when it points at a line of a file.
    public var diagnostic: Diagnostic? {
        switch self {
        case let .frontMatter(path, line, message), let .conflictingStepFlags(path, line, message):
            Diagnostic(file: path, line: line, message: message)
        case let .unknownStepFlag(path, line, flag):
            Diagnostic(file: path, line: line, message: "unknown step flag '\(flag)'; expected one of \(StepFlags.names.joined(separator: ", ")).")
        case let .notAStep(path, line, column, info):
            Diagnostic(file: path, line: line, column: column, message: Self.notAStepMessage(info))
        case let .unknownDependency(path, line, slug):
            Diagnostic(file: path, line: line, message: "depends-on names '\(slug)', which is not a chapter of this book.")
        case let .selfDependency(path, line, slug):
            Diagnostic(file: path, line: line, message: Self.selfDependencyMessage(slug))
        case let .notUTF8(path, line?, byte):
            Diagnostic(file: path, line: line, message: Self.notUTF8Message(byte: byte))
        default:
            nil
        }
    }
}
