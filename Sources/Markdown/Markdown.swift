import CCmarkGFM
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// GitHub-flavoured Markdown through the system's cmark-gfm: the only place in Loopbook that touches cmark.
///
/// Tables, strikethrough, autolinks, task lists, footnotes and the tagfilter are always on. Raw HTML passes through
/// the tagfilter (as on GitHub): `<script>`, `<iframe>`, `<style>` and friends are escaped.
public enum Markdown {
    /// A top-level block of a document, with the 1-based lines it spans in the source.
    public struct Block: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A fenced code block: its info string (e.g. "swift hidden") and its literal text.
            case fencedCode(info: String, code: String)
            /// Any other block (paragraph, heading, list, table, HTML, indented code, ...).
            case other
        }
        public var kind: Kind
        public var startLine: Int
        public var endLine: Int
    }

    /// A heading, with the anchor id given to it in rendered HTML.
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var id: String
        public init(level: Int, text: String, id: String) { self.level = level; self.text = text; self.id = id }
    }

    /// Rendered HTML and the headings it contains, in document order.
    public struct Rendered: Sendable, Equatable {
        public var html: String
        public var headings: [Heading]
    }

    /// The top-level blocks of `source`, in order.
    public static func blocks(in source: String) -> [Block] {
        withParsed(source) { document, _ in
            var result: [Block] = []
            var node = cmark_node_first_child(document)
            while let current = node {
                let start = Int(cmark_node_get_start_line(current))
                let end = Int(cmark_node_get_end_line(current))
                var kind = Block.Kind.other
                if cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK {
                    var length: Int32 = 0, offset: Int32 = 0
                    var character: CChar = 0  // cmark_node_get_fenced writes through all three pointers
                    if cmark_node_get_fenced(current, &length, &offset, &character) != 0 {
                        let info = cmark_node_get_fence_info(current).map { String(cString: $0) } ?? ""
                        let code = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                        kind = .fencedCode(info: info, code: code)
                    }
                }
                result.append(Block(kind: kind, startLine: start, endLine: end))
                node = cmark_node_next(current)
            }
            return result
        }
    }

    /// A heading as written in the source, with its 1-based line.
    public struct SourceHeading: Sendable, Equatable {
        public var level: Int
        public var text: String
        public var line: Int
    }

    /// The headings of `source` at any depth (not inside code blocks), in document order.
    public static func headings(in source: String) -> [SourceHeading] {
        withParsed(source) { document, _ in
            var result: [SourceHeading] = []
            let iterator = cmark_iter_new(document)
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                      cmark_node_get_type(node) == CMARK_NODE_HEADING else { continue }
                result.append(SourceHeading(level: Int(cmark_node_get_heading_level(node)), text: Node(node).plainText,
                                            line: Int(cmark_node_get_start_line(node))))
            }
            cmark_iter_free(iterator)
            return result
        }
    }

    /// Renders `source` to HTML. Headings get stable anchor ids (`id` from their text, made unique with
    /// `-1`, `-2`, ... in document order; `usedIDs` lets a caller reserve ids already on the page).
    public static func render(_ source: String, reservedIDs: Set<String> = []) -> Rendered {
        withDocument(source, consolidatingText: false) { document in
            var headings: [Heading] = []
            var used = reservedIDs
            for node in document.headings() {
                let text = node.plainText
                let id = uniqueID(slug(text), used: &used)
                headings.append(Heading(level: node.headingLevel, text: text, id: id))
                node.prependHTMLInline(anchor(id: id))
            }
            return Rendered(html: document.html(), headings: headings)
        }
    }

    /// The link given to a heading, placed at its start:
    /// `<a class="anchor" id="…" href="#…" aria-hidden="true" tabindex="-1"></a>`. A pointer shows and follows it;
    /// it is hidden from screen readers (the heading reads as its text alone) and so kept out of the tab order
    /// too (the page's contents links to every section).
    public static func anchor(id: String) -> String {
        "<a class=\"anchor\" id=\"\(id)\" href=\"#\(id)\" aria-hidden=\"true\" tabindex=\"-1\"></a>"
    }

    /// A URL-fragment-safe id made from heading text: lower case letters and digits, words joined by `-`.
    public static func slug(_ text: String) -> String {
        // ASCII headings (nearly all) go byte by byte; others take the Unicode path.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var pendingDash = false
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                     UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if pendingDash, !bytes.isEmpty { bytes.append(UInt8(ascii: "-")) }
                    pendingDash = false
                    bytes.append(byte | 0x20)  // lower case; digits already have the bit set
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    pendingDash = true
                default:
                    break
                }
            }
            return bytes.isEmpty ? "section" : String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if isAlphanumeric(scalar) {
                if pendingDash, !result.isEmpty { result.append("-") }
                pendingDash = false
                result.unicodeScalars.append(scalar)
            } else if scalar == " " || scalar == "-" || scalar == "_" || scalar == "." {
                pendingDash = true
            }
        }
        return result.isEmpty ? "section" : result
    }

    // MARK: - Internals

    static let options: Int32 = CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()
    private static let lock = NSLock()

    static func withParsed<T, Failure: Error>(_ source: String, _ body: (OpaquePointer, OpaquePointer) throws(Failure) -> T) throws(Failure) -> T {
        // cmark-gfm keeps global state: extension registration, and the table of special inline characters
        // that attaching strikethrough or autolink sets and freeing a parser clears again. Two documents
        // parsed at once on different threads would lose each other's `~~` and links, so one at a time.
        lock.lock()
        defer { lock.unlock() }
        _ = registered
        let parser = cmark_parser_new(options)!
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        var text = source
        text.withUTF8 { buffer in  // no copy for a native string
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                cmark_parser_feed(parser, pointer, buffer.count)
            }
        }
        let document = cmark_parser_finish(parser)!
        defer { cmark_node_free(document) }
        return try body(document, parser)
    }

    /// Letters and digits: an ASCII fast path, else Unicode's properties (Foundation's CharacterSet is slow on Linux).
    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0..<0x80: return false
        default: return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    public static func uniqueID(_ base: String, used: inout Set<String>) -> String {
        var candidate = base
        var counter = 1
        while used.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
