import BookModel
import Foundation

/// The search index written at build time (`search-index.json`, and `search-index.js` for `file://`).
struct SearchIndex: Codable, Sendable, Equatable {
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
    }

    var book: String
    var chapters: [Chapter]

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{\"book\":\"\",\"chapters\":[]}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A script that sets `window.LOOPBOOK_SEARCH`, for pages opened from `file://` where fetch fails.
    func script(json: String) -> String {
        // A separate .js file, so "</script>" inside strings is harmless; U+2028/9 are escaped for older engines.
        let safe = json.replacingBytes("\u{2028}", with: "\\u2028").replacingBytes("\u{2029}", with: "\\u2029")
        return "window.LOOPBOOK_SEARCH=" + safe + ";\n"
    }
}
