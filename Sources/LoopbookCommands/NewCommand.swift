import ArgumentParser
import Foundation

/// `loopbook new "Title"`: start a chapter with the next number.
public struct NewCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new chapter with the next free number.",
        discussion: """
            Writes Content/NN-slug.md, where NN is one more than the highest chapter number and the slug \
            comes from the title, with front matter, a "What you will learn" opening, one example step and \
            a "Try it" section. An existing file is never overwritten.
            """)

    @OptionGroup public var project: ProjectOptions

    @Argument(help: ArgumentHelp("The chapter's title, e.g. \"Measuring drift\".", valueName: "title"))
    public var title: String

    public init() {}

    public func run() async throws {
        try await perform(console: .standard)
    }

    public func perform(console: Console) async throws {
        let layout = project.layout
        do {
            let file = try ChapterTemplate.create(title: title, in: layout.content)
            console.print(layout.display(file))
        } catch {
            console.error("\(error)".replacingOccurrences(of: layout.root.path + "/", with: ""))
            throw ExitCode.failure
        }
    }
}

/// Why a new chapter could not be created.
public enum NewChapterError: Error, Equatable, CustomStringConvertible {
    case emptySlug(title: String)
    /// The title holds a line break, tab or other control character (the first one, as U+XXXX).
    case controlCharacter(code: String)
    /// The title is longer than `ChapterTemplate.maximumTitleLength` characters.
    case titleTooLong(length: Int)
    case exists(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .emptySlug(title):
            "The title '\(title)' has no letters or digits to make a file name from; use a title like \"Measuring drift\"."
        case let .controlCharacter(code):
            "The title contains a line break or another control character (\(code)); write the title as one line of plain text, e.g. \"Measuring drift\"."
        case let .titleTooLong(length):
            "The title is \(length) characters long; keep it to \(ChapterTemplate.maximumTitleLength) or fewer and put the rest in the chapter's summary."
        case let .exists(path):
            "\(path) already exists; choose another title or remove the file."
        case let .cannotWrite(path, reason):
            "\(path) could not be written: \(reason)."
        }
    }
}

/// The skeleton of a new chapter and where it goes.
public enum ChapterTemplate {
    /// "Measuring drift!" → "measuring-drift": lower-case ASCII letters and digits, other runs become one dash.
    public static func slug(for title: String) -> String {
        var result = ""
        var pendingDash = false
        // Letters with diacritics keep their base letter ("Übung" → "ubung"), as slugify in Django and
        // Hugo does: a chapter file name is lower-case ASCII.
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        for scalar in folded.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash, !result.isEmpty { result += "-" }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        if result.count > 48 {
            result = String(result.prefix(48))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result
    }

    /// One more than the highest `NN-` prefix among the `.md` files in `content` (1 when there are none).
    public static func nextNumber(in content: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: content.path)) ?? []
        let numbers = names.filter { $0.hasSuffix(".md") }.compactMap { name in
            Int(name.prefix { $0.isASCII && $0.isNumber })
        }
        return (numbers.max() ?? 0) + 1
    }

    /// The longest title `create` accepts, in characters.
    public static let maximumTitleLength = 200

    /// The title as `create` uses it: without surrounding spaces; throws for a line break or another control
    /// character (a title is one line) and for a title longer than `maximumTitleLength`.
    public static func validatedTitle(_ title: String) throws(NewChapterError) -> String {
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        // Control characters (C0, DEL, C1) and the Unicode line and paragraph separators, which YAML and
        // Markdown both read as line breaks.
        if let bad = trimmed.unicodeScalars.first(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw .controlCharacter(code: "U+" + hex(bad.value, digits: 4))
        }
        if trimmed.count > maximumTitleLength { throw .titleTooLong(length: trimmed.count) }
        return trimmed
    }

    /// `text` as a YAML double-quoted scalar: `\` and `"` escaped, and every character YAML does not allow
    /// as it is (control characters, the byte order mark, U+FFFE and U+FFFF) written as `\uXXXX`.
    public static func yamlQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            default:
                let value = scalar.value
                let printable = value == 0x09 || (0x20...0x7E).contains(value) || value == 0x85
                    || (0xA0...0xD7FF).contains(value) || ((0xE000...0xFFFD).contains(value) && value != 0xFEFF)
                    || (0x10000...0x10FFFF).contains(value)
                if printable && value != 0x85 && value != 0x2028 && value != 0x2029 {
                    result.unicodeScalars.append(scalar)
                } else {
                    result += value <= 0xFFFF ? "\\u" + hex(value, digits: 4) : "\\U" + hex(value, digits: 8)
                }
            }
        }
        return result + "\""
    }

    /// `value` in upper-case hexadecimal, zero-padded to `digits`.
    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// `text` for a Markdown heading that reads exactly `text`: ASCII punctuation that Markdown, HTML, a
    /// `{{ key }}` placeholder or smart punctuation (curly quotes, `--` and `...`) would change is
    /// backslash-escaped.
    public static func markdownEscaped(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        for (index, character) in characters.enumerated() {
            let repeated = (index > 0 && characters[index - 1] == character)
                || (index + 1 < characters.count && characters[index + 1] == character)
            if "\\`*_[]<>&!#{}~|\"'".contains(character) || ("-.".contains(character) && repeated) {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }

    /// The chapter's Markdown (for a title that passed `validatedTitle`).
    public static func text(title: String) -> String {
        return """
            ---
            title: \(yamlQuoted(title))
            summary: One sentence on what this chapter shows.
            ---

            # \(markdownEscaped(title))

            What you will learn:

            - the first idea of this chapter;
            - how to see it in numbers.

            ## A first step

            Every `swift` code block is a step: it runs when the book is built, and its output appears below it.

            ```swift
            let values = [3.0, 1.0, 4.0, 1.0, 5.0]
            let mean = values.reduce(0, +) / Double(values.count)
            print("mean:", mean)
            ```

            ## Try it

            Change the values above, run `loopbook build` (or keep `loopbook serve` open), and watch the
            output change.

            """
    }

    /// Writes the skeleton as `content/NN-slug.md` (NN defaults to the next number) and returns its URL;
    /// never overwrites a file. The title is checked first (`validatedTitle`).
    public static func create(title: String, in content: URL, number: Int? = nil) throws(NewChapterError) -> URL {
        let title = try validatedTitle(title)
        let slug = slug(for: title)
        guard !slug.isEmpty else { throw .emptySlug(title: title) }
        let number = number ?? nextNumber(in: content)
        let name = (number < 10 ? "0\(number)" : "\(number)") + "-" + slug + ".md"
        let file = content.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: content.path, reason: error.localizedDescription)
        }
        // O_EXCL: refuse to overwrite, even if the file appeared after we looked.
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .exists(path: file.path) }
            throw .cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(text(title: title).utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw .cannotWrite(path: file.path, reason: String(cString: strerror(errno)))
        }
        return file
    }
}
