import BookModel
/// A small Swift lexer that wraps tokens in `<span class="…">` for syntax colouring at build time.
///
/// Classes: `k` keyword, `t` type (a capitalised identifier), `s` string (with interpolations lexed as
/// code), `n` number, `c` comment (line, nested block and doc comments), `a` attribute (`@MainActor`)
/// or directive (`#sourceLocation`, `#if`). Everything else is escaped plain text. The lexer never fails:
/// unterminated strings and comments run to the end of the line or the code.
enum SwiftHighlighter {
    static func highlight(_ code: String) -> String {
        var lexer = Lexer(Array(code.unicodeScalars))
        lexer.lexCode(insideInterpolation: false)
        lexer.flushPlain()
        return lexer.output
    }

    static let keywords: Set<String> = [
        "actor", "any", "as", "associatedtype", "async", "await", "borrowing", "break", "case", "catch",
        "class", "consuming", "continue", "convenience", "default", "defer", "deinit", "didSet", "do",
        "dynamic", "else", "enum", "extension", "fallthrough", "false", "fileprivate", "final", "for",
        "func", "guard", "if", "import", "in", "indirect", "init", "inout", "internal", "is", "isolated",
        "lazy", "let", "mutating", "nil", "nonisolated", "nonmutating", "open", "operator", "override",
        "package", "precedencegroup", "private", "protocol", "public", "repeat", "required", "rethrows",
        "return", "self", "Self", "sending", "some", "static", "struct", "subscript", "super", "switch",
        "throw", "throws", "true", "try", "typealias", "unowned", "var", "weak", "where", "while", "willSet",
        "Any", "Type",
    ]

    private struct Lexer {
        let scalars: [Unicode.Scalar]
        var index = 0
        var output = ""
        /// Start of the pending run of plain text.
        var plainStart = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
            output.reserveCapacity(scalars.count * 2)
        }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            let position = index + offset
            return position < scalars.count ? scalars[position] : nil
        }

        mutating func flushPlain() {
            if plainStart < index { output += escaped(plainStart, index) }
            plainStart = index
        }

        func escaped(_ start: Int, _ end: Int) -> String {
            var text = ""
            for scalar in scalars[start..<end] {
                switch scalar {
                case "&": text += "&amp;"
                case "<": text += "&lt;"
                case ">": text += "&gt;"
                default: text.unicodeScalars.append(scalar)
                }
            }
            return text
        }

        /// Emits the token `start..<index` with `kind`, flushing plain text before it.
        mutating func emit(_ kind: String, from start: Int) {
            if plainStart < start { output += escaped(plainStart, start) }
            output += "<span class=\"\(kind)\">" + escaped(start, index) + "</span>"
            plainStart = index
        }

        static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII {
                return scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            }
            return scalar.properties.isAlphabetic
        }

        static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
            isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
        }

        static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return false }
            return ("0"..."9").contains(scalar)
        }

        /// Lexes code until the end, or (inside `\( … )`) until the `)` that closes the interpolation,
        /// which is left unconsumed.
        mutating func lexCode(insideInterpolation: Bool) {
            var depth = 0
            while let scalar = peek() {
                let start = index
                switch scalar {
                case "/" where peek(1) == "/":
                    while let next = peek(), next != "\n" { index += 1 }
                    emit("c", from: start)
                case "/" where peek(1) == "*":
                    lexBlockComment()
                    emit("c", from: start)
                case "\"":
                    lexString(hashes: 0)
                case "#" where rawStringHashes() != nil:
                    lexString(hashes: rawStringHashes() ?? 0)
                case "#" where peek(1).map(Self.isIdentifierStart) ?? false,
                     "@" where peek(1).map(Self.isIdentifierStart) ?? false:
                    index += 1
                    while let next = peek(), Self.isIdentifierPart(next) { index += 1 }
                    emit("a", from: start)
                case "0"..."9":
                    lexNumber()
                    emit("n", from: start)
                case "`":
                    index += 1
                    while let next = peek(), next != "`", next != "\n" { index += 1 }
                    if peek() == "`" { index += 1 }
                case _ where Self.isIdentifierStart(scalar):
                    while let next = peek(), Self.isIdentifierPart(next) { index += 1 }
                    let word = String(String.UnicodeScalarView(scalars[start..<index]))
                    // `.init`, `.self` and friends after a dot are members, but still keywords visually.
                    if SwiftHighlighter.keywords.contains(word) {
                        emit("k", from: start)
                    } else if let first = word.unicodeScalars.first,
                              first.isASCII ? ("A"..."Z").contains(first) : first.properties.isUppercase {
                        emit("t", from: start)
                    }
                case "(":
                    depth += 1
                    index += 1
                case ")":
                    if insideInterpolation, depth == 0 { return }
                    depth -= 1
                    index += 1
                default:
                    index += 1
                }
            }
        }

        /// The number of `#` before a `"` at the current position (a raw string), if any.
        func rawStringHashes() -> Int? {
            var count = 0
            while peek(count) == "#" { count += 1 }
            return count > 0 && peek(count) == "\"" ? count : nil
        }

        mutating func lexBlockComment() {
            index += 2
            var depth = 1
            while let scalar = peek(), depth > 0 {
                if scalar == "/", peek(1) == "*" {
                    depth += 1
                    index += 2
                } else if scalar == "*", peek(1) == "/" {
                    depth -= 1
                    index += 2
                } else {
                    index += 1
                }
            }
        }

        mutating func lexNumber() {
            if peek() == "0", let base = peek(1), base == "x" || base == "o" || base == "b" {
                index += 2
                while let next = peek(), next.properties.isASCIIHexDigit || next == "_" { index += 1 }
                return
            }
            while let next = peek(), Self.isDigit(next) || next == "_" { index += 1 }
            if peek() == ".", Self.isDigit(peek(1)) {
                index += 1
                while let next = peek(), Self.isDigit(next) || next == "_" { index += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                let signed = peek(1) == "+" || peek(1) == "-"
                if Self.isDigit(peek(signed ? 2 : 1)) {
                    index += signed ? 2 : 1
                    while let next = peek(), Self.isDigit(next) || next == "_" { index += 1 }
                }
            }
        }

        /// Lexes a string literal starting at the current position (after `hashes` `#`s comes `"` or `"""`).
        /// Interpolations `\( … )` (or `\#( … )` in raw strings) are lexed as code.
        mutating func lexString(hashes: Int) {
            var segmentStart = index
            index += hashes
            let multiline = peek(1) == "\"" && peek(2) == "\""
            index += multiline ? 3 : 1
            while let scalar = peek() {
                if scalar == "\\" && (0..<hashes).allSatisfy({ peek(1 + $0) == "#" }) {
                    let after = index + 1 + hashes
                    if after < scalars.count, scalars[after] == "(" {
                        index = after + 1
                        emit("s", from: segmentStart)
                        lexCode(insideInterpolation: true)
                        flushPlain()
                        segmentStart = index
                        if peek() == ")" { index += 1 }
                        continue
                    }
                    index = min(after + 1, scalars.count)
                    continue
                }
                if scalar == "\n" && !multiline { break }
                if scalar == "\"" {
                    let quotes = multiline ? 3 : 1
                    let closes = (0..<quotes).allSatisfy { peek($0) == "\"" }
                        && (0..<hashes).allSatisfy { peek(quotes + $0) == "#" }
                    if closes {
                        index += quotes + hashes
                        break
                    }
                }
                index += 1
            }
            emit("s", from: segmentStart)
        }
    }
}
