import BookModel
import Markdown

/// Numbered figures, tables, equations and sections, and the references prose makes to them, in Quarto's syntax:
///
/// - `![Caption](img.png){#fig-x}`: an image alone in its paragraph, labelled, is a figure;
/// - a paragraph `: Caption {#tbl-x}` right after a Markdown table is its caption;
/// - `$$ … $$ {#eq-x}`: a labelled display equation (the label after the closing dollars, on their line);
/// - `## Title {#sec-x}`: a section that can be referred to;
/// - a step whose first lines are `//| label: fig-x` (or `tbl-x`) and `//| fig-cap: "…"` (`tbl-cap`): the
///   first chart (or table) the step shows is the figure (or table);
/// - `@fig-x`, `@tbl-x`, `@eq-x`, `@sec-x` in prose: "Figure 3.2", "Table 3.1", "Equation 3.4", "Chapter 3" (a
///   chapter's own heading) or the section's title, linked; `[-@fig-x]` gives the number alone and
///   `[Fig. @fig-x]` the number after the given word.
///
/// Figures, tables and equations are numbered per chapter, `<chapter number>.<n>`, in the order they stand;
/// labels are unique in the whole book, so prose refers to any chapter's label. An `@` before anything but
/// these four prefixes (an e-mail address, `@MainActor`) is text.
struct CrossReferences: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case figure = "fig", table = "tbl", equation = "eq", section = "sec"

        var name: String {
            switch self {
            case .figure: "Figure"
            case .table: "Table"
            case .equation: "Equation"
            case .section: "Section"
            }
        }
    }

    /// Something a label names.
    struct Target: Sendable, Equatable {
        var label: String
        var kind: Kind
        /// "3.2" for a figure, table or equation; the chapter's number for a chapter's heading; "" for a section.
        var number: String
        /// The caption (figures, tables), or the section's title; plain text.
        var caption: String
        /// The page it is on.
        var slug: String
        /// Where it is defined: the line of its block (the step's fence, the table, the image's paragraph, the
        /// heading, the equation's `$$`), and the label's own column.
        var place: Diagnostic
        /// A section that is the chapter's own (level 1) heading.
        var isChapter = false
        /// For a step's chart or table: the line of the step's opening fence.
        var stepLine: Int?

        /// What a reference to it says: "Figure 3.2", "Chapter 3", or the section's title.
        var text: String {
            switch kind {
            case .section: isChapter ? "Chapter \(number)" : caption
            default: "\(kind.name) \(number)"
            }
        }

        /// The caption under a figure or over a table: "Figure 3.2: Accuracy by depth".
        var captionLine: String {
            caption.isEmpty ? "\(kind.name) \(number)" : "\(kind.name) \(number): \(caption)"
        }

        /// The link to it from the page `from`.
        func href(from page: String) -> String {
            (page == slug ? "" : slug + ".html") + "#" + label
        }

        /// What a page that refers to it shows of it (part of that page's cache key).
        var keyText: String { "\(kind.rawValue)\n\(number)\n\(caption)\n\(slug)\n\(isChapter)" }
    }

    /// Every label of the book.
    var targets: [String: Target] = [:]
    /// Each chapter's own targets (by position), in document order.
    var chapters: [[Target]] = []

    // MARK: - Labels

    static func isLabelByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// The kind a label's prefix names ("fig-x" → figure), if it has one of the four.
    static func kind(of label: String) -> Kind? {
        guard let dash = label.firstIndex(of: "-"), label.index(after: dash) < label.endIndex else { return nil }
        return Kind(rawValue: String(label[..<dash]))
    }

    /// A trailing `{#label}` attribute of `text` (Pandoc's, as Quarto writes it): the label and the text before it.
    static func trailingAttribute(_ text: String) -> (label: String, rest: String)? {
        var trimmed = Substring(text)
        while let last = trimmed.last, last == " " || last == "\t" || last == "\n" { trimmed.removeLast() }
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else { return nil }
        let label = String(trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)])
        guard !label.isEmpty, label.utf8.allSatisfy(isLabelByte), kind(of: label) != nil else { return nil }
        var rest = trimmed[..<open.lowerBound]
        while let last = rest.last, last == " " || last == "\t" { rest.removeLast() }
        return (label, String(rest))
    }

    // MARK: - Step options

    /// Quarto's cell options at the top of a step: `//| key: value` lines. They stay in the program (they are
    /// comments, so every line keeps its number) and are left out of the code the page shows.
    struct StepOptions: Sendable, Equatable {
        var label: String?
        /// Where the label option was written (its line and column in the chapter file).
        var labelPlace: Diagnostic?
        var caption: String?
        /// Which caption was given: `fig-cap` (a chart's) or `tbl-cap` (a table's).
        var captionKind: Kind?
        /// How many lines at the top of the step are options.
        var lineCount = 0
        var problems: [Diagnostic] = []

        static let keys = ["label", "fig-cap", "tbl-cap"]

        init(_ step: Step, file: String) {
            // Options stand at the top; most steps have none.
            guard step.code.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//|") else { return }
            let lines = step.code.split(separator: "\n", omittingEmptySubsequences: false)
            for (offset, line) in lines.enumerated() {
                let leading = line.prefix { $0 == " " || $0 == "\t" }
                guard line.dropFirst(leading.count).hasPrefix("//|") else { break }
                lineCount = offset + 1
                let body = line.dropFirst(leading.count + 3)
                let place = Diagnostic(file: file, line: step.line + 1 + offset, column: step.indent + leading.count + 1,
                                       message: "")
                func problem(_ message: String) {
                    var diagnostic = place
                    diagnostic.message = message
                    problems.append(diagnostic)
                }
                guard let colon = body.firstIndex(of: ":") else {
                    problem("the step option '//|\(body)' has no value; write '//| key: value' with a key among "
                            + Self.keys.joined(separator: ", ") + ".")
                    continue
                }
                let key = body[..<colon].trimmingCharacters(in: .whitespaces)
                var value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                    value = String(value.dropFirst().dropLast())
                    value = value.replacingOccurrences(of: "\\" + String(first), with: String(first))
                }
                switch key {
                case "label":
                    guard !value.isEmpty, value.utf8.allSatisfy(CrossReferences.isLabelByte),
                          let kind = CrossReferences.kind(of: value), kind == .figure || kind == .table else {
                        problem("the step's label '\(value)' must start with fig- (for the chart it shows) or tbl- (for "
                                + "its table), followed by letters, digits, - or _; for example '//| label: fig-accuracy'.")
                        continue
                    }
                    label = value
                    labelPlace = place
                case "fig-cap", "tbl-cap":
                    caption = value
                    captionKind = key == "fig-cap" ? .figure : .table
                default:
                    problem("unknown step option '\(key)'; the options are " + Self.keys.joined(separator: ", ")
                            + ", as in '//| label: fig-accuracy' and '//| fig-cap: \"Accuracy by depth\"'.")
                }
            }
        }

        /// The step's code without its option lines, as the page shows it.
        static func shownCode(_ code: String, options: StepOptions) -> String {
            guard options.lineCount > 0 else { return code }
            return code.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(options.lineCount).joined(separator: "\n")
        }
    }

    // MARK: - Collecting

    /// The targets of one chapter, in document order, numbered; with the problems in its labels.
    /// `math` is the chapter's formulas (their labels), as `MathSpans.scan` found them.
    static func collect(_ chapter: Chapter, math: MathSpans?) -> (targets: [Target], problems: [Diagnostic]) {
        let markdown = chapter.markdown
        guard mayDefine(markdown) else { return ([], []) }
        var targets: [Target] = []
        var problems: [Diagnostic] = []
        var counters: [Kind: Int] = [:]
        func next(_ kind: Kind) -> String {
            counters[kind, default: 0] += 1
            return "\(chapter.number).\(counters[kind]!)"
        }
        let source = math?.source ?? markdown
        let lines = SourceLines(source)
        func place(_ position: Markdown.Position, label: String?, block: Markdown.Node) -> Diagnostic {
            var found = position
            if let label, let at = lines.find("{#" + label, from: block.start, to: block.end) { found = at }
            let original = math?.original(found) ?? found
            return Diagnostic(file: chapter.path, line: original.line, column: original.column > 0 ? original.column : nil,
                              message: "")
        }
        let steps = Dictionary(chapter.steps.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        Markdown.withDocument(source) { document in
            document.root.forEachBlock { node in
                switch node.kind {
                case .paragraph:
                    if let (label, caption) = figureParagraph(node) {
                        let at = place(node.start, label: label, block: node)
                        guard kind(of: label) == .figure else {
                            problems.append(mislabelled(at, label: label, what: "an image", prefix: "fig-"))
                            return
                        }
                        targets.append(Target(label: label, kind: .figure, number: next(.figure), caption: caption,
                                              slug: chapter.slug, place: at))
                    } else if let (label, caption) = tableCaption(node) {
                        let at = place(node.start, label: label, block: node)
                        guard node.previous?.kind == .table else {
                            var problem = at
                            problem.message = "the table caption {#\(label)} does not follow a table; put it right "
                                + "after the table's last row, with one blank line between."
                            problems.append(problem)
                            return
                        }
                        guard kind(of: label) == .table else {
                            problems.append(mislabelled(at, label: label, what: "a table", prefix: "tbl-"))
                            return
                        }
                        targets.append(Target(label: label, kind: .table, number: next(.table), caption: caption,
                                              slug: chapter.slug, place: at))
                    }
                case .heading:
                    guard let (label, title) = headingAttribute(node) else { return }
                    let at = place(node.start, label: label, block: node)
                    guard kind(of: label) == .section else {
                        problems.append(mislabelled(at, label: label, what: "a heading", prefix: "sec-"))
                        return
                    }
                    let isChapter = node.headingLevel == 1
                    targets.append(Target(label: label, kind: .section, number: isChapter ? String(chapter.number) : "",
                                          caption: title, slug: chapter.slug, place: at, isChapter: isChapter))
                case .codeBlock:
                    guard let info = node.fenceInfo, ProseRenderer.isStep(info),
                          let step = steps[math?.original(node.start).line ?? node.start.line] else { return }
                    let options = StepOptions(step, file: chapter.path)
                    problems += options.problems
                    guard let label = options.label, let kind = kind(of: label) else { return }
                    targets.append(Target(label: label, kind: kind, number: next(kind), caption: options.caption ?? "",
                                          slug: chapter.slug,
                                          place: options.labelPlace ?? Diagnostic(file: chapter.path, line: step.line, message: ""),
                                          stepLine: step.line))
                default:
                    return
                }
            }
        }
        // Equations are numbered in their own order, which is the order of the formulas.
        for span in math?.spans ?? [] {
            guard let label = span.label else { continue }
            let position = math!.place(span.labelStart ?? span.range.lowerBound)
            targets.append(Target(label: label, kind: .equation, number: next(.equation), caption: span.tex,
                                  slug: chapter.slug,
                                  place: Diagnostic(file: chapter.path, line: position.line, column: position.column,
                                                    message: "")))
        }
        return (targets, problems)
    }

    /// Whether `markdown` has a `{#` or a `//|` at all (most chapters have neither: one pass over the bytes,
    /// no parse).
    static func mayDefine(_ markdown: String) -> Bool {
        // memchr-based: a big book runs this on every chapter at every build.
        markdown.containsBytes(UInt8(ascii: "{"), UInt8(ascii: "#"))
            || (markdown.containsBytes(UInt8(ascii: "/"), UInt8(ascii: "|")) && markdown.contains("//|"))
    }

    private static func mislabelled(_ place: Diagnostic, label: String, what: String, prefix: String) -> Diagnostic {
        var problem = place
        problem.message = "the label {#\(label)} is on \(what), whose labels start with \(prefix); "
            + "rename it to {#\(prefix)\(label.drop { $0 != "-" }.dropFirst())}."
        return problem
    }

    /// An image alone in its paragraph followed by `{#label}`: the label and the caption (the image's text).
    static func figureParagraph(_ paragraph: Markdown.Node) -> (label: String, caption: String)? {
        guard paragraph.kind == .paragraph, let image = paragraph.firstChild, image.kind == .image,
              let attribute = image.next, attribute.kind == .text, attribute.next == nil,
              let found = trailingAttribute(attribute.literal ?? ""),
              found.rest.allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        return (found.label, image.plainText)
    }

    /// A paragraph `: Caption {#tbl-x}`: the label and the caption.
    static func tableCaption(_ paragraph: Markdown.Node) -> (label: String, caption: String)? {
        guard paragraph.kind == .paragraph, let first = paragraph.firstChild, first.kind == .text,
              first.literal?.hasPrefix(":") == true else { return nil }
        let text = paragraph.plainText
        guard let found = trailingAttribute(text) else { return nil }
        return (found.label, found.rest.dropFirst().trimmingCharacters(in: .whitespaces))
    }

    /// A heading ending in `{#label}`: the label and the title without it.
    static func headingAttribute(_ heading: Markdown.Node) -> (label: String, title: String)? {
        guard heading.kind == .heading else { return nil }
        var last = heading.firstChild
        while let next = last?.next { last = next }
        guard let last, last.kind == .text, let found = trailingAttribute(last.literal ?? "") else { return nil }
        let text = heading.plainText
        guard let attribute = trailingAttribute(text) else { return nil }
        return (found.label, attribute.rest.trimmingCharacters(in: .whitespaces))
    }

    // MARK: - The book

    /// Every chapter's targets; a label defined twice is a problem at its second place.
    init(chapters: [Chapter], math: [MathSpans?]) {
        var problems: [Diagnostic] = []
        var byChapter: [[Target]] = []
        for (position, chapter) in chapters.enumerated() {
            let found = Self.collect(chapter, math: position < math.count ? math[position] : nil)
            problems += found.problems
            var own: [Target] = []
            for target in found.targets {
                if let first = targets[target.label] {
                    var problem = target.place
                    problem.message = "the label \(target.label) is already used at \(first.place.place); labels must "
                        + "be unique in the whole book, so rename one of them (and the references to it)."
                    problems.append(problem)
                    continue
                }
                targets[target.label] = target
                own.append(target)
            }
            byChapter.append(own)
        }
        self.chapters = byChapter
        self.problems = problems
    }
    /// Duplicate labels and bad step options or attributes.
    var problems: [Diagnostic] = []

    init() {}

    // MARK: - References in prose

    /// One reference in a text: where it is in the text, the label, and how it is written.
    struct Reference: Equatable {
        var range: Range<String.Index>
        /// "@fig-x" as it stands in the source (the part that is searched for a position).
        var written: String
        var label: String
        /// `[-@fig-x]`: the number alone.
        var numberOnly = false
        /// `[Fig. @fig-x]`: this word instead of the kind's name.
        var prefix: String?
    }

    /// The references in a text (`@fig-x`, `[-@fig-x]`, `[Fig. @fig-x]`), in order. An `@` right after a letter,
    /// digit, `.` or `_` (an e-mail address) or before another prefix is not one.
    static func references(in text: String) -> [Reference] {
        guard text.containsByte(UInt8(ascii: "@")) else { return [] }
        let bytes = Array(text.utf8)
        var result: [Reference] = []
        var index = 0
        func stringIndex(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "@") else { index += 1; continue }
            let before: UInt8? = index > 0 ? bytes[index - 1] : nil
            if let before, before == UInt8(ascii: ".") || (isLabelByte(before) && before != UInt8(ascii: "-")) {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, isLabelByte(bytes[end]) { end += 1 }
            // A label does not end in - or _ (a dash after a reference is punctuation).
            while end > index + 1, bytes[end - 1] == UInt8(ascii: "-") || bytes[end - 1] == UInt8(ascii: "_") { end -= 1 }
            let label = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            guard kind(of: label) != nil else { index += 1; continue }
            var reference = Reference(range: stringIndex(index)..<stringIndex(end),
                                      written: "@" + label, label: label)
            // Brackets: `[-@x]` and `[Word @x]`.
            if end < bytes.count, bytes[end] == UInt8(ascii: "]") {
                var start = index
                let numberOnly = start > 0 && bytes[start - 1] == UInt8(ascii: "-")
                if numberOnly { start -= 1 }
                if let open = bytes[..<start].lastIndex(of: UInt8(ascii: "[")), start - open <= 40,
                   !bytes[(open + 1)..<start].contains(where: { $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "@") }) {
                    let word = String(decoding: bytes[(open + 1)..<start], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    reference.range = stringIndex(open)..<stringIndex(end + 1)
                    reference.numberOnly = numberOnly
                    if !word.isEmpty { reference.prefix = word }
                }
            }
            result.append(reference)
            index = end
        }
        return result
    }

    /// What a reference shows for `target`.
    static func text(of reference: Reference, _ target: Target) -> String {
        if target.number.isEmpty { return reference.prefix.map { $0 + " " + target.caption } ?? target.caption }
        if let prefix = reference.prefix { return prefix + " " + target.number }
        return reference.numberOnly ? target.number : target.text
    }

    /// The labels `markdown` may refer to (a quick over-estimate: code is not skipped), for the page cache's key.
    static func referencedLabels(in markdown: String) -> Set<String> {
        guard markdown.containsByte(UInt8(ascii: "@")) else { return [] }
        var labels: Set<String> = []
        let bytes = Array(markdown.utf8)
        var index = 0
        while let at = bytes[index...].firstIndex(of: UInt8(ascii: "@")) {
            var end = at + 1
            while end < bytes.count, isLabelByte(bytes[end]) { end += 1 }
            let label = String(decoding: bytes[(at + 1)..<end], as: UTF8.self)
            if kind(of: label) != nil {
                labels.insert(label)
                // The trimmed form too (`@fig-x-` as punctuation).
                var trimmed = Substring(label)
                while trimmed.last == "-" || trimmed.last == "_" { trimmed.removeLast() }
                labels.insert(String(trimmed))
            }
            index = end
        }
        return labels
    }

    /// The message for a reference to a label the book does not have.
    func unknownMessage(_ reference: Reference) -> String {
        let kind = Self.kind(of: reference.label)!
        let same = targets.keys.filter { Self.kind(of: $0) == kind }.sorted()
        let list = same.isEmpty ? "the book has no \(kind.rawValue)- labels"
            : "its \(kind.rawValue)- labels are " + (same.count <= 12 ? same.joined(separator: ", ")
                                                       : same.prefix(12).joined(separator: ", ") + ", …")
        return "the reference \(reference.written) names no label of the book (\(list)); fix the label, or write "
            + "\\\(reference.written) for an at sign that is not a reference."
    }
}
