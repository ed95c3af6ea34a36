import BookModel
/// Finds broken internal links in a rendered site: a link (`href`) or an image or other embedded file
/// (`src`) naming a file the site does not have, or an anchor (`page.html#id`, `#id`) that no element on
/// the target page has. External links are skipped.
public enum LinkChecker {
    /// One broken link, described in a full sentence.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The page holding the link, e.g. "03-data.html".
        public var page: String
        /// The link as written, e.g. "04-model.html#split".
        public var link: String
        public var reason: String
        public var description: String { "\(page): the link '\(link)' \(reason)." }
    }

    /// Every broken internal link in the site's HTML pages, in page order then document order.
    public static func problems(in files: SiteFiles) -> [Problem] {
        let pages = files.paths.filter { $0.hasSuffix(".html") }
        var idsByPage: [String: Set<String>] = [:]
        for page in pages { idsByPage[page] = Set(attributeValues("id", in: files.text(page) ?? "")) }
        var problems: [Problem] = []
        for page in pages {
            let html = files.text(page) ?? ""
            for link in attributeValues("href", in: html) + attributeValues("src", in: html) {
                guard isInternal(link) else { continue }
                let unescaped = HTML.unescape(link)
                let parts = unescaped.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let target = parts[0].isEmpty ? page : percentDecoded(String(parts[0]))
                guard files[target] != nil else {
                    problems.append(Problem(page: page, link: link, reason: "points to '\(target)', which the site does not have"))
                    continue
                }
                if parts.count == 2, !parts[1].isEmpty, target.hasSuffix(".html") {
                    let anchor = percentDecoded(String(parts[1]))
                    if idsByPage[target]?.contains(anchor) != true {
                        problems.append(Problem(page: page, link: link, reason: "points to the anchor '#\(anchor)', which '\(target)' does not have"))
                    }
                }
            }
        }
        return problems
    }

    private static func isInternal(_ link: String) -> Bool {
        if link.isEmpty || link.hasPrefix("//") { return false }
        // A scheme ("https:", "mailto:") before any '/', '?' or '#' makes a link external.
        for character in link {
            if character == ":" { return false }
            if character == "/" || character == "?" || character == "#" { break }
        }
        return true
    }

    /// Values of `name="…"` attributes, in document order.
    static func attributeValues(_ name: String, in html: String) -> [String] {
        var values: [String] = []
        let marker = " \(name)=\""
        var position = html.startIndex
        while let range = html.byteRange(of: marker, from: position) {
            guard let end = html[range.upperBound...].firstIndex(of: "\"") else { break }
            values.append(String(html[range.upperBound..<end]))
            position = end
        }
        return values
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "%"), utf8.count >= 3,
               let value = UInt8(String(decoding: utf8.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
