import BookModel
import ChartSVG
import Foundation

/// Escaping and number formatting shared by the page and chart writers.
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and quoted attributes
    /// (HTML and XML alike).
    static func escape(_ text: String) -> String { XMLText.escape(text) }

    /// Undoes `escape` and cmark's entity output (`&amp; &lt; &gt; &quot; &#39;` and numeric references).
    static func unescape(_ text: String) -> String {
        guard text.containsByte(0x26) else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let name = text[text.index(after: index)..<semicolon]
                var replacement: String?
                switch name {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                case "nbsp": replacement = " "
                default:
                    if name.hasPrefix("#x") || name.hasPrefix("#X"), let value = UInt32(name.dropFirst(2), radix: 16),
                       let scalar = Unicode.Scalar(value) {
                        replacement = String(Character(scalar))
                    } else if name.hasPrefix("#"), let value = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(value) {
                        replacement = String(Character(scalar))
                    }
                }
                if let replacement {
                    result += replacement
                    index = text.index(after: semicolon)
                    continue
                }
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }

    /// The text content of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.
    static func plainText(_ html: String) -> String {
        var text = ""
        text.reserveCapacity(html.utf8.count)
        var inTag = false
        var pendingSpace = false
        for scalar in html.unicodeScalars {
            if inTag {
                if scalar == ">" { inTag = false; pendingSpace = true }
            } else if scalar == "<" {
                inTag = true
            } else if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                pendingSpace = true
            } else {
                if pendingSpace, !text.isEmpty { text.unicodeScalars.append(" ") }
                pendingSpace = false
                text.unicodeScalars.append(scalar)
            }
        }
        return unescape(text)
    }
}
