import BookModel
/// Code blocks: the wrapper with a language label and a copy button.
enum CodeBlocks {
    /// A code block around already-escaped (or highlighted) HTML.
    static func block(highlighted: String, language: String = "swift") -> String {
        node(highlighted: highlighted, language: language).html
    }

    /// The same as a node; `highlighted` is markup the highlighter (or the escaper) made.
    static func node(highlighted: String, language: String = "swift", badges: [Node] = []) -> Node {
        let label = language == "swift" ? "Swift" : language
        let head: [Node] = [.element("span", ["class": "lang"], [.text(label)])] + badges
            + [.element("button", ["class": "copy", "type": "button", "aria-label": "Copy code"], [.text("Copy")])]
        return .group([.element("div", ["class": "code-block"], [
            .element("div", ["class": "code-head"], head),
            .element("pre", ["class": "code \(language)"], [.element("code", [], [.raw(highlighted)])]),
        ]), .newline])
    }
}
