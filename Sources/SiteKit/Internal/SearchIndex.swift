import BookModel

/// The search index written at build time: `search-index.js`, a script that sets `window.LOOPBOOK_SEARCH`
/// (a script, not JSON to fetch, so search works from `file://` as well as over http, from one file).
///
/// The object is `{"book": title, "chapters": [chapter, ...]}`, each chapter
/// `{"headings": [{"id", "level", "text"}], "number", "sections": [{"heading", "id", "text"}], "slug", "title"}`,
/// keys sorted. Each chapter's JSON is made once per page (and kept with the page in the page cache), so a
/// build that renders one page writes the index without encoding the others again.
struct SearchIndex: Sendable, Equatable {
    /// Where the index is in the site.
    static let path = "search-index.js"

    struct Section: Codable, Sendable, Equatable {
        /// The heading's anchor id ("" for the text before the first heading).
        var id: String
        var heading: String
        var text: String
    }

    struct Chapter: Codable, Sendable, Equatable {
        var number: Int
        var slug: String
        var title: String
        var headings: [TOCEntry]
        var sections: [Section]

        /// This chapter as JSON (keys sorted, as described on `SearchIndex`), UTF-8.
        var json: [UInt8] {
            var out: [UInt8] = []
            func raw(_ text: String) { out += Array(text.utf8) }
            raw("{\"headings\":[")
            for (index, heading) in headings.enumerated() {
                raw(index > 0 ? ",{\"id\":" : "{\"id\":"); JSON.append(heading.id, to: &out)
                raw(",\"level\":\(heading.level),\"text\":"); JSON.append(heading.text, to: &out)
                raw("}")
            }
            raw("],\"number\":\(number),\"sections\":[")
            for (index, section) in sections.enumerated() {
                raw(index > 0 ? ",{\"heading\":" : "{\"heading\":"); JSON.append(section.heading, to: &out)
                raw(",\"id\":"); JSON.append(section.id, to: &out)
                raw(",\"text\":"); JSON.append(section.text, to: &out)
                raw("}")
            }
            raw("],\"slug\":"); JSON.append(slug, to: &out)
            raw(",\"title\":"); JSON.append(title, to: &out)
            raw("}")
            return out
        }
    }

    /// The script for a book titled `book` whose chapters' JSON (`Chapter.json`) is `chapters`, in book order.
    static func script(book: String, chapters: [[UInt8]]) -> [UInt8] {
        var out = Array("window.LOOPBOOK_SEARCH={\"book\":".utf8)
        out.reserveCapacity(chapters.reduce(64) { $0 + $1.count + 1 })
        JSON.append(book, to: &out)
        out += Array(",\"chapters\":[".utf8)
        for (index, chapter) in chapters.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += chapter
        }
        out += Array("]};\n".utf8)
        return out
    }

    /// The index object (the part after `window.LOOPBOOK_SEARCH=`) of a script made by `script`, for tests
    /// and tools; nil when `script` is not one.
    static func json(ofScript script: String) -> String? {
        let prefix = "window.LOOPBOOK_SEARCH=", suffix = ";\n"
        guard script.hasPrefix(prefix), script.hasSuffix(suffix) else { return nil }
        return String(script.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

/// JSON strings, written by hand because the search index is the largest file a build writes.
enum JSON {
    /// Appends `text` as a JSON string literal. Escapes `"`, `\` and control characters, and U+2028/U+2029
    /// (line separators to older JavaScript engines, and the index is loaded as a script); `/` stays as is.
    static func append(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        let hex = Array("0123456789abcdef".utf8)
        var pending = 0  // bytes of a possible U+2028/U+2029 seen so far (E2 80)
        for byte in text.utf8 {
            if pending == 2, byte == 0xA8 || byte == 0xA9 {
                out.removeLast(2)
                out += Array("\\u202".utf8) + [byte == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                pending = 0
                continue
            }
            pending = byte == 0xE2 ? 1 : (pending == 1 && byte == 0x80 ? 2 : 0)
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x00..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
