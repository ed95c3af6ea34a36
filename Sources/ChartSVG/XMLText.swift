/// Escaping for text in SVG (and HTML): the one implementation the charts and the site's pages share.
package enum XMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is safe in element content and quoted attributes
    /// (HTML and XML alike), e.g. `a < b` becomes `a &lt; b`.
    package static func escape(_ text: String) -> String {
        var needs = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needs = true
            break
        }
        guard needs else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
