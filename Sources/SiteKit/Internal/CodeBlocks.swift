import BookModel
/// Code blocks: the wrapper with a language label and a copy button.
enum CodeBlocks {
    /// A code block around already-escaped (or highlighted) HTML.
    static func block(highlighted: String, language: String = "swift", badges: String = "") -> String {
        let label = language == "swift" ? "Swift" : HTML.escape(language)
        return "<div class=\"code-block\"><div class=\"code-head\"><span class=\"lang\">\(label)</span>\(badges)"
            + "<button class=\"copy\" type=\"button\" aria-label=\"Copy code\">Copy</button></div>"
            + "<pre class=\"code \(HTML.escape(language))\"><code>\(highlighted)</code></pre></div>\n"
    }
}
