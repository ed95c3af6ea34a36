import BookModel
/// Replaces `{{ key }}` in chapter prose with the chapter's published values.
///
/// Inline code spans and fenced code blocks are left alone (so a book can explain the syntax), and
/// `\{{` stays literal (Markdown renders `\{` as `{`). A value is inserted as Markdown-escaped text,
/// so it renders exactly as written and can never add markup.
enum Placeholders {
    /// `markdown` with every placeholder replaced; `line` is the 1-based line of its first line in `file`.
    static func substitute(_ markdown: String, values: [String: String], file: String, line firstLine: Int)
        throws(SiteError) -> String
    {
        guard markdown.containsBytes("{{") else { return markdown }
        var output: [String] = []
        var fence: (character: Character, length: Int)?
        var lineNumber = firstLine
        var pendingCodeSpan: Int?  // backtick run length of an open inline code span
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { lineNumber += 1 }
            let line = String(rawLine)
            if let marker = fenceMarker(line) {
                if let open = fence {
                    if marker.character == open.character, marker.length >= open.length, marker.isBare {
                        fence = nil
                    }
                } else if pendingCodeSpan == nil {
                    fence = (marker.character, marker.length)
                }
                output.append(line)
                continue
            }
            if fence != nil || line.trimmingLeadingSpaces().isEmpty {
                if fence == nil { pendingCodeSpan = nil }  // code spans do not cross blank lines
                output.append(line)
                continue
            }
            output.append(try substituteLine(line, values: values, file: file, line: lineNumber,
                                         codeSpan: &pendingCodeSpan))
        }
        return output.joined(separator: "\n")
    }

    private static func substituteLine(_ line: String, values: [String: String], file: String, line lineNumber: Int,
                                       codeSpan: inout Int?) throws(SiteError) -> String
    {
        let characters = Array(line)
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "`" {
                var run = 0
                while index + run < characters.count, characters[index + run] == "`" { run += 1 }
                if let open = codeSpan {
                    if open == run { codeSpan = nil }
                } else {
                    codeSpan = run  // may close on a later line of the same paragraph
                }
                result += String(characters[index..<(index + run)])
                index += run
                continue
            }
            if codeSpan != nil {
                result.append(character)
                index += 1
                continue
            }
            if character == "\\", index + 1 < characters.count, characters[index + 1] == "{" {
                result += "\\{"
                index += 2
                while index < characters.count, characters[index] == "{" {
                    result.append("{")
                    index += 1
                }
                continue
            }
            if character == "{", index + 1 < characters.count, characters[index + 1] == "{" {
                guard let close = findClose(characters, from: index + 2) else {
                    throw .malformedPlaceholder(file: file, line: lineNumber, text: String(characters[index...]))
                }
                let written = String(characters[index..<(close + 2)])
                let key = String(characters[(index + 2)..<close]).trimmingCharacters()
                guard !key.isEmpty, key.allSatisfy(isKeyCharacter) else {
                    throw .malformedPlaceholder(file: file, line: lineNumber, text: written)
                }
                guard let value = values[key] else {
                    throw .unknownKey(file: file, line: lineNumber, key: key, written: written,
                                      available: values.keys.sorted())
                }
                result += markdownEscaped(value)
                index = close + 2
                continue
            }
            result.append(character)
            index += 1
        }
        return result
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "."
    }

    private static func findClose(_ characters: [Character], from start: Int) -> Int? {
        var index = start
        while index + 1 < characters.count {
            if characters[index] == "}", characters[index + 1] == "}" { return index }
            if characters[index] == "{", characters[index + 1] == "{" { return nil }
            index += 1
        }
        return nil
    }

    /// A fence line: up to three spaces, then three or more backticks or tildes.
    private static func fenceMarker(_ line: String) -> (character: Character, length: Int, isBare: Bool)? {
        let trimmed = line.trimmingLeadingSpaces()
        guard line.count - trimmed.count <= 3, let first = trimmed.first, first == "`" || first == "~" else {
            return nil
        }
        let length = trimmed.prefix(while: { $0 == first }).count
        guard length >= 3 else { return nil }
        let rest = trimmed.dropFirst(length)
        if first == "`", rest.contains("`") { return nil }
        return (first, length, rest.allSatisfy { $0 == " " || $0 == "\t" })
    }

    private static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)

    /// Backslash-escapes ASCII punctuation so Markdown shows `value` literally; newlines become spaces.
    static func markdownEscaped(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                result += " "
            } else if asciiPunctuation.contains(scalar) {
                result += "\\"
                result.unicodeScalars.append(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> Substring {
        self.drop(while: { $0 == " " || $0 == "\t" })
    }

    fileprivate func trimmingCharacters() -> String {
        String(self.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
