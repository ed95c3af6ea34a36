import BookModel

/// `print.html`, the whole book on one page as mdBook's print page: a contents list, then every chapter in
/// book order, each starting on a new printed page, for the browser's "Print" and `loopbook pdf`.
///
/// A chapter's part of it (its *fragment*) is made when its page is rendered and kept in the page cache
/// beside the page, so the print page is assembled from fragments, never by rendering chapters again; a build
/// in which no fragment changed leaves the published `print.html` where it is (see `SiteRenderer`).
///
/// Ids must be unique on one page: every `id` of a chapter becomes `<slug>--<id>` (`fig-x` in
/// `03-the-data` is `03-the-data--fig-x`), and every in-book link is rewritten to match
/// (`#x` → `#03-the-data--x`, `03-the-data.html#x` → `#03-the-data--x`, `03-the-data.html` → `#03-the-data`,
/// the chapter's own `<article id="03-the-data">`). Links to other files (`index.html`, downloads, images)
/// are kept: the print page sits in the same folder as the chapter pages.
enum PrintPage {
    static let path = "print.html"

    /// The chapter's part of the print page: `<article class="chapter-body print-chapter" id="<slug>">`,
    /// holding `body` (the chapter page's article content, without its pager or edit link) with ids
    /// prefixed and in-book links rewritten. `chapterSlugs` are the book's chapters (which `.html` links
    /// point inside the print page).
    static func fragment(slug: String, body: String, chapterSlugs: Set<String>) -> String {
        "<article class=\"chapter-body print-chapter\" id=\"\(HTML.escape(slug))\">\n"
            + rewrite(body, slug: slug, chapterSlugs: chapterSlugs) + "</article>\n"
    }

    /// The page around the fragments: everything before the first chapter (head, top bar, the book's title
    /// and the contents list) and everything after the last.
    static func shell(layout: Layout, math: Bool) -> (before: String, after: String) {
        let book = layout.book
        var main = "<article class=\"print-contents\">\n<h1>\(HTML.escape(book.title))</h1>\n"
        if let subtitle = book.subtitle { main += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let author = book.author { main += "<p class=\"author\">\(HTML.escape(author))</p>\n" }
        main += "<nav aria-labelledby=\"contents\">\n<h2 class=\"contents-title\" id=\"contents\">Contents</h2>\n<ol class=\"contents\">\n"
        for chapter in layout.chapters {
            main += "<li><a href=\"#\(HTML.escape(chapter.slug))\"><span class=\"num\">\(chapter.number)</span>"
                + "<span class=\"text\"><span class=\"name\">\(HTML.escape(chapter.title))</span></span></a></li>\n"
        }
        main += "</ol>\n</nav>\n</article>\n"
        let marker = "\u{1}print-chapters\u{1}"
        var head = Layout.Head(title: book.title, shortTitle: book.title, description: book.subtitle, path: path, type: nil)
        head.math = math
        head.bodyClass = "print-book"
        // mdBook's print page is not for search engines either: each chapter has its own page.
        head.noIndex = true
        let page = layout.page(head, current: nil, main: main + marker, toc: "")
        let parts = page.split(separator: marker, maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }

    /// Attributes whose value is a list of ids of the same page.
    private static let idAttributes: Set<String> = ["id", "for", "headers", "aria-labelledby", "aria-describedby",
                                                    "aria-controls", "aria-owns", "aria-details", "aria-flowto"]
    /// Attributes whose value is a link.
    private static let linkAttributes: Set<String> = ["href", "xlink:href"]

    /// `html` with every id-valued attribute prefixed `<slug>--` and every in-book link rewritten (see the
    /// type's comment). Reads tags only: text, comments and the insides of `<script>`/`<style>` stay as they are.
    static func rewrite(_ html: String, slug: String, chapterSlugs: Set<String>) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        let prefix = Array((slug + "--").utf8)
        var index = 0
        var rawTextEnd: [UInt8]?
        func isNameByte(_ byte: UInt8) -> Bool {
            !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x3E
              || byte == 0x2F || byte == 0x3D)
        }
        func lowercased(_ slice: ArraySlice<UInt8>) -> String {
            String(decoding: slice.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x3C else { out.append(byte); index += 1; continue }
            // Inside <script> or <style>: copy up to the closing tag.
            if let end = rawTextEnd {
                if index + end.count <= bytes.count, lowercased(bytes[index..<index + end.count]) == String(decoding: end, as: UTF8.self) {
                    rawTextEnd = nil
                } else {
                    out.append(byte); index += 1; continue
                }
            }
            // A comment: copied whole.
            if bytes[index...].starts(with: Array("<!--".utf8)) {
                var end = index + 4
                while end + 2 < bytes.count, !(bytes[end] == 0x2D && bytes[end + 1] == 0x2D && bytes[end + 2] == 0x3E) { end += 1 }
                end = min(bytes.count, end + 3)
                out += bytes[index..<end]
                index = end
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            let isLetter = (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A)
            guard isLetter else { out.append(byte); index += 1; continue }
            // A start tag: its name, then attributes up to `>`.
            var cursor = index + 1
            while cursor < bytes.count, isNameByte(bytes[cursor]) { cursor += 1 }
            let name = lowercased(bytes[(index + 1)..<cursor])
            out += bytes[index..<cursor]
            while cursor < bytes.count, bytes[cursor] != 0x3E {
                let current = bytes[cursor]
                if current == 0x20 || current == 0x09 || current == 0x0A || current == 0x0D || current == 0x0C || current == 0x2F {
                    out.append(current); cursor += 1; continue
                }
                // An attribute name, and perhaps `=` and a value.
                let nameStart = cursor
                while cursor < bytes.count, isNameByte(bytes[cursor]) { cursor += 1 }
                if cursor == nameStart { out.append(bytes[cursor]); cursor += 1; continue }
                let attribute = lowercased(bytes[nameStart..<cursor])
                out += bytes[nameStart..<cursor]
                guard cursor < bytes.count, bytes[cursor] == 0x3D else { continue }
                out.append(0x3D); cursor += 1
                guard cursor < bytes.count else { break }
                var valueStart = cursor, valueEnd: Int, quote: UInt8?
                if bytes[cursor] == 0x22 || bytes[cursor] == 0x27 {
                    quote = bytes[cursor]
                    valueStart = cursor + 1
                    valueEnd = valueStart
                    while valueEnd < bytes.count, bytes[valueEnd] != quote! { valueEnd += 1 }
                } else {
                    valueEnd = cursor
                    while valueEnd < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x3E].contains(bytes[valueEnd]) { valueEnd += 1 }
                }
                let value = bytes[valueStart..<valueEnd]
                var replaced: [UInt8]?
                if idAttributes.contains(attribute) {
                    var tokens: [UInt8] = []
                    var first = true
                    for token in value.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) {
                        if !first { tokens.append(0x20) }
                        first = false
                        tokens += prefix + token
                    }
                    replaced = tokens
                } else if linkAttributes.contains(attribute) {
                    replaced = link(String(decoding: value, as: UTF8.self), slug: slug, chapterSlugs: chapterSlugs).map { Array($0.utf8) }
                }
                if let quote { out.append(quote) }
                out += replaced ?? Array(value)
                if let quote {
                    if valueEnd < bytes.count { out.append(quote) }
                    cursor = min(bytes.count, valueEnd + 1)
                } else {
                    cursor = valueEnd
                }
            }
            if cursor < bytes.count { out.append(0x3E); cursor += 1 }
            if name == "script" || name == "style" { rawTextEnd = Array("</\(name)".utf8) }
            index = cursor
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The link `href` as the print page needs it, or nil to keep it: `#x` → `#<slug>--x`; a link to a
    /// chapter of the book, `<chapter>.html` or `<chapter>.html#x`, → `#<chapter>` or `#<chapter>--x`.
    static func link(_ href: String, slug: String, chapterSlugs: Set<String>) -> String? {
        if href.hasPrefix("#") {
            return href.count > 1 ? "#" + slug + "--" + href.dropFirst() : nil
        }
        let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        var file = parts[0]
        if file.hasPrefix("./") { file = file.dropFirst(2) }
        guard file.hasSuffix(".html") else { return nil }
        let target = String(file.dropLast(5))
        guard chapterSlugs.contains(target) else { return nil }
        if parts.count > 1, !parts[1].isEmpty { return "#" + target + "--" + parts[1] }
        return "#" + target
    }
}
