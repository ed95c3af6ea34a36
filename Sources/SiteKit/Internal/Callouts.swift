import BookModel
/// Turns GitHub alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) in cmark's
/// HTML into callout boxes: `<div class="callout note" role="note"><p class="callout-title">Note</p>…</div>`.
enum Callouts {
    static let kinds = ["note", "tip", "important", "warning", "caution"]

    static func apply(_ html: String) -> String {
        guard html.containsBytes("[!") else { return html }
        let open = "<blockquote>", close = "</blockquote>"
        var result = ""
        result.reserveCapacity(html.utf8.count + 128)
        var rest = html[...]
        var stack: [Bool] = []  // for each open blockquote: is it a callout?
        while let next = nextTag(in: rest, open: open, close: close) {
            result += rest[..<next.range.lowerBound]
            rest = rest[next.range.upperBound...]
            if next.isOpen {
                if let (kind, remainder) = alert(after: rest) {
                    let title = kind.prefix(1).uppercased() + kind.dropFirst()
                    result += "<div class=\"callout \(kind)\" role=\"note\">\n<p class=\"callout-title\">\(title)</p>\n"
                    rest = remainder
                    stack.append(true)
                } else {
                    result += open
                    stack.append(false)
                }
            } else {
                result += stack.popLast() == true ? "</div>" : close
            }
        }
        result += rest
        return result
    }

    private static func nextTag(in text: Substring, open: String, close: String)
        -> (range: Range<Substring.Index>, isOpen: Bool)?
    {
        let openRange = text.byteRange(of: open)
        let closeRange = text.byteRange(of: close)
        switch (openRange, closeRange) {
        case let (o?, c?): return o.lowerBound < c.lowerBound ? (o, true) : (c, false)
        case let (o?, nil): return (o, true)
        case let (nil, c?): return (c, false)
        case (nil, nil): return nil
        }
    }

    /// If the blockquote content starts with `<p>[!KIND]` followed by a line break or the paragraph end,
    /// the kind and the content after the marker (re-opening the paragraph if it continues).
    private static func alert(after text: Substring) -> (String, Substring)? {
        let body = text.drop(while: { $0 == "\n" })
        guard body.hasPrefix("<p>[!") else { return nil }
        let markerStart = body.index(body.startIndex, offsetBy: 5)
        guard let end = body[markerStart...].prefix(12).firstIndex(of: "]") else { return nil }
        let kind = body[markerStart..<end].lowercased()
        guard kinds.contains(kind) else { return nil }
        let after = body[body.index(after: end)...]
        if after.hasPrefix("</p>") {
            return (kind, after.dropFirst(4).drop(while: { $0 == "\n" }))
        }
        if after.hasPrefix("\n") {
            return (kind, "<p>" + after.dropFirst())
        }
        if after.hasPrefix("<br />\n") {
            return (kind, "<p>" + after.dropFirst(7))
        }
        return nil
    }
}
