import BookModel

/// Finds `{{ key }}` placeholders in a piece of text (a text node, a title, raw HTML). Which text is looked
/// at is decided by the caller walking the document, so code is never touched.
enum Placeholders {
    enum Piece: Equatable {
        case text(String)
        /// `key` trimmed; `written` exactly as in the text, e.g. "{{ acc }}".
        case placeholder(key: String, written: String)
        /// `{{` without `}}`, or `{{ }}` with no usable key.
        case malformed(String)
    }

    /// The pieces of `text` in order. With `escapes`, `\{{` is a literal `{{` (the backslash dropped), as
    /// Markdown's escape does in prose.
    static func scan(_ text: String, escapes: Bool = false) -> [Piece] {
        guard text.containsByte(0x7B) else { return [.text(text)] }
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var pending: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if escapes, bytes[index] == 0x5C, index + 2 < bytes.count, bytes[index + 1] == 0x7B, bytes[index + 2] == 0x7B {
                pending += [0x7B, 0x7B]
                index += 3
                continue
            }
            guard bytes[index] == 0x7B, index + 1 < bytes.count, bytes[index + 1] == 0x7B else {
                pending.append(bytes[index])
                index += 1
                continue
            }
            if !pending.isEmpty { pieces.append(.text(String(decoding: pending, as: UTF8.self))); pending = [] }
            var close = index + 2
            var found: Int?
            while close + 1 < bytes.count {
                if bytes[close] == 0x7D, bytes[close + 1] == 0x7D { found = close; break }
                if bytes[close] == 0x7B, bytes[close + 1] == 0x7B { break }
                close += 1
            }
            guard let end = found else {
                let stop = close + 1 < bytes.count ? close : bytes.count
                pieces.append(.malformed(String(decoding: bytes[index..<stop], as: UTF8.self)))
                index = stop
                continue
            }
            let written = String(decoding: bytes[index..<(end + 2)], as: UTF8.self)
            let key = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
                .trimmingCharacters(in: " \t")
            if key.isEmpty || !key.allSatisfy(isKeyCharacter) {
                pieces.append(.malformed(written))
            } else {
                pieces.append(.placeholder(key: key, written: written))
            }
            index = end + 2
        }
        if !pending.isEmpty { pieces.append(.text(String(decoding: pending, as: UTF8.self))) }
        return pieces
    }

    /// A plain string (a title, a summary) with its placeholders replaced; unknown keys are returned.
    static func substitutePlain(_ text: String, values: ValueScope) -> (text: String, unknown: [String]) {
        var result = ""
        var unknown: [String] = []
        for piece in scan(text) {
            switch piece {
            case let .text(text), let .malformed(text): result += text
            case let .placeholder(key, written):
                if let value = values[key] {
                    result += value.split(whereSeparator: \.isNewline).joined(separator: " ")
                } else {
                    unknown.append(key)
                    result += written
                }
            }
        }
        return (result, unknown)
    }

    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}

/// URL pieces for links written in chapters.
enum URLText {
    /// Percent-encodes everything but unreserved characters and `/`, so a value placed in a link can never
    /// add a scheme (`javascript:`), a query, a fragment or a second host; a leading `//` is encoded too.
    static func percentEncoded(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                if byte == UInt8(ascii: "/"), result.isEmpty || result == "%2F" {
                    result += "%2F"
                } else {
                    result.unicodeScalars.append(Unicode.Scalar(byte))
                }
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// Decodes `%XX` escapes (invalid ones are kept as written).
    static func percentDecoded(_ text: String) -> String {
        guard text.containsByte(0x25) else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == 0x25, index + 2 < source.count,
               let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `url` starts with a scheme (`https:`, `mailto:`, `javascript:`).
    static func hasScheme(_ url: String) -> Bool {
        guard let first = url.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        for scalar in url.unicodeScalars.dropFirst() {
            if scalar == ":" { return true }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar)
            else { return false }
        }
        return false
    }

    /// "a/b.md#sec" → ("a/b.md", "sec"); no `#` → (url, nil).
    static func splitFragment(_ url: String) -> (Substring, String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url[...], nil) }
        return (url[..<hash], String(url[url.index(after: hash)...]))
    }

    /// `./images/../a.png` → `a.png`; nil when the path climbs out of its root.
    static func normalized(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

/// Where in raw HTML a value lands, judged from the HTML before it.
enum HTMLContext: Equatable {
    case text
    case attribute
    case url
    /// An event handler or style attribute: no value may go there.
    case forbidden(String)

    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "poster", "cite", "data", "background", "srcset", "xlink:href",
        "ping", "manifest", "longdesc", "codebase", "usemap", "lowsrc", "dynsrc", "icon",
    ]

    /// The context at the end of `prefix` (the HTML written so far).
    static func of(_ prefix: String) -> HTMLContext {
        let bytes = Array(prefix.utf8)
        guard let open = bytes.lastIndex(of: UInt8(ascii: "<")),
              bytes.lastIndex(of: UInt8(ascii: ">")).map({ $0 < open }) ?? true else { return .text }
        if bytes[(open + 1)...].starts(with: "!--".utf8) { return .text }
        // Inside a tag: find the attribute whose value we are in.
        enum State { case tagName, beforeName, name, afterName, beforeValue, quoted(UInt8), unquoted }
        var state = State.tagName
        var attribute: [UInt8] = []
        for byte in bytes[(open + 1)...] {
            let space = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
            switch state {
            case .tagName: if space || byte == UInt8(ascii: "/") { state = .beforeName }
            case .beforeName:
                if !space, byte != UInt8(ascii: "/") { attribute = [byte]; state = .name }
            case .name:
                if byte == UInt8(ascii: "=") { state = .beforeValue } else if space { state = .afterName } else { attribute.append(byte) }
            case .afterName:
                if byte == UInt8(ascii: "=") { state = .beforeValue } else if !space { attribute = [byte]; state = .name }
            case .beforeValue:
                if byte == 0x22 || byte == 0x27 { state = .quoted(byte) } else if !space { state = .unquoted }
            case let .quoted(quote): if byte == quote { state = .beforeName }
            case .unquoted: if space { state = .beforeName }
            }
        }
        switch state {
        case .beforeValue, .quoted, .unquoted:
            let name = String(decoding: attribute, as: UTF8.self).lowercased()
            if name.hasPrefix("on") || name == "style" { return .forbidden(name) }
            return urlAttributes.contains(name) ? .url : .attribute
        default:
            return .forbidden("a tag's attribute names")
        }
    }

    /// Escapes for any attribute value, quoted or not: every character but letters and digits as an entity.
    static func escapeAttribute(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar.value >= 0x80 {
                result.unicodeScalars.append(scalar)
            } else {
                result += "&#\(scalar.value);"
            }
        }
        return result
    }
}
