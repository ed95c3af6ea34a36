#if canImport(Glibc)
import Glibc
#endif
import Markdown

/// The math of a chapter's Markdown (`$…$` inline, `$$…$$` display), found before cmark reads the text, so
/// Markdown never sees TeX (`\text{acc}_{train}` keeps its underscores instead of turning into emphasis).
///
/// The rule is pandoc's `tex_math_dollars`: an opening `$` has a non-space character right after it, and the
/// next `$` closes it only if it has a non-space character right before it and no digit right after it
/// (else that opening `$` is a dollar sign: "$5 and $10" is prose); `$$…$$` is display math and may have spaces inside its dollars; `\$` is a dollar sign. Math may
/// span lines but not a blank line. Nothing in code spans, code blocks or raw HTML blocks is math.
///
/// Each formula becomes a raw-HTML token (`<lb-math-3></lb-math-3>`) that cmark passes through untouched;
/// the page's HTML then has each token replaced by the rendered formula. Positions in the protected text
/// map back to the chapter file's line and column (`original(_:)`), so every other error still points at
/// what the author wrote.
struct MathSpans {
    struct Span {
        var tex: String
        var display: Bool
        var token: String
        /// Bytes of the source the formula takes, dollars included.
        var range: Range<Int>
        /// Byte offset of the TeX (after the opening dollars) in the source.
        var texStart: Int
        /// A display formula's label, `$$ … $$ {#eq-x}` (Quarto's syntax; the range then takes the label in).
        var label: String? = nil
        /// Byte offset of the label's `{#` in the source.
        var labelStart: Int? = nil
    }

    /// The Markdown with every formula replaced by its token.
    let source: String
    let spans: [Span]
    /// The tokens' tag name, one the source does not contain ("lb-math").
    let prefix: String
    private let originalStarts: [Int]
    private let protectedStarts: [Int]

    /// The token of formula `index` (the prefix is one the source does not contain).
    static func token(prefix: String, _ index: Int) -> String { "<\(prefix)-\(index)></\(prefix)-\(index)>" }

    /// The math of `markdown`, or nil when it has none (the common case costs a byte scan).
    static func scan(_ markdown: String) -> MathSpans? {
        // Most chapters have no dollar at all: find that out with memchr, not byte by byte.
        var text = markdown
        guard text.withUTF8({ $0.isEmpty ? false : memchr($0.baseAddress!, 0x24, $0.count) != nil }) else { return nil }
        let bytes = Array(markdown.utf8)
        let starts = lineStarts(bytes)
        // Where math may stand: the lines of each paragraph, heading and table, as cmark reads the document
        // (never code or raw HTML blocks). A formula never crosses from one block into another, and in a
        // block quote or list (whose lines start with `>` or an indent) it stays on one line, as in pandoc.
        var regions: [(first: Int, last: Int)] = []
        Markdown.withDocument(markdown) { document in
            document.root.forEachBlock { node in
                guard node.kind == .paragraph || node.kind == .heading || node.kind == .table else { return }
                let first = max(node.start.line, 1), last = min(max(node.end.line, first), starts.count)
                guard first <= last else { return }
                if node.parent?.kind == .document && node.kind != .table {
                    regions.append((first, last))
                } else {
                    for line in first...last { regions.append((line, line)) }
                }
            }
        }
        var prefix = "lb-math"
        while markdown.contains(prefix) { prefix += "x" }

        var found: [(range: Range<Int>, texStart: Int, texEnd: Int, display: Bool, label: Int?)] = []
        for region in regions {
            let start = starts[region.first - 1]
            let end = region.last < starts.count ? starts[region.last] : bytes.count
            scanRegion(bytes, start..<end, into: &found)
        }
        guard !found.isEmpty else { return nil }

        var protected: [UInt8] = []
        protected.reserveCapacity(bytes.count)
        var spans: [Span] = []
        var copied = 0
        for (index, item) in found.enumerated() {
            protected += bytes[copied..<item.range.lowerBound]
            let token = Self.token(prefix: prefix, index)
            protected += Array(token.utf8)
            copied = item.range.upperBound
            var span = Span(tex: String(decoding: bytes[item.texStart..<item.texEnd], as: UTF8.self),
                            display: item.display, token: token, range: item.range, texStart: item.texStart)
            if let labelStart = item.label {
                span.labelStart = labelStart
                span.label = String(decoding: bytes[(labelStart + 2)..<(item.range.upperBound - 1)], as: UTF8.self)
            }
            spans.append(span)
        }
        protected += bytes[copied...]
        return MathSpans(source: String(decoding: protected, as: UTF8.self), spans: spans, prefix: prefix,
                         originalStarts: starts,
                         protectedStarts: lineStarts(protected))
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    private static func scanRegion(_ bytes: [UInt8], _ region: Range<Int>,
                                   into found: inout [(range: Range<Int>, texStart: Int, texEnd: Int, display: Bool, label: Int?)]) {
        let end = region.upperBound
        var index = region.lowerBound
        while index < end {
            switch bytes[index] {
            case 0x5C:  // a backslash escapes the next character (`\$` is a dollar sign)
                index += 2
            case 0x3C where index + 1 < end && (isLetter(bytes[index + 1]) || "/!?".utf8.contains(bytes[index + 1])):
                // An HTML tag or an autolink (`<span title="$x$">`, `<https://example.com/$a$b>`): no math inside.
                index = (bytes[(index + 1)..<end].firstIndex(of: 0x3E) ?? index) + 1
            case 0x5D where index + 1 < end && bytes[index + 1] == 0x28:
                // A link's destination (`[text](https://example.com/$x$y)`): no math inside.
                var depth = 0, search = index + 1
                while search < end {
                    if bytes[search] == 0x5C { search += 2; continue }
                    if bytes[search] == 0x28 { depth += 1 }
                    if bytes[search] == 0x29 { depth -= 1; if depth == 0 { break } }
                    search += 1
                }
                index = search + 1
            case 0x60:  // a code span: its backtick run closes at the next run of the same length
                var run = 1
                while index + run < end, bytes[index + run] == 0x60 { run += 1 }
                var search = index + run
                var closed: Int?
                while search < end {
                    guard bytes[search] == 0x60 else { search += 1; continue }
                    var other = 1
                    while search + other < end, bytes[search + other] == 0x60 { other += 1 }
                    if other == run { closed = search + other; break }
                    search += other
                }
                index = closed ?? index + run
            case 0x24 where index + 1 < end && bytes[index + 1] == 0x24:  // $$ display $$
                var search = index + 2
                var closed: Int?
                while search + 1 < end {
                    if bytes[search] == 0x5C { search += 2; continue }
                    if bytes[search] == 0x24, bytes[search + 1] == 0x24 { closed = search; break }
                    search += 1
                }
                if let closed, bytes[(index + 2)..<closed].contains(where: { !isSpace($0) }) {
                    // The TeX without the white space around it (`$$\n…\n$$`).
                    var texStart = index + 2, texEnd = closed
                    while isSpace(bytes[texStart]) { texStart += 1 }
                    while isSpace(bytes[texEnd - 1]) { texEnd -= 1 }
                    // `{#eq-x}` after the closing dollars (on their line) labels the equation.
                    var after = closed + 2
                    while after < end, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
                    var labelEnd = after + 5
                    if after + 5 < end, bytes[after] == 0x7B, bytes[after + 1] == 0x23,
                       bytes[(after + 2)..<(after + 5)].elementsEqual("eq-".utf8) {
                        while labelEnd < end, CrossReferences.isLabelByte(bytes[labelEnd]) { labelEnd += 1 }
                    }
                    if labelEnd > after + 5, labelEnd < end, bytes[labelEnd] == 0x7D {
                        found.append((index..<(labelEnd + 1), texStart, texEnd, true, after))
                        index = labelEnd + 1
                    } else {
                        found.append((index..<(closed + 2), texStart, texEnd, true, nil))
                        index = closed + 2
                    }
                } else {
                    index += 2
                }
            case 0x24:  // $inline$
                guard index + 1 < end, !isSpace(bytes[index + 1]) else { index += 1; continue }
                var search = index + 1
                var closed: Int?
                // The next dollar closes it, or nothing does: after a space or before a digit it is no closer,
                // so "$5 and $10" stays prose (as in pandoc).
                while search < end {
                    if bytes[search] == 0x5C { search += 2; continue }
                    if bytes[search] == 0x24 {
                        if !isSpace(bytes[search - 1]), !(search + 1 < end && (0x30...0x39).contains(bytes[search + 1])) {
                            closed = search
                        }
                        break
                    }
                    search += 1
                }
                if let closed {
                    found.append((index..<(closed + 1), index + 1, closed, false, nil))
                    index = closed + 1
                } else {
                    index += 1
                }
            default:
                index += 1
            }
        }
    }

    // MARK: - Positions

    /// Where a position in the protected text was written in the chapter file (a position inside a token is
    /// the formula's opening dollar).
    func original(_ position: Markdown.Position) -> Markdown.Position {
        guard position.line >= 1, position.line <= protectedStarts.count, position.column >= 1 else { return position }
        let offset = protectedStarts[position.line - 1] + position.column - 1
        var delta = 0  // original minus protected, after the tokens before `offset`
        for span in spans {
            let tokenStart = span.range.lowerBound - delta
            if offset < tokenStart { break }
            if offset < tokenStart + span.token.utf8.count { return place(span.range.lowerBound) }
            delta += span.range.count - span.token.utf8.count
        }
        return place(offset + delta)
    }

    /// The line and column of a byte offset in the chapter file.
    func place(_ offset: Int) -> Markdown.Position {
        var low = 0, high = originalStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if originalStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return Markdown.Position(line: low + 1, column: offset - originalStarts[low] + 1)
    }

    /// Where byte `utf8Offset` of a formula's TeX was written.
    func place(of span: Span, texOffset utf8Offset: Int) -> Markdown.Position {
        place(span.texStart + min(max(utf8Offset, 0), span.tex.utf8.count))
    }

    /// `html` with each token replaced by its formula's HTML.
    /// One pass over the bytes (a page of many formulas is large, and Foundation's search is not cheap).
    func replacingTokens(in html: String, with rendered: (Span) -> String) -> String {
        let bytes = Array(html.utf8)
        let open = Array("<\(prefix)-".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 2)
        var copied = 0
        var index = 0
        while let found = bytes[index...].firstIndex(of: 0x3C) {
            index = found + 1
            guard found + open.count <= bytes.count, bytes[found..<(found + open.count)].elementsEqual(open) else { continue }
            var number = 0, end = found + open.count
            while end < bytes.count, (0x30...0x39).contains(bytes[end]), number < spans.count {
                number = number * 10 + Int(bytes[end] - 0x30)
                end += 1
            }
            guard number < spans.count else { continue }
            let token = spans[number].token.utf8
            guard found + token.count <= bytes.count, bytes[found..<(found + token.count)].elementsEqual(token) else { continue }
            result += bytes[copied..<found]
            result += rendered(spans[number]).utf8
            index = found + token.count
            copied = index
        }
        result += bytes[copied...]
        var text = String(decoding: result, as: UTF8.self)
        // In an image's alt text cmark escapes raw HTML: there the formula is its TeX.
        if text.byteRange(of: "&lt;\(prefix)-") != nil {
            for span in spans {
                let escaped = HTML.escape(span.token)
                if text.byteRange(of: escaped) != nil {
                    text = text.replacingBytes(escaped, with: HTML.escape((span.display ? "$$" : "$") + span.tex
                                                                          + (span.display ? "$$" : "$")))
                }
            }
        }
        return text
    }

    // MARK: - Helpers

    private static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        return starts
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
