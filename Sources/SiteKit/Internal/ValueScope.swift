import BookModel

/// The values a chapter's text may quote: the ones it publishes (`{{ accuracy }}`) and, by the chapter's
/// slug, those any chapter of the book publishes (`{{ 03-depth-sweep.bestDepth }}`), so a summary can
/// collect results from the whole book. A chapter's own key wins over a quote of the same spelling.
///
/// Quotes are resolved when the site is rendered, after every chapter ran, so a chapter may quote one that
/// comes later; the page cache keys a page by the values it quotes (`quotes(in:)`), so a change there
/// re-renders the pages that show it.
struct ValueScope: Sendable, ExpressibleByDictionaryLiteral {
    /// What this chapter publishes.
    var own: [String: String]
    /// What each chapter publishes, by slug (e.g. "03-depth-sweep").
    var book: [String: [String: String]]

    init(_ own: [String: String], book: [String: [String: String]] = [:]) {
        self.own = own
        self.book = book
    }

    init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { first, _ in first }))
    }

    subscript(key: String) -> String? {
        if let value = own[key] { return value }
        guard let (slug, name) = quoted(key) else { return nil }
        return book[slug]?[name]
    }

    var isEmpty: Bool { own.isEmpty }
    var keys: Dictionary<String, String>.Keys { own.keys }

    /// `key` as `<slug>.<name>` when it starts with the slug of a chapter of the book and a dot.
    func quoted(_ key: String) -> (slug: String, name: String)? {
        guard key.contains("."), own[key] == nil else { return nil }
        var index = key.startIndex
        while let dot = key[index...].firstIndex(of: ".") {
            let slug = String(key[..<dot])
            if book[slug] != nil { return (slug, String(key[key.index(after: dot)...])) }
            index = key.index(after: dot)
        }
        return nil
    }

    /// Why `key` (written as `written`) has no value, and what is there instead.
    func unknownMessage(_ key: String, _ written: String) -> String {
        if let (slug, name) = quoted(key) {
            let theirs = book[slug] ?? [:]
            let list = theirs.isEmpty ? "it publishes no values" : "it publishes: \(theirs.keys.sorted().joined(separator: ", "))"
            return "unknown key '\(key)' in \(written): the chapter '\(slug)' publishes no value '\(name)'; \(list)."
        }
        let list = own.isEmpty ? "this chapter publishes no values" :
            "this chapter publishes: \(own.keys.sorted().joined(separator: ", "))"
        guard key.contains(".") else { return "unknown key '\(key)' in \(written); \(list)." }
        let slug = key.prefix { $0 != "." }
        return "unknown key '\(key)' in \(written); \(list), and no chapter's slug is '\(slug)' (another chapter's value is "
            + "quoted by its file name without .md, e.g. {{ \(book.keys.sorted().first ?? "03-data").accuracy }})."
    }

    /// The other chapters' values `texts` quote, as `slug.name` → value (nil when missing): what a page
    /// shows of other chapters, for its cache key. Text without `{{` is skipped with one byte search.
    func quotes(in texts: [String]) -> [String: String?] {
        var result: [String: String?] = [:]
        for text in texts where Self.mayHavePlaceholder(text) {
            for case let .placeholder(key, _) in Placeholders.scan(text) {
                if let (slug, name) = quoted(key) { result[key] = .some(book[slug]?[name]) }
            }
        }
        return result
    }

    private static func mayHavePlaceholder(_ text: String) -> Bool {
        text.containsBytes(0x7B, 0x7B)
    }
}
