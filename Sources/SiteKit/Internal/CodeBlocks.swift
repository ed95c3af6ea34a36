import BookModel
/// Code blocks: the wrapper with a copy button, and highlighting of ```swift blocks in rendered prose.
enum CodeBlocks {
    /// A code block around already-escaped (or highlighted) HTML.
    static func block(highlighted: String, language: String = "swift", badges: String = "") -> String {
        let label = language == "swift" ? "Swift" : HTML.escape(language)
        return "<div class=\"code-block\"><div class=\"code-head\"><span class=\"lang\">\(label)</span>\(badges)"
            + "<button class=\"copy\" type=\"button\" aria-label=\"Copy code\">Copy</button></div>"
            + "<pre class=\"code \(HTML.escape(language))\"><code>\(highlighted)</code></pre></div>\n"
    }

    /// Wraps cmark's tables in a box marked as prose (cells wrap), scrollable as a last resort.
    static func wrapTables(_ html: String) -> String {
        html.replacingBytes("<table>\n", with: "<div class=\"table-wrap prose-table\"><table>\n")
            .replacingBytes("</table>\n", with: "</table></div>\n")
    }

    /// Rewrites cmark's `<pre lang="…"><code>…</code></pre>` into code blocks; Swift ones are highlighted.
    static func decorate(_ html: String) -> String {
        let html = html.containsBytes("<table>") ? wrapTables(html) : html
        guard html.containsBytes("<pre") else { return html }
        var result = ""
        var rest = html[...]
        while let start = rest.byteRange(of: "<pre") {
            guard let codeOpen = rest.byteRange(of: "<code>", from: start.upperBound),
                  let close = rest.byteRange(of: "</code></pre>", from: codeOpen.upperBound) else { break }
            let attributes = rest[start.upperBound..<codeOpen.lowerBound]
            var language = ""
            if let langStart = attributes.byteRange(of: "lang=\"") {
                language = String(attributes[langStart.upperBound...].prefix(while: { $0 != "\"" }))
            }
            let escaped = String(rest[codeOpen.upperBound..<close.lowerBound])
            let body = escaped.hasSuffix("\n") ? String(escaped.dropLast()) : escaped
            result += rest[..<start.lowerBound]
            if language == "swift" {
                result += block(highlighted: SwiftHighlighter.highlight(HTML.unescape(body)))
            } else {
                result += block(highlighted: body, language: language.isEmpty ? "text" : language)
            }
            rest = rest[close.upperBound...]
            if rest.hasPrefix("\n") { rest = rest.dropFirst() }
        }
        result += rest
        return result
    }
}
