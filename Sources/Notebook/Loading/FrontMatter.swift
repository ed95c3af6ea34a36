import BookModel
import Yams

/// Reads YAML front matter (and book.yml) with Yams, turning every problem into an error at file:line.
struct YAMLMapping {
    /// One `key: value` entry with the file line of its key.
    struct Entry {
        var key: String
        var value: Node
        var line: Int
    }

    var entries: [Entry]

    init(entries: [Entry]) { self.entries = entries }

    /// Parses `yaml`, whose first line is line `firstLine` of `path`. Empty YAML is an empty mapping.
    init(yaml: String, path: String, firstLine: Int) throws {
        if let simple = Self.plainEntries(yaml, firstLine: firstLine) {
            self.init(entries: simple)
        } else {
            try self.init(composing: yaml, path: path, firstLine: firstLine)
        }
        var seen: [String: Int] = [:]
        for entry in entries {
            if let first = seen[entry.key] {
                throw NotebookError.frontMatter(path: path, line: entry.line,
                                                message: "'\(entry.key)' is given twice (lines \(first) and \(entry.line)); keep one of them.")
            }
            seen[entry.key] = entry.line
        }
    }

    /// The entries of `yaml` when every line is blank or `key: value` with a key of letters, digits, `-` and
    /// `_`, and a value that YAML reads as a plain scalar exactly as written: printable ASCII, not starting
    /// with an indicator (`-?:,[]{}#&*!|>'"%@` or a backquote) and without `: ` or ` #` in it or a `:` or space
    /// at its end. That is what nearly every chapter's front matter looks like, and reading it costs a
    /// fraction of a YAML parse (a 1,000-chapter book parses 1,000 of them per build). The values are the
    /// plain scalars Yams composes (same text, tag and style), so numbers, booleans and the checks behave
    /// the same. Anything else (comments, quotes, lists, `depends-on`, non-ASCII text) returns nil and goes
    /// through Yams.
    static func plainEntries(_ yaml: String, firstLine: Int) -> [Entry]? {
        var entries: [Entry] = []
        var line = firstLine - 1
        for raw in yaml.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            if raw.isEmpty { continue }
            guard let colon = raw.firstIndex(of: 0x3A) else { return nil }
            let key = raw[raw.startIndex..<colon]
            guard let first = key.first, Self.isLetter(first),
                  key.allSatisfy({ Self.isLetter($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }) else { return nil }
            var value = raw[raw.index(after: colon)...]
            guard value.first == 0x20 else { return nil }
            while value.first == 0x20 { value = value.dropFirst() }
            guard let start = value.first, let end = value.last,
                  !Self.indicators.contains(start), end != 0x20, end != 0x3A,
                  value.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
            var previous: UInt8 = 0
            for byte in value {
                if (previous == 0x3A && byte == 0x20) || (previous == 0x20 && byte == 0x23) { return nil }
                previous = byte
            }
            let name = String(decoding: key, as: UTF8.self)
            if name == "depends-on" { return nil }
            entries.append(Entry(key: name, value: .scalar(.init(String(decoding: value, as: UTF8.self), .implicit, .plain)),
                                 line: line))
        }
        return entries
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static let indicators = Set("-?:,[]{}#&*!|>'\"%@`".utf8)

    init(composing yaml: String, path: String, firstLine: Int) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.located(error, path: path, firstLine: firstLine)
        } catch {
            throw NotebookError.frontMatter(path: path, line: firstLine, message: "the YAML could not be read: \(error).")
        }
        guard let node else { entries = []; return }
        guard let mapping = node.mapping else {
            throw NotebookError.frontMatter(path: path, line: Self.line(of: node, firstLine: firstLine),
                                            message: "front matter must be a mapping of keys to values, like 'title: Data'.")
        }
        entries = mapping.map { pair in
            Entry(key: pair.key.string ?? "", value: pair.value, line: Self.line(of: pair.key, firstLine: firstLine))
        }
    }

    /// The entries as text, for comparing two readings: key, line, and the value as each reader sees it.
    var readings: [String] {
        entries.map { entry in
            let value = entry.value
            return [entry.key, "\(entry.line)", value.string ?? "-", value.float.map { "\($0)" } ?? "-",
                    value.int.map { "\($0)" } ?? "-", value.bool.map { "\($0)" } ?? "-", value.null == nil ? "" : "null",
                    value.scalar == nil ? "not scalar" : "scalar", value.tag.description].joined(separator: "|")
        }
    }

    static func line(of node: Node, firstLine: Int) -> Int {
        (node.mark?.line ?? 1) - 1 + firstLine
    }

    private static func located(_ error: YamlError, path: String, firstLine: Int) -> NotebookError {
        switch error {
        case let .scanner(context, problem, mark, yaml), let .parser(context, problem, mark, yaml),
             let .composer(context, problem, mark, yaml):
            let problemLine = mark.line - 1 + firstLine
            guard let context else {
                return .frontMatter(path: path, line: problemLine, message: "invalid YAML: \(problem).")
            }
            // A construct left open (`[a, b` or `"text`) is only noticed where the YAML ends; then the line
            // where it starts is the one to fix.
            let contextLine = context.mark.line - 1 + firstLine
            let yamlLines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
            let atEnd = mark.line > yamlLines || (mark.line == yamlLines && yaml.hasSuffix("\n"))
            let line = atEnd && contextLine < problemLine ? contextLine : problemLine
            let start = contextLine == line ? "" : " that starts on line \(contextLine)"
            return .frontMatter(path: path, line: line, message: "invalid YAML: \(problem) \(context.text)\(start).")
        default:
            return .frontMatter(path: path, line: firstLine, message: "invalid YAML: \(error).")
        }
    }

    /// The value as a string, or an error naming the key.
    static func string(_ entry: Entry, path: String) throws -> String {
        guard entry.value.scalar != nil, let text = entry.value.string else {
            // `title: {{ key }}` is a YAML flow mapping, not a placeholder: say how to write it.
            let hint = entry.value.mapping != nil
                ? " (YAML reads a value that starts with { as a mapping: put it in quotes, e.g. \(entry.key): \"{{ key }} and more\")" : ""
            throw NotebookError.frontMatter(path: path, line: entry.line, message: "'\(entry.key)' must be text, not \(describe(entry.value))\(hint).")
        }
        return text
    }

    /// The value as text that is not blank, has no control characters (and no line breaks unless
    /// `oneLine` is false) and at most `maxLength` characters; else an error saying which rule it breaks.
    static func text(_ entry: Entry, path: String, maxLength: Int, oneLine: Bool = true) throws -> String {
        let raw = try string(entry, path: path)
        // Printable ASCII (nearly every title and summary): no control characters or line breaks, one
        // character per byte, so the checks below reduce to emptiness and length.
        if raw.utf8.allSatisfy({ (0x21...0x7E).contains($0) || $0 == 0x20 }), let first = raw.utf8.first, let last = raw.utf8.last,
           first != 0x20, last != 0x20 {
            if raw.utf8.count <= maxLength { return raw }
        }
        let text = raw.trimmingSpaces()
        let kind = oneLine ? "one line of text" : "text"
        let rule = "'\(entry.key)' must be \(kind) of 1 to \(maxLength) characters"
        func fail(_ problem: String) -> NotebookError {
            .frontMatter(path: path, line: entry.line, message: "\(rule); \(problem).")
        }
        if text.isEmpty { throw fail("it is empty") }
        if oneLine, text.contains(where: \.isNewline) { throw fail("it spans several lines") }
        if let control = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            throw fail("it contains the control character U+\(String(control.value, radix: 16, uppercase: true).leftPadded(to: 4))")
        }
        if text.count > maxLength { throw fail("it has \(text.count)") }
        return text
    }

    /// The value as a number from `range` (with a unit for byte counts), else an error naming the range.
    static func number(_ entry: Entry, path: String, range: ClosedRange<Double>, rule: String) throws -> Double {
        guard entry.value.scalar != nil, let value = entry.value.float, value.isFinite, range.contains(value) else {
            throw NotebookError.frontMatter(path: path, line: entry.line, message: "\(rule); it is \(describe(entry.value)).")
        }
        return value
    }

    /// A byte count like `4GB` from `range`, else an error that names the range.
    static func bytes(_ entry: Entry, path: String, range: ClosedRange<Int64>, example: String) throws -> Int64 {
        let rule = "'\(entry.key)' must be a size from \(ByteSize.format(range.lowerBound)) to \(ByteSize.format(range.upperBound)) with a unit (B, KB, MB, GB, TB, or KiB, MiB, GiB, TiB), e.g. '\(entry.key): \(example)'"
        guard entry.value.scalar != nil, let text = entry.value.string, let bytes = ByteSize.parse(text), range.contains(bytes) else {
            throw NotebookError.frontMatter(path: path, line: entry.line, message: "\(rule); it is \(describe(entry.value)).")
        }
        return bytes
    }

    /// What a value is, for messages: `'2e10'` for a scalar (shortened), `a list`, `a mapping`, `empty`.
    static func describe(_ node: Node) -> String {
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        guard let text = node.string, !text.isEmpty else { return "empty" }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let short = line.count > 40 ? line.prefix(40) + "…" : line
        return "'\(short)'"
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// What a chapter's front matter says, every value checked against its allowed range.
struct ChapterFrontMatter {
    static let keys = ["title", "summary", "timeout", "depends-on", "memory", "max-file-size", "max-artifacts-size"]
    /// Seconds a chapter program may run: at least one, at most a day.
    static let timeoutRange: ClosedRange<Double> = 1...86_400
    static let memoryRange: ClosedRange<Int64> = 100_000_000...1_000_000_000_000
    static let fileSizeRange: ClosedRange<Int64> = 1_000_000...1_000_000_000_000
    static let artifactsSizeRange: ClosedRange<Int64> = 1_000_000...10_000_000_000

    var title: String?
    /// The line of the `title` entry.
    var titleLine: Int?
    var summary: String?
    var timeout: Double?
    var limits = ChapterLimits()
    /// Slugs with the line each was given on.
    var dependsOn: [(slug: String, line: Int)] = []

    init(yaml: String, path: String, firstLine: Int) throws {
        for entry in try YAMLMapping(yaml: yaml, path: path, firstLine: firstLine).entries {
            switch entry.key {
            case "title":
                title = try YAMLMapping.text(entry, path: path, maxLength: 200)
                titleLine = entry.line
            case "summary": summary = try YAMLMapping.text(entry, path: path, maxLength: 500, oneLine: false)
            case "timeout":
                timeout = try YAMLMapping.number(
                    entry, path: path, range: Self.timeoutRange,
                    rule: "'timeout' must be a number of seconds from 1 to 86400 (a day), e.g. 'timeout: 120'")
            case "memory":
                limits.memory = try YAMLMapping.bytes(entry, path: path, range: Self.memoryRange, example: "8GB")
            case "max-file-size":
                limits.maxFileSize = try YAMLMapping.bytes(entry, path: path, range: Self.fileSizeRange, example: "2GB")
            case "max-artifacts-size":
                limits.maxArtifactsSize = try YAMLMapping.bytes(entry, path: path, range: Self.artifactsSizeRange, example: "500MB")
            case "depends-on":
                let items = entry.value.sequence.map(Array.init) ?? [entry.value]
                for item in items {
                    let line = YAMLMapping.line(of: item, firstLine: firstLine)
                    guard item.scalar != nil, var slug = item.string?.trimmingSpaces(), !slug.isEmpty else {
                        throw NotebookError.frontMatter(path: path, line: line,
                                                        message: "'depends-on' must list chapter slugs, e.g. 'depends-on: [03-data]'; it has \(YAMLMapping.describe(item)).")
                    }
                    if slug.hasSuffix(".md") { slug.removeLast(3) }
                    if dependsOn.contains(where: { $0.slug == slug }) {
                        throw NotebookError.frontMatter(path: path, line: line,
                                                        message: "'depends-on' names '\(slug)' twice; list each chapter once.")
                    }
                    dependsOn.append((slug, line))
                }
            default:
                throw NotebookError.frontMatter(path: path, line: entry.line,
                                                message: "unknown front matter key '\(entry.key)'; expected one of \(Self.keys.joined(separator: ", ")).")
            }
        }
    }
}

/// What `Content/book.yml` says, every value checked.
struct BookFile {
    static let keys = ["title", "subtitle", "description", "author", "language", "logo", "repository", "edit-url", "site-url", "code-fold",
                       "print", "downloads"]
    /// The kinds of file a logo may be.
    static let logoExtensions = ["svg", "png", "jpg", "jpeg", "gif", "webp", "ico"]

    var title: String?
    var subtitle: String?
    var author: String?
    var language: String?
    /// The logo's path relative to the content folder, and the line it was given on (the loader checks that
    /// the file exists).
    var logo: (path: String, line: Int)?
    var repository: String?
    var editURL: String?
    /// Ends in "/".
    var siteURL: String?
    /// Whether steps show their code folded unless they say `unfold`.
    var codeFold: Bool?
    /// Whether the site has a print page (nil: decided by the number of chapters).
    var print: Bool?
    /// Whether chapters with code offer their Markdown and a runnable Swift package for download.
    var downloads: Bool?

    init(yaml: String, path: String) throws {
        for entry in try YAMLMapping(yaml: yaml, path: path, firstLine: 1).entries {
            switch entry.key {
            case "title": title = try YAMLMapping.text(entry, path: path, maxLength: 200)
            case "subtitle", "description":
                if subtitle != nil {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'subtitle' and 'description' are the same setting; keep one of them.")
                }
                subtitle = try YAMLMapping.text(entry, path: path, maxLength: 500, oneLine: false)
            case "author": author = try YAMLMapping.text(entry, path: path, maxLength: 200)
            case "language":
                let text = try YAMLMapping.text(entry, path: path, maxLength: 35)
                guard Self.isLanguageTag(text) else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'language' must be a language tag like en, fr or pt-BR; it is \(YAMLMapping.describe(entry.value)).")
                }
                language = text
            case "logo":
                let text = try YAMLMapping.text(entry, path: path, maxLength: 500)
                guard Self.isLogoPath(text) else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'logo' must be the path of an image file inside Content/ (\(Self.logoExtensions.dropLast().map { "." + $0 }.joined(separator: ", ")) or .\(Self.logoExtensions.last!)), e.g. 'logo: images/logo.svg'; it is \(YAMLMapping.describe(entry.value)).")
                }
                logo = (text, entry.line)
            case "repository":
                repository = try Self.webAddress(entry, path: path, rule: "'repository' must be a web address starting with https:// or http://, e.g. 'repository: https://github.com/you/book'")
            case "edit-url":
                let url = try Self.webAddress(entry, path: path, rule: "'edit-url' must be a web address starting with https:// or http://, e.g. 'edit-url: https://github.com/you/book/edit/main/Content/{path}'")
                guard url.contains("{path}") else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'edit-url' must contain {path}, which each chapter replaces with its file name, e.g. 'edit-url: https://github.com/you/book/edit/main/Content/{path}'.")
                }
                editURL = url
            case "site-url":
                let url = try Self.webAddress(entry, path: path, rule: "'site-url' must be the web address the site is published at, starting with https:// or http://, e.g. 'site-url: https://example.org/book/'")
                if url.contains("?") || url.contains("#") {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'site-url' must be the address of the site's folder, without '?' or '#', e.g. 'site-url: https://example.org/book/'; it is \(YAMLMapping.describe(entry.value)).")
                }
                siteURL = url.hasSuffix("/") ? url : url + "/"
            case "code-fold":
                guard entry.value.scalar != nil, let value = entry.value.bool else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'code-fold' must be true or false, e.g. 'code-fold: true'; it is \(YAMLMapping.describe(entry.value)).")
                }
                codeFold = value
            case "print":
                guard entry.value.scalar != nil, let value = entry.value.bool else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'print' must be true or false, e.g. 'print: false'; it is \(YAMLMapping.describe(entry.value)).")
                }
                print = value
            case "downloads":
                guard entry.value.scalar != nil, let value = entry.value.bool else {
                    throw NotebookError.frontMatter(path: path, line: entry.line,
                                                    message: "'downloads' must be true or false, e.g. 'downloads: false'; it is \(YAMLMapping.describe(entry.value)).")
                }
                downloads = value
            default:
                throw NotebookError.frontMatter(path: path, line: entry.line,
                                                message: "unknown key '\(entry.key)' in book.yml; expected one of \(Self.keys.joined(separator: ", ")).")
            }
        }
    }

    /// A BCP 47 language tag as people write them: a 2–3 letter language, then subtags of 1–8 letters or
    /// digits ("en", "de-CH", "zh-Hant-TW").
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// A relative path inside the content folder (no "..", not absolute, no backslash) to an image file.
    static func isLogoPath(_ text: String) -> Bool {
        let components = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !text.hasPrefix("/"), !text.contains("\\"),
              !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".") }),
              let name = components.last, let dot = name.lastIndex(of: ".") else { return false }
        return logoExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// An http(s) address with a host and no spaces, quotes or angle brackets, else an error with `rule`.
    static func webAddress(_ entry: YAMLMapping.Entry, path: String, rule: String) throws -> String {
        let fail = NotebookError.frontMatter(path: path, line: entry.line, message: "\(rule); it is \(YAMLMapping.describe(entry.value)).")
        guard entry.value.scalar != nil, let text = entry.value.string?.trimmingSpaces() else { throw fail }
        let lower = text.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }) else { throw fail }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, text.count <= 2000,
              !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "\"'<>\\`".unicodeScalars.contains($0) })
        else { throw fail }
        return text
    }
}
